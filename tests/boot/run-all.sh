#!/bin/sh
# run-all.sh ISO — run every tests/boot/case-*.sh; print one verdict line per
# case and the totals.  Exit non-zero if any case failed.
iso=${1:-build/faultprobe.iso}
pass=0 fail=0 skip=0
for c in tests/boot/case-*.sh; do
	sh "$c" "$iso"
	case $? in
	0) pass=$((pass + 1)) ;;
	77) skip=$((skip + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
done
echo "boot tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
