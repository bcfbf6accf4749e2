# faultprobe — build, run and test.  `make help` lists the targets.
BUILD    := build
KERNEL   := $(BUILD)/faultprobe.elf
ISO      := $(BUILD)/faultprobe.iso
CMDLINE  ?=

CC       := gcc
NASM     := nasm
LD       := ld

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
KCFLAGS  := -std=gnu11 -O2 -g -m64 -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
            -fno-asynchronous-unwind-tables -mno-red-zone -mgeneral-regs-only \
            -mcmodel=small -fno-builtin $(WARN) -MMD -MP -DFP_KERNEL
KLDFLAGS := -nostdlib -static -z noexecstack -z max-page-size=0x1000 -T linker.ld
NFLAGS   := -f elf64 -g -F dwarf -I./

HOSTCC     := gcc
HOSTCFLAGS := -std=gnu11 -O1 -g $(WARN) -MMD -MP -DFP_HOST -fsanitize=address,undefined
HOSTLIBS   := -lcmocka

# Pure C shared by the kernel, the host tests and the host tools.
PORTABLE_SRCS := report/fmt.c idt/vectors.c \
                 $(wildcard probes/rules.c boot/cmdline.c report/fbcon.c report/record.c \
                            report/oops.c probes/matrix_desc.c report/logparse.c)
# Generated font (PSF from Debian's console fonts, converted by tools/psf2c).
FONT_PSF ?= /usr/share/consolefonts/Lat15-VGA16.psf.gz
FONT_C   := $(BUILD)/font_data.c

KERNEL_C_SRCS   := $(filter-out $(wildcard tools/*.c),$(wildcard boot/*.c idt/*.c probes/*.c report/*.c))
KERNEL_ASM_SRCS := $(wildcard boot/*.asm idt/*.asm probes/*.asm)
KERNEL_OBJS := $(patsubst %.c,$(BUILD)/k/%.o,$(KERNEL_C_SRCS)) \
               $(patsubst %.asm,$(BUILD)/k/%.o,$(KERNEL_ASM_SRCS)) \
               $(BUILD)/k/font_data.o

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
HOST_OBJS  := $(patsubst %.c,$(BUILD)/host/%.o,$(PORTABLE_SRCS)) $(BUILD)/host/font_data.o \
              $(BUILD)/host/tools/fbfind_lib.o

.SECONDARY:
.PHONY: all iso run deps test unit boot-test help clean bench
all: $(ISO)

help:
	@echo "make deps    install the Debian packages (idempotent)"
	@echo "make run     build the ISO and boot it in QEMU (TCG), report on the terminal"
	@echo "make test    host unit tests + boot tests (TCG always, KVM when /dev/kvm opens)"
	@echo "make iso     build $(ISO) (CMDLINE='...' bakes other boot options)"
	@echo "make bench   boot-to-summary wall time under TCG (median of 5)"

deps:
	@tools/deps.sh

# ---------------------------------------------------------------- kernel
$(BUILD)/k/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/k/%.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) $(NFLAGS) -MD $(@:.o=.d) -MP $< -o $@

$(BUILD)/k/font_data.o: $(FONT_C)
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -Ireport -c $< -o $@

$(KERNEL): $(KERNEL_OBJS) linker.ld
	$(LD) $(KLDFLAGS) -o $@ $(KERNEL_OBJS)

# ---------------------------------------------------------------- font
$(BUILD)/psf2c: tools/psf2c.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) $< -o $@

$(FONT_C): $(BUILD)/psf2c $(FONT_PSF)
	@mkdir -p $(dir $@)
	zcat -f $(FONT_PSF) > $(BUILD)/font.psf
	$(BUILD)/psf2c $(BUILD)/font.psf > $@

# ---------------------------------------------------------------- ISO
$(ISO): $(KERNEL) iso/grub.cfg tools/mkiso.sh
	tools/mkiso.sh $(KERNEL) $@ "$(CMDLINE)"

run: $(ISO)
	tools/run-qemu.sh $(ISO)

# ---------------------------------------------------------------- host tests
$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -c $< -o $@

$(BUILD)/host/font_data.o: $(FONT_C)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -Ireport -c $< -o $@

$(BUILD)/tests/%: tests/unit/%.c $(HOST_OBJS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -I. $< $(HOST_OBJS) $(HOSTLIBS) -o $@

# ---------------------------------------------------------------- host tools
$(BUILD)/fpcheck: tools/fpcheck.c $(HOST_OBJS)
	$(HOSTCC) $(HOSTCFLAGS) -I. $< $(HOST_OBJS) -o $@

unit: $(UNIT_TESTS)
	@tests/run-unit.sh $(UNIT_TESTS)

boot-test: $(ISO) $(BUILD)/fpcheck
	@tests/boot/run-all.sh $(ISO)

test: $(UNIT_TESTS) $(ISO) $(BUILD)/fpcheck
	@tests/run-tests.sh $(UNIT_TESTS)

bench: $(ISO)
	@tests/bench.sh $(ISO)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
