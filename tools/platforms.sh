#!/bin/sh
# platforms.sh ISO — the full default run on every platform this machine has,
# one summary line per platform (make platforms; slow, not part of make test):
#   QEMU TCG (SeaBIOS), KVM when /dev/kvm opens, Bochs with an Intel and an
#   AMD CPU model (BOCHS_INTEL, BOCHS_AMD; default tigerlake, ryzen) when
#   bochs is installed, and faultprobe-user on this machine's CPU.
# Logs go to build/platforms/<platform>.log.  Exit status 0 when every
# platform that ran completed (status 33, or 0 for faultprobe-user).
iso=${1:-build/faultprobe.iso}
dir=${PLATFORMS_DIR:-build/platforms}
intel=${BOCHS_INTEL:-tigerlake}
amd=${BOCHS_AMD:-ryzen}
mkdir -p "$dir" || exit 1
bad=0

now() { date +%s.%N; }
# summary NAME LOG STATUS START: one line from the log's closing lines.
summary() {
	name=$1 log=$2 st=$3 t0=$4
	secs=$(echo "$(now) $t0" | awk '{printf "%.1f", $1 - $2}')
	done_line=$(grep -a '^faultprobe: done' "$log" | tail -1)
	dis=$(sed -n "s/^faultprobe: platform=\([^ ]*\) disagreements with the manuals' rules: \([0-9]*\) of.*/\2 (records say platform=\1)/p" "$log" | tail -1)
	probes=$(echo "$done_line" | sed -n 's/.*probes=\([0-9]*\).*/\1/p')
	faults=$(echo "$done_line" | sed -n 's/.*faults=\([0-9]*\).*/\1/p')
	unexp=$(echo "$done_line" | sed -n 's/.*unexpected=\([0-9]*\).*/\1/p')
	printf '%-16s probes=%-5s faults=%-5s disagreements=%s unexpected=%s time=%ss status=%s log=%s\n' \
		"$name" "${probes:-?}" "${faults:-?}" "${dis:-?}" "${unexp:-?}" "$secs" "$st" "$log"
}

# QEMU TCG
t0=$(now)
timeout 600 tools/qemu-cmd.sh "$iso" tcg bios -display none -serial "file:$dir/tcg.log" >"$dir/tcg.qemu.txt" 2>&1
st=$?
summary tcg "$dir/tcg.log" "$st" "$t0"
[ "$st" -eq 33 ] || bad=1

# KVM, when /dev/kvm opens
if [ -e /dev/kvm ] && ( exec 3<>/dev/kvm ) 2>/dev/null; then
	t0=$(now)
	timeout 1800 tools/qemu-cmd.sh "$iso" kvm bios -display none -serial "file:$dir/kvm.log" >"$dir/kvm.qemu.txt" 2>&1
	st=$?
	summary kvm "$dir/kvm.log" "$st" "$t0"
	[ "$st" -eq 33 ] || bad=1
else
	echo "kvm              not run: /dev/kvm is missing or does not open"
fi

# Bochs, one Intel and one AMD model
if command -v bochs >/dev/null; then
	for m in "$intel" "$amd"; do
		t0=$(now)
		BOCHS_CPU=$m BOCHS_DIR=$dir/bochs-$m tools/run-bochs.sh "$iso" "$dir/bochs-$m.log" 2>"$dir/bochs-$m.run.txt"
		st=$?
		summary "bochs-$m" "$dir/bochs-$m.log" "$st" "$t0"
		[ "$st" -eq 33 ] || bad=1
	done
else
	echo "bochs            not run: bochs is not installed (sh tools/deps.sh)"
fi

# faultprobe-user on this CPU (Linux user space, CPL 3)
if [ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] && make -s user >"$dir/user.make.txt" 2>&1; then
	vendor=$(sed -n 's/^vendor_id[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -1)
	t0=$(now)
	build/faultprobe-user quiet >"$dir/linux-user.log" 2>"$dir/linux-user.stderr.txt"
	st=$?
	summary "linux-user" "$dir/linux-user.log" "$st" "$t0" | sed "s/ log=/ cpu=$vendor log=/"
	[ "$st" -eq 0 ] || bad=1
else
	echo "linux-user       not run: needs Linux on x86-64 and make user"
fi
exit $bad
