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
grep -q '^console: a console= device did not answer' "$com2.txt" || fail "no note that the UART at 0x3e8 did not answer"
n=$(grep -c '^probe .* set=seed ' "$com2.txt")
[ "$n" -gt 0 ] || fail "no seed records on COM2"
grep -q '^faultprobe: done .*unexpected=0' "$com2.txt" || fail "no clean 'faultprobe: done' line on COM2"
! grep -q '^probe ' "$LOG" || fail "records on COM1 although console= named only COM2 (and 0x3e8)"
# booted by QEMU's -kernel (Multiboot 1): the loader's name, the options
# without the kernel's path in front
grep -q '^boot loader="qemu" firmware=bios ' "$com2.txt" || fail "header does not name QEMU's Multiboot 1 loader"
grep -q '^cmdline="sets=seed console=com2 console=0x3e8 baud=57600"$' "$com2.txt" ||
	fail "cmdline header: $(grep -a '^cmdline=' "$com2.txt")"
seconds=$BOOT_SECONDS
# Found by trying (issue 14, "go looking for the next ones"): console=virtio
# on a machine without a virtio console left the log nowhere with status 33,
# and a UART named twice got every line twice.
boot_kernel "sets=seed console=virtio console=com1 console=ttyS0" tcg 60
explain_status
t=$TEST_DIR/$CASE.b.txt
tr -d '\r' <"$LOG" >"$t"
grep -q "^cmdline: duplicate console 'console=ttyS0' (each UART takes the log once)" "$t" ||
	fail "no error for the UART named twice"
[ "$(grep -c '^faultprobe: done ' "$t")" = 1 ] || fail "the log on COM1 is written more than once"
boot_kernel "sets=seed console=virtio" tcg 60
explain_status
t=$TEST_DIR/$CASE.c.txt
tr -d '\r' <"$LOG" >"$t"
grep -q '^console: none of the console= devices answered: the log stays on the default consoles' "$t" ||
	fail "console=virtio without a virtio console: the log is not kept on COM1 with a note"
grep -q '^faultprobe: done .*unexpected=0' "$t" || fail "console=virtio without a virtio console: no log on COM1"
pass "($n seed records on COM2 at 57600 baud, none on COM1; the missing UART at 0x3e8 named; a UART named twice takes the log once; console=virtio without the device keeps the log on COM1; ${seconds}s)"
