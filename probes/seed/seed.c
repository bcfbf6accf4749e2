/* sets=seed: the seed probe table (BRIEF.md, seed 000): 21 addresses
 * recorded by the seed's author with an 8-byte load through an RBP base
 * under 4-level paging, plus the vmcore's freelist value, each run through
 * the seed's two instructions (probes/seed_stubs.asm).
 * addr=0x...: extra addresses from the command line, the same two. */
#include "../options.h"
#include "../seed_stubs.h"
#include "../model/matrix_desc.h"
#include "../../report/report.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct probe_def seed_probes[] = { SEED_DEF_RBP("seed"), SEED_DEF_R15("seed") };
static const struct probe_def addr_probes[] = { SEED_DEF_RBP("addr"), SEED_DEF_R15("addr") };

void run_seed(const struct run_ctx *ctx)
{
	report_set_begin("seed", "mov 0x0(%rbp,%rax,1),%rbx and mov (%r15,%rax,1),%rbx, rax=0");
	for (unsigned rep = 0; rep < ctx->opts->repeat; rep++)
		for (unsigned p = 0; p < COUNT(seed_probes); p++)
			for (unsigned i = 0; i < seed_address_count; i++) {
				struct probe_result r;
				probe_run_report(ctx->env, &seed_probes[p], seed_addresses[i], 0, &r);
			}
}

void run_addr(const struct run_ctx *ctx)
{
	if (!ctx->opts->naddrs)
		return;
	report_set_begin("addr", "addresses from the command line, through rbp and r15");
	for (unsigned p = 0; p < COUNT(addr_probes); p++)
		for (unsigned i = 0; i < ctx->opts->naddrs; i++) {
			struct probe_result r;
			probe_run_report(ctx->env, &addr_probes[p], ctx->opts->addrs[i], 0, &r);
		}
}
