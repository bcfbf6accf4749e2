/* Shared by the platform models (platform*.c) only: the manuals' outcome
 * every model starts from, and the helpers the emulator models use to
 * depart from it.  Not for consumers: they include platform.h. */
#ifndef FP_PLATFORM_IMPL_H
#define FP_PLATFORM_IMPL_H

#include "platform.h"
#include "rules.h"

/* The manuals (the silicon model): the rule for the exception, and the
 * frame the SDM describes for it. */
void platform_rule64(const struct access *a, struct platform_outcome *out);
/* The same with alternative `choice` (1..nalt of the rule's verdict)
 * swapped in for the verdict (0: the verdict itself). */
void platform_rule64_choice(const struct access *a, unsigned choice, struct platform_outcome *out);
void platform_rule32(const struct access32 *a, struct platform_outcome *out);
/* The manuals' frame for the exception now in *out (nothing when
 * out->vector is VEC_NONE): called by platform_rule64/32, and by a model
 * after it replaced the exception. */
void platform_frame64(const struct access *a, struct platform_outcome *out);
void platform_frame32(const struct access32 *a, struct platform_outcome *out);
/* An access with event delivery modelled (a->deliver: the sysret and
 * badstack families): the outcome from the delivery verdict `v` (rules.h
 * rule_predict_steps), the exception and the frame facts; the manuals'
 * (platform_rule64) or a model's own, computed with its rule_steps. */
void platform_from_delivery(const struct access *a, const struct rule_verdict *v,
			    struct platform_outcome *out);

/* The emulator models (platform_tcg.c, platform_kvm.c, platform_bochs.c):
 * each receives the manuals' outcome in *out and edits it. */
void platform_tcg64(const struct access *a, struct platform_outcome *out);
void platform_tcg32(const struct access32 *a, struct platform_outcome *out);
void platform_kvm64(const struct access *a, struct platform_outcome *out);
void platform_kvm32(const struct access32 *a, struct platform_outcome *out);
void platform_bochs64(const struct access *a, struct platform_outcome *out);
void platform_bochs32(const struct access32 *a, struct platform_outcome *out);

/* The IST a fault of `vector` is delivered on (0: none): a->gate_ist for
 * #SS/#GP/#PF, 0 for the other vectors. */
unsigned platform_gate_ist(const struct access *a, int vector);

/* Record a named departure (docs/deviations.md heading). */
void platform_deviate(struct platform_outcome *out, const char *name, const char *why);
/* The model cannot place this access. */
void platform_unknown(struct platform_outcome *out, const char *why);
/* Replace the exception (vector, error code with a full mask, CR2); the
 * model then calls platform_frame64/32 to redo the frame facts. */
void platform_set_exception(struct platform_outcome *out, int vector, uint32_t err,
			    uint64_t cr2);

/* Paging for [start, start+len), page by page in address order (modulo
 * 2^64), as rules.c does it: returns the index of the first page that
 * faults (0 = the page of `start`) with its #PF verdict in *pf (CR2 = the
 * access's first byte on that page), or -1 when no page faults. */
int platform_page_walk(const struct access *a, uint64_t start, uint64_t len, bool write,
		       bool fetch, struct rule_verdict *pf);

#endif
