/* The rule for `movs` with both operands modelled (issue 11 family 6):
 * rules_string.c.  Called by rule_predict_steps() (rules.c) before the
 * REP rule; its elements are rule_predict_one() verdicts. */
#ifndef FP_RULES_STRING_H
#define FP_RULES_STRING_H

#include <stdbool.h>
#include "rules.h"

/* OP_MOVS with dst_known: fill *out and return true; otherwise false. */
bool rule_predict_movs(const struct access *a, struct rule_verdict *out);

#endif
