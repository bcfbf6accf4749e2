/* What the kernel finds out about the machine before any family runs: the
 * CPU (CPUID), the platform name records carry, the microcode revision
 * (a guarded MSR read through the executor), and the probe environment
 * every family is handed. */
#ifndef FP_FACTS_PROBES_H
#define FP_FACTS_PROBES_H

#include <stdbool.h>
#include "probe.h"
#include "../report/facts.h"

/* CPUID facts, the microcode revision (SDM Vol. 3 9.11.7.1; AMD:
 * PATCH_LEVEL, MSR 0x8B, read through the executor), the platform's other
 * signs (CPUID's cost in TSC ticks, the SMBIOS firmware vendor, port 0xE9),
 * and from them the platform name records carry (tcg, kvm, bochs, hv,
 * metal; probes/model/platform_id.c).  Needs the executor (exec_init). */
void facts_read(struct run_facts *f);
/* The header line
 *   cpu microcode=0x... source=msr-0x8b hypervisor_bit=N
 * (or rdmsr=#GP err=0x0 when the read faulted). */
void facts_microcode_line(const struct run_facts *f);
/* What facts_read observed, for the fingerprint's verdict (fault
 * observations unset). */
struct platform_obs;
const struct platform_obs *facts_platform_obs(void);
/* The kernel's probe environment: live paging mode, EFER.NXE, CR4.SMEP,
 * the page-table oracle, and the safety rule that refuses a store into a
 * present page or a branch to one. */
void facts_kernel_env(struct probe_env *env, const struct run_facts *f, bool quiet);
/* Does this KVM run the kernel's own instructions through its emulator
 * (kvm-straddle-pf: the seed's straddling load gives #PF)?  Such a KVM
 * stops the guest on INT n and on faulting VEX loads. */
bool facts_kvm_emulates_kernel(const struct probe_env *env);

#endif
