"""labgrid drivers that put the faultprobe ISO on a PC's boot medium.

Both implement BootstrapProtocol.load(filename), so test_faultprobe.py writes
the ISO the same way whatever the lab has (environments load this file with
`imports:`):

- UsbStickDriver: the stick sits on a USB mux (LXA USB-Mux or USB-SD-Mux);
  switch it to the lab host, write the image with labgrid's USBStorageDriver
  (dd), switch it back to the PC.
- CommandBootstrapDriver: a lab's own command writes the image (the command
  gets the image path as its last argument); env-bench.yaml uses it for the
  bench's stick.
"""
import logging
import shlex

import attr

from labgrid.driver.common import Driver
from labgrid.factory import target_factory
from labgrid.protocol import BootstrapProtocol
from labgrid.step import step
from labgrid.util.helper import processwrapper


def register(cls):
    """target_factory.reg_driver, once: labgrid runs an environment's
    imports each time it loads one, and refuses a second registration."""
    if cls.__name__ not in target_factory.all_classes:
        target_factory.reg_driver(cls)
    return cls


@register
@attr.s(eq=False)
class UsbStickDriver(Driver, BootstrapProtocol):
    """Write an image to the PC's USB stick through a USB mux."""
    bindings = {
        "storage": "USBStorageDriver",
        "mux": {"LXAUSBMuxDriver", "USBSDMuxDriver"},
    }

    def __attrs_post_init__(self):
        super().__attrs_post_init__()
        self.logger = logging.getLogger(f"{self}:{self.target}")

    def _connect(self, side):
        # LXAUSBMuxDriver.set_links: "host-device" = stick on the lab host,
        # "dut-device" = stick on the PC.  USBSDMuxDriver.set_mode: host|dut.
        if hasattr(self.mux, "set_links"):
            self.mux.set_links([f"{side}-device"])
        else:
            self.mux.set_mode(side)

    @Driver.check_active
    @step(args=["filename"])
    def load(self, filename=None):
        self._connect("host")
        self.storage.write_image(filename)
        self._connect("dut")


@register
@attr.s(eq=False)
class CommandBootstrapDriver(Driver, BootstrapProtocol):
    """Run `cmd IMAGE` to put IMAGE on the boot medium."""
    cmd = attr.ib(validator=attr.validators.instance_of(str))

    @Driver.check_active
    @step(args=["filename"])
    def load(self, filename=None):
        processwrapper.check_output(shlex.split(self.cmd) + [filename])
