/* The two report parsers.
 *
 * fx_parse_oopses(): Linux oopses (every title form listed in issue 8, old
 * and new kernels) and faultprobe's own oops dumps (report/oops.c).  A
 * report starts at its title and takes the first RIP/Code/RSP/register
 * block after it; the nested "RIP:" blocks Linux prints inside a call trace
 * (interrupted contexts) and the repeated block after "---[ end trace" are
 * not taken.
 *
 * fx_parse_crash(): `crash` sessions: `bt` / `bt -f` frames and stack rows,
 * `dis` lines, the "[exception RIP: ...]" register block.  A session
 * becomes a report when it holds an exception frame (frame.c). */
#ifndef FX_PARSE_H
#define FX_PARSE_H

#include <stdbool.h>

#include "report.h"
#include "text.h"

bool fx_parse_oopses(const struct fx_text *t, struct fx_reports *out);
bool fx_parse_crash(const struct fx_text *t, struct fx_reports *out);

/* One stack row "ffffabfa4b0ebb88: ffff8ef487c0e9c0 ffff8ef487c0e9c0"
 * (crash `bt -f`, with or without hand-written "[label]"s, or faultprobe's
 * "  addr: value [label]").  True if the line was a row. */
bool fx_parse_stack_row(const char *line, struct fx_stack *s);

/* The title recogniser (exposed for the unit tests). */
struct fx_title {
	enum {
		FX_T_NONE,
		FX_T_NAMED,     /* "<name>[, hint]: XXXX [#N]"                  */
		FX_T_OOPS,      /* "Oops: XXXX [#N]" (a #PF in Linux)           */
		FX_T_PF_BUG,    /* "BUG: unable to handle ... <address>"        */
		FX_T_GUARD,     /* "BUG: stack guard page was hit at ..."       */
		FX_T_END,       /* ends a report: end trace, WARNING, other BUG */
	} kind;
	int vector;
	bool have_err, have_seq, have_hint, have_addr, faultprobe;
	uint32_t err;
	unsigned seq;
	uint64_t hint, addr;
};
void fx_match_title(const char *line, struct fx_title *t);

#endif
