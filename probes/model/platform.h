/* Executable platform models: what one platform does for one access.
 *
 * `silicon` is the manuals' rule (rules.c); every other model starts from
 * the rule and departs from it only in named, commented branches, each
 * citing the emulator source that explains it (docs/deviations.md keeps
 * the prose).  Pure C that depends on nothing: the kernel, faultprobe-user,
 * fpcheck, fpexplain and the unit tests share it. */
#ifndef FP_PLATFORM_H
#define FP_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>
#include "access.h"

enum platform_model {
	PLATFORM_SILICON,       /* the SDM/APM rule: metal, linux-user, hardware-virtualised KVM */
	PLATFORM_TCG,           /* QEMU 7.2 TCG                                   */
	PLATFORM_KVM_EMULATOR,  /* KVM's instruction emulator delivering the fault */
	PLATFORM_BOCHS,         /* Bochs 2.7                                      */
	PLATFORM_COUNT,
};

struct platform_outcome {
	bool known;             /* false: the model cannot place this access   */
	int vector;             /* VEC_* or VEC_NONE                             */
	uint32_t error_code;
	uint32_t error_mask;    /* error-code bits the model is sure of         */
	uint64_t cr2;           /* #PF: the linear address reported             */
	const char *rip_at;     /* "insn" (saved RIP = the faulting instruction)
	                           or "target" (a branch completed, the target
	                           faulted); NULL when nothing faulted          */
	const char *deviation;  /* NULL: as the rule says; else the name of the
	                           deviation (a `##` heading of docs/deviations.md) */
	const char *why;        /* one line: the emulator source behind it      */
};

/* "silicon", "tcg", "kvm-emulator", "bochs". */
const char *platform_model_name(enum platform_model m);
bool platform_model_parse(const char *s, enum platform_model *m);

/* What platform `m` does for access `a`.  Always fills *out. */
void platform_predict(enum platform_model m, const struct access *a,
		      struct platform_outcome *out);

#endif
