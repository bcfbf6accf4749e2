/* What the kernel finds out about the machine before any family runs: the
 * CPU (CPUID), the platform name records carry, the microcode revision
 * (a guarded MSR read through the executor), and the probe environment
 * every family is handed. */
#ifndef FP_FACTS_PROBES_H
#define FP_FACTS_PROBES_H

#include <stdbool.h>
#include "probe.h"
#include "../report/facts.h"

/* CPUID facts and the platform name (tcg, kvm, hv, metal). */
void facts_read(struct run_facts *f);
/* The microcode revision (SDM Vol. 3 9.11.7.1; AMD: PATCH_LEVEL, MSR 0x8B)
 * into f->microcode, and its header line
 *   cpu microcode=0x... source=msr-0x8b hypervisor_bit=N
 * (or rdmsr=#GP err=0x0 when the read faults) to the report. */
void facts_microcode(struct run_facts *f);
/* The kernel's probe environment: live paging mode, EFER.NXE, CR4.SMEP,
 * the page-table oracle, and the safety rule that refuses a store into a
 * present page or a branch to one. */
void facts_kernel_env(struct probe_env *env, const struct run_facts *f, bool quiet);
/* Does this KVM run the kernel's own instructions through its emulator
 * (kvm-straddle-pf: the seed's straddling load gives #PF)?  Such a KVM
 * stops the guest on INT n and on faulting VEX loads. */
bool facts_kvm_emulates_kernel(const struct probe_env *env);

#endif
