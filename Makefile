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
# Layers (docs/architecture.md): probes/model/ is pure C shared by
# everything; the rest below is what host tests and tools link besides it.
MODEL_SRCS    := $(wildcard probes/model/*.c)
PORTABLE_SRCS := $(MODEL_SRCS) probes/families.c probes/probe_record.c boot/cmdline.c boot/mb2.c boot/mb1.c \
                 report/fbcon.c report/rec.c report/table.c report/oops.c \
                 probes/frame/frame_record.c probes/softframe/softframe_view.c \
                 probes/prot32/prot32_view.c probes/vmcore/btf.c
# Host-only C: the log tools' parser and record checks (never in the kernel).
HOST_ONLY_SRCS := tools/logparse.c tools/record_contract.c tools/fpcheck_core.c tools/fpcheck_model.c \
                  tools/fpcheck_lint.c tools/fpcheck_tap.c
# Generated font (PSF from Debian's console fonts, converted by tools/psf2c).
FONT_PSF ?= /usr/share/consolefonts/Lat15-VGA16.psf.gz
FONT_C   := $(BUILD)/font_data.c

# The kernel: every C file of the kernel folders (host-only code lives in tools/).
KERNEL_C_SRCS   := $(wildcard boot/*.c idt/*.c probes/*.c probes/*/*.c report/*.c)
KERNEL_ASM_SRCS := $(wildcard boot/*.asm idt/*.asm probes/*.asm probes/*/*.asm)
KERNEL_OBJS := $(patsubst %.c,$(BUILD)/k/%.o,$(KERNEL_C_SRCS)) \
               $(patsubst %.asm,$(BUILD)/k/%.o,$(KERNEL_ASM_SRCS)) \
               $(BUILD)/k/font_data.o

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
HOST_OBJS  := $(patsubst %.c,$(BUILD)/host/%.o,$(PORTABLE_SRCS) $(HOST_ONLY_SRCS)) $(BUILD)/host/font_data.o \
              $(BUILD)/host/tools/fbfind_lib.o $(BUILD)/host/tools/fpdiff_core.o \
              $(BUILD)/host/tools/fpjudge.o $(BUILD)/host/tools/fpdiff_input.o

.SECONDARY:
.PHONY: all iso run run-bochs platforms deps test unit boot-test lab-test help clean bench bench-bochs
all: $(ISO)

help:
	@echo "make deps    install the Debian packages (idempotent)"
	@echo "make run     build the ISO and boot it in QEMU (TCG), report on the terminal"
	@echo "make run-bochs   the same under Bochs 2.7 (BOCHS_CPU=tigerlake|ryzen|...)"
	@echo "make platforms   the full run on every platform here, one summary line each (slow)"
	@echo "make test    host unit tests + boot tests (TCG always, KVM when /dev/kvm opens)"
	@echo "make lab-test  labgrid and LAVA, all of it: the make-test cases and the lab-bench runs (tests/lab/)"
	@echo "make iso     build $(ISO) (CMDLINE='...' bakes other boot options)"
	@echo "make bench   what faultprobe costs: the log's cost, GRUB vs -kernel, the fault round trip (BENCH_RUNS=3)"
	@echo "make bench-bochs   the same under Bochs: seed, slice, full run, Intel and AMD model"
	@echo "make user    build/faultprobe-user: the same probes on this CPU from Linux user space"
	@echo "make build/fpdiff   compare two logs cell by cell (fpdiff A.log B.log)"
	@echo "make build/fpmodel  replay logs through the platform models (fpmodel FILE...)"
	@echo "make truth   docs/platforms.md + .svg: where the platforms differ, from tests/ref/"
	@echo "make unit    host unit tests only"
	@echo "make fuzz    libFuzzer on the command-line parser, the log parser, fpdiff, fpcheck, fpexplain"
	@echo "             (FUZZ_SECONDS=20 each; FUZZ_TARGETS='cmdline logparse fpdiff fpcheck')"
	@echo "make fbfind  screenshot checkers used by the screen tests"
	@echo "make fpexplain  build/fpexplain: explain a Linux oops / crash bt -f / faultprobe oops"

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

