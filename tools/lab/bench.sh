#!/bin/sh
# bench.sh — a lab bench on this machine where QEMU plays the PC, so the lab
# integrations (labgrid's env-bench.yaml) run for real without hardware:
#
#   bench.sh up DIR           plug in the "USB-serial adapter": a socat pty pair,
#                             DIR/tty-dut (the PC's COM1) <-> DIR/tty-host (what
#                             the lab software opens, like /dev/ttyUSB0)
#   bench.sh stick DIR ISO    write ISO to the "USB stick" DIR/stick.img (dd)
#   bench.sh power DIR on     the power switch: boot QEMU from the stick, COM1 on
#                             DIR/tty-dut, detached (-daemonize: it leaves the
#                             power command's session, so it does not die of
#                             SIGHUP when the lab software closes that pty)
#   bench.sh power DIR off    pull the plug (kill QEMU; nothing if it is off)
#   bench.sh power DIR cycle  off, then on (a lab's hard reset)
#   bench.sh down DIR         power off and unplug the adapter
#
# `up` also copies this script to DIR/bench.sh, so a lab tool configured
# with only the bench's directory can run its commands (LAVA's
# devices/pc-bench.jinja2).
#
# No isa-debug-exit device: like a real PC the kernel halts at the end of the
# run with the report on the console (exit=auto, report/exit.c), and stays on
# until the power switch turns it off.  socat runs with ignoreeof on both ends
# so the adapter survives QEMU (or the reader) closing its side, as a real
# adapter does; rawer keeps both ptys raw (no \n -> \r\n translation).
set -eu
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: bench.sh up|stick|power|down DIR [ISO|on|off]" >&2; exit 2; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop PIDFILE: TERM, then wait up to 5 s for the process to go.
stop() {
	pid_alive "$1" || { rm -f "$1"; return 0; }
	pid=$(cat "$1")
	kill "$pid" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$1"
}

case $cmd in
up)
	mkdir -p "$dir"
	[ "$(cd "$(dirname "$0")" && pwd)/$(basename "$0")" = "$(cd "$dir" && pwd)/bench.sh" ] || cp "$0" "$dir/bench.sh"
	pid_alive "$dir/socat.pid" && exit 0
	rm -f "$dir/tty-dut" "$dir/tty-host"
	socat pty,link="$dir/tty-dut",rawer,ignoreeof pty,link="$dir/tty-host",rawer,ignoreeof \
		</dev/null >"$dir/socat.log" 2>&1 &
	echo $! >"$dir/socat.pid"
	i=0
	until [ -e "$dir/tty-dut" ] && [ -e "$dir/tty-host" ]; do
		[ $i -lt 50 ] || { echo "bench: socat made no pty pair (see $dir/socat.log)" >&2; exit 1; }
		sleep 0.1; i=$((i + 1))
	done
	;;
stick)
	iso=${3:?bench.sh stick DIR ISO}
	dd if="$iso" of="$dir/stick.img" bs=4M conv=fsync status=none
	;;
power)
	case ${3:-} in
	cycle)
		stop "$dir/qemu.pid"
		exec "$0" power "$dir" on
		;;
	on)
		pid_alive "$dir/qemu.pid" && exit 0
		[ -e "$dir/tty-dut" ] || { echo "bench: no adapter ($dir/tty-dut): run bench.sh up first" >&2; exit 1; }
		[ -f "$dir/stick.img" ] || { echo "bench: no stick ($dir/stick.img): run bench.sh stick first" >&2; exit 1; }
		# A PC booting from a USB stick on xHCI (SeaBIOS), COM1 on the adapter.
		qemu-system-x86_64 -accel tcg -cpu max -m 256 -no-reboot -display none \
			-device qemu-xhci,id=xhci \
			-drive if=none,id=stick,file="$dir/stick.img",format=raw,snapshot=on \
			-device usb-storage,bus=xhci.0,drive=stick,bootindex=0 \
			-chardev serial,id=com1,path="$dir/tty-dut" -serial chardev:com1 \
			-daemonize -pidfile "$dir/qemu.pid"
		;;
	off) stop "$dir/qemu.pid" ;;
	*) echo "usage: bench.sh power DIR on|off|cycle" >&2; exit 2 ;;
	esac
	;;
down)
	stop "$dir/qemu.pid"
	stop "$dir/socat.pid"
	rm -f "$dir/tty-dut" "$dir/tty-host"
	;;
*) echo "bench.sh: unknown command '$cmd'" >&2; exit 2 ;;
esac
