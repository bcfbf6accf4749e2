/* Decoding the 32-bit protected-mode probe records (prot32_rules.h) and
 * judging them against the rule.  Portable: no kernel dependencies; the host unit tests
 * (tests/unit/test_prot32.c) feed it hand-made records.
 *
 * The rule for a 32-bit frame without a privilege change:
 *   SDM Vol. 3 6.12.1: "If the handler procedure is going to be executed at
 *   the same privilege level as the interrupted procedure: a. The processor
 *   saves the current state of the EFLAGS, CS, and EIP registers on the
 *   current stack (see Figure 6-4). b. If an exception causes an error code
 *   to be saved, it is pushed on the current stack after the EIP value."
 *   (Vol. 1 6.5.1 -- 6.4.1 in older editions -- says the same, Figure 6-5.)
 * So: 3 slots + error code right below ESP; SS:ESP only with a stack switch
 * (a CPL change); no 16-byte alignment, which is a 64-bit-mode rule
 * (Vol. 3 6.14.2).
 *
 * The CS slot is a dword.  For an event frame the manuals do not say what
 * its upper 16 bits hold; for PUSH of a segment register they allow both:
 *   SDM Vol. 2 PUSH: "if the operand size is 32-bits, either a zero-extended
 *   value is pushed on the stack or the segment selector is written on the
 *   stack using a 16-bit move. For the last case, all recent Core and Atom
 *   processors perform a 16-bit move, leaving the upper portion of the stack
 *   location unmodified."
 * Linux's entry_32.S clears those bits itself ("Clear them in case hardware
 * didn't do this for us"), after the review quoted in seed 002.  So cs_hi
 * is reported (zero / poison / other), never judged. */
#include "prot32_rules.h"
#include "vectors.h"
#include "x86.h"

/* EFLAGS bit 1 is reserved, always 1 (SDM Vol. 1 3.4.3). */
#define EFLAGS_BIT1 ((uint32_t)RFLAGS_BIT1)
#define EFLAGS_RF   ((uint32_t)RFLAGS_RF)

static const struct {
	const char *name, *insn, *cite;
} probe_info[P32_PROBE_COUNT] = {
	[P32_GP_SEL]   = { "gp-sel", "mov %ax,%ds (selector 0xfff8, beyond the GDT limit)",
			   "SDM Vol.2 MOV: #GP(selector) if the index is outside the table limit; Vol.3 6.13 error code" },
	[P32_GP_NULL]  = { "gp-null", "mov (%ebx),%eax with DS = NULL selector",
			   "SDM Vol.2 MOV: #GP(0) if DS/ES/FS/GS holds a NULL selector and is used" },
	[P32_GP_LIMIT] = { "gp-limit", "mov (%ebx),%eax, ebx = DS limit + 1",
			   "SDM Vol.2 MOV: #GP(0) outside the DS limit; Vol.3 6.15 int 13" },
	[P32_SS_LIMIT] = { "ss-limit", "mov 0x0(%ebp),%eax, ebp = SS limit + 1",
			   "SDM Vol.2 MOV: #SS(0) outside the SS limit; Vol.1 3.7.4 (EBP base -> SS); Vol.3 6.15 int 12" },
	[P32_PF_READ]  = { "pf-read", "mov (%ebx),%eax on a not-present 2 MiB page (PAE paging)",
			   "SDM Vol.3 4.4, 4.7: #PF, error code P=0 W/R=0 U/S=0, CR2 = address" },
	[P32_PF_WRITE] = { "pf-write", "mov %eax,(%ebx) on a not-present 2 MiB page (PAE paging)",
			   "SDM Vol.3 4.4, 4.7: #PF, error code P=0 W/R=1 U/S=0, CR2 = address" },
};

const char *p32_probe_name(unsigned probe)
{
	return probe < P32_PROBE_COUNT ? probe_info[probe].name : "unknown";
}

const char *p32_probe_insn(unsigned probe)
{
	return probe < P32_PROBE_COUNT ? probe_info[probe].insn : "?";
}

const char *p32_probe_cite(unsigned probe)
{
	return probe < P32_PROBE_COUNT ? probe_info[probe].cite : "?";
}

void p32_rule(unsigned probe, const struct prot32_raw *r, int *vector, uint32_t *err)
{
	(void)r;
	*err = 0;
	switch (probe) {
	case P32_GP_SEL:
		/* Selector error code: index | TI | IDT | EXT (Vol. 3 6.13);
		 * TI=0 (GDT), IDT=0, EXT=0 for a MOV. */
		*vector = VEC_GP;
		*err = P32_BAD_SELECTOR & 0xfff8u;
		break;
	case P32_GP_NULL:
	case P32_GP_LIMIT:
		*vector = VEC_GP;
		break;
	case P32_SS_LIMIT:
		*vector = VEC_SS;
		break;
	case P32_PF_READ:
		*vector = VEC_PF;
		break;
	case P32_PF_WRITE:
		*vector = VEC_PF;
		*err = 1u << 1;   /* W/R */
		break;
	default:
		*vector = VEC_NONE;
		break;
	}
}

