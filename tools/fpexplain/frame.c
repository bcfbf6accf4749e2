/* Exception frames in stack dumps (frame.h). */
#include "frame.h"

#include <stdio.h>
#include <string.h>

#include "probes/model/vectors.h"
#include "probes/model/x86.h"

/* Linux entry points: arch/x86/entry/entry_64.S (idtentry, before 5.8) and
 * arch/x86/include/asm/idtentry.h (asm_exc_*, 5.8+). */
static const struct {
	const char *name;
	int vector;
} entries[] = {
	{ "divide_error", VEC_DE }, { "debug", VEC_DB }, { "nmi", VEC_NMI },
	{ "int3", VEC_BP }, { "overflow", VEC_OF }, { "bounds", VEC_BR },
	{ "invalid_op", VEC_UD }, { "device_not_available", VEC_NM },
	{ "double_fault", VEC_DF }, { "coprocessor_segment_overrun", VEC_CSO },
	{ "invalid_tss", VEC_TS }, { "invalid_TSS", VEC_TS },
	{ "segment_not_present", VEC_NP }, { "stack_segment", VEC_SS },
	{ "general_protection", VEC_GP }, { "page_fault", VEC_PF },
	{ "async_page_fault", VEC_PF }, { "coprocessor_error", VEC_MF },
	{ "alignment_check", VEC_AC }, { "machine_check", VEC_MC },
	{ "simd_coprocessor_error", VEC_XM },
};

int fx_entry_vector(const char *func)
{
	if (strncmp(func, "asm_exc_", 8) == 0)
		func += 8;
	else if (strncmp(func, "exc_", 4) == 0)
		func += 4;
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		if (strcmp(func, entries[i].name) == 0)
			return entries[i].vector;
	return VEC_NONE;
}

static bool val(struct fx_stack *s, uint64_t addr, uint64_t *v)
{
	struct fx_slot *sl = fx_stack_find(s, addr);

	if (sl)
		*v = sl->value;
	return sl != NULL;
}

/* A selector pushed for CS/SS: zero-extended 16 bits, GDT (TI = 0). */
static bool selector_like(uint64_t v, bool may_be_null)
{
	return (v >> 16) == 0 && (v & 4) == 0 && (may_be_null || v != 0);
}

/* RFLAGS image: bit 1 is always 1, nothing above bit 21 (SDM Vol.1 3.4.3). */
static bool rflags_like(uint64_t v)
{
	return (v & RFLAGS_BIT1) && (v >> 22) == 0;
}

static bool frame_at(struct fx_stack *s, uint64_t a)
{
	uint64_t cs, fl, ss;

	return val(s, a + 8, &cs) && val(s, a + 16, &fl) && val(s, a + 32, &ss) &&
	       selector_like(cs, false) && rflags_like(fl) && selector_like(ss, true);
}

static void label(struct fx_stack *s, uint64_t addr, const char *lbl, const char *note)
{
	struct fx_slot *sl = fx_stack_find(s, addr);

	if (!sl)
		return;
	if (lbl)
		snprintf(sl->label, sizeof(sl->label), "%s", lbl);
	if (note && !sl->note[0])
		snprintf(sl->note, sizeof(sl->note), "%s", note);
}

/* struct pt_regs (arch/x86/include/asm/ptrace.h), lowest address first,
 * below orig_ax; names as the seed's author wrote them ([rbp], [ax] ...). */
static const struct {
	const char *label;
	int gpr;
} pt_regs[15] = {
	{ "[r15]", GPR_R15 }, { "[r14]", GPR_R14 }, { "[r13]", GPR_R13 },
	{ "[r12]", GPR_R12 }, { "[rbp]", GPR_RBP }, { "[bx]", GPR_RBX },
	{ "[r11]", GPR_R11 }, { "[r10]", GPR_R10 }, { "[r9]", GPR_R9 },
	{ "[r8]", GPR_R8 }, { "[ax]", GPR_RAX }, { "[cx]", GPR_RCX },
	{ "[dx]", GPR_RDX }, { "[si]", GPR_RSI }, { "[di]", GPR_RDI },
};

