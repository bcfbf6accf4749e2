#!/bin/sh
# A short fuzz run of every libFuzzer target (`make fuzz`: ASan+UBSan on the
# boot command-line parser, the log line parser and record contract,
# fpdiff's and fpcheck's cores), FUZZ_CASE_SECONDS each (default 2; `make
# fuzz FUZZ_SECONDS=N` is the long run).  Not a boot, but it belongs to
# "boot options and logs are safe on any input".  Skips only when clang's
# libFuzzer runtime is missing.
CASE=fuzz
. tests/boot/lib.sh
command -v clang >/dev/null 2>&1 || skip "clang not installed (tools/deps.sh installs it)"
out=$TEST_DIR/$CASE.txt
# Is libFuzzer's runtime there at all?  Only its absence is a reason to skip;
# a build failure of the real target (a compile error in boot/cmdline.c) fails.
probe_src=$TEST_DIR/fuzz-runtime-probe.c
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' >"$probe_src"
clang -fsanitize=fuzzer "$probe_src" -o "$TEST_DIR/fuzz-runtime-probe" >/dev/null 2>&1 ||
	skip "clang cannot link -fsanitize=fuzzer (libclang-rt-14-dev missing? tools/deps.sh installs it)"
FUZZ_OUT=$TEST_DIR/fuzz tests/fuzz/run-fuzz.sh "${FUZZ_CASE_SECONDS:-2}" >"$out" 2>&1
rc=$?
[ $rc -eq 0 ] || fail "$(grep -m1 'CRASH FOUND\|run-fuzz.sh:' "$out") (see $out)"
per=$(sed -n 's/^fuzz_\([a-z]*\): executions: \(.*\)/\1 \2/p' "$out" | tr '\n' ',' | sed 's/,$//; s/,/, /g')
pass "(executions: $per; crashes: 0)"
