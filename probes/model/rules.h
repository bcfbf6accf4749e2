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
#define PF_ERR_PK   (1u << 5)
#define PF_ERR_SS   (1u << 6)
#define PF_ERR_SGX  (1u << 15)

/* Another exception the manuals equally allow for the same access: when an
 * access qualifies for several faults of the same class ("faults on
 * executing an instruction": #SS, #GP, #PF, #AC), "exceptions within each
 * class are implementation-dependent and may vary from processor to
 * processor" (SDM Vol. 3 6.9, after Table 6-2). */
struct rule_alt {
	int vector;
	uint32_t error_code, error_mask;
	uint64_t cr2, cr2_hi;
	const char *reason;
};
#define RULE_MAX_ALT 3

struct rule_verdict {
	int vector;             /* VEC_SS, VEC_GP, VEC_PF or VEC_NONE (idt/vectors.h) */
	uint32_t error_code;    /* meaningful when vector has an error code */
	uint32_t error_mask;    /* which error code bits the model is sure of
	                           (e.g. P unknown for kernel pages seen from user) */
	uint64_t cr2;           /* #PF only: first faulting byte's linear address */
	uint64_t cr2_hi;        /* > cr2: CR2 may be any byte up to this one (a
	                           save area, stored in no defined order)    */
	enum segment segment;   /* segment of the faulting (or first) access */
	const char *reason;     /* short text, e.g. "non-canonical via SS" */
	unsigned rep_done;      /* REP string op: elements completed before the
	                           fault (RCX at the fault = rep - rep_done)   */
	const char *cite;       /* e.g. "SDM Vol.3 6.15 int 12; APM Vol.2 8.2.13" */
	unsigned nalt;          /* alternatives to the verdict above (6.9)    */
	struct rule_alt alt[RULE_MAX_ALT];

	/* Where the event is taken and delivered, for the rules that model it
	 * (returns, rules_ret.c; event delivery, rules_deliver.c).  Left at
	 * -1 / NULL by the others, and then not compared. */
	int fault_cpl;          /* CPL the event is taken from (the frame's CS RPL) */
	const char *rip_at;     /* the saved RIP: "insn" (the probed instruction),
	                           "insn+1" (past an int3), "target",
	                           "target+1", "target+2" (a return's target, or
	                           past an int3 there); NULL: undefined
	                           (#DF) or not modelled                          */
	const char *stack;      /* where the frame goes: "cur", "rsp0", "ist1".. */
	bool ext;               /* delivery faults set the error code's EXT bit:
	                           the event being delivered is not INT n/INT3  */
	bool at_target;         /* the event was taken at a return's target: its
	                           context is the return's CS, SS and RSP (for a
	                           #DF: the context of the event it replaced)   */
	const char *df_rip_at;  /* #DF: where the saved RIP of the event whose
	                           delivery failed pointed (the manuals leave the
	                           #DF's own undefined; emulators save this one) */
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
 * code under error_mask, and CR2 for #PF (and for a #DF the model gives a
 * CR2 for: the last #PF before it), against the verdict or any of its
 * alternatives. */
bool rule_agrees(const struct rule_verdict *v, int vector, uint64_t error_code,
		 uint64_t cr2);
/* The frame against the verdict's fault_cpl / rip_at / stack, each only
 * where the verdict models it: `frame_cs` (its RPL is the CPL the event
 * was taken from), where the saved RIP points (probe_rip_at()), and the
 * stack the frame went to (NULL: not observable, e.g. from user space). */
bool rule_agrees_frame(const struct rule_verdict *v, uint64_t frame_cs,
		       const char *rip_at, const char *stack);

/* The steps the return and delivery rules are composed of, as a platform
 * carries them out.  NULL (or a zero struct) is the manuals; a platform
 * model (platform_*.c) substitutes a step where its emulator departs, and
 * names the departure there.
 *   access   one memory access the rules make on their own: a frame push
 *            (rules_deliver.c), the fetch and the push at a return's
 *            target (rules_ret.c), and the probed instruction's own access;
 *            NULL: rule_predict_one.
 *   iretq_skips_rip_check   IRETQ loads a non-canonical RIP instead of
 *            raising #GP(0) (the fetch at the target then faults).
 *   ctx      for the access step. */
struct rule_steps {
	void (*access)(const struct rule_steps *s, const struct access *a,
		       struct rule_verdict *out);
	bool iretq_skips_rip_check;
	void *ctx;
};

/* rule_predict() with the steps of a platform (NULL: the manuals). */
void rule_predict_steps(const struct access *a, const struct rule_steps *steps,
			struct rule_verdict *out);

/* Model files rule_predict() dispatches to, one per family of rules. */
void rule_predict_ret(const struct access *a, const struct rule_steps *steps,
		      struct rule_verdict *out);                                 /* rules_ret.c */
void rule_deliver(const struct access *a, const struct rule_steps *steps,
		  struct rule_verdict *out);                                     /* rules_deliver.c */
void rule_predict_exc(const struct access *a, struct rule_verdict *out);    /* rules_deliver.c */
/* The one-instruction verdict (rules.c) the others build on. */
void rule_predict_one(const struct access *a, struct rule_verdict *out);
/* One step's access: steps->access, or rule_predict_one. */
void rule_step_access(const struct rule_steps *steps, const struct access *a,
		      struct rule_verdict *out);

/* What the CPU raises when exception `second` occurs while it delivers
 * exception `first` (SDM Vol.3 6.15 interrupt 8, Table 6-5): VEC_DF,
 * RULE_SHUTDOWN (a fault while delivering a #DF), or `second` itself
 * (handled serially). */
#define RULE_SHUTDOWN (-2)
int rule_combine(int first, int second);

#endif
