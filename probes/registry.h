/* The family registry (probes/families.def): names, flags and run order.
 * The names and bits are portable (the command-line parser, its unit tests
 * and fuzzer, tools/families.c); the run functions are bound where the
 * families are linked (probes/registry.c for the kernel,
 * tools/user/registry_user.c for faultprobe-user). */
#ifndef FP_REGISTRY_H
#define FP_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#define FAM_DEFAULT 1u
#define FAM_USER    2u
#define FAM_ALWAYS  4u

enum family_index {
#define FAMILY(id, name, flags, what) FAMILY_IDX_##id,
#include "families.def"
#undef FAMILY
	FAMILY_COUNT
};
/* The bit of family `id` in struct options.run, e.g. RUN(seed). */
#define RUN(id) (1u << FAMILY_IDX_##id)
#define RUN_BIT(index) (1u << (index))

struct family_info {
	const char *name;          /* the sets= word                          */
	unsigned flags;            /* FAM_*                                   */
	const char *what;          /* one line for documentation             */
};
/* Indexed by enum family_index, in run order. */
extern const struct family_info family_table[FAMILY_COUNT];
/* The RUN() bits of every FAM_DEFAULT family. */
uint32_t family_default_mask(void);
/* Index of the family whose sets= name is the `len` bytes at `name`
 * (FAM_ALWAYS families are not named); -1 when none. */
int family_find(const char *name, unsigned len);

struct options;
struct probe_env;
/* What a family's run function gets. */
struct run_ctx {
	const struct options *opts;
	const struct probe_env *env;
};
typedef void (*family_run_fn)(const struct run_ctx *ctx);

/* Run every family the options select (and every FAM_ALWAYS one), in
 * table order, with the run functions bound where they are linked. */
void registry_run(const struct run_ctx *ctx);

/* Declarations of every family's entry point. */
#define FAMILY(id, name, flags, what) void run_##id(const struct run_ctx *ctx);
#include "families.def"
#undef FAMILY

#endif
