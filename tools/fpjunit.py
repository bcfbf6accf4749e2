#!/usr/bin/python3
"""fpjunit — TAP 13 (or a faultprobe serial log) to JUnit XML for CI.

  fpjunit.py [-o OUT.xml] [--name SUITE] TAP...         TAP files ('-' = stdin)
  fpjunit.py [-o OUT.xml] --log LOG [--strict] [EXPECT...]
                                                       the log, through
                                                       build/fpcheck --tap

One <testsuite> per TAP stream inside <testsuites>; one <testcase> per TAP
test.  A test described "CLASS: NAME" (what fpcheck --tap and make test
TAP=1 print) gets classname=CLASS (a probe's set, or set.slice) and
name=NAME (its cell; the "(id N)" / "(line N)" suffix dropped, a repeated
name numbered " [2]", ...).  not ok -> <failure>, # SKIP -> <skipped>,
not ok # TODO -> <skipped> (nothing known to compare with), the YAML
diagnostic -> <system-out>.  Only the elements GitLab reads are written
(testsuites, testsuite, testcase, failure, skipped, system-out); the schema
is tests/junit.xsd.

TAP is read with tappy (Debian python3-tap) and the XML written with
junitparser (python3-junitparser).  Exit 0 when written (failures in the
results do not change the status), 2 on a usage or read error.
"""
import argparse
import os
import re
import subprocess
import sys

import yaml
from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite
from tap.parser import Parser

SUFFIX = re.compile(r" \((?:id|line) [^)]*\)$")


def unescape(text):
    """TAP 13 escapes '#' and '\\' in descriptions."""
    return re.sub(r"\\([#\\])", r"\1", text)


def split_name(description, suite):
    """'CLASS: NAME' -> (CLASS, NAME); otherwise (suite, description)."""
    d = unescape(description)
    if d.startswith("- "):
        d = d[2:]
    elif d.startswith("-"):
        d = d[1:].lstrip()
    d = SUFFIX.sub("", d.strip())
    if ": " in d:
        cls, name = d.split(": ", 1)
        if cls and " " not in cls:
            return cls, name
    return suite, d or "(unnamed)"


def clean(text):
    """XML 1.0 cannot carry most control characters."""
    return "".join(c if c in "\t\n" or " " <= c != "\x7f" else "?" for c in text)


LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def diagnostic(line):
    """(dict or None, text) of a test's YAML block.  tappy keeps the block's
    text and parses it on each access with the pure-Python loader; read the
    text once and parse it with libyaml (40x faster on a 2829-probe log)."""
    raw = getattr(line, "_yaml_block", None)
    if raw is None:
        block = line.yaml_block
        text = yaml.safe_dump(block, sort_keys=False) if isinstance(block, dict) else ""
        return (block if isinstance(block, dict) else None), text
    try:
        block = yaml.load(raw, Loader=LOADER)
    except yaml.YAMLError:
        block = None
    return (block if isinstance(block, dict) else None), raw


def suite_from_tap(text, suite_name):
    suite = TestSuite(suite_name)
    seen = {}
    planned = None
    count = 0
    for line in Parser().parse_text(text):
        if line.category == "plan":
            planned = line.expected_tests
            continue
        if line.category == "bail":
            case = TestCase("bail out", suite_name)
            case.result = [Failure(clean("Bail out! " + (line.reason or "")))]
            suite.append(case)
            count += 1
            continue
        if line.category != "test":
            continue
        count += 1
        cls, name = split_name(line.description, suite_name)
        key = (cls, name)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            name = "%s [%d]" % (name, seen[key])
        case = TestCase(clean(name), clean(cls))
        block, text = diagnostic(line)
        reason = clean(line.directive.reason or "") if line.directive else ""
        if line.skip:
            case.result = [Skipped(reason or "skipped")]
        elif line.todo and not line.ok:
            case.result = [Skipped("TODO: " + (reason or "not known yet"))]
        elif not line.ok:
            why = ""
            if block:
                why = str(block.get("failure") or block.get("malformed") or "")
            case.result = [Failure(clean(why or "not ok"))]
        if text.strip():
            case.system_out = clean(text)
        # append, not add_testcase: that recounts the whole suite each time.
        suite.append(case)
    if planned is not None and planned != count:
        # A stream cut short (or padded): the plan is a test of its own.
        case = TestCase("plan", suite_name)
        case.result = [Failure("TAP plan says %d tests, the stream has %d" % (planned, count))]
        suite.append(case)
    suite.update_statistics()
    return suite


def read_text(path):
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def main():
    ap = argparse.ArgumentParser(description="TAP 13 or a faultprobe log to JUnit XML")
    ap.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    ap.add_argument("--name", help="suite name (default: the file name)")
    ap.add_argument("--log", help="a faultprobe serial log, checked by fpcheck --tap")
    ap.add_argument("--strict", action="store_true", help="with --log: fpcheck --strict")
    ap.add_argument("--fpcheck", default="build/fpcheck", help="the fpcheck binary")
    ap.add_argument("files", nargs="*", help="TAP files, or with --log the expectation files")
    a = ap.parse_args()

    xml = JUnitXml()
    try:
        if a.log:
            cmd = [a.fpcheck, "--tap"] + (["--strict"] if a.strict else []) + [a.log] + a.files
            run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
            if run.returncode not in (0, 1):
                sys.stderr.write(run.stderr.decode("utf-8", "replace"))
                sys.stderr.write("fpjunit: %s exited %d\n" % (" ".join(cmd), run.returncode))
                return 2
            text = run.stdout.decode("utf-8", "replace")
            xml.add_testsuite(suite_from_tap(text, a.name or os.path.basename(a.log)))
        else:
            if not a.files:
                ap.error("give TAP files, or --log LOG")
            for path in a.files:
                name = a.name or ("stdin" if path == "-" else os.path.basename(path))
                xml.add_testsuite(suite_from_tap(read_text(path), name))
    except OSError as e:
        sys.stderr.write("fpjunit: %s\n" % e)
        return 2
    xml.update_statistics()
    if a.output == "-":
        text = xml.tostring()
        sys.stdout.write(text.decode("utf-8") if isinstance(text, bytes) else text)
        sys.stdout.write("\n")
    else:
        xml.write(a.output, pretty=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
