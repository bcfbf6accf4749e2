#!/bin/sh
# UEFI screen: under OVMF the kernel gets the GOP framebuffer (32 bpp RGB),
# draws text with the PSF font (report/fbcon.c), and ends on the one-page
# summary; build/fbfind finds the summary's lines on the monitor screendump.
CASE=screen-uefi
. tests/boot/lib.sh
. tests/boot/lib5.sh
need_screen_tools
out=$TEST_DIR/$CASE
SHOT_TIMEOUT=60 SHOT_EXPECT="=== faultprobe summary|fingerprint verdict=emulator-tcg|faultprobe: done probes=" \
	tests/boot/screenshot.sh build/faultprobe-halt.iso uefi "$out" >"$TEST_DIR/$CASE.txt" 2>&1
rc=$?
LOG=$out/serial.log
[ $rc -eq 0 ] || fail "$(tail -1 "$TEST_DIR/$CASE.txt")"
grep -q 'firmware=uefi screen=framebuffer fb=[0-9]*x[0-9]*x32/rgb' "$LOG" ||
	fail "header does not say firmware=uefi screen=framebuffer ...x32/rgb: $(grep -a 'firmware=' "$LOG" | head -1)"
grep -q '^faultprobe: done .*unexpected=0' "$LOG" || fail "no clean 'faultprobe: done' line on serial"
row=$(build/fbfind "$out/screen.ppm" "=== faultprobe summary" | sed -n 's/.* row \([0-9]*\)$/\1/p')
[ "$row" = 0 ] || fail "summary title not on the first row (row '$row'): the page was not cleared"
pass "($(sed 's/^screenshot: //' "$TEST_DIR/$CASE.txt" | tail -1); screendump $out/screen.ppm)"
