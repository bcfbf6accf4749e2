#!/usr/bin/python3
"""render-device.py TEMPLATES_DIR DEVICE [JOB.yaml] — render a LAVA device
dictionary the way lava-server does (lava_scheduler_app/environment.py and
models.py, Device.load_configuration in 2023.01): a sandboxed Jinja2
environment with trim_blocks, autoescape off, the device dictionaries
(devices/) and device types searched in that order, rendered with the job's
`context:` as variables.  TEMPLATES_DIR holds LAVA's device-type templates
(base.jinja2, qemu.jinja2, ...), which ship only with lava-server; see
render-devices.sh.  Prints the device YAML and checks it parses.
"""
import os
import sys

import yaml
from jinja2 import FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    types_dir, device = sys.argv[1], sys.argv[2]
    context = {}
    if len(sys.argv) == 4:
        with open(sys.argv[3]) as f:
            context = yaml.safe_load(f).get("context", {})
    env = SandboxedEnvironment(
        loader=FileSystemLoader([os.path.join(HERE, "devices"),
                                 os.path.join(HERE, "device-types"), types_dir]),
        autoescape=False, trim_blocks=True)
    text = env.get_template(device + ".jinja2").render(**context)
    yaml.safe_load(text)
    job = f" with the context of {os.path.basename(sys.argv[3])}" if len(sys.argv) == 4 else ""
    sys.stdout.write(f"# Rendered from devices/{device}.jinja2{job} by render-devices.sh\n"
                     "# (lava-server 2023.01's device-type templates); do not edit.\n")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