$(KERNEL): $(KERNEL_OBJS) linker.ld tools/check-mb1-image.sh
	$(LD) $(KLDFLAGS) -o $@ $(KERNEL_OBJS)
	@tools/check-mb1-image.sh $@ || { rm -f $@; exit 1; }

# ---------------------------------------------------------------- font
$(BUILD)/psf2c: tools/psf2c.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) $< -o $@

$(FONT_C): $(BUILD)/psf2c $(FONT_PSF)
	@mkdir -p $(dir $@)
	zcat -f $(FONT_PSF) > $(BUILD)/font.psf
	$(BUILD)/psf2c $(BUILD)/font.psf > $@

# ---------------------------------------------------------------- ISO
# CMDLINE (and GRUB_TIMEOUT, GRUB_GFXPAYLOAD) reach mkiso.sh through the
# environment, never through the shell parsing a recipe: quotes, backticks
# and $(...) in them stay plain text.  $(value ...) and unexport keep make
# itself from expanding them ($x, $(shell ...): make expands a command-line
# variable when it exports it).  mkiso.sh refuses what GRUB cannot pass on.
unexport CMDLINE GRUB_TIMEOUT GRUB_GFXPAYLOAD
$(ISO): export FP_CMDLINE = $(value CMDLINE)
$(ISO): export FP_GRUB_TIMEOUT = $(value GRUB_TIMEOUT)
$(ISO): export FP_GRUB_GFXPAYLOAD = $(value GRUB_GFXPAYLOAD)
$(ISO): $(KERNEL) iso/grub.cfg tools/mkiso.sh
	GRUB_TIMEOUT="$$FP_GRUB_TIMEOUT" GRUB_GFXPAYLOAD="$$FP_GRUB_GFXPAYLOAD" \
		tools/mkiso.sh $(KERNEL) $@ "$$FP_CMDLINE"

run: $(ISO)
	tools/run-qemu.sh $(ISO)

# Bochs (tools/run-bochs.sh): serial on the terminal; the script exits with
# QEMU's statuses (33 = complete), which this target turns into success.
run-bochs: $(ISO)
	@tools/run-bochs.sh $(ISO); s=$$?; [ $$s -eq 33 ] || { echo "run-bochs: status $$s" >&2; exit 1; }

# The full default run on every platform present (tools/platforms.sh).
platforms: $(ISO)
	@tools/platforms.sh $(ISO)

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

# build/fpmodel FILE...: replay logs (or observed expectation rows) through
# the platform models, cell by cell (tools/fpjudge.h).
$(BUILD)/fpmodel: tools/fpmodel.c $(HOST_OBJS)
	$(HOSTCC) $(HOSTCFLAGS) -I. $< $(HOST_OBJS) -o $@

# make truth: docs/platforms.md and docs/platforms.svg, where the platforms
# differ, regenerated from the reference logs (tests/ref/references).
$(BUILD)/truth: tools/truth.c $(HOST_OBJS)
	$(HOSTCC) $(HOSTCFLAGS) -I. $< $(HOST_OBJS) -o $@

# build/pngcount FILE.png [#rrggbb...]: colours of a rendered picture (tests).
$(BUILD)/pngcount: tools/pngcount.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) $< -lpng -o $@

.PHONY: truth
truth: $(BUILD)/truth
	$(BUILD)/truth tests/ref/references docs/platforms.md docs/platforms.svg

unit: $(UNIT_TESTS)
	@tests/run-unit.sh $(UNIT_TESTS)

