/* The Bochs 2.7 model (Debian 2.7+dfsg-4+deb12u1): the manuals' outcome
 * (platform.c).  Bochs departs from the manuals in one place the probes
 * look (an AMD CPU model's SYSRET, bochs-sysret-canonical-check); elsewhere
 * the reference logs (tests/ref/bochs-tigerlake.log.gz, an Intel CPU
 * model, and tests/ref/bochs-ryzen.log.gz, an AMD one; tests/ref/README)
 * reproduce the silicon model in every cell, and the Bochs source (paths
 * relative to bochs/ in the Bochs tree, tag REL_2_7_FINAL) says why:
 *   - cpu/paging.cc access_read_linear()/access_write_linear(): the linear
 *     address of the access is canonical-checked, and for an access split
 *     across two pages so is the second page's ("canonical failure for
 *     second half of page split access"), before either page is
 *     translated; the caller raises exception(int_number(s), 0), #SS for
 *     the SS segment and #GP otherwise: the seed's straddles give #SS/#GP;
 *     then page 1 and page 2 are translated in order, so CR2 is the first
 *     byte of the access on the failing page, as the rule says;
 *   - cpu/ctrl_xfer64.cc branch_near64() and the RET/CALL handlers: "if (!
 *     IsCanonical(new_RIP)) ... exception(BX_GP_EXCEPTION, 0)" before RIP
 *     or RSP change: #GP at the branch;
 *   - cpu/exception.cc exception(): "if (vector != BX_DB_EXCEPTION)
 *     BX_CPU_THIS_PTR assert_RF()" for faults: RF=1 in the frame;
 *     long_mode_int(): RSP aligned down to 16 ("RSP_for_cpl_x &=
 *     BX_CONST64(0xfffffffffffffff0)"), SS:RSP always pushed, an IST gate
 *     switches stacks on both privilege paths, and only the inner-privilege
 *     path loads a NULL SS (load_null_selector): SS kept on an IST switch
 *     at CPL 0;
 *   - the two CPU models gave identical records: no vendor difference for
 *     these cases, not even where the vendors' manuals differ (SYSRET with
 *     a non-canonical RCX: bochs-sysret-canonical-check, below).
 * Where the manuals leave a fact open and Bochs's source settles it, the
 * model says so (below); where the references do not reach, "unknown". */
#include "platform_impl.h"
#include "vectors.h"

/* cpu/proc_ctrl.cc (Bochs 2.7), BX_CPU_C::SYSRET(): "if (!IsCanonical(RCX))
 * { BX_ERROR((\"SYSRET: canonical failure for RCX (RIP)\")); exception(
 * BX_GP_EXCEPTION, 0); }" before CS, SS and the CPL change, whatever the
 * CPU model (cpu: model=ryzen only changes CPUID and the features). */
#define WHY_SYSRET "cpu/proc_ctrl.cc SYSRET(): RCX canonical-checked at CPL 0 for every CPU model; AMD's SYSRET faults at CPL 3"

/* A probe whose event delivery is modelled (the sysret and badstack
 * families).  The records of both CPU models follow the manuals' delivery
 * (the frame on the IST, the current stack or RSP0; #SS with EXT = 1 for
 * a ud2's frame pushed into non-canonical space; the SDM's Table 6-5 as
 * cpu/exception.cc's is_exception_OK[][]), with one departure (the SYSRET
 * check) and the facts the manuals leave open for #DF settled as below. */
static void bochs_deliver(const struct access *a, struct platform_outcome *out)
{
	struct rule_verdict v;
	struct access t = *a;

	/* The SYSRET check is the SDM's: the Intel rule, for every vendor. */
	if (a->op == OP_SYSRET && a->vendor != VENDOR_INTEL &&
	    !addr_is_canonical(a->addr, a->paging_levels))
		t.vendor = VENDOR_INTEL;
	rule_predict(&t, &v);
	platform_from_delivery(a, &v, out);
	if (t.vendor != a->vendor)
		platform_deviate(out, "bochs-sysret-canonical-check", WHY_SYSRET);
	if (out->vector == VEC_DF) {
		/* cpu/exception.cc: exceptions_info[] lists #DF as
		 * BX_EXCEPTION_CLASS_FAULT, so exception() restores "RIP =
		 * BX_CPU_THIS_PTR prev_rip" (the instruction that was running:
		 * the probed one, or the one at a return's target) and asserts
		 * RF ("if (vector != BX_DB_EXCEPTION) assert_RF()"); the CS
		 * selector is still the interrupted one when long_mode_int()
		 * pushes it.  The manuals leave the #DF's CS, RIP and RF open. */
		out->rip_at = v.df_rip_at;
		out->frame_cs_open = false;
		out->rf = 1;
	}
}

void platform_bochs64(const struct access *a, struct platform_outcome *out)
{
	/* cpu/cpu.h: IsCanonical() tests against BX_LIN_ADDRESS_WIDTH, which
	 * Bochs 2.7 fixes at 48 bits: no 5-level paging, and neither CPU
	 * model offers LA57 (the la57 set skipped in both references). */
	if (a->paging_levels == 5) {
		platform_unknown(out, "Bochs 2.7 has no 5-level paging (BX_LIN_ADDRESS_WIDTH 48 in cpu/cpu.h); no reference");
		return;
	}
	/* The same width for base loads: cpu/proc_ctrl.cc WRFSBASE_Eq()/
	 * WRGSBASE_Eq() ("if (!IsCanonical(fsbase)) ... exception(BX_GP_
	 * EXCEPTION, 0)", after the #UD for CR4.FSGSBASE = 0) and cpu/msr.cc
	 * for the base MSRs test 48 bits; the rule follows the CPU's width
	 * (cpu_la57), which a Bochs 2.7 CPU model never reports. */
	if (a->cpu_la57 && (a->op == OP_WRFSBASE || a->op == OP_WRGSBASE || a->op == OP_WRMSR)) {
		platform_unknown(out, "a base load on a CPU with LA57: Bochs 2.7 checks 48 bits (IsCanonical) and has no LA57 model; no reference");
		return;
	}
	if (a->deliver)
		bochs_deliver(a, out);
}

void platform_bochs32(const struct access32 *a, struct platform_outcome *out)
{
	(void)a;
	/* cpu/exception.cc protected_mode_int(), same privilege, 32-bit gate:
	 * "push_32(BX_CPU_THIS_PTR sregs[BX_SEG_REG_CS].selector.value)": the
	 * selector is pushed as a 32-bit value, upper half zero (the manuals
	 * allow either, platform.c leaves it unknown for silicon). */
	if (out->vector != VEC_NONE)
		out->cs_slot_zero_ext = 1;
}
