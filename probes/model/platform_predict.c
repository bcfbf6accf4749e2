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

void platform_predict_choice(enum platform_model m, const struct access *a, unsigned choice,
			     struct platform_outcome *out)
{
	platform_rule64_choice(a, choice, out);
	if (!out->known)
		return;
	switch (m) {
	case PLATFORM_SILICON:
		break;
	case PLATFORM_TCG:
		platform_tcg64(a, out);
		break;
	case PLATFORM_KVM_EMULATOR:
		platform_kvm64(a, out);
		break;
	case PLATFORM_BOCHS:
		platform_bochs64(a, out);
		break;
	default:
		platform_unknown(out, "no such platform model");
		break;
	}
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
	switch (m) {
	case PLATFORM_SILICON:
		break;
	case PLATFORM_TCG:
		platform_tcg32(a, out);
		break;
	case PLATFORM_KVM_EMULATOR:
		platform_kvm32(a, out);
		break;
	case PLATFORM_BOCHS:
		platform_bochs32(a, out);
		break;
	default:
		platform_unknown(out, "no such platform model");
		break;
	}
}
