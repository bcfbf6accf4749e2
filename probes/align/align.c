/* sets=align: alignment (issue 11, family 4).
 *
 *   vec     MOVAPS/MOVDQA (16), VMOVAPS/VMOVDQA xmm (16) and ymm (32), loads
 *           and stores, at CPL 0: aligned on a present page (control),
 *           misaligned on it (#GP(0) "regardless of segment"), misaligned on
 *           an absent page (#GP or #PF?), aligned on it (#PF, control),
 *           misaligned and non-canonical through DS and through SS (rbp
 *           base: #GP for the alignment or #SS for the address?)
 *   cx16    CMPXCHG16B (16), the same addresses
 *   save    FXSAVE/FXRSTOR (16), XSAVE (64)
 *   ac      alignment checking at CPL 3 (CR0.AM = 1, RFLAGS.AC = 1, SDM Vol. 3
 *           6.15 int 17): misaligned 2/4/8-byte loads and stores, push/pop
 *           with a misaligned RSP, a 16-byte MOVUPS (not checked: "#AC is
 *           generated only for data types that must be aligned on word,
 *           doubleword, and quadword boundaries"), MOVAPS (#GP, not #AC),
 *           FXSAVE (#AC or #GP: implementation-dependent); AC = 0 at CPL 3
 *           and AC = 1 at CPL 0 as controls; misaligned and also on an
 *           absent page, or non-canonical (which wins?)
 *   ac-edge a misaligned access straddling into the non-canonical hole at
 *           CPL 3 with alignment checking, the page before the hole present
 *           (user); ac-edge-np: the same with it absent.  #AC, or #GP/#SS
 *           for the hole?
 *
 * When an access qualifies for several faults of one class, the manuals
 * leave the order to the implementation (SDM Vol. 3 6.9): the rule model
 * gives its first and lists the others (record key rule_alt=, rules.h), and
 * the record says which one this platform chose.
 *
 * Pages: A = 0x0000100000000000, a scratch page (user, writable: CPL-3
 * probes use it too), B = A + 0x1000 never mapped, and for ac-edge the last
 * page below the hole, 0x00007ffffffff000 (user, writable).  Stores write
 * only A.  In faultprobe-user, A is an mmap'd page (tools/user/
 * scratch_user.c) and the page below the hole cannot be mapped (Linux's
 * TASK_SIZE_MAX ends a page short of it): ac-edge runs with it absent. */
#include "../options.h"
#include "../probe.h"
#include "../scratch.h"
#include "../matrix/matrix_stubs.h"
#include "../model/fmt.h"
#include "../model/page_desc.h"
#include "../model/vectors.h"
#include "../../idt/paging.h"
#include "../../report/report.h"

#define PAGE_A    0x0000100000000000ull
#define PAGE_B    (PAGE_A + 0x1000)
#define LO_EDGE   0x0000800000000000ull
#define LO_PAGE   (LO_EDGE - 0x1000)
#define VMCORE    0x0072006900560338ull   /* non-canonical, 8 mod 16 */

void align_movaps_load(uint64_t, uint64_t);
void align_movaps_store(uint64_t, uint64_t);
void align_movdqa_load(uint64_t, uint64_t);
void align_movdqa_store(uint64_t, uint64_t);
void align_vmovaps_x_load(uint64_t, uint64_t);
void align_vmovaps_x_store(uint64_t, uint64_t);
void align_vmovaps_y_load(uint64_t, uint64_t);
void align_vmovaps_y_store(uint64_t, uint64_t);
void align_vmovdqa_y_load(uint64_t, uint64_t);
void align_movaps_load_rbp(uint64_t, uint64_t);
void align_vmovaps_y_load_rbp(uint64_t, uint64_t);
void align_cmpxchg16b(uint64_t, uint64_t);
void align_fxsave(uint64_t, uint64_t);
void align_fxrstor(uint64_t, uint64_t);
void align_xsave(uint64_t, uint64_t);

struct ctx {
	const struct probe_env *env;
	char map_a[48], map_lo[96];
	unsigned probes, disagree, by_vector[32];
	const char *noted[8];      /* instructions already noted as skipped */
};

