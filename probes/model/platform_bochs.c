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
 * model says so (below); where the references do not reach, "unknown".
 * The order of the faults one data access qualifies for (SDM Vol. 3 6.9
 * leaves it to the implementation) is Bochs's, bochs_data_access() below,
 * and its one departure from the manuals is bochs-pkru-ad-supervisor. */
#include "platform_impl.h"
#include "rules_align.h"
#include "vectors.h"

#define PAGE_SIZE 4096u

/* cpu/paging.cc, translate_linear_long_mode(): "// check of accessDisable
 * bit set / if (user) { if (BX_CPU_THIS_PTR pkru & (1<<(pkey*2)))
 * page_fault(ERROR_PROTECTION | ERROR_PKEY, ...) }": the AD check is made
 * for user-mode accesses only; the WD check after it is not ("if (isWrite
 * && (user || BX_CPU_THIS_PTR cr0.get_WP()))"). */
#define WHY_PKRU_AD "cpu/paging.cc translate_linear_long_mode(): PKRU.AD is checked only inside if (user); WD for user accesses and supervisor writes with CR0.WP"

/* One page of a data access, as translate_linear() sees it: the rule's
 * page check, except that PKRU's AD bits do not apply to a supervisor
 * access (WHY_PKRU_AD). */
static bool bochs_page_faults(const struct access *a, uint64_t linear, bool write,
			      struct rule_verdict *pf)
{
	struct access sup = *a;

	if (a->cpl != 3 && a->cr4_pke)
		sup.pkru &= 0xaaaaaaaau;   /* keep WDi (odd bits), drop ADi */
	return rule_page_faults(&sup, linear, write, false, pf);
}

/* The #SS/#GP a non-canonical reference through span->seg raises:
 * cpu/access.cc int_number(): BX_SS_EXCEPTION for SS, else BX_GP_EXCEPTION. */
static void bochs_noncanonical(const struct access_span *span, struct platform_outcome *out)
{
	platform_set_exception(out, span->seg == SEG_SS ? VEC_SS : VEC_GP, 0, 0);
}

/* A data access as Bochs 2.7 makes it (cpu/access2.cc, cpu/paging.cc):
 *  1. the instruction's own alignment, before anything else:
 *     read_linear_xmmword_aligned()/write_linear_xmmword_aligned() and the
 *     ymmword ones "if (laddr & 15/31) ... exception(BX_GP_EXCEPTION, 0)"
 *     before access_read_linear(); read_RMW_linear_dqword_aligned_64()
 *     (CMPXCHG16B) likewise; FXSAVE/FXRSTOR (cpu/sse_move.cc) start with
 *     write_/read_virtual_xmmword_aligned() at the area's first byte;
 *     XSAVE (cpu/xsave.cc) tests "alignment_check() ... laddr & 0x3" (#AC)
 *     and then "laddr & 0x3f" (#GP);
 *  2. access_read_linear()/access_write_linear(): "if (! IsCanonical(laddr))
 *     return -1" (the caller raises int_number(s)), then "if
 *     (BX_CPU_THIS_PTR alignment_check() && user) if (pageOffset & ac_mask)
 *     exception(BX_AC_EXCEPTION, 0)" with ac_mask = size - 1 for words,
 *     dwords, qwords and the stack's qwords, 0 for xmmword moves (MOVUPS);
 *  3. for an access split over two pages, "canonical failure for second
 *     half of page split access" (int_number(s));
 *  4. translate_linear() of the first page, then of the second: #PF, CR2 =
 *     the first byte on the failing page.
 * XSAVE reads the header's XSTATE_BV first: "Bit64u xstate_bv =
 * read_virtual_qword(i->seg(), (eaddr + 512) & asize_mask)" (cpu/
 * xsave.cc), before it writes the x87 state: a #PF there has W/R = 0 and
 * CR2 = area + 512. */
static void bochs_data_access(const struct access *a, const struct access_span *span,
			      struct platform_outcome *out)
{
	bool ac_on = a->cpl == 3 && a->cr0_am && a->rflags_ac;
	struct rule_verdict pf;

	if (a->store_reads && ac_on && (span->start & 3)) {
		platform_set_exception(out, VEC_AC, 0, 0);
		return;
	}
	if (align_gp(a, span)) {
		platform_set_exception(out, VEC_GP, 0, 0);
		return;
	}
	if (!addr_is_canonical(span->start, a->paging_levels)) {
		bochs_noncanonical(span, out);
		return;
	}
	unsigned unit = align_ac_unit(a, span);   /* 0 for MOVUPS: ac_mask 0 */
	if (ac_on && unit > 1 && (span->start & (unit - 1))) {
		platform_set_exception(out, VEC_AC, 0, 0);
		return;
	}
	if (!range_is_canonical(span->start, (unsigned)span->len, a->paging_levels)) {
		bochs_noncanonical(span, out);
		return;
	}
	if (a->store_reads && bochs_page_faults(a, span->start + 512, false, &pf)) {
		platform_set_exception(out, VEC_PF, pf.error_code, pf.cr2);
		out->error_mask = pf.error_mask;
		return;
	}
	uint64_t p = span->start, left = span->len;
	while (left) {
		uint64_t chunk = PAGE_SIZE - (p & (PAGE_SIZE - 1));

		if (bochs_page_faults(a, p, span->write, &pf)) {
			platform_set_exception(out, VEC_PF, pf.error_code, pf.cr2);
			out->error_mask = pf.error_mask;
			return;
		}
		if (chunk > left)
			chunk = left;
		p += chunk;
		left -= chunk;
	}
	platform_set_exception(out, VEC_NONE, 0, 0);
}

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
	if (a->deliver) {
		bochs_deliver(a, out);
		return;
	}
	/* Register loads (they touch no memory) and string instructions
	 * repeated or with their [rdi] modelled (the repfault and fsgs
	 * families): the manuals' outcome, element by element (platform.c),
	 * which both references reproduce; the one-span walk below is for
	 * single accesses. */
	if (a->op == OP_WRFSBASE || a->op == OP_WRGSBASE || a->op == OP_WRMSR ||
	    a->dst_known || a->rep > 1 || a->df)
		return;
	struct access_span span;
	struct rule_verdict rule;

	access_span(a, &span);
	/* a program: one exception where the manuals allow several */
	out->nalt = 0;
	out->cr2_hi = 0;
	if (span.fetch)
		return;   /* the manuals' outcome (the header comment) */
	rule_predict(a, &rule);
	bochs_data_access(a, &span, out);
	platform_frame64(a, out);
	if (rule_agrees(&rule, out->vector, out->error_code, out->cr2))
		return;
	/* the only way Bochs's order leaves the manuals' set */
	if (a->cpl != 3 && a->cr4_pke && (a->pkru & 0x55555555u))
		platform_deviate(out, "bochs-pkru-ad-supervisor", WHY_PKRU_AD);
	else
		platform_unknown(out, "Bochs's order gives an exception the manuals do not allow, and not through PKRU.AD: a model error");
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
