# Helpers for the lab-integration cases (labgrid, LAVA; issue 12).  Sourced
# after tests/boot/lib.sh.

# lab_need WHAT COMMAND...: COMMAND must succeed, else WHAT is missing: a
# FAIL under CI (CI=true: tools/deps.sh must have installed it), a SKIP with
# the reason on a developer's machine.
lab_need() {
	what=$1
	shift
	"$@" >/dev/null 2>&1 && return 0
	[ "${CI:-}" = true ] && fail "$what is missing under CI (tools/deps.sh installs it)"
	skip "$what is missing (sh tools/deps.sh installs it)"
}

# lab_iso NAME CMDLINE: $TEST_DIR/lab-NAME.iso with CMDLINE baked in
# (GRUB_TIMEOUT=0), rebuilt when the kernel is newer; prints its path.
lab_iso() {
	out=$TEST_DIR/lab-$1.iso
	if [ ! -s "$out" ] || [ build/faultprobe.elf -nt "$out" ] || [ iso/grub.cfg -nt "$out" ] ||
		[ "$(cat "$out.cmdline" 2>/dev/null)" != "$2" ]; then
		GRUB_TIMEOUT=0 tools/mkiso.sh build/faultprobe.elf "$out" "$2" >/dev/null || return 1
		printf '%s\n' "$2" >"$out.cmdline"
	fi
	echo "$out"
}

# elapsed START: seconds since START (a `date +%s.%N`), two decimals.
elapsed() {
	echo "$(date +%s.%N) $1" | awk '{printf "%.1f", $1 - $2}'
}

# lg_run NAME ENV ISO [extra LG_ variables...]: run tools/lab/labgrid/test_faultprobe.py
# with Debian's pytest (the pyenv python3 on PATH cannot import labgrid)
# against labgrid environment ENV booting ISO.  Sets LG_STATUS (pytest's exit
# status), LG_OUT (its output), LG_SECONDS.
lg_run() {
	name=$1 env=$2 iso=$3
	shift 3
	LG_OUT=$TEST_DIR/$CASE.$name.txt
	mkdir -p "$TEST_DIR/$CASE.$name"
	start=$(date +%s.%N)
	env LG_FAULTPROBE_ISO="$PWD/$iso" FAULTPROBE_LOG_DIR="$TEST_DIR/$CASE.$name" \
		FAULTPROBE_RUN_SECONDS=60 "$@" \
		timeout 180 /usr/bin/pytest -p no:cacheprovider -q -s -rf \
		--lg-env "tools/lab/labgrid/$env" tools/lab/labgrid/test_faultprobe.py \
		>"$LG_OUT" 2>&1 </dev/null
	LG_STATUS=$?
	LG_SECONDS=$(elapsed "$start")
}
