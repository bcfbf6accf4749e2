#include "frame_rules.h"
#include "vectors.h"

/* The hardware frame is five 8-byte slots: RIP, CS, RFLAGS, RSP, SS
 * (SDM Vol. 3 6.14.2, Figure 6-9); the error code, when there is one, sits
 * below RIP. */
#define FRAME_BYTES 40

const char *stack_name(unsigned ist)
{
	static const char *const names[8] = { "cur", "ist1", "ist2", "ist3",
					      "ist4", "ist5", "ist6", "ist7" };
	return names[ist & 7];
}

const char *frame_start_name(unsigned ist)
{
	static const char *const names[8] = { "pre-fault", "ist1-top", "ist2-top", "ist3-top",
					      "ist4-top", "ist5-top", "ist6-top", "ist7-top" };
	return names[ist & 7];
}


void frame_check(const struct frame_obs *o, struct frame_verdict *v)
{
	const uint64_t *w = o->words;
	uint64_t rip = w[0], cs = w[1], rflags = w[2], rsp = w[3], ss = w[4];

	/* Where the CPU started pushing: the interrupted RSP, or the IST entry
	 * (SDM Vol. 3 6.14.5: the IST switch happens whatever the CPL). */
	v->start = o->ist ? o->ist_top : o->pre_rsp;
	v->from = frame_start_name(o->ist);
	v->frame_rel = (int64_t)(o->frame_addr - v->start);
	v->pad = v->start - (o->frame_addr + FRAME_BYTES);
	/* SDM Vol. 3 6.14.2: "the RSP is aligned to a 16-byte boundary before
	 * pushing the stack frame". */
	v->aligned = o->frame_addr + FRAME_BYTES == (v->start & ~15ull);
	if (v->pad == 0) {
		v->pad_slot = "-";
	} else if (o->nwords > 5 && v->pad == 8) {
		v->pad_slot = w[5] == FRAME_POISON ? "poison" : "other";
	} else {
		v->pad_slot = "other";
	}
	/* 6.14.2: "the previous (possibly unaligned) RSP is unconditionally
	 * saved on the newly aligned stack". */
	v->saved_rsp_pre = rsp == o->pre_rsp;
	if (rip == o->fault_insn)
		v->rip_at = "insn";
	else if (rip == o->fault_insn + o->insn_len)
		v->rip_at = "next";
	else
		v->rip_at = "other";
	v->rf = (rflags & RFLAGS_RF) ? 1 : 0;
	v->rf_rule = 1;            /* fault class: SDM Vol. 3 17.3.1.1 */
	v->bit1 = (rflags & RFLAGS_BIT1) != 0;
	/* 6.14: "8-byte, zero extended stores". */
	v->cs_hi = cs >> 16;
	v->ss_hi = ss >> 16;
	v->stack_rule = stack_name(o->ist);
	v->stack_ok = fp_streq(o->stack, v->stack_rule);
	v->agrees = v->aligned && v->saved_rsp_pre && fp_streq(v->rip_at, "insn") &&
		    v->rf == v->rf_rule && v->bit1 && v->cs_hi == 0 && v->ss_hi == 0 &&
		    v->stack_ok && !fp_streq(v->pad_slot, "other");
}

void frame_fails(struct strbuf *sb, const struct frame_verdict *v)
{
	const struct { bool failed; const char *name; } fails[] = {
		{ !v->aligned, "aligned" }, { fp_streq(v->pad_slot, "other"), "pad" },
		{ !v->saved_rsp_pre, "saved_rsp" }, { !fp_streq(v->rip_at, "insn"), "rip" },
		{ v->rf != v->rf_rule, "rf" }, { !v->bit1, "bit1" },
		{ v->cs_hi != 0, "cs_hi" }, { v->ss_hi != 0, "ss_hi" }, { !v->stack_ok, "stack" },
	};
	bool any = false;
	for (unsigned i = 0; i < sizeof(fails) / sizeof(fails[0]); i++) {
		if (!fails[i].failed)
			continue;
		if (any)
			sb_putc(sb, ',');
		sb_puts(sb, fails[i].name);
		any = true;
	}
	if (!any)
		sb_putc(sb, '-');
}

