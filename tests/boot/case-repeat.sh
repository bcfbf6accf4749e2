#!/bin/sh
# repeat=N repeats the seed set only (README "Boot options"; issue 14 #8:
# it also repeated the la57 set, so repeat=1000 gave 88,743 probes).  Boots
# sets=seed,la57 repeat=3 and counts each set's probe records against the
# default run's (tests/ref/tcg-default.log.gz): seed x3, la57 x1.
CASE=repeat
. tests/boot/lib.sh
ref_seed=$(gzip -dc tests/ref/tcg-default.log.gz | grep -c '^probe .* set=seed ')
ref_la57=$(gzip -dc tests/ref/tcg-default.log.gz | grep -c '^probe .* set=la57 ')
[ "$ref_seed" -gt 0 ] && [ "$ref_la57" -gt 0 ] || fail "no seed/la57 records in tests/ref/tcg-default.log.gz"
boot_kernel "sets=seed,la57 repeat=3" tcg 120
explain_status
seed=$(grep -c '^probe .* set=seed ' "$LOG")
la57=$(grep -c '^probe .* set=la57 ' "$LOG")
[ "$seed" = $((3 * ref_seed)) ] || fail "seed: $seed probe records, want 3 x $ref_seed"
[ "$la57" = "$ref_la57" ] || fail "la57: $la57 probe records, want $ref_la57 (once, not repeated)"
grep -q '^faultprobe: done .*unexpected=0' "$LOG" || fail "no clean 'faultprobe: done' line"
pass "(seed $seed = 3 x $ref_seed, la57 $la57 = 1 x $ref_la57; ${BOOT_SECONDS}s)"
