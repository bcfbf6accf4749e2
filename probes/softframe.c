/* sets=softframe: a software-built interrupt frame beside a hardware one
 * (issue 4, part 2; seed 000).
 *
 * For each case the same vector (0xf0, no error code) is entered twice from
 * the same stack depth and the same flags: once by the CPU (`int $0xf0`,
 * probes/softframe_stubs.asm) and once by the KVM sequence that builds the frame
 * in software and CALLs the gate's handler, whose address is read from the
 * IDT gate the way KVM read it (gate_offset of host_idt_base + vector).
 * The dispatcher records both frames through the probe fixup table (their
 * saved RIPs are listed there) and the two are printed slot by slot.
 *
 * Our choice on IF: the primary software variant does NOT OR 0x200 into the
 * pushed RFLAGS (as Linux has done since f2485b3e); the `a547c6` cases do,
 * as the patch quoted in seed 000 did, to show the slot it changes.  The
 * kernel runs with IF=0, so resuming from such a frame must not restore
 * IF=1: probes/fixup.c clears IF in every frame it resumes. */
#include "sets.h"
#include "probe.h"
#include "framecheck.h"
#include "../boot/cmdline.h"
#include "../boot/gdt.h"
#include "../idt/idt.h"
#include "model/vectors.h"
#include "../report/console.h"
#include "model/fmt.h"
#include "../report/report.h"

#define SF_VECTOR 0xf0

void probe_softframe_hw(uint64_t unused, uint64_t rsp_adjust);
void probe_softframe_sw(uint64_t entry, uint64_t rsp_adjust);
void probe_softframe_sw_orif(uint64_t entry, uint64_t rsp_adjust);
extern const char softframe_hw_next[], probe_softframe_sw_next[], probe_softframe_sw_orif_next[];
extern const uint64_t isr_stub_table[256];
void probe_seed_load_rbp(uint64_t addr, uint64_t rsp_adjust);   /* probes/seed_stubs.asm */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define LINE 512

static const struct sf_case cases[] = {
	{ .name = "plain-adj0",   .vector = SF_VECTOR, .adjust = 0, .gate_ist = 0, .or_if = false },
	{ .name = "plain-adj8",   .vector = SF_VECTOR, .adjust = 8, .gate_ist = 0, .or_if = false },
	{ .name = "a547c6-adj0",  .vector = SF_VECTOR, .adjust = 0, .gate_ist = 0, .or_if = true },
	{ .name = "a547c6-adj8",  .vector = SF_VECTOR, .adjust = 8, .gate_ist = 0, .or_if = true },
	{ .name = "plain-ist4",   .vector = SF_VECTOR, .adjust = 8, .gate_ist = IST_PROBE, .or_if = false },
};

/* The handler address from the live IDT gate (SDM Vol. 3 6.14.1, Figure
 * 6-8: offset 15:0, 31:16, 63:32), as KVM's gate_offset() did. */
static uint64_t gate_entry(unsigned vector)
{
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idtr;
	__asm__ volatile("sidt %0" : "=m"(idtr));
	const volatile uint8_t *g = (const volatile uint8_t *)(uintptr_t)(idtr.base + 16ull * vector);
	uint64_t lo = (uint64_t)g[0] | (uint64_t)g[1] << 8;
	uint64_t mid = (uint64_t)g[6] | (uint64_t)g[7] << 8;
	uint64_t hi = (uint64_t)g[8] | (uint64_t)g[9] << 8 | (uint64_t)g[10] << 16 |
		      (uint64_t)g[11] << 24;
	return lo | mid << 16 | hi << 32;
}

static const char *stack_of(uint64_t a)
{
	static const char *const names[8] = { "cur", "ist1", "ist2", "ist3", "ist4", "ist5", "ist6", "ist7" };
	for (unsigned n = 1; n <= IST_COUNT; n++)
		if (a >= ist_stack_base(n) && a < ist_stack_top(n))
			return names[n];
	return "cur";
}

/* Arm the fixup table, run one stub, take the frame the handler copied. */
static bool run_event(probe_stub_fn stub, uint64_t arg, uint64_t adjust,
		      const char *next, struct sf_frame *out)
{
	probe_ctx.faulted = 0;
	probe_ctx.value = 0;
	probe_ctx.fault_insn = 0;
	probe_ctx.wildcard_resume = 0;
	probe_ctx.armed = 1;
	__asm__ volatile("" ::: "memory");
	stub(arg, adjust);
	__asm__ volatile("" ::: "memory");
	probe_ctx.armed = 0;
	if (!probe_ctx.faulted)
		return false;
	out->rip = probe_ctx.frame.rip;
	out->cs = probe_ctx.frame.cs;
	out->rflags = probe_ctx.frame.rflags;
	out->rsp = probe_ctx.frame.rsp;
	out->ss = probe_ctx.frame.ss;
	out->frame_addr = probe_ctx.frame_addr;
	out->pre_rsp = probe_ctx.pre_rsp;
	out->next_rip = (uint64_t)(uintptr_t)next;
	out->stack = stack_of(probe_ctx.frame_addr);
	out->start = out->pre_rsp;
	for (unsigned n = 1; n <= IST_COUNT; n++)
		if (out->frame_addr >= ist_stack_base(n) && out->frame_addr < ist_stack_top(n))
			out->start = ist_stack_top(n);
	return probe_ctx.frame.vector == SF_VECTOR;
}

