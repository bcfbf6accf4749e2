#!/bin/sh
# The fingerprint under KVM (when /dev/kvm opens): an ISO with
# sets=fingerprint.  Whatever KVM this is, the verdict must not be
# emulator-tcg: RF=1 in the fault frame and #SS for the non-canonical SS
# reference (the hardware's or KVM's emulator's answer, both right), and
# the verdict is kvm-emulator (KVM emulated the straddling load: #PF) or
# kvm-hardware / silicon-like (VMX/SVM delivered it: #SS).  Booted without
# GRUB (QEMU -kernel: an emulating KVM spends about 30 s in GRUB).  The microcode line must be
# there (rdmsr 0x8B answered or its #GP recorded).
CASE=kvm-fingerprint
. tests/boot/lib.sh
kvm_usable || skip "/dev/kvm is missing or does not open: KVM not tested (TCG only)"
boot_kernel "sets=fingerprint" kvm 300
explain_status
t=$TEST_DIR/$CASE.txt
tr -d '\r' <"$LOG" >"$t"
grep -q '^cpu microcode=.* source=' "$t" || fail "no 'cpu microcode=' header line"
grep -q 'hypervisor=KVMKVMKVM platform=kvm' "$t" || fail "header does not say hypervisor=KVMKVMKVM platform=kvm"
grep -q '^fingerprint check=rf observed=1 ' "$t" || fail "RF not 1 in the fault frame: $(grep '^fingerprint check=rf' "$t")"
grep -q '^fingerprint check=noncanonical-ss .*observed=#SS ' "$t" ||
	fail "non-canonical SS reference not #SS: $(grep '^fingerprint check=noncanonical-ss' "$t")"
verdict=$(sed -n 's/^fingerprint verdict=\([a-z-]*\) .*/\1/p' "$t")
case $verdict in
kvm-emulator) kind="KVM's instruction emulator" ;;
kvm-hardware | silicon-like) kind="hardware virtualisation (VMX/SVM)" ;;
*) fail "verdict '$verdict' (expected kvm-emulator, kvm-hardware or silicon-like): $(grep '^fingerprint verdict' "$t")" ;;
esac
pass "(KVM kind: $kind; ${BOOT_SECONDS}s, verdict=$verdict, $(sed -n 's/^fingerprint verdict=[a-z-]* //p' "$t"))"
