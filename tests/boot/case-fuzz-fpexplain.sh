#!/bin/sh
# A short fuzz run of fpexplain's whole pipeline (libFuzzer with ASan+UBSan,
# FUZZ_CASE_SECONDS, default 2 here as for case-fuzz.sh; `make fuzz-fpexplain`
# runs 20 s, `make fuzz FUZZ_SECONDS=N` the long run).  Like case-fuzz.sh it
# skips only when clang's libFuzzer runtime is missing; a build failure or a
# finding fails.
CASE=fuzz-fpexplain
. tests/boot/lib.sh
command -v clang >/dev/null 2>&1 || skip "clang not installed (tools/deps.sh installs it)"
out=$TEST_DIR/$CASE.txt
probe_src=$TEST_DIR/fuzz-runtime-probe-fpx.c
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' >"$probe_src"
clang -fsanitize=fuzzer "$probe_src" -o "$TEST_DIR/fuzz-runtime-probe-fpx" >/dev/null 2>&1 ||
	skip "clang cannot link -fsanitize=fuzzer (libclang-rt-14-dev missing? tools/deps.sh installs it)"
tests/fuzz/run-fuzz-fpexplain.sh "${FUZZ_CASE_SECONDS:-2}" >"$out" 2>&1
rc=$?
[ $rc -eq 0 ] || fail "$(grep -m1 'CRASH FOUND\|run-fuzz-fpexplain.sh:' "$out") (see $out)"
pass "($(sed -n 's/^fuzz_fpexplain: executions: /executions: /p' "$out"), $(sed -n 's/^fuzz_fpexplain: corpus: \([0-9]* inputs\).*/corpus \1/p' "$out"), crashes: 0)"
