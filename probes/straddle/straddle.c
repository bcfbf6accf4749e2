/* sets=straddle: accesses that start on a PRESENT page and run into the
 * non-canonical hole (issue 11, family 1).
 *
 * The matrix's edge slices run into the hole from an unmapped page, where
 * the platforms already disagree (silicon #SS/#GP, QEMU TCG and KVM's
 * emulator #PF).  Here the last page below the hole, 0x00007ffffffff000,
 * and the first page above it, 0xffff800000000000, are mapped (scratch
 * pages, probes/scratch.h) and the same kinds of access run through them:
 *
 *   lo-base, hi-base  loads and stores, every base register and (rax,rbp,1),
 *                     every width (1..32 bytes), ending k bytes into the
 *                     hole (lo) or starting k bytes before the upper half (hi)
 *   lo-seg, hi-seg    every segment prefix through rax, rbp and r15
 *   stack             push/pop with RSP at the edges
 *   string            rep stosb / rep movsb running into the hole, upward from
 *                     the low page and (DF = 1) downward from the high page
 *   fetch             a jump to the last bytes of the low page, where an
 *                     instruction runs into the hole or execution falls
 *                     through into it (a call to a `ret` on the page is
 *                     the control)
 *
 * The rule (SDM Vol. 1 3.3.7.1; Vol. 3 6.15 int 12/13): an access is
 * canonical only if every byte is, checked before paging, so a present
 * first page changes nothing: #SS(0) through SS (RSP/RBP base, stack ops),
 * #GP(0) otherwise.  A REP string instruction checks element by element
 * and stops at the first non-canonical one with RCX = what is left.  Each
 * access that stays inside the present page is a control: no fault.
 *
 * Stores and fetches touch only the two scratch pages (the executor's safety
 * rule refuses anything else).  Kernel only: Linux never maps the page below
 * the hole (TASK_SIZE_MAX ends one page short of it, arch/x86/include/asm/
 * page_64_types.h), so user space cannot build this case. */
#include "../options.h"
#include "../probe.h"
#include "../scratch.h"
#include "../matrix/matrix_stubs.h"
#include "../model/vectors.h"
#include "../../idt/paging.h"
#include "../../report/report.h"

#define LO_EDGE   0x0000800000000000ull     /* first non-canonical byte    */
#define HI_EDGE   0xffff800000000000ull     /* first canonical upper byte  */
#define LO_PAGE   (LO_EDGE - 4096)
#define HI_PAGE   HI_EDGE

void probe_straddle_rep_stosb(uint64_t addr, uint64_t rsp_adjust);
void probe_straddle_rep_stosb_down(uint64_t addr, uint64_t rsp_adjust);
void probe_straddle_rep_movsb_src(uint64_t addr, uint64_t rsp_adjust);

struct ctx {
	const struct probe_env *env;
	unsigned widths;           /* MW_BIT() the platform can run            */
	unsigned probes, disagree;
};

static void run_one(struct ctx *c, struct probe_def *d, uint64_t addr)
{
	struct probe_result r;
	struct rec rec;

	if (probe_run_build(c->env, d, addr, 0, &r, &rec)) {
		/* what is mapped around the hole while this family runs */
		rec_str(&rec, "scratch", "lo+hi");
		if (d->rep) {
			/* How far the string instruction got: RCX left at the
			 * fault (or at the end), and the rule's count. */
			uint64_t left = r.x.faulted ? r.x.frame.rcx : r.x.value;
			rec_dec(&rec, "rep", d->rep);
			rec_dec(&rec, "df", d->df);
			rec_dec(&rec, "rcx_left", left);
			rec_dec(&rec, "rule_rcx_left", d->rep - r.rule.rep_done);
		}
		if (d->fetch_len) {
			rec_dec(&rec, "fetch_len", d->fetch_len);
			rec_dec(&rec, "fetch_insn_off", d->fetch_insn_off);
		}
		if (d->fetch_len && r.x.faulted)
			/* where the saved RIP is, from the branch target */
			rec_sdec(&rec, "rip_off", (int64_t)(r.x.frame.rip - addr));
		c->probes++;
		c->disagree += !r.agrees;
	}
	probe_report_rec(&rec, c->env, d, &r);
}

/* A load or store stub of the matrix (probes/matrix/matrix_stubs.asm). */
static bool mem_def(struct probe_def *d, enum probe_op op, unsigned form,
		    enum seg_prefix prefix, unsigned width, const char *slice)
{
	int idx = matrix_stub_index(MK_MEM, op, form, prefix, width, -1);
	if (idx < 0)
		return false;
	*d = (struct probe_def){
		.set = "straddle", .slice = slice, .compact = true,
		.stub_name = "matrix", .stub = matrix_stub_table[idx].fn,
		.op = op, .base = form == MF_IDX ? GPR_RAX : (int)form,
		.index = form == MF_IDX ? GPR_RBP : GPR_NONE,
		.prefix = prefix, .width = width,
		/* RSP = the address: the frame needs another stack */
		.on_ist = form == GPR_RSP,
	};
	return true;
}

