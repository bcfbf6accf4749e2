#!/bin/sh
# run-one.sh CASE ISO — run one boot case for run-all.sh: its output is
# printed in one piece when it ends (cases run side by side), its exit
# status and wall time are kept in $TEST_DIR/run/NAME.{rc,t}.
c=$1 iso=$2
TEST_DIR=${TEST_DIR:-build/test}
name=$(basename "$c" .sh)
out=$TEST_DIR/run/$name.out
start=$(date +%s.%N)
sh "$c" "$iso" >"$out" 2>&1
rc=$?
end=$(date +%s.%N)
echo "$rc" >"$TEST_DIR/run/$name.rc"
echo "$end $start $c" | awk '{printf "%7.1f %s\n", $1 - $2, $3}' >"$TEST_DIR/run/$name.t"
flock "$TEST_DIR/run/.print" cat "$out"
