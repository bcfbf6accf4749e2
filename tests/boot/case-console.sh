#!/bin/sh
# console= and baud= (issue 9 §3: servers are read over the BMC's
# serial-over-LAN, usually COM2): the log goes only where console= sends it,
# a UART that does not answer is named, and the header lists the consoles.
# QEMU: COM1 -> $LOG (FP_LOG=serial), COM2 -> a second file; no UART at
# 0x3E8 (COM3).
CASE=console
FP_LOG=serial
. tests/boot/lib.sh
com2=$TEST_DIR/$CASE.com2.log
rm -f "$com2"
boot_kernel "sets=seed console=com2 console=0x3e8 baud=57600" tcg 60 -serial "file:$com2"
explain_status
tr -d '\r' <"$com2" >"$com2.txt"
grep -q '^boot .* serial=com2 ' "$com2.txt" || fail "COM2's header does not say serial=com2: $(grep -a '^boot ' "$com2.txt" | head -1)"
grep -q '^console: a console= UART did not answer' "$com2.txt" || fail "no note that the UART at 0x3e8 did not answer"
n=$(grep -c '^probe .* set=seed ' "$com2.txt")
[ "$n" -gt 0 ] || fail "no seed records on COM2"
grep -q '^faultprobe: done .*unexpected=0' "$com2.txt" || fail "no clean 'faultprobe: done' line on COM2"
! grep -q '^probe ' "$LOG" || fail "records on COM1 although console= named only COM2 (and 0x3e8)"
# booted by QEMU's -kernel (Multiboot 1): the loader's name, the options
# without the kernel's path in front
grep -q '^boot loader="qemu" firmware=bios ' "$com2.txt" || fail "header does not name QEMU's Multiboot 1 loader"
grep -q '^cmdline="sets=seed console=com2 console=0x3e8 baud=57600"$' "$com2.txt" ||
	fail "cmdline header: $(grep -a '^cmdline=' "$com2.txt")"
pass "($n seed records on COM2 at 57600 baud, none on COM1; the missing UART at 0x3e8 named; ${BOOT_SECONDS}s)"
