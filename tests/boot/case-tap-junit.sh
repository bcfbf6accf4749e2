#!/bin/sh
# TAP 13 and JUnit XML for CI (issue 12 section 1), on real TCG logs of the
# seed set:
#   - build/fpcheck --tap on a good log: prove passes; one test per probe
#     record plus one for the run; the disagreements with the manuals the
#     kernel counts ("disagreements ... N of M") are all "ok" with
#     agrees: 'no' and a deviation name in their YAML (a finding is not a
#     failure);
#   - prove fails on a truncated log (no done line, a cut record named
#     malformed) and on a crash log (selftest=crash: unexpected=1);
#   - tools/fpjunit.py turns each TAP stream (and a log directly) into JUnit
#     XML that validates against tests/junit.xsd, whose classname/name are
#     the probe's set and cell, and in which junitparser counts the same
#     cases, failures and skips as the TAP; the schema rejects an element
#     GitLab does not read.
CASE=tap-junit
. tests/boot/lib.sh
for t in prove xmllint /usr/bin/python3; do
	command -v "$t" >/dev/null || fail "$t missing (tools/deps.sh installs it)"
done
/usr/bin/python3 -c 'import junitparser, tap, yaml' 2>/dev/null ||
	fail "python3-junitparser, python3-tap or python3-yaml missing (tools/deps.sh installs them)"
dir=$TEST_DIR/tap-junit
rm -rf "$dir"
mkdir -p "$dir"

# Two small real runs: the seed set, and a crash.
tools/mkiso.sh build/faultprobe.elf "$dir/seed.iso" "sets=seed" >/dev/null || fail "cannot build the seed ISO"
tools/mkiso.sh build/faultprobe.elf "$dir/crash.iso" "sets=none selftest=crash" >/dev/null || fail "cannot build the crash ISO"
CASE=tap-junit-seed boot_iso "$dir/seed.iso" tcg bios 60
[ "$QEMU_STATUS" -eq 33 ] || fail "seed boot: QEMU status $QEMU_STATUS"
CASE=tap-junit-crash boot_iso "$dir/crash.iso" tcg bios 60
[ "$QEMU_STATUS" -eq 37 ] || fail "crash boot: QEMU status $QEMU_STATUS, want 37"
CASE=tap-junit
seed=$TEST_DIR/tap-junit-seed.log
crash=$TEST_DIR/tap-junit-crash.log
# Truncated: the first 20 probe records, then half of the 21st.
awk '/^probe /{n++} n == 21 { print substr($0, 1, 150); exit } { print }' "$seed" >"$dir/truncated.log"

build/fpcheck --tap --strict "$seed" tests/expect/tcg/seed.expect >"$dir/seed.tap" 2>"$dir/seed.err" ||
	fail "fpcheck --tap --strict failed on the seed log: $(tail -1 "$dir/seed.err")"
build/fpcheck --tap --strict "$dir/truncated.log" tests/expect/tcg/seed.expect >"$dir/truncated.tap" 2>/dev/null
build/fpcheck --tap "$crash" >"$dir/crash.tap" 2>/dev/null

prove -e cat "$dir/seed.tap" >"$dir/prove-seed.txt" 2>&1 || fail "prove fails on the good log: $(tail -3 "$dir/prove-seed.txt" | tr '\n' ' ')"
for bad in truncated crash; do
	if prove -e cat "$dir/$bad.tap" >"$dir/prove-$bad.txt" 2>&1; then
		fail "prove passes on the $bad log"
	fi
done
if grep -q 'Parse errors' "$dir"/prove-*.txt; then
	fail "prove cannot parse the TAP: $(grep -h 'Parse errors' "$dir"/prove-*.txt | head -1)"
fi
grep -q '^not ok [0-9]* - run: faultprobe done' "$dir/truncated.tap" || fail "truncated log: the run test did not fail"
grep -q '^not ok [0-9]* - malformed: log line' "$dir/truncated.tap" || fail "truncated log: the cut record is not named malformed"
grep -q "failure: 'unexpected=1" "$dir/crash.tap" || fail "crash log: the run test does not say unexpected=1"

probes=$(grep -c '^probe ' "$seed")
plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$dir/seed.tap")
[ "$plan" = $((probes + 1)) ] || fail "plan 1..$plan, want $((probes + 1)) ($probes probe records + the run)"
# The kernel's own count of disagreements, and the TAP's findings.
dis=$(sed -n "s/^faultprobe: platform=[a-z-]* disagreements with the manuals' rules: \([0-9]*\) of .*/\1/p" "$seed" | tr -d '\r')
found=$(grep -c "^  agrees: 'no'" "$dir/seed.tap")
[ -n "$dis" ] && [ "$dis" = "$found" ] || fail "the log counts ${dis:-?} disagreements, the TAP carries $found agrees: 'no'"
named=$(grep -c "^  deviation: '" "$dir/seed.tap")
[ "$named" = "$found" ] || fail "$found findings but $named deviation names in the YAML"
grep -A12 '^ok [0-9]* - seed: .*base=rbp .*addr=0x0000800000000000 ' "$dir/seed.tap" | grep -q "deviation: 'tcg-noncanonical-gp'" ||
	fail "the rbp 0x0000800000000000 probe (TCG #GP, manuals #SS) is not ok with deviation tcg-noncanonical-gp"

