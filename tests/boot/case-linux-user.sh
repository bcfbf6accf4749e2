#!/bin/sh
# faultprobe-user: the probe sets at CPL 3 on this machine's own CPU (Linux
# user space, no reboot).  Builds build/faultprobe-user, runs it and checks
# its records against tests/expect/linux-user-<vendor>/*.expect with
# build/fpcheck: silicon differs by vendor, so the profile is picked from
# /proc/cpuinfo's vendor_id, and the case skips (after a clean run) when no
# profile exists for this vendor yet.  A profile's cmdline file names the
# sets it covers.  $1 (the ISO) is not used.
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
# A profile says which sets it covers (its cmdline file, e.g. sets=seed,matrix);
# without a profile every family faultprobe-user has runs.
args=
[ -f "$dir/cmdline" ] && args=$(cat "$dir/cmdline")
start=$(date +%s.%N)
# shellcheck disable=SC2086
build/faultprobe-user quiet $args >"$LOG" 2>"$TEST_DIR/$CASE.stderr.txt"
st=$?
secs=$(echo "$(date +%s.%N) $start" | awk '{printf "%.2f", $1 - $2}')
[ "$st" -eq 0 ] || fail "faultprobe-user exited with status $st: $(tail -2 "$LOG" "$TEST_DIR/$CASE.stderr.txt" | tr '\n' ' ')"
grep -q '^faultprobe: done .*unexpected=0' "$LOG" || fail "no clean 'faultprobe: done ... unexpected=0' line"
n=$(grep -c '^probe ' "$LOG")
[ -d "$dir" ] || skip "no linux-user profile for vendor $vendor ($dir/ missing); $n probes ran cleanly: check $LOG against the rules and add the profile (tools/user/mkexpect.sh)"
check_log "$dir"/*.expect
pass "(${secs}s, $vendor, ${args:-all sets}, $n probe records, $(grep -c '^skip ' "$LOG") skipped, $(tail -1 "$TEST_DIR/$CASE.fpcheck.txt" | sed 's/.*: //'))"
