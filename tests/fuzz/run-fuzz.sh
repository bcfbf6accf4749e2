#!/usr/bin/env bash
# Build the libFuzzer targets into build/fuzz/ (with make) and run each for
# a bounded time.  Usage: tests/fuzz/run-fuzz.sh [SECONDS] [TARGET...]
#   SECONDS  per target (default 30)
#   TARGET   cmdline logparse fpdiff fpcheck (default: all of them)
#     cmdline   the boot command-line parser (boot/cmdline.c)
#     logparse  the log line parser and the record contract (tools/logparse.c,
#               tools/record_contract.c)
#     fpdiff    two logs loaded and compared (tools/fpdiff_core.c)
#     fpcheck   a log checked against expectations, TAP written
#               (tools/fpcheck_core.c, with the rule model)
#
# Each target's seed corpus tests/fuzz/corpus_TARGET/ (from real logs) is
# only read; new inputs go to $FUZZ_OUT/corpus_TARGET/, crash/timeout
# artifacts to $FUZZ_OUT/artifacts/TARGET-* (FUZZ_OUT defaults to
# build/fuzz).  Prints per target the executions and the crashes found,
# then one line for all; exits non-zero on a crash (or a build failure).
set -euo pipefail

secs="${1:-30}"
if ! [[ "$secs" =~ ^[0-9]+$ ]] || [ "$secs" -lt 1 ]; then
	echo "run-fuzz.sh: SECONDS must be a positive integer, got '$secs'" >&2
	exit 2
fi
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(cmdline logparse fpdiff fpcheck)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

CLANG="${CLANG:-clang}"
# FUZZ_OUT: where corpora, logs and artifacts go (default build/fuzz; the
# binaries are always build/fuzz/fuzz_*).  make test uses its own, so a
# short run neither reads a long run's big corpus nor clobbers its log.
out="${FUZZ_OUT:-build/fuzz}"
artifacts="$out/artifacts"
command -v "$CLANG" >/dev/null || { echo "run-fuzz.sh: $CLANG not found" >&2; exit 2; }
mkdir -p "$out" "$artifacts"

known() {
	case $1 in
	cmdline | logparse | fpdiff | fpcheck) return 0 ;;
	*) return 1 ;;
	esac
}

# Dictionaries: the grammar's tokens, so the fuzzer reaches every branch fast.
write_dicts() {
	cat > "$out/cmdline.dict" <<'DICT'
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
DICT
	cat > "$out/log.dict" <<'DICT'
"probe "
"skip "
"frame "
"prot32 "
"softframe "
"fingerprint "
"la57 "
"faultprobe: done probes="
" faults="
" unexpected="
"id="
" set="
" slice="
" op="
" base="
" index="
" seg="
" width="
" cpl="
" paging="
" adjust="
" addr="
" vector="
" err="
" cr2="
" rip="
" cs="
" rflags="
" rsp="
" ss="
" pre_rsp="
" frame="
" stack="
" rip_at="
" saved_rsp="
" handler_ss="
" value="
" rule="
" rule_err="
" agrees="
" platform="
" reason="
"0x0000800000000000"
"0x00007ffffffffff9"
"0x"
"#SS"
"#GP"
"#PF"
"#UD"
"vec15"
"none"
"yes"
"no"
"-"
"rbp"
"r15"
"rax"
"load"
"push"
"seed"
"matrix"
"tcg"
"linux-user"
"\x0d\x0d\x0a"
"\x0a"
" | "
"# DEVIATION tcg-straddle-pf: x"
"# pages: linux-user"
"summary probes="
"\x0a====\x0a"
"\x0a%%\x0a"
DICT
}
write_dicts

total_execs=0 total_crashes=0 status=0
for t in "${targets[@]}"; do
	known "$t" || { echo "run-fuzz.sh: unknown target '$t'" >&2; exit 2; }
	bin="build/fuzz/fuzz_$t"
	seeds="tests/fuzz/corpus_$t"
	work="$out/corpus_$t"
	log="$out/fuzz_$t.log"
	dict="$out/log.dict"
	[ "$t" = cmdline ] && dict="$out/cmdline.dict"
	mkdir -p "$work"
	# The Makefile builds it (sources: FUZZ_SRCS_* there).
	make -s -j2 FUZZ_CC="$CLANG" "$bin" || {
		echo "run-fuzz.sh: build of fuzz_$t failed (is libclang_rt.fuzzer installed?" \
		     "apt-cache search libclang-rt)" >&2
		exit 2
	}
	# Drop artifacts of earlier runs so only this run's findings count.
	rm -f "$artifacts/$t-"*
	echo "fuzz_$t: running for ${secs}s (seeds: $seeds, corpus: $work)"
	set +e
	# A 16 MB quarantine (default 256 MB): freed memory is reused sooner, so
	# fewer fresh pages are faulted in; about twice the executions per
	# second on the log targets.
	ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:quarantine_size_mb=16}" \
	UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
		-dict="$dict" -artifact_prefix="$artifacts/$t-" -print_final_stats=1 \
		"$work" "$seeds" >"$log" 2>&1
	rc=$?
	set -e
	execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)"
	if [ -z "$execs" ]; then
		# No final stats (the run died): take the last progress line.
		execs="$(grep -oE '^#[0-9]+' "$log" | tail -n1 | tr -d '#')"
	fi
	found="$(cd "$artifacts" && ls 2>/dev/null | grep -E "^$t-(crash|leak|timeout|oom)-" || true)"
	crashes=$(printf '%s' "$found" | grep -c . || true)
	[ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ] && crashes=1
	echo "fuzz_$t: executions: ${execs:-unknown}"
	echo "fuzz_$t: corpus: $(ls "$work" | wc -l) inputs; log: $log"
	echo "fuzz_$t: crashes: $crashes"
	if [ "$crashes" -ne 0 ]; then
		echo "fuzz_$t: CRASH FOUND (libFuzzer exit $rc)"
		for f in $found; do echo "  artifact: $artifacts/$f (reproduce: $bin $artifacts/$f)"; done
		grep -E 'ERROR: |SUMMARY: |runtime error' "$log" | head -n 5 | sed 's/^/  /'
		status=1
	fi
	total_execs=$((total_execs + ${execs:-0}))
	total_crashes=$((total_crashes + crashes))
done
echo "fuzz: ${#targets[@]} targets (${targets[*]}), ${secs}s each: $total_execs executions, $total_crashes crashes"
exit $status
