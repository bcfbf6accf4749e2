#!/bin/sh
# A framebuffer the kernel cannot draw on (16 bpp: GRUB_GFXPAYLOAD=800x600x16
# under SeaBIOS, whose VBE offers it): the kernel must say so on serial,
# report screen=none, and complete the run over serial (status 33).
CASE=fb-unusable
. tests/boot/lib.sh
iso=$TEST_DIR/faultprobe-fb16.iso
GRUB_TIMEOUT=0 GRUB_GFXPAYLOAD=800x600x16 tools/mkiso.sh build/faultprobe.elf "$iso" "sets=seed exit=qemu" \
	>"$TEST_DIR/$CASE.mkiso.txt" 2>&1 || fail "cannot build $iso: $(tail -1 "$TEST_DIR/$CASE.mkiso.txt")"
boot_iso "$iso" tcg bios 60
explain_status
grep -q '^console: framebuffer unusable (800x600x16 type=1 at 0x[0-9a-f]*): its depth is not 24 or 32 bpp; continuing on serial' "$LOG" ||
	fail "no 'console: framebuffer unusable (800x600x16 ...): its depth ...' line"
grep -q 'screen=none fb=800x600x16/rgb' "$LOG" ||
	fail "header does not say screen=none fb=800x600x16/rgb: $(grep -a 'screen=' "$LOG" | head -1)"
grep -q '^faultprobe: done .*unexpected=0' "$LOG" || fail "no clean 'faultprobe: done' line"
pass "(16 bpp framebuffer refused, run completed on serial in ${BOOT_SECONDS}s)"
