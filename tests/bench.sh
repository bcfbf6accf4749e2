#!/bin/sh
# bench.sh [ISO] [RUNS] [tcg|kvm] [bios|uefi] — boot-to-summary wall time:
# from starting QEMU to its exit right after the `faultprobe: done` line,
# median of RUNS (default 5) boots.
iso=${1:-build/faultprobe.iso}
runs=${2:-5}
accel=${3:-tcg}
fw=${4:-bios}
log=$(mktemp)
times=""
for i in $(seq 1 "$runs"); do
	start=$(date +%s.%N)
	timeout 900 tools/qemu-cmd.sh "$iso" "$accel" "$fw" -display none -serial "file:$log" >/dev/null 2>&1
	status=$?
	end=$(date +%s.%N)
	if [ "$status" -ne 33 ] || ! grep -q '^faultprobe: done' "$log"; then
		echo "bench: run $i failed (QEMU status $status)"
		rm -f "$log"
		exit 1
	fi
	t=$(echo "$end $start" | awk '{printf "%.3f", $1 - $2}')
	echo "bench: run $i: ${t}s ($(grep -c '^probe ' "$log") probes)"
	times="$times $t"
done
median=$(echo $times | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "bench: $accel/$fw boot-to-summary median of $runs: ${median}s ($iso)"
rm -f "$log"
