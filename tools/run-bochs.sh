#!/bin/sh
# run-bochs.sh ISO [SERIAL_LOG] — boot faultprobe under Debian's Bochs 2.7,
# headless and unattended, and exit with the status QEMU would give
# (README "Exit status under QEMU"):
#   33 run complete, 35 a record was unusable, 37 crash, 39 boot failure,
#   0 triple fault (Bochs runs with reset_on_triple_fault=0), 124 timeout,
#   1 Bochs itself failed (its message is shown).
# Without SERIAL_LOG the serial port (COM1) is shown on this terminal; with
# it, COM1 goes to that file and nothing but the verdict is printed.
#
# Environment: BOCHS_CPU (a model from `bochs --help cpu`, default
# tigerlake), BOCHS_TIMEOUT (seconds, default 3600), BOCHS_IPS (emulated
# instructions per second, default 2000000), BOCHS_DIR (where the filled-in
# bochsrc, Bochs' log and its stdout go; default build/bochs/<model>).
#
# How it ends: the kernel detects Bochs (port 0xE9 reads back 0xE9), writes
# "faultprobe-exit code=0xNN" to port 0xE9 (Bochs' stdout) and "Shutdown" to
# port 0x8900, which ends Bochs (report/exit.c, boot/entry.asm).  This script
# reads that line; Bochs' own exit status is 1 for every fatal exit.
set -u
iso=${1:-build/faultprobe.iso}
serial=${2:-}
cpu=${BOCHS_CPU:-tigerlake}
limit=${BOCHS_TIMEOUT:-3600}
ips=${BOCHS_IPS:-2000000}
dir=${BOCHS_DIR:-build/bochs/$cpu}
here=$(cd "$(dirname "$0")" && pwd)

say() { echo "run-bochs: $*" >&2; }
command -v bochs >/dev/null || { say "bochs is not installed (sh tools/deps.sh)"; exit 1; }
[ -f "$iso" ] || { say "no image $iso"; exit 1; }
case $cpu in *[!a-z0-9_]* | '') say "BOCHS_CPU must be a model name from 'bochs --help cpu'"; exit 1 ;; esac
case $ips in *[!0-9]* | '') say "BOCHS_IPS must be a number"; exit 1 ;; esac
mkdir -p "$dir" || exit 1
dir=$(cd "$dir" && pwd)
iso=$(cd "$(dirname "$iso")" && pwd)/$(basename "$iso")
follow=""
if [ -z "$serial" ]; then
	serial=$dir/serial.log
	follow=1
fi
case $serial in /*) ;; *) serial=$PWD/$serial ;; esac
rm -f "$serial" "$dir/bochs.log" "$dir/bochs.out"
: >"$serial"

# Fill in the template (paths are quoted there; they must not contain '"' or '|').
case "$iso$serial$dir" in *[\"\|]*) say "paths must not contain '\"' or '|'"; exit 1 ;; esac
sed -e "s|@CPU@|$cpu|" -e "s|@IPS@|$ips|" -e "s|@ISO@|$iso|" \
	-e "s|@SERIAL@|$serial|" -e "s|@LOG@|$dir/bochs.log|" \
	"$here/bochs/bochsrc.in" >"$dir/bochsrc" || exit 1

# The rfb display listens on TCP 5900-5949 on every interface (Bochs 2.7
# gui/rfb.cc binds INADDR_ANY).  Where a private network namespace can be
# had (root, or unprivileged user namespaces), Bochs runs inside one, so
# nothing is reachable from outside.
netns=""
if unshare -rn true 2>/dev/null; then netns="unshare -rn"
elif unshare -n true 2>/dev/null; then netns="unshare -n"; fi

# -q: no start menu.  -rc: the debugger (built into Debian's bochs) would
# stop at its prompt before the first instruction; the command file says
# `c` (continue), then `quit`.  stdin is /dev/null: if the debugger ever
# asks for more, it reads end-of-file and exits instead of waiting.
start=$(date +%s)
timeout "$limit" $netns bochs -q -f "$dir/bochsrc" -rc "$here/bochs/debugger.rc" \
	</dev/null >"$dir/bochs.out" 2>"$dir/bochs.err" &
bpid=$!
if [ -n "$follow" ]; then
	tail -n +1 -f --pid="$bpid" "$serial" 2>/dev/null &
	tpid=$!
fi
wait "$bpid"
status=$?
if [ -n "$follow" ]; then
	sleep 0.3
	kill "$tpid" 2>/dev/null
	wait "$tpid" 2>/dev/null
fi
secs=$(( $(date +%s) - start ))

code=$(sed -n 's/^faultprobe-exit code=0x\([0-9a-f][0-9a-f]\)$/\1/p' "$dir/bochs.out" | tail -1)
if [ -n "$code" ]; then
	result=$(( (0x$code << 1) | 1 ))
elif [ "$status" -eq 124 ]; then
	result=124
elif grep -q 'triple fault' "$dir/bochs.log" 2>/dev/null; then
	result=0
else
	result=1
fi
case $result in
33)  say "run complete (status 33, ${secs}s, cpu $cpu)" ;;
35)  say "run complete, but a record was unusable (status 35)" ;;
37)  say "CRASH: an exception no probe expected (status 37)" ;;
39)  say "boot failure (status 39)" ;;
0)   say "triple fault (status 0; see $dir/bochs.log)" ;;
124) say "timed out after ${limit}s (status 124)" ;;
1)   say "Bochs ended without an exit code from the kernel (bochs status $status):"
     grep -A2 'exiting with the following message' "$dir/bochs.err" | sed -n 2p >&2 ;;
*)   say "kernel exit code 0x$code (status $result)" ;;
esac
exit "$result"
