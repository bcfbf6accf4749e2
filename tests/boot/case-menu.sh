#!/bin/sh
# The GRUB menu a real machine shows.  Under QEMU (SMBIOS manufacturer
# "QEMU") grub.cfg boots at once; anywhere else it shows the menu with a
# countdown (GRUB_TIMEOUT=auto).  Here QEMU pretends to be another vendor
# (-smbios type=1,manufacturer=...) and the BIOS text screen must show the
# menu entries and the countdown; nothing is booted.
CASE=menu
. tests/boot/lib.sh
. tests/boot/lib5.sh
need_screen_tools
out=$TEST_DIR/$CASE
SHOT_SERIAL=none SHOT_TIMEOUT=30 \
SHOT_EXPECT="faultprobe: full run (all probe sets)|faultprobe: seed table only|faultprobe: vmcore replay|faultprobe: platform fingerprint only|automatically in" \
	tests/boot/screenshot.sh "$1" bios "$out" -- -smbios type=1,manufacturer=Example-Metal-Inc \
	>"$TEST_DIR/$CASE.txt" 2>&1 ||
	fail "$(tail -1 "$TEST_DIR/$CASE.txt") (screen text: $out/vga.txt)"
pass "(menu with countdown shown on a non-QEMU machine; $(grep -c 'faultprobe:' "$out/vga.txt") faultprobe entries)"
