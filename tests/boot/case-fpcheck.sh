#!/bin/sh
# Self-test of build/fpcheck, the tool every boot verdict rests on: a good
# log and expectation pass, and each kind of tampering must fail.
CASE=fpcheck
. tests/boot/lib.sh
[ -x build/fpcheck ] || fail "build/fpcheck missing (make build/fpcheck)"
dir=$TEST_DIR/fpcheck-selftest
rm -rf "$dir"
mkdir -p "$dir"

cat > "$dir/log" <<'LOG'
faultprobe: header text that is not a record
probe id=1 set=seed op=load base=rbp index=rax seg=none width=8 cpl=0 paging=4 addr=0x0000800000000000 vector=#GP err=0x0 cr2=- rule=#SS rule_err=0x0 agrees=no
probe id=2 set=seed op=load base=r15 index=rax seg=none width=8 cpl=0 paging=4 addr=0x0000800000000000 vector=#GP err=0x0 cr2=- rule=#GP rule_err=0x0 agrees=yes
probe id=3 set=seed op=load base=r15 index=rax seg=none width=8 cpl=0 paging=4 addr=0x0000100000000000 vector=#PF err=0x0 cr2=0x0000100000000000 rule=#PF rule_err=0x0 agrees=yes
faultprobe: done probes=3 faults=3 unexpected=0
LOG
good_rbp='probe set=seed base=rbp addr=0x0000800000000000 | op=load width=8 index=rax seg=none cpl=0 paging=4 vector=#GP err=0x0 cr2=- rule=#SS rule_err=0x0 agrees=no  # DEVIATION tcg-noncanonical-gp: TCG raises #GP'
good_r15='probe set=seed base=r15 addr=0x0000800000000000 | op=load width=8 index=rax seg=none cpl=0 paging=4 vector=#GP err=0x0 cr2=- rule=#GP rule_err=0x0 agrees=yes'
good_pf='probe set=seed base=r15 addr=0x0000100000000000 | op=load width=8 index=rax seg=none cpl=0 paging=4 vector=#PF err=0x0 cr2=0x0000100000000000 rule=#PF rule_err=0x0 agrees=yes'
summary='summary probes=3 unexpected=0'

# expect NAME STATUS [--strict] LOG -- LINES... : run fpcheck, compare status.
n=0
expect() {
	name=$1 want=$2
	shift 2
	mode=""
	[ "$1" = --strict ] && { mode=--strict; shift; }
	log=$1
	shift
	printf '%s\n' "$@" > "$dir/$name.expect"
	build/fpcheck $mode "$log" "$dir/$name.expect" > "$dir/$name.out" 2>&1
	got=$?
	[ "$got" -eq "$want" ] || fail "$name: fpcheck exited $got, want $want ($(head -1 "$dir/$name.out"))"
	n=$((n + 1))
}

expect good 0 --strict "$dir/log" "$good_rbp" "$good_r15" "$good_pf" "$summary"
expect vector-mismatch 1 "$dir/log" "$(echo "$good_r15" | sed 's/vector=#GP/vector=#SS/; s/agrees=yes/agrees=no/')  # DEVIATION tcg-noncanonical-gp: x"
expect no-match 1 "$dir/log" "$(echo "$good_r15" | sed 's/addr=0x0000800000000000/addr=0x0000900000000000/')"
expect two-matches 1 "$dir/log" 'probe set=seed base=r15 | vector=#GP'
expect bad-summary 1 "$dir/log" 'summary probes=4 unexpected=0'
grep -v '^faultprobe: done' "$dir/log" > "$dir/log-nosummary"
expect no-summary 1 "$dir/log-nosummary" "$good_r15" "$summary"
expect wrong-rule 1 "$dir/log" "$(echo "$good_r15" | sed 's/rule=#GP/rule=#SS/; s/agrees=yes/agrees=no/')  # DEVIATION tcg-noncanonical-gp: x"
expect wrong-rule-err 1 "$dir/log" "$(echo "$good_pf" | sed 's/rule_err=0x0/rule_err=0x7/')"
expect no-deviation 1 "$dir/log" "$(echo "$good_rbp" | sed 's/  # DEVIATION.*//')"
expect fixme-deviation 1 "$dir/log" "$(echo "$good_rbp" | sed 's/DEVIATION tcg-noncanonical-gp/DEVIATION FIXME/')"
expect unknown-deviation 1 "$dir/log" "$(echo "$good_rbp" | sed 's/tcg-noncanonical-gp/made-up-name/')"
expect agrees-lie 1 "$dir/log" "$(echo "$good_rbp" | sed 's/agrees=no/agrees=yes/; s/  # DEVIATION.*//')"
expect strict-unmatched 1 --strict "$dir/log" "$good_r15" "$good_pf" "$summary"
expect empty-file 1 "$dir/log" '# only a comment'
expect empty-right-side 1 "$dir/log" 'probe set=seed base=r15 addr=0x0000800000000000 | '
pass "($n checks: a good log passes; mismatches, bad rules, unnamed deviations, missing summary, unmatched records all fail)"
