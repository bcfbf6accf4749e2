# Helpers for the Bochs boot cases (sourced after tests/boot/lib.sh).

# bochs_available: skip (77) when Debian's bochs is not installed; CI runs
# tools/deps.sh first, which installs it, so CI never skips here.
bochs_available() {
	command -v bochs >/dev/null 2>&1 || skip "bochs not installed (tools/deps.sh installs bochs bochsbios vgabios)"
	[ -f /usr/share/bochs/BIOS-bochs-latest ] || skip "bochsbios not installed (tools/deps.sh installs it)"
	[ -f /usr/share/bochs/VGABIOS-lgpl-latest ] || skip "vgabios not installed (tools/deps.sh installs it)"
}

# boot_bochs ISO MODEL TIMEOUT: boots under Bochs (tools/run-bochs.sh) with
# COM1 into $LOG; sets QEMU_STATUS (the script gives QEMU's statuses) and
# BOOT_SECONDS.
boot_bochs() {
	iso=$1 model=$2 limit=$3
	LOG=$TEST_DIR/$CASE.log
	start=$(date +%s.%N)
	BOCHS_CPU=$model BOCHS_TIMEOUT=$limit BOCHS_DIR=$TEST_DIR/$CASE.bochs \
		tools/run-bochs.sh "$iso" "$LOG" >"$TEST_DIR/$CASE.bochs.txt" 2>&1
	QEMU_STATUS=$?
	BOOT_SECONDS=$(echo "$(date +%s.%N) $start" | awk '{printf "%.2f", $1 - $2}')
}

# bochs_profile MODEL: boot the kernel under Bochs with the CPU model MODEL
# and the options in tests/expect/bochs-MODEL/cmdline, and check the serial
# log against tests/expect/bochs-MODEL/*.expect (fpcheck --strict).
bochs_profile() {
	model=$1
	bochs_available
	dir=tests/expect/bochs-$model
	cmdline=$(cat "$dir/cmdline")
	iso=$TEST_DIR/faultprobe-bochs.iso
	# both Bochs cases boot the same options: build the image once
	if [ ! -f "$iso" ] || [ "$(cat "$iso.cmdline" 2>/dev/null)" != "$cmdline" ] ||
		[ build/faultprobe.elf -nt "$iso" ] || [ iso/grub.cfg -nt "$iso" ]; then
		tools/mkiso.sh build/faultprobe.elf "$iso" "$cmdline" >/dev/null || fail "cannot build $iso"
		printf '%s\n' "$cmdline" >"$iso.cmdline"
	fi
	boot_bochs "$iso" "$model" 300
	case $QEMU_STATUS in
	1) fail "Bochs failed: $(tail -2 "$TEST_DIR/$CASE.bochs.txt" | tr '\n' ' ')" ;;
	esac
	explain_status
	check_log "$dir"/*.expect
	pass "(${BOOT_SECONDS}s, cpu $model, $(grep -c '^probe ' "$LOG") probe records, $(tail -1 "$TEST_DIR/$CASE.fpcheck.txt" | sed 's/.*: //'))"
}
