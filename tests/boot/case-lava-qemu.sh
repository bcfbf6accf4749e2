#!/bin/sh
# LAVA under QEMU: lava-run runs tools/lab/lava/job-qemu.yaml on the rendered
# qemu device (devices/qemu01.yaml).  Seed ISO: one test case per probe
# record, ids 1..N for `faultprobe: done probes=N`, each pass/fail as its
# line's agrees=, and `done` passes.  Crash ISO (selftest=crash): lava-run
# still exits 0 and the job still passes; the results say `done` failed.
CASE=lava-qemu
. tests/boot/lib.sh
. tests/boot/lablib.sh
lab_need "LAVA (Debian packages lava-dispatcher, lava-common)" /usr/bin/python3 -c 'import lava_common.schemas, lava_dispatcher'
lab_need "lava-run" command -v lava-run
lab_need "qemu-system-x86_64" command -v qemu-system-x86_64
L=tools/lab/lava
out=$TEST_DIR/$CASE
rm -rf "$out"
seed=$(lab_iso seed "sets=seed") || fail "cannot build the seed ISO"
crash=$(lab_iso crash "sets=seed selftest=crash") || fail "cannot build the crash ISO"

start=$(date +%s.%N)
LOG=$out/seed/lava.log
$L/run-job.sh $L/job-qemu.yaml $L/devices/qemu01.yaml "$seed" "$out/seed" ||
	fail "lava-run exited $?: $(grep '"lvl": "error"' "$LOG" | head -2 | cut -c1-300)"
$L/results.py "$LOG" >"$out/seed.txt" || fail "$(tr '\n' ' ' <"$out/seed.txt")"
seed_s=$(elapsed "$start")

start=$(date +%s.%N)
LOG=$out/crash/lava.log
$L/run-job.sh $L/job-qemu.yaml $L/devices/qemu01.yaml "$crash" "$out/crash" ||
	fail "crash job: lava-run exited $? (it exits 0 for a job whose test cases fail)"
if $L/results.py "$LOG" >"$out/crash.txt"; then fail "crash ISO passed: $(head -1 "$out/crash.txt")"; fi
grep -q 'done=fail;' "$out/crash.txt" || fail "crash ISO failed, but not on the done case: $(head -1 "$out/crash.txt")"
grep -q 'faultprobe: CRASH' "$LOG" || fail "no CRASH line in the crash job's console log"
pass "(seed: $(head -1 "$out/seed.txt" | sed 's/^lava: //'), ${seed_s}s; crash ISO: done=fail, lava-run status 0, $(elapsed "$start")s)"
