#!/bin/sh
# The kernel's own crashes explained end to end from its serial log: boot
# selftest=crash (ud2 -> #UD) and selftest=df (push with RSP =
# 0x8000000000000000 -> #SS that cannot be delivered on that stack -> #DF on
# IST1) under QEMU TCG, run build/fpexplain on each log.
# Expected by hand: ud2 always raises #UD (SDM Vol.2B UD).  The push writes
# [RSP-8, RSP) = 0x7ffffffffffffff8.., non-canonical, through SS (SDM Vol.1
# 3.7.4): #SS(0); its frame goes on the same stack, a second contributory
# fault during delivery is a #DF (SDM Vol.3 6.15 int 8, Table 6-5); the #DF
# frame is on IST1, so the saved RSP is not next to it (frame_pad=-1).
CASE=fpexplain-selftest
. tests/boot/lib.sh
FPX=build/fpexplain
# any sanitizer report is a failure (the build has ASan/UBSan)
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=abort_on_error=0:detect_leaks=1
[ -x "$FPX" ] || make -s "$FPX" >/dev/null 2>&1 || fail "cannot build $FPX"
for name in crash df; do
	iso=$TEST_DIR/faultprobe-fpx-$name.iso
	tools/mkiso.sh build/faultprobe.elf "$iso" "selftest=$name" >/dev/null || fail "cannot build $iso"
	CASE=fpexplain-selftest-$name
	boot_iso "$iso" tcg bios 120
	[ "$QEMU_STATUS" -eq 37 ] || fail "selftest=$name: QEMU status $QEMU_STATUS, want 37"
	"$FPX" "$LOG" >"$TEST_DIR/$CASE.explain.txt" 2>&1 || fail "fpexplain exit $? on $LOG"
	line=$(grep '^explain ' "$TEST_DIR/$CASE.explain.txt")
	[ "$(printf '%s\n' "$line" | wc -l)" -eq 1 ] || fail "selftest=$name: want one report"
	frame=$(sed -n 's/^hardware frame at \([0-9a-f]*\) on stack.*/0x\1/p' "$LOG" | head -1)
	[ -n "$frame" ] || fail "no 'hardware frame at' line in $LOG"
	if [ $name = crash ]; then
		want="title=#UD insn=\"ud2\" rule=#UD agrees=yes source=faultprobe frame=$frame frame_pad=0"
	else
		want="title=#DF insn=\"push %rax\" op=push width=8 base=rsp seg=ss ea=0x7ffffffffffffff8 rule=#DF rule_first=#SS agrees=yes silicon=#SS source=faultprobe frame=$frame frame_pad=-1"
	fi
	for kv in $want; do
		case " $line " in *" $kv "*) ;; *) fail "selftest=$name: want $kv in: $line" ;; esac
	done
	grep -q "the dump's own labels: [0-9]* compared with fpexplain's, 0 differ" "$TEST_DIR/$CASE.explain.txt" ||
		fail "selftest=$name: fpexplain's frame labels differ from the kernel's"
done
CASE=fpexplain-selftest
pass "(ud2 -> #UD agrees; push at 0x8000000000000000 -> #SS -> #DF agrees; frame labels match the kernel's)"
