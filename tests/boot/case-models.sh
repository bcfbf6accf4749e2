#!/bin/sh
# Every reference log (tests/ref/references) replayed through the model of
# its platform with build/fpmodel: every judged record must match in every
# cell (vector, err, cr2; rip_at, saved_rsp, stack, cs, ss, handler_ss and
# RF where the record has them; the frame/prot32/vmcore keys listed in
# tools/fpjudge.h), with no record unknown.  `--platform auto` must pick the
# listed model (or the AUTO column's) and reproduce the file too.  To show
# the check has teeth, each emulator's references in which its model names
# a deviation from the manuals must, taken together, differ from the
# silicon model (Bochs: the ryzen log in its SYSRET cells,
# bochs-sysret-canonical-check, and the tigerlake log in one protection-key
# cell, bochs-pkru-ad-supervisor); a reference in which it names none must
# be reproduced by the silicon model too.  $1 (the ISO) is not used.
CASE=models
. tests/boot/lib.sh
make -s build/fpmodel >"$TEST_DIR/$CASE.make.txt" 2>&1 || fail "cannot build build/fpmodel (see $TEST_DIR/$CASE.make.txt)"
out=$TEST_DIR/$CASE.txt
: > "$out"
: > "$out.cols"
n=0 records=0 cells=0 emulators="" differs="" agrees=""
while read -r column model file auto; do
	case $column in ''|'#'*) continue ;; esac
	[ -r "$file" ] || fail "reference $file (listed in tests/ref/references) is missing"
	build/fpmodel --platform "$model" "$file" >"$out.one" 2>&1
	st=$?
	cat "$out.one" >> "$out"
	[ "$st" -eq 0 ] || { sed 's/^/  /' "$out.one" | tail -5; fail "$file is not reproduced by the $model model (fpmodel exit $st)"; }
	line=$(grep "^fpmodel: $file: model " "$out.one")
	j=$(echo "$line" | sed -n 's/.* \([0-9]*\) judged (\([0-9]*\) cells).*/\1/p')
	c=$(echo "$line" | sed -n 's/.* \([0-9]*\) judged (\([0-9]*\) cells).*/\2/p')
	[ "${j:-0}" -gt 0 ] || fail "$file: no record judged"
	build/fpmodel --platform auto "$file" >"$out.auto" 2>&1
	st=$?
	got=$(sed -n "s|^fpmodel: $file: model \([a-z-]*\): .*|\1|p" "$out.auto")
	[ "$got" = "${auto:-$model}" ] || fail "$file: --platform auto picked '${got:-nothing}' ($(tail -1 "$out.auto")), tests/ref/references says '${auto:-$model}'"
	[ "$st" -eq 0 ] || fail "$file is not reproduced by the $got model --platform auto picks"
	if [ "$model" != silicon ] && [ "${auto:-$model}" != silicon ]; then
		# a file the model names deviations in must tell it from silicon;
		# one it names none in (Bochs) must be silicon's as well
		dev=$(echo "$line" | sed -n 's/.*; \([0-9]*\) judged records deviate from the manuals.*/\1/p')
		build/fpmodel -q --platform silicon "$file" >/dev/null 2>&1
		sst=$?
		if [ "${dev:-0}" -gt 0 ]; then
			emulators="$emulators $column"
			[ "$sst" -eq 1 ] && differs="$differs $column"
		elif [ "$sst" -ne 0 ]; then
			fail "$file: the $model model names no deviation from the manuals in it, yet the silicon model does not reproduce it"
		else
			agrees="$agrees $column"
		fi
	fi
	echo "$column $j $c" >> "$out.cols"
	n=$((n + 1)) records=$((records + j)) cells=$((cells + c))
done < tests/ref/references
[ "$n" -gt 0 ] || fail "no references listed"
for e in $emulators; do
	case " $differs " in *" $e "*) ;; *) fail "the references of the $e model do not differ from the silicon model: the check cannot tell them apart" ;; esac
done
summary=$(awk '{ if (!($1 in r)) o[k++] = $1; r[$1] += $2; c[$1] += $3 }
	END { for (i = 0; i < k; i++) printf " %s %d/%d", o[i], r[o[i]], c[o[i]] }' "$out.cols")
rm -f "$out.one" "$out.auto" "$out.cols"
pass "($n references, $records records / $cells cells, all reproduced by their model; records/cells per platform:$summary; silicon too, no deviation named:$(echo "$agrees" | tr " " "\n" | sort -u | tr "\n" " " | sed "s/ *$//"))"
