#!/bin/sh
# The probe matrix under -accel kvm, when /dev/kvm opens: the sub-matrix
# named by matrix= in tests/expect/kvm-matrix/cmdline (every ring-0 slice at
# widths 1-8, the part that is stable on an emulating KVM; see the header of
# tests/ref/kvm-matrix.expect.gz, the run kept as the kvm-emulator model's
# reference): every record checked against the kvm-emulator model
# (check_log: fpcheck --platform auto), the summary against
# tests/expect/kvm-matrix/summary.expect.
CASE=kvm-matrix
. tests/boot/lib.sh
kvm_profile kvm-matrix probe
