#!/bin/sh
# The default ISO under QEMU TCG with SeaBIOS: every probe record must match
# tests/expect/tcg/*.expect.
CASE=tcg-bios
. tests/boot/lib.sh
boot_iso "$1" tcg bios 120
explain_status
check_log tests/expect/tcg/*.expect
pass "(${BOOT_SECONDS}s, $(grep -c '^probe ' "$LOG") probe records, $(tail -1 "$TEST_DIR/$CASE.fpcheck.txt" | sed 's/.*: //'))"
