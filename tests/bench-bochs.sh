#!/bin/sh
# bench-bochs.sh [RUNS] — Bochs 2.7 boot-to-summary wall time (from starting
# Bochs to its exit right after the `faultprobe: done` line), median of RUNS
# (default 3) boots, for each CPU model in BOCHS_MODELS (default "tigerlake
# ryzen") and three workloads:
#   seed   sets=seed
#   slice  the options of tests/expect/bochs-tigerlake/cmdline (make test)
#   full   the default run (no options)
# Needs build/faultprobe.elf (make iso).  make bench-bochs runs it.
# Wall time depends on what else the machine runs; the CPU time (user+sys of
# Bochs, median of the runs) much less, so both are printed.
runs=${1:-3}
models=${BOCHS_MODELS:-tigerlake ryzen}
dir=build/bench-bochs
# user+sys seconds of this shell's finished children, from a file holding
# the output of POSIX `times` (2nd line); `times` must run in this shell,
# not in a $(...) subshell, to see them.
child_cpu() {
	awk 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); sub("s", "", a[2]); n += a[1] * 60 + a[2] } printf "%.2f", n }' "$1"
}
mkdir -p "$dir" || exit 1
tools/mkiso.sh build/faultprobe.elf "$dir/seed.iso" "sets=seed" >/dev/null || exit 1
tools/mkiso.sh build/faultprobe.elf "$dir/slice.iso" "$(cat tests/expect/bochs-tigerlake/cmdline)" >/dev/null || exit 1
tools/mkiso.sh build/faultprobe.elf "$dir/full.iso" "" >/dev/null || exit 1
for model in $models; do
	for work in seed slice full; do
		times="" cpus=""
		for i in $(seq 1 "$runs"); do
			times >"$dir/times0.txt"
			start=$(date +%s.%N)
			BOCHS_CPU=$model BOCHS_DIR=$dir/$model tools/run-bochs.sh "$dir/$work.iso" "$dir/$model-$work.log" 2>/dev/null
			status=$?
			end=$(date +%s.%N)
			if [ "$status" -ne 33 ] || ! grep -q '^faultprobe: done' "$dir/$model-$work.log"; then
				echo "bench-bochs: $model $work run $i failed (status $status)"
				exit 1
			fi
			times="$times $(echo "$end $start" | awk '{printf "%.2f", $1 - $2}')"
			times >"$dir/times1.txt"
			cpus="$cpus $(echo "$(child_cpu "$dir/times1.txt") $(child_cpu "$dir/times0.txt")" | awk '{printf "%.2f", $1 - $2}')"
		done
		median=$(echo $times | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
		cmedian=$(echo $cpus | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
		printf 'bench-bochs: %-10s %-5s %5s probes  wall median %6ss of %s (%s)  cpu median %6ss\n' "$model" "$work" \
			"$(grep -c '^probe ' "$dir/$model-$work.log")" "$median" "$runs" "$(echo $times)" "$cmedian"
	done
done
echo "bench-bochs: load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs, BOCHS_IPS=${BOCHS_IPS:-2000000}"
