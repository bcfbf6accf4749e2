/* The fixup table: { faulting RIP, resume RIP } pairs that probe stubs add
 * to the .extable section (probes/probe.inc), as in XTF's extable.  The
 * linker script brackets the section with __start_extable/__stop_extable
 * (linker.ld for the kernel, tools/user/extable.ld for faultprobe-user). */
#ifndef FP_EXTABLE_H
#define FP_EXTABLE_H

#include <stdbool.h>
#include <stdint.h>

struct extable_entry {
	uint64_t fault_rip;
	uint64_t resume_rip;
};

/* The entry whose fault_rip is `rip`, or NULL. */
const struct extable_entry *extable_find(uint64_t rip);
/* The first entry whose fault_rip is at or above `rip` (a stub's own
 * entry, looked up from the stub's address before it runs), or NULL. */
const struct extable_entry *extable_at_or_after(uint64_t rip);
/* Whether the table has any entry (a link without it is broken). */
int extable_empty(void);

#endif
