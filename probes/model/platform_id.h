/* What platform is this?  A pure function from observations the kernel (or
 * any other caller) makes to a verdict, the platform name records carry,
 * and the evidence.  No kernel dependencies: <stdint.h>/<stdbool.h> only,
 * so the host unit tests (tests/unit/test_platform_id.c) run it on the
 * values measured on each platform.
 *
 * Verdicts:
 *   emulator-tcg     QEMU TCG: RF=0 in a fault frame or #GP for a
 *                    non-canonical SS reference (no silicon does either).
 *   kvm-emulator     faults as KVM's instruction emulator delivers them: the
 *                    straddling load gives #PF, under a hypervisor.
 *   kvm-hardware     KVM (signature KVMKVMKVM) whose faults look like
 *                    silicon's: VMX/SVM let the CPU deliver them.
 *   emulator-bochs   at least two independent Bochs signs (below); Bochs'
 *                    faults look like silicon's, so the signs are not faults.
 *   silicon-like     nothing emulator-like seen.
 *   unknown          a fingerprint probe did not fault, or was not run
 *                    (PLATFORM_ID_NO_FAULT), and no Bochs signs decide.
 *
 * The platform name for records needs no fault observation: called before
 * the fingerprint probes run (straddle/noncanon = PLATFORM_ID_NO_FAULT,
 * rf = -1), the hypervisor signature names tcg/kvm/hv and the Bochs signs
 * name bochs.
 *
 * Bochs signs (measured under Debian's Bochs 2.7; docs/deviations.md):
 *   tsc-per-insn     CPUID(1) costs under PLATFORM_ID_TICKS_INSN TSC ticks:
 *                    Bochs' TSC is its tick count, one tick per
 *                    instruction (cpu/cpu.cc BX_TICK1 in cpu_loop,
 *                    cpu/proc_ctrl.cc BX_CPU_C::get_TSC);
 *                    silicon's microcoded CPUID takes ~100 ticks and more,
 *                    a VM exit thousands.
 *   microcode        GenuineIntel/AuthenticAMD without a hypervisor bit,
 *                    and MSR 0x8B reads 0 (Bochs' ignore_bad_msrs=1, its
 *                    default) or faults (ignore_bad_msrs=0): Bochs does not
 *                    model IA32_BIOS_SIGN_ID (cpu/msr.cc,
 *                    handle_unknown_rdmsr/handle_unknown_wrmsr); silicon
 *                    always has a non-zero revision there.
 *   firmware         SMBIOS type 0 vendor "The Bochs Project" (Bochs' BIOS,
 *                    bios/rombios32.c smbios_type_0_init).
 *   port-e9          port 0xE9 reads back 0xE9 (bochsrc port_e9_hack,
 *                    iodev/unmapped.cc) with no hypervisor signature.
 */
#ifndef FP_PLATFORM_ID_H
#define FP_PLATFORM_ID_H

#include <stdbool.h>
#include <stdint.h>

/* Exception vectors the observations use (SDM Vol. 3 6.3.1, Table 6-1). */
/* the vector numbers of vectors.h (VEC_NONE, VEC_SS, VEC_GP, VEC_PF) */
#define PLATFORM_ID_NO_FAULT (-1)
#define PLATFORM_ID_VEC_SS   12
#define PLATFORM_ID_VEC_GP   13
#define PLATFORM_ID_VEC_PF   14

/* Below this many TSC ticks per CPUID(1), the TSC counts instructions:
 * Bochs measures 3; QEMU TCG (host TSC) 16-20 here; silicon ~100 and more. */
#define PLATFORM_ID_TICKS_INSN 10u
/* At or above this many, CPUID took a VM exit (report/fingerprint.c). */
#define PLATFORM_ID_TICKS_TRAP 1000u

enum platform_verdict {
	PV_UNKNOWN,
	PV_EMULATOR_TCG,
	PV_KVM_EMULATOR,
	PV_KVM_HARDWARE,
	PV_EMULATOR_BOCHS,
	PV_SILICON_LIKE,
};

enum microcode_obs {
	UCODE_NOT_READ,      /* vendor without MSR 0x8B (not Intel/AMD)      */
	UCODE_READ,          /* revision in microcode_rev                      */
	UCODE_FAULTED,       /* the RDMSR/WRMSR of MSR 0x8B raised an exception */
};

struct platform_obs {
	const char *vendor;            /* CPUID.0 vendor string, or NULL          */
	const char *hypervisor;        /* CPUID 0x40000000 signature; NULL or ""  */
	bool hypervisor_bit;           /* CPUID.1:ECX[31]                          */
	bool cpuid_ticks_valid;
	uint64_t cpuid_ticks;          /* fewest TSC ticks per CPUID(1)            */
	enum microcode_obs microcode;
	uint32_t microcode_rev;
	const char *firmware_vendor;   /* SMBIOS type 0 vendor; NULL when unknown */
	bool port_e9_echo;             /* port 0xE9 read back 0xE9                 */
	int straddle_vector;           /* PLATFORM_ID_VEC_* or PLATFORM_ID_NO_FAULT */
	int noncanon_vector;
	int rf;                        /* RF in the fault frame: 1, 0, -1 unknown */
};

#define PLATFORM_ID_EVIDENCE 256

struct platform_id {
	enum platform_verdict verdict;
	const char *verdict_name;      /* "emulator-bochs", ...                    */
	const char *platform;          /* for records: tcg kvm bochs hv metal      */
	const char *why;               /* one sentence                             */
	unsigned bochs_signs;          /* how many Bochs signs were seen           */
	/* "straddle:#SS,noncanonical-ss:#SS,rf:1,cpuid-ticks:3,hypervisor:none,
	 *  microcode:unreadable,firmware:The_Bochs_Project,port-e9:echo" */
	char evidence[PLATFORM_ID_EVIDENCE];
};

void platform_identify(const struct platform_obs *obs, struct platform_id *out);
const char *platform_verdict_name(enum platform_verdict v);

#endif
