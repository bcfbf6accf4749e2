#!/bin/sh
# The console says what it found (issue 14 #11): under BIOS with no VGA
# (QEMU -vga none) the header says screen=none, not vga-text (report/vga.c
# vga_present reads back the CRTC index port); under UEFI with virtio-gpu
# GRUB hands over a 32 bpp framebuffer whose base address is 0, and the
# note names that, not the depth.
CASE=screen-none
. tests/boot/lib.sh
iso=$TEST_DIR/faultprobe-screen-none.iso
tools/mkiso.sh build/faultprobe.elf "$iso" "sets=seed" >/dev/null || fail "cannot build $iso"
boot_iso "$iso" tcg bios 60 -vga none
explain_status
grep -q '^boot .* firmware=bios screen=none serial=' "$LOG" ||
	fail "BIOS -vga none: header is not 'screen=none': $(grep -a '^boot ' "$LOG" | head -1)"
! grep -q '^console: framebuffer unusable' "$LOG" || fail "BIOS -vga none: a framebuffer note without a framebuffer"
boot_iso "$iso" tcg uefi 180 -vga none -device virtio-gpu-pci
explain_status
grep -q '^console: framebuffer unusable (1024x768x32 type=1 at 0x0000000000000000): its base address is 0; continuing on serial$' "$LOG" ||
	fail "UEFI virtio-gpu: no note naming the base address: $(grep -a '^console: ' "$LOG" | head -1)"
grep -q '^boot .* firmware=uefi screen=none fb=1024x768x32/rgb ' "$LOG" ||
	fail "UEFI virtio-gpu: header: $(grep -a '^boot ' "$LOG" | head -1)"
grep -q '^faultprobe: done .*unexpected=0' "$LOG" || fail "no clean 'faultprobe: done' line"
pass "(BIOS -vga none: screen=none; UEFI virtio-gpu: framebuffer refused for its base address 0)"
