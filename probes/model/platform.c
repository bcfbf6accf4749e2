/* Platform models (platform.h).  The silicon model is the rule; the
 * emulator models are filled in by platform_<name>.c. */
#include "platform.h"
#include "rules.h"
#include "vectors.h"
#include "fmt.h"

static const char *const model_names[PLATFORM_COUNT] = {
	[PLATFORM_SILICON] = "silicon",
	[PLATFORM_TCG] = "tcg",
	[PLATFORM_KVM_EMULATOR] = "kvm-emulator",
	[PLATFORM_BOCHS] = "bochs",
};

const char *platform_model_name(enum platform_model m)
{
	return (unsigned)m < PLATFORM_COUNT ? model_names[m] : "?";
}

bool platform_model_parse(const char *s, enum platform_model *m)
{
	for (unsigned i = 0; i < PLATFORM_COUNT; i++)
		if (s && fp_strcmp(s, model_names[i]) == 0) {
			*m = (enum platform_model)i;
			return true;
		}
	return false;
}

/* The rule, as an outcome: saved RIP = the faulting instruction for every
 * fault (SDM Vol. 3 6.5: #SS, #GP and #PF are faults). */
static void from_rule(const struct access *a, struct platform_outcome *out)
{
	struct rule_verdict v;

	rule_predict(a, &v);
	*out = (struct platform_outcome){
		.known = true,
		.vector = v.vector,
		.error_code = v.error_code,
		.error_mask = v.error_mask,
		.cr2 = v.cr2,
		.rip_at = v.vector == VEC_NONE ? 0 : "insn",
	};
}

void platform_predict(enum platform_model m, const struct access *a,
		      struct platform_outcome *out)
{
	from_rule(a, out);
	if (m == PLATFORM_SILICON)
		return;
	/* Emulator models: not written yet. */
	out->known = false;
	out->why = "no model for this platform yet";
}
