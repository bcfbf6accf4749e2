#!/bin/sh
# labgrid with QEMUDriver (tools/lab/labgrid/env-qemu.yaml): the seed set
# passes tools/lab/labgrid/test_faultprobe.py; an ISO that crashes
# (selftest=crash) fails it, because of the crash.
CASE=labgrid-qemu
. tests/boot/lib.sh
. tests/boot/lablib.sh
lab_need "labgrid (Debian package labgrid, Debian's /usr/bin/pytest)" /usr/bin/python3 -c 'import labgrid, pytest'
lab_need "qemu-system-x86_64" command -v qemu-system-x86_64
seed=$(lab_iso seed "sets=seed") || fail "cannot build the seed ISO"
crash=$(lab_iso crash "sets=seed selftest=crash") || fail "cannot build the crash ISO"

lg_run seed env-qemu.yaml "$seed"
LOG=$TEST_DIR/$CASE.seed/console.log
[ "$LG_STATUS" -eq 0 ] || fail "seed run failed (pytest status $LG_STATUS): $(grep -E '^(FAILED|E ) ' "$LG_OUT" | head -2 | tr '\n' ' ')"
got=$(grep -o '^faultprobe: probes=[0-9]* .*' "$LG_OUT")
want=$(grep -c '^probe ' "$LOG")
echo "$got" | grep -q "probes=$want " || fail "test reported '$got', console log has $want probe lines"
seed_s=$LG_SECONDS

lg_run crash env-qemu.yaml "$crash"
LOG=$TEST_DIR/$CASE.crash/console.log
[ "$LG_STATUS" -eq 1 ] || fail "crash ISO: pytest status $LG_STATUS, want 1 (a failed test)"
grep -q '^E  *AssertionError: crash report on the console: faultprobe: CRASH' "$LG_OUT" ||
	fail "crash ISO failed, but not for the crash: $(grep '^FAILED' "$LG_OUT" | head -1)"
pass "(seed: $got, ${seed_s}s; crash ISO: FAILED on the CRASH line, ${LG_SECONDS}s)"
