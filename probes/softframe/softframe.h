/* The softframe family's record and side-by-side view (portable, unit-tested). */
#ifndef FP_SOFTFRAME_FAMILY_H
#define FP_SOFTFRAME_FAMILY_H

#include "../model/frame_rules.h"
#include "../../report/rec.h"

/* `softframe case=... slot=<name> hw=0x.. sw=0x.. same=yes|no ...` */
void sf_record(struct rec *rec, const struct sf_case *c, enum sf_slot s,
	       const struct sf_diff *d, const char *platform);
/* One row of the human side-by-side table, and its header. */
void sf_format_header(struct strbuf *sb);
void sf_format_row(struct strbuf *sb, enum sf_slot s, const struct sf_diff *d);

#endif
