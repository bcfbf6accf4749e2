#!/bin/sh
# fpexplain end to end on the real oopses in tests/explain/ (each file names
# its public source and carries hand-checked "# expect:" keys, see
# tests/explain/check-expect.sh), the seeds' crash sessions, --json against
# the machine line, and bad input: exit status 0/1/2, no crash, a message.
CASE=fpexplain
. tests/boot/lib.sh
FPX=build/fpexplain
# any sanitizer report is a failure (the build has ASan/UBSan)
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=abort_on_error=0:detect_leaks=1
[ -x "$FPX" ] || make -s "$FPX" >"$TEST_DIR/$CASE.build.txt" 2>&1 || fail "cannot build $FPX (see $TEST_DIR/$CASE.build.txt)"
out=$TEST_DIR/$CASE.txt
: >"$out"

# 1. every real oops and seed: the machine lines carry the expected keys
files=0 reports=0
for f in tests/explain/*.txt; do
	sh tests/explain/check-expect.sh "$FPX" "$f" >>"$out" 2>&1 || fail "$(grep -v '^ok ' "$out" | head -3 | tr '\n' ' ')"
	files=$((files + 1))
	reports=$((reports + $(sed -n 's/^ok .* (\([0-9]*\) reports.*/\1/p' "$out" | tail -1)))
done
[ "$files" -ge 12 ] || fail "only $files oops files in tests/explain"

