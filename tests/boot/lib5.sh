# Helpers for the issue-5 boot cases (real hardware: firmware, media,
# screens, boot options).  Sourced after tests/boot/lib.sh.

# probe_results LOG: the result fields of every probe record, in order (not
# addresses of the kernel's own stack or code, which may legitimately move).
probe_results() {
	tr -d '\r' <"$1" | grep '^probe ' | tr ' ' '\n' |
		grep -E '^(probe|id|set|op|base|index|seg|width|cpl|paging|adjust|addr|vector|err|cr2|rule|rule_err|agrees|rip_at|saved_rsp|stack)=|^probe$' |
		tr '\n' ' ' | sed 's/ probe /\nprobe /g'
	echo
}

# same_probe_results A.log B.log: true when both runs gave the same probe
# results; else DIFF_WHY says where they first differ.
same_probe_results() {
	probe_results "$1" >"$TEST_DIR/$CASE.a.txt"
	probe_results "$2" >"$TEST_DIR/$CASE.b.txt"
	na=$(grep -c '^probe' "$TEST_DIR/$CASE.a.txt")
	[ "$na" -gt 0 ] || { DIFF_WHY="no probe records in $1"; return 1; }
	if ! cmp -s "$TEST_DIR/$CASE.a.txt" "$TEST_DIR/$CASE.b.txt"; then
		DIFF_WHY=$(diff "$TEST_DIR/$CASE.a.txt" "$TEST_DIR/$CASE.b.txt" | head -4 | tr '\n' ' ')
		return 1
	fi
	return 0
}

# need_screen_tools: build what the screen cases use besides the ISO
# (build/fbfind, build/vgatext, build/faultprobe-halt.iso,
# build/faultprobe-badopt.iso); a no-op when up to date.
need_screen_tools() {
	make -s --no-print-directory screen-test-deps >"$TEST_DIR/$CASE.make.txt" 2>&1 ||
		fail "make screen-test-deps failed: $(tail -3 "$TEST_DIR/$CASE.make.txt" | tr '\n' ' ')"
}