static void run_one(struct ctx *c, struct probe_def *d, uint64_t addr)
{
	struct probe_result r;
	struct rec rec;

	if (probe_run_build(c->env, d, addr, 0, &r, &rec)) {
		probe_record_ctl_key(&rec, d);
		c->probes++;
		c->disagree += !r.agrees;
		if (r.vector >= 0 && r.vector < 32)
			c->by_vector[r.vector]++;
	}
	probe_report_rec(&rec, c->env, d, &r);
}

/* ------------------------------------------------------------ vec, cx16, save */

/* What an instruction needs, or it raises #UD (SDM Vol. 2, each
 * instruction's "Exceptions" table: MOVAPS #UD if CPUID.01H:EDX.SSE[bit 25]
 * = 0, MOVDQA if SSE2[bit 26] = 0, VEX forms if AVX is off (env->avx: CPUID
 * and XCR0), CMPXCHG16B if CPUID.01H:ECX.CMPXCHG16B[bit 13] = 0,
 * FXSAVE/FXRSTOR if CPUID.01H:EDX.FXSR[bit 24] = 0, XSAVE without
 * CR4.OSXSAVE, which the kernel sets with AVX). */
enum need { NEED_SSE = 1, NEED_SSE2 = 2, NEED_AVX = 4, NEED_CX16 = 8, NEED_FXSR = 16 };

/* NULL when the CPU has what `needs` names, else which CPUID bit it lacks. */
static const char *missing(const struct probe_env *env, unsigned needs)
{
	if ((needs & NEED_SSE) && !env->sse)
		return "CPUID.1:EDX.SSE[25]=0";
	if ((needs & NEED_SSE2) && !env->sse2)
		return "CPUID.1:EDX.SSE2[26]=0";
	if ((needs & NEED_AVX) && !env->avx)
		return env->no_avx_why ? env->no_avx_why : "AVX not usable";
	if ((needs & NEED_CX16) && !env->cx16)
		return "CPUID.1:ECX.CMPXCHG16B[13]=0";
	if ((needs & NEED_FXSR) && !env->fxsr)
		return "CPUID.1:EDX.FXSR[24]=0";
	return 0;
}

/* False, with a note naming the instruction and the bit (once per
 * instruction), when the CPU cannot run it. */
static bool usable(struct ctx *c, const char *insn, unsigned needs)
{
	const char *why = missing(c->env, needs);
	if (!why)
		return true;
	unsigned k = 0;
	while (k < 8 && c->noted[k] && !fp_streq(c->noted[k], insn))
		k++;
	if (k == 8 || c->noted[k])
		return false;
	c->noted[k] = insn;
	char buf[160];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "align: ");
	sb_puts(&sb, insn);
	sb_puts(&sb, " probes skipped: ");
	sb_puts(&sb, why);
	report_note(buf);
	return false;
}

struct vec_insn {
	const char *insn;
	probe_stub_fn stub;
	enum probe_op op;
	unsigned width, align;
	int base;
	unsigned needs;  /* enum need */
	bool reads;     /* a store that reads its area too (XSAVE's header) */
};

static void vec_slice(struct ctx *c, const char *slice, const struct vec_insn *v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!usable(c, v[i].insn, v[i].needs))
			continue;
		struct probe_def d = {
			.set = "align", .slice = slice, .compact = true,
			.stub_name = v[i].insn, .stub = v[i].stub, .insn = v[i].insn,
			.op = v[i].op, .base = v[i].base, .index = GPR_NONE,
			.prefix = SEGP_NONE, .width = v[i].width, .align = v[i].align,
			.store_reads = v[i].reads, .map = c->map_a,
		};
		/* aligned and misaligned on the present page A, then on the
		 * absent page B, then non-canonical (VMCORE is 8 mod 16) */
		uint64_t half = v[i].align / 2;
		const uint64_t addrs[] = { PAGE_A, PAGE_A + 1, PAGE_A + half,
					   PAGE_B + half, PAGE_B, VMCORE };
		for (unsigned k = 0; k < sizeof(addrs) / sizeof(addrs[0]); k++) {
			if (v[i].base == GPR_RBP && (k == 1 || k == 4))
				continue;   /* the rbp rows: the order questions only */
			run_one(c, &d, addrs[k]);
		}
		if (v[i].base == GPR_RBP)
			run_one(c, &d, VMCORE & ~(uint64_t)(v[i].align - 1));   /* #SS alone */
	}
}

