#!/bin/sh
# run-all.sh ISO [CASE...] — run every tests/boot/case-*.sh (or the CASEs
# given); print one verdict line per case and the totals ("boot tests: ...",
# or "$RUN_ALL_LABEL tests: ...").  Exit non-zero if any case failed.
iso=${1:-build/faultprobe.iso}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- tests/boot/case-*.sh
pass=0 fail=0 skip=0
for c in "$@"; do
	sh "$c" "$iso"
	case $? in
	0) pass=$((pass + 1)) ;;
	77) skip=$((skip + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
done
echo "${RUN_ALL_LABEL:-boot} tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
