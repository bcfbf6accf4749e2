/* faultprobe-user's half of the registry: the families flagged FAM_USER in
 * probes/families.def, bound weakly so the others need not be linked. */
#include "../../probes/options.h"
#include "../../probes/registry.h"

#define FAMILY(id, name, flags, what) \
	extern void run_##id(const struct run_ctx *ctx) __attribute__((weak));
#include "../../probes/families.def"
#undef FAMILY

static family_run_fn const runners[FAMILY_COUNT] = {
#define FAMILY(id, name, flags, what) [FAMILY_IDX_##id] = run_##id,
#include "../../probes/families.def"
#undef FAMILY
};

void registry_run(const struct run_ctx *ctx)
{
	for (unsigned i = 0; i < FAMILY_COUNT; i++) {
		if (!(family_table[i].flags & FAM_USER) || !runners[i])
			continue;
		if ((ctx->opts->run & RUN_BIT(i)) || (family_table[i].flags & FAM_ALWAYS))
			runners[i](ctx);
	}
}
