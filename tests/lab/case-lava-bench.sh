#!/bin/sh
# LAVA on the lab bench where QEMU plays the PC (tools/lab/bench.sh): the
# real-PC device type faultprobe-usb-pc with the bench's device dictionary
# (devices/pc-bench.yaml).  The flasher deploy writes the ISO to the stick,
# the minimal boot connects to the adapter (socat on a pty) and resets the PC
# with the power command, the monitors read the console.  Seed ISO: every
# probe a case and `done` passes; crash ISO: `done` fails.
CASE=lava-bench
. tests/boot/lib.sh
. tests/boot/lablib.sh
lab_need "LAVA (Debian packages lava-dispatcher, lava-common)" /usr/bin/python3 -c 'import lava_common.schemas, lava_dispatcher'
lab_need "lava-run" command -v lava-run
lab_need "socat" command -v socat
lab_need "qemu-system-x86_64" command -v qemu-system-x86_64
L=tools/lab/lava
out=$TEST_DIR/$CASE
rm -rf "$out"
seed=$(lab_iso seed "sets=seed") || fail "cannot build the seed ISO"
crash=$(lab_iso crash "sets=seed selftest=crash") || fail "cannot build the crash ISO"
FAULTPROBE_BENCH=$PWD/$TEST_DIR/$CASE.bench
export FAULTPROBE_BENCH
case $FAULTPROBE_BENCH in *[!A-Za-z0-9/._-]*) skip "the bench path '$FAULTPROBE_BENCH' has characters the device dictionary's commands do not quote" ;; esac
trap 'tools/lab/bench.sh down "$FAULTPROBE_BENCH"' EXIT
tools/lab/bench.sh down "$FAULTPROBE_BENCH"
tools/lab/bench.sh up "$FAULTPROBE_BENCH" || fail "cannot set up the bench (socat pty pair)"

start=$(date +%s.%N)
LOG=$out/seed/lava.log
$L/run-job.sh $L/job-usb-pc.yaml $L/devices/pc-bench.yaml "$seed" "$out/seed" ||
	fail "lava-run exited $?: $(grep '"lvl": "error"' "$LOG" | head -2 | cut -c1-300)"
$L/results.py "$LOG" >"$out/seed.txt" || fail "$(tr '\n' ' ' <"$out/seed.txt")"
grep -q "Calling: 'nice' 'sh' '-c' '\$FAULTPROBE_BENCH/bench.sh stick" "$LOG" || fail "the flasher deploy did not write the stick"
[ -f "$FAULTPROBE_BENCH/qemu.pid" ] && fail "LAVA's power-off left the bench PC running"
seed_s=$(elapsed "$start")

start=$(date +%s.%N)
LOG=$out/crash/lava.log
$L/run-job.sh $L/job-usb-pc.yaml $L/devices/pc-bench.yaml "$crash" "$out/crash" ||
	fail "crash job: lava-run exited $? (it exits 0 for a job whose test cases fail)"
if $L/results.py "$LOG" >"$out/crash.txt"; then fail "crash ISO passed: $(head -1 "$out/crash.txt")"; fi
grep -q 'done=fail;' "$out/crash.txt" || fail "crash ISO failed, but not on the done case: $(head -1 "$out/crash.txt")"
pass "(seed: $(head -1 "$out/seed.txt" | sed 's/^lava: //'), ${seed_s}s; crash ISO: done=fail, $(elapsed "$start")s)"
