#!/usr/bin/python3
"""replay-monitor.py JOB.yaml LOG [MAXREAD]: feed a console log to a job's
first monitor the way lava-dispatcher 2023.01 reads a serial connection, and
print the test cases it would record, one `case RESULT` per line, then
`end` or `no end`.

As LAVA: pexpect through a pty (so \\n arrives as \\r\\n and \\r\\n as
\\r\\r\\n), searchwindowsize=4000 and maxread=MAXREAD (default 1024, the
USB-PC device type's spawn_maxread; lava_dispatcher/shell.py ShellCommand),
the patterns in TestMonitorAction's order (eof, timeout, end, pattern), the
case id lowercased with runs of non-word characters turned into `_`, the
result looked up in fixupdict (lava_dispatcher/actions/test/monitor.py).
"""
import re
import sys

import pexpect
import yaml


def main():
    job = yaml.safe_load(open(sys.argv[1]))
    maxread = int(sys.argv[3]) if len(sys.argv) > 3 else 1024
    mon = next(a["test"]["monitors"][0] for a in job["actions"] if "test" in a)
    child = pexpect.spawn("cat", [sys.argv[2]], maxread=maxread, searchwindowsize=4000,
                          encoding="utf-8", timeout=10)
    try:
        child.expect(mon["start"])
    except pexpect.EOF:
        print("no start")
        return 1
    fixup = mon.get("fixupdict", {})
    while True:
        i = child.expect([pexpect.EOF, pexpect.TIMEOUT, mon["end"], mon["pattern"]])
        if i != 3:
            print({0: "no end (eof)", 1: "no end (timeout)", 2: "end"}[i])
            return 0
        m = child.match.groupdict()
        result = fixup.get(m["result"], m["result"])
        if result not in ("pass", "fail", "skip", "unknown"):
            print(f"bad result {m['result']!r}")
            continue
        print(re.sub(r"\W+", "_", m["test_case_id"].strip().lower()), result)


if __name__ == "__main__":
    sys.exit(main())
