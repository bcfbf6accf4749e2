/* The frame family's record (`frame k=v ...`), portable for the unit tests. */
#ifndef FP_FRAME_FAMILY_H
#define FP_FRAME_FAMILY_H

#include "../model/frame_rules.h"
#include "../../report/rec.h"

void frame_record(struct rec *rec, const struct frame_obs *o, const struct frame_verdict *v);

#endif
