#!/bin/sh
# Bochs 2.7 with an AMD CPU model (ryzen): the same options as
# case-bochs-intel.sh, checked against tests/expect/bochs-ryzen/*.expect.
CASE=bochs-amd
. tests/boot/lib.sh
. tests/boot/lib-bochs.sh
bochs_profile ryzen