static void vec_slices(struct ctx *c)
{
	static const struct vec_insn vec[] = {
		{ "movaps", align_movaps_load, OP_LOAD, 16, 16, GPR_RAX, NEED_SSE, false },
		{ "movaps", align_movaps_store, OP_STORE, 16, 16, GPR_RAX, NEED_SSE, false },
		{ "movdqa", align_movdqa_load, OP_LOAD, 16, 16, GPR_RAX, NEED_SSE2, false },
		{ "movdqa", align_movdqa_store, OP_STORE, 16, 16, GPR_RAX, NEED_SSE2, false },
		{ "vmovaps-x", align_vmovaps_x_load, OP_LOAD, 16, 16, GPR_RAX, NEED_AVX, false },
		{ "vmovaps-x", align_vmovaps_x_store, OP_STORE, 16, 16, GPR_RAX, NEED_AVX, false },
		{ "vmovaps-y", align_vmovaps_y_load, OP_LOAD, 32, 32, GPR_RAX, NEED_AVX, false },
		{ "vmovaps-y", align_vmovaps_y_store, OP_STORE, 32, 32, GPR_RAX, NEED_AVX, false },
		{ "vmovdqa-y", align_vmovdqa_y_load, OP_LOAD, 32, 32, GPR_RAX, NEED_AVX, false },
		{ "movaps", align_movaps_load_rbp, OP_LOAD, 16, 16, GPR_RBP, NEED_SSE, false },
		{ "vmovaps-y", align_vmovaps_y_load_rbp, OP_LOAD, 32, 32, GPR_RBP, NEED_AVX, false },
	};
	static const struct vec_insn cx16[] = {
		{ "cmpxchg16b", align_cmpxchg16b, OP_STORE, 16, 16, GPR_RSI, NEED_CX16, false },
	};
	/* FXRSTOR after FXSAVE: the aligned control restores the image the
	 * FXSAVE control just wrote (a valid one: MXCSR's reserved bits 0). */
	static const struct vec_insn save[] = {
		{ "fxsave", align_fxsave, OP_STORE, 512, 16, GPR_RSI, NEED_FXSR, false },
		{ "fxrstor", align_fxrstor, OP_LOAD, 512, 16, GPR_RSI, NEED_FXSR, false },
		{ "xsave", align_xsave, OP_STORE, 576, 64, GPR_RSI, NEED_AVX, true },
	};
	vec_slice(c, "vec", vec, sizeof(vec) / sizeof(vec[0]));
	vec_slice(c, "cx16", cx16, 1);
	vec_slice(c, "save", save, sizeof(save) / sizeof(save[0]));
}

/* ------------------------------------------------------------ ac */

static bool mem_def(struct probe_def *d, enum probe_op op, int base, unsigned width,
		    const char *slice)
{
	int idx = matrix_stub_index(MK_MEM, op, (unsigned)base, SEGP_NONE, width, -1);
	if (idx < 0)
		return false;
	*d = (struct probe_def){
		.set = "align", .slice = slice, .compact = true,
		.stub_name = "matrix", .stub = matrix_stub_table[idx].fn,
		.op = op, .base = base, .index = GPR_NONE, .prefix = SEGP_NONE,
		.width = width, .cpl = 3, .ac = true, .am = true,
		.insn = width == 16 ? "movups" : 0,
	};
	return true;
}

