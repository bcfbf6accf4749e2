#!/bin/sh
# Bochs 2.7 with the tigerlake CPU model: the issue-11 families repfault, fsgs and
# la57ops (tests/expect/bochs-tigerlake-families/cmdline), checked against
# tests/expect/bochs-tigerlake-families/*.expect.  Uses the Bochs runner
# (tools/run-bochs.sh, tests/boot/lib-bochs.sh) of the bochs branch; until
# that is merged this case says so and skips.
CASE=bochs-families-intel
. tests/boot/lib.sh
[ -f tests/boot/lib-bochs.sh ] && [ -x tools/run-bochs.sh ] ||
	skip "the Bochs runner (tools/run-bochs.sh, tests/boot/lib-bochs.sh) is not in this tree yet (branch bochs)"
. tests/boot/lib-bochs.sh
bochs_available
dir=tests/expect/bochs-tigerlake-families
iso=$TEST_DIR/faultprobe-bochs-families.iso
cmdline=$(cat "$dir/cmdline")
tools/mkiso.sh build/faultprobe.elf "$iso" "$cmdline" >/dev/null || fail "cannot build $iso"
boot_bochs "$iso" tigerlake 300
case $QEMU_STATUS in
1) fail "Bochs failed: $(tail -2 "$TEST_DIR/$CASE.bochs.txt" | tr '\n' ' ')" ;;
esac
explain_status
check_log "$dir"/*.expect
pass "(${BOOT_SECONDS}s, cpu tigerlake, $(grep -c '^probe ' "$LOG") probe records, $(tail -1 "$TEST_DIR/$CASE.fpcheck.txt" | sed 's/.*: //'))"
