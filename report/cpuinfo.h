#ifndef FP_CPUINFO_H
#define FP_CPUINFO_H
#include <stdbool.h>
#include <stdint.h>
struct cpu_fingerprint {
	char vendor[13];
	char brand[49];
	char hypervisor[13];       /* CPUID 0x40000000 signature, "" if none */
	bool hypervisor_bit;       /* CPUID.1:ECX[31]                        */
	unsigned family, model, stepping;
	bool la57;                 /* CPUID.(7,0):ECX[16]                    */
	bool avx, xsave;
};
void cpu_fingerprint_read(struct cpu_fingerprint *fp);
#endif