void p32_decode(const struct prot32_raw *r, struct p32_verdict *v)
{
	*v = (struct p32_verdict){
		.aligned16 = "-", .cs_hi = "-", .below = "-",
	};
	p32_rule(r->probe, r, &v->rule_vector, &v->rule_err);
	v->rule_cr2 = v->rule_vector == VEC_PF;
	if (r->setup_vector != P32_NO_VECTOR) {
		/* Nothing was probed: no observation to judge. */
		v->setup_failed = true;
		return;
	}
	v->faulted = r->vector != P32_NO_VECTOR;
	int vector = v->faulted ? (int)r->vector : VEC_NONE;

	v->vector_ok = vector == v->rule_vector;
	if (v->rule_cr2)
		v->cr2_ok = v->faulted && r->cr2 == r->addr;
	else
		v->cr2_ok = r->cr2 == 0;   /* the sentinel written before the probe */

	if (!v->faulted) {
		v->err_ok = v->rule_vector == VEC_NONE;
		v->agrees = v->vector_ok && v->cr2_ok && v->err_ok;
		return;
	}

	v->has_err = vector_has_error_code(vector);
	v->frame_off = (int)(int32_t)(r->handler_esp - r->pre_esp);

	/* Locate the frame inside the snapshot window [pre_esp-32, pre_esp+16). */
	uint32_t base = r->pre_esp - 4u * P32_WORDS_BELOW;
	uint32_t delta = r->handler_esp - base;
	unsigned need = v->has_err ? 4 : 3;
	if ((delta & 3) == 0 && delta / 4 + need <= P32_WORDS && r->handler_esp >= base) {
		unsigned i = delta / 4;
		v->frame_in_window = true;
		if (v->has_err)
			v->err = r->words[i++];
		v->eip = r->words[i++];
		v->cs_slot = r->words[i++];
		v->eflags = r->words[i++];
		v->pushed = need;
		/* SS:ESP would sit right above EFLAGS (Figure 6-4, with a
		 * privilege change): the old ESP, then the old SS. */
		if (i + 2 <= P32_WORDS && r->words[i] == r->pre_esp &&
		    (r->words[i + 1] & 0xffffu) == r->ss_sel) {
			v->ss_esp_pushed = true;
			v->pushed += 2;
		}
		uint32_t top = r->handler_esp + 4u * v->pushed;
		v->gap = (int)(int32_t)(r->pre_esp - top);
		if (r->esp_mod16 == 0)
			v->aligned16 = "n/a";    /* aligned or not, same place */
		else if (v->gap == 0)
			v->aligned16 = "no";
		else if (top == (r->pre_esp & ~15u))
			v->aligned16 = "yes";
		else
			v->aligned16 = "other";

		uint32_t hi = v->cs_slot >> 16;
		v->cs_hi = hi == 0 ? "zero" : hi == (P32_POISON_BELOW >> 16) ? "poison" : "other";

		unsigned below = delta / 4;
		v->below = below ? "poison" : "-";
		for (unsigned k = 0; k < below; k++)
			if (r->words[k] != P32_POISON_BELOW)
				v->below = "written";
	}

	/* (an unreadable frame is reported once, as frame-not-found) */
	v->err_ok = !v->has_err ? v->rule_err == 0 : !v->frame_in_window || v->err == v->rule_err;
	v->eip_ok = v->frame_in_window && v->eip == r->fault_eip;   /* faults: Vol.3 6.5 */
	v->layout_ok = v->frame_in_window && !v->ss_esp_pushed && v->gap == 0 &&
		       v->frame_off == -(int)(4 * v->pushed);
	v->eflags_ok = v->frame_in_window && (v->eflags & EFLAGS_BIT1) &&
		       (v->eflags & ~EFLAGS_RF) == (r->eflags_pre & ~EFLAGS_RF);
	/* "For any fault-class exception except a debug exception generated in
	 * response to an instruction breakpoint, the value pushed for RF is 1"
	 * (SDM Vol. 3 17.3.1.1; 18.3.1.1 in newer editions). */
	v->rf_ok = v->frame_in_window && (v->eflags & EFLAGS_RF);
	v->cs_ok = v->frame_in_window && (v->cs_slot & 0xffffu) == r->cs_sel;
	v->agrees = v->vector_ok && v->err_ok && v->cr2_ok && v->eip_ok && v->layout_ok &&
		    v->eflags_ok && v->rf_ok && v->cs_ok;
}
