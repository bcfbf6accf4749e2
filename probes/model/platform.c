/* Platform models (platform.h): names, and the manuals' outcome (the
 * silicon model) every emulator model starts from, with the helpers the
 * emulator models (platform_tcg.c, platform_kvm.c, platform_bochs.c) use to
 * depart from it.  The dispatch to them is platform_predict.c. */
#include "platform_impl.h"
#include "vectors.h"
#include "fmt.h"
#include "frame_rules.h"

#define PAGE_SIZE 4096u

static const char *const model_names[PLATFORM_COUNT] = {
	[PLATFORM_SILICON] = "silicon",
	[PLATFORM_TCG] = "tcg",
	[PLATFORM_KVM_EMULATOR] = "kvm-emulator",
	[PLATFORM_BOCHS] = "bochs",
};

const char *platform_model_name(enum platform_model m)
{
	return (unsigned)m < PLATFORM_COUNT ? model_names[m] : "?";
}

bool platform_model_parse(const char *s, enum platform_model *m)
{
	for (unsigned i = 0; i < PLATFORM_COUNT; i++)
		if (s && fp_strcmp(s, model_names[i]) == 0) {
			*m = (enum platform_model)i;
			return true;
		}
	return false;
}

bool platform_has_deviation(const struct platform_outcome *o, const char *name)
{
	for (unsigned i = 0; i < o->ndev; i++)
		if (fp_strcmp(o->dev[i].name, name) == 0)
			return true;
	return false;
}

void platform_deviate(struct platform_outcome *out, const char *name, const char *why)
{
	if (platform_has_deviation(out, name) || out->ndev >= PLATFORM_MAX_DEV)
		return;
	out->dev[out->ndev].name = name;
	out->dev[out->ndev].why = why;
	out->ndev++;
}

void platform_unknown(struct platform_outcome *out, const char *why)
{
	out->known = false;
	out->unknown_why = why;
}

void platform_set_exception(struct platform_outcome *out, int vector, uint32_t err,
			    uint64_t cr2)
{
	out->vector = vector;
	out->error_code = vector == VEC_NONE ? 0 : err;
	out->error_mask = vector == VEC_NONE ? 0 : ~0u;
	out->cr2 = vector == VEC_PF ? cr2 : 0;
	out->cr2_hi = 0;
	out->nalt = 0;
}

int platform_page_walk(const struct access *a, uint64_t start, uint64_t len, bool write,
		       bool fetch, struct rule_verdict *pf)
{
	for (int page = 0; len; page++) {
		uint64_t chunk = PAGE_SIZE - (start & (PAGE_SIZE - 1));

		if (rule_page_faults(a, start, write, fetch, pf))
			return page;
		if (chunk > len)
			chunk = len;
		start += chunk;
		len -= chunk;
	}
	return -1;
}

/* access.gate_ist is the IST of the #SS, #GP and #PF gates only (the
 * executor's IST_PROBE, probes/exec.c): any other vector (#AC) is delivered
 * through its own gate, which has none. */
unsigned platform_gate_ist(const struct access *a, int vector)
{
	return vector == VEC_SS || vector == VEC_GP || vector == VEC_PF ? a->gate_ist : 0;
}

/* The manuals, 64-bit mode.  Exception: rules.c.  Frame (SDM Vol. 3 6.14):
 *  - #SS/#GP/#PF are faults: the saved RIP is the faulting instruction
 *    (6.5), and its stack effects are undone: saved RSP = pre-fault RSP
 *    (6.14.2: the RSP pushed is the one before the 16-byte alignment);
 *  - a branch to a canonical target completes; the fetch at the target
 *    faults there: saved RIP = the target (or the later instruction whose
 *    bytes run into a non-present or non-canonical page), and the call's
 *    push / the ret's pop have happened (saved RSP = pre - 8 / pre + 8).
 *    A non-canonical
 *    target is a #GP(0) of the branch itself (SDM Vol. 2 CALL/JMP/RET,
 *    64-Bit Mode Exceptions): saved RIP = the branch;
 *  - stack: an IST gate switches to that IST stack unconditionally (6.14.5),
 *    otherwise a CPL change switches to RSP0 (6.14.4), else the current
 *    stack; RSP is aligned down to 16 first and SS:RSP always pushed
 *    (6.14.2), each slot 8 bytes, selectors zero-extended;
 *  - SS in the handler: "the new SS is set to NULL if there is a change in
 *    CPL" (6.14.4); with no CPL change it stays as it was;
 *  - RF: "For any fault-class exception except a debug exception generated
 *    in response to an instruction breakpoint, the value pushed for RF is
 *    1" (Vol. 3 17.3.1.1; 18.3.1.1 in recent editions). */
