#!/bin/sh
# tools/qemu-cmd.sh used as its header says — "serial on stdout" — must put
# the serial log on stdout (issue 14 #13: it passed no -serial, so with
# -display none the log went nowhere).  The other cases pass their own
# -serial file:..., which must keep working (they would fail otherwise).
CASE=qemu-cmd
. tests/boot/lib.sh
# The seed set alone: a 1-second boot.
iso=$TEST_DIR/faultprobe-seed-quiet.iso
tools/mkiso.sh build/faultprobe.elf "$iso" "sets=seed quiet" >/dev/null || fail "cannot build $iso"
LOG=$TEST_DIR/$CASE.log
start=$(date +%s.%N)
timeout 120 tools/qemu-cmd.sh "$iso" tcg bios -display none >"$LOG" 2>"$TEST_DIR/$CASE.stderr.txt" </dev/null
QEMU_STATUS=$?
limit=120
BOOT_SECONDS=$(echo "$(date +%s.%N) $start" | awk '{printf "%.2f", $1 - $2}')
explain_status
[ -s "$LOG" ] || fail "nothing on stdout: the serial log went nowhere"
grep -q '^faultprobe: done .*unexpected=0' "$LOG" || fail "no 'faultprobe: done ... unexpected=0' line on stdout"
pass "(${BOOT_SECONDS}s, $(grep -c '^probe ' "$LOG") probe records on stdout)"
