/* sets=frame: frame checks on every fault (issue 4, part 1).
 *
 * The seed's two instructions (rbp and r15 base, poisoning stubs in
 * probes/frame/frame_stubs.asm) are run against the vmcore's non-canonical
 * freelist value (#SS through rbp, #GP through r15 by the SDM) and an
 * unmapped canonical address (#PF), each with RSP = 0 and 8 mod 16, once
 * with the gates as they are and once with #SS/#GP/#PF on IST_PROBE.  After
 * each fault the hardware frame is checked against SDM Vol. 3 6.14/6.14.2
 * (probes/model/frame_rules.c) and a `frame` line follows the `probe` record. */
#include "frame.h"
#include "../options.h"
#include "../probe.h"
#include "../../idt/gdt.h"
#include "../../report/report.h"

void probe_frame_load_rbp(uint64_t addr, uint64_t rsp_adjust);
void probe_frame_load_r15(uint64_t addr, uint64_t rsp_adjust);
extern const char probe_frame_load_rbp_insn[], probe_frame_load_rbp_next[];
extern const char probe_frame_load_r15_insn[], probe_frame_load_r15_next[];

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct probe_def frame_defs[] = {
	{ .set = "frame", .stub_name = "probe_frame_load_rbp", .stub = probe_frame_load_rbp,
	  .op = OP_LOAD, .base = GPR_RBP, .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8 },
	{ .set = "frame", .stub_name = "probe_frame_load_r15", .stub = probe_frame_load_r15,
	  .op = OP_LOAD, .base = GPR_R15, .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8 },
	{ .set = "frame-ist", .stub_name = "probe_frame_load_rbp", .stub = probe_frame_load_rbp,
	  .op = OP_LOAD, .base = GPR_RBP, .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8,
	  .on_ist = true },
	{ .set = "frame-ist", .stub_name = "probe_frame_load_r15", .stub = probe_frame_load_r15,
	  .op = OP_LOAD, .base = GPR_R15, .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8,
	  .on_ist = true },
};

static const uint64_t frame_addrs[] = {
	0x0072006900560338ull,   /* non-canonical: #SS via rbp, #GP via r15 */
	0x0000100000000000ull,   /* canonical, unmapped: #PF                */
};

static void insn_bounds(const struct probe_def *d, uint64_t *insn, unsigned *len)
{
	const char *a = probe_frame_load_rbp_insn, *b = probe_frame_load_rbp_next;
	if (d->base == GPR_R15) {
		a = probe_frame_load_r15_insn;
		b = probe_frame_load_r15_next;
	}
	*insn = (uint64_t)(uintptr_t)a;
	*len = (unsigned)(b - a);
}

/* The IST stack gets the same poison, so the CS/SS zero-extension check
 * means something there too.  volatile: no memset from the compiler. */
static void poison_ist(unsigned ist)
{
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)(ist_stack_top(ist) - 256);
	for (unsigned i = 0; i < 32; i++)
		p[i] = FRAME_POISON;
}

struct tally {
	unsigned n, agree, aligned, rsp, rip, rf, bit1, zext, stack, pad;
};

static void count(struct tally *t, const struct frame_verdict *v)
{
	t->n++;
	t->agree += v->agrees;
	t->aligned += !v->aligned;
	t->rsp += !v->saved_rsp_pre;
	t->rip += v->rip_at[0] != 'i';
	t->rf += v->rf != v->rf_rule;
	t->bit1 += !v->bit1;
	t->zext += v->cs_hi != 0 || v->ss_hi != 0;
	t->stack += !v->stack_ok;
	t->pad += v->pad_slot[0] == 'o';
}

static void summary(const struct tally *t)
{
	char buf[256];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "frame: ");
	sb_dec(&sb, t->n);
	sb_puts(&sb, " frames checked, ");
	sb_dec(&sb, t->n - t->agree);
	sb_puts(&sb, " disagree with SDM Vol.3 6.14.2");
	const struct { unsigned n; const char *what; } why[] = {
		{ t->aligned, "not aligned" }, { t->rsp, "saved RSP" },
		{ t->rip, "saved RIP" }, { t->rf, "RF not set (17.3.1.1)" },
		{ t->bit1, "bit 1" }, { t->zext, "CS/SS not zero-extended" },
		{ t->stack, "wrong stack" }, { t->pad, "pad written" },
	};
	for (unsigned i = 0; i < COUNT(why); i++) {
		if (!why[i].n)
			continue;
		sb_puts(&sb, "; ");
		sb_puts(&sb, why[i].what);
		sb_puts(&sb, ": ");
		sb_dec(&sb, why[i].n);
	}
	report_note(buf);
}

void run_frame(const struct run_ctx *ctx)
{
	struct tally t = { 0 };
	report_set_begin("frame", "64-bit frame checks (SDM Vol.3 6.14.2): seed insns, RSP = 0/8 mod 16, cur and IST stacks");
	for (unsigned p = 0; p < COUNT(frame_defs); p++)
		for (unsigned i = 0; i < COUNT(frame_addrs); i++)
			for (uint64_t adjust = 0; adjust <= 8; adjust += 8) {
				const struct probe_def *d = &frame_defs[p];
				struct probe_result r;
				if (d->on_ist)
					poison_ist(IST_PROBE);
				unsigned id = probe_run_report(ctx->env, d, frame_addrs[i], adjust, &r);
				if (!r.x.faulted || r.x.nwords < 5) {
					report_note("frame: no fault or no frame snapshot; skipped");
					continue;
				}
				struct frame_obs o = {
					.probe_id = id,
					.set = d->set,
					.base = gpr_name(d->base),
					.addr = frame_addrs[i],
					.adjust = (unsigned)adjust,
					.ist = d->on_ist ? IST_PROBE : 0,
					.vector = r.vector,
					.pre_rsp = r.x.pre_rsp,
					.ist_top = ist_stack_top(IST_PROBE),
					.frame_addr = r.x.frame_addr,
					.words = r.x.words,
					.nwords = r.x.nwords,
					.stack = r.x.stack,
					.platform = ctx->env->platform,
				};
				insn_bounds(d, &o.fault_insn, &o.insn_len);
				struct frame_verdict v;
				frame_check(&o, &v);
				count(&t, &v);
				struct rec rec;
				frame_record(&rec, &o, &v);
				report_record(&rec);
			}
	summary(&t);
}
