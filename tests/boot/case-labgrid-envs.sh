#!/bin/sh
# labgrid: the three environments (QEMU, lab bench, real PC) load with
# labgrid's own parser, bind what test_faultprobe.py asks for, and a broken
# one is refused (tools/lab/labgrid/test_environments.py).
CASE=labgrid-envs
. tests/boot/lib.sh
. tests/boot/lablib.sh
lab_need "labgrid (Debian package labgrid, Debian's /usr/bin/pytest)" /usr/bin/python3 -c 'import labgrid, pytest'
LOG=$TEST_DIR/$CASE.log
start=$(date +%s.%N)
timeout 120 /usr/bin/pytest -p no:cacheprovider -q -rf tools/lab/labgrid/test_environments.py >"$LOG" 2>&1 </dev/null ||
	fail "$(grep -E '^FAILED|^ERROR|error' "$LOG" | head -3 | tr '\n' ' ')"
summary=$(tail -1 "$LOG")
echo "$summary" | grep -q '^4 passed' || fail "expected 4 passed, pytest said: $summary"
pass "($(elapsed "$start")s, $summary)"