# Everything the boot cases run, built before they start: cases run side by
# side (tests/boot/run-all.sh), and the make each one calls must find
# nothing to do.
TEST_TOOLS := $(ISO) $(BUILD)/fpcheck $(BUILD)/fpexplain $(BUILD)/fpdiff $(BUILD)/fpmodel \
              $(BUILD)/truth $(BUILD)/families $(BUILD)/faultprobe-user $(BUILD)/faultprobe-badopt.iso \
              $(BUILD)/faultprobe-halt.iso $(BUILD)/fbfind $(BUILD)/vgatext

boot-test: $(TEST_TOOLS)
	@tests/boot/run-all.sh $(ISO)

# make test builds what it runs with one job per CPU (TEST_BUILD_JOBS),
# whatever -j it was called with: on 2 cores the build is a third of its
# time.
TEST_BUILD_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test:
	@$(MAKE) --no-print-directory -j$(TEST_BUILD_JOBS) $(UNIT_TESTS) $(TEST_TOOLS)
	@tests/run-tests.sh $(UNIT_TESTS)

# labgrid and LAVA (tools/lab/): the cases make test runs (validation, QEMU
# runs) plus the slower lab-bench runs in tests/lab/ (README.md, "Running it
# in your lab or CI").
lab-test: $(ISO)
	@RUN_ALL_LABEL=lab tests/boot/run-all.sh $(ISO) tests/boot/case-labgrid-*.sh tests/boot/case-lava-*.sh tests/lab/case-*.sh

# BENCH_RUNS boots per figure (their median; tests/bench.sh).
BENCH_RUNS ?= 3
bench: $(ISO)
	@tests/bench.sh $(BENCH_RUNS)

# Bochs boot-to-summary times: seed, the make-test slice, the full run, for
# an Intel and an AMD model (median of 3 each; a few minutes).
bench-bochs: $(ISO)
	@tests/bench-bochs.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---------------------------------------------------------------- linux-user, fpdiff
