#!/bin/sh
# The log tools' parser, record contract and fpcheck core are host-only
# (tools/): none of them may be linked into the kernel (report/logparse.c
# used to be, through the kernel's report/*.c wildcard).
CASE=host-only
. tests/boot/lib.sh
[ -f build/faultprobe.elf ] || fail "build/faultprobe.elf missing"
syms=$(nm build/faultprobe.elf | awk '$3 ~ /^(log_parse_line|log_get|log_line_trim|probe_contract_check|fpc_new|fpd_log_load_mem)$/ { print $3 }' | tr '\n' ' ')
[ -z "$syms" ] || fail "host-only code linked into the kernel: $syms"
for f in tools/*.c; do
	case $f in tools/psf2c.c | tools/fbfind*.c | tools/vgatext.c) continue ;; esac
	o=build/k/${f%.c}.o
	[ ! -e "$o" ] || fail "$o exists: a tools/ source was compiled for the kernel"
done
pass "(no log parser, record contract, fpcheck or fpdiff code in build/faultprobe.elf)"
