/* Probe sets the kernel can run (selected by the boot command line). */
#ifndef FP_SETS_H
#define FP_SETS_H
#include <stdint.h>
struct options;
void run_seed_set(const struct options *opts);
void run_extra_addrs(const struct options *opts);
#endif
