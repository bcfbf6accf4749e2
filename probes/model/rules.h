/* The architecture model: given what a probe does, which exception do the
 * manuals prescribe?  Pure C, no kernel dependencies: compiled into the
 * kernel, into faultprobe-user and into the host unit tests.
 *
 * Sources: Intel SDM Vol. 1 3.3.7.1 (canonical addressing; in 64-bit mode
 * the CS/DS/ES/SS overrides are ignored and a non-canonical reference
 * through RBP/RSP, a stack reference, is #SS), 3.7.4 (implied segment),
 * 3.4.2.1 (CS/DS/ES/SS bases are zero in 64-bit mode); SDM Vol. 3 4.1.1
 * (4-/5-level canonical width), 4.7 (#PF error code), 6.15 (interrupts
 * 12, 13, 14); AMD APM Vol. 3 1.2.4, Vol. 2 8.2.13-8.2.15.
 */
#ifndef FP_RULES_H
#define FP_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "access.h"
#include "access32.h"

/* #PF error code bits, SDM Vol. 3 4.7, Figure 4-12. */
#define PF_ERR_P    (1u << 0)
#define PF_ERR_WR   (1u << 1)
#define PF_ERR_US   (1u << 2)
#define PF_ERR_RSVD (1u << 3)
#define PF_ERR_ID   (1u << 4)

struct rule_verdict {
	int vector;             /* VEC_SS, VEC_GP, VEC_PF or VEC_NONE (idt/vectors.h) */
	uint32_t error_code;    /* meaningful when vector has an error code */
	uint32_t error_mask;    /* which error code bits the model is sure of
	                           (e.g. P unknown for kernel pages seen from user) */
	uint64_t cr2;           /* #PF only: first faulting byte's linear address */
	enum segment segment;   /* segment of the faulting (or first) access */
	const char *reason;     /* short text, e.g. "non-canonical via SS" */
	unsigned rep_done;      /* REP string op: elements completed before the
	                           fault (RCX at the fault = rep - rep_done)   */
	const char *cite;       /* e.g. "SDM Vol.3 6.15 int 12; APM Vol.2 8.2.13" */
};

/* The manuals' prescription for one access.  Always fills *out. */
void rule_predict(const struct access *a, struct rule_verdict *out);

/* The paging step alone: does the access's byte at `linear` (its first
 * byte on that page) fault?  If so *out is the #PF verdict, CR2 = linear.
 * The platform models re-run paging with it under their own canonical
 * checks. */
bool rule_page_faults(const struct access *a, uint64_t linear, bool write, bool fetch,
		      struct rule_verdict *out);

/* The manuals' prescription for one 32-bit protected-mode access
 * (rules32.c).  Always fills *out. */
void rule_predict32(const struct access32 *a, struct rule_verdict *out);

/* Does an observation agree with a verdict?  Compares the vector, the error
 * code under error_mask, and CR2 for #PF. */
bool rule_agrees(const struct rule_verdict *v, int vector, uint64_t error_code,
		 uint64_t cr2);

/* What the CPU raises when exception `second` occurs while it delivers
 * exception `first` (SDM Vol.3 6.15 interrupt 8, Table 6-5): VEC_DF,
 * RULE_SHUTDOWN (a fault while delivering a #DF), or `second` itself
 * (handled serially). */
#define RULE_SHUTDOWN (-2)
int rule_combine(int first, int second);

#endif
