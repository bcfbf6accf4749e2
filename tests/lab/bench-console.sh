#!/bin/sh
# bench-console.sh [ISO]: how fast faultprobe's serial log reaches labgrid
# (README.md, "Running it in your lab or CI").  Boots ISO (default: the
# default run, build/faultprobe.iso) three ways and prints seconds and bytes:
#   file      QEMU -serial file: (the baseline)
#   qemu      labgrid QEMUDriver (tools/lab/labgrid/env-qemu.yaml)
#   bench     labgrid SerialDriver on a socat pty (env-bench.yaml)
# and how many 1-byte messages fit in a Unix stream socket's send buffer
# (QEMU's 16550 sends each byte alone; QEMUDriver reads its socket).
# Not part of make test: the QEMUDriver run of the default ISO takes ~1 min.
set -eu
iso=${1:-build/faultprobe.iso}
out=build/test/bench-console
mkdir -p "$out"
/usr/bin/python3 - <<'PY'
import socket
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
a.setblocking(False)
n = 0
try:
    while True:
        a.send(b"x"); n += 1
except BlockingIOError:
    pass
print(f"unix socket: {n} one-byte messages fit in SO_SNDBUF={a.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)}")
PY
s=$(date +%s.%N)
timeout 300 tools/qemu-cmd.sh "$iso" tcg bios -display none -serial "file:$out/file.log" >/dev/null 2>&1 || true
echo "file:  $(echo "$(date +%s.%N) $s" | awk '{printf "%.1f", $1-$2}') s, $(wc -c <"$out/file.log") bytes"
for env in qemu bench; do
	bench=$PWD/$out/bench
	[ $env = bench ] && tools/lab/bench.sh up "$bench"
	mkdir -p "$out/$env"
	LG_FAULTPROBE_ISO=$PWD/$iso LG_FAULTPROBE_BENCH=$bench FAULTPROBE_LOG_DIR=$out/$env FAULTPROBE_RUN_SECONDS=600 \
		/usr/bin/pytest -p no:cacheprovider -q -s --lg-env tools/lab/labgrid/env-$env.yaml \
		tools/lab/labgrid/test_faultprobe.py </dev/null >"$out/$env.txt" 2>&1 || true
	[ $env = bench ] && tools/lab/bench.sh down "$bench"
	echo "$env: $(grep -o 'probes=.*' "$out/$env.txt" || tail -1 "$out/$env.txt")"
done
