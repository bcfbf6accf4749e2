#!/bin/sh
# make test TAP=1: the project's own results as TAP 13 (issue 12 section 1).
# tests/run-unit.sh (TAP=1) + tests/tap-results.sh on two real unit test
# binaries must give one passing TAP test per cmocka test that prove
# accepts; a canned run with a failing unit test, a failing, a passing and a
# skipped boot case must fail under prove with exactly those verdicts.
CASE=tap-runner
. tests/boot/lib.sh
command -v prove >/dev/null || fail "prove missing (package perl)"
dir=$TEST_DIR/tap-runner
mkdir -p "$dir"
bins="build/tests/test_logparse build/tests/test_record_contract"
for b in $bins; do [ -x "$b" ] || fail "$b missing (make unit)"; done
# shellcheck disable=SC2086
TAP=1 sh tests/run-unit.sh $bins | sh tests/tap-results.sh >"$dir/unit.tap"
want=0
for b in $bins; do want=$((want + $("$b" 2>&1 | grep -c '^\[       OK \]'))); done
got=$(grep -c '^ok [0-9]* - unit\.' "$dir/unit.tap")
[ "$got" = "$want" ] && [ "$want" -gt 0 ] || fail "unit TAP has $got passing tests, the binaries ran $want"
prove -e cat "$dir/unit.tap" >"$dir/prove-unit.txt" 2>&1 || fail "prove fails on the unit TAP: $(tail -2 "$dir/prove-unit.txt" | tr '\n' ' ')"

printf '%s\n' 'test_a: [       OK ] test_x' 'test_a: [  FAILED  ] test_y' \
	'test_a: [  FAILED  ] 1 test(s), listed below:' 'test_a: [  FAILED  ] test_y' \
	'unit tests: 1 passed, 1 failed' 'PASS tcg-bios (2.00s, 2829 probe records)' \
	'FAIL crash: QEMU status 0, want 37 # not a directive' '  (log: build/test/crash.log)' \
	'SKIP kvm-bios: /dev/kvm is missing' 'boot tests: 1 passed, 1 failed, 1 skipped' \
	'all tests: 2 passed, 2 failed, 1 skipped' | sh tests/tap-results.sh >"$dir/canned.tap"
if prove -e cat "$dir/canned.tap" >"$dir/prove-canned.txt" 2>&1; then
	fail "prove passes a run with two failures"
fi
grep -q 'Failed tests:  2, 4' "$dir/prove-canned.txt" || fail "prove did not fail exactly tests 2 and 4: $(grep Failed "$dir/prove-canned.txt")"
grep -q '^ok 5 - boot: kvm-bios # SKIP /dev/kvm is missing$' "$dir/canned.tap" || fail "the SKIP case is not a TAP skip"
[ "$(tail -1 "$dir/canned.tap")" = "# all tests: 2 passed, 2 failed, 1 skipped" ] || fail "the count is not the last line"
grep -qx '1\.\.5' "$dir/canned.tap" || fail "no plan 1..5"
pass "($want unit tests as TAP pass under prove; a canned run fails exactly its 2 failures, keeps its skip and the count line)"
