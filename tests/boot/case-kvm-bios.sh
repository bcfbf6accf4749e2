#!/bin/sh
# The probe kernel under -accel kvm, when /dev/kvm opens.  KVM here may be a
# slow instruction-emulating layer, so this boots a small ISO with the sets
# named in tests/expect/kvm/cmdline and gives it a generous timeout.
CASE=kvm-bios
. tests/boot/lib.sh
kvm_usable || skip "/dev/kvm is missing or does not open: KVM not tested (TCG only)"
cmdline=$(cat tests/expect/kvm/cmdline)
iso=$TEST_DIR/faultprobe-kvm.iso
tools/mkiso.sh build/faultprobe.elf "$iso" "$cmdline" >/dev/null || fail "cannot build $iso"
boot_iso "$iso" kvm bios 900
explain_status
check_log tests/expect/kvm/*.expect
pass "(${BOOT_SECONDS}s, cmdline '$cmdline', $(grep -c '^probe ' "$LOG") probe records)"
