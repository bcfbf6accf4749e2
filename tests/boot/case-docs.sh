#!/bin/sh
# README.md lists the families the registry (probes/families.def) has, as
# build/families prints them; and the check notices a stale table.
CASE=docs
. tests/boot/lib.sh
make -s build/families >"$TEST_DIR/$CASE.make.txt" 2>&1 || fail "cannot build build/families"
tools/docs-families.sh README.md --check 2>"$TEST_DIR/$CASE.txt" || fail "$(cat "$TEST_DIR/$CASE.txt")"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
sed 's/^| `seed` |/| `seedx` |/' README.md >"$tmp"
tools/docs-families.sh "$tmp" --check 2>/dev/null && fail "a stale family table was not noticed"
pass "($(build/families | tail -n +3 | wc -l) families listed in README.md as probes/families.def has them)"
