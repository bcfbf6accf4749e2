#!/usr/bin/env bash
# Build the boot command-line fuzzer into build/fuzz/ and run it for a bounded
# time.  Usage: tests/fuzz/run-fuzz.sh [SECONDS]   (default 30)
#
# The seed corpus in tests/fuzz/corpus_cmdline/ is only read; new inputs go
# to build/fuzz/corpus_cmdline/, crash/timeout artifacts to
# build/fuzz/artifacts/.  Prints the execution count and whether a crash was
# found; exits non-zero on a crash (or a build failure).
set -euo pipefail

secs="${1:-30}"
if ! [[ "$secs" =~ ^[0-9]+$ ]] || [ "$secs" -lt 1 ]; then
	echo "run-fuzz.sh: SECONDS must be a positive integer, got '$secs'" >&2
	exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

CLANG="${CLANG:-clang}"
out=build/fuzz
bin="$out/fuzz_cmdline"
seeds=tests/fuzz/corpus_cmdline
work="$out/corpus_cmdline"
artifacts="$out/artifacts"
dict="$out/cmdline.dict"
log="$out/fuzz_cmdline.log"

command -v "$CLANG" >/dev/null || { echo "run-fuzz.sh: $CLANG not found" >&2; exit 2; }
mkdir -p "$out" "$work" "$artifacts"

"$CLANG" -std=gnu11 -O1 -g -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-I. tests/fuzz/fuzz_cmdline.c boot/cmdline.c probes/families.c probes/model/fmt.c \
	probes/model/matrix_desc.c probes/model/access.c -o "$bin" || {
	echo "run-fuzz.sh: build failed (is libclang_rt.fuzzer installed?" \
	     "apt-cache search libclang-rt)" >&2
	exit 2
}

# Dictionary of the grammar's tokens, so the fuzzer reaches every branch fast.
cat > "$dict" <<'EOF'
"sets="
"scenario="
"addr="
"repeat="
"quiet"
"exit="
"selftest="
"matrix="
"slice=edges+ring3,width=8"
"seed"
"matrix"
"frame"
"softframe"
"prot32"
"la57"
"fingerprint"
"vmcore-freelist"
"all"
"none"
"qemu"
"halt"
"reboot"
"auto"
"0x"
"0X"
"ffffffffffffffff"
"1000"
"1001"
","
"="
" "
"\x09"
"/boot/faultprobe.elf "
EOF

# Drop artifacts of earlier runs so only this run's findings count.
rm -f "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* \
      "$artifacts"/oom-* "$artifacts"/slow-unit-*

echo "fuzz_cmdline: running for ${secs}s (seeds: $seeds, corpus: $work)"
set +e
ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}" \
UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
	-dict="$dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
	"$work" "$seeds" >"$log" 2>&1
rc=$?
set -e

execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)"
if [ -z "$execs" ]; then
	# No final stats (the run died): take the last progress line.
	execs="$(grep -oE '^#[0-9]+' "$log" | tail -n1 | tr -d '#')"
fi
found="$(ls "$artifacts" 2>/dev/null | grep -E '^(crash|leak|timeout|oom)-' || true)"

echo "fuzz_cmdline: executions: ${execs:-unknown}"
echo "fuzz_cmdline: corpus: $(ls "$work" | wc -l) inputs; log: $log"
if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
	echo "fuzz_cmdline: CRASH FOUND (libFuzzer exit $rc)"
	for f in $found; do echo "  artifact: $artifacts/$f (reproduce: $bin $artifacts/$f)"; done
	grep -E 'ERROR: |SUMMARY: |runtime error' "$log" | head -n 5 | sed 's/^/  /'
	exit 1
fi
echo "fuzz_cmdline: crashes: 0"