static void fill(struct fx_report *r, uint64_t a, bool linux_pt_regs, int vector)
{
	struct fx_stack *s = &r->stack;
	struct fx_hwframe *f = &r->frame;
	uint64_t v;

	f->found = true;
	f->ip_slot = a;
	val(s, a, &f->rip);
	val(s, a + 8, &f->cs);
	val(s, a + 16, &f->rflags);
	val(s, a + 24, &f->rsp);
	val(s, a + 32, &f->ss);
	f->have_err = val(s, a - 8, &f->err_slot_value);
	/* SDM Vol.3 6.14: 8-byte zero-extended pushes; 6.14.2: RSP aligned to
	 * 16 before the push, so the frame ends on a 16-byte boundary;
	 * 17.3.1.1: RF = 1 in the image pushed for a fault. */
	f->cs_zext = (f->cs >> 16) == 0;
	f->ss_zext = (f->ss >> 16) == 0;
	f->rflags_bit1 = (f->rflags & RFLAGS_BIT1) != 0;
	f->rf = (f->rflags & RFLAGS_RF) != 0;
	f->aligned16 = (a + 40) % 16 == 0;
	if (f->rsp == a + 40)
		f->pad = 0;
	else if (f->rsp == a + 48)
		f->pad = 8;
	else
		f->pad = -1;

	/* the slot below [ip]: the CPU's error code, or (vectors without one,
	 * SDM Vol.3 6.13) what the entry code pushed in its place */
	label(s, a - 8, vector == VEC_NONE || vector_has_error_code(vector) ? "[Error Code]" :
	      "[no error code]", NULL);
	label(s, a, "[ip]", NULL);
	label(s, a + 8, "[CS]", NULL);
	label(s, a + 16, "[RFLAGS]", NULL);
	label(s, a + 24, "[sp]", NULL);
	label(s, a + 32, "[ss]", NULL);
	if (f->pad == 8)
		label(s, a + 40, "[pad]", "pad: RSP aligned down to 16 before the push (SDM Vol.3 6.14.2)");
	if (f->pad >= 0)
		label(s, f->rsp, NULL, "pre-fault RSP points here");
	if (f->have_err && f->err_slot_value == ~0ull && linux_pt_regs)
		label(s, a - 8, NULL, "-1: Linux's entry code moved the error code to the handler's 2nd argument");

	if (linux_pt_regs) {
		bool all = true;
		for (int i = 0; i < 15; i++) {
			uint64_t addr = a - 128 + 8ull * (unsigned)i;
			if (!val(s, addr, &v)) {
				all = false;
				continue;
			}
			label(s, addr, pt_regs[i].label, NULL);
			/* the registers of the interrupted code (first value wins) */
			if (!fx_have_gpr(&r->regs, pt_regs[i].gpr)) {
				r->regs.gpr[pt_regs[i].gpr] = v;
				r->regs.have_gpr |= 1u << pt_regs[i].gpr;
			}
		}
		f->pt_regs = true;
		if (!all)
			fx_note(r, "stack dump does not cover every pt_regs slot below the frame");
	}
	/* the frame's own words are the interrupted context's RIP/CS/RFLAGS/RSP/SS */
	struct fx_regs *g = &r->regs;
	if (!g->have_rip) { g->rip = f->rip; g->have_rip = true; }
	if (!g->have_cs) { g->cs = f->cs; g->have_cs = true; }
	if (!g->have_rflags && val(s, a + 16, &v)) { g->rflags = v; g->have_rflags = true; }
	if (!fx_have_gpr(g, GPR_RSP) && val(s, a + 24, &v)) {
		g->gpr[GPR_RSP] = v;
		g->have_gpr |= 1u << GPR_RSP;
	}
	if (!g->have_ss && val(s, a + 32, &v)) { g->ss = v; g->have_ss = true; }
}

bool fx_find_hwframe(struct fx_report *r, bool linux_pt_regs)
{
	struct fx_stack *s = &r->stack;
	struct fx_hwframe *f = &r->frame;

	/* 1. An exception entry frame followed by the interrupted one: the
	 *    [ip] slot holds the interrupted frame's pc (crash prints that
	 *    slot's address in the victim's header). */
	for (size_t e = 0; e + 1 < s->nframes; e++) {
		int vec = fx_entry_vector(s->frames[e].func);
		const struct fx_bt_frame *victim = NULL;
		if (vec == VEC_NONE)
			continue;
		for (size_t k = 0; k < s->nframes; k++)
			if (s->frames[k].no == s->frames[e].no + 1)
				victim = &s->frames[k];
		if (!victim)
			continue;
		for (size_t i = 0; i < s->nslots; i++) {
			uint64_t a = s->slots[i].addr;
			if (s->slots[i].value != victim->pc || a < s->frames[e].addr ||
			    a > victim->addr + 8)
				continue;
			fill(r, a, linux_pt_regs, vec);
			f->entry = (int)e;
			f->victim = (int)(victim - s->frames);
			f->vector = vec;
			snprintf(f->how, sizeof(f->how),
				 "#%d %s is an exception entry; the slot holding #%d %s's pc %016llx is [ip]",
				 s->frames[e].no, s->frames[e].func, victim->no, victim->func,
				 (unsigned long long)victim->pc);
			if (!frame_at(s, a))
				fx_note(r, "the words after [ip] do not look like CS, RFLAGS, RSP, SS "
					"(or are not in the dump)");
			return true;
		}
		fx_note(r, "#%d %s is an exception entry, but no stack word holds #%d %s's pc",
			s->frames[e].no, s->frames[e].func, victim->no, victim->func);
	}
	/* 2. Any five words shaped like a frame (after a known RIP if given). */
	for (size_t i = 0; i < s->nslots; i++) {
		uint64_t a = s->slots[i].addr;
		if (r->regs.have_rip && s->slots[i].value != r->regs.rip)
			continue;
		if (!frame_at(s, a))
			continue;
		fill(r, a, linux_pt_regs, r->vector);
		snprintf(f->how, sizeof(f->how), "five words shaped like RIP, CS, RFLAGS, RSP, SS%s",
			 r->regs.have_rip ? " starting with the oops's RIP" : "");
		return true;
	}
	return false;
}

