/* One 32-bit protected-mode access, as the prot32 probes make them
 * (boot/prot32.h): CPL 0, no privilege change, DS and SS set up by the
 * probe.  Pure C that depends on nothing.
 *
 * Sources: SDM Vol. 3 3.4.2 (selectors: index, TI, RPL), 3.5.1 (descriptor
 * table limits), 5.3 (limit checking), 6.13 (error code), 6.15 (interrupts
 * 12, 13, 14); SDM Vol. 2 MOV, "Protected Mode Exceptions"; SDM Vol. 1
 * 3.7.4 (an EBP base implies SS). */
#ifndef FP_ACCESS32_H
#define FP_ACCESS32_H

#include <stdbool.h>
#include <stdint.h>
#include "access.h"

enum access32_op {
	A32_LOAD_SREG,  /* mov %ax,%ds: load DS with `selector`                 */
	A32_LOAD,       /* mov (%base),%eax: read `width` bytes at `offset`     */
	A32_STORE,      /* mov %eax,(%base): write `width` bytes at `offset`    */
};

struct access32 {
	enum access32_op op;
	int base;               /* GPR_RBX, GPR_RBP, ... read as ebx, ebp: an
	                           EBP/ESP base goes through SS, others DS      */
	unsigned width;         /* bytes                                       */
	uint32_t offset;        /* effective address (A32_LOAD, A32_STORE)     */
	uint16_t selector;      /* A32_LOAD_SREG                               */
	uint32_t gdt_limit;     /* GDTR.limit (A32_LOAD_SREG); no LDT is loaded */
	/* The segment the access goes through (DS, or SS for an EBP base). */
	bool seg_null;          /* it holds the NULL selector (DS only)        */
	uint32_t seg_base;
	uint32_t seg_limit;     /* byte limit of an expand-up data segment     */
	bool paging;            /* CR0.PG (PAE or 32-bit paging)               */
	enum cpu_vendor vendor;
	page_query_fn page_query;
	void *page_ctx;
	/* How a fault is delivered (read by the platform models only). */
	uint16_t sel_cs;        /* CS selector while the probe runs            */
};

/* "ds" or "ss": the segment an A32_LOAD/A32_STORE goes through. */
bool access32_uses_ss(const struct access32 *a);

#endif
