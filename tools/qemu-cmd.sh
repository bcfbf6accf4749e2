#!/bin/sh
# qemu-cmd.sh ISO [tcg|kvm] [bios|uefi] [extra qemu args...]
# Prints nothing; execs QEMU with the options every faultprobe run uses:
# serial on stdout, isa-debug-exit at 0xf4, no reboot on triple fault.
set -eu
iso=$1; accel=${2:-tcg}; fw=${3:-bios}
shift 3 2>/dev/null || shift $#
cpu=max
[ "$accel" = kvm ] && cpu=host,-arch-capabilities
set -- -accel "$accel" -cpu "$cpu" -m 256 -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-cdrom "$iso" "$@"
if [ "$fw" = uefi ]; then
	vars=$(mktemp)
	cp /usr/share/OVMF/OVMF_VARS_4M.fd "$vars"
	set -- -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
		-drive if=pflash,format=raw,file="$vars" "$@"
fi
exec qemu-system-x86_64 "$@"
