#!/bin/sh
# run-all.sh ISO [CASE...] — run every tests/boot/case-*.sh (or the CASEs
# given); print one verdict line per case and the totals ("boot tests: ...",
# or "$RUN_ALL_LABEL tests: ...").  Exit non-zero if any case failed.
# TEST_JOBS cases run side by side (default: the number of CPUs, at most 2;
# QEMU TCG runs a guest on one host thread): each case's output is printed
# in one piece when it ends (tests/boot/run-one.sh), so verdict lines come
# in the order cases finish.  Each case's wall time goes to
# $TEST_DIR/case-times.txt, slowest first.
iso=${1:-build/faultprobe.iso}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- tests/boot/case-*.sh
TEST_DIR=${TEST_DIR:-build/test}
export TEST_DIR
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -gt 2 ] && [ -z "${TEST_JOBS:-}" ] && jobs=2
rm -rf "$TEST_DIR/run"
mkdir -p "$TEST_DIR/run"
# The slowest cases start first (tests/boot/slow-first lists them, from
# case-times.txt), so that no long case starts last while the other job
# idles; the rest follow in name order.
order=$TEST_DIR/run/order
: >"$order"
if [ -r tests/boot/slow-first ]; then
	grep -v '^#' tests/boot/slow-first | while read -r slow; do
		for c in "$@"; do [ "$(basename "$c" .sh)" = "$slow" ] && echo "$c"; done
	done >"$order"
fi
for c in "$@"; do grep -qxF "$c" "$order" || echo "$c"; done >>"$order"
xargs -P "$jobs" -I{} sh tests/boot/run-one.sh {} "$iso" <"$order"
pass=0 fail=0 skip=0
for c in "$@"; do
	name=$(basename "$c" .sh)
	rc=$(cat "$TEST_DIR/run/$name.rc" 2>/dev/null || echo 1)
	case $rc in
	0) pass=$((pass + 1)) ;;
	77) skip=$((skip + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
done
cat "$TEST_DIR"/run/*.t 2>/dev/null | sort -rn >"$TEST_DIR/case-times.txt"
echo "${RUN_ALL_LABEL:-boot} tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
