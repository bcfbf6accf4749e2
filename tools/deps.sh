#!/bin/sh
# deps.sh — install what faultprobe needs from Debian's archive.  Idempotent:
# packages already installed are skipped, and apt-get runs only if some are
# missing.  Run as root (or with sudo available).  Everything is installed
# with --no-install-recommends (lava-dispatcher's recommends are heavy).
set -eu
PKGS="make gcc nasm binutils qemu-system-x86 grub-pc-bin grub-efi-amd64-bin grub-common \
xorriso mtools ovmf libcmocka-dev console-setup-linux clang libclang-rt-14-dev gzip python3 \
bochs bochsbios vgabios librsvg2-bin libpng-dev libzydis-dev \
time perl libtap-formatter-junit-perl python3-junitparser python3-tap python3-yaml libxml2-utils"
# Lab integrations (tools/lab/, issue 12): labgrid with Debian's pytest
# (/usr/bin/pytest; a pyenv python3 on PATH cannot import labgrid), socat for
# the lab bench's serial adapter, LAVA's dispatcher (lava-run) and lava_common
# (the job schema).
PKGS="$PKGS labgrid python3-pytest socat lava-dispatcher lava-common"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing:$missing"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
