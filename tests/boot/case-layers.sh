#!/bin/sh
# The kernel's layers go one way (docs/architecture.md): no include and no
# symbol reference from a lower layer to a higher one, no circle between
# files (of includes, or of calls and data references), no host-only code in
# the kernel.  Needs the kernel's objects.
CASE=layers
. tests/boot/lib.sh
make -s build/faultprobe.elf >"$TEST_DIR/$CASE.make.txt" 2>&1 || fail "cannot build the kernel"
python3 tools/layers.py --objects build/k >"$TEST_DIR/$CASE.txt" 2>&1 || {
	grep '^layers: ' "$TEST_DIR/$CASE.txt" | head -10 | sed 's/^/  /'
	fail "$(tail -1 "$TEST_DIR/$CASE.txt")"
}
# The check must catch what it is for: an include upward, and a circle.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r probes idt report boot "$tmp/"
printf '#include "../report/report.h"\n' >>"$tmp/idt/trap.c"
python3 tools/layers.py --root "$tmp" >"$TEST_DIR/$CASE.up.txt" 2>&1 &&
	fail "an include from idt/ to report/ was not reported"
grep -q 'idt/trap.c (idt) includes report/report.h (report)' "$TEST_DIR/$CASE.up.txt" ||
	fail "the upward include was not named: $(tail -1 "$TEST_DIR/$CASE.up.txt")"
rm -rf "$tmp"/*
cp -r probes idt report boot "$tmp/"
printf '#include "facts.h"\n' >>"$tmp/report/rec.h"
printf '#include "rec.h"\n' >>"$tmp/report/facts.h"
python3 tools/layers.py --root "$tmp" >"$TEST_DIR/$CASE.circle.txt" 2>&1 &&
	fail "an include circle was not reported"
grep -q '^layers: circle: ' "$TEST_DIR/$CASE.circle.txt" || fail "the circle was not named"
# ... and calls in a circle (two files of one layer calling each other,
# as rules.c and rules_deliver.c did), from their objects.
rm -rf "$tmp"/*
mkdir -p "$tmp/probes" "$tmp/obj/probes"
printf 'void b(void);\nvoid a(void) { b(); }\n' >"$tmp/probes/ping.c"
printf 'void a(void);\nvoid b(void) { a(); }\n' >"$tmp/probes/pong.c"
gcc -c "$tmp/probes/ping.c" -o "$tmp/obj/probes/ping.o" && gcc -c "$tmp/probes/pong.c" -o "$tmp/obj/probes/pong.o" ||
	fail "cannot compile the planted call circle"
python3 tools/layers.py --root "$tmp" --objects "$tmp/obj" >"$TEST_DIR/$CASE.calls.txt" 2>&1 &&
	fail "a call circle was not reported"
grep -q '^layers: calls in a circle: probes/ping.c -> probes/pong.c (b); probes/pong.c -> probes/ping.c (a)' "$TEST_DIR/$CASE.calls.txt" ||
	fail "the call circle was not named: $(grep -m1 circle "$TEST_DIR/$CASE.calls.txt")"
pass "($(tail -1 "$TEST_DIR/$CASE.txt" | sed 's/^layers: //'); an upward include, an include circle and a call circle planted in a copy are caught)"
