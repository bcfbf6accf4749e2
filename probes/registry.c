/* The kernel's half of the registry: every family's run function, bound
 * from probes/families.def, run in its order. */
#include "registry.h"
#include "options.h"

static const family_run_fn runners[FAMILY_COUNT] = {
#define FAMILY(id, name, flags, what) [FAMILY_IDX_##id] = run_##id,
#include "families.def"
#undef FAMILY
};

void registry_run(const struct run_ctx *ctx)
{
	for (unsigned i = 0; i < FAMILY_COUNT; i++)
		if ((ctx->opts->run & RUN_BIT(i)) || (family_table[i].flags & FAM_ALWAYS))
			runners[i](ctx);
}