/* KVM's instruction emulator has no protected/long-mode INT n: where KVM
 * emulates the guest kernel's instructions (the PVM-based /dev/kvm of the
 * development machine, docs/deviations.md) `int $0xf0` ends the VM with
 * KVM_EXIT_INTERNAL_ERROR (emulation failure).  Such a KVM shows itself the
 * way report/fingerprint.c tells it: an 8-byte load through RBP at
 * 0x00007ffffffffff9, which runs into the non-canonical hole, gives #PF
 * (kvm-straddle-pf) where silicon, and KVM letting the hardware deliver the
 * fault, give #SS. */
static bool kvm_emulates_kernel(void)
{
	static const struct probe_def straddle = {
		.set = "softframe", .stub_name = "probe_seed_load_rbp", .stub = probe_seed_load_rbp,
		.op = OP_LOAD, .base = GPR_RBP, .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8,
	};
	struct probe_result r;
	if (fp_strcmp(report_platform(), "kvm") != 0)
		return false;
	probe_run(&straddle, 0x00007ffffffffff9ull, 0, &r);
	return r.faulted && r.vector == VEC_PF;
}

static void log_line(const char *s)
{
	con_log_line(s);
}

void run_softframe_set(const struct options *opts)
{
	(void)opts;
	char buf[LINE];
	struct strbuf sb;
	uint64_t entry = gate_entry(SF_VECTOR);
	unsigned differing[SF_NSLOTS] = { 0 };
	unsigned ncases = 0;

	report_note("== set softframe: int $0xf0 vs KVM's software-built frame (seed 000), slot by slot");
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "softframe case=entry vector=0xf0");
	sb_kv_hex64(&sb, "entry", entry);
	sb_kv_str(&sb, "matches_stub_table", entry == isr_stub_table[SF_VECTOR] ? "yes" : "no");
	log_line(buf);
	if (kvm_emulates_kernel()) {
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "softframe case=skipped reason=kvm-emulator-no-int-n evidence=straddle-pf");
		sb_kv_str(&sb, "platform", report_platform());
		log_line(buf);
		report_note("softframe: skipped: this KVM emulates the kernel's instructions "
			    "(straddling load gave #PF) and cannot emulate INT n");
		return;
	}

	for (unsigned c = 0; c < COUNT(cases); c++) {
		const struct sf_case *k = &cases[c];
		struct sf_frame hw, sw;
		unsigned old_ist = idt_set_ist(k->vector, k->gate_ist);
		bool ok = run_event(probe_softframe_hw, 0, k->adjust, softframe_hw_next, &hw);
		ok = ok && run_event(k->or_if ? probe_softframe_sw_orif : probe_softframe_sw,
				     entry, k->adjust,
				     k->or_if ? probe_softframe_sw_orif_next : probe_softframe_sw_next,
				     &sw);
		idt_set_ist(k->vector, old_ist);
		if (!ok) {
			sb_init(&sb, buf, sizeof(buf));
			sb_puts(&sb, "softframe: case ");
			sb_puts(&sb, k->name);
			sb_puts(&sb, ": an event was not captured; skipped");
			report_note(buf);
			continue;
		}
		ncases++;

		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "softframe: case ");
		sb_puts(&sb, k->name);
		sb_puts(&sb, ": vector 0xf0, RSP = ");
		sb_dec(&sb, hw.pre_rsp & 15);
		sb_puts(&sb, " mod 16, gate IST ");
		sb_dec(&sb, k->gate_ist);
		sb_puts(&sb, k->or_if ? ", software ORs 0x200 (a547c6db)" : ", software pushes RFLAGS as is");
		log_line(buf);
		sb_init(&sb, buf, sizeof(buf));
		sf_format_header(&sb);
		log_line(buf);
		struct sf_diff d[SF_NSLOTS];
		for (unsigned s = 0; s < SF_NSLOTS; s++) {
			sf_compare(k, &hw, &sw, (enum sf_slot)s, &d[s]);
			differing[s] += !d[s].same;
			sb_init(&sb, buf, sizeof(buf));
			sf_format_row(&sb, (enum sf_slot)s, &d[s]);
			log_line(buf);
		}
		for (unsigned s = 0; s < SF_NSLOTS; s++) {
			sb_init(&sb, buf, sizeof(buf));
			sf_format_line(&sb, k, (enum sf_slot)s, &d[s], report_platform());
			log_line(buf);
		}
	}

	/* Screen: one line. */
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "softframe: ");
	sb_dec(&sb, ncases);
	sb_puts(&sb, " cases; slots differing (cases):");
	for (unsigned s = 0; s < SF_NSLOTS; s++) {
		if (!differing[s])
			continue;
		sb_putc(&sb, ' ');
		sb_puts(&sb, sf_slot_name((enum sf_slot)s));
		sb_putc(&sb, '(');
		sb_dec(&sb, differing[s]);
		sb_putc(&sb, ')');
	}
	report_note(buf);
}
