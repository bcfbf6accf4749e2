#!/bin/sh
# Bochs 2.7 with the ryzen CPU model: the issue-11 families repfault, fsgs and
# la57ops (tests/expect/bochs-ryzen-families/cmdline), checked against
# tests/expect/bochs-ryzen-families/*.expect.  Uses the Bochs runner
# (tools/run-bochs.sh, tests/boot/lib-bochs.sh) of the bochs branch; until
# that is merged this case says so and skips.
CASE=bochs-families-amd
. tests/boot/lib.sh
[ -f tests/boot/lib-bochs.sh ] && [ -x tools/run-bochs.sh ] ||
	skip "the Bochs runner (tools/run-bochs.sh, tests/boot/lib-bochs.sh) is not in this tree yet (branch bochs)"
. tests/boot/lib-bochs.sh
bochs_available
dir=tests/expect/bochs-ryzen-families
iso=$TEST_DIR/faultprobe-bochs-families.iso
cmdline=$(cat "$dir/cmdline")
tools/mkiso.sh build/faultprobe.elf "$iso" "$cmdline" >/dev/null || fail "cannot build $iso"
boot_bochs "$iso" ryzen 300
case $QEMU_STATUS in
1) fail "Bochs failed: $(tail -2 "$TEST_DIR/$CASE.bochs.txt" | tr '\n' ' ')" ;;
esac
explain_status
check_log "$dir"/*.expect
pass "(${BOOT_SECONDS}s, cpu ryzen, $(grep -c '^probe ' "$LOG") probe records, $(tail -1 "$TEST_DIR/$CASE.fpcheck.txt" | sed 's/.*: //'))"
