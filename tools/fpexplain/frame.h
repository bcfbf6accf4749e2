/* Exception frames in stack dumps: find the slots the CPU pushed (SDM
 * Vol.3 6.14, 6.14.2: SS, RSP, RFLAGS, CS, RIP, error code, each 8 bytes,
 * after aligning RSP down to 16) in a crash `bt -f` or a faultprobe dump,
 * label them as the seed's author labelled them by hand
 * ([Error Code] [ip] [CS] [RFLAGS] [sp] [ss], the pad, Linux's pt_regs
 * slots [r15] .. [di] below), check them against the 64-bit rules, and
 * turn a crash session into reports. */
#ifndef FX_FRAME_H
#define FX_FRAME_H

#include <stdbool.h>

#include "report.h"

/* The vector a Linux exception entry point handles ("stack_segment",
 * "asm_exc_page_fault", ...), VEC_NONE if `func` is not one. */
int fx_entry_vector(const char *func);

/* Locate the hardware frame in `r->stack` (faultprobe dumps, crash
 * sessions), label the slots, fill r->frame.  `linux_pt_regs`: label the
 * registers Linux's entry code saved below the frame. */
bool fx_find_hwframe(struct fx_report *r, bool linux_pt_regs);

/* One report per exception frame found in a crash session (crash_parse.c);
 * the stack is moved into the first report. */
bool fx_crash_reports(struct fx_stack *st, unsigned first_line, struct fx_reports *out);

#endif