static void ac_slice(struct ctx *c)
{
	struct probe_def d;

	/* loads of 2, 4, 8 bytes: misaligned by 1 (and by 2, 4), aligned */
	static const struct { unsigned w; unsigned off; } loads[] = {
		{ 2, 0 }, { 2, 1 }, { 4, 1 }, { 4, 2 }, { 8, 1 }, { 8, 4 }, { 8, 0 },
	};
	for (unsigned i = 0; i < sizeof(loads) / sizeof(loads[0]); i++)
		if (mem_def(&d, OP_LOAD, GPR_RAX, loads[i].w, "ac")) {
			d.map = c->map_a;
			run_one(c, &d, PAGE_A + 0x100 + loads[i].off);
		}
	if (mem_def(&d, OP_STORE, GPR_RAX, 8, "ac")) {
		d.map = c->map_a;
		run_one(c, &d, PAGE_A + 0x104);
		run_one(c, &d, PAGE_A + 0x108);
	}
	/* through SS: rbp base, misaligned */
	if (mem_def(&d, OP_LOAD, GPR_RBP, 8, "ac")) {
		d.map = c->map_a;
		run_one(c, &d, PAGE_A + 0x101);
	}
	/* controls: AC = 0 at CPL 3; AC = 1 at CPL 0 (checks only at CPL 3) */
	if (mem_def(&d, OP_LOAD, GPR_RAX, 8, "ac")) {
		d.map = c->map_a;
		d.ac = false;
		run_one(c, &d, PAGE_A + 0x101);
		d.ac = true;
		d.cpl = 0;
		if (!c->env->force_cpl)   /* user space: everything is CPL 3 */
			run_one(c, &d, PAGE_A + 0x101);
	}
	/* a 16-byte unaligned-move (MOVUPS): not a data type #AC checks */
	if (c->env->sse && mem_def(&d, OP_LOAD, GPR_RAX, 16, "ac")) {
		d.map = c->map_a;
		run_one(c, &d, PAGE_A + 0x101);
		run_one(c, &d, PAGE_A + 0x108);
	}
	/* the stack: push writes [RSP-8, RSP), pop reads [RSP, RSP+8) */
	static const enum probe_op stack_ops[] = { OP_PUSH, OP_POP };
	for (unsigned o = 0; o < 2; o++) {
		int idx = matrix_stub_index(MK_STACK, stack_ops[o], MF_IMPLIED, SEGP_NONE, 8, -1);
		if (idx < 0)
			continue;
		d = (struct probe_def){
			.set = "align", .slice = "ac", .compact = true,
			.stub_name = "matrix", .stub = matrix_stub_table[idx].fn,
			.op = stack_ops[o], .base = GPR_RSP, .index = GPR_NONE,
			.prefix = SEGP_NONE, .width = 8, .cpl = 3, .ac = true, .am = true,
			.on_ist = true, .map = c->map_a,
		};
		run_one(c, &d, PAGE_A + 0x804);
		run_one(c, &d, PAGE_A + 0x808);
	}
	/* MOVAPS and FXSAVE misaligned at CPL 3 with alignment checking */
	d = (struct probe_def){
		.set = "align", .slice = "ac", .compact = true, .stub_name = "movaps",
		.stub = align_movaps_load, .insn = "movaps", .op = OP_LOAD, .base = GPR_RAX,
		.index = GPR_NONE, .prefix = SEGP_NONE, .width = 16, .align = 16,
		.cpl = 3, .ac = true, .am = true, .map = c->map_a,
	};
	if (c->env->sse)
		run_one(c, &d, PAGE_A + 0x108);
	d.stub = align_fxsave;
	d.stub_name = d.insn = "fxsave";
	d.op = OP_STORE;
	d.base = GPR_RSI;
	d.width = 512;
	d.align_ac = true;
	if (c->env->fxsr) {
		run_one(c, &d, PAGE_A + 0x208);
		run_one(c, &d, PAGE_A + 0x202);
	}
	/* a fetch at an odd address: code fetches are not alignment-checked
	 * (SDM Vol. 3 6.15 int 17); a `ret` at A + 0x301 (run_align) */
	int bidx = matrix_stub_index(MK_BRANCH, OP_CALL, MF_IMPLIED, SEGP_NONE, 8, -1);
	if (bidx >= 0) {
		d = (struct probe_def){
			.set = "align", .slice = "ac", .compact = true, .stub_name = "matrix",
			.stub = matrix_stub_table[bidx].fn, .op = OP_CALL, .base = GPR_NONE,
			.index = GPR_NONE, .prefix = SEGP_NONE, .width = 8, .cpl = 3,
			.ac = true, .am = true, .map = c->map_a,
		};
		run_one(c, &d, PAGE_A + 0x301);
	}
	/* misaligned and on the absent page B, or non-canonical */
	if (mem_def(&d, OP_LOAD, GPR_RAX, 8, "ac")) {
		d.map = c->map_a;
		run_one(c, &d, PAGE_B + 4);
		run_one(c, &d, VMCORE + 4);
	}
	if (mem_def(&d, OP_LOAD, GPR_RBP, 8, "ac")) {
		d.map = c->map_a;
		run_one(c, &d, VMCORE + 4);
	}
}

