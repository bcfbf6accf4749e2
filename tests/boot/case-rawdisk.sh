#!/bin/sh
# The hybrid image written raw, as `dd` puts it on a USB stick: attached as
# a raw hard disk (-drive file=ISO,format=raw) and as a USB stick
# (usb-storage on xHCI), each under SeaBIOS and OVMF.  Every boot must
# complete (status 33) with the same probe results as the CD-ROM boot.
CASE=rawdisk
. tests/boot/lib.sh
. tests/boot/lib5.sh
iso=$1
CASE=rawdisk-ref
boot_iso "$iso" tcg bios 60
ref=$LOG
[ "$QEMU_STATUS" = 33 ] || { CASE=rawdisk; fail "reference CD-ROM boot ended with status $QEMU_STATUS"; }
res=""
for media in disk usb; do
	for fw in bios uefi; do
		CASE=rawdisk-$media-$fw
		FP_MEDIA=$media boot_iso "$iso" tcg "$fw" 90
		status=$QEMU_STATUS
		CASE=rawdisk
		[ "$status" = 33 ] || fail "$media/$fw ended with status $status (log: $LOG)"
		same_probe_results "$ref" "$LOG" || fail "$media/$fw probe results differ from the CD boot: $DIFF_WHY"
		grep -q "firmware=$fw " "$LOG" || fail "$media/$fw: header does not say firmware=$fw"
		res="$res $media/$fw ${BOOT_SECONDS}s"
	done
done
pass "(same probe results as CD-ROM:$res)"
