#!/bin/sh
# The LA57 set on a CPU without 5-level paging (TCG, -cpu max,la57=off):
# it must say it skipped and why, and the run must complete.
CASE=tcg-nola57
. tests/boot/lib.sh
cmdline=$(cat tests/expect/tcg-nola57/cmdline)
boot_kernel "$cmdline" tcg 120 -cpu max,la57=off
explain_status
grep -q '^la57: skipped (CPUID.7.0:ECX\[16\]=0: this CPU has no 5-level paging)' "$LOG" ||
	fail "no 'la57: skipped (CPUID.7.0:ECX[16]=0: ...)' line"
check_log tests/expect/tcg-nola57/*.expect
pass "(${BOOT_SECONDS}s, LA57 hidden from CPUID: skipped as it should)"
