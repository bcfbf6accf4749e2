/* sets=la57ops: 5-level paging beyond the seed's loads (issue 11, family
 * 9): stores, stack operations, branches, ring 3 and the FS base, with
 * CR4.LA57 = 1 (the switch of probes/la57/la57_mode.h).
 *
 * Canonical now means bits 63:56 equal (SDM Vol. 1 3.3.7.1, Vol. 3 4.1.1):
 * the lower half ends at 0x00ffffffffffffff, the upper half starts at
 * 0xff00000000000000, and the 4-level hole 0x0000800000000000.. is ordinary
 * canonical address space.  Three scratch pages make the edges present:
 *
 *   0x00fffffffffff000  the last page below the 57-bit hole
 *   0x0000800000000000  the first page of the old 4-level hole
 *   0xff00000000000000  the first page of the 57-bit upper half
 *
 * Slices:
 *   store   stores (rax: DS, rbp: SS) of 1, 8, 16 bytes at the edges: on a
 *           present page (control), straddling into the hole, in it, onto
 *           the old 4-level hole (present, and the absent page after it),
 *           the seed's vmcore value (canonical now, absent)
 *   stack   push/pop with RSP at the edges (#SS when any byte is in the
 *           hole; a push into 0x00fffffffffffff8 succeeds)
 *   branch  jmp/call/ret to a non-canonical target (#GP), to an absent
 *           canonical one (#PF at the target), a call to a `ret` placed at
 *           0x0000800000000010 (code at a 4-level non-canonical address)
 *           and on the edge page, an instruction running into the hole,
 *           a fall-through into it
 *   ring3   CPL-3 loads and stores at the edge, on the old hole, the vmcore
 *           value: #GP/#SS, #PF with U/S = 1
 *   fsbase  wrfsbase of 57-bit values, and fs: loads whose base + offset
 *           reaches the edge, or lands on the old hole's page through the
 *           base 0x0000800000000000 (the fsgs family's access through that
 *           base is #GP under 4-level paging)
 *
 * Stores and fetches touch only the scratch pages.  Kernel only: user
 * space cannot change the paging mode. */
#include "../options.h"
#include "../probe.h"
#include "../scratch.h"
#include "../fsgs/fsgs_stubs.h"
#include "../la57/la57_mode.h"
#include "../matrix/matrix_stubs.h"
#include "../../idt/paging.h"
#include "../../report/report.h"

#define EDGE57   0x0100000000000000ull   /* first non-canonical, 5-level  */
#define UPPER57  0xff00000000000000ull   /* first canonical upper address  */
#define HOLE48   0x0000800000000000ull   /* the 4-level hole: canonical now */
#define P_EDGE   (EDGE57 - 0x1000)
#define VMCORE   0x0072006900560338ull

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct ctx {
	const struct probe_env *env;         /* paging_levels = 5 */
	unsigned probes, disagree;
};

static void run_one(struct ctx *c, const struct probe_env *env, const struct probe_def *d,
		    uint64_t addr)
{
	struct probe_result r;
	struct rec rec;

	if (!probe_run_build(env, d, addr, 0, &r, &rec)) {
		probe_report_rec(&rec, env, d, &r);
		return;
	}
	rec_str(&rec, "scratch", "0xfffffffffff000+0x800000000000+0xff00000000000000");
	if (d->fetch_len) {
		rec_dec(&rec, "fetch_len", d->fetch_len);
		rec_dec(&rec, "fetch_insn_off", d->fetch_insn_off);
	}
	if (d->fetch_len && r.x.faulted)
		rec_sdec(&rec, "rip_off", (int64_t)(r.x.frame.rip - addr));
	if (d->op == OP_WRFSBASE) {
		rec_dec(&rec, "cr4_fsgsbase", env->cr4_fsgsbase);
		rec_dec(&rec, "cpu_la57", env->cpu_la57);
	}
	if (d->seg_base) {
		rec_hex64(&rec, "seg_base", d->seg_base);
		rec_hex64(&rec, "linear", d->seg_base + addr);
	}
	c->probes++;
	c->disagree += !r.agrees;
	probe_report_rec(&rec, env, d, &r);
}

static bool mem_def(struct probe_def *d, enum probe_op op, unsigned form, enum seg_prefix p,
		    unsigned width, const char *slice, unsigned cpl)
{
	int idx = matrix_stub_index(MK_MEM, op, form, p, width, -1);
	if (idx < 0)
		return false;
	*d = (struct probe_def){
		.set = "la57ops", .slice = slice, .compact = true,
		.stub_name = "matrix", .stub = matrix_stub_table[idx].fn,
		.op = op, .base = (int)form, .index = GPR_NONE, .prefix = p,
		.width = width, .cpl = cpl,
	};
	return true;
}

