#!/bin/sh
# The 32-bit protected-mode probes and the LA57 set under -accel kvm, when
# /dev/kvm opens: the sets in tests/expect/kvm-prot32/cmdline, checked
# against tests/expect/kvm-prot32/*.expect.
CASE=kvm-prot32
. tests/boot/lib.sh
kvm_profile kvm-prot32 prot32
