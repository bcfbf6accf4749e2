#!/bin/sh
# faultprobe-user under hostile use (issue 14 #5, #7): records that cannot
# be written are an error, not a silent exit 0; kernel-only options are
# refused by name instead of accepted and ignored; matrix=FILTER is the same
# as --matrix=FILTER; a filter error names its cause once.  No boot.
# USER_BIN= another build (to show what an older one did).
CASE=user-options
. tests/boot/lib.sh
[ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] || skip "needs Linux on x86-64 for faultprobe-user"
bin=${USER_BIN:-build/faultprobe-user}
[ -x "$bin" ] || fail "$bin missing (make user)"
d=$TEST_DIR/$CASE
mkdir -p "$d"
n=0
# want STATUS STDERR-REGEX -- COMMAND...: exit status and a message
want() {
	st=$1 msg=$2
	shift 3
	"$@" >"$d/out" 2>"$d/err"
	got=$?
	n=$((n + 1))
	[ "$got" -eq "$st" ] || fail "'$*' exited $got, want $st ($(head -1 "$d/err"))"
	[ -z "$msg" ] || grep -Eq "$msg" "$d/err" || fail "'$*': stderr does not say /$msg/: $(head -2 "$d/err")"
}
# #5: every record lost must not look like success
"$bin" sets=seed >/dev/full 2>"$d/err"; full=$?
n=$((n + 1))
[ "$full" -ne 0 ] || fail "faultprobe-user >/dev/full exited 0: every record lost"
grep -q 'cannot write' "$d/err" || fail ">/dev/full: no message on stderr ($(head -1 "$d/err"))"
"$bin" sets=seed >&- 2>"$d/err"; st=$?
n=$((n + 1))
[ "$st" -ne 0 ] || fail "faultprobe-user with stdout closed exited 0"
# #7: kernel-only options refused by name
want 2 'selftest= is a kernel boot option' -- "$bin" selftest=crash
want 2 'exit= is a kernel boot option' -- "$bin" exit=qemu
want 2 'sets=frame runs only in the kernel' -- "$bin" sets=frame
# matrix=FILTER works as --matrix=FILTER
"$bin" sets=matrix matrix=width=8 2>/dev/null >"$d/a.log" || fail "matrix=width=8 failed"
"$bin" sets=matrix --matrix=width=8 2>/dev/null >"$d/b.log" || fail "--matrix=width=8 failed"
"$bin" sets=matrix 2>/dev/null >"$d/all.log" || fail "sets=matrix failed"
a=$(grep -c '^probe ' "$d/a.log") b=$(grep -c '^probe ' "$d/b.log") all=$(grep -c '^probe ' "$d/all.log")
n=$((n + 1))
[ "$a" = "$b" ] && [ "$a" -lt "$all" ] || fail "matrix=width=8 ran $a probes, --matrix=width=8 $b, the whole matrix $all"
! grep -q '^probe .* width=\(1\|2\|4\|16\|32\) ' "$d/a.log" || fail "matrix=width=8 ran other widths"
# a filter that excludes width 32 says nothing about AVX
grep -q 'AVX' "$d/a.log" && grep -q 'avx' /proc/cpuinfo && fail "an AVX note on a CPU with AVX, width 32 not asked for"
# one prefix in a filter error
want 2 'matrix filter: expected key=value' -- "$bin" --matrix=nope
n=$((n + 1))
! grep -q 'matrix filter: matrix filter' "$d/err" || fail "the error repeats its prefix: $(head -1 "$d/err")"
pass "($n checks: /dev/full is exit $full with a message, closed stdout exit $st; selftest=, exit=, sets=frame refused; matrix= same as --matrix= ($a of $all probes); one-prefix filter errors)"
