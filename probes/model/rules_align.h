/* Alignment in the rule model (issue 11 family 4): the #GP(0) of
 * instructions that require an aligned operand, and the #AC(0) of
 * alignment checking.  Called from rules.c, which orders every fault an
 * access qualifies for (rules.h, struct rule_alt). */
#ifndef FP_RULES_ALIGN_H
#define FP_RULES_ALIGN_H

#include <stdbool.h>
#include "access.h"

/* Does the instruction's own alignment requirement fail (#GP(0))? */
bool align_gp(const struct access *a, const struct access_span *span);
/* Does alignment checking raise #AC(0)?  *optional: the manuals leave it to
 * the implementation (a 16-byte unaligned move), so no fault is right too. */
bool align_ac(const struct access *a, const struct access_span *span, bool *optional);
/* The data-type alignment #AC checks for this access, 0 when none. */
unsigned align_ac_unit(const struct access *a, const struct access_span *span);

#endif
