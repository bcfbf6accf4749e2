#!/bin/sh
# Long boot command lines (issue 14 #1).  The kernel takes a line whole up
# to CMDLINE_MAX (4095) bytes, and refuses a longer one whole with one error
# line naming the limit (boot/mb2.c, boot/cmdline.h): it never acts on a
# word cut at a buffer's end.  Before the fix the issue's reproducer (525
# bytes) was cut at byte 511 and address 0 was probed.
CASE=cmdline-long
. tests/boot/lib.sh
quiet=$(printf ' quiet%.0s' $(seq 82))
iso=$TEST_DIR/faultprobe-cmdline-long.iso
tools/mkiso.sh build/faultprobe.elf "$iso" "sets=seed$quiet addr=0x00007ffffffffff9" >/dev/null ||
	fail "cannot build $iso"
boot_iso "$iso" tcg bios 120
explain_status
t=$TEST_DIR/$CASE.a.txt
tr -d '\r' <"$LOG" >"$t"
! grep -q '^cmdline: ' "$t" || fail "error lines for a valid 525-byte line: $(grep '^cmdline: ' "$t" | head -2)"
grep -q '^cmdline=".*\.\.\." (525 bytes)$' "$t" || fail "the header does not give the line's length (525 bytes)"
grep -q '^probe .* set=addr .*addr=0x00007ffffffffff9 ' "$t" ||
	fail "no probe of the address at the end of the line (addr=0x00007ffffffffff9)"
! grep -q '^probe .* set=addr .*addr=0x0000000000000000 ' "$t" || fail "address 0 was probed: the line was cut"

# Over the limit: refused whole, one error line, no probe runs.
quiet=$(printf ' quiet%.0s' $(seq 700))
iso2=$TEST_DIR/faultprobe-cmdline-toolong.iso
tools/mkiso.sh build/faultprobe.elf "$iso2" "sets=seed$quiet addr=0x00007ffffffffff9" >/dev/null ||
	fail "cannot build $iso2"
boot_iso "$iso2" tcg bios 120
explain_status
t2=$TEST_DIR/$CASE.b.txt
tr -d '\r' <"$LOG" >"$t2"
n=$(grep -c '^cmdline: ' "$t2")
[ "$n" = 1 ] || fail "expected 1 error line for a 4233-byte line, got $n"
grep -q '^cmdline: the command line is 4233 bytes, over the limit of 4095: none of it is used' "$t2" ||
	fail "no error naming the length and the limit: $(grep '^cmdline: ' "$t2")"
! grep -q '^probe ' "$t2" || fail "probes ran from a refused line"
grep -q '^faultprobe: done probes=0 ' "$t2" || fail "no 'faultprobe: done probes=0' line"
pass "(525 bytes taken whole, the address after byte 511 probed; 4233 bytes refused with one error line, no probe)"
