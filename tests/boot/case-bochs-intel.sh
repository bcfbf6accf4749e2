#!/bin/sh
# Bochs 2.7 with an Intel CPU model (tigerlake): the seed set, a slice of the
# matrix (straddles of every form at widths 8 and 32, all segment prefixes,
# stack, branches, ring-3 edges), the fingerprint and every family of the
# default run (tests/expect/bochs-tigerlake/cmdline; la57ops skips itself:
# no LA57), checked against the bochs model and
# tests/expect/bochs-tigerlake/*.expect.  About 10 s on an idle machine.
CASE=bochs-intel
. tests/boot/lib.sh
. tests/boot/lib-bochs.sh
bochs_profile tigerlake
