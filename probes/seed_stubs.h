/* The seed's two instructions (probes/seed_stubs.asm), the instruments
 * several families share: the seed and addr sets, la57, the fingerprint
 * and the platform facts. */
#ifndef FP_SEED_STUBS_H
#define FP_SEED_STUBS_H

#include <stdint.h>
#include "probe.h"

void probe_seed_load_rbp(uint64_t addr, uint64_t rsp_adjust);
void probe_seed_load_r15(uint64_t addr, uint64_t rsp_adjust);

/* Row templates: an 8-byte load through rbp (index rax = 0) and r15. */
#define SEED_DEF_RBP(setname) \
	{ .set = setname, .stub_name = "probe_seed_load_rbp", .stub = probe_seed_load_rbp, \
	  .op = OP_LOAD, .base = GPR_RBP, .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8 }
#define SEED_DEF_R15(setname) \
	{ .set = setname, .stub_name = "probe_seed_load_r15", .stub = probe_seed_load_r15, \
	  .op = OP_LOAD, .base = GPR_R15, .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8 }

#endif
