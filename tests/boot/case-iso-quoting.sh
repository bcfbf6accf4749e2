#!/bin/sh
# Baked boot options reach the kernel exactly as written, or are refused
# with a message (issue 14 #2).  GRUB's script grammar made `;` run a GRUB
# command (`matrix=x;reboot` rebooted), `"` broke the menu entry, `$x` was
# expanded, `#` dropped the rest, `\` vanished; the Makefile's recipe let
# the shell run backticks in CMDLINE and failed on a lone `"`.
#   1. tools/mkiso.sh --grub-cfg: the words of hostile command lines come
#      out single-quoted (hand-written expected lines), the menu title with
#      $ escaped, and grub-script-check accepts the file;
#   2. what GRUB cannot pass on unchanged (" ' \, control characters, runs
#      of spaces) is refused with a message;
#   3. `make` with a hostile CMDLINE runs nothing from it and bakes it into
#      the image; `make` with a `"` gets mkiso's message, not a shell error;
#   4. that image boots under TCG to status 33 (not a GRUB reboot), and the
#      kernel's cmdline="..." header shows exactly the baked text.
CASE=iso-quoting
. tests/boot/lib.sh
command -v grub-script-check >/dev/null || fail "grub-script-check missing (package grub-common)"
command -v xorriso >/dev/null || fail "xorriso missing"
dir=$TEST_DIR/iso-quoting
rm -rf "$dir"
mkdir -p "$dir"
n=0

# cfg_ok CMDLINE ARGS TITLE: the default entry's multiboot2 line and title.
cfg_ok() {
	tools/mkiso.sh --grub-cfg "$1" >"$dir/grub.cfg" 2>"$dir/err.txt" ||
		fail "mkiso.sh --grub-cfg refused '$1': $(cat "$dir/err.txt")"
	grub-script-check "$dir/grub.cfg" >"$dir/check.txt" 2>&1 ||
		fail "grub-script-check rejects the grub.cfg for '$1': $(tail -2 "$dir/check.txt")"
	got=$(grep -m1 '^	multiboot2 ' "$dir/grub.cfg")
	[ "$got" = "	multiboot2 /boot/faultprobe.elf $2" ] ||
		fail "CMDLINE '$1': multiboot2 line is [$got], want [	multiboot2 /boot/faultprobe.elf $2]"
	got=$(grep -m1 '^menuentry ' "$dir/grub.cfg")
	[ "$got" = "menuentry \"faultprobe: full run (all probe sets) $3\" {" ] ||
		fail "CMDLINE '$1': menu title line is [$got]"
	n=$((n + 1))
}
cfg_ok 'sets=seed matrix=x;reboot' "'sets=seed' 'matrix=x;reboot'" 'sets=seed matrix=x;reboot'
cfg_ok 'addr=$x repeat=${y} #rest' "'addr=\$x' 'repeat=\${y}' '#rest'" 'addr=\$x repeat=\${y} #rest'
cfg_ok 'a=`reboot` b=$(halt) c={d} e|f&g<h>i *?[j] ~k' \
	"'a=\`reboot\`' 'b=\$(halt)' 'c={d}' 'e|f&g<h>i' '*?[j]' '~k'" \
	'a=`reboot` b=\$(halt) c={d} e|f&g<h>i *?[j] ~k'
cfg_ok 'sets=seed' "'sets=seed'" 'sets=seed'
cfg_ok '' '' ''

# refused CMDLINE: exit 2 and a message naming the problem.
refused() {
	if tools/mkiso.sh --grub-cfg "$1" >"$dir/grub.cfg" 2>"$dir/err.txt"; then
		fail "mkiso.sh accepted '$1', which GRUB cannot pass on unchanged"
	fi
	grep -q '^mkiso: CMDLINE ' "$dir/err.txt" || fail "no 'mkiso: CMDLINE ...' message for '$1': $(cat "$dir/err.txt")"
	n=$((n + 1))
}
refused 'matrix=a"b'
refused "matrix=a'b"
refused 'addr=0x1\2'
refused "$(printf 'sets=seed\nreboot')"
refused "$(printf 'sets=seed\tquiet')"
refused 'sets=seed  quiet'
refused ' sets=seed'
refused 'sets=seed '

# 3. Through make: nothing in CMDLINE runs, in the shell or in make.
iso=$dir/quoting.iso
hostile='sets=none x=$y;reboot #z `touch '"$dir"'/ran-backtick` $(touch '"$dir"'/ran-dollar) $(shell touch '"$dir"'/ran-make) {a} a|b&c<d>e'
make -s ISO="$iso" CMDLINE="$hostile" "$iso" >"$dir/make.txt" 2>&1 ||
	fail "make with a hostile CMDLINE failed: $(tail -2 "$dir/make.txt")"
for f in ran-backtick ran-dollar ran-make; do
	[ ! -e "$dir/$f" ] || fail "text from CMDLINE was executed ($f exists)"
done
xorriso -osirrox on -indev "$iso" -extract /boot/grub/grub.cfg "$dir/iso-grub.cfg" >/dev/null 2>&1 ||
	fail "cannot extract grub.cfg from $iso"
tools/mkiso.sh --grub-cfg "$hostile" >"$dir/want-grub.cfg" 2>&1 || fail "mkiso.sh --grub-cfg failed on the hostile CMDLINE"
cmp -s "$dir/iso-grub.cfg" "$dir/want-grub.cfg" || fail "the image's grub.cfg differs from mkiso.sh --grub-cfg for the same CMDLINE"
if make -s ISO="$dir/quote.iso" CMDLINE='matrix=a"b' "$dir/quote.iso" >"$dir/make-quote.txt" 2>&1; then
	fail "make accepted CMDLINE='matrix=a\"b'"
fi
grep -q '^mkiso: CMDLINE contains a quote' "$dir/make-quote.txt" ||
	fail "make CMDLINE='matrix=a\"b' did not give mkiso's message: $(head -2 "$dir/make-quote.txt")"
n=$((n + 2))

# 4. GRUB really passes it on: the kernel echoes what it received.
boot_iso "$iso" tcg bios 60
[ "$QEMU_STATUS" -eq 33 ] || fail "QEMU status $QEMU_STATUS, want 33 (0 means GRUB ran 'reboot' from the CMDLINE)"
got=$(tr -d '\r' <"$LOG" | sed -n 's/^cmdline="\(.*\)"$/\1/p' | head -1)
[ "$got" = "$hostile" ] || fail "kernel header cmdline=\"$got\", want \"$hostile\""
pass "($n checks: hostile words single-quoted, unrepresentable ones refused, make runs nothing, the kernel got the exact text; ${BOOT_SECONDS}s boot)"
