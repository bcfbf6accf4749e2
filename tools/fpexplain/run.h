/* One input text, start to finish: scan, parse every report, explain it,
 * print it.  Used by main.c, the unit tests and the fuzz target. */
#ifndef FX_RUN_H
#define FX_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "explain.h"
#include "report.h"

struct fx_run_opts {
	bool json;
	struct fx_options ex;
	unsigned first_no;              /* number of the first report (1, ...) */
};

/* Parse `data` into reports (sorted by input line).  False: out of memory. */
bool fx_collect(const char *data, size_t len, struct fx_reports *out, size_t *nul_bytes);

/* Explain and print every report; returns how many were printed, or -1
 * when memory ran out. */
long fx_run(const char *data, size_t len, const struct fx_run_opts *o, FILE *out);

#endif
