#!/usr/bin/python3
"""results.py LAVA.log: what a faultprobe job's monitors recorded.

Reads lava-run's log (one YAML mapping per line; lvl "results" = a test case,
lvl "target" = a line of the serial console) and prints

  lava: suite faultprobe: C cases (P pass, F fail), done=pass|fail|missing;
        console: probes=N unexpected=U, A 'probe' lines, D agrees=no; job=pass|fail

Exit status 0 only for a good run: the done case passed, the probe cases are
exactly ids 1..N for the console's `faultprobe: done probes=N`, each probe
case's result is the manuals' verdict of its own console line (agrees=yes
-> pass, no -> fail), and the job itself passed.
"""
import re
import sys

import yaml

DONE = re.compile(r"^faultprobe: done probes=(\d+) faults=(\d+) unexpected=(\d+)")


def main():
    cases, console, job = {}, [], None
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                rec = yaml.safe_load(line)
            except yaml.YAMLError:
                continue
            if not isinstance(rec, dict):
                continue
            msg = rec.get("msg")
            if rec.get("lvl") == "target" and isinstance(msg, str):
                console.append(msg.rstrip("\r"))
            elif rec.get("lvl") == "results" and isinstance(msg, dict):
                if msg.get("definition") == "faultprobe":
                    if msg["case"] in cases:
                        print(f"lava: case {msg['case']} recorded twice")
                        return 1
                    cases[msg["case"]] = msg["result"]
                elif msg.get("definition") == "lava" and msg.get("case") == "job":
                    job = msg["result"]

    done = next((m for m in map(DONE.match, console) if m), None)
    probe_lines = [l for l in console if l.startswith("probe ")]
    verdict = {re.search(r"\bid=(\d+)", l).group(1): re.search(r"\bagrees=(\w+)", l).group(1)
               for l in probe_lines}
    n_pass = sum(r == "pass" for r in cases.values())
    n_fail = sum(r == "fail" for r in cases.values())
    print(f"lava: suite faultprobe: {len(cases)} cases ({n_pass} pass, {n_fail} fail), "
          f"done={cases.get('done', 'missing')}; console: "
          + (f"probes={done.group(1)} unexpected={done.group(3)}" if done else "no done line")
          + f", {len(probe_lines)} 'probe' lines, "
          f"{sum(v == 'no' for v in verdict.values())} agrees=no; job={job}")

    problems = []
    if cases.get("done") != "pass":
        problems.append(f"done case is {cases.get('done', 'missing')}")
    if done:
        want = {str(i) for i in range(1, int(done.group(1)) + 1)}
        got = set(cases) - {"done"}
        if got != want:
            problems.append(f"probe cases {len(got)} != probes={done.group(1)}"
                            f" (missing {sorted(want - got, key=int)[:5]}, extra {sorted(got - want)[:5]})")
    for case_id, agrees in verdict.items():
        want = {"yes": "pass", "no": "fail"}.get(agrees)
        if cases.get(case_id) != want:
            problems.append(f"case {case_id} is {cases.get(case_id)}, its line says agrees={agrees}")
            break
    if job != "pass":
        problems.append(f"job result {job}")
    for p in problems:
        print(f"lava: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
