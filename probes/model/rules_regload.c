/* Loads of a segment base, which touch no memory: the value itself must be
 * canonical.
 *
 * WRFSBASE/WRGSBASE (SDM Vol. 2 WRFSBASE/WRGSBASE, "64-Bit Mode
 * Exceptions"; APM Vol. 3 WRFSBASE/WRGSBASE): #UD if CR4.FSGSBASE = 0 (or
 * CPUID.(7,0):EBX.FSGSBASE[0] = 0, which leaves CR4.FSGSBASE 0); #GP(0) if
 * the source register holds a non-canonical address.  #UD comes first: it
 * is raised for the instruction before its operand is looked at.  They run
 * at any CPL.
 *
 * WRMSR (SDM Vol. 2 WRMSR, "Protected Mode Exceptions", also in 64-bit
 * mode): #GP(0) if CPL is not 0; #GP(0) "if the source register contains a
 * non-canonical address and ECX specifies one of ... IA32_FS_BASE,
 * IA32_GS_BASE, IA32_KERNEL_GS_BASE, ...".
 *
 * Canonical against which width?  Not the paging mode: "this enforcement
 * checks for CPU canonicality and is thus independent of the current paging
 * mode.  Thus, a processor that supports 5-level paging will allow the
 * instructions mentioned above to load these registers with addresses that
 * are 57-bit canonical but not 48-bit canonical, even if 4-level paging is
 * active" (Intel SDM, the list of register loads with canonicality checks,
 * quoted in Bochs cpu/msr.cc init_MSRs(); Linux KVM applies it since commit
 * 9245fd6b8531, arch/x86/kvm/x86.h is_noncanonical_msr_address()).  So a
 * base may hold a value that every access through it at 4-level paging then
 * finds non-canonical.  The APM states the check without a width; the same
 * rule is applied to AMD (it only differs on AMD CPUs with LA57). */
#include "rules_regload.h"
#include "vectors.h"

#define CITE_WRBASE "SDM Vol.2 WRFSBASE/WRGSBASE 64-bit #UD/#GP(0); APM Vol.3 WRFSBASE"
#define CITE_WRMSR  "SDM Vol.2 WRMSR #GP(0); APM Vol.3 WRMSR"

unsigned regload_canonical_levels(const struct access *a)
{
	return a->cpu_la57 ? 5 : 4;
}

static void verdict(struct rule_verdict *out, int vector, const char *reason, const char *cite)
{
	out->vector = vector;
	out->error_code = 0;
	out->error_mask = vector == VEC_GP ? ~0u : 0;
	out->cr2 = 0;
	out->segment = SEG_DS;
	out->reason = reason;
	out->cite = cite;
}

static bool base_msr(uint32_t msr)
{
	return msr == MSR_FS_BASE || msr == MSR_GS_BASE || msr == MSR_KERNEL_GS_BASE;
}

bool rule_predict_regload(const struct access *a, struct rule_verdict *out)
{
	bool canonical = addr_is_canonical(a->addr, regload_canonical_levels(a));

	switch (a->op) {
	case OP_WRFSBASE:
	case OP_WRGSBASE:
		if (!a->cr4_fsgsbase)
			verdict(out, VEC_UD, "CR4.FSGSBASE=0", CITE_WRBASE);
		else if (!canonical)
			verdict(out, VEC_GP, "non-canonical base", CITE_WRBASE);
		else
			verdict(out, VEC_NONE, "ok", CITE_WRBASE);
		break;
	case OP_WRMSR:
		if (a->cpl != 0)
			verdict(out, VEC_GP, "wrmsr at CPL>0", CITE_WRMSR);
		else if (!base_msr(a->msr))
			verdict(out, VEC_NONE, "msr not modelled", "");
		else if (!canonical)
			verdict(out, VEC_GP, "non-canonical base", CITE_WRMSR);
		else
			verdict(out, VEC_NONE, "ok", CITE_WRMSR);
		break;
	default:
		return false;
	}
	out->segment = a->op == OP_WRGSBASE || (a->op == OP_WRMSR && a->msr != MSR_FS_BASE)
		     ? SEG_GS : SEG_FS;
	return true;
}