/* A misaligned access straddling 0x800000000000, at CPL 3 with alignment
 * checking: with the page below the hole present (user) when `map` says
 * so, absent otherwise. */
static void ac_edge_slice(struct ctx *c, const char *map)
{
	const char *slice = map ? "ac-edge" : "ac-edge-np";
	static const struct { int base; unsigned w; uint64_t addr; } rows[] = {
		{ GPR_RAX, 8, LO_EDGE - 4 },   /* misaligned, runs 4 bytes into the hole */
		{ GPR_RAX, 8, LO_EDGE - 1 },
		{ GPR_RBP, 8, LO_EDGE - 4 },
		{ GPR_RAX, 4, LO_EDGE - 2 },
		{ GPR_RAX, 8, LO_EDGE - 12 },  /* misaligned, inside the page: #AC or #PF */
		{ GPR_RAX, 8, LO_EDGE - 8 },   /* aligned, inside the page: control */
	};
	struct probe_def d;
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (mem_def(&d, OP_LOAD, rows[i].base, rows[i].w, slice)) {
			d.map = map;
			run_one(c, &d, rows[i].addr);
		}
}

static void map_desc(char *buf, size_t cap, uint64_t va)
{
	struct page_info pi = { PAGE_PRESENT, true, true, false, false, 0 };
	struct strbuf sb;
	sb_init(&sb, buf, cap);
	page_desc_put(&sb, va, &pi);
}

void run_align(const struct run_ctx *ctx)
{
	char buf[200];
	struct strbuf sb;
	struct ctx c = { .env = ctx->env };

	if (ctx->env->paging_levels != 4) {
		probe_family_skipped(ctx->env, "align", 0, "paging-5",
				     "the ac-edge rows need the hole at bit 47: 4-level paging");
		return;
	}
	uint8_t *a = scratch_map(PAGE_A, PTE_W | PTE_U);
	if (!a) {
		probe_family_skipped(ctx->env, "align", 0, "no-scratch-page",
				     "could not map the scratch page at 0x0000100000000000");
		return;
	}
	a[0x301] = 0xc3;   /* ret, at an odd address, for the fetch row */
	map_desc(c.map_a, sizeof(c.map_a), PAGE_A);
	report_set_begin("align", "aligned-operand instructions (#GP) and alignment checking (#AC) "
			 "on a present page, an absent one and non-canonical addresses");
	vec_slices(&c);
	ac_slice(&c);
	if (scratch_map(LO_PAGE, PTE_W | PTE_U)) {
		map_desc(c.map_lo, sizeof(c.map_lo), LO_PAGE);
		ac_edge_slice(&c, c.map_lo);
		scratch_unmap(LO_PAGE);
	}
	ac_edge_slice(&c, 0);
	scratch_unmap(PAGE_A);

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "align: ");
	sb_dec(&sb, c.probes);
	sb_puts(&sb, " probes, ");
	sb_dec(&sb, c.disagree);
	sb_puts(&sb, " disagree with the manuals' rule; #AC ");
	sb_dec(&sb, c.by_vector[VEC_AC]);
	sb_puts(&sb, ", #GP ");
	sb_dec(&sb, c.by_vector[VEC_GP]);
	sb_puts(&sb, ", #SS ");
	sb_dec(&sb, c.by_vector[VEC_SS]);
	sb_puts(&sb, ", #PF ");
	sb_dec(&sb, c.by_vector[VEC_PF]);
	report_note(buf);
	report_finding(buf);
}