/* Loads and stores ending k bytes into the hole (k = 0: the control, the
 * whole access on the present page) and starting k bytes before the upper
 * half (k = 0: the control). */
static void base_slices(struct ctx *c)
{
	static const enum probe_op ops[] = { OP_LOAD, OP_STORE };
	struct probe_def d;

	for (unsigned side = 0; side < 2; side++)
		for (unsigned o = 0; o < 2; o++)
			for (unsigned form = 0; form < MF_MEM_COUNT; form++)
				for (unsigned wi = 0; wi < MW_COUNT; wi++) {
					unsigned w = matrix_width_bytes(wi);
					if (!(c->widths & MW_BIT(wi)) ||
					    !mem_def(&d, ops[o], form, SEGP_NONE, w,
						     side ? "hi-base" : "lo-base"))
						continue;
					/* k = 0 (control), 1, and w-1 when that differs */
					unsigned ks[3] = { 0, 1, w - 1 };
					unsigned nk = w > 2 ? 3 : w > 1 ? 2 : 1;
					for (unsigned i = 0; i < nk; i++) {
						unsigned k = ks[i];
						uint64_t a = side ? HI_EDGE - k : LO_EDGE - w + k;
						run_one(c, &d, a);
					}
				}
}

/* Every prefix through rax (DS), rbp (SS) and r15 (DS), 8 bytes. */
static void seg_slices(struct ctx *c)
{
	static const enum probe_op ops[] = { OP_LOAD, OP_STORE };
	static const unsigned forms[] = { GPR_RAX, GPR_RBP, GPR_R15 };
	static const unsigned ks[] = { 0, 1, 4, 7 };
	struct probe_def d;

	for (unsigned side = 0; side < 2; side++)
		for (unsigned o = 0; o < 2; o++)
			for (unsigned f = 0; f < 3; f++)
				for (unsigned p = 0; p < SEGP_COUNT; p++) {
					if (!mem_def(&d, ops[o], forms[f], (enum seg_prefix)p, 8,
						     side ? "hi-seg" : "lo-seg"))
						continue;
					for (unsigned i = 0; i < 4; i++) {
						uint64_t a = side ? HI_EDGE - ks[i] : LO_EDGE - 8 + ks[i];
						run_one(c, &d, a);
					}
				}
}

/* push writes [RSP-8, RSP), pop reads [RSP, RSP+8) (SDM Vol. 2 PUSH/POP),
 * through SS: RSP at the edges, k bytes into the hole. */
static void stack_slice(struct ctx *c)
{
	static const enum probe_op ops[] = { OP_PUSH, OP_POP };
	for (unsigned o = 0; o < 2; o++) {
		int idx = matrix_stub_index(MK_STACK, ops[o], MF_IMPLIED, SEGP_NONE, 8, -1);
		if (idx < 0)
			continue;
		struct probe_def d = {
			.set = "straddle", .slice = "stack", .compact = true,
			.stub_name = "matrix", .stub = matrix_stub_table[idx].fn,
			.op = ops[o], .base = GPR_RSP, .index = GPR_NONE, .prefix = SEGP_NONE,
			.width = 8, .on_ist = true,
		};
		for (unsigned k = 0; k < 8; k++) {
			/* low edge: k bytes of the 8 beyond LO_EDGE */
			run_one(c, &d, ops[o] == OP_PUSH ? LO_EDGE + k : LO_EDGE - 8 + k);
			/* high edge: k bytes of the 8 below HI_EDGE */
			run_one(c, &d, ops[o] == OP_PUSH ? HI_EDGE + 8 - k : HI_EDGE - k);
		}
	}
}

