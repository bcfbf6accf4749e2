#!/bin/sh
# bench.sh [RUNS] — what faultprobe costs, as one table of ratios measured in
# one sitting (so they hold on a noisy machine).  make bench runs it.
#
#  1. The report against the probes (issue 13 goal 1): the default run,
#     QEMU TCG + SeaBIOS + GRUB, boot-to-exit wall time with the log
#       on COM1 into a file     (-serial file:, a host write() per byte)
#       on the virtio console   (report/virtio_console.c: 4 KiB blocks;
#                                what the boot tests use)
#       nowhere                 (-serial null and no virtio console)
#     and each divided by "nowhere".  Goal: <= 1.3.
#  2. The boot path (goal 2): sets=none and sets=seed through GRUB (the ISO)
#     and through QEMU's -kernel (Multiboot 1, no firmware menu, no GRUB);
#     under KVM too when /dev/kvm opens.
#  3. The fault round trip (goal 3): sets=bench on every platform present
#     (TCG; KVM when /dev/kvm opens; Bochs when installed, unless
#     BENCH_BOCHS=0): TSC ticks from a faulting load to its resume through
#     faultprobe's trap path against a bare #GP handler that only moves RIP,
#     the stub run by the executor in both (medians of 257), their ratio
#     (goal under TCG: <= 1.2); the bare handler in a tight loop of its own
#     and that ratio too; and the matrix's probes per second without
#     reporting.
# Every figure is a median of RUNS (default 3) boots, runs interleaved.
# Needs build/faultprobe.iso and build/faultprobe.elf (make iso).
set -u
runs=${1:-3}
case $runs in ''|*[!0-9]*|0) echo "bench: RUNS must be a positive number, got '$runs'" >&2; exit 2 ;; esac
iso=build/faultprobe.iso
elf=build/faultprobe.elf
dir=build/bench
mkdir -p "$dir"
[ -f "$iso" ] && [ -f "$elf" ] || { echo "bench: make iso first" >&2; exit 1; }

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# run NAME MEDIA CMDLINE ACCEL -- qemu args: one boot, its wall time appended
# to $dir/NAME.t; fails the bench on anything but status 33.
run() {
	name=$1 media=$2 cmdline=$3 accel=$4
	shift 5
	img=$iso
	if [ "$media" = kernel ]; then
		img=$elf
	elif [ -n "$cmdline" ]; then
		img=$dir/$(echo "$cmdline" | tr -c 'a-z0-9\n' _).iso
		[ -f "$img" ] || tools/mkiso.sh "$elf" "$img" "$cmdline" >/dev/null || exit 1
	fi
	start=$(date +%s.%N)
	FP_MEDIA=$([ "$media" = kernel ] && echo kernel || echo cdrom) FP_CMDLINE=$cmdline \
		timeout 900 tools/qemu-cmd.sh "$img" "$accel" bios -display none "$@" >/dev/null 2>&1
	st=$?
	end=$(date +%s.%N)
	[ "$st" -eq 33 ] || { echo "bench: $name: QEMU status $st" >&2; exit 1; }
	echo "$end $start" | awk '{printf " %.3f", $1 - $2}' >>"$dir/$name.t"
}
t() { median <"$dir/$1.t"; }

