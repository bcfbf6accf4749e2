/* The prot32 family: what probes/prot32/prot32_probes.asm left at boot, and its
 * record and stack view. */
#ifndef FP_PROT32_FAMILY_H
#define FP_PROT32_FAMILY_H

#include "../model/prot32_rules.h"
#include "../../report/rec.h"

/* Written by probes/prot32/prot32_probes.asm. */
extern struct prot32_raw prot32_records[P32_RECORDS];
extern uint32_t prot32_count;   /* records completed                     */
extern uint32_t prot32_status;  /* 0 never ran, 1 complete               */

/* `prot32 id=.. probe=.. ... mode=prot32 platform=..` */
void p32_record(struct rec *rec, unsigned id, const struct prot32_raw *r,
		const struct p32_verdict *v, const char *platform);
/* The stack around the frame, one dword per line, like `crash> bt -f` with
 * the slots labelled ([Error Code] [eip] [CS] [EFLAGS], pre-fault ESP). */
typedef void (*p32_line_fn)(void *ctx, const char *line);
void p32_format_stack(const struct prot32_raw *r, const struct p32_verdict *v,
		      p32_line_fn out, void *ctx);

#endif
