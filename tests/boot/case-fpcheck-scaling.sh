#!/bin/sh
# fpcheck's cost must grow linearly with the log (issue 14 #3: it grew the
# record array one record at a time, and ASan's realloc always copies, so a
# default log took tens of seconds).  Four times the records (and the
# expectations matching them) must cost about four times the CPU time:
# measured as a ratio, with a generous bound (quadratic growth gives 16).
CASE=fpcheck-scaling
. tests/boot/lib.sh
[ -x build/fpcheck ] || fail "build/fpcheck missing (make build/fpcheck)"
[ -x /usr/bin/time ] || fail "/usr/bin/time missing (tools/deps.sh installs package time)"
dir=$TEST_DIR/fpcheck-scaling
mkdir -p "$dir"
small=${FPCHECK_SCALING_N:-2000}
big=$((small * 4))
bound=8

# make_set N: N valid seed-shaped probe records at distinct addresses, one
# strict expectation each, and the summary.
make_set() {
	awk -v n="$1" -v logf="$dir/$1.log" -v expf="$dir/$1.expect" 'BEGIN {
		for (i = 1; i <= n; i++) {
			a = sprintf("0x%016x", 17592186044416 + i * 4096)
			printf "probe id=%d set=seed op=load base=rbp index=rax seg=none width=8 cpl=0 paging=4 adjust=0 addr=%s vector=#PF err=0x0 cr2=%s rip=0x0000000000133020 cs=0x10 rflags=0x46 rsp=0x000000000022bdb8 ss=0x18 pre_rsp=0x000000000022bdb8 frame=0x000000000022bd88 stack=cur rip_at=insn saved_rsp=pre rule=#PF rule_err=0x0 agrees=yes platform=tcg\r\n", i, a, a > logf
			printf "probe set=seed base=rbp addr=%s | op=load width=8 index=rax seg=none cpl=0 paging=4 vector=#PF err=0x0 cr2=%s rule=#PF rule_err=0x0 agrees=yes\n", a, a > expf
		}
		printf "faultprobe: done probes=%d faults=%d unexpected=0\r\n", n, n > logf
		printf "summary probes=%d unexpected=0\n", n > expf
	}'
}

# measure N: one strict check of the N-record set; its user+system seconds
# land in $dir/N.cpu.
measure() {
	/usr/bin/time -f '%U %S' -o "$dir/$1.time" build/fpcheck --strict "$dir/$1.log" "$dir/$1.expect" \
		>"$dir/$1.out" 2>&1 || fail "fpcheck failed on the $1-record set: $(tail -1 "$dir/$1.out")"
	awk '{ printf "%.2f", $1 + $2 }' "$dir/$1.time" >"$dir/$1.cpu"
}

make_set "$small"
make_set "$big"
measure "$small"; ts=$(cat "$dir/$small.cpu")
measure "$big"; tb=$(cat "$dir/$big.cpu")
ratio=$(echo "$tb $ts" | awk '{ printf "%.1f", $1 / ($2 > 0.01 ? $2 : 0.01) }')
if [ "$(echo "$ratio $bound" | awk '{ print ($1 >= $2) }')" = 1 ]; then
	# A busy machine can stretch one run: measure both once more, keep the
	# faster of each.
	measure "$small"; ts2=$(cat "$dir/$small.cpu")
	measure "$big"; tb2=$(cat "$dir/$big.cpu")
	ts=$(echo "$ts $ts2" | awk '{ print ($1 < $2) ? $1 : $2 }')
	tb=$(echo "$tb $tb2" | awk '{ print ($1 < $2) ? $1 : $2 }')
	ratio=$(echo "$tb $ts" | awk '{ printf "%.1f", $1 / ($2 > 0.01 ? $2 : 0.01) }')
fi
[ "$(echo "$ratio $bound" | awk '{ print ($1 < $2) }')" = 1 ] ||
	fail "4x the records cost ${ratio}x the CPU time (${small}: ${ts}s, ${big}: ${tb}s; want < ${bound}x: quadratic?)"
pass "(${small} records ${ts}s, ${big} records ${tb}s CPU: ratio ${ratio}, bound ${bound})"