static void string_slice(struct ctx *c)
{
	static const struct {
		probe_stub_fn stub;
		enum probe_op op;
		bool df;
		uint64_t addr;
		unsigned count;
	} cases[] = {
		/* 16 bytes on the page, then the hole (ES via RDI) */
		{ probe_straddle_rep_stosb, OP_STOS, false, LO_EDGE - 16, 32 },
		{ probe_straddle_rep_stosb, OP_STOS, false, LO_EDGE - 16, 16 },   /* control */
		/* from the first upper page down into the hole */
		{ probe_straddle_rep_stosb_down, OP_STOS, true, HI_EDGE + 15, 32 },
		{ probe_straddle_rep_stosb_down, OP_STOS, true, HI_EDGE + 15, 16 }, /* control */
		/* the source (DS via RSI) runs into the hole */
		{ probe_straddle_rep_movsb_src, OP_MOVS, false, LO_EDGE - 16, 32 },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct probe_def d = {
			.set = "straddle", .slice = "string", .compact = true,
			.stub_name = "straddle", .stub = cases[i].stub,
			.op = cases[i].op,
			.base = cases[i].op == OP_MOVS ? GPR_RSI : GPR_RDI, .index = GPR_NONE,
			.prefix = SEGP_NONE, .width = 1, .rep = cases[i].count, .df = cases[i].df,
			.want_regs = true,   /* RCX at the fault */
		};
		run_one(c, &d, cases[i].addr);
	}
}

/* Code in the last bytes of the low page: `mov $imm32,%eax` (b8 + 4 bytes)
 * starting 3 bytes before the hole, a 2-byte nop and a 1-byte nop ending
 * at it (execution falls through to 0x0000800000000000).  fetch_len counts
 * the bytes fetched from the target on, through the first byte past the
 * last instruction that fits. */
static void fetch_slice(struct ctx *c, uint8_t *lo)
{
	static const struct {
		enum probe_op op;
		unsigned off, fetch_len, insn_off;
	} cases[] = {
		{ OP_JMP, 0xffd, 5, 0 },    /* b8 11 22 | 33 44: the instruction straddles */
		{ OP_JMP, 0xffe, 3, 2 },    /* 66 90 | next fetch in the hole                */
		{ OP_JMP, 0xfff, 2, 1 },    /* 90 | next fetch in the hole                   */
		{ OP_CALL, 0xff0, 1, 0 },   /* control: call a ret on the page               */
	};
	lo[0xff0] = 0xc3;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int idx = matrix_stub_index(MK_BRANCH, cases[i].op, MF_IMPLIED, SEGP_NONE, 8, -1);
		if (idx < 0)
			continue;
		/* the 1- and 2-byte cases rewrite the bytes they start at */
		if (cases[i].off == 0xfff)
			lo[0xfff] = 0x90;
		if (cases[i].off == 0xffe) {
			lo[0xffe] = 0x66;
			lo[0xfff] = 0x90;
		}
		if (cases[i].off == 0xffd) {
			lo[0xffd] = 0xb8;
			lo[0xffe] = 0x11;
			lo[0xfff] = 0x22;
		}
		struct probe_def d = {
			.set = "straddle", .slice = "fetch", .compact = true,
			.stub_name = "matrix", .stub = matrix_stub_table[idx].fn,
			.op = cases[i].op, .base = GPR_NONE, .index = GPR_NONE,
			.prefix = SEGP_NONE, .width = 8, .fetch_len = cases[i].fetch_len,
			.fetch_insn_off = cases[i].insn_off,
		};
		run_one(c, &d, LO_PAGE + cases[i].off);
	}
}

void run_straddle(const struct run_ctx *ctx)
{
	char buf[160];
	struct strbuf sb;
	struct ctx c = { .env = ctx->env, .widths = (1u << MW_COUNT) - 1 };

	if (ctx->env->paging_levels != 4) {
		report_note("straddle: skipped (the hole is at bit 47 only with 4-level paging)");
		return;
	}
	if (!ctx->env->avx || fp_strcmp(ctx->env->platform, "kvm") == 0)
		c.widths &= ~MW_BIT(MW_32);   /* as the matrix: no AVX, or KVM */
	if (!ctx->env->sse)
		c.widths &= ~MW_BIT(MW_16);   /* as the matrix: no SSE */
	uint8_t *lo = scratch_map(LO_PAGE, PTE_W);
	uint8_t *hi = scratch_map(HI_PAGE, PTE_W);
	if (!lo || !hi) {
		report_note("straddle: skipped (could not map the scratch pages at the edges)");
		scratch_unmap(LO_PAGE);
		scratch_unmap(HI_PAGE);
		return;
	}
	report_set_begin("straddle", "a present page at 0x00007ffffffff000 and at 0xffff800000000000: "
			 "accesses running into the non-canonical hole");
	base_slices(&c);
	seg_slices(&c);
	stack_slice(&c);
	string_slice(&c);
	fetch_slice(&c, lo);
	scratch_unmap(LO_PAGE);
	scratch_unmap(HI_PAGE);

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "straddle: ");
	sb_dec(&sb, c.probes);
	sb_puts(&sb, " probes through a present page, ");
	sb_dec(&sb, c.disagree);
	sb_puts(&sb, " disagree with the manuals' rule");
	report_note(buf);
	report_finding(buf);
}