# build/faultprobe-user: the same probe stubs and probe sets at CPL 3 under
# Linux (tools/user/user.h).  Not sanitized and not PIE: it moves RSP from a
# signal handler, and the stubs' .extable holds absolute addresses.
USER_BIN      := $(BUILD)/faultprobe-user
USERCFLAGS    := -std=gnu11 -O2 -g $(WARN) -MMD -MP -DFP_HOST -DFP_USER -fno-pie -fno-stack-protector
# The families flagged FAM_USER in probes/families.def, each its folder's
# C and NASM files (a family's row is all it takes to be built here too).
USER_FAMILIES := $(shell grep '^FAMILY' probes/families.def | grep FAM_USER | cut -d, -f1 | cut -c8- | tr -d ' ')
USER_C_SRCS   := $(wildcard tools/user/*.c) $(MODEL_SRCS) probes/probe.c probes/probe_record.c probes/families.c \
                 $(foreach f,$(USER_FAMILIES),$(wildcard probes/$(f)/*.c)) \
                 report/rec.c report/table.c report/report.c report/summary_screen.c report/oops.c \
                 idt/cpuinfo.c idt/extable.c boot/cmdline.c
USER_ASM_SRCS := probes/seed_stubs.asm tools/user/fsgsbase_probe.asm \
                 $(foreach f,$(USER_FAMILIES),$(wildcard probes/$(f)/*.asm))
USER_OBJS     := $(patsubst %.c,$(BUILD)/user/%.o,$(USER_C_SRCS)) \
                 $(patsubst %.asm,$(BUILD)/user/%.o,$(USER_ASM_SRCS))

$(BUILD)/user/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(USERCFLAGS) -c $< -o $@

$(BUILD)/user/%.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) $(NFLAGS) -MD $(@:.o=.d) -MP $< -o $@

$(USER_BIN): $(USER_OBJS) tools/user/extable.ld
	$(HOSTCC) -no-pie -Wl,-z,noexecstack -Wl,-T,tools/user/extable.ld $(USER_OBJS) -o $@

# build/fpdiff A.log B.log: cell-by-cell comparison of two runs (only the
# objects it needs, so it builds while other portable files are in flux).
FPDIFF_OBJS := $(addprefix $(BUILD)/host/,tools/fpdiff_core.o tools/fpdiff_input.o tools/logparse.o tools/record_contract.o probes/model/fmt.o probes/model/vectors.o)
$(BUILD)/fpdiff: tools/fpdiff.c $(FPDIFF_OBJS)
	$(HOSTCC) $(HOSTCFLAGS) -I. $< $(FPDIFF_OBJS) -o $@

.PHONY: user
user: $(USER_BIN)

# build/families: the family registry as a Markdown table; `make
# families-doc` puts it into README.md between its markers.
$(BUILD)/families: tools/families.c probes/families.c probes/families.def probes/registry.h
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O1 $(WARN) tools/families.c probes/families.c -o $@

.PHONY: families-doc
families-doc: $(BUILD)/families
	@tools/docs-families.sh README.md

# ---------------------------------------------------------------- real hardware, screens, fuzz (issue 5)
# build/fbfind SCREEN.ppm "TEXT": is TEXT drawn by fbcon on a QEMU screendump?
# build/vgatext DUMP: the characters of a VGA text buffer (monitor pmemsave).
# build/faultprobe-halt.iso: exit=halt baked in, so QEMU stays up for a
# screendump; build/faultprobe-badopt.iso: malformed options (cmdline test).
HALT_ISO   := $(BUILD)/faultprobe-halt.iso
BADOPT_ISO := $(BUILD)/faultprobe-badopt.iso
BADOPT_CMDLINE := sets=seed,fingerprint colour=blue repeat=0x10 addr=0xZZ matrix=slice=nope exit=qemu
FUZZ_SECONDS ?= 20

$(BUILD)/fbfind: tools/fbfind.c tools/fbfind_lib.c tools/fbfind_lib.h report/fbcon.h $(FONT_C)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) -Ireport tools/fbfind.c tools/fbfind_lib.c $(FONT_C) -o $@

$(BUILD)/vgatext: tools/vgatext.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 $(WARN) $< -o $@

$(HALT_ISO): $(KERNEL) iso/grub.cfg tools/mkiso.sh
	GRUB_TIMEOUT=0 tools/mkiso.sh $(KERNEL) $@ "exit=halt"

$(BADOPT_ISO): $(KERNEL) iso/grub.cfg tools/mkiso.sh Makefile
	GRUB_TIMEOUT=0 tools/mkiso.sh $(KERNEL) $@ "$(BADOPT_CMDLINE)"

.PHONY: fbfind screen-test-deps fuzz
fbfind: $(BUILD)/fbfind $(BUILD)/vgatext
# What tests/boot/case-{screen-*,noserial,cmdline-error}.sh need besides the ISO.
screen-test-deps: $(BUILD)/fbfind $(BUILD)/vgatext $(HALT_ISO) $(BADOPT_ISO)

# libFuzzer targets (tests/fuzz/fuzz_*.c), FUZZ_SECONDS each (default 20):
# the boot command-line parser, the log line parser and record contract,
# fpdiff's and fpcheck's cores.  `make fuzz FUZZ_TARGETS='fpdiff fpcheck'`
# runs some.  Objects are shared between targets and rebuilt only when
# their sources change.
FUZZ_CC     := clang
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer -DFP_HOST -MMD -MP \
               -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all $(WARN) -I.
FUZZ_TARGETS ?= cmdline logparse fpdiff fpcheck
FUZZ_SRCS_cmdline  := tests/fuzz/fuzz_cmdline.c boot/cmdline.c probes/families.c \
                      probes/model/fmt.c probes/model/matrix_desc.c probes/model/access.c
FUZZ_SRCS_logparse := tests/fuzz/fuzz_logparse.c tools/logparse.c tools/record_contract.c \
                      probes/model/vectors.c probes/model/fmt.c
FUZZ_SRCS_fpdiff   := tests/fuzz/fuzz_fpdiff.c tools/fpdiff_core.c tools/fpdiff_input.c tools/logparse.c \
                      tools/record_contract.c probes/model/vectors.c probes/model/fmt.c
FUZZ_SRCS_fpcheck  := tests/fuzz/fuzz_fpcheck.c tools/fpcheck_core.c tools/fpcheck_lint.c \
                      tools/fpcheck_tap.c tools/fpcheck_model.c tools/logparse.c tools/record_contract.c tools/fpjudge.c \
                      $(MODEL_SRCS)

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

define fuzz_link
$(BUILD)/fuzz/fuzz_$(1): $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(FUZZ_SRCS_$(1)))
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined $$^ -o $$@
endef
$(foreach t,cmdline logparse fpdiff fpcheck,$(eval $(call fuzz_link,$(t))))

.PHONY: fuzz-build
fuzz-build: $(foreach t,$(FUZZ_TARGETS),$(BUILD)/fuzz/fuzz_$(t))

fuzz:
	@tests/fuzz/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# `make iso` builds $(ISO); `make iso CMDLINE='...'` (and GRUB_TIMEOUT=...,
# GRUB_GFXPAYLOAD=...)
# rebuilds it whenever the baked options differ from the last build's.
# One stamp per image, so building another ISO (ISO=...) never forces this
# one to be rebuilt.
ISO_OPTS_STAMP := $(ISO).options
$(ISO_OPTS_STAMP): export FP_CMDLINE = $(value CMDLINE)
$(ISO_OPTS_STAMP): export FP_GRUB_TIMEOUT = $(value GRUB_TIMEOUT)
$(ISO_OPTS_STAMP): export FP_GRUB_GFXPAYLOAD = $(value GRUB_GFXPAYLOAD)
$(ISO_OPTS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@printf 'CMDLINE=%s GRUB_TIMEOUT=%s GRUB_GFXPAYLOAD=%s\n' "$$FP_CMDLINE" "$$FP_GRUB_TIMEOUT" "$$FP_GRUB_GFXPAYLOAD" > $@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi
$(ISO): $(ISO_OPTS_STAMP)
iso: $(ISO)
.PHONY: FORCE
FORCE:

# ---------------------------------------------------------------- fpexplain (issue 8)
# build/fpexplain [--json] [FILE ...]: explain a real oops, a crash `bt -f`
# or faultprobe's own oops from the rule model (probes/model/) and Zydis.
FPX_SRCS := $(filter-out tools/fpexplain/main.c,$(wildcard tools/fpexplain/*.c))
FPX_OBJS := $(patsubst %.c,$(BUILD)/host/%.o,$(FPX_SRCS))
FPX_DEPS := $(patsubst %.c,$(BUILD)/host/%.o,$(MODEL_SRCS))
FPX_LIBS := -lZydis
$(BUILD)/host/tools/fpexplain/%.o: HOSTCFLAGS += -I.

$(BUILD)/fpexplain: $(BUILD)/host/tools/fpexplain/main.o $(FPX_OBJS) $(FPX_DEPS)
	$(HOSTCC) $(HOSTCFLAGS) $^ $(FPX_LIBS) -o $@

.PHONY: fpexplain
fpexplain: $(BUILD)/fpexplain

# Its unit tests (tests/unit/test_explain*.c) also link fpexplain and Zydis.
$(BUILD)/tests/test_explain%: tests/unit/test_explain%.c $(HOST_OBJS) $(FPX_OBJS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -I. $< $(HOST_OBJS) $(FPX_OBJS) $(HOSTLIBS) $(FPX_LIBS) -o $@

# libFuzzer on fpexplain's whole pipeline (a block of its own beside the
# command-line fuzzer above; `make fuzz` runs both).
.PHONY: fuzz-fpexplain
fuzz: fuzz-fpexplain
fuzz-fpexplain:
	@tests/fuzz/run-fuzz-fpexplain.sh $(FUZZ_SECONDS)
