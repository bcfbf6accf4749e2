#!/bin/sh
# make truth: docs/platforms.md and docs/platforms.svg are regenerated from
# the reference logs (tests/ref/references) into build/test and must equal
# the committed ones (run `make truth` after changing a reference or a
# model); the SVG, rendered by rsvg-convert (librsvg2-bin), must not be
# blank: the #SS, #GP and #PF colours each cover a real area, and the picture
# has more than a handful of colours.  $1 (the ISO) is not used.
CASE=truth
. tests/boot/lib.sh
command -v rsvg-convert >/dev/null || fail "rsvg-convert missing: install librsvg2-bin (tools/deps.sh)"
make -s build/truth build/pngcount >"$TEST_DIR/$CASE.make.txt" 2>&1 ||
	fail "cannot build build/truth or build/pngcount (see $TEST_DIR/$CASE.make.txt)"
md=$TEST_DIR/platforms.md svg=$TEST_DIR/platforms.svg png=$TEST_DIR/platforms.png
build/truth tests/ref/references "$md" "$svg" >"$TEST_DIR/$CASE.txt" 2>&1 || fail "build/truth failed: $(tail -1 "$TEST_DIR/$CASE.txt")"
cmp -s "$md" docs/platforms.md || fail "docs/platforms.md is stale: run make truth (diff $md docs/platforms.md)"
cmp -s "$svg" docs/platforms.svg || fail "docs/platforms.svg is stale: run make truth"
grep -q '<script' "$svg" && fail "the SVG holds a script"
rsvg-convert -o "$png" "$svg" 2>"$TEST_DIR/$CASE.rsvg.txt" || fail "rsvg-convert cannot render it: $(head -1 "$TEST_DIR/$CASE.rsvg.txt")"
build/pngcount "$png" '#d62728' '#f5a623' '#1f77b4' >"$TEST_DIR/$CASE.png.txt" || fail "cannot read $png"
for c in d62728:#SS f5a623:#GP 1f77b4:#PF; do
	n=$(sed -n "s/^#${c%%:*} //p" "$TEST_DIR/$CASE.png.txt")
	[ "${n:-0}" -ge 2000 ] || fail "the ${c#*:} colour covers ${n:-0} pixels: blank or broken picture"
done
set -- $(tail -1 "$TEST_DIR/$CASE.png.txt")
w=$1 h=$2 distinct=${3#distinct=} nonwhite=${4#nonwhite=}
[ "$distinct" -ge 8 ] || fail "only $distinct colours in the rendered picture"
[ $((nonwhite * 10)) -ge $((w * h)) ] || fail "only $nonwhite of $((w * h)) pixels are not white"
rows=$(sed -n 's/^## Every cell where platforms differ (\([0-9]*\))$/\1/p' docs/platforms.md)
pass "(docs/platforms.md up to date: ${rows:-?} cells where platforms differ; SVG ${w}x${h}, $distinct colours, $nonwhite non-white pixels)"
