#!/usr/bin/env python3
"""mkexpect-matrix.py LOG PLATFORM > tests/expect/PLATFORM/matrix.expect
mkexpect-matrix.py LOG --platform PLATFORM > ...   (the same)
mkexpect-matrix.py LOG --platform PLATFORM --set seed > .../seed.expect

PLATFORM names the DEVIATIONS table below: tcg, kvm (this workplace's KVM,
whose faulting accesses go through KVM's instruction emulator), bochs (no
deviation known), or any other name (no deviation is then known: every
disagreement stops the script).  --set picks the probe set whose records
are written (default matrix; seed has the same dimensions).

Writes the expectation rows (docs/testing.md) for the kernel's probe matrix
(`set=matrix` records) from a serial log.

The manuals' verdict for every row is computed HERE, independently of the
kernel's rule model (probes/rules.c) and of its rule= output, from the rules
as the manuals state them:

  canonical (4-level paging): bits 63:47 all equal       SDM Vol.1 3.3.7.1, Vol.3 4.1.1
  every byte of the access must be canonical             SDM Vol.3 6.15 int 12/13
  implied segment: push/pop -> SS; [rdi] of stos -> ES;   SDM Vol.1 3.7.4 Table 3-5
    otherwise rsp/rbp base -> SS, any other base (or no
    base, or rbp as the index) -> DS
  in 64-bit mode es:/cs:/ss:/ds: prefixes are ignored,     SDM Vol.2 2.2.1; APM Vol.3 1.2.4
    fs:/gs: apply (bases are 0 in the matrix)
  non-canonical via SS -> #SS(0), via any other -> #GP(0) SDM Vol.3 6.15; APM Vol.2 8.2.13/14
  call/jmp/ret to a non-canonical target -> #GP(0)       SDM Vol.2 CALL/JMP/RET
  otherwise page walk in address order; #PF, CR2 = first  SDM Vol.3 4.7
    byte on the first failing page; error code P (page
    present: protection), W/R (write), U/S (CPL 3), I/D
    (fetch, EFER.NXE = 1)

Pages: nothing is mapped at the probed addresses except the kernel's first
page at 0x100000 (linker.ld), present, supervisor, writable (the control and
ring3 slices probe it on purpose).

The script then checks its verdict against the record's rule=/rule_err= and
agrees= (any difference is an error: one of the two models is wrong), keeps
what the platform did, and names every disagreement with a DEVIATION from the
table below; a disagreement it cannot name stops the script.
"""
import sys

M64 = (1 << 64) - 1
KERNEL_PAGE = 0x100000
VEC_HAS_ERR = {"#SS", "#GP", "#PF"}

# Disagreements this script knows how to name, per platform.  Each entry:
# (name, predicate(row, manual), text).  See docs/deviations.md.
def _straddle(r, m):
    return r["vector"] == "#PF" and m["vector"] in ("#SS", "#GP") and m["first_canonical"]

def _nc_gp(r, m):
    return r["vector"] == "#GP" and m["vector"] == "#SS" and not m["first_canonical"]

def _kvm_straddle(r, m):
    # KVM's __linearize() canonical-checks only the first byte; the page
    # walk then faults on the first (canonical, unmapped) page: CR2 = start
    return _straddle(r, m) and r["cr2"] != "-" and int(r["cr2"], 16) == m["start"]

def _kvm_seg_override(r, m):
    # x86_decode_insn() takes es:/cs:/ss:/ds: as the segment in every mode;
    # __linearize() then raises #SS for SS and #GP for the others
    if m["vector"] not in ("#SS", "#GP") or m["first_canonical"] or r["seg"] not in ("es", "cs", "ss", "ds"):
        return False
    if not m["override_applies"]:
        return False
    return r["vector"] == ("#SS" if r["seg"] == "ss" else "#GP") and r["err"] == "0x0"

