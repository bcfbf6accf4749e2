#!/bin/sh
# render-devices.sh — re-render devices/*.yaml, the device configurations
# lava-run reads, from the device dictionaries devices/*.jinja2.  lava-server
# renders them at job time; only it ships LAVA's device-type templates
# (base.jinja2, qemu.jinja2), and it is not installed here (it needs a
# database and a web server).  When /usr/share/lava-server/device-types is
# absent, the lava-server package of the Debian release is downloaded
# (apt-get download: not installed) and unpacked in a temporary directory.
# Needs python3-jinja2 and python3-yaml (labgrid depends on both).
set -eu
cd "$(dirname "$0")"
types=/usr/share/lava-server/device-types
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -f "$types/base.jinja2" ]; then
	(cd "$tmp" && apt-get download lava-server >/dev/null 2>&1 && dpkg-deb -x lava-server_*.deb x)
	types=$tmp/x/usr/share/lava-server/device-types
	echo "render-devices: templates from $(cd "$tmp" && ls lava-server_*.deb)"
fi
./render-device.py "$types" qemu01 job-qemu.yaml >devices/qemu01.yaml
./render-device.py "$types" pc01 >devices/pc01.yaml
./render-device.py "$types" pc-bench >devices/pc-bench.yaml
echo "render-devices: devices/qemu01.yaml devices/pc01.yaml devices/pc-bench.yaml"