static void store_slice(struct ctx *c)
{
	static const unsigned widths[] = { 1, 8, 16 };
	static const unsigned forms[] = { GPR_RAX, GPR_RBP };
	struct probe_def d;

	for (unsigned f = 0; f < COUNT(forms); f++)
		for (unsigned wi = 0; wi < COUNT(widths); wi++) {
			unsigned w = widths[wi];
			if (!mem_def(&d, OP_STORE, forms[f], SEGP_NONE, w, "store", 0))
				continue;
			const uint64_t addrs[] = {
				EDGE57 - w,            /* control: last bytes of the edge page */
				EDGE57 - w + 1,        /* one byte in the hole (w = 1: at it)  */
				EDGE57,
				HOLE48,                /* present: canonical at 5 levels       */
				HOLE48 + 0x1000,       /* canonical, absent: #PF W             */
				UPPER57 - 1,
				UPPER57,               /* present                              */
				VMCORE,
			};
			for (unsigned i = 0; i < COUNT(addrs); i++) {
				if (w == 1 && i == 1)
					continue;          /* the same as EDGE57 */
				run_one(c, c->env, &d, addrs[i]);
			}
		}
}

/* push writes [RSP-8, RSP), pop reads [RSP, RSP+8) (SDM Vol. 2 PUSH/POP). */
static void stack_slice(struct ctx *c)
{
	static const uint64_t push_rsp[] = {
		EDGE57, EDGE57 + 4, EDGE57 + 8, HOLE48 + 8, HOLE48 + 0x2000, UPPER57, UPPER57 + 8,
	};
	static const uint64_t pop_rsp[] = {
		EDGE57 - 8, EDGE57 - 4, EDGE57, HOLE48, HOLE48 + 0x1000, UPPER57 - 8, UPPER57,
	};
	static const enum probe_op ops[] = { OP_PUSH, OP_POP };

	for (unsigned o = 0; o < 2; o++) {
		int idx = matrix_stub_index(MK_STACK, ops[o], MF_IMPLIED, SEGP_NONE, 8, -1);
		if (idx < 0)
			continue;
		struct probe_def d = {
			.set = "la57ops", .slice = "stack", .compact = true,
			.stub_name = "matrix", .stub = matrix_stub_table[idx].fn,
			.op = ops[o], .base = GPR_RSP, .index = GPR_NONE, .prefix = SEGP_NONE,
			.width = 8, .on_ist = true,
		};
		const uint64_t *rsp = o ? pop_rsp : push_rsp;
		for (unsigned i = 0; i < COUNT(push_rsp); i++)
			run_one(c, c->env, &d, rsp[i]);
	}
}

static void branch_one(struct ctx *c, enum probe_op op, uint64_t target, unsigned fetch_len,
		       unsigned insn_off)
{
	int idx = matrix_stub_index(MK_BRANCH, op, MF_IMPLIED, SEGP_NONE, 8, -1);
	if (idx < 0)
		return;
	struct probe_def d = {
		.set = "la57ops", .slice = "branch", .compact = true,
		.stub_name = "matrix", .stub = matrix_stub_table[idx].fn,
		.op = op, .base = GPR_NONE, .index = GPR_NONE, .prefix = SEGP_NONE,
		.width = 8, .fetch_len = fetch_len, .fetch_insn_off = insn_off,
	};
	run_one(c, c->env, &d, target);
}

/* Code on the scratch pages: `ret` at HOLE48+0x10 and P_EDGE+0xff0; at
 * P_EDGE+0xffd `mov $imm32,%eax` (b8 + 4 bytes, 3 on the page), then at
 * P_EDGE+0xfff a `nop` after which execution falls into the hole. */
static void branch_slice(struct ctx *c, uint8_t *edge, uint8_t *hole48)
{
	static const enum probe_op ops[] = { OP_JMP, OP_CALL, OP_RET };

	hole48[0x10] = 0xc3;
	edge[0xff0] = 0xc3;
	for (unsigned o = 0; o < COUNT(ops); o++) {
		branch_one(c, ops[o], EDGE57, 0, 0);          /* #GP: non-canonical */
		branch_one(c, ops[o], HOLE48 + 0x3000, 0, 0); /* #PF at the target */
	}
	branch_one(c, OP_JMP, UPPER57 - 1, 0, 0);
	branch_one(c, OP_CALL, HOLE48 + 0x10, 1, 0);       /* control: ret there */
	branch_one(c, OP_CALL, P_EDGE + 0xff0, 1, 0);      /* control            */
	edge[0xffd] = 0xb8;
	edge[0xffe] = 0x11;
	edge[0xfff] = 0x22;
	branch_one(c, OP_JMP, EDGE57 - 3, 5, 0);   /* b8 11 22 | the imm32 runs into the hole */
	edge[0xfff] = 0x90;
	branch_one(c, OP_JMP, EDGE57 - 1, 2, 1);   /* 90 | the next fetch is in the hole */
}

