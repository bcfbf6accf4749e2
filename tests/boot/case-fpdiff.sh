#!/bin/sh
# fpdiff of the TCG serial log against this CPU (faultprobe-user): the count
# line must be there, and the differing cells must include the known TCG
# deviations of the seed set (docs/deviations.md):
#   tcg-noncanonical-gp  rbp, 0x0000800000000000: TCG #GP, silicon #SS
#   tcg-straddle-pf      rbp, 0x00007ffffffffff9: TCG #PF, silicon #SS
#                        r15, 0x00007ffffffffff9: TCG #PF, silicon #GP
#   tcg-rf-clear         (--frame) rflags.RF: TCG 0, silicon 1
# Reuses build/test/tcg-bios.log when it is newer than the ISO, else boots.
CASE=fpdiff
. tests/boot/lib.sh
[ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] || skip "needs Linux on x86-64 for faultprobe-user"
iso=${1:-build/faultprobe.iso}
make -s user build/fpdiff >"$TEST_DIR/$CASE.make.txt" 2>&1 ||
	fail "cannot build faultprobe-user or fpdiff (see $TEST_DIR/$CASE.make.txt)"
# Its own TCG boot (about 2 s), so the comparison never reads a stale log.
CASE=fpdiff-tcg boot_iso "$iso" tcg bios 300
CASE=fpdiff
[ "$QEMU_STATUS" -eq 33 ] || fail "TCG boot for the comparison exited with status $QEMU_STATUS"
tcg=$TEST_DIR/fpdiff-tcg.log
grep -q '^faultprobe: done .*unexpected=0' "$tcg" || fail "TCG boot for the comparison did not finish cleanly"
user=$TEST_DIR/$CASE.user.log
build/faultprobe-user quiet >"$user" 2>/dev/null || fail "faultprobe-user exited with status $?"
LOG=$TEST_DIR/$CASE.log
build/fpdiff "$tcg" "$user" >"$LOG" 2>"$TEST_DIR/$CASE.stderr.txt"
st=$?
[ "$st" -le 1 ] || fail "fpdiff exited with status $st: $(head -3 "$TEST_DIR/$CASE.stderr.txt" | tr '\n' ' ')"
count=$(grep '^fpdiff: [0-9]* cells compared, [0-9]* differ, [0-9]* only in A, [0-9]* only in B$' "$LOG")
[ -n "$count" ] || fail "no count line in fpdiff's output"
# cell: set base addr field A B (table columns 2 4 9 10 11 12)
has_cell() {
	awk -v s="$1" -v b="$2" -v a="$3" -v f="$4" -v x="$5" -v y="$6" \
		'$2 == s && $4 == b && $9 == a && $10 == f && $11 == x && $12 == y { found = 1 }
		 END { exit !found }' "$LOG"
}
has_cell seed rbp 0x0000800000000000 vector '#GP' '#SS' || fail "tcg-noncanonical-gp (rbp 0x0000800000000000 #GP vs #SS) missing from the differing cells"
has_cell seed rbp 0x00007ffffffffff9 vector '#PF' '#SS' || fail "tcg-straddle-pf (rbp 0x00007ffffffffff9 #PF vs #SS) missing from the differing cells"
has_cell seed r15 0x00007ffffffffff9 vector '#PF' '#GP' || fail "tcg-straddle-pf (r15 0x00007ffffffffff9 #PF vs #GP) missing from the differing cells"
build/fpdiff --frame "$tcg" "$user" >"$TEST_DIR/$CASE.frame.log" 2>/dev/null
awk '$10 == "rflags.RF" && $11 == "RF=0" && $12 == "RF=1" { found = 1 } END { exit !found }' \
	"$TEST_DIR/$CASE.frame.log" || fail "tcg-rf-clear (rflags.RF 0 vs 1) missing from fpdiff --frame"
pass "($(echo "$count" | sed 's/^fpdiff: //'))"
