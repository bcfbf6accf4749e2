/* Output: the human explanation (one screen per report), the machine line
 * ("explain oops=1 title=#SS ... bochs=#SS", keys added, never renamed)
 * and the same keys as one JSON object per report (--json).  Both machine
 * forms are built from one key list, so they cannot drift apart. */
#ifndef FX_OUTPUT_H
#define FX_OUTPUT_H

#include <stdio.h>

#include "explain.h"
#include "report.h"
#include "valdecode.h"

void fx_print_human(FILE *out, unsigned no, const struct fx_report *r, const struct fx_expl *x,
		    const struct fx_value *val);
void fx_print_line(FILE *out, unsigned no, const struct fx_report *r, const struct fx_expl *x,
		   const struct fx_value *val);
void fx_print_json(FILE *out, unsigned no, const struct fx_report *r, const struct fx_expl *x,
		   const struct fx_value *val);

#endif
