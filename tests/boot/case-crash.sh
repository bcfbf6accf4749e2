#!/bin/sh
# An exception no probe expects must end in an oops, a FAIL summary
# (unexpected=1) and QEMU status 37 — never a silent reset or a hang.
# selftest=crash: ud2 -> #UD.  selftest=df: push with a non-canonical RSP ->
# the fault cannot be delivered on that stack -> #DF, handled on IST1.
# Booted without GRUB (QEMU -kernel): the crash path is the kernel's.
CASE=crash
. tests/boot/lib.sh
for t in crash:invalid_opcode df:double_fault; do
	name=${t%%:*}
	title=$(echo "${t#*:}" | tr _ ' ')
	CASE=crash-$name
	boot_kernel "sets=none selftest=$name" tcg 60
	[ "$QEMU_STATUS" -eq 37 ] || fail "selftest=$name: QEMU status $QEMU_STATUS, want 37 (crash reported)"
	grep -q "^$title: 0000 \[#1\]" "$LOG" || fail "selftest=$name: no '$title: 0000 [#1]' oops title"
	grep -q '^RIP: 0010:' "$LOG" || fail "selftest=$name: no RIP line"
	grep -q '^faultprobe: done probes=0 faults=0 unexpected=1' "$LOG" || fail "selftest=$name: no FAIL summary"
	if [ "$name" = df ]; then
		grep -q 'on stack ist1' "$LOG" || fail "selftest=df: #DF frame not reported on ist1"
	fi
done
CASE=crash
pass "(ud2 -> #UD oops, bad RSP -> #DF on ist1; both status 37)"
