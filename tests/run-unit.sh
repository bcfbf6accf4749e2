#!/bin/sh
# run-unit.sh TEST... — run cmocka test binaries, print the combined count.
total_pass=0 total_fail=0 broken=0
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	# TAP=1 (make test TAP=1): every test's own verdict line too, for
	# tests/tap-results.sh.
	pat='^\[  (PASSED|FAILED)|^\[ *FAILED|ERROR|ASan|runtime error'
	[ "${TAP:-}" = 1 ] && pat="$pat|^\[       OK \]"
	echo "$out" | grep -E "$pat" | sed "s|^|$(basename "$t"): |"
	p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$(basename "$t"): exited $rc without reporting a failed test"
		echo "$out" | tail -20
		broken=$((broken + 1))
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
done
echo "unit tests: $total_pass passed, $((total_fail + broken)) failed"
[ "$total_fail" -eq 0 ] && [ "$broken" -eq 0 ]
