/* sets=softframe: a software-built interrupt frame beside a hardware one
 * (issue 4, part 2; seed 000).
 *
 * For each case the same vector (0xf0, no error code) is entered twice from
 * the same stack depth and the same flags: once by the CPU (`int $0xf0`,
 * probes/softframe/softframe_stubs.asm) and once by the KVM sequence that builds the frame
 * in software and CALLs the gate's handler, whose address is read from the
 * IDT gate the way KVM read it (gate_offset of host_idt_base + vector).
 * The dispatcher records both frames through the probe fixup table (their
 * saved RIPs are listed there) and the two are printed slot by slot.
 *
 * Our choice on IF: the primary software variant does NOT OR 0x200 into the
 * pushed RFLAGS (as Linux has done since f2485b3e); the `a547c6` cases do,
 * as the patch quoted in seed 000 did, to show the slot it changes.  The
 * kernel runs with IF=0, so resuming from such a frame must not restore
 * IF=1: the executor (probes/exec.c) clears IF in every frame it resumes. */
#include "softframe.h"
#include "../facts.h"
#include "../options.h"
#include "../probe.h"
#include "../model/vectors.h"
#include "../../idt/gdt.h"
#include "../../idt/idt.h"
#include "../../report/report.h"

#define SF_VECTOR 0xf0

void probe_softframe_hw(uint64_t unused, uint64_t rsp_adjust);
void probe_softframe_sw(uint64_t entry, uint64_t rsp_adjust);
void probe_softframe_sw_orif(uint64_t entry, uint64_t rsp_adjust);
extern const char softframe_hw_next[], probe_softframe_sw_next[], probe_softframe_sw_orif_next[];
extern const uint64_t isr_stub_table[256];

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

/* Run one stub through the executor and take the frame it caught. */
static bool run_event(probe_stub_fn stub, uint64_t arg, uint64_t adjust,
		      const char *next, struct sf_frame *out)
{
	struct exec_req req = { .stub = stub, .arg = arg, .rsp_adjust = adjust };
	struct exec_result x;

	exec_run(&req, &x);
	if (!x.faulted)
		return false;
	out->rip = x.frame.rip;
	out->cs = x.frame.cs;
	out->rflags = x.frame.rflags;
	out->rsp = x.frame.rsp;
	out->ss = x.frame.ss;
	out->frame_addr = x.frame_addr;
	out->pre_rsp = x.pre_rsp;
	out->next_rip = (uint64_t)(uintptr_t)next;
	out->stack = x.stack;
	out->start = out->pre_rsp;
	for (unsigned n = 1; n <= IST_COUNT; n++)
		if (out->frame_addr >= ist_stack_base(n) && out->frame_addr < ist_stack_top(n))
			out->start = ist_stack_top(n);
	return x.frame.vector == SF_VECTOR;
}

static void log_line(const char *s)
{
	report_log(s);
}

void run_softframe(const struct run_ctx *ctx)
{
	struct rec rec;
	char buf[LINE];
	struct strbuf sb;
	uint64_t entry = gate_entry(SF_VECTOR);
	unsigned differing[SF_NSLOTS] = { 0 };
	unsigned ncases = 0;

	report_note("== set softframe: int $0xf0 vs KVM's software-built frame (seed 000), slot by slot");
	rec_init(&rec, "softframe");
	rec_str(&rec, "case", "entry");
	rec_hexmin(&rec, "vector", SF_VECTOR);
	rec_hex64(&rec, "entry", entry);
	rec_yesno(&rec, "matches_stub_table", entry == isr_stub_table[SF_VECTOR]);
	report_record(&rec);
	/* KVM's instruction emulator has no protected/long-mode INT n: where
	 * KVM emulates the guest kernel's instructions (docs/deviations.md,
	 * kvm-emulation-failure) `int $0xf0` ends the VM with
	 * KVM_EXIT_INTERNAL_ERROR. */
	if (facts_kvm_emulates_kernel(ctx->env)) {
		rec_init(&rec, "softframe");
		rec_str(&rec, "case", "skipped");
		rec_str(&rec, "reason", "kvm-emulator-no-int-n");
		rec_str(&rec, "evidence", "straddle-pf");
		rec_str(&rec, "platform", ctx->env->platform);
		report_record(&rec);
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
			sf_record(&rec, k, (enum sf_slot)s, &d[s], ctx->env->platform);
			report_record(&rec);
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