void platform_frame64(const struct access *a, struct platform_outcome *out)
{
	struct access_span span;

	out->frame_cs = a->sel_cs;
	out->frame_ss = a->sel_ss;
	out->rip_at = 0;
	out->rsp_delta = 0;
	out->stack = 0;
	out->handler_ss = -1;
	out->rf = -1;
	out->aligned16 = out->ss_sp_pushed = false;
	out->cs_slot_zero_ext = -1;
	if (out->vector == VEC_NONE)
		return;
	access_span(a, &span);
	out->rip_at = "insn";
	/* The branch completed and the fetch from its target faulted: a #PF,
	 * or a #GP from a canonical target whose bytes run into the hole.  The
	 * saved RIP is the instruction whose fetch faulted: the target's own,
	 * or one after it that the target ran into (fetch_insn_off). */
	if (span.fetch && (out->vector == VEC_PF ||
			   addr_is_canonical(a->addr, a->paging_levels))) {
		out->rip_at = a->fetch_insn_off ? "other" : "target";
		out->rsp_delta = a->op == OP_CALL ? -8 : a->op == OP_RET ? 8 : 0;
	}
	out->stack = platform_gate_ist(a, out->vector) ? stack_name(a->gate_ist) :
		     a->cpl ? "rsp0" : "cur";
	out->handler_ss = a->cpl ? 0 : a->sel_ss;
	out->rf = 1;
	out->aligned16 = true;
	out->ss_sp_pushed = true;
	out->cs_slot_zero_ext = 1;
}

static bool str_is(const char *s, const char *t)
{
	return s && fp_strcmp(s, t) == 0;
}

/* An access whose delivery is modelled: the exception, the CPL it is taken
 * from, the saved RIP and the stack come from the verdict (rules_ret.c,
 * rules_deliver.c).  The rest of the frame, from the manuals:
 *  - the interrupted context is the probed instruction's (sel_cs, sel_ss,
 *    the pre-fault RSP) or, for an event at a return's target, the
 *    return's: CS and SS are the return's (SDM Vol. 2 SYSRET, IRET); SYSRET
 *    keeps RSP (saved RSP = the pre-fault one, 8 lower once the push at the
 *    target ran), IRETQ loads another (no relation to the pre-fault RSP);
 *  - SS in the handler: NULL after a CPL change (Vol. 3 6.14.4), else the
 *    context's SS (an IST switch alone does not load SS, 6.14.5);
 *  - RF: 1 for a fault (17.3.1.1); the #BP trap pushes RFLAGS as it is
 *    (the probes run with RF clear: 0); the manuals say nothing for the
 *    #DF abort (open);
 *  - #DF: "the saved contents of CS and EIP registers are undefined"
 *    (6.15 int 8): neither the saved RIP nor the CS slot is predicted;
 *    CR2 is the last #PF's before it (none: 0). */
void platform_from_delivery(const struct access *a, const struct rule_verdict *v,
			    struct platform_outcome *out)
{
	bool df = v->vector == VEC_DF;
	const char *event_rip = df ? v->df_rip_at : v->rip_at;

	*out = (struct platform_outcome){
		.known = true,
		.vector = v->vector,
		.error_code = v->vector == VEC_NONE ? 0 : v->error_code,
		.error_mask = v->vector == VEC_NONE ? 0 : v->error_mask,
		.cr2 = v->vector == VEC_PF || df ? v->cr2 : 0,
		.frame_cs = v->at_target ? a->ret.cs : a->sel_cs,
		.frame_ss = v->at_target ? a->ret.ss : a->sel_ss,
		.handler_ss = -1,
		.rf = -1,
		.cs_slot_zero_ext = -1,
	};
	if (v->vector == VEC_NONE)
		return;
	out->rip_at = v->rip_at;
	out->frame_cs_open = df;
	if (!v->at_target)
		out->rsp_delta = 0;
	else if (a->op == OP_SYSRET)
		out->rsp_delta = str_is(event_rip, "target+2") ? -8 : 0;
	else
		out->rsp_delta = RSP_DELTA_NONE;
	out->stack = v->stack;
	out->handler_ss = v->fault_cpl == 3 ? 0 : out->frame_ss;
	out->rf = v->vector == VEC_BP ? 0 : df ? -1 : 1;
	out->aligned16 = true;
	out->ss_sp_pushed = true;
	out->cs_slot_zero_ext = 1;
}

