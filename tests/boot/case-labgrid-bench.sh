#!/bin/sh
# labgrid on a lab bench where QEMU plays the PC (tools/lab/bench.sh,
# tools/lab/labgrid/env-bench.yaml): a socat pty pair as the USB-serial
# adapter (RawSerialPort + SerialDriver), ExternalPowerDriver as the power
# switch, the ISO written to the PC's stick before power-on.  The same
# test_faultprobe.py as under QEMUDriver: the seed set passes.  With
# LAB_CRASH=1 (tests/lab/case-labgrid-bench-crash.sh, make lab-test) a
# crashing ISO must fail it, because of the crash.
CASE=${CASE:-labgrid-bench}
. tests/boot/lib.sh
. tests/boot/lablib.sh
lab_need "labgrid (Debian package labgrid, Debian's /usr/bin/pytest)" /usr/bin/python3 -c 'import labgrid, pytest'
lab_need "socat" command -v socat
lab_need "qemu-system-x86_64" command -v qemu-system-x86_64
seed=$(lab_iso seed "sets=seed") || fail "cannot build the seed ISO"
crash=$(lab_iso crash "sets=seed selftest=crash") || fail "cannot build the crash ISO"
bench=$PWD/$TEST_DIR/$CASE.bench
trap 'tools/lab/bench.sh down "$bench"' EXIT
tools/lab/bench.sh down "$bench"
tools/lab/bench.sh up "$bench" || fail "cannot set up the bench (socat pty pair)"

lg_run seed env-bench.yaml "$seed" LG_FAULTPROBE_BENCH="$bench"
LOG=$TEST_DIR/$CASE.seed/console.log
[ "$LG_STATUS" -eq 0 ] || fail "seed run failed (pytest status $LG_STATUS): $(grep -E '^(FAILED|E ) ' "$LG_OUT" | head -2 | tr '\n' ' ')"
got=$(grep -o '^faultprobe: probes=[0-9]* .*' "$LG_OUT")
want=$(grep -c '^probe ' "$LOG")
echo "$got" | grep -q "probes=$want " || fail "test reported '$got', console log has $want probe lines"
grep -q 'bench.sh stick' "$LG_OUT" || fail "the ISO was not written to the stick through BootstrapProtocol"
seed_s=$LG_SECONDS
[ -f "$bench/qemu.pid" ] && fail "the power switch left QEMU running after the test"
[ "${LAB_CRASH:-}" = 1 ] || pass "(seed: $got, ${seed_s}s)"

lg_run crash env-bench.yaml "$crash" LG_FAULTPROBE_BENCH="$bench"
LOG=$TEST_DIR/$CASE.crash/console.log
[ "$LG_STATUS" -eq 1 ] || fail "crash ISO: pytest status $LG_STATUS, want 1 (a failed test)"
grep -q '^E  *AssertionError: crash report on the console: faultprobe: CRASH' "$LG_OUT" ||
	fail "crash ISO failed, but not for the crash: $(grep '^FAILED' "$LG_OUT" | head -1)"
pass "(seed: $got, ${seed_s}s; crash ISO: FAILED on the CRASH line, ${LG_SECONDS}s)"