static const struct fx_dis *dis_at(const struct fx_stack *s, uint64_t addr)
{
	for (size_t i = 0; i < s->ndis; i++)
		if (s->dis[i].addr == addr)
			return &s->dis[i];
	return NULL;
}

bool fx_crash_reports(struct fx_stack *st, unsigned first_line, struct fx_reports *out)
{
	struct fx_report *r;
	bool any_entry = false;

	for (size_t e = 0; e < st->nframes; e++)
		if (fx_entry_vector(st->frames[e].func) != VEC_NONE)
			any_entry = true;
	if (!any_entry && !st->have_exc && st->nframes == 0 && st->nslots < 5)
		return true;            /* nothing that could hold a frame */
	r = fx_reports_add(out);
	if (!r)
		return false;
	r->src = FX_SRC_CRASH;
	r->line = first_line;
	r->stack = *st;                 /* moved */
	memset(st, 0, sizeof(*st));
	if (r->stack.have_exc) {
		r->regs = r->stack.exc_regs;
		snprintf(r->func, sizeof(r->func), "%s", r->stack.exc_sym);
	}
	if (!fx_find_hwframe(r, true)) {
		if (!any_entry && !r->stack.have_exc) {
			fx_stack_free(&r->stack);
			out->n--;               /* a plain backtrace: not a crash report */
			return true;
		}
		fx_note(r, "no exception frame found in the stack words");
	}
	const struct fx_hwframe *f = &r->frame;
	if (f->entry >= 0) {
		const struct fx_bt_frame *en = &r->stack.frames[f->entry];
		const struct fx_bt_frame *vi = &r->stack.frames[f->victim];
		r->vector = f->vector;
		r->line = en->line;
		snprintf(r->title, sizeof(r->title), "crash bt: #%d %s at %016llx interrupted #%d %s",
			 en->no, en->func, (unsigned long long)en->pc, vi->no, vi->func);
		if (!r->func[0])
			snprintf(r->func, sizeof(r->func), "%s", vi->func);
	} else {
		for (size_t e = 0; e < r->stack.nframes; e++) {
			int v = fx_entry_vector(r->stack.frames[e].func);
			if (v != VEC_NONE) {
				r->vector = v;
				snprintf(r->title, sizeof(r->title), "crash bt: #%d %s",
					 r->stack.frames[e].no, r->stack.frames[e].func);
				break;
			}
		}
		if (!r->title[0])
			snprintf(r->title, sizeof(r->title), "crash bt: exception frame");
	}
	/* Linux's entry code overwrote the error code slot (orig_ax) with -1
	 * after passing the CPU's error code on (entry_64.S idtentry:
	 * "movq $-1, ORIG_RAX(%rsp)"): the value is lost to the dump. */
	if (f->found && f->have_err && f->err_slot_value != ~0ull && vector_has_error_code(r->vector)) {
		r->have_err = true;
		r->err = (uint32_t)f->err_slot_value;
	}
	if (f->found && r->regs.have_rip) {
		const struct fx_dis *d = dis_at(&r->stack, r->regs.rip);
		if (d) {
			snprintf(r->dis_text, sizeof(r->dis_text), "%s", d->text);
			snprintf(r->func, sizeof(r->func), "%s", d->sym);
		}
	}
	if (r->stack.conflicts)
		fx_note(r, "%u stack words were printed twice with different values; the first was kept",
			r->stack.conflicts);
	return true;
}