void rflags_names(struct strbuf *sb, uint64_t mask)
{
	/* Architectural order of importance for this report, not bit order. */
	static const struct { uint64_t bit; const char *name; } names[] = {
		{ RFLAGS_IF, "IF" }, { RFLAGS_RF, "RF" }, { RFLAGS_TF, "TF" },
		{ RFLAGS_AC, "AC" }, { RFLAGS_NT, "NT" }, { RFLAGS_VM, "VM" },
		{ RFLAGS_DF, "DF" }, { RFLAGS_ZF, "ZF" }, { RFLAGS_PF, "PF" },
		{ RFLAGS_SF, "SF" }, { RFLAGS_CF, "CF" }, { RFLAGS_OF, "OF" },
		{ RFLAGS_AF, "AF" }, { RFLAGS_BIT1, "bit1" },
	};
	bool first = true;
	if (!mask) {
		sb_putc(sb, '-');
		return;
	}
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(mask & names[i].bit))
			continue;
		if (!first)
			sb_putc(sb, ',');
		sb_puts(sb, names[i].name);
		first = false;
		mask &= ~names[i].bit;
	}
	for (unsigned b = 0; b < 64; b++) {
		if (!(mask & (1ull << b)))
			continue;
		if (!first)
			sb_putc(sb, ',');
		sb_putc(sb, 'b');
		sb_dec(sb, b);
		first = false;
	}
}

/* ---- software-built frame ------------------------------------------------ */

const char *sf_slot_name(enum sf_slot s)
{
	static const char *const names[SF_NSLOTS] = {
		"ip", "cs", "rflags", "sp", "ss", "frame", "pad", "stack",
	};
	return (unsigned)s < SF_NSLOTS ? names[s] : "?";
}

static uint64_t sf_pad(const struct sf_frame *f)
{
	/* Distance between the top of the five slots and the RSP the pushes
	 * started from (the interrupted RSP, or the IST entry). */
	return f->start - (f->frame_addr + FRAME_BYTES);
}

void sf_compare(const struct sf_case *c, const struct sf_frame *hw,
		const struct sf_frame *sw, enum sf_slot s, struct sf_diff *d)
{
	d->hw_str = 0;
	d->sw_str = 0;
	d->why = "-";
	d->flag_diff = 0;
	switch (s) {
	case SF_IP:
		d->hw = hw->rip;
		d->sw = sw->rip;
		break;
	case SF_CS:
		d->hw = hw->cs;
		d->sw = sw->cs;
		break;
	case SF_RFLAGS:
		d->hw = hw->rflags;
		d->sw = sw->rflags;
		break;
	case SF_SP:
		d->hw = hw->rsp;
		d->sw = sw->rsp;
		break;
	case SF_SS:
		d->hw = hw->ss;
		d->sw = sw->ss;
		break;
	case SF_FRAME:
		d->hw = hw->frame_addr;
		d->sw = sw->frame_addr;
		break;
	case SF_PAD:
		d->hw = sf_pad(hw);
		d->sw = sf_pad(sw);
		break;
	default:
		d->hw = d->sw = 0;
		d->hw_str = hw->stack;
		d->sw_str = sw->stack;
		d->same = fp_streq(hw->stack, sw->stack);
		if (!d->same)
			d->why = "gate-ist-ignored-by-software";
		return;
	}
	d->same = d->hw == d->sw;
	if (d->same)
		return;
	switch (s) {
	case SF_IP:
		/* INT n saves the address of the next instruction; the software
		 * sequence's CALL saves its return address: both "next". */
		if (hw->rip == hw->next_rip && sw->rip == sw->next_rip)
			d->why = "by-design-next-insn";
		else
			d->why = "unexpected";
		break;
	case SF_RFLAGS: {
		uint64_t x = d->hw ^ d->sw;
		d->flag_diff = x;
		bool if_or = c->or_if && (x & RFLAGS_IF) && (d->sw & RFLAGS_IF);
		bool arith = (x & RFLAGS_ARITH) != 0;
		uint64_t rest = x & ~(RFLAGS_ARITH | (if_or ? RFLAGS_IF : 0));
		if (rest & RFLAGS_RF)
			d->why = "rf";
		else if (rest)
			d->why = "other-flags";
		else if (if_or && arith)
			d->why = "orl-0x200+and-before-pushf";
		else if (if_or)
			d->why = "orl-0x200";
		else if (arith)
			d->why = "and-before-pushf";
		break;
	}
	case SF_FRAME:
	case SF_PAD:
		d->why = c->gate_ist ? "gate-ist-ignored-by-software" : "alignment";
		break;
	case SF_SP:
		d->why = "saved-rsp";
		break;
	default:
		d->why = "selector";
		break;
	}
}
