/* What CPUID says about this CPU, read once: vendor, brand, family/model/
 * stepping, the hypervisor leaf, the features the probes depend on.  The
 * one place that reads them (kernel and faultprobe-user alike: CPUID runs
 * at any privilege level). */
#ifndef FP_CPUINFO_H
#define FP_CPUINFO_H
#include <stdbool.h>
#include <stdint.h>
#include "../probes/model/x86.h"

struct cpu_fingerprint {
	char vendor[13];
	enum cpu_vendor vendor_id;
	char brand[49];
	char hypervisor[13];       /* CPUID 0x40000000 signature, "" if none */
	bool hypervisor_bit;       /* CPUID.1:ECX[31]                        */
	unsigned family, model, stepping;
	bool la57;                 /* CPUID.(7,0):ECX[16]                    */
	bool fsgsbase;             /* CPUID.(7,0):EBX[0]: RD/WRFSBASE exist  */
	bool avx, xsave;           /* CPUID.1:ECX[28], [26]                  */
	bool sse, sse2;            /* CPUID.1:EDX[25], [26]                  */
	bool fxsr, cx16;           /* CPUID.1:EDX[24]; CPUID.1:ECX[13]       */
};
/* Reads CPUID into *fp. */
void cpu_fingerprint_read(struct cpu_fingerprint *fp);
/* The vendor from CPUID.0 alone (cheap; no string handling). */
enum cpu_vendor cpu_vendor_id(void);
#endif
