#!/bin/sh
# sets=bench runs (make bench reads its records; no timing is asserted
# here): the fault round trip through faultprobe's fast fixup, the bare
# handler in the executor and in its own loop, each a median of runs that
# faulted (0 ticks would mean the fixup did not take the fault), their
# ratios, and the matrix rate.  The fast fixup resumes by a jump, not IRETQ
# (idt/isr.asm): this is the boot in which every record of it is a fault
# taken that way, where the TCG default run would also pass through the
# full path.
CASE=bench-set
. tests/boot/lib.sh
boot_kernel "sets=bench" tcg 120
explain_status
t=$TEST_DIR/$CASE.txt
tr -d '\r' <"$LOG" >"$t"
for name in fault-roundtrip fault-roundtrip-full bare-in-exec bare-handler; do
	v=$(sed -n "s/^bench name=$name runs=257 min_ticks=\([0-9]*\) median_ticks=\([0-9]*\) .*/\1 \2/p" "$t")
	[ -n "$v" ] || fail "no '$name' record with runs=257"
	set -- $v
	[ "$1" -gt 0 ] && [ "$2" -ge "$1" ] || fail "$name: min $1, median $2 ticks (a probe that did not fault counts 0)"
done
grep -q '^bench name=ratio median_over_bare=[0-9]*\.[0-9][0-9] min_over_bare=[0-9]*\.[0-9][0-9] median_over_bare_loop=[0-9]*\.[0-9][0-9] ' "$t" ||
	fail "no ratio record"
grep -q '^bench name=matrix probes=[1-9][0-9]* ticks_per_probe=[1-9]' "$t" || fail "no matrix rate record"
grep -q '^faultprobe: done .*unexpected=0' "$t" || fail "no clean 'faultprobe: done' line"
pass "($(sed -n 's/^bench name=ratio \(median_over_bare=[0-9.]*\).*\(median_over_bare_loop=[0-9.]*\).*/\1 \2/p' "$t") in this run; ${BOOT_SECONDS}s)"
