#!/bin/sh
# A machine without a serial port: QEMU with `-serial none` (no UART at
# COM1).  The kernel's presence test must see no UART, no transmit wait may
# hang, and the run must complete on screen: the summary page says so.
# Checked under both firmwares (SeaBIOS: VGA text, OVMF: framebuffer).
CASE=noserial
. tests/boot/lib.sh
. tests/boot/lib5.sh
need_screen_tools
res=""
for fw in bios uefi; do
	out=$TEST_DIR/$CASE-$fw
	SHOT_SERIAL=none SHOT_TIMEOUT=60 \
	SHOT_EXPECT="no serial port: this page is the report|serial=none|faultprobe: done probes=" \
		tests/boot/screenshot.sh build/faultprobe-halt.iso "$fw" "$out" >"$TEST_DIR/$CASE-$fw.txt" 2>&1 ||
		fail "$fw: $(tail -1 "$TEST_DIR/$CASE-$fw.txt")"
	res="$res $fw: $(sed -n 's/^screenshot: summary on screen after \([0-9]*s\).*/\1/p' "$TEST_DIR/$CASE-$fw.txt")"
done
pass "(summary on screen without a UART;$res)"
