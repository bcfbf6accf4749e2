#!/bin/sh
# The default ISO under OVMF (UEFI, TCG): complete run (status 33), the
# serial log matches tests/expect/tcg/*.expect, and every probe record gives
# the same result as under SeaBIOS (one image, both firmwares).  This case
# keeps the log on COM1 (the 16550 path, FIFO-aware writes) and compares it
# with the BIOS boot's log through the virtio console: the two output paths
# carry the same records.
CASE=uefi
. tests/boot/lib.sh
. tests/boot/lib5.sh
FP_LOG=serial boot_iso "$1" tcg uefi 90
explain_status
check_log tests/expect/tcg/*.expect
grep -q 'firmware=uefi screen=framebuffer fb=[0-9]*x[0-9]*x32/rgb' "$LOG" ||
	fail "header does not say firmware=uefi screen=framebuffer .../rgb: $(grep -a 'firmware=' "$LOG" | head -1)"
uefi_log=$LOG uefi_s=$BOOT_SECONDS
CASE=uefi-vs-bios-ref
boot_iso "$1" tcg bios 60
CASE=uefi
[ "$QEMU_STATUS" = 33 ] || fail "BIOS reference boot ended with status $QEMU_STATUS"
same_probe_results "$LOG" "$uefi_log" || fail "UEFI and BIOS probe results differ: $DIFF_WHY"
LOG=$uefi_log
pass "(${uefi_s}s, $(grep -c '^probe ' "$LOG") probe records on COM1, identical to SeaBIOS's through the virtio console)"
