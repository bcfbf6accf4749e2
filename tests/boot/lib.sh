# Shared helpers for boot test cases (sourced).  Each case prints exactly one
# verdict line: "PASS name ...", "FAIL name: why" or "SKIP name: why", and
# exits 0, 1 or 77 accordingly.  Logs land in build/test/NAME.log.

TEST_DIR=${TEST_DIR:-build/test}
mkdir -p "$TEST_DIR"

pass() { echo "PASS $CASE $*"; exit 0; }
fail() { echo "FAIL $CASE: $*"; [ -n "${LOG:-}" ] && [ -f "$LOG" ] && echo "  (log: $LOG)"; exit 1; }
skip() { echo "SKIP $CASE: $*"; exit 77; }

# kvm_usable: /dev/kvm exists and opens read-write (FP_NO_KVM=1 pretends
# it does not, to check that the suite passes on machines without KVM).
kvm_usable() {
	[ -z "${FP_NO_KVM:-}" ] || return 1
	[ -e /dev/kvm ] || return 1
	( exec 3<>/dev/kvm ) 2>/dev/null
}

# log_args LOG: the QEMU options that put the kernel's log into LOG.  By
# default a virtio console (report/virtio_console.c: the log in 4 KiB
# buffers, where COM1 costs QEMU one host write per byte); FP_LOG=serial
# keeps the log on COM1 (the cases that test the UART path set it).
log_args() {
	if [ "${FP_LOG:-virtio}" = serial ]; then
		echo "-serial file:$1"
	else
		echo "-device virtio-serial-pci -device virtconsole,chardev=fplog -chardev file,id=fplog,path=$1 -serial null"
	fi
}

# boot_iso ISO ACCEL FIRMWARE TIMEOUT [extra qemu args]: boots with the log
# in $LOG; sets QEMU_STATUS and BOOT_SECONDS.
boot_iso() {
	iso=$1 accel=$2 fw=$3 limit=$4
	shift 4
	LOG=$TEST_DIR/$CASE.log
	rm -f "$LOG"
	start=$(date +%s.%N)
	# shellcheck disable=SC2046
	timeout "$limit" tools/qemu-cmd.sh "$iso" "$accel" "$fw" \
		-display none $(log_args "$LOG") "$@" >"$TEST_DIR/$CASE.qemu.txt" 2>&1
	QEMU_STATUS=$?
	end=$(date +%s.%N)
	BOOT_SECONDS=$(echo "$end $start" | awk '{printf "%.2f", $1 - $2}')
}

# boot_kernel CMDLINE ACCEL TIMEOUT [extra qemu args]: the same, without
# GRUB: QEMU's -kernel loads build/faultprobe.elf as a Multiboot 1 image with
# CMDLINE (tools/qemu-cmd.sh FP_MEDIA=kernel).  For the cases where GRUB is
# not what is tested; the ISO cases keep the GRUB path covered.
boot_kernel() {
	k_cmdline=$1 k_accel=$2 k_limit=$3
	shift 3
	export FP_MEDIA=kernel FP_CMDLINE="$k_cmdline"
	boot_iso build/faultprobe.elf "$k_accel" bios "$k_limit" "$@"
	unset FP_MEDIA FP_CMDLINE
}

# explain_status: fail with the meaning of an unexpected QEMU exit status
# (report/exit.h documents the isa-debug-exit codes).
explain_status() {
	case $QEMU_STATUS in
	33) return 0 ;;
	35) fail "run complete but a record line overflowed (status 35)" ;;
	37) fail "kernel crash: an exception no probe expected (status 37); see the oops in the log" ;;
	39) fail "boot failure: no multiboot2 magic or no long mode (status 39)" ;;
	124) fail "QEMU timed out after ${limit}s (hang?)" ;;
	0) fail "QEMU exited 0: the guest reset or shut down (triple fault?)" ;;
	*) fail "QEMU exited with status $QEMU_STATUS: $(tail -3 "$TEST_DIR/$CASE.qemu.txt" | tr '\n' ' ')" ;;
	esac
}

