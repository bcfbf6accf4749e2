#!/bin/sh
# tools/run-bochs.sh ends with QEMU's statuses (report/exit.h): a kernel
# crash (selftest=crash: ud2 -> oops) must give 37, a CPU without long mode
# (BOCHS_CPU=p4_willamette: the 32-bit entry's boot failure) 39, each with
# its message on the serial log.  (33 is checked by the other Bochs cases.)
CASE=bochs-exit
. tests/boot/lib.sh
. tests/boot/lib-bochs.sh
bochs_available
iso=$TEST_DIR/faultprobe-bochs-crash.iso
tools/mkiso.sh build/faultprobe.elf "$iso" "sets=none selftest=crash" >/dev/null || fail "cannot build $iso"
boot_bochs "$iso" tigerlake 120
t1=$BOOT_SECONDS
[ "$QEMU_STATUS" -eq 37 ] || fail "selftest=crash under Bochs: status $QEMU_STATUS, expected 37 ($(tail -1 "$TEST_DIR/$CASE.bochs.txt"))"
grep -q '^faultprobe: CRASH' "$LOG" || fail "status 37 but no 'faultprobe: CRASH' line in the log"
boot_bochs build/faultprobe.iso p4_willamette 120
[ "$QEMU_STATUS" -eq 39 ] || fail "no long mode under Bochs (p4_willamette): status $QEMU_STATUS, expected 39 ($(tail -1 "$TEST_DIR/$CASE.bochs.txt"))"
grep -q 'FAIL this CPU does not support long mode' "$LOG" || fail "status 39 but no long-mode message on the serial log"
pass "(crash -> 37 in ${t1}s, no long mode -> 39 in ${BOOT_SECONDS}s)"
