/* The rule model's entry (rules.h): which rule an access is judged by --
 * a return (rules_ret.c), an event (rules_deliver.c), a register load
 * (rules_regload.c), a movs with both operands (rules_string.c), a REP
 * string element by element, or one access (rules.c) -- and the event
 * delivery after it.  The rules below call back only into rules.c's single
 * access, never into this dispatch. */
#include "rules.h"
#include "rules_regload.h"
#include "rules_string.h"
#include "vectors.h"

/* A REP string instruction is a sequence of single-element accesses, each
 * checked on its own (canonical form, then paging) in the order they run;
 * the first that faults stops it with RCX/RSI/RDI describing what is left
 * (SDM Vol. 2 REP/REPE/REPZ..., "Operation"; Vol. 3 6.5). */
static void predict_rep(const struct access *a, struct rule_verdict *out)
{
	struct access one = *a;
	one.rep = 0;
	for (unsigned i = 0; i < a->rep; i++) {
		uint64_t step = (uint64_t)i * a->width;
		one.addr = a->df ? a->addr - step : a->addr + step;
		rule_predict_one(&one, out);
		if (out->vector != VEC_NONE) {
			out->rep_done = i;
			return;
		}
	}
	out->rep_done = a->rep;
}

void rule_predict_steps(const struct access *a, const struct rule_steps *steps,
			struct rule_verdict *out)
{
	out->rep_done = 0;
	out->nalt = 0;
	out->cr2_hi = 0;
	out->fault_cpl = -1;
	out->rip_at = 0;
	out->stack = 0;
	out->ext = true;
	out->at_target = false;
	out->df_rip_at = 0;
	if (a->op == OP_SYSRET || a->op == OP_IRETQ)
		rule_predict_ret(a, steps, out);
	else if (a->op == OP_UD2 || a->op == OP_INT3)
		rule_predict_exc(a, out);
	else if (rule_predict_regload(a, out) || rule_predict_movs(a, out))
		;       /* register loads; movs with both operands (rules_string.c) */
	else if (a->rep >= 1 && (a->op == OP_LODS || a->op == OP_MOVS || a->op == OP_STOS))
		predict_rep(a, out);   /* REP with a count of 1 is one element */
	else if (a->deliver)
		rule_step_access(steps, a, out);
	else
		rule_predict_one(a, out);
	if (a->deliver)
		rule_deliver(a, steps, out);
}

void rule_predict(const struct access *a, struct rule_verdict *out)
{
	rule_predict_steps(a, 0, out);
}

