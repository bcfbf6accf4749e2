#!/bin/sh
# run-qemu.sh ISO [tcg|kvm] [bios|uefi] — boot faultprobe with the report on
# this terminal (serial on stdio, no window) and explain QEMU's exit status.
iso=${1:-build/faultprobe.iso}
accel=${2:-tcg}
fw=${3:-bios}
tools/qemu-cmd.sh "$iso" "$accel" "$fw" -display none -serial stdio
status=$?
case $status in
33) echo "run-qemu: run complete (QEMU status 33)"; exit 0 ;;
35) echo "run-qemu: run complete, but a record was unusable (status 35)" ;;
37) echo "run-qemu: CRASH: an exception no probe expected (status 37)" ;;
39) echo "run-qemu: boot failure (status 39)" ;;
0)  echo "run-qemu: the guest reset (triple fault?) (status 0)" ;;
*)  echo "run-qemu: QEMU exited with status $status" ;;
esac
exit 1