# TAP -> JUnit; a log -> JUnit directly.
count_tap() {   # tests failures skipped of a TAP file
	awk '/^ok [0-9]/ { n++; if (/ # SKIP/) s++ }
	     /^not ok [0-9]/ { n++; if (/ # TODO/) s++; else f++ }
	     END { printf "%d %d %d", n, f, s }' "$1"
}
count_junit() {
	/usr/bin/python3 - "$1" <<'PY'
import sys
from junitparser import JUnitXml, Failure, Skipped
n = f = s = 0
for suite in JUnitXml.fromfile(sys.argv[1]):
    for case in suite:
        n += 1
        f += any(isinstance(r, Failure) for r in case.result)
        s += any(isinstance(r, Skipped) for r in case.result)
print("%d %d %d" % (n, f, s), end="")
PY
}
for t in seed truncated crash; do
	/usr/bin/python3 tools/fpjunit.py -o "$dir/$t.xml" "$dir/$t.tap" 2>"$dir/$t.junit.err" ||
		fail "fpjunit.py failed on $t.tap: $(tail -1 "$dir/$t.junit.err")"
	xmllint --noout --schema tests/junit.xsd "$dir/$t.xml" >"$dir/$t.xmllint.txt" 2>&1 ||
		fail "$t.xml does not validate against tests/junit.xsd: $(head -2 "$dir/$t.xmllint.txt" | tr '\n' ' ')"
	tap_counts=$(count_tap "$dir/$t.tap")
	junit_counts=$(count_junit "$dir/$t.xml")
	[ "$tap_counts" = "$junit_counts" ] ||
		fail "$t: TAP has tests/failures/skips $tap_counts, junitparser counts $junit_counts"
done
/usr/bin/python3 tools/fpjunit.py --log "$seed" --strict -o "$dir/seed-log.xml" tests/expect/tcg/seed.expect ||
	fail "fpjunit.py --log failed"
xmllint --noout --schema tests/junit.xsd "$dir/seed-log.xml" 2>/dev/null || fail "seed-log.xml does not validate"
[ "$(count_junit "$dir/seed-log.xml")" = "$(count_tap "$dir/seed.tap")" ] || fail "fpjunit.py --log counts differ from the TAP's"
grep -q '<testcase name="op=load base=rbp index=rax seg=none width=8 cpl=0 paging=4 adjust=0 addr=0x0000800000000000" classname="seed"' "$dir/seed.xml" ||
	fail "no testcase with classname=seed and the cell as name"
# The schema is not vacuous: an <error> element (GitLab reads failures only) fails it.
sed 's|<testcase \(name="[^"]*" classname="[^"]*"\)>|<testcase \1><error message="x"/>|' "$dir/seed.xml" >"$dir/bad.xml"
if xmllint --noout --schema tests/junit.xsd "$dir/bad.xml" >/dev/null 2>&1; then
	fail "tests/junit.xsd accepts an <error> element"
fi
# With the platform model (--platform auto): every probe record is judged
# by the tcg model, no expectation row needed; a record whose vector is
# changed by hand (a well-formed #GP where TCG gave #PF) is a failure
# naming the model's cell.
build/fpcheck --tap --strict --platform auto "$seed" >"$dir/model.tap" 2>"$dir/model.err" ||
	fail "fpcheck --tap --platform auto fails on the seed log: $(grep -m1 '^not ok' "$dir/model.tap")"
prove -e cat "$dir/model.tap" >/dev/null 2>&1 || fail "prove fails on the model-judged seed log"
mok=$(grep -c '^  model: .match.' "$dir/model.tap")
[ "$mok" -gt 0 ] || fail "no test carries the model's verdict"
sed '/^probe id=1 /s/vector=#PF err=0x0 cr2=0x[0-9a-f]* /vector=#GP err=0x0 cr2=- /' "$seed" >"$dir/tampered.log"
grep -q '^probe id=1 .* vector=#GP err=0x0 cr2=- ' "$dir/tampered.log" || fail "could not tamper with record 1"
if build/fpcheck --tap --strict --platform auto "$dir/tampered.log" >"$dir/tampered.tap" 2>/dev/null; then
	fail "a tampered vector passes fpcheck --platform auto"
fi
grep -A12 '^not ok 1 ' "$dir/tampered.tap" | grep -q "failure: 'differs from the platform model: vector=#GP (model: #PF)" ||
	fail "the tampered record's failure does not name the model's cell"
pass "(seed: $plan tests, $found findings all ok; truncated and crash logs fail under prove; 4 JUnit files validate, junitparser counts match: seed $(count_tap "$dir/seed.tap"), crash $(count_tap "$dir/crash.tap"))"
