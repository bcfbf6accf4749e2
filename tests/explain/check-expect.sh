#!/bin/sh
# check-expect.sh FPEXPLAIN FILE — run fpexplain on FILE and compare its
# machine lines with the hand-written expectations at the top of FILE:
#   # expect: key=value key="quoted value" ...     (report 1)
#   # expect[N]: ...                               (report N)
#   # expect-reports: N                            (how many reports)
# Every key=value must appear as written in that report's "explain" line.
# Prints one line per mismatch and "ok FILE (N reports, K keys)" at the end;
# exits 1 on any mismatch.
bin=$1 file=$2
out=$("$bin" "$file" 2>&1)
rc=$?
printf '%s\n' "$out" | grep '^explain ' | awk -v file="$file" -v rc="$rc" '
FNR == NR { n++; line[n] = " " substr($0, 9) " "; next }
/^# expect-reports: / {
	want = $3 + 0
	if (want != n) { printf "%s: %d reports, want %d\n", file, n, want; bad = 1 }
	next
}
/^# expect(\[[0-9]+\])?: / {
	k = 1
	if (match($0, /\[[0-9]+\]/)) k = substr($0, RSTART + 1, RLENGTH - 2) + 0
	rest = substr($0, index($0, ": ") + 2)
	if (!(k in line)) { printf "%s: no report %d (fpexplain exit %d)\n", file, k, rc; bad = 1; next }
	# split on blanks outside double quotes
	tok = ""; inq = 0
	for (i = 1; i <= length(rest) + 1; i++) {
		c = (i <= length(rest)) ? substr(rest, i, 1) : " "
		if (c == "\"" && substr(rest, i - 1, 1) != "\\") inq = !inq
		if (c == " " && !inq) {
			if (tok != "") {
				keys++
				if (index(line[k], " " tok " ") == 0) {
					split(tok, kv, "=")
					got = "(missing)"
					if (match(line[k], " " kv[1] "=(\"[^\"]*\"|[^ ]*)"))
						got = substr(line[k], RSTART + 1, RLENGTH - 1)
					printf "%s: report %d: want %s, got %s\n", file, k, tok, got
					bad = 1
				}
			}
			tok = ""
		} else tok = tok c
	}
}
END {
	if (!bad) printf "ok %s (%d reports, %d keys)\n", file, n, keys
	exit bad
}' - "$file"
