#!/bin/sh
# The probe matrix under -accel kvm, when /dev/kvm opens: the sub-matrix
# named by matrix= in tests/expect/kvm-matrix/cmdline (every ring-0 slice at
# widths 1-8, the part that is stable on this workplace's emulating KVM; see
# the header of tests/expect/kvm-matrix/matrix.expect), checked against
# tests/expect/kvm-matrix/*.expect.
CASE=kvm-matrix
. tests/boot/lib.sh
kvm_usable || skip "/dev/kvm is missing or does not open: KVM not tested (TCG only)"
cmdline=$(cat tests/expect/kvm-matrix/cmdline)
iso=$TEST_DIR/faultprobe-kvm-matrix.iso
tools/mkiso.sh build/faultprobe.elf "$iso" "$cmdline" >/dev/null || fail "cannot build $iso"
boot_iso "$iso" kvm bios 900
explain_status
check_log tests/expect/kvm-matrix/*.expect
pass "(${BOOT_SECONDS}s, cmdline '$cmdline', $(grep -c '^probe ' "$LOG") probe records)"