kvm=no
if [ -z "${FP_NO_KVM:-}" ] && [ -e /dev/kvm ] && ( exec 3<>/dev/kvm ) 2>/dev/null; then kvm=yes; fi
rm -f "$dir"/*.t

echo "bench: $runs runs each, interleaved; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$runs"); do
	virtio="-device virtio-serial-pci -device virtconsole,chardev=c -chardev file,id=c,path=$dir/virtio.log -serial null"
	run com1 iso "" tcg -- -serial "file:$dir/com1.log"
	# shellcheck disable=SC2086
	run virtio iso "" tcg -- $virtio
	run null iso "" tcg -- -serial null
	run iso-none iso "sets=none" tcg -- -serial null
	run kernel-none kernel "sets=none" tcg -- -serial null
	run iso-seed iso "sets=seed" tcg -- -serial null
	run kernel-seed kernel "sets=seed" tcg -- -serial null
	run bench-tcg kernel "sets=bench" tcg -- -serial "file:$dir/bench-tcg.log"
	if [ $kvm = yes ]; then
		run kvm-iso-none iso "sets=none" kvm -- -serial null
		run kvm-kernel-none kernel "sets=none" kvm -- -serial null
		run bench-kvm kernel "sets=bench" kvm -- -serial "file:$dir/bench-kvm.log"
	fi
done
grep -q '^faultprobe: done' "$dir/com1.log" && grep -q '^faultprobe: done' "$dir/virtio.log" ||
	{ echo "bench: a default-run log is incomplete" >&2; exit 1; }
cmp -s "$dir/com1.log" "$dir/virtio.log" || echo "bench: note: the COM1 and virtio logs differ (addresses/timing)"
bytes=$(wc -c <"$dir/com1.log")

echo
echo "1. The report against the probes (default run, TCG, GRUB; $bytes bytes of log)"
printf '   %-28s %8s %8s\n' "log" "seconds" "/ none"
for n in com1 virtio null; do
	case $n in com1) what="COM1 into a file" ;; virtio) what="virtio console into a file" ;; null) what="nowhere (-serial null)" ;; esac
	printf '   %-28s %8s %8s\n' "$what" "$(t $n)" "$(ratio "$(t $n)" "$(t null)")"
done
echo "   goal: <= 1.30 (the boot tests log through the virtio console)"

echo
echo "2. The boot path (wall seconds, QEMU start to exit)"
printf '   %-22s %8s %8s %8s\n' "" "GRUB" "-kernel" "saved"
for w in none seed; do
	printf '   %-22s %8s %8s %8s\n' "tcg sets=$w" "$(t iso-$w)" "$(t kernel-$w)" \
		"$(awk -v a="$(t iso-$w)" -v b="$(t kernel-$w)" 'BEGIN{printf "%.2f", a-b}')"
done
if [ $kvm = yes ]; then
	printf '   %-22s %8s %8s %8s\n' "kvm sets=none" "$(t kvm-iso-none)" "$(t kvm-kernel-none)" \
		"$(awk -v a="$(t kvm-iso-none)" -v b="$(t kvm-kernel-none)" 'BEGIN{printf "%.2f", a-b}')"
else
	echo "   kvm: /dev/kvm does not open here: not measured"
fi

# Bochs: one boot of sets=bench (it is slow; BENCH_BOCHS=0 skips it).
bochs=no
if [ "${BENCH_BOCHS:-1}" != 0 ] && command -v bochs >/dev/null; then
	tools/mkiso.sh "$elf" "$dir/bench.iso" "sets=bench" >/dev/null || exit 1
	BOCHS_DIR=$dir/bochs BOCHS_TIMEOUT=1800 tools/run-bochs.sh "$dir/bench.iso" "$dir/bench-bochs.log" >/dev/null 2>&1
	st=$?
	[ "$st" -eq 33 ] && bochs=yes || echo "bench: Bochs: status $st (see $dir/bochs)"
fi

# field LOG NAME KEY: KEY's value in the last `bench name=NAME` record (KEY
# whole: median_over_bare is not full_median_over_bare).
field() { sed -n "s/^bench name=$2 \(.* \)\{0,1\}$3=\([0-9.]*\).*/\2/p" "$1" | tail -1; }
echo
echo "3. The fault round trip (TSC ticks, median of 257; one boot of sets=bench each)"
printf '   %-8s %10s %10s %8s %8s %10s %8s %10s %8s %12s\n' platform faultprobe bare ratio min-ratio bare-loop ratio \
	full-path ratio "matrix/s"
for p in tcg kvm bochs; do
	log=$dir/bench-$p.log
	case $p in kvm) [ $kvm = yes ] || { echo "   kvm      not measured (/dev/kvm does not open)"; continue; } ;;
	bochs) [ $bochs = yes ] || { echo "   bochs    not measured (BENCH_BOCHS=0, or Bochs absent or failed)"; continue; } ;; esac
	printf '   %-8s %10s %10s %8s %8s %10s %8s %10s %8s %12s\n' "$p" "$(field "$log" fault-roundtrip median_ticks)" \
		"$(field "$log" bare-in-exec median_ticks)" "$(field "$log" ratio median_over_bare)" \
		"$(field "$log" ratio min_over_bare)" "$(field "$log" bare-handler median_ticks)" \
		"$(field "$log" ratio median_over_bare_loop)" "$(field "$log" fault-roundtrip-full median_ticks)" \
		"$(field "$log" ratio full_median_over_bare)" "$(field "$log" matrix probes_per_s)"
done
echo "   goal under TCG: ratio <= 1.20 (bare: the bare handler with the stub run by the executor,"
echo "   as faultprobe's; bare-loop: the bare handler in a tight loop, its code and caches hot;"
echo "   full-path: the same fault when the probe wants registers: trap_dispatch() and C)"
[ $bochs = yes ] && echo "   (Bochs's TSC advances with its emulated instructions, tsc_mhz=$(field "$dir/bench-bochs.log" matrix tsc_mhz) at BOCHS_IPS 2000000: its ticks count instructions)"
