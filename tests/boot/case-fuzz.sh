#!/bin/sh
# A short fuzz run of the boot command-line parser (`make fuzz`: libFuzzer
# with ASan+UBSan on boot/cmdline.c, FUZZ_SECONDS, default 20).  Not a boot,
# but it belongs to "boot options work on any input".  Skips when clang's
# libFuzzer runtime is missing.
CASE=fuzz
. tests/boot/lib.sh
command -v clang >/dev/null 2>&1 || skip "clang not installed (tools/deps.sh installs it)"
out=$TEST_DIR/$CASE.txt
tests/fuzz/run-fuzz.sh "${FUZZ_SECONDS:-20}" >"$out" 2>&1
rc=$?
if [ $rc -eq 2 ] && grep -q 'build failed' "$out"; then
	skip "cannot build the fuzzer (libclang-rt missing?): $(tail -1 "$out")"
fi
[ $rc -eq 0 ] || fail "$(grep -m1 'CRASH FOUND\|run-fuzz.sh:' "$out") (see $out)"
pass "($(sed -n 's/^fuzz_cmdline: executions: /executions: /p' "$out"), $(sed -n 's/^fuzz_cmdline: corpus: \([0-9]* inputs\).*/corpus \1/p' "$out"), crashes: 0)"