/* The rule's verdict as the outcome's exception, with alternative `choice`
 * (1..v.nalt) swapped in for the verdict when asked. */
void platform_rule64_choice(const struct access *a, unsigned choice, struct platform_outcome *out)
{
	struct rule_verdict v;
	struct access_span span;

	rule_predict(a, &v);
	if (a->deliver) {
		platform_from_delivery(a, &v, out);
		return;
	}
	access_span(a, &span);
	*out = (struct platform_outcome){
		.known = span.known,
		.unknown_why = span.known ? 0 : "an operation the model does not know",
		.vector = v.vector,
		.error_code = v.error_code,
		.error_mask = v.error_mask,
		.cr2 = v.cr2,
		.cr2_hi = v.cr2_hi,
	};
	for (unsigned i = 0; i < v.nalt && i < RULE_MAX_ALT && i < PLATFORM_MAX_ALT; i++)
		out->alt[out->nalt++] = (struct platform_alt){
			v.alt[i].vector, v.alt[i].error_code, v.alt[i].error_mask,
			v.alt[i].cr2, v.alt[i].cr2_hi,
		};
	if (choice && choice <= out->nalt) {
		struct platform_alt was = { out->vector, out->error_code, out->error_mask,
					    out->cr2, out->cr2_hi };
		struct platform_alt *alt = &out->alt[choice - 1];
		out->vector = alt->vector;
		out->error_code = alt->error_code;
		out->error_mask = alt->vector == VEC_NONE ? 0 : alt->error_mask;
		out->cr2 = alt->cr2;
		out->cr2_hi = alt->cr2_hi;
		*alt = was;
	}
	platform_frame64(a, out);
}

void platform_rule64(const struct access *a, struct platform_outcome *out)
{
	platform_rule64_choice(a, 0, out);
}

static bool exception_matches(int want, uint32_t want_err, uint32_t mask, uint64_t want_cr2,
			      uint64_t cr2_hi, int vector, uint32_t err, uint64_t cr2)
{
	if (vector != want)
		return false;
	if (vector == VEC_NONE)
		return true;
	if (vector_has_error_code(vector) && ((err ^ want_err) & mask) != 0)
		return false;
	return vector != VEC_PF || cr2 == want_cr2 ||
	       (cr2_hi > want_cr2 && cr2 > want_cr2 && cr2 <= cr2_hi);
}

int platform_outcome_choice(const struct platform_outcome *o, int vector, uint32_t err,
			    uint64_t cr2)
{
	if (exception_matches(o->vector, o->error_code, o->error_mask, o->cr2, o->cr2_hi,
			      vector, err, cr2))
		return 0;
	for (unsigned i = 0; i < o->nalt && i < PLATFORM_MAX_ALT; i++)
		if (exception_matches(o->alt[i].vector, o->alt[i].error_code,
				      o->alt[i].error_mask, o->alt[i].cr2, o->alt[i].cr2_hi,
				      vector, err, cr2))
			return (int)i + 1;
	return -1;
}

/* The manuals, 32-bit protected mode without a privilege change (SDM
 * Vol. 3 6.12.1): EFLAGS, CS, EIP (+ error code) on the current stack, no
 * SS:ESP, no alignment (a 64-bit-mode rule, 6.14.2); saved EIP = the
 * faulting instruction; RF = 1 (17.3.1.1).  The CS slot is a dword whose
 * upper half the manuals leave open (SDM Vol. 2 PUSH: a zero-extended
 * value or a 16-bit move): unknown. */
void platform_frame32(const struct access32 *a, struct platform_outcome *out)
{
	out->frame_cs = a->sel_cs;
	out->frame_ss = 0;
	out->rip_at = 0;
	out->rsp_delta = 0;
	out->stack = 0;
	out->handler_ss = -1;
	out->rf = -1;
	out->aligned16 = out->ss_sp_pushed = false;
	out->cs_slot_zero_ext = -1;
	if (out->vector == VEC_NONE)
		return;
	out->rip_at = "insn";
	out->stack = "cur";
	out->rf = 1;
}

void platform_rule32(const struct access32 *a, struct platform_outcome *out)
{
	struct rule_verdict v;

	rule_predict32(a, &v);
	*out = (struct platform_outcome){
		.known = true,
		.vector = v.vector,
		.error_code = v.error_code,
		.error_mask = v.error_mask,
		.cr2 = v.cr2,
	};
	platform_frame32(a, out);
	if (a->op == A32_LOAD_SREG && v.vector == VEC_NONE)
		platform_unknown(out, "a selector load within the table: descriptor checks are not modelled");
}
