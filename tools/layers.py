#!/usr/bin/env python3
"""layers.py — check that the kernel's layers go one way (docs/architecture.md).

Each folder is one layer; a file may include (and so call) only files of
its own layer or of a lower one:

    0  probes/model/   the portable model: pure C, depends on nothing
    1  idt/            the CPU layer and the trap path
    2  report/         formatting and output
    3  probes/         the executor, the probe record, the registry, the families
    4  boot/           the entry and kmain: wires the layers together

tools/ and tests/ sit outside the kernel and may include anything.  Also
checks that no two files include each other, directly or through others
(no circle between files), and that no kernel file includes a host-only one.

With --objects DIR (the kernel's object files, build/k), it also checks
the calls and data references themselves, from the symbol tables (nm): a
symbol a file uses must be defined in its own layer or a lower one, which
catches what an `extern` declaration would hide from the include check,
and that no files call each other in a circle (a file's calls and data
references, weak ones too, through any number of other files).

Usage: tools/layers.py [--list] [--root DIR] [--objects build/k]   (exit 1 on a violation)
"""
import subprocess
import os
import re
import sys

LAYERS = [("probes/model/", 0), ("idt/", 1), ("report/", 2), ("probes/", 3), ("boot/", 4)]
NAMES = {0: "probes/model", 1: "idt", 2: "report", 3: "probes", 4: "boot"}
HOST_ONLY = ("tools/", "tests/")
INCLUDE = re.compile(r'^\s*[#%]\s*include\s+"([^"]+)"', re.M)


def layer_of(path):
    for prefix, n in LAYERS:
        if path.startswith(prefix):
            return n
    return None


def sources(root):
    for top in ("probes", "idt", "report", "boot"):
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                if f.endswith((".c", ".h", ".asm", ".inc", ".def")):
                    yield os.path.relpath(os.path.join(d, f), root)


def includes(root, path):
    text = open(os.path.join(root, path), errors="replace").read()
    out = []
    for inc in INCLUDE.findall(text):
        # C resolves relative to the file; NASM's -I./ to the top
        cand = os.path.normpath(os.path.join(os.path.dirname(path), inc))
        if not os.path.exists(os.path.join(root, cand)):
            cand = os.path.normpath(inc)
        if os.path.exists(os.path.join(root, cand)):
            out.append(cand)
    return out


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if "--root" in argv:
        root = argv[argv.index("--root") + 1]
    bad = []
    graph = {}
    edges = 0
    for path in sorted(sources(root)):
        me = layer_of(path)
        graph[path] = includes(root, path)
        for inc in graph[path]:
            edges += 1
            if inc.startswith(HOST_ONLY):
                bad.append(f"{path} (kernel) includes host-only {inc}")
                continue
            them = layer_of(inc)
            if them is not None and them > me:
                bad.append(f"{path} ({NAMES[me]}) includes {inc} ({NAMES[them]}): a lower layer "
                           f"may not use a higher one")
    # circles between files: depth-first search for a back edge
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in graph.get(n, []):
            if state.get(m) == 1:
                bad.append("circle: " + " -> ".join(stack[stack.index(m):] + [m]))
            elif m in graph and not state.get(m):
                visit(m)
        stack.pop()
        state[n] = 2

    for n in graph:
        if not state.get(n):
            visit(n)
    if "--objects" in argv:
        objdir = argv[argv.index("--objects") + 1]
        defined, used, src_of = {}, [], {}
        for d, _, files in os.walk(objdir):
            for f in files:
                if not f.endswith(".o"):
                    continue
                obj = os.path.join(d, f)
                src = os.path.relpath(obj, objdir)[:-2]
                for ext in (".c", ".asm"):
                    if os.path.exists(os.path.join(root, src + ext)):
                        src_of[obj] = src + ext
                        break
                # else: a stale object, its source is gone
        # one nm for all of them (-A: each line names its object)
        out = subprocess.run(["nm", "-A"] + sorted(src_of), capture_output=True,
                             text=True).stdout if src_of else ""
        for line in out.splitlines():
            obj, _, rest = line.partition(": ")
            if not rest:
                obj, _, rest = line.partition(":")
            src = src_of.get(obj)
            parts = rest.split()
            if src is None:
                continue
            if len(parts) == 2 and parts[0] in "Uw":
                used.append((src, parts[1]))
            elif len(parts) == 3 and parts[1] in "TDBRCWVG":
                defined[parts[2]] = src
        calls = {}
        for src, sym in used:
            where = defined.get(sym)
            if where is None or layer_of(src) is None or layer_of(where) is None:
                continue
            edges += 1
            if layer_of(where) > layer_of(src):
                bad.append(f"{src} ({NAMES[layer_of(src)]}) uses {sym} from {where} "
                           f"({NAMES[layer_of(where)]})")
            if where != src:
                calls.setdefault(src, {}).setdefault(where, sym)
        # circles of calls and data references between files (within a
        # layer too): Tarjan's strongly connected components
        index, low, on, st, sccs = {}, {}, set(), [], []

        def strong(v):
            index[v] = low[v] = len(index)
            st.append(v)
            on.add(v)
            for w in calls.get(v, {}):
                if w not in index:
                    strong(w)
                    low[v] = min(low[v], low[w])
                elif w in on:
                    low[v] = min(low[v], index[w])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = st.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    sccs.append(sorted(comp))

        for v in sorted(calls):
            if v not in index:
                strong(v)
        for comp in sccs:
            via = [f"{a} -> {b} ({calls[a][b]})" for a in comp for b in sorted(calls.get(a, {}))
                   if b in comp]
            bad.append("calls in a circle: " + "; ".join(via))
    if "--list" in argv:
        for n in sorted(graph):
            print(f"{NAMES[layer_of(n)]:13} {n}: {' '.join(graph[n])}")
    for b in bad:
        print("layers: " + b)
    print(f"layers: {len(graph)} kernel files, {edges} dependencies (includes and symbols), {len(bad)} violations")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
