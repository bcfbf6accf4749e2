#!/bin/sh
# mkexpect.sh LOG SET — draft tests/expect/linux-user-<vendor>/<SET>.expect
# rows (docs/testing.md) from a faultprobe-user log.
#
# Only a draft: every row must first be checked against the manuals' rule.
# Rows whose record says agrees=yes carry the rule model's verdict (itself
# unit-tested against the SDM/APM, and recomputed by `fpcheck --lint`).
# Rows with agrees=no get "# DEVIATION FIXME" and the script exits 1, so a
# deviation is never recorded without a name and a reason written by hand
# (docs/deviations.md).
#
# Identity keys: seed/addr sets: set base addr (as tests/expect/tcg);
# matrix: set op base index seg width addr (unique per the iterator).
set -eu
log=$1 set=$2
[ -r "$log" ] || { echo "mkexpect.sh: cannot read $log" >&2; exit 2; }
awk -v set="$set" '
function kv(line,   i, n, w, p) {
	delete v
	n = split(line, w, " ")
	for (i = 2; i <= n; i++) {
		p = index(w[i], "=")
		if (p) v[substr(w[i], 1, p - 1)] = substr(w[i], p + 1)
	}
}
$1 == "probe" {
	kv($0)
	if (v["set"] != set) next
	if (set == "matrix")
		id = "set=" v["set"] " op=" v["op"] " base=" v["base"] " index=" v["index"] \
		     " seg=" v["seg"] " width=" v["width"] " addr=" v["addr"]
	else
		id = "set=" v["set"] " base=" v["base"] " addr=" v["addr"]
	as = "cpl=" v["cpl"] " paging=" v["paging"] " vector=" v["vector"] " err=" v["err"] \
	     " cr2=" v["cr2"] " rule=" v["rule"] " rule_err=" v["rule_err"] " agrees=" v["agrees"] \
	     " rip_at=" v["rip_at"] " saved_rsp=" v["saved_rsp"]
	if (set != "matrix")
		as = "op=" v["op"] " width=" v["width"] " index=" v["index"] " seg=" v["seg"] " " as \
		     " cs=" v["cs"] " ss=" v["ss"] " rflags=" v["rflags"]
	line = "probe " id " | " as
	if (v["agrees"] == "no") { line = line "  # DEVIATION FIXME: name it and say why"; bad++ }
	print line
	rows++
}
END {
	if (!rows) { print "mkexpect.sh: no " set " records" > "/dev/stderr"; exit 2 }
	if (bad) { print "mkexpect.sh: " bad " rows disagree with the rule: name them by hand" > "/dev/stderr"; exit 1 }
}' "$log"
