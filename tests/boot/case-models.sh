#!/bin/sh
# Every reference log (tests/ref/references) replayed through the model of
# its platform with build/fpmodel: the model --platform auto picks must be
# the one listed, and every judged record must match in every cell (vector,
# err, cr2; rip_at, saved_rsp, stack, cs, ss, handler_ss and RF where the
# record has them; the frame/prot32/vmcore keys listed in tools/fpjudge.h),
# with no record unknown.  To show the check has teeth, each emulator's
# references taken together must differ from the silicon model.  $1 (the
# ISO) is not used.
CASE=models
. tests/boot/lib.sh
make -s build/fpmodel >"$TEST_DIR/$CASE.make.txt" 2>&1 || fail "cannot build build/fpmodel (see $TEST_DIR/$CASE.make.txt)"
out=$TEST_DIR/$CASE.txt
: > "$out"
: > "$out.cols"
n=0 records=0 cells=0 summary="" emulators="" differs=""
while read -r column model file; do
	case $column in ''|'#'*) continue ;; esac
	[ -r "$file" ] || fail "reference $file (listed in tests/ref/references) is missing"
	build/fpmodel --platform auto "$file" >"$out.one" 2>&1
	st=$?
	cat "$out.one" >> "$out"
	line=$(grep "^fpmodel: $file: model " "$out.one")
	[ "$st" -eq 0 ] || { sed 's/^/  /' "$out.one" | tail -5; fail "$file is not reproduced by its model (fpmodel exit $st)"; }
	got=$(echo "$line" | sed -n 's/.*: model \([a-z-]*\): .*/\1/p')
	[ "$got" = "$model" ] || fail "$file: --platform auto picked '$got', tests/ref/references says '$model'"
	j=$(echo "$line" | sed -n 's/.* \([0-9]*\) judged (\([0-9]*\) cells).*/\1/p')
	c=$(echo "$line" | sed -n 's/.* \([0-9]*\) judged (\([0-9]*\) cells).*/\2/p')
	[ "${j:-0}" -gt 0 ] || fail "$file: no record judged"
	if [ "$model" != silicon ]; then
		emulators="$emulators $column"
		build/fpmodel -q --platform silicon "$file" >"$out.neg" 2>&1
		[ $? -eq 1 ] && differs="$differs $column"
	fi
	n=$((n + 1)) records=$((records + j)) cells=$((cells + c))
	echo "$column $j $c" >> "$out.cols"
done < tests/ref/references
summary=$(awk '{ if (!($1 in r)) o[n++] = $1; r[$1] += $2; c[$1] += $3 }
	END { for (i = 0; i < n; i++) printf " %s %d/%d", o[i], r[o[i]], c[o[i]] }' "$out.cols")
rm -f "$out.one" "$out.neg" "$out.cols"
[ "$n" -gt 0 ] || fail "no references listed"
for e in $emulators; do
	case " $differs " in *" $e "*) ;; *) fail "the $e references do not differ from the silicon model: the check cannot tell them apart" ;; esac
done
pass "($n references, $records records / $cells cells, all reproduced by their model; records/cells per platform:$summary)"
