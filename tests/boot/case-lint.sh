#!/bin/sh
# Lint every expectation file, whichever platforms this machine can boot:
# rule= and rule_err= recomputed with the rule model, agrees= consistent
# with them, every disagreement named after a docs/deviations.md heading.
CASE=lint
. tests/boot/lib.sh
[ -x build/fpcheck ] || fail "build/fpcheck missing (make build/fpcheck)"
out=$TEST_DIR/lint.txt
build/fpcheck --lint tests/expect/*/*.expect >"$out" 2>&1 || {
	sed 's/^/  /' "$out" | head -20
	fail "$(tail -1 "$out")"
}
pass "($(ls tests/expect/*/*.expect | wc -l) files: $(tail -1 "$out" | sed 's/^fpcheck: lint: //'))"
