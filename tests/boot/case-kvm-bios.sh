#!/bin/sh
# The probe kernel under -accel kvm, when /dev/kvm opens: the sets named in
# tests/expect/kvm/cmdline (seed, frame, the vmcore replay), checked against
# tests/expect/kvm/*.expect.
CASE=kvm-bios
. tests/boot/lib.sh
kvm_profile kvm probe
