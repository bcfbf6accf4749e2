#!/usr/bin/env python3
"""logcmp.py [--new-sets SET,...] OLD.log NEW.log — are two runs of the same build-independent
probes the same, record by record and cell by cell?

Used to prove that a restructuring of the kernel changed no result: every
record line (probe, frame, softframe, prot32, vmcore, fingerprint, la57,
skip) of OLD must appear in NEW in the same order with the same keys and
values, except for the cells that depend on where code and stacks happen to
sit in memory, which no restructuring can keep:

  * addresses inside the kernel image (1 MiB .. 16 MiB): saved RIPs, stack
    pointers, frame addresses, the IDT entry, page-table roots;
  * RFLAGS.PF (bit 2) in a saved RFLAGS: the stubs' `sub %rsi,%rsp` and the
    soft frame's `and $-16,%rsp` set the parity flag from the low byte of
    the stack address (SDM Vol. 1 3.4.3.1); and the softframe `diff=` list,
    which names PF for the same reason;
  * a function+offset (vmcore rip_off=);
  * the TSC ticks a CPUID took (fingerprint cpuid-ticks: timing);
  * in faultprobe-user logs, the process's stack pointer (ASLR), unless the
    probe put the probed address in RSP.

Records of the families named with --new-sets (added since OLD was made)
are left out of NEW before comparing.  Keys that NEW has and OLD has not
are reported as added (allowed: "keys may
be added, never renamed"); a key OLD has and NEW lacks is a difference.
Prints one line per difference (at most 20) and a summary; exit 0 when
nothing differs.
"""
import gzip
import re
import sys

RECORD_TYPES = {"probe", "frame", "softframe", "prot32", "vmcore", "fingerprint", "la57", "skip"}
KERNEL_LO, KERNEL_HI = 0x100000, 0x1000000
HEX = re.compile(r"^0x([0-9a-f]+)$")


def read(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            words = line.split(" ")
            if words and words[0] in RECORD_TYPES:
                yield words[0], [w.split("=", 1) for w in words[1:] if "=" in w]


def masked(rtype, key, value, rec):
    """Why this cell depends on the memory layout, or None."""
    m = HEX.match(value)
    if m and len(m.group(1)) >= 5 and KERNEL_LO <= int(m.group(1), 16) < KERNEL_HI:
        return "kernel-address"
    if (rec.get("platform") == "linux-user" and key in ("rsp", "pre_rsp")
            and value != rec.get("addr")):
        return "user-stack"
    if key in ("rflags", "eflags") or (rtype == "softframe" and rec.get("slot") == "rflags"
                                       and key in ("hw", "sw")):
        return "rflags-pf"
    if rtype == "softframe" and key == "diff":
        return "rflags-pf"
    if rtype == "vmcore" and key == "rip_off":
        return "code-offset"
    if rtype == "fingerprint" and rec.get("check") == "cpuid-ticks" and key == "observed":
        return "timing"
    if rtype == "fingerprint" and key == "evidence":
        return "timing"
    return None


def same(rtype, key, a, b, rec):
    why = masked(rtype, key, a, rec)
    if why == "rflags-pf":
        if key == "diff":
            strip = lambda s: ",".join(x for x in s.split(",") if x != "PF") or "-"
            return strip(a) == strip(b), why
        ma, mb = HEX.match(a), HEX.match(b)
        if ma and mb:
            return (int(ma.group(1), 16) & ~4) == (int(mb.group(1), 16) & ~4), why
        return a == b, None
    if why == "timing":
        if key == "evidence":
            cut = lambda s: re.sub(r"cpuid-ticks:\d+", "cpuid-ticks:N", s)
            return cut(a) == cut(b), why
        return True, why
    if why == "kernel-address":
        mb = HEX.match(b)
        return bool(mb) and KERNEL_LO <= int(mb.group(1), 16) < KERNEL_HI, why
    if why == "user-stack":
        return b != rec.get("addr") and HEX.match(b) is not None, why
    if why:
        return True, why
    return a == b, None


def main(argv):
    new_sets = set()
    if len(argv) > 2 and argv[1] == "--new-sets":
        new_sets = set(argv[2].split(","))
        argv = argv[:1] + argv[3:]
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    old = list(read(argv[1]))
    new = [r for r in read(argv[2]) if dict(r[1]).get("set") not in new_sets]
    diffs, compared, masks, added = [], 0, {}, set()
    if len(old) != len(new):
        diffs.append(f"record count: {len(old)} in {argv[1]}, {len(new)} in {argv[2]}")
    for i, ((ta, fa), (tb, fb)) in enumerate(zip(old, new)):
        if ta != tb:
            diffs.append(f"record {i + 1}: type {ta} became {tb}")
            continue
        da, db = dict(fa), dict(fb)
        keys_a = [k for k, _ in fa]
        keys_b = [k for k, _ in fb if k in da]
        if keys_a != keys_b:
            diffs.append(f"record {i + 1} ({ta}): keys reordered or missing: {' '.join(keys_a)} / {' '.join(k for k, _ in fb)}")
            continue
        for k in db:
            if k not in da:
                added.add(f"{ta}.{k}")
        for k, va in fa:
            ok, why = same(ta, k, va, db[k], da)
            compared += 1
            if why:
                masks[why] = masks.get(why, 0) + 1
            if not ok:
                diffs.append(f"record {i + 1} ({ta} {' '.join(f'{x}={y}' for x, y in fa[:4])} ...): {k}={va} became {k}={db[k]}")
    for d in diffs[:20]:
        print("logcmp: DIFF " + d)
    mask_text = ", ".join(f"{v} {k}" for k, v in sorted(masks.items())) or "none"
    left_out = f"; records of new families left out: {','.join(sorted(new_sets))}" if new_sets else ""
    print(f"logcmp: {len(old)} records, {compared} cells compared, {len(diffs)} differ; "
          f"layout-dependent cells compared loosely: {mask_text}; "
          f"keys added: {' '.join(sorted(added)) or 'none'}{left_out}")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