DEVIATIONS = {
    "kvm": [
        ("kvm-straddle-pf", _kvm_straddle,
         "the access starts canonical and ends in the non-canonical hole; the rule checks "
         "every byte ({rule}), KVM's emulator (__linearize) checks only the first byte and "
         "raises #PF, CR2 = start"),
        ("kvm-seg-override-not-ignored", _kvm_seg_override,
         "non-canonical through {why} is {rule}(0) and the {seg}: prefix is ignored in 64-bit "
         "mode (SDM Vol.2 2.2.1); KVM's emulator (x86_decode_insn) honours it and raises "
         "{vector}(0)"),
    ],
    "tcg": [
        ("tcg-straddle-pf", _straddle,
         "the access starts canonical and ends in the non-canonical hole; the rule checks "
         "every byte ({rule}), TCG checks the start page and raises #PF"),
        ("tcg-noncanonical-gp", _nc_gp,
         "non-canonical through SS ({why}) must be #SS(0) (SDM Vol.3 6.15 int 12); "
         "TCG raises #GP(0)"),
    ],
}


def canonical(a):
    top = (a & M64) >> 47
    return top == 0 or top == 0x1FFFF


def segment(op, base, seg):
    if op in ("push", "pop"):
        return "ss", "push/pop"
    if op == "stos":
        return "es", "stos [rdi]"
    if seg in ("fs", "gs"):
        return seg, seg + ": prefix"
    if op in ("lods", "movs"):
        return "ds", op + " [rsi]"
    if base in ("rsp", "rbp"):
        return "ss", base.upper() + " base"
    return "ds", ("no base" if base == "-" else base.upper() + " base")


def page_present(page):
    return page == KERNEL_PAGE


def manual(r, nxe):
    """The manuals' verdict for one record's dimensions."""
    op, base, seg = r["op"], r["base"], r["seg"]
    width, addr, cpl = int(r["width"]), int(r["addr"], 16), int(r["cpl"])
    fetch = op in ("call", "jmp", "ret")
    write = op in ("store", "push", "stos")
    if fetch:
        start, length = addr, 1
    elif op == "push":
        start, length = (addr - 8) & M64, 8
    elif op == "pop":
        start, length = addr, 8
    else:
        start, length = addr, width
    sname, why = segment(op, base, seg)
    # where a segment-override prefix could take effect at all (were it
    # honoured): data references of loads/stores and the [rsi] of lods/movs,
    # not push/pop, branches or the [rdi] of stos
    out = {"first_canonical": canonical(start), "why": why, "start": start,
           "override_applies": op in ("load", "store", "lods", "movs")}
    if fetch and not canonical(start):
        out.update(vector="#GP", err=0, cr2=None)
        return out
    if not fetch and not all(canonical(start + k) for k in range(length)):
        out.update(vector="#SS" if sname == "ss" else "#GP", err=0, cr2=None)
        return out
    a, left = start, length
    while left:
        chunk = min(left, 0x1000 - (a & 0xfff))
        page = a & ~0xfff & M64
        present = page_present(page)
        # the kernel page is supervisor, writable: only CPL 3 is denied
        if not present or cpl == 3:
            err = (1 if present else 0) | (2 if write else 0) | (4 if cpl == 3 else 0) | \
                  (16 if fetch and nxe else 0)
            out.update(vector="#PF", err=err, cr2=a & M64)
            return out
        a, left = (a + chunk) & M64, left - chunk
    out.update(vector="none", err=None, cr2=None)
    return out


def parse(line):
    kv = {}
    for w in line.split()[1:]:
        k, sep, v = w.partition("=")
        if sep:
            kv[k] = v
    return kv


