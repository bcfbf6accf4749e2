/* Turning on CPU features the probes need (kernel only). */
#ifndef FP_CPUFEAT_H
#define FP_CPUFEAT_H

#include <stdbool.h>

/* Enable AVX state if the CPU has it: CR4.OSXSAVE, then XCR0 = x87|SSE|AVX.
 * False with the reason in *why when it cannot be used. */
bool cpu_enable_avx(const char **why);

#endif
