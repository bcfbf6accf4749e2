#!/bin/sh
# qemu-cmd.sh ISO [tcg|kvm] [bios|uefi] [extra qemu args...]
# (FP_MEDIA=kernel FP_CMDLINE='...' qemu-cmd.sh build/faultprobe.elf tcg bios ...: no GRUB)
# Prints nothing; execs QEMU with the options every faultprobe run uses:
# serial on stdout (-serial stdio, unless the extra args bring their own
# -serial, e.g. -serial file:LOG or -serial none, or -nographic, which puts
# serial and monitor on stdio itself), isa-debug-exit at 0xf4, no reboot on
# triple fault.  Add -display none for no window.
#
# FP_MEDIA picks how the image is attached (default cdrom):
#   cdrom  -cdrom ISO (an optical drive: El Torito, BIOS and UEFI)
#   disk   the ISO as a raw hard disk (what `dd` to a disk gives: the hybrid
#          MBR/GPT of grub-mkrescue), -drive file=ISO,format=raw
#   usb    the ISO as a USB stick on an xHCI controller (usb-storage)
#   kernel no GRUB: ISO is the kernel ELF (build/faultprobe.elf), loaded by
#          QEMU's -kernel as a Multiboot 1 image (boot/entry.asm), with the
#          boot options in FP_CMDLINE (-append); BIOS only.  The tests' fast
#          path where GRUB is not what is tested.
# disk and usb use snapshot=on: the image file is never written.
set -eu
iso=$1; accel=${2:-tcg}; fw=${3:-bios}
shift 3 2>/dev/null || shift $#
serial="-serial stdio"
for a in "$@"; do
	case $a in
	-serial | -nographic) serial="" ;;
	esac
done
# shellcheck disable=SC2086 # $serial is empty or two words
set -- "$@" $serial
cpu=max
[ "$accel" = kvm ] && cpu=host,-arch-capabilities
case ${FP_MEDIA:-cdrom} in
cdrom) set -- -cdrom "$iso" "$@" ;;
disk)  set -- -drive file="$iso",format=raw,if=ide,snapshot=on "$@" ;;
usb)   set -- -device qemu-xhci,id=xhci \
		-drive if=none,id=stick,file="$iso",format=raw,snapshot=on \
		-device usb-storage,bus=xhci.0,drive=stick,bootindex=0 "$@" ;;
kernel)
	[ "$fw" = bios ] || { echo "qemu-cmd.sh: FP_MEDIA=kernel boots under SeaBIOS only" >&2; exit 2; }
	set -- -kernel "$iso" -append "${FP_CMDLINE:-}" "$@" ;;
*) echo "qemu-cmd.sh: FP_MEDIA must be cdrom, disk, usb or kernel" >&2; exit 2 ;;
esac
set -- -accel "$accel" -cpu "$cpu" -m 256 -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@"
if [ "$fw" = uefi ]; then
	# The variable store is opened with snapshot=on: OVMF may write to it,
	# the writes go to a temporary overlay that QEMU deletes on exit.
	set -- -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
		-drive if=pflash,format=raw,snapshot=on,file=/usr/share/OVMF/OVMF_VARS_4M.fd "$@"
fi
exec qemu-system-x86_64 "$@"
