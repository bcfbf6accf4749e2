#!/bin/sh
# mkiso.sh KERNEL OUT.iso [CMDLINE] — one hybrid image (GRUB i386-pc and
# x86_64-efi) that boots from CD or, written raw, from a USB stick, under
# BIOS and UEFI.  GRUB_TIMEOUT sets the menu's countdown in seconds
# (default "auto": 0 under QEMU, 10 on real hardware; see iso/grub.cfg).
set -eu
kernel=$1
out=$2
cmdline=${3:-}
timeout=${GRUB_TIMEOUT:-auto}
case $timeout in
auto | [0-9] | [0-9][0-9] | [0-9][0-9][0-9]) ;;
*) echo "mkiso: GRUB_TIMEOUT must be a number of seconds or auto, got '$timeout'" >&2; exit 2 ;;
esac
# GRUB_GFXPAYLOAD forces the screen mode GRUB hands over (see iso/grub.cfg).
gfx=${GRUB_GFXPAYLOAD:-}
case $gfx in
*[!0-9a-z,]*) echo "mkiso: GRUB_GFXPAYLOAD must look like 800x600x16, text or auto, got '$gfx'" >&2; exit 2 ;;
esac

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$kernel" "$stage/boot/faultprobe.elf"
# escape characters special to sed's replacement
esc=$(printf '%s' "$cmdline" | sed 's/[\\&|]/\\&/g')
sed -e "s|@CMDLINE@|$esc|g" -e "s|@TIMEOUT@|$timeout|g" -e "s|@GFXPAYLOAD@|$gfx|g" iso/grub.cfg > "$stage/boot/grub/grub.cfg"
# No GRUB locales, fonts or themes: the menu uses the firmware text console
# (halves the image).
grub-mkrescue --locales= --fonts= --themes= -o "$out" "$stage" >/dev/null 2>"$stage.log" || { cat "$stage.log" >&2; rm -f "$stage.log"; exit 1; }
rm -f "$stage.log"
echo "mkiso: $out ($(du -k "$out" | cut -f1) KiB) cmdline='$cmdline'"
