/* Executable platform models: what one platform does for one access.
 *
 * `silicon` is the manuals' rule (rules.c, rules32.c) plus the manuals'
 * frame rules; every other model starts from that and departs from it only
 * in named, commented branches, each citing the emulator source that
 * explains it (docs/deviations.md keeps the prose, under `##` headings
 * with the same names).  Pure C that depends on nothing: the kernel,
 * faultprobe-user, fpcheck, fpexplain and the unit tests share it.
 *
 * What a model answers, for one access (struct access: 64-bit mode; struct
 * access32: the 32-bit protected-mode probes):
 *   - the exception: vector, error code (and which bits it is sure of), CR2;
 *   - where the frame points and what it holds: the saved RIP (the faulting
 *     instruction, or a branch target that faulted), the saved RSP against
 *     the pre-fault RSP, the stack the frame lands on, the SS the handler
 *     runs with, RF in the pushed RFLAGS, the CS/SS slots, 16-byte
 *     alignment, whether SS:RSP is pushed, zero-extension of the CS slot.
 * A model asked about an access outside what it knows says so
 * (known = false, unknown_why): callers report that as "unknown", never as
 * a match. */
#ifndef FP_PLATFORM_H
#define FP_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>
#include "access.h"
#include "access32.h"

enum platform_model {
	PLATFORM_SILICON,       /* the SDM/APM rule: metal, linux-user, hardware-virtualised KVM */
	PLATFORM_TCG,           /* QEMU 7.2 TCG                                   */
	PLATFORM_KVM_EMULATOR,  /* KVM's instruction emulator delivering the fault */
	PLATFORM_BOCHS,         /* Bochs 2.7                                      */
	PLATFORM_COUNT,
};

#define PLATFORM_MAX_DEV 4
#define PLATFORM_MAX_ALT 3      /* = RULE_MAX_ALT (rules.h) */

/* Another exception the model equally allows for the same access: where
 * the manuals leave the order of several faults of one class to the
 * implementation (SDM Vol. 3 6.9), the silicon model cannot say which one a
 * given CPU picks (rules.h, struct rule_alt).  The emulator models pick one:
 * they are programs whose order the source settles. */
struct platform_alt {
	int vector;
	uint32_t error_code, error_mask;
	uint64_t cr2, cr2_hi;
};

/* One departure from the manuals, named as in docs/deviations.md. */
struct platform_deviation {
	const char *name;       /* e.g. "tcg-straddle-pf"                       */
	const char *why;        /* one line: the emulator source behind it      */
};

/* saved RSP - pre-fault RSP, for the relations the records print. */
enum { RSP_DELTA_NONE = 0x7fff };

struct platform_outcome {
	bool known;             /* false: the model cannot place this access   */
	const char *unknown_why;/* why not, when !known                         */

	/* The exception. */
	int vector;             /* VEC_* or VEC_NONE                             */
	uint32_t error_code;
	uint32_t error_mask;    /* error-code bits the model is sure of         */
	uint64_t cr2;           /* #PF: the linear address reported; #DF: the
	                           last #PF's before it, 0 when none           */
	uint64_t cr2_hi;        /* > cr2: CR2 may be any byte up to this one (a
	                           save area stored in no defined order)       */
	unsigned nalt;          /* alternatives to the exception above          */
	struct platform_alt alt[PLATFORM_MAX_ALT];

	/* The frame (meaningful when vector != VEC_NONE). */
	const char *rip_at;     /* "insn" (saved RIP = the faulting instruction)
	                           or "target" (a branch completed, the target
	                           faulted); a return's target: "target",
	                           "target+1", "target+2" (past the int3 there);
	                           NULL when nothing faulted, or where the
	                           model does not predict it (a #DF)           */
	int rsp_delta;          /* saved RSP - pre-fault RSP: 0, -8 (a call
	                           pushed), +8 (a ret popped); 64-bit only       */
	const char *stack;      /* "cur", "ist1".."ist7", "rsp0"                */
	int handler_ss;         /* SS selector inside the handler, -1: unknown  */
	uint16_t frame_cs, frame_ss; /* the CS and SS slots (the interrupted
	                           selectors); 32-bit frames: CS only           */
	bool frame_cs_open;     /* the CS slot is not predicted: "the saved
	                           contents of CS and EIP registers are
	                           undefined" for a #DF (SDM Vol. 3 6.15 int 8) */
	int rf;                 /* RF in the pushed (E/R)FLAGS image: 0, 1, or
	                           -1 unknown                                   */
	bool aligned16;         /* RSP aligned down to 16 before the pushes     */
	bool ss_sp_pushed;      /* SS:(E/R)SP pushed                            */
	int cs_slot_zero_ext;   /* the CS slot's upper bits are zero: 1, 0 (left
	                           as they were), -1 unknown (the manuals allow
	                           both for 32-bit pushes)                      */

	/* Where this platform departs from the manuals for this access. */
	unsigned ndev;
	struct platform_deviation dev[PLATFORM_MAX_DEV];
};

/* "silicon", "tcg", "kvm-emulator", "bochs". */
const char *platform_model_name(enum platform_model m);
bool platform_model_parse(const char *s, enum platform_model *m);

/* Whether an agreement on this access is no evidence of the segment rule:
 * the manuals give different answers for the same access through SS and
 * through DS (an RSP/RBP base against another base; SDM Vol. 1 3.3.7.1),
 * but platform m gives the same answer for both (e.g. TCG raises #GP for
 * any non-canonical address: tcg-noncanonical-gp), so its matching the
 * rule for one of them says nothing about whether it picked the right
 * segment.  Only loads and stores whose segment follows from the base
 * (no FS/GS prefix) can be asked; false for everything else.  Issue 11. */
bool platform_segment_blind(enum platform_model m, const struct access *a);

/* What platform `m` does for access `a` (64-bit mode; a->gate_ist, a->sel_cs
 * and a->sel_ss must be set).  Always fills *out. */
void platform_predict(enum platform_model m, const struct access *a,
		      struct platform_outcome *out);

/* The same with alternative `choice` (1..out->nalt of platform_predict's
 * answer) taken as the exception, the frame facts redone for it; choice 0
 * is platform_predict.  For a caller that has an observation: which of the
 * allowed exceptions happened decides the frame it should look like. */
void platform_predict_choice(enum platform_model m, const struct access *a, unsigned choice,
			     struct platform_outcome *out);

/* Whether an observed exception is the outcome's own (index 0) or one of its
 * alternatives (1..nalt): the error code under its mask, CR2 (within
 * [cr2, cr2_hi]) for #PF.  -1 when none. */
int platform_outcome_choice(const struct platform_outcome *o, int vector, uint32_t err,
			    uint64_t cr2);

/* The same for a 32-bit protected-mode access (CPL 0, no privilege change,
 * no IST: the prot32 probes). */
void platform_predict32(enum platform_model m, const struct access32 *a,
			struct platform_outcome *out);

/* Whether the outcome carries deviation `name`. */
bool platform_has_deviation(const struct platform_outcome *o, const char *name);

#endif
