#!/usr/bin/env bash
# Build fpexplain's libFuzzer target (ASan + UBSan) into build/fuzz/ and run
# it for a bounded time.  Usage: tests/fuzz/run-fuzz-fpexplain.sh [SECONDS]
# (default 30).  Seeds: every real oops in tests/explain/ (read only); new
# inputs go to build/fuzz/corpus_fpexplain/, findings to build/fuzz/artifacts_fpexplain/.
# Prints the execution count and whether a crash was found; exits non-zero on
# a crash (or a build failure).  Separate from run-fuzz.sh (the boot command
# line fuzzer) so either can change without the other.
set -euo pipefail

secs="${1:-30}"
if ! [[ "$secs" =~ ^[0-9]+$ ]] || [ "$secs" -lt 1 ]; then
	echo "run-fuzz-fpexplain.sh: SECONDS must be a positive integer, got '$secs'" >&2
	exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

CLANG="${CLANG:-clang}"
out=build/fuzz
bin="$out/fuzz_fpexplain"
work="$out/corpus_fpexplain"
artifacts="$out/artifacts_fpexplain"
dict="$out/fpexplain.dict"
log="$out/fuzz_fpexplain.log"

command -v "$CLANG" >/dev/null || { echo "run-fuzz-fpexplain.sh: $CLANG not found" >&2; exit 2; }
mkdir -p "$out" "$work" "$artifacts"

srcs=$(ls tools/fpexplain/*.c probes/model/*.c | grep -v 'tools/fpexplain/main.c')
# shellcheck disable=SC2086
"$CLANG" -std=gnu11 -O1 -g -fno-omit-frame-pointer -DFP_HOST \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-I. tests/fuzz/fuzz_fpexplain.c $srcs -lZydis -o "$bin" || {
	echo "run-fuzz-fpexplain.sh: build failed (libclang-rt-14-dev and libzydis-dev installed?)" >&2
	exit 2
}

# The formats' tokens, so the fuzzer reaches the parsers' branches fast.
cat > "$dict" <<'DICT'
"stack segment: 0000 [#1] SMP\x0a"
"general protection fault, probably for non-canonical address 0x6b6b6b6b6b6b6b6b: 0000 [#1]\x0a"
"BUG: unable to handle page fault for address: ffff888001000040\x0a"
"BUG: kernel NULL pointer dereference, address: 0000000000000000\x0a"
"#PF: error_code(0x0002) - not-present page\x0a"
"Oops: 0003 [#1] SMP\x0a"
"kernel stack overflow (double-fault): 0000 [#1]\x0a"
"invalid opcode: 0000 [#1] vector=6 #UD\x0a"
"RIP: 0010:"
"RIP: 0010:0x0\x0a"
"RIP: 0010:[<ffffffff8113f8a4>] f+0x1/0x2\x0a"
"Code: "
"<48>"
" 8b 5c 05 00"
"Code: Bad RIP value.\x0a"
"RSP: 0018:ffffc90000003e00 EFLAGS: 00010246\x0a"
"RAX: "
"RBP: "
"R15: "
"0072006900560338"
"ffffffffffffffff"
"FS:  0000000000000000(0000) GS:ffff888100000000(0000) knlGS:0000000000000000\x0a"
"CR2: 0000000000000000 CR3: 0000000001000000 CR4: 00000000003516f0\x0a"
"Call Trace:\x0a"
"---[ end trace 0000000000000000 ]---\x0a"
" #6 [ffffabfa4b0ebb80] stack_segment at ffffffff84a0108e\x0a"
" #7 [ffffabfa4b0ebc08] __kmalloc at ffffffff84287f8b\x0a"
"ffffabfa4b0ebc08: ffffffff84287f8b 0000000000000010\x0a"
"[exception RIP: __kmalloc+171]\x0a"
"0xffffffff84287f8b <__kmalloc+171>:     mov    0x0(%rbp,%rax,1),%rbx\x0a"
"hardware frame at 000000000022bfb8 on stack cur\x0a"
"> "
"<4>[  594.947036] "
"Feb 15 12:56:31 t44 kernel: "
"quoted-printable"
"=\x0a"
"=3D"
DICT

rm -f "$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-* "$artifacts"/slow-unit-*

echo "fuzz_fpexplain: running for ${secs}s (seeds: tests/explain, corpus: $work)"
set +e
ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}" \
UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
	-dict="$dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
	"$work" tests/explain >"$log" 2>&1
rc=$?
set -e

execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)"
[ -n "$execs" ] || execs="$(grep -oE '^#[0-9]+' "$log" | tail -n1 | tr -d '#')"
found="$(ls "$artifacts" 2>/dev/null | grep -E '^(crash|leak|timeout|oom)-' || true)"

echo "fuzz_fpexplain: executions: ${execs:-unknown}"
echo "fuzz_fpexplain: corpus: $(ls "$work" | wc -l) inputs; log: $log"
if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
	echo "fuzz_fpexplain: CRASH FOUND (libFuzzer exit $rc)"
	for f in $found; do echo "  artifact: $artifacts/$f (reproduce: $bin $artifacts/$f)"; done
	grep -E 'ERROR: |SUMMARY: |runtime error' "$log" | head -n 5 | sed 's/^/  /'
	exit 1
fi
echo "fuzz_fpexplain: crashes: 0"
