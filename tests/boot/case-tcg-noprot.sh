#!/bin/sh
# The smap and pgprot families on a CPU without SMAP and protection keys
# (TCG, -cpu max,smap=off,pku=off): smap must say it skipped and why, pgprot
# must run every slice but pk and say why pk skipped (`family` records,
# tests/expect/tcg-noprot/).
CASE=tcg-noprot
. tests/boot/lib.sh
dir=tests/expect/tcg-noprot
iso=$TEST_DIR/faultprobe-noprot.iso
tools/mkiso.sh build/faultprobe.elf "$iso" "$(cat "$dir/cmdline")" >/dev/null || fail "cannot build $iso"
boot_iso "$iso" tcg bios 120 -cpu max,smap=off,pku=off
explain_status
check_log "$dir"/*.expect
pass "(${BOOT_SECONDS}s, $(grep -c '^family ' "$LOG") skip records, $(tail -1 "$TEST_DIR/$CASE.fpcheck.txt" | sed 's/.*: //'))"
