#!/bin/sh
# LAVA: the job definitions pass lava_common's job schema (what lava-server
# checks on submission) and `lava-run --validate` against their devices: the
# QEMU job on devices/qemu01.yaml, the USB-stick job on the real PC's
# devices/pc01.yaml and on the bench's devices/pc-bench.yaml.  Broken jobs
# are rejected: a monitor without `end` and a fixupdict value LAVA does not
# know by the schema; a schema-valid job without `context: arch` by lava-run.
# The monitor pattern, replayed on a small log, records the right cases.
CASE=lava-jobs
. tests/boot/lib.sh
. tests/boot/lablib.sh
lab_need "LAVA (Debian packages lava-dispatcher, lava-common)" /usr/bin/python3 -c 'import lava_common.schemas, lava_dispatcher'
lab_need "lava-run" command -v lava-run
L=tools/lab/lava
out=$TEST_DIR/$CASE
rm -rf "$out"
mkdir -p "$out"
LOG=$out/schema.txt
start=$(date +%s.%N)

$L/validate-job.py $L/job-qemu.yaml $L/job-usb-pc.yaml >"$LOG" 2>&1 ||
	fail "schema: $(grep INVALID "$LOG" | head -1)"
[ "$(sed -n '/monitors:/,$p' $L/job-qemu.yaml)" = "$(sed -n '/monitors:/,$p' $L/job-usb-pc.yaml)" ] ||
	fail "job-qemu.yaml and job-usb-pc.yaml monitor differently"

# Broken copies: each must be INVALID for the schema.
/usr/bin/python3 - "$L/job-qemu.yaml" "$out" <<'PY' || fail "cannot write the broken jobs"
import copy, sys, yaml
job = yaml.safe_load(open(sys.argv[1]))
mon = lambda j: j["actions"][2]["test"]["monitors"][0]
b = copy.deepcopy(job); del mon(b)["end"]
yaml.safe_dump(b, open(f"{sys.argv[2]}/broken-no-end.yaml", "w"))
b = copy.deepcopy(job); mon(b)["fixupdict"]["no"] = "failed"
yaml.safe_dump(b, open(f"{sys.argv[2]}/broken-fixupdict.yaml", "w"))
b = copy.deepcopy(job); del b["context"]["arch"]
yaml.safe_dump(b, open(f"{sys.argv[2]}/broken-no-arch.yaml", "w"))
PY
for b in no-end fixupdict; do
	if $L/validate-job.py "$out/broken-$b.yaml" >>"$LOG" 2>&1; then fail "schema accepted broken-$b.yaml"; fi
done
grep -q "broken-no-end.yaml: INVALID: required key not provided .*\['end'\]" "$LOG" || fail "broken-no-end.yaml rejected for another reason: $(grep no-end "$LOG")"
grep -q "broken-fixupdict.yaml: INVALID: not a valid value .*\['fixupdict'\]\['no'\]" "$LOG" || fail "broken-fixupdict.yaml rejected for another reason: $(grep fixupdict "$LOG")"
$L/validate-job.py "$out/broken-no-arch.yaml" >>"$LOG" 2>&1 || fail "the schema should accept broken-no-arch.yaml (lava-run is what refuses it)"

# The monitor, replayed the way LAVA reads a console (replay-monitor.py):
# keys in any order and extra keys (the matrix's slice=), records of other
# types and "probe" inside a line ignored, \r\r\n line ends (pty),
# unexpected=12 fails `done`, a log cut short has no `done` and no end.
cat >"$out/replay.log" <<'LOG'
faultprobe: what does this CPU do when a memory access faults?
probe id=1 set=seed op=load base=rbp addr=0x0000800000000000 vector=#GP err=0x0 rule=#SS agrees=no platform=tcg
  1  0x0000800000000000  rbp  8  #GP    0x0  -  #SS  NO
probe set=matrix slice=edges op=load agrees=yes id=2 vector=#PF platform=tcg
frame id=3 agrees=no
vmcore: a line that mentions probe id=9 agrees=yes
probe agrees=yes platform=tcg id=10 set=seed
faultprobe: platform=tcg disagreements with the manuals' rules: 1 of 3
faultprobe: done probes=3 faults=3 unexpected=0
LOG
sed 's/unexpected=0/unexpected=12/' "$out/replay.log" >"$out/replay-crash.log"
head -c -60 "$out/replay.log" >"$out/replay-cut.log"
for r in "replay:1 fail,2 pass,10 pass,done pass,end" "replay-crash:1 fail,2 pass,10 pass,done fail,end" \
	"replay-cut:1 fail,2 pass,10 pass,no end (eof)"; do
	got=$($L/replay-monitor.py $L/job-qemu.yaml "$out/${r%%:*}.log" | paste -sd, -)
	[ "$got" = "${r#*:}" ] || fail "monitor on ${r%%:*}.log: got '$got', want '${r#*:}'"
done

# lava-run --validate: the pipeline is built and every action validates.
seed=$(lab_iso seed "sets=seed") || fail "cannot build the seed ISO"
for jd in job-qemu:qemu01 job-usb-pc:pc01 job-usb-pc:pc-bench; do
	j=${jd%%:*} d=${jd#*:}
	$L/run-job.sh $L/$j.yaml $L/devices/$d.yaml "$seed" "$out/$j-$d" --validate ||
		fail "lava-run --validate $j on $d: $(grep -E '"lvl": "error"' "$out/$j-$d/lava.log" | head -2 | cut -c1-300)"
	grep -q '"case": "validate", "definition": "lava", "result": "pass"' "$out/$j-$d/lava.log" ||
		fail "lava-run --validate $j on $d: no passing validate result"
done
if $L/run-job.sh "$out/broken-no-arch.yaml" $L/devices/qemu01.yaml "$seed" "$out/no-arch" --validate; then
	fail "lava-run --validate accepted a job without context: arch"
fi
grep -q "Missing 'arch' in job context" "$out/no-arch/lava.log" || fail "no-arch job refused for another reason"
pass "($(elapsed "$start")s; schema: 2 jobs valid, 2 broken rejected; monitor replay: 3 logs; lava-run --validate: qemu01, pc01, pc-bench pass, job without arch refused)"
