#!/bin/sh
# mkiso.sh KERNEL OUT.iso [CMDLINE] — one hybrid image (GRUB i386-pc and
# x86_64-efi) that boots from CD or, written raw, from a USB stick, under
# BIOS and UEFI.  GRUB_TIMEOUT sets the menu's countdown in seconds
# (default "auto": 0 under QEMU, 10 on real hardware; see iso/grub.cfg).
# mkiso.sh --grub-cfg [CMDLINE] prints the grub.cfg it would put in the
# image (tests/boot/case-iso-quoting.sh checks it).
#
# CMDLINE is baked into the default menu entry so that the kernel receives
# exactly those bytes (README.md "Boot options"):
#   - each space-separated word becomes one single-quoted GRUB word: inside
#     single quotes GRUB's script lexer keeps every character literally
#     (; $ # ` { } | & < > * ? ~ ...; GRUB manual, "Shell-like scripting",
#     Quoting), so nothing in it runs a command, expands or starts a comment;
#   - GRUB's multiboot2 command joins its words with one space and puts a
#     backslash before every \ ' and " it passes on
#     (grub-core/lib/cmdline.c, grub_create_loader_cmdline), so those three
#     cannot reach the kernel as typed, and a run of spaces arrives as one:
#     such a CMDLINE is refused with a message, as are control characters
#     (a newline would end the GRUB command).
set -eu

die() {
	printf "mkiso: %s\n" "$*" >&2
	exit 2
}

# check_cmdline TEXT: refuse what GRUB cannot pass on unchanged.
check_cmdline() {
	case $1 in
	*\"* | *\'* | *\\*)
		die "CMDLINE contains a quote or backslash (\" ' \\): GRUB's multiboot2 command would pass it to the kernel with a backslash added (grub-core/lib/cmdline.c); no boot option needs one. CMDLINE was: $1" ;;
	esac
	ctl=$(printf '%s' "$1" | LC_ALL=C tr -d -c '\001-\037\177' | wc -c)
	[ "$ctl" -eq 0 ] ||
		die "CMDLINE contains $ctl control character(s) (newline, tab, escape...): GRUB cannot pass them on; separate options with single spaces"
	case $1 in
	" "* | *" " | *"  "*)
		die "CMDLINE has a leading, trailing or doubled space: GRUB would pass single spaces, so the kernel would not see the text as written. CMDLINE was: '$1'" ;;
	esac
}

# grub_words TEXT: the words of TEXT, each in single quotes, space-separated.
grub_words() {
	out=""
	set -f
	old_ifs=$IFS
	IFS=' '
	# shellcheck disable=SC2086 # splitting on single spaces is the point
	set -- $1
	IFS=$old_ifs
	set +f
	for w in "$@"; do
		out="$out${out:+ }'$w'"
	done
	printf '%s' "$out"
}

# grub_cfg CMDLINE TIMEOUT GFXPAYLOAD: iso/grub.cfg with the placeholders
# filled in.  awk's index/substr copy the values byte for byte (sed's and
# gsub's replacement text would interpret & and \).
grub_cfg() {
	FP_ARGS=$(grub_words "$1")
	# The menu title is double-quoted: there only $ (and \ " which are
	# refused above) is special (GRUB manual, Quoting).
	FP_TITLE=$(printf '%s' "$1" | sed 's/\$/\\$/g')
	FP_TIMEOUT=$2 FP_GFX=$3
	export FP_ARGS FP_TITLE FP_TIMEOUT FP_GFX
	awk 'function fill(line, tag, val,    i, out) {
		out = ""
		while ((i = index(line, tag)) > 0) {
			out = out substr(line, 1, i - 1) val
			line = substr(line, i + length(tag))
		}
		return out line
	}
	{
		line = fill($0, "@CMDLINE_ARGS@", ENVIRON["FP_ARGS"])
		line = fill(line, "@CMDLINE_TITLE@", ENVIRON["FP_TITLE"])
		line = fill(line, "@TIMEOUT@", ENVIRON["FP_TIMEOUT"])
		line = fill(line, "@GFXPAYLOAD@", ENVIRON["FP_GFX"])
		print line
	}' iso/grub.cfg
}

timeout=${GRUB_TIMEOUT:-auto}
case $timeout in
auto | [0-9] | [0-9][0-9] | [0-9][0-9][0-9]) ;;
*) die "GRUB_TIMEOUT must be a number of seconds or auto, got '$timeout'" ;;
esac
# GRUB_GFXPAYLOAD forces the screen mode GRUB hands over (see iso/grub.cfg).
gfx=${GRUB_GFXPAYLOAD:-}
case $gfx in
*[!0-9a-z,]*) die "GRUB_GFXPAYLOAD must look like 800x600x16, text or auto, got '$gfx'" ;;
esac

if [ "${1:-}" = --grub-cfg ]; then
	cmdline=${2:-}
	check_cmdline "$cmdline"
	grub_cfg "$cmdline" "$timeout" "$gfx"
	exit 0
fi

[ $# -ge 2 ] || die "usage: mkiso.sh KERNEL OUT.iso [CMDLINE] | mkiso.sh --grub-cfg [CMDLINE]"
kernel=$1
out=$2
cmdline=${3:-}
check_cmdline "$cmdline"

stage=$(mktemp -d)
trap 'rm -rf "$stage" "$stage.log"' EXIT
mkdir -p "$stage/boot/grub"
cp "$kernel" "$stage/boot/faultprobe.elf"
grub_cfg "$cmdline" "$timeout" "$gfx" > "$stage/boot/grub/grub.cfg"
# No GRUB locales, fonts or themes: the menu uses the firmware text console
# (halves the image).
grub-mkrescue --locales= --fonts= --themes= -o "$out" "$stage" >/dev/null 2>"$stage.log" || { cat "$stage.log" >&2; exit 1; }
echo "mkiso: $out ($(du -k "$out" | cut -f1) KiB) cmdline='$cmdline'"