# 2. --json: one object per report, with every key=value of the machine line
f=tests/explain/ss-kasan-rbp-r13.txt
json=$("$FPX" --json "$f") || fail "--json exit $?"
line=$("$FPX" "$f" | grep '^explain ')
[ "$(printf '%s\n' "$json" | grep -c '^{')" -eq 1 ] || fail "--json: not one object per report"
for kv in $(printf '%s\n' "$line" | sed 's/^explain //; s/ insn="[^"]*"//; s/ why="[^"]*"//'); do
	k=${kv%%=*} v=${kv#*=}
	printf '%s' "$json" | grep -qF "\"$k\":\"$v\"" || fail "--json lacks \"$k\":\"$v\" of the machine line"
done
printf '%s' "$json" | grep -qF '"insn":"cmpb $0x0,0x0(%rbp,%r13,1)"' || fail "--json insn"

# 3. bad input: exit 2 unreadable, 1 nothing found (with the one-line reason),
#    never a crash (the build has ASan/UBSan: any report fails the case)
"$FPX" /nonexistent/oops.txt >/dev/null 2>"$TEST_DIR/$CASE.err"; rc=$?
[ $rc -eq 2 ] || fail "unreadable file: exit $rc, want 2"
"$FPX" tests/explain >/dev/null 2>>"$TEST_DIR/$CASE.err"; rc=$?
[ $rc -eq 2 ] || fail "a directory: exit $rc, want 2"
"$FPX" </dev/null >/dev/null 2>"$TEST_DIR/$CASE.err"; rc=$?
[ $rc -eq 1 ] || fail "empty input: exit $rc, want 1"
grep -q 'no crash report found: looked for' "$TEST_DIR/$CASE.err" || fail "empty input: no 'looked for' line"
"$FPX" build/faultprobe.iso >/dev/null 2>"$TEST_DIR/$CASE.err"; rc=$?
[ $rc -eq 1 ] || fail "binary input (the ISO): exit $rc, want 1"
"$FPX" --bogus </dev/null >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "unknown option: exit $rc, want 2"
# truncated oops, a Code: line without <xx>, bytes that decode to nothing,
# registers with the wrong number of digits: a report with agrees=unknown and why=
bad=$TEST_DIR/$CASE.bad.txt
printf '%s\n' 'stack segment: 0000 [#1] SMP' 'RIP: 0010:f+0x1/0x10' \
	'Code: 48 8b 5c 05 00' 'RBP: 0072006900560338' >"$bad"
"$FPX" "$bad" | grep -q 'agrees=unknown.*why="the Code: line has no <xx> marker' || fail "no-marker Code: not reported"
printf '%s\n' 'general protection fault: 0000 [#1] SMP' 'RIP: 0010:f+0x1/0x10' 'Code: 90 <0f>' >"$bad"
"$FPX" "$bad" | grep -q 'why="the 1 byte from the <xx> marker do not decode' || fail "undecodable bytes not reported"
printf '%s\n' 'stack segment: 0000 [#1] SMP' 'RIP: 0010:f+0x1/0x10' 'Code: <48> 8b 5c 05 00' \
	'RAX: 0000000000000000 RBX: 1 RCX: 2' 'RBP: 00720069005603' >"$bad"
"$FPX" "$bad" >"$TEST_DIR/$CASE.bad.out" 2>&1
grep -q "RBP: '00720069005603' has 14 hex digits, want 16" "$TEST_DIR/$CASE.bad.out" || fail "short register value not named"
grep -q 'agrees=unknown.*why="rbp is not in the dump' "$TEST_DIR/$CASE.bad.out" || fail "short register value used anyway"
printf 'stack segment: 0000 [#1] SMP\n' >"$bad"
"$FPX" "$bad" | grep -q '^explain oops=1 title=#SS .*agrees=unknown' || fail "title-only oops"
# 10 MB of log with one oops at the end
big=$TEST_DIR/$CASE.big.log
{ yes '[ 12.345678] usb 1-1: new high-speed USB device number 2 using xhci_hcd RAX: 1 RBX:' | head -c 10000000
  cat tests/explain/ss-slab-poison-rbp-i915.txt; } >"$big"
n=$("$FPX" "$big" | grep -c '^explain ') || true
rm -f "$big"
[ "$n" = 1 ] || fail "10 MB log: $n reports, want 1"

# 4. the instruction text is what objdump prints for the same bytes
#    (binutils' disassembler as the reference, decodecode-style at address 0)
same=0
for seq in "48 8b 5c 05 00" "49 8b 1c 07" "42 80 7c 2d 00 00" "8b 45 00" "0f b7 10" "48 3b 28" \
	"4c 8b 34 c2" "c5 f9 6f 87 40 01 00 00" "f3 a4" "f3 48 a5" "f3 48 ab" "a6" "ac" "ae" "88 02" \
	"e8 2b 41 9f 00" "ff 50 08" "ff e0" "41 ff d3" "ff 14 c5 00 00 00 00" "c3" "c9" "55" "41 5f" \
	"64 48 8b 04 25 28 00 00 00" "48 c7 44 24 78 ff ff ff ff" "62 f1 7c 48 29 07" \
	"48 83 c4 80" "f0 48 0f ab 3d 79 9e 97 01" "0f 29 07" "48 8b 45 f8" "49 89 2c 24" \
	"48 63 45 a0" "0f 0b" "66 0f 1f 44 00 00" "c5 fe 6f 06" "66 0f 6f 07" "f0 48 0f b1 17" \
	"48 8b 04 25 00 00 00 00" "65 48 8b 05 10 00 00 00"; do
	for b in $seq; do printf "\\$(printf '%03o' "0x$b")"; done >"$TEST_DIR/$CASE.bin"
	od=$(objdump -D -b binary -m i386:x86-64 "$TEST_DIR/$CASE.bin" |
		awk -F'\t' '/^ +0:/ { print $3 }' | sed 's/  */ /g; s/ *#.*//; s/ *$//')
	fx=$(printf 'general protection fault: 0000 [#1]\nRIP: 0010:f+0x0/0x1\nCode: <%s> %s\n' \
		"${seq%% *}" "$(printf '%s' "$seq" | cut -s -d' ' -f2-)" | "$FPX" | sed -n 's/.* insn="\([^"]*\)".*/\1/p')
	[ -n "$od" ] && [ "$od" = "$fx" ] || fail "bytes $seq: objdump '$od', fpexplain '$fx'"
	same=$((same + 1))
done

pass "($files files, $reports reports as expected; --json; exit 2/1/2/1/2 on bad input; 10 MB log; $same instructions as objdump prints them)"
