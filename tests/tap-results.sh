#!/bin/sh
# tap-results.sh — turn the output of tests/run-tests.sh (TAP=1) into TAP 13
# on stdout, the shape kvm-unit-tests prints, so CI that reads TAP (prove,
# TAP::Formatter::JUnit, tools/fpjunit.py) can take the project's own
# results:
#   BIN: [       OK ] NAME        ok N - unit.BIN: NAME
#   BIN: [  FAILED  ] NAME        not ok N - unit.BIN: NAME
#   BIN: exited R without ...     not ok N - unit.BIN: exited R
#   PASS CASE ...                 ok N - boot: CASE ...
#   FAIL CASE: WHY                not ok N - boot: CASE (YAML failure: WHY)
#   SKIP CASE: WHY                ok N - boot: CASE # SKIP WHY
# Every other line becomes a "# " comment; the plan comes last, then the
# "# all tests: ..." count.
awk '
function tap_text(s) { gsub(/\\/, "\\\\", s); gsub(/#/, "\\#", s); return s }
function yaml_q(s) { gsub(/\047/, "\047\047", s); return "\047" s "\047" }
function emit(ok, name, directive, why) {
	n++
	printf "%s %d - %s%s\n", ok ? "ok" : "not ok", n, tap_text(name), directive
	if (why != "")
		printf "  ---\n  failure: %s\n  ...\n", yaml_q(why)
	fflush()   # one verdict at a time, as the suite runs
}
BEGIN { print "TAP version 13" }
/^[a-z0-9_]+: \[       OK \] / {
	bin = $1; sub(/:$/, "", bin); name = $0; sub(/^[^]]*\] /, "", name)
	emit(1, "unit." bin ": " name, "", ""); next
}
/^[a-z0-9_]+: \[  FAILED  \] [a-z_]/ {
	bin = $1; sub(/:$/, "", bin); name = $0; sub(/^[^]]*\] /, "", name)
	if (name ~ /^[0-9]+ test/ || seen[bin, name]++) next
	emit(0, "unit." bin ": " name, "", "cmocka reported the test failed (see the lines above)"); next
}
/^[a-z0-9_]+: exited [0-9]+ without reporting a failed test/ {
	bin = $1; sub(/:$/, "", bin)
	emit(0, "unit." bin ": exited " $3, "", $0); next
}
/^PASS [^ ]+/ { name = $0; sub(/^PASS /, "", name); emit(1, "boot: " name, "", ""); next }
/^FAIL [^ ]+/ {
	name = $2; sub(/:$/, "", name); why = $0; sub(/^FAIL [^ ]+ ?/, "", why)
	emit(0, "boot: " name, "", why); next
}
/^SKIP [^ ]+/ {
	name = $2; sub(/:$/, "", name); why = $0; sub(/^SKIP [^ ]+ ?/, "", why)
	emit(1, "boot: " name, " # SKIP " tap_text(why), ""); next
}
/^all tests: / { total = $0; next }
{ print "# " $0 }
END {
	printf "1..%d\n", n
	if (total != "") print "# " total
}'
