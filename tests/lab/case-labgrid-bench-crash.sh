#!/bin/sh
# labgrid on the lab bench, seed set and a crashing ISO (make lab-test; make
# test runs the seed set only: tests/boot/case-labgrid-bench.sh).
CASE=labgrid-bench-crash LAB_CRASH=1 exec sh tests/boot/case-labgrid-bench.sh "$@"
