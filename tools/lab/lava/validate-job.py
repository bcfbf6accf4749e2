#!/usr/bin/python3
"""validate-job.py JOB.yaml...: check LAVA job definitions against
lava_common's job schema (lava_common.schemas.validate, strict, as
lava-server does on submission; Debian has no lava-schema command).  Prints
one line per job; exit status 1 if any is invalid."""
import sys

import yaml
from lava_common.schemas import validate
from voluptuous import Invalid

bad = 0
for path in sys.argv[1:]:
    try:
        with open(path) as f:
            validate(yaml.safe_load(f), strict=True)
        print(f"{path}: valid")
    except (Invalid, yaml.YAMLError) as exc:
        print(f"{path}: INVALID: {exc}")
        bad += 1
sys.exit(1 if bad or not sys.argv[1:] else 0)
