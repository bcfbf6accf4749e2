#!/bin/sh
# docs-families.sh FILE [--check] — replace (or, with --check, compare) the
# text between <!-- families:begin --> and <!-- families:end --> in FILE
# with build/families' table of the family registry.
set -eu
file=$1
mode=${2:-write}
table=$(build/families)
new=$(awk -v table="$table" '
/<!-- families:begin -->/ { print; print table; skip = 1; next }
/<!-- families:end -->/ { skip = 0 }
!skip { print }' "$file")
grep -q '<!-- families:begin -->' "$file" || { echo "docs-families: no families:begin marker in $file" >&2; exit 2; }
if [ "$mode" = --check ]; then
	if [ "$new" != "$(cat "$file")" ]; then
		echo "docs-families: $file does not list the families of probes/families.def (make families-doc)" >&2
		exit 1
	fi
	exit 0
fi
printf '%s\n' "$new" > "$file.tmp" && mv "$file.tmp" "$file"
