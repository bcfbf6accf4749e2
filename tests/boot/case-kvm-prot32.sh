#!/bin/sh
# The 32-bit protected-mode probes and the LA57 set under -accel kvm, when
# /dev/kvm opens: the sets in tests/expect/kvm-prot32/cmdline, checked
# against tests/expect/kvm-prot32/*.expect.
CASE=kvm-prot32
. tests/boot/lib.sh
kvm_usable || skip "/dev/kvm is missing or does not open: KVM not tested (TCG only)"
cmdline=$(cat tests/expect/kvm-prot32/cmdline)
iso=$TEST_DIR/faultprobe-kvm-prot32.iso
tools/mkiso.sh build/faultprobe.elf "$iso" "$cmdline" >/dev/null || fail "cannot build $iso"
boot_iso "$iso" kvm bios 900
explain_status
check_log tests/expect/kvm-prot32/*.expect
pass "(${BOOT_SECONDS}s, cmdline '$cmdline', $(grep -c '^prot32 ' "$LOG") prot32 records)"
