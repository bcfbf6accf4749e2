#!/bin/sh
# mkiso.sh KERNEL OUT.iso [CMDLINE] — one hybrid image (GRUB i386-pc and
# x86_64-efi) that boots from CD or, written raw, from a USB stick, under
# BIOS and UEFI.  GRUB_TIMEOUT (default 0) sets the menu's countdown.
set -eu
kernel=$1
out=$2
cmdline=${3:-}
timeout=${GRUB_TIMEOUT:-0}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$kernel" "$stage/boot/faultprobe.elf"
# escape characters special to sed's replacement
esc=$(printf '%s' "$cmdline" | sed 's/[\\&|]/\\&/g')
sed -e "s|@CMDLINE@|$esc|g" -e "s|@TIMEOUT@|$timeout|g" iso/grub.cfg > "$stage/boot/grub/grub.cfg"
grub-mkrescue -o "$out" "$stage" >/dev/null 2>"$stage.log" || { cat "$stage.log" >&2; rm -f "$stage.log"; exit 1; }
rm -f "$stage.log"
echo "mkiso: $out ($(du -k "$out" | cut -f1) KiB) cmdline='$cmdline'"