static void ring3_slice(struct ctx *c)
{
	static const uint64_t addrs[] = { EDGE57, HOLE48 + 0x4000, VMCORE, HOLE48 };
	static const struct { enum probe_op op; unsigned form; } forms[] = {
		{ OP_LOAD, GPR_RAX }, { OP_STORE, GPR_RAX }, { OP_LOAD, GPR_RBP },
	};
	struct probe_def d;

	for (unsigned f = 0; f < COUNT(forms); f++) {
		if (!mem_def(&d, forms[f].op, forms[f].form, SEGP_NONE, 8, "ring3", 3))
			continue;
		for (unsigned i = 0; i < COUNT(addrs); i++)
			run_one(c, c->env, &d, addrs[i]);
	}
	exec_ring3_end();
}

static void fsbase_slice(struct ctx *c)
{
	static const uint64_t values[] = { HOLE48, EDGE57, UPPER57 };
	static const struct { uint64_t base, offset; } loads[] = {
		{ EDGE57 - 0x10000, 0x10000 },   /* base + offset = EDGE57: #GP   */
		{ EDGE57 - 0x10000, 0xfff8 },    /* the edge page's last qword    */
		{ HOLE48, 0x8 },                 /* the old hole's page: present  */
	};
	struct probe_env env = *c->env;

	env.cr4_fsgsbase = exec_fsgsbase(true);
	for (unsigned i = 0; i < COUNT(values); i++) {
		struct probe_def d = {
			.set = "la57ops", .slice = "fsbase", .compact = true,
			.stub_name = "probe_fsgs_wrfsbase", .stub = probe_fsgs_wrfsbase,
			.op = OP_WRFSBASE, .base = GPR_RDI, .index = GPR_NONE,
			.prefix = SEGP_FS, .width = 8,
		};
		run_one(c, &env, &d, values[i]);
	}
	for (unsigned i = 0; i < COUNT(loads); i++) {
		struct probe_def d;
		if (!mem_def(&d, OP_LOAD, GPR_RAX, SEGP_FS, 8, "fsbase", 0))
			continue;
		d.seg_base = loads[i].base;
		run_one(c, c->env, &d, loads[i].offset);
	}
}

void run_la57ops(const struct run_ctx *ctx)
{
	char buf[160];
	struct strbuf sb;
	struct la57_mode m;
	bool fsgsbase_was = ctx->env->cr4_fsgsbase;

	switch (la57_mode_enter(&m)) {
	case LA57_SKIPPED:
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "la57ops: skipped (");
		sb_puts(&sb, m.why);
		sb_putc(&sb, ')');
		report_note(buf);
		return;
	case LA57_FAILED:
		report_note("la57ops: FAIL CR4.LA57 did not stick after the paging-off window");
		return;
	case LA57_ON:
		break;
	}
	struct probe_env env5 = *ctx->env;
	env5.paging_levels = 5;
	struct ctx c = { .env = &env5 };

	uint8_t *edge = scratch_map(P_EDGE, PTE_W);
	uint8_t *hole48 = scratch_map(HOLE48, PTE_W);
	uint8_t *upper = scratch_map(UPPER57, PTE_W);
	if (edge && hole48 && upper) {
		report_set_begin("la57ops", "5-level paging (CR4.LA57=1): stores, push/pop, branches, "
				 "ring 3 and the FS base at the 57-bit edges");
		store_slice(&c);
		stack_slice(&c);
		branch_slice(&c, edge, hole48);
		ring3_slice(&c);
		fsbase_slice(&c);
		exec_fsgsbase(fsgsbase_was);
	} else {
		report_note("la57ops: skipped (could not map the scratch pages in the 5-level tables)");
	}
	scratch_unmap(P_EDGE);
	scratch_unmap(HOLE48);
	scratch_unmap(UPPER57);
	/* the executor's ring-3 state holds CR4 with LA57 set: end it first */
	exec_ring3_end();
	bool back = la57_mode_leave(&m);

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "la57ops: ");
	sb_dec(&sb, c.probes);
	sb_puts(&sb, " probes under 5-level paging, ");
	sb_dec(&sb, c.disagree);
	sb_puts(&sb, " disagree with the manuals' rule");
	if (!back)
		sb_puts(&sb, "; FAIL: CR4.LA57 still set after switching back");
	report_note(buf);
	report_finding(buf);
}
