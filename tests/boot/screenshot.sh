#!/bin/sh
# screenshot.sh ISO FIRMWARE [OUTDIR] [-- extra QEMU args]
#
# Boots ISO under QEMU TCG with FIRMWARE (bios|uefi), waits for the run to
# end, takes a `screendump` through the QEMU monitor and checks that the
# final summary page is on the screen.  Plain POSIX sh + QEMU: the monitor is
# QEMU's stdin (`-monitor stdio`) fed through a FIFO, so no socat/nc/python.
#
# The ISO must not exit QEMU when done: use one with exit=halt baked in
# (make build/faultprobe-halt.iso).
#
# Environment:
#   SHOT_SERIAL   file (default): serial to OUTDIR/serial.log, and the run is
#                 over when its `faultprobe: done` line appears;
#                 none: QEMU gets `-serial none` (no UART at all) and the
#                 screen is polled until the summary shows up.
#   SHOT_TIMEOUT  seconds before giving up (default 90).
#   SHOT_EXPECT   text lines that must be on the screen, separated by '|'
#                 (default: "=== faultprobe summary|faultprobe: done probes=").
#
# How the screen is read:
#   uefi  the screendump is the framebuffer drawn by report/fbcon.c with our
#         PSF font: build/fbfind finds each expected text on it.
#   bios  VGA text mode: the screendump is rendered by QEMU with the VGA
#         BIOS font in 9-pixel cells.  It must be non-blank (fbfind --count),
#         and the text is read exactly from the text buffer (monitor
#         `pmemsave 0xb8000 4000`, decoded by build/vgatext) and grepped;
#         fbfind --vga9 is tried as well and reported (informational).
#
# Files in OUTDIR (default build/test/shot-FIRMWARE): serial.log,
# monitor.log, qemu.err, screen.ppm (+ screen.png when QEMU can write PNG),
# and for bios vga.bin + vga.txt.
# Exit 0 = summary on screen; 1 = not (reason on stdout); 2 = bad usage or
# missing tools.
set -u
iso=${1:?usage: screenshot.sh ISO bios|uefi [OUTDIR] [-- qemu args]}
fw=${2:?usage: screenshot.sh ISO bios|uefi [OUTDIR] [-- qemu args]}
shift 2
out=build/test/shot-$fw
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
	out=$1
	shift
fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift

case $fw in bios | uefi) ;; *) echo "screenshot: FIRMWARE must be bios or uefi" >&2; exit 2 ;; esac
for t in build/fbfind build/vgatext; do
	[ -x "$t" ] || { echo "screenshot: $t missing (make fbfind)" >&2; exit 2; }
done
[ -f "$iso" ] || { echo "screenshot: no ISO '$iso'" >&2; exit 2; }

serial_mode=${SHOT_SERIAL:-file}
limit=${SHOT_TIMEOUT:-90}
expect=${SHOT_EXPECT:-"=== faultprobe summary|faultprobe: done probes="}

mkdir -p "$out"
rm -f "$out/serial.log" "$out/monitor.log" "$out/qemu.err" "$out/screen.ppm" \
	"$out/vga.bin" "$out/vga.txt" "$out/monitor.in" "$out/screen.png"
log=$out/serial.log
fifo=$out/monitor.in
mkfifo "$fifo" || exit 2
# Opening read-write never blocks, and keeps QEMU's stdin from seeing EOF.
exec 3<>"$fifo"

if [ "$serial_mode" = none ]; then
	serial="-serial none"
else
	serial="-serial file:$log"
fi
# shellcheck disable=SC2086  # $serial is two words on purpose
tools/qemu-cmd.sh "$iso" tcg "$fw" -display none $serial -monitor stdio "$@" \
	<"$fifo" >"$out/monitor.log" 2>"$out/qemu.err" &
qpid=$!

start=$(date +%s)
mon() { printf '%s\n' "$*" >&3; }
alive() { kill -0 "$qpid" 2>/dev/null; }
finish() {
	mon quit
	i=0
	while alive && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	alive && kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	exec 3>&-
	rm -f "$fifo"
}

# check: 0 when every expected line is on the current screen.  Sets $why.
check() {
	why=""
	if [ "$fw" = bios ]; then
		build/fbfind --count "$out/screen.ppm" >"$out/count.txt" 2>&1 || {
			why="screendump blank or unreadable: $(cat "$out/count.txt")"
			return 1
		}
		build/vgatext "$out/vga.bin" >"$out/vga.txt" 2>/dev/null || {
			why="text buffer unreadable"
			return 1
		}
	fi
	old_ifs=$IFS
	IFS='|'
	for t in $expect; do
		IFS=$old_ifs
		if [ "$fw" = bios ]; then
			grep -qF -- "$t" "$out/vga.txt" || { why="'$t' not in the VGA text buffer"; IFS=$old_ifs; return 1; }
		else
			build/fbfind "$out/screen.ppm" "$t" >"$out/fbfind.txt" 2>&1 || {
				why=$(cat "$out/fbfind.txt")
				IFS=$old_ifs
				return 1
			}
		fi
	done
	IFS=$old_ifs
	return 0
}

seen_done=no
ok=no
n=0
while :; do
	now=$(date +%s)
	if [ $((now - start)) -ge "$limit" ]; then
		why="timed out after ${limit}s (${why:-run never finished})"
		break
	fi
	if ! alive; then
		why="QEMU exited early (status: see $out/qemu.err; exit=halt missing from the ISO?)"
		break
	fi
	if [ "$serial_mode" != none ] && [ $seen_done = no ]; then
		if grep -q '^faultprobe: done' "$log" 2>/dev/null; then
			seen_done=yes
		else
			why="no 'faultprobe: done' on serial yet"
			sleep 0.3
			continue
		fi
	fi
	n=$((n + 1))
	rm -f "$out/screen.ppm" "$out/vga.bin"
	mon "screendump $out/screen.ppm"
	[ "$fw" = bios ] && mon "pmemsave 0xb8000 4000 $out/vga.bin"
	# Monitor commands run in order; wait for the files to appear.
	i=0
	while [ $i -lt 50 ]; do
		if [ -s "$out/screen.ppm" ] && { [ "$fw" = uefi ] || [ -s "$out/vga.bin" ]; }; then
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.2   # let a screendump in progress finish writing
	if check; then
		ok=yes
		break
	fi
	sleep 0.5
done
elapsed=$(( $(date +%s) - start ))
if [ $ok = yes ]; then
	# A PNG for people (best effort: QEMU 7.1+ with libpng).
	mon "screendump $out/screen.png -f png"
	i=0
	while [ ! -s "$out/screen.png" ] && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
fi
finish

if [ $ok = yes ]; then
	extra=""
	if [ "$fw" = bios ]; then
		# Informational: SeaVGABIOS's font differs from ours in a few glyphs
		# (e.g. 'm'), so try a line whose glyphs are the same in both.
		if build/fbfind --vga9 "$out/screen.ppm" "faultprobe: done probes=" >"$out/fbfind.txt" 2>&1; then
			extra="; rendered text found with --vga9 ($(sed 's/^fbfind: //' "$out/fbfind.txt"))"
		else
			extra="; rendered text not matched with --vga9 (VGA BIOS font?); $(sed 's/^fbfind: //' "$out/count.txt")"
		fi
	fi
	echo "screenshot: summary on screen after ${elapsed}s, $n screendump(s)$extra"
	exit 0
fi
echo "screenshot: $why"
exit 1
