/* The seed probe table (BRIEF.md, seed 000): 21 addresses recorded by the
 * seed's author with an 8-byte load through an RBP base under 4-level
 * paging, plus the vmcore's freelist value, each run through the seed's two
 * instructions (probes/seed_stubs.asm). */
#include "sets.h"
#include "probe.h"
#include "model/matrix_desc.h"
#include "../boot/cmdline.h"
#include "../report/report.h"

void probe_seed_load_rbp(uint64_t addr, uint64_t rsp_adjust);
void probe_seed_load_r15(uint64_t addr, uint64_t rsp_adjust);

static const struct probe_def seed_probes[] = {
	{ .set = "seed", .stub_name = "probe_seed_load_rbp", .stub = probe_seed_load_rbp,
	  .op = OP_LOAD, .base = GPR_RBP, .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8 },
	{ .set = "seed", .stub_name = "probe_seed_load_r15", .stub = probe_seed_load_r15,
	  .op = OP_LOAD, .base = GPR_R15, .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8 },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

void run_seed_set(const struct options *opts)
{
	report_set_begin("seed", "mov 0x0(%rbp,%rax,1),%rbx and mov (%r15,%rax,1),%rbx, rax=0");
	for (unsigned rep = 0; rep < opts->repeat; rep++)
		for (unsigned p = 0; p < COUNT(seed_probes); p++)
			for (unsigned i = 0; i < seed_address_count; i++) {
				struct probe_result r;
				probe_run(&seed_probes[p], seed_addresses[i], 0, &r);
				report_probe(&seed_probes[p], seed_addresses[i], 0, &r);
			}
}

/* addr=0x... from the command line: the same two instructions. */
void run_extra_addrs(const struct options *opts)
{
	if (!opts->naddrs)
		return;
	static const struct probe_def extra[] = {
		{ .set = "addr", .stub_name = "probe_seed_load_rbp", .stub = probe_seed_load_rbp,
		  .op = OP_LOAD, .base = GPR_RBP, .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8 },
		{ .set = "addr", .stub_name = "probe_seed_load_r15", .stub = probe_seed_load_r15,
		  .op = OP_LOAD, .base = GPR_R15, .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8 },
	};
	report_set_begin("addr", "addresses from the command line, through rbp and r15");
	for (unsigned p = 0; p < COUNT(extra); p++)
		for (unsigned i = 0; i < opts->naddrs; i++) {
			struct probe_result r;
			probe_run(&extra[p], opts->addrs[i], 0, &r);
			report_probe(&extra[p], opts->addrs[i], 0, &r);
		}
}
