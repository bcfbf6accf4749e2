#!/bin/sh
# check-mb1-image.sh ELF: the kernel image must be one contiguous run in the
# file (file offset - address the same for every LOAD segment with bytes in
# the file), because a Multiboot 1 loader with the header's load addresses
# (boot/entry.asm, the "a.out kludge" QEMU's -kernel needs for an ELF64)
# copies the file from the header's offset as one block.  Run by the
# Makefile after linking; exits 1 naming the segment that breaks it.
set -eu
n=0 delta=0
# LOAD  Offset  VirtAddr  PhysAddr  FileSiz  MemSiz  Flg  Align
readelf -lW "$1" | while read -r type off vaddr paddr filesz rest; do
	[ "$type" = LOAD ] || continue
	[ $((filesz)) -gt 0 ] || continue
	d=$((off - vaddr))
	if [ $n -gt 0 ] && [ $d -ne $delta ]; then
		echo "check-mb1-image.sh: $1: LOAD at $vaddr: file offset - address is $d, not $delta: not one block for Multiboot 1" >&2
		exit 1
	fi
	n=$((n + 1)) delta=$d
done
