#!/bin/sh
# BIOS screen: under SeaBIOS the kernel gets VGA text 80x25 (not a
# framebuffer), and when the run ends the screen shows the one-page summary
# with the fingerprint verdict.  Boots build/faultprobe-halt.iso (exit=halt)
# so QEMU is still up for the monitor's screendump (tests/boot/screenshot.sh).
CASE=screen-bios
. tests/boot/lib.sh
. tests/boot/lib5.sh
need_screen_tools
out=$TEST_DIR/$CASE
SHOT_TIMEOUT=60 SHOT_EXPECT="=== faultprobe summary|fingerprint verdict=emulator-tcg|faultprobe: done probes=" \
	tests/boot/screenshot.sh build/faultprobe-halt.iso bios "$out" >"$TEST_DIR/$CASE.txt" 2>&1
rc=$?
LOG=$out/serial.log
[ $rc -eq 0 ] || fail "$(tail -1 "$TEST_DIR/$CASE.txt")"
grep -q 'firmware=bios screen=vga-text fb=80x25x16/text' "$LOG" ||
	fail "header does not say firmware=bios screen=vga-text fb=80x25x16/text: $(grep -a 'firmware=' "$LOG" | head -1)"
grep -q '^faultprobe: done .*unexpected=0' "$LOG" || fail "no clean 'faultprobe: done' line on serial"
head -1 "$out/vga.txt" | grep -q '^=== faultprobe summary' ||
	fail "summary title not on the first row: the page was not cleared ($out/vga.txt)"
pass "($(sed 's/^screenshot: //' "$TEST_DIR/$CASE.txt" | tail -1); text read from 0xb8000: $out/vga.txt)"
