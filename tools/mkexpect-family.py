#!/usr/bin/env python3
"""mkexpect-family.py LOG SET [--id KEYS] [--assert KEYS] [--dev NAME:COND:WHY]...

Draft tests/expect/<platform>/<SET>.expect rows (docs/testing.md) from a
serial log (or a faultprobe-user log): one row per `probe` record of SET
(a `skip` record, a probe not run, becomes a comment line), identified by the keys in --id (those present in the record),
asserting the keys in --assert (those present).

Only a draft of what the platform did: every rule= it asserts is recomputed
by `fpcheck --lint` from the rule model (itself unit-tested against
hand-derived SDM/APM verdicts), and every row with agrees=no must match a
--dev NAME:COND:WHY, where COND is `key=value[,key=value...]` matched
against the record (value `*` matches anything present, `!` a key that is
absent).  The first --dev
that matches names the deviation (`# DEVIATION NAME: WHY`); NAME must be a
heading of docs/deviations.md (the lint checks it).  An agrees=no row no
--dev explains makes the script fail: a disagreement is never recorded
without a name and a reason chosen by hand.  --dev rules may also match
agrees=yes rows (COND including agrees=yes) to comment them, e.g. cells a
platform gets right for the wrong reason: they get `# NAME: WHY`.
"""
import sys

DEFAULT_ID = "set,slice,op,base,index,seg,width,cpl,addr,rep,df,dst,msr,seg_base,fetch_len"
DEFAULT_ASSERT = ("paging,vector,err,cr2,rule,rule_err,agrees,rip_at,saved_rsp,stack,cs,ss,"
                  "reason,scratch,scratch_user,rcx_left,rule_rcx_left,rsi_adv,rdi_adv,written,progress,"
                  "rip_off,cr4_fsgsbase,cpu_la57,linear")


def fields(line):
    out = []
    for word in line.split()[1:]:
        if "=" in word:
            k, v = word.split("=", 1)
            out.append((k, v))
    return out


def matches(cond, kv):
    for term in cond.split(","):
        if not term:
            continue
        k, v = term.split("=", 1)
        if v == "!":
            if k in kv:
                return False
        elif k not in kv or (v != "*" and kv[k] != v):
            return False
    return True


def main(argv):
    args = argv[1:]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    log, want_set = args[0], args[1]
    ids, asserts, devs = DEFAULT_ID.split(","), DEFAULT_ASSERT.split(","), []
    i = 2
    while i < len(args):
        opt = args[i]
        val = args[i + 1] if i + 1 < len(args) else None
        if val is None:
            print(f"mkexpect-family: {opt} needs a value", file=sys.stderr)
            return 2
        if opt == "--id":
            ids = val.split(",")
        elif opt == "--assert":
            asserts = val.split(",")
        elif opt == "--dev":
            name, cond, why = val.split(":", 2)
            devs.append((name, cond, why))
        else:
            print(f"mkexpect-family: unknown option {opt}", file=sys.stderr)
            return 2
        i += 2
    rows = unexplained = 0
    with open(log, errors="replace") as f:
        for line in f:
            rtype = line.split(" ", 1)[0]
            if rtype not in ("probe", "skip"):
                continue
            kv = dict(fields(line))
            if kv.get("set") != want_set:
                continue
            ident = " ".join(f"{k}={kv[k]}" for k in ids if k in kv)
            if rtype == "skip":
                asserted = " ".join(f"{k}={kv[k]}" for k in ("reason", "rule") if k in kv)
            else:
                asserted = " ".join(f"{k}={kv[k]}" for k in asserts if k in kv)
            row = f"{rtype} {ident} | {asserted}"
            if rtype == "skip":
                # fpcheck does not read skip records (never run): kept as
                # a comment so the file says what was left out and why
                print(f"# {row}")
                continue
            dev = next((d for d in devs if matches(d[1], kv)), None)
            if kv.get("agrees") == "no":
                if not dev:
                    row += "  # DEVIATION FIXME: no --dev explains this row"
                    unexplained += 1
                else:
                    row += f"  # DEVIATION {dev[0]}: {dev[2]}"
            elif dev:
                row += f"  # {dev[0]}: {dev[2]}"
            print(row)
            rows += 1
    if not rows:
        print(f"mkexpect-family: no {want_set} records in {log}", file=sys.stderr)
        return 2
    if unexplained:
        print(f"mkexpect-family: {unexplained} rows disagree with the rule and no --dev names them",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
