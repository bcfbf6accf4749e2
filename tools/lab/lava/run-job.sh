#!/bin/sh
# run-job.sh JOB DEVICE ISO OUTDIR [--validate]: run a faultprobe LAVA job
# with the dispatcher alone (lava-run, no lava-server): JOB's file:// URL is
# pointed at ISO (written to OUTDIR/job.yaml), the log (YAML lines: "target"
# = the serial console, "results" = test cases) goes to OUTDIR/lava.log.
# Exit status: lava-run's, which is 0 for a job that ran to its end even
# when test cases failed; read the cases with results.py.
set -eu
job=$1 device=$2 iso=$3 out=$4
shift 4
mkdir -p "$out"
iso=$(cd "$(dirname "$iso")" && pwd)/$(basename "$iso")
sed "s|file:///srv/faultprobe/faultprobe.iso|file://$iso|" "$job" >"$out/job.yaml"
grep -q "file://$iso" "$out/job.yaml" || { echo "run-job: no file:///srv/faultprobe/faultprobe.iso URL in $job" >&2; exit 2; }
exec lava-run "$@" --job-id "$(basename "$out")" --output-dir "$out/work" --device "$device" "$out/job.yaml" >"$out/lava.log" 2>&1
