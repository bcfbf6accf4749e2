/* The explainer (explain.h). */
#include "explain.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "probes/model/vectors.h"
#include "probes/model/x86.h"

#define PAGE 4096ull

static void note(struct fx_expl *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct fx_expl *x, const char *fmt, ...)
{
	va_list ap;

	if (x->nnotes >= sizeof(x->notes) / sizeof(x->notes[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(x->notes[x->nnotes++], sizeof(x->notes[0]), fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ instruction */

static void get_insn(const struct fx_report *r, struct fx_expl *x)
{
	const char *why = NULL;

	switch (r->code_state) {
	case FX_CODE_OK:
		x->have_insn = fx_decode(r->code + r->code_marker,
					 r->code_len - (unsigned)r->code_marker,
					 r->regs.have_rip, r->regs.rip, &x->insn);
		if (!x->have_insn)
			snprintf(x->insn_why, sizeof(x->insn_why), "%s", x->insn.why);
		return;
	case FX_CODE_NO_MARKER:
		why = "the Code: line has no <xx> marker, so the faulting instruction's first byte is unknown";
		break;
	case FX_CODE_BAD_RIP:
		why = "\"Code: Bad RIP value.\": the kernel could not read the bytes at RIP";
		break;
	case FX_CODE_UNREADABLE:
		why = "\"Code: Unable to access opcode bytes\": RIP points at memory the kernel could not read";
		break;
	case FX_CODE_MALFORMED:
		why = "the Code: line is cut or edited (not only hex bytes), no faulting byte to decode";
		break;
	case FX_CODE_NONE:
		why = r->src == FX_SRC_CRASH ? "no code bytes and no `dis` line at RIP in the text"
					     : "no Code: line in the report";
		break;
	}
	if (r->dis_text[0] && fx_parse_att(r->dis_text, &x->insn)) {
		x->have_insn = true;
		return;
	}
	snprintf(x->insn_why, sizeof(x->insn_why), "%s", why);
}

/* ------------------------------------------------------------ pages */

/* The page tables are not in an oops.  For a #PF the page holding the
 * fault address is "unknown" (P masked in the verdict) and every other
 * page "present and allowing"; otherwise every page is "present and
 * allowing", so the verdict is about canonical form and alignment only. */
struct oracle {
	bool pf;
	uint64_t fault_page;
	bool user;
};

static void query(void *ctx, uint64_t linear, struct page_info *out)
{
	const struct oracle *o = ctx;

	memset(out, 0, sizeof(*out));
	if (o->pf && (linear & ~(PAGE - 1)) == o->fault_page) {
		out->state = PAGE_UNKNOWN;
		return;
	}
	out->state = PAGE_PRESENT;
	out->writable = true;
	out->user = o->user;
	out->nx = false;
}

/* ------------------------------------------------------------ operands */

static bool reg(const struct fx_report *r, int g, uint64_t *v, struct fx_eval *ev)
{
	if (g == GPR_NONE) {
		*v = 0;
		return true;
	}
	if (!fx_have_gpr(&r->regs, g)) {
		snprintf(ev->why, sizeof(ev->why), "%s is not in the dump (as 16 hex digits)", gpr_name(g));
		return false;
	}
	*v = r->regs.gpr[g];
	return true;
}

static void predict(struct fx_eval *ev, struct oracle *o)
{
	ev->acc.page_query = query;
	ev->acc.page_ctx = o;
	ev->acc.paging_levels = 4;
	rule_predict(&ev->acc, &ev->v4);
	ev->acc.paging_levels = 5;
	rule_predict(&ev->acc, &ev->v5);
}

static void eval_memop(const struct fx_report *r, struct fx_expl *x, struct fx_eval *ev,
		       struct oracle *o)
{
	const struct fx_memop *m = &ev->m;
	uint64_t b = 0, i = 0, ea;
	struct access_span sp;

	ev->acc = (struct access){
		.op = m->op, .base = m->base, .index = m->index, .prefix = m->prefix,
		.width = m->width, .cpl = (unsigned)x->cpl, .efer_nxe = true,
		.cr4_smep = r->regs.have_cr4 && (r->regs.cr4 & CR4_SMEP),
		.vendor = VENDOR_INTEL, .align = m->align,
	};
	if (m->rip_rel)
		ev->acc.base = GPR_NONE;
	access_span(&ev->acc, &sp);
	ev->seg = sp.seg;
	if (!m->width) {
		snprintf(ev->why, sizeof(ev->why), "the operand's width is unknown");
		return;
	}
	if (m->op == OP_PUSH || m->op == OP_POP) {
		int g = m->base == GPR_NONE ? GPR_RSP : m->base;
		if (!reg(r, g, &b, ev))
			return;
		ev->acc.addr = b;
		ev->acc.base = GPR_RSP;
		ev->ea = m->op == OP_PUSH ? b - 8 : b;
		ev->len = 8;
	} else {
		if (m->rip_rel) {
			if (!r->regs.have_rip) {
				snprintf(ev->why, sizeof(ev->why),
					 "RIP-relative operand, and the report gives RIP only as a symbol");
				return;
			}
			if (!x->insn.len) {
				snprintf(ev->why, sizeof(ev->why),
					 "RIP-relative operand, and the instruction length is unknown (dis text)");
				return;
			}
			b = r->regs.rip + x->insn.len;
		} else if (!reg(r, m->base, &b, ev)) {
			return;
		}
		if (!reg(r, m->index, &i, ev))
			return;
		ea = b + i * (m->scale ? m->scale : 1) + (uint64_t)m->disp;
		if (x->insn.addr_width == 32)
			ea &= 0xffffffffull;
		if (sp.seg == SEG_FS || sp.seg == SEG_GS) {
			/* __show_regs() (arch/x86/kernel/process_64.c) prints the
			 * current FS base as "FS:", MSR_GS_BASE as "GS:" and
			 * MSR_KERNEL_GS_BASE as "knlGS:".  In the kernel after
			 * SWAPGS, a user context's GS base is the knlGS value. */
			bool fs = sp.seg == SEG_FS;
			bool user = x->cpl == 3;
			bool have = fs ? r->regs.have_fs : user ? r->regs.have_kgs : r->regs.have_gs;
			if (!have) {
				snprintf(ev->why, sizeof(ev->why), "the %s base is not in the dump (%s line)",
					 fs ? "FS" : "GS", fs ? "FS:" : user ? "knlGS:" : "GS:");
				return;
			}
			ev->have_seg_base = true;
			ev->seg_base = fs ? r->regs.fs_base : user ? r->regs.kgs_base : r->regs.gs_base;
			ea += ev->seg_base;
		}
		ev->ea = ea;
		ev->len = m->width;
		ev->acc.addr = ea;
	}
	if (x->insn.rep) {
		uint64_t cnt;
		if (reg(r, GPR_RCX, &cnt, ev)) {
			if (x->insn.addr_width == 32)
				cnt &= 0xffffffffull;
			ev->rep_known = true;
			ev->rep_count = cnt;
			ev->backward = r->regs.have_rflags && (r->regs.rflags & RFLAGS_DF);
			uint64_t span = cnt ? cnt * m->width : m->width;
			if (cnt > (1ull << 60) / (m->width ? m->width : 1))
				span = 1ull << 60;
			/* SDM Vol.2 MOVS/STOS: DF = 0 increments RSI/RDI, DF = 1 decrements */
			ev->rep_lo = ev->backward ? ev->ea + m->width - span : ev->ea;
			ev->rep_hi = ev->rep_lo + span - 1;
		}
		ev->why[0] = '\0';
	}
	ev->known = true;
	ev->canon4 = range_is_canonical(ev->ea, (unsigned)ev->len, 4);
	ev->canon5 = range_is_canonical(ev->ea, (unsigned)ev->len, 5);
	ev->misaligned = m->align > 1 && ev->ea % m->align != 0;
	if (x->have_fault_addr) {
		uint64_t fa = x->fault_addr;
		ev->holds_fault_addr = fa - ev->ea < ev->len ||
			(ev->rep_known && fa >= ev->rep_lo && fa <= ev->rep_hi);
		/* a string operation faults somewhere in the rest of the string:
		 * give the model the whole remaining range (SDM Vol.2 REP: the
		 * registers are updated per iteration; fast strings may run ahead) */
		if (ev->rep_known && ev->holds_fault_addr && o->pf) {
			uint64_t span = ev->rep_hi - ev->rep_lo + 1;
			ev->acc.addr = ev->rep_lo;
			ev->acc.width = span > 0x7fffffff ? 0x7fffffff : (unsigned)span;
		}
	}
	predict(ev, o);
}

static void eval_fetch(struct fx_expl *x, struct fx_eval *ev, uint64_t target, struct oracle *o,
		       const struct fx_report *r)
{
	memset(ev, 0, sizeof(*ev));
	ev->fetch = true;
	ev->known = true;
	ev->m.op = OP_JMP;
	ev->m.base = ev->m.index = GPR_NONE;
	ev->m.width = 1;
	ev->seg = SEG_CS;
	ev->ea = target;
	ev->len = 1;
	ev->acc = (struct access){
		.op = OP_JMP, .base = GPR_NONE, .index = GPR_NONE, .width = 1, .addr = target,
		.cpl = (unsigned)x->cpl, .efer_nxe = true,
		.cr4_smep = r->regs.have_cr4 && (r->regs.cr4 & CR4_SMEP), .vendor = VENDOR_INTEL,
	};
	ev->canon4 = addr_is_canonical(target, 4);
	ev->canon5 = addr_is_canonical(target, 5);
	ev->holds_fault_addr = x->have_fault_addr && x->fault_addr == target;
	predict(ev, o);
}

static const struct rule_verdict *verdict(const struct fx_expl *x, const struct fx_eval *ev)
{
	return x->paging == 5 ? &ev->v5 : &ev->v4;
}

/* ------------------------------------------------------------ verdict */

static bool agrees_with(const struct rule_verdict *v, const struct fx_report *r,
			const struct fx_expl *x)
{
	uint64_t err = r->have_err ? r->err : v->error_code;
	uint64_t cr2 = x->have_fault_addr ? x->fault_addr : v->cr2;

	return rule_agrees(v, r->vector, err, cr2);
}

static bool stack_access(const struct fx_eval *ev)
{
	return !ev->fetch && (ev->m.op == OP_PUSH || ev->m.op == OP_POP || ev->seg == SEG_SS);
}

static void choose_primary(const struct fx_report *r, struct fx_expl *x)
{
	x->primary = -1;
	if (!x->nev)
		return;
	/* #PF: the access that holds the fault address (writes first for W=1) */
	if (r->vector == VEC_PF && x->have_fault_addr) {
		bool want_write = r->have_err && (r->err & PF_ERR_WR);
		bool want_fetch = r->have_err && (r->err & PF_ERR_ID);
		for (int pass = 0; pass < 2 && x->primary < 0; pass++)
			for (unsigned k = 0; k < x->nev; k++) {
				const struct fx_eval *ev = &x->ev[k];
				if (!ev->known || !ev->holds_fault_addr)
					continue;
				if (pass == 0 && (ev->fetch != want_fetch ||
						  (!ev->fetch && ev->m.write != want_write)))
					continue;
				x->primary = (int)k;
				break;
			}
	}
	/* #SS/#GP/#DF: the access whose verdict is the title's (or the #DF's cause) */
	for (unsigned k = 0; x->primary < 0 && k < x->nev; k++) {
		const struct fx_eval *ev = &x->ev[k];
		if (!ev->known)
			continue;
		int v4 = ev->v4.vector, v5 = ev->v5.vector;
		if (r->vector == VEC_DF ? (v4 != VEC_NONE && stack_access(ev)) :
					  (v4 == r->vector || v5 == r->vector))
			x->primary = (int)k;
	}
	for (unsigned k = 0; x->primary < 0 && k < x->nev; k++)
		if (x->ev[k].known && (x->ev[k].v4.vector != VEC_NONE || x->ev[k].v5.vector != VEC_NONE))
			x->primary = (int)k;
	if (x->primary < 0)
		x->primary = 0;
}

static void set_rule(struct fx_expl *x, const struct rule_verdict *v)
{
	x->rule = v->vector;
	x->rule_err = v->error_code;
	x->rule_mask = v->error_mask;
	x->rule_cr2 = v->cr2;
	x->rule_reason = v->reason;
	x->rule_cite = v->cite;
}

static void decide(const struct fx_report *r, struct fx_expl *x)
{
	x->rule = FX_RULE_UNKNOWN;
	x->rule_first = VEC_NONE;
	x->agrees = FX_AGREE_UNKNOWN;
	if (r->vector == VEC_NONE) {
		snprintf(x->why, sizeof(x->why), "the report names no exception");
		return;
	}
	if (x->have_insn && x->insn.ud && x->primary < 0) {
		/* SDM Vol.2 UD: "Generates an invalid opcode exception" in every mode */
		x->rule = VEC_UD;
		x->rule_reason = "ud0/ud1/ud2 always raise #UD (Linux's BUG()/WARN() use ud2)";
		x->rule_cite = "SDM Vol.2B UD";
		x->agrees = r->vector == VEC_UD ? FX_AGREE_YES : FX_AGREE_NO;
		if (x->agrees == FX_AGREE_NO)
			snprintf(x->why, sizeof(x->why), "ud2 raises #UD, the report says %s",
				 vector_mnemonic(r->vector) ? vector_mnemonic(r->vector) : "?");
		return;
	}
	if (x->primary < 0) {
		snprintf(x->why, sizeof(x->why), "%s", x->have_insn ?
			 "the instruction makes no memory access the model covers: this exception is not about an address" :
			 x->insn_why);
		return;
	}
	const struct fx_eval *ev = &x->ev[x->primary];
	if (!ev->known) {
		snprintf(x->why, sizeof(x->why), "%s", ev->why);
		return;
	}
	/* CR4 missing: both paging modes; keep the one that explains the title */
	if (!x->paging) {
		bool a4 = agrees_with(&ev->v4, r, x), a5 = agrees_with(&ev->v5, r, x);
		if (r->vector == VEC_DF) {
			a4 = ev->v4.vector != VEC_NONE;
			a5 = ev->v5.vector != VEC_NONE;
		}
		if (ev->v4.vector == ev->v5.vector) {
			x->paging = 4;
			x->paging_from = "none";
		} else if (a4 != a5) {
			x->paging = a4 ? 4 : 5;
			x->paging_from = "inferred";
		} else {
			x->paging = 4;
			x->paging_from = "none";
			snprintf(x->why, sizeof(x->why), "no CR4 line: the verdict depends on the paging mode "
				 "(4-level %s, 5-level %s)",
				 vector_mnemonic(ev->v4.vector), vector_mnemonic(ev->v5.vector));
		}
	}
	const struct rule_verdict *v = verdict(x, ev);
	set_rule(x, v);
	if (r->vector == VEC_DF) {
		/* The cause could not be delivered: its frame goes on the same
		 * stack when the faulting access was a stack access (no IST for
		 * #SS/#GP/#PF in Linux or faultprobe): SDM Vol.3 6.15 int8. */
		if (v->vector != VEC_NONE && stack_access(ev)) {
			int c = rule_combine(v->vector, v->vector);
			x->rule_first = v->vector;
			x->rule = c;
			x->rule_err = 0;
			x->rule_mask = ~0u;
			x->rule_reason = "the first exception's frame goes on the same faulting stack";
			x->rule_cite = "SDM Vol.3 6.15 int8, Table 6-5";
			x->agrees = c == VEC_DF ? FX_AGREE_YES : FX_AGREE_NO;
		} else {
			x->agrees = FX_AGREE_NO;
			snprintf(x->why, sizeof(x->why), "the access itself gives %s, which does not explain a #DF",
				 vector_mnemonic(v->vector));
		}
		return;
	}
	if (x->why[0]) {
		x->rule = FX_RULE_UNKNOWN;
		return;
	}
	x->agrees = agrees_with(v, r, x) ? FX_AGREE_YES : FX_AGREE_NO;
	if (x->agrees == FX_AGREE_NO) {
		if (v->vector == VEC_NONE && (r->vector == VEC_GP || r->vector == VEC_SS))
			snprintf(x->why, sizeof(x->why), "the access is canonical%s: the manuals give %s only for a "
				 "non-canonical (or misaligned) one", ev->m.align > 1 ? " and aligned" : "",
				 vector_mnemonic(r->vector));
		else if (v->vector == r->vector && r->vector == VEC_PF)
			snprintf(x->why, sizeof(x->why), "same vector, but the error code or CR2 differ "
				 "(model err 0x%x mask 0x%x cr2 0x%llx)", v->error_code, v->error_mask,
				 (unsigned long long)v->cr2);
		else
			snprintf(x->why, sizeof(x->why), "the model gives %s (%s)",
				 vector_mnemonic(v->vector), v->reason);
	}
}

/* ------------------------------------------------------------ entry */

void fx_explain(const struct fx_report *r, const struct fx_options *opt, struct fx_expl *x)
{
	struct oracle o;

	(void)opt;
	memset(x, 0, sizeof(*x));
	x->primary = -1;
	x->rule = FX_RULE_UNKNOWN;
	get_insn(r, x);

	x->cpl_known = r->regs.have_cs;
	x->cpl = r->regs.have_cs ? (int)(r->regs.cs & 3) : 0;
	if (!x->cpl_known && strstr(r->pf_desc, "in user mode")) {
		x->cpl = 3;
		x->cpl_known = true;
	} else if (!x->cpl_known && strstr(r->pf_desc, "in kernel mode")) {
		x->cpl_known = true;
	}
	if (!x->cpl_known)
		note(x, "no CS selector in the report: CPL 0 assumed");

	if (r->regs.have_cr4) {
		x->paging = (r->regs.cr4 & CR4_LA57) ? 5 : 4;
		x->paging_from = "cr4";
	} else {
		x->paging = 0;
		x->paging_from = "none";
	}

	if (r->vector == VEC_PF) {
		if (r->have_fault_addr) {
			x->have_fault_addr = true;
			x->fault_addr = r->fault_addr;
			x->fault_addr_from = "title";
			if (r->regs.have_cr2 && r->regs.cr2 != r->fault_addr)
				note(x, "the CR2 line (%016llx) differs from the title's address: it is read when "
				     "the oops is printed, and a fault while printing (e.g. reading the code "
				     "bytes at a bad RIP) overwrites it", (unsigned long long)r->regs.cr2);
		} else if (r->regs.have_cr2) {
			x->have_fault_addr = true;
			x->fault_addr = r->regs.cr2;
			x->fault_addr_from = "cr2";
		}
	}
	/* A #DF from a fault during delivery: CR2 holds the address of the
	 * #PF that started it, if one did (a stack overflow). */
	if (r->vector == VEC_DF && r->regs.have_cr2) {
		x->have_fault_addr = true;
		x->fault_addr = r->regs.cr2;
		x->fault_addr_from = "cr2";
		if (r->stack_overflow)
			note(x, "\"BUG: stack guard page was hit\": Linux saw the #DF's stack pointer in a guard page");
	}
	o.pf = (r->vector == VEC_PF || r->vector == VEC_DF) && x->have_fault_addr;
	o.fault_page = x->fault_addr & ~(PAGE - 1);
	o.user = x->cpl == 3;

	/* A #PF on the instruction fetch (I/D = 1): the instruction at RIP never
	 * ran, its operands made no access. */
	bool fetch_pf = r->vector == VEC_PF && r->have_err && (r->err & PF_ERR_ID);
	if (fetch_pf && x->have_insn)
		note(x, "the bytes at RIP decode as \"%s\", but that instruction never ran: fetching it "
		     "faulted (I/D = 1)", x->insn.att);
	for (unsigned k = 0; !fetch_pf && x->have_insn && k < x->insn.nmem && x->nev < FX_MAX_MEMOPS; k++) {
		struct fx_eval *ev = &x->ev[x->nev++];
		memset(ev, 0, sizeof(*ev));
		ev->m = x->insn.mem[k];
		eval_memop(r, x, ev, &o);
	}
	/* An instruction fetch: a #PF with I/D = 1 (the fetch at RIP), or a
	 * branch whose target the registers give. */
	if (fetch_pf && x->nev <= FX_MAX_MEMOPS) {
		uint64_t at = r->regs.have_rip ? r->regs.rip : x->fault_addr;
		if (r->regs.have_rip || x->have_fault_addr)
			eval_fetch(x, &x->ev[x->nev++], at, &o, r);
	} else if (x->have_insn && x->insn.branch && !x->insn.ret && x->nev <= FX_MAX_MEMOPS) {
		uint64_t t;
		if (x->insn.target_reg != GPR_NONE && fx_have_gpr(&r->regs, x->insn.target_reg)) {
			t = r->regs.gpr[x->insn.target_reg];
			eval_fetch(x, &x->ev[x->nev++], t, &o, r);
		} else if (x->insn.rel && r->regs.have_rip) {
			t = r->regs.rip + x->insn.len + (uint64_t)x->insn.rel_disp;
			eval_fetch(x, &x->ev[x->nev++], t, &o, r);
		}
	}
	if (x->have_insn && x->insn.no_fault)
		note(x, "%s is a hint: it never faults (SDM Vol.2 PREFETCHh)", x->insn.mnemonic);

	choose_primary(r, x);
	if (x->have_insn && x->insn.ud && x->primary >= 0 && x->ev[x->primary].v4.vector == VEC_NONE)
		x->primary = -1;
	decide(r, x);

	if (x->primary >= 0 && x->ev[x->primary].known) {
		struct fx_eval *ev = &x->ev[x->primary];
		struct access a = ev->acc;
		a.paging_levels = (unsigned)(x->paging ? x->paging : 4);
		/* the frame's selectors, as the models push them (Linux's
		 * __KERNEL_CS/__KERNEL_DS, __USER_CS/__USER_DS when not printed) */
		a.sel_cs = (uint16_t)(r->regs.have_cs ? r->regs.cs : a.cpl ? 0x33 : 0x10);
		a.sel_ss = (uint16_t)(r->regs.have_ss ? r->regs.ss : a.cpl ? 0x2b : 0x18);
		for (int m = 0; m < PLATFORM_COUNT; m++)
			platform_predict((enum platform_model)m, &a, &x->plat[m]);
		x->have_plat = true;
		/* the value worth reading: the address that broke the rule (for a
		 * #PF the fault address; for a fetch its target) */
		if (r->vector == VEC_PF && x->have_fault_addr) {
			x->value = x->fault_addr;
			x->value_what = "the fault address";
		} else {
			x->value = ev->ea;
			x->value_what = ev->fetch ? "the fetch address" : "the effective address";
		}
		x->have_value = true;
		if (r->have_hint && !ev->fetch) {
			if (r->hint == ev->ea)
				note(x, "the kernel's hint (non-canonical address 0x%llx) is this effective address",
				     (unsigned long long)r->hint);
			else if (ev->m.has_disp && r->hint + (uint64_t)ev->m.disp == ev->ea)
				note(x, "the kernel's hint 0x%llx lacks the displacement %s0x%llx (Linux 5.5-5.12 "
				     "computed it without the displacement)", (unsigned long long)r->hint,
				     ev->m.disp < 0 ? "-" : "", (unsigned long long)(ev->m.disp < 0 ? -(uint64_t)ev->m.disp : (uint64_t)ev->m.disp));
			else
				note(x, "the kernel's hint 0x%llx differs from the computed address 0x%llx",
				     (unsigned long long)r->hint, (unsigned long long)ev->ea);
		}
	}
}
