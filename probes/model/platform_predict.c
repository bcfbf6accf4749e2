/* Platform models (platform.h): the dispatch to the model a platform
 * names -- the manuals' outcome (platform.c), then the emulator model's
 * edits (platform_tcg.c, platform_kvm.c, platform_bochs.c) -- and what is
 * answered by asking a model twice (segment-blind evidence). */
#include "platform_impl.h"
#include "vectors.h"

bool platform_segment_blind(enum platform_model m, const struct access *a)
{
	struct access other = *a;
	struct rule_verdict r1, r2;
	struct platform_outcome p1, p2;

	if ((a->op != OP_LOAD && a->op != OP_STORE) || a->base == GPR_NONE ||
	    a->prefix == SEGP_FS || a->prefix == SEGP_GS)
		return false;
	/* the same bytes through the other implied segment */
	other.base = effective_segment(a->base, a->prefix) == SEG_SS ? GPR_RAX : GPR_RBP;
	if (other.index == other.base)
		other.index = GPR_NONE;   /* the index adds nothing: the address is a->addr */
	rule_predict(a, &r1);
	rule_predict(&other, &r2);
	if (r1.vector == r2.vector)
		return false;             /* the manuals do not tell them apart here */
	platform_predict(m, a, &p1);
	platform_predict(m, &other, &p2);
	return p1.known && p2.known && p1.vector == p2.vector;
}

/* Each emulator model edits the manuals' outcome; silicon keeps it. */
static const struct {
	void (*edit64)(const struct access *a, struct platform_outcome *out);
	void (*edit32)(const struct access32 *a, struct platform_outcome *out);
} models[PLATFORM_COUNT] = {
	[PLATFORM_SILICON] = { 0, 0 },
	[PLATFORM_TCG] = { platform_tcg64, platform_tcg32 },
	[PLATFORM_KVM_EMULATOR] = { platform_kvm64, platform_kvm32 },
	[PLATFORM_BOCHS] = { platform_bochs64, platform_bochs32 },
};

void platform_predict_choice(enum platform_model m, const struct access *a, unsigned choice,
			     struct platform_outcome *out)
{
	platform_rule64_choice(a, choice, out);
	if (!out->known)
		return;
	if ((unsigned)m >= PLATFORM_COUNT)
		platform_unknown(out, "no such platform model");
	else if (models[m].edit64)
		models[m].edit64(a, out);
}

void platform_predict(enum platform_model m, const struct access *a,
		      struct platform_outcome *out)
{
	platform_predict_choice(m, a, 0, out);
}

void platform_predict32(enum platform_model m, const struct access32 *a,
			struct platform_outcome *out)
{
	platform_rule32(a, out);
	if (!out->known)
		return;
	if ((unsigned)m >= PLATFORM_COUNT)
		platform_unknown(out, "no such platform model");
	else if (models[m].edit32)
		models[m].edit32(a, out);
}
