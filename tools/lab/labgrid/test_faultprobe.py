"""One faultprobe run on whatever the labgrid environment describes.

Only labgrid protocols are used, so the same test runs unchanged under
env-qemu.yaml (QEMUDriver), env-bench.yaml (a socat pty pair as the
USB-serial adapter, an external power command, QEMU as the PC) and
env-real-pc.yaml (a real PC, its USB stick written through a USB mux):

  - BootstrapProtocol, when the target has one: write the ISO to the boot
    medium (the real PC's stick).  QEMU targets have the ISO attached already.
  - PowerProtocol: power on (and off at the end).
  - ConsoleProtocol: read the serial console until the kernel's last line,
    `faultprobe: done probes=N faults=N unexpected=N` (README.md, "The
    machine-readable contract").

The run passes when the done line arrives, says unexpected=0, the log holds
exactly N `probe ` lines, and no CRASH line.  Whether each probe agrees with
the manuals is a finding, not a failure (docs/deviations.md); fpcheck and the
TAP/JUnit converters judge probes against a platform's expectations.
"""
import os
import re
import time

import pytest
from pexpect import TIMEOUT
from labgrid.exceptions import NoDriverFoundError
from labgrid.protocol import BootstrapProtocol, ConsoleProtocol, PowerProtocol

DONE = re.compile(rb"^faultprobe: done probes=(\d+) faults=(\d+) unexpected=(\d+)\r*$", re.M)
# The whole default run takes about 2 s under TCG; a real PC spends most of
# its time in firmware and GRUB's 10-second menu.
RUN_SECONDS = float(os.environ.get("FAULTPROBE_RUN_SECONDS", "120"))


def read_until_done(console, seconds):
    """Everything the console says until the done line (or the deadline).

    ConsoleProtocol.read(size=1) returns whatever has arrived (SerialDriver
    reads max(size, bytes waiting); QEMUDriver always up to 4096), so the
    reader never sits on a half-full buffer while the guest's UART waits:
    faultprobe gives up on a UART that stops draining (report/serial.c),
    and the done line would never come.  Only newly completed lines are
    searched; labgrid's expect() re-searches its whole growing buffer
    through pexpect on every read.
    """
    log = bytearray()
    searched = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            chunk = console.read(size=1, timeout=0.5)
        except TIMEOUT:
            continue
        if not chunk:
            break  # QEMUDriver: the socket closed, QEMU is gone
        log += chunk
        end = log.rfind(b"\n")
        if end < searched:
            continue
        m = DONE.search(log, searched, end + 1)
        if m:
            return bytes(log), m
        searched = end + 1
    return bytes(log), None


def test_faultprobe_run(target, record_property):
    try:
        bootstrap = target.get_driver(BootstrapProtocol)
    except NoDriverFoundError:
        bootstrap = None
    power = target.get_driver(PowerProtocol)
    console = target.get_driver(ConsoleProtocol)

    if bootstrap is not None:
        power.off()
        bootstrap.load(target.env.config.get_image_path("iso"))
    start = time.monotonic()
    power.on()
    try:
        log, done = read_until_done(console, RUN_SECONDS)
    finally:
        seconds = time.monotonic() - start
        # A QEMU that is already gone (reset with -no-reboot) makes
        # QEMUDriver.off() raise; report the run's own failure first.
        try:
            power.off()
            off_error = None
        except Exception as exc:  # pylint: disable=broad-except
            off_error = exc
    logdir = os.environ.get("FAULTPROBE_LOG_DIR")
    if logdir:
        with open(os.path.join(logdir, "console.log"), "wb") as f:
            f.write(log)

    text = log.decode("utf-8", "replace")
    record_property("console_bytes", len(log))
    record_property("run_seconds", round(seconds, 2))
    assert done is not None, (
        f"no 'faultprobe: done' line (console closed, or {RUN_SECONDS:.0f} s passed; "
        f"{len(log)} bytes read); last lines: {text.splitlines()[-3:]}")
    probes, faults, unexpected = (int(g) for g in done.groups())
    crash = [l for l in text.splitlines() if "CRASH" in l]
    assert not crash, f"crash report on the console: {crash[0].strip()}"
    assert unexpected == 0, f"unexpected={unexpected}: an exception no probe expected"
    probe_lines = len(re.findall(r"^probe ", text, re.M))
    assert probe_lines == probes, f"{probe_lines} 'probe ' lines, but the done line says probes={probes}"
    assert off_error is None, f"power off failed: {off_error!r}"
    record_property("probes", probes)
    record_property("faults", faults)
    print(f"faultprobe: probes={probes} faults={faults} unexpected={unexpected} "
          f"in {seconds:.1f} s, {len(log)} console bytes")
