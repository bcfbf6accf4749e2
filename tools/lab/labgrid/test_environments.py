"""The three labgrid environments load with labgrid's own parser and bind
what test_faultprobe.py asks for.  env-real-pc.yaml cannot run here (no PDU,
mux or adapter); this is its test: every resource and driver name exists in
labgrid 0.4.1, every binding resolves, the power model is one labgrid has,
and the drivers are the ones a USB-stick PC needs.  A broken environment
must be refused.
"""
import importlib
import os

import pytest
from labgrid import Environment
from labgrid.exceptions import NoDriverFoundError, NoSupplierFoundError
from labgrid.protocol import BootstrapProtocol, ConsoleProtocol, PowerProtocol

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(autouse=True)
def lg_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("LG_FAULTPROBE_ISO", str(tmp_path / "faultprobe.iso"))
    monkeypatch.setenv("LG_FAULTPROBE_BENCH", str(tmp_path / "bench"))


def load(name):
    env = Environment(os.path.join(HERE, name))
    return env, env.get_target("main")


def driver_and_bindings(target, protocol):
    drv = target.get_driver(protocol, activate=False)
    return type(drv).__name__, {k: type(getattr(drv, k)).__name__ for k in drv.bindings}


def test_qemu_environment():
    env, target = load("env-qemu.yaml")
    assert driver_and_bindings(target, PowerProtocol)[0] == "QEMUDriver"
    assert driver_and_bindings(target, ConsoleProtocol)[0] == "QEMUDriver"
    with pytest.raises(NoDriverFoundError):
        target.get_driver(BootstrapProtocol, activate=False)
    drv = target.get_driver(PowerProtocol, activate=False)
    assert env.config.get_image_path("iso") in drv.extra_args.split()
    assert "isa-debug-exit" not in drv.extra_args


def test_bench_environment():
    env, target = load("env-bench.yaml")
    assert driver_and_bindings(target, ConsoleProtocol) == ("SerialDriver", {"port": "RawSerialPort"})
    assert driver_and_bindings(target, PowerProtocol)[0] == "ExternalPowerDriver"
    assert driver_and_bindings(target, BootstrapProtocol)[0] == "CommandBootstrapDriver"
    port = target.get_resource("RawSerialPort")
    assert port.port == os.path.join(os.environ["LG_FAULTPROBE_BENCH"], "tty-host")
    power = target.get_driver(PowerProtocol, activate=False)
    assert os.access(power.cmd_on.split()[0], os.X_OK)


def test_real_pc_environment():
    env, target = load("env-real-pc.yaml")
    assert driver_and_bindings(target, ConsoleProtocol) == ("SerialDriver", {"port": "USBSerialPort"})
    assert driver_and_bindings(target, PowerProtocol) == ("NetworkPowerDriver", {"port": "NetworkPowerPort"})
    assert driver_and_bindings(target, BootstrapProtocol) == (
        "UsbStickDriver", {"storage": "USBStorageDriver", "mux": "LXAUSBMuxDriver"})
    storage = target.get_driver("USBStorageDriver", activate=False)
    assert type(storage.storage).__name__ == "USBMassStorage"
    # NetworkPowerDriver imports labgrid.driver.power.<model> when activated.
    model = target.get_resource("NetworkPowerPort").model
    importlib.import_module(f"labgrid.driver.power.{model}")
    assert env.config.get_image_path("iso") == os.environ["LG_FAULTPROBE_ISO"]


def test_broken_environment_is_refused(tmp_path):
    # The stick driver without a mux to switch the stick over: labgrid
    # must refuse to bind it.
    with open(os.path.join(HERE, "env-real-pc.yaml")) as f:
        text = f.read()
    broken = tmp_path / "env-broken.yaml"
    broken.write_text(text.replace("      LXAUSBMuxDriver: {}\n", "")
                      .replace("faultprobe_drivers.py", os.path.join(HERE, "faultprobe_drivers.py")))
    assert "LXAUSBMuxDriver" not in broken.read_text().split("drivers:")[1]
    env = Environment(str(broken))
    with pytest.raises(NoSupplierFoundError, match="LXAUSBMuxDriver"):
        env.get_target("main")
