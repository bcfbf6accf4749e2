#!/bin/sh
# The probe matrix under -accel kvm, when /dev/kvm opens: the sub-matrix
# named by matrix= in tests/expect/kvm-matrix/cmdline (every ring-0 slice at
# widths 1-8, the part that is stable on this workplace's emulating KVM; see
# the header of tests/expect/kvm-matrix/matrix.expect), checked against
# tests/expect/kvm-matrix/*.expect.
CASE=kvm-matrix
. tests/boot/lib.sh
kvm_profile kvm-matrix probe