# check_log EXPECT...: the summary line, no crash, and fpcheck --strict
# --platform auto: every probe/frame/prot32/vmcore record must match the
# model of the platform the log names (tools/fpjudge.h), every other record
# must be expected, and every expectation must match.
check_log() {
	grep -q '^faultprobe: done .*unexpected=0' "$LOG" || fail "no clean 'faultprobe: done ... unexpected=0' line"
	if grep -q 'CRASH' "$LOG"; then fail "crash report in the log"; fi
	build/fpcheck --strict --platform auto "$LOG" "$@" >"$TEST_DIR/$CASE.fpcheck.txt" 2>&1 || {
		sed 's/^/  /' "$TEST_DIR/$CASE.fpcheck.txt" | head -20
		fail "serial log differs from expectations ($(tail -1 "$TEST_DIR/$CASE.fpcheck.txt"))"
	}
}

# kvm_profile PROFILE RECORD_TYPE: boot the kernel under -accel kvm with the
# options in tests/expect/PROFILE/cmdline and check the log against the
# model of the kind of KVM that ran it, as the fingerprint names it (every
# profile's cmdline includes the fingerprint set):
#   kvm-emulator   faults go through KVM's instruction emulator (an earlier
#                  workplace's /dev/kvm): the kvm-emulator model and the
#                  profile's expectation rows, tests/expect/PROFILE/*.expect
#                  (recorded there);
#   kvm-hardware   faults delivered by VMX/SVM, as on silicon (also
#   silicon-like)  silicon-like: a KVM that hides its signature): every
#                  record against the silicon model (fpcheck --platform auto
#                  picks it from platform=kvm and the verdict).
# The PASS line says which kind ran.  Any other verdict fails: there is no
# model to check it against.  Skips (77) only when /dev/kvm does not open.
# KVM here may be slow (an emulating /dev/kvm): generous timeout.
kvm_profile() {
	profile=$1 rtype=$2
	kvm_usable || skip "/dev/kvm is missing or does not open: KVM not tested (TCG only)"
	cmdline=$(cat "tests/expect/$profile/cmdline")
	# without GRUB (QEMU -kernel): an emulating KVM spends ~30 s in GRUB
	boot_kernel "$cmdline" kvm 900
	explain_status
	verdict=$(sed -n 's/^fingerprint verdict=\([a-z-]*\).*/\1/p' "$LOG" | head -1)
	case $verdict in
	kvm-emulator)
		kind="KVM's instruction emulator"
		check_log "tests/expect/$profile/"*.expect tests/expect/kvm-emulator-common/*.expect
		judged=$(tail -1 "$TEST_DIR/$CASE.fpcheck.txt" | sed 's/.*: //') ;;
	kvm-hardware | silicon-like)
		kind="hardware virtualisation (faults delivered by VMX/SVM), silicon model"
		grep -q '^faultprobe: done .*unexpected=0' "$LOG" || fail "no clean 'faultprobe: done ... unexpected=0' line"
		if grep -q 'CRASH' "$LOG"; then fail "crash report in the log"; fi
		build/fpcheck --platform auto "$LOG" >"$TEST_DIR/$CASE.fpcheck.txt" 2>&1 || {
			sed 's/^/  /' "$TEST_DIR/$CASE.fpcheck.txt" | head -20
			fail "the log differs from the silicon model ($(grep 'model ' "$TEST_DIR/$CASE.fpcheck.txt" | tail -1))"
		}
		grep -q 'model silicon: .* judged ([0-9]* cells): [1-9][0-9]* match, 0 differ' "$TEST_DIR/$CASE.fpcheck.txt" ||
			fail "fpcheck did not judge the log with the silicon model: $(tail -2 "$TEST_DIR/$CASE.fpcheck.txt" | tr '\n' ' ')"
		judged=$(sed -n 's/.*model silicon: \([0-9]* records, [0-9]* judged\).*/\1/p' "$TEST_DIR/$CASE.fpcheck.txt") ;;
	*)
		fail "this KVM's fingerprint verdict is '${verdict:-none}': neither kvm-emulator nor kvm-hardware, no model to check it against" ;;
	esac
	pass "(KVM kind: $kind, verdict $verdict; ${BOOT_SECONDS}s, cmdline '$cmdline', $(grep -c "^$rtype " "$LOG") $rtype records; $judged)"
}
