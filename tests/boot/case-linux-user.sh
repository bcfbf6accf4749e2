#!/bin/sh
# faultprobe-user: the probe sets at CPL 3 on this machine's own CPU (Linux
# user space, no reboot).  Builds build/faultprobe-user, runs it and checks
# every record against the silicon model (build/fpcheck --platform auto: a
# linux-user log is silicon on any vendor, probes/model/platform.h), plus
# the vendor's expectation rows when tests/expect/linux-user-<vendor>/
# exists (Intel: the seed rows recorded there).  Never skips for lack of a
# profile.  $1 (the ISO) is not used.
CASE=linux-user
. tests/boot/lib.sh
[ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] || skip "needs Linux on x86-64, this is $(uname -s)/$(uname -m)"
vendor=$(sed -n 's/^vendor_id[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -1)
case $vendor in
GenuineIntel) v=intel ;;
AuthenticAMD) v=amd ;;
HygonGenuine) v=hygon ;;
*) v=$(printf '%s' "$vendor" | tr -c 'A-Za-z0-9' '_' | tr 'A-Z' 'a-z') ;;
esac
dir=tests/expect/linux-user-$v
make -s user build/fpcheck >"$TEST_DIR/$CASE.make.txt" 2>&1 ||
	fail "cannot build build/faultprobe-user or build/fpcheck (see $TEST_DIR/$CASE.make.txt)"
LOG=$TEST_DIR/$CASE.log
start=$(date +%s.%N)
build/faultprobe-user quiet >"$LOG" 2>"$TEST_DIR/$CASE.stderr.txt"
st=$?
secs=$(echo "$(date +%s.%N) $start" | awk '{printf "%.2f", $1 - $2}')
[ "$st" -eq 0 ] || fail "faultprobe-user exited with status $st: $(tail -2 "$LOG" "$TEST_DIR/$CASE.stderr.txt" | tr '\n' ' ')"
grep -q '^faultprobe: done .*unexpected=0' "$LOG" || fail "no clean 'faultprobe: done ... unexpected=0' line"
n=$(grep -c '^probe ' "$LOG")
if [ -d "$dir" ]; then
	check_log "$dir"/*.expect
	profile="silicon model + $dir"
else
	check_log
	profile="silicon model"
fi
model=$(grep -o 'judged ([0-9]* cells): [0-9]* match, [0-9]* differ' "$TEST_DIR/$CASE.fpcheck.txt" | head -1)
pass "(${secs}s, $vendor, $n probe records, $(grep -c '^skip ' "$LOG") skipped; $profile: $model; $(tail -1 "$TEST_DIR/$CASE.fpcheck.txt" | sed 's/.*: //'))"
