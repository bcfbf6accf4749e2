#!/bin/sh
# run-tests.sh — the whole suite: host unit tests, then boot tests.  The last
# line is the combined count.  With TAP=1 (make test TAP=1) the same run is
# printed as TAP 13 (tests/tap-results.sh: one test per unit test and per
# boot case, the count as the last comment), and kept in
# build/test/make-test.tap for tools/fpjunit.py.
if [ "${TAP:-}" = 1 ] && [ -z "${FP_TAP_INNER:-}" ]; then
	mkdir -p build/test
	rcfile=$(mktemp)
	{ FP_TAP_INNER=1 sh "$0" "$@" 2>&1; echo $? >"$rcfile"; } | tests/tap-results.sh | tee build/test/make-test.tap
	rc=$(cat "$rcfile")
	rm -f "$rcfile"
	exit "${rc:-1}"
fi
unit_out=$(mktemp)
{ tests/run-unit.sh "$@"; echo "exit-status $?"; } | tee "$unit_out" | grep -v '^exit-status '
unit_rc=$(sed -n 's/^exit-status //p' "$unit_out")
unit_rc=${unit_rc:-1}
boot_out=$(mktemp)
{ tests/boot/run-all.sh build/faultprobe.iso; echo "exit-status $?"; } | tee "$boot_out" | grep -v '^exit-status '
boot_rc=$(sed -n 's/^exit-status //p' "$boot_out")
boot_rc=${boot_rc:-1}
up=$(sed -n 's/^unit tests: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$unit_out")
uf=$(sed -n 's/^unit tests: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$unit_out")
bp=$(sed -n 's/^boot tests: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped/\1/p' "$boot_out")
bf=$(sed -n 's/^boot tests: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped/\2/p' "$boot_out")
bs=$(sed -n 's/^boot tests: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped/\3/p' "$boot_out")
rm -f "$unit_out" "$boot_out"
p=$(( ${up:-0} + ${bp:-0} ))
f=$(( ${uf:-1} + ${bf:-1} ))
[ "$unit_rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
[ "$boot_rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
echo "all tests: $p passed, $f failed, ${bs:-0} skipped"
[ "$f" -eq 0 ]
