/* The rule for loads of a segment base (issue 11 family 7): WRFSBASE,
 * WRGSBASE and WRMSR of FS_BASE/GS_BASE/KERNEL_GS_BASE (rules_regload.c).
 * Called by rule_predict_steps() (rules.c) before the memory rules. */
#ifndef FP_RULES_REGLOAD_H
#define FP_RULES_REGLOAD_H

#include <stdbool.h>
#include "rules.h"

/* OP_WRFSBASE/OP_WRGSBASE/OP_WRMSR: fill *out and return true; otherwise
 * false. */
bool rule_predict_regload(const struct access *a, struct rule_verdict *out);

/* The canonical width a base-address register load is checked against:
 * 5 (57-bit) when the processor supports 5-level paging, else 4 (48-bit),
 * whatever CR4.LA57 is. */
unsigned regload_canonical_levels(const struct access *a);

#endif
