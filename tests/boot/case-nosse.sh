#!/bin/sh
# A CPU without SSE/SSE2 (issue 14 #9: `-cpu qemu64,-sse,-sse2` ended the
# run with status 37, LFENCE raising #UD, and the 16-byte MOVUPS probes
# recorded #UD as disagreements).  Every instruction beyond the baseline is
# gated on its CPUID bit: LFENCE (SSE2) in the TSC reads and the bench set,
# MOVUPS (SSE) in the matrix and straddle sets, VMOVUPS (AVX), and the align
# family's MOVAPS (SSE), MOVDQA (SSE2), VEX forms, CMPXCHG16B, FXSAVE.
CASE=nosse
. tests/boot/lib.sh
boot_kernel "sets=seed,matrix,straddle,fingerprint,bench matrix=slice=width-seg,width=8+16+32,form=rbp" \
	tcg 180 -cpu qemu64,-sse,-sse2
explain_status
t=$TEST_DIR/$CASE.txt
tr -d '\r' <"$LOG" >"$t"
grep -q '^matrix: SSE not usable, width-16 (movups xmm) probes skipped: CPUID.1:EDX.SSE\[25\]=0' "$t" ||
	fail "no note that the width-16 probes are skipped"
grep -q '^matrix: AVX not usable' "$t" || fail "no note that the width-32 probes are skipped"
grep -q '^bench: skipped: LFENCE needs SSE2' "$t" || fail "the bench set was not skipped"
! grep -q '^probe .* width=\(16\|32\) ' "$t" || fail "16- or 32-byte probes ran on a CPU without SSE/AVX"
! grep -q '^probe .* vector=#UD ' "$t" || fail "a probe raised #UD: $(grep -m1 '^probe .* vector=#UD ' "$t" | cut -c1-160)"
m=$(grep -c '^probe .* set=matrix ' "$t")
s=$(grep -c '^probe .* set=straddle ' "$t")
[ "$m" -gt 0 ] && [ "$s" -gt 0 ] || fail "matrix ($m) or straddle ($s) ran no probe"
grep -q '^fingerprint verdict=' "$t" || fail "the fingerprint set did not finish"
grep -q '^faultprobe: done .*unexpected=0' "$t" || fail "no clean 'faultprobe: done' line"
first=$BOOT_SECONDS
# The whole default run on that CPU: no crash, every record as the tcg
# model says for a CPU with these features (a #UD only where the rule
# gives one: wrfsbase/wrgsbase without FSGSBASE).
boot_kernel "" tcg 180 -cpu qemu64,-sse,-sse2
explain_status
grep -q '^faultprobe: done .*unexpected=0' "$LOG" || fail "default run on qemu64,-sse,-sse2: no clean 'faultprobe: done' line"
# the align family: MOVAPS (SSE), MOVDQA (SSE2), the VEX forms (AVX) named
# as skipped, none of them run
grep -q '^align: movaps probes skipped: CPUID.1:EDX.SSE\[25\]=0' "$LOG" &&
	grep -q '^align: movdqa probes skipped: CPUID.1:EDX.SSE2\[26\]=0' "$LOG" ||
	fail "default run on qemu64,-sse,-sse2: the align family did not say that it skipped movaps/movdqa"
! grep -q '^probe .* set=align .*insn=\(movaps\|movdqa\|vmov\)' "$LOG" ||
	fail "an align probe of an SSE/AVX instruction ran on a CPU without it"
build/fpcheck --platform auto "$LOG" >"$TEST_DIR/$CASE.fpcheck.txt" 2>&1 ||
	fail "default run on qemu64,-sse,-sse2 differs from the tcg model: $(grep -m1 'differs\|unknown' "$TEST_DIR/$CASE.fpcheck.txt")"
all=$(grep -c '^probe ' "$LOG")
pass "(-cpu qemu64,-sse,-sse2: $m matrix + $s straddle probes at widths 1..8, no #UD, ${first}s; the default run: $all probes, every record as the tcg model says)"