def main():
    args = sys.argv[1:]
    platform = None
    want = "matrix"
    if "--set" in args:
        i = args.index("--set")
        if i + 1 >= len(args):
            sys.exit("usage: mkexpect-matrix.py LOG [--platform] PLATFORM [--set SET]")
        want = args[i + 1]
        del args[i:i + 2]
    if "--platform" in args:
        i = args.index("--platform")
        if i + 1 >= len(args):
            sys.exit("usage: mkexpect-matrix.py LOG [--platform] PLATFORM")
        platform = args[i + 1]
        del args[i:i + 2]
    if platform is None and len(args) == 2:
        platform = args.pop()
    if len(args) != 1 or platform is None:
        sys.exit("usage: mkexpect-matrix.py LOG [--platform] PLATFORM")
    path = args[0]
    nxe = None
    header = {}
    rows, problems, deviations, unlinted = [], 0, {}, 0
    done, others = None, 0
    with open(path, errors="replace") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if line.startswith("boot loader=") or line.startswith("cpu vendor="):
                header.update(parse("x " + line))
            if line.startswith('cmdline="') and line.endswith('"'):
                header["cmdline"] = line[len('cmdline="'):-1]
            if line.startswith("faultprobe: done "):
                done = parse("x " + line[len("faultprobe: "):])
            if line.startswith("probe ") and f" set={want} " not in line:
                others += 1
            if not line.startswith("probe ") or f" set={want} " not in line:
                continue
            r = parse(line)
            if nxe is None:
                if "nxe" not in header:
                    sys.exit(f"{path}: no 'nxe=' in the log header before line {n}")
                nxe = header["nxe"] == "1"
            m = manual(r, nxe)
            ident = " ".join(f"{k}={r[k]}" for k in
                             ("set", "op", "base", "index", "seg", "width", "cpl", "addr",
                              "adjust") if k in r)
            # the record's own rule must match ours
            rerr = None if r["rule_err"] == "-" else int(r["rule_err"], 16)
            if r["rule"] != m["vector"] or (m["vector"] in VEC_HAS_ERR and rerr != m["err"]):
                print(f"{path}:{n}: rule model says {r['rule']} {r['rule_err']}, "
                      f"the manuals (this script) say {m['vector']} {m['err']}: {ident}",
                      file=sys.stderr)
                problems += 1
            agrees = r["vector"] == m["vector"]
            if agrees and m["vector"] in VEC_HAS_ERR:
                agrees = int(r["err"], 16) == m["err"]
            if agrees and m["vector"] == "#PF":
                agrees = int(r["cr2"], 16) == m["cr2"]
            if ("yes" if agrees else "no") != r["agrees"]:
                print(f"{path}:{n}: record says agrees={r['agrees']}, this script says "
                      f"{'yes' if agrees else 'no'}: {ident}", file=sys.stderr)
                problems += 1
            keys = [k for k in ("slice", "paging", "vector", "err", "cr2", "rule", "rule_err", "agrees")
                    if k in r]
            if m["vector"] == "none":
                # the kernel's own first page: fpcheck --lint's kernel page
                # model knows it is mapped, so rule=none is linted too
                unlinted += 1
            if r["vector"] == "none":
                keys.append("value")
            else:
                keys += ["rip_at", "saved_rsp", "cs", "ss", "stack"]
                if r.get("ring3_frame"):
                    keys += ["handler_ss", "ring3_frame"]
                elif platform in ("kvm", "bochs") and r.get("handler_ss"):
                    # SS kept on IST switches without a CPL change (the
                    # counterpart of tcg-ist-null-ss, docs/deviations.md)
                    keys.append("handler_ss")
            text = f"probe {ident} | " + " ".join(f"{k}={r[k]}" for k in keys)
            if agrees and r["vector"] == "#GP" and r.get("rip_at") == "target":
                text += "  # tcg-branch-gp-at-target: #GP as the SDM says, but at the target, after the branch"
            if not agrees:
                for name, pred, why in DEVIATIONS.get(platform, []):
                    if pred(r, m):
                        text += f"  # DEVIATION {name}: " + why.format(
                            rule=m["vector"], why=m["why"], seg=r["seg"], vector=r["vector"])
                        deviations[name] = deviations.get(name, 0) + 1
                        break
                else:
                    print(f"{path}:{n}: unnamed disagreement (saw {r['vector']} {r['err']}, "
                          f"manuals {m['vector']} {m['err']}): {ident}", file=sys.stderr)
                    problems += 1
            rows.append(text)
    if not rows:
        sys.exit(f"{path}: no set={want} records")
    if problems:
        sys.exit(f"mkexpect-matrix.py: {problems} problem(s); nothing written")
    if want == "matrix":
        print(f"# {platform}: the probe matrix (probes/matrix_desc.c), {len(rows)} probes.")
    else:
        print(f"# {platform}: the {want} set, {len(rows)} probes.")
    print(f"# Platform: cpu vendor={header.get('vendor', '?')} family={header.get('family', '?')} "
          f"model={header.get('model', '?')} hypervisor={header.get('hypervisor', '?')}, "
          f"paging={header.get('paging', '?')} nxe={header.get('nxe', '?')}.")
    if header.get("cmdline"):
        print(f"# Boot command line: {header['cmdline']}")
    print("# Generated by tools/mkexpect-matrix.py from a serial log: rule= and agrees= were")
    print("# recomputed there from the manuals' rules (not taken from the kernel's output)")
    print("# and compared with the record; vector=/err=/cr2= and the frame keys are what the")
    print("# platform did.  Deviations: " +
          (", ".join(f"{k} x{v}" for k, v in sorted(deviations.items())) or "none") + ".")
    if unlinted:
        print(f"# {unlinted} rows read the kernel's own first page (0x100000, mapped): no fault")
        print("# at CPL 0 (rule=none; fpcheck --lint's kernel page model maps that page).")
    if platform == "tcg":
        print("# Frame notes (agrees=yes rows, asserted as observed): a call/jmp/ret to a")
        print("# non-canonical target gives #GP(0) as the SDM says, but TCG reports it at the")
        print("# target (rip_at=target; saved_rsp=pre-8 after call, pre+8 after ret), where the")
        print("# SDM's CALL/JMP/RET raise it at the branch (KVM and silicon: rip_at=insn);")
        print("# those rows are commented tcg-branch-gp-at-target.")
    if platform == "bochs":
        print("# Bochs 2.7 (Debian's bochs, tools/run-bochs.sh, BOCHS_CPU=the model above).  Every")
        print("# row agrees with the manuals: Bochs checks every byte of an access for")
        print("# canonicality and picks #SS or #GP by the segment (docs/deviations.md, Bochs 2.7).")
        print("# handler_ss= is asserted: SS stays 0x18 on an IST switch without a CPL change.")
    if platform == "kvm":
        print("# KVM here is this workplace's paravirtual /dev/kvm: faulting accesses go through")
        print("# KVM's instruction emulator (arch/x86/kvm/emulate.c).  The sub-matrix is the one")
        print("# that is stable there: CPL 0 only (CPL-3 #PF error codes on the upper half vary")
        print("# between runs, e.g. 0x4 vs 0xd) and widths 1-8 (the kernel drops the 32-byte")
        print("# vmovups probes under KVM, kvm-emulation-failure; the 16-byte SSE ones have been")
        print("# seen to stop the guest the same way).  Every ring-0 slice runs,")
        print("# stack, branch and string included.  Branches to a canonical unmapped target")
        print("# fault at the target (#PF, rip_at=target), as the SDM says; to a non-canonical one")
        print("# at the branch (#GP, rip_at=insn).")
    for t in rows:
        print(t)
    if done and not others:
        # a matrix-only run (sets=matrix): the closing line counts just these
        print("# the closing 'faultprobe: done' line of this matrix-only run")
        print(f"summary probes={done.get('probes')} faults={done.get('faults')} unexpected=0")


if __name__ == "__main__":
    main()
