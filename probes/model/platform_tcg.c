/* The QEMU 7.2 TCG model (QEMU 7.2.22, Debian 1:7.2+dfsg-7+deb12u18):
 * the manuals' outcome (platform.c), departed from only in the named
 * branches below.  Each names a `##` heading of docs/deviations.md and
 * cites the QEMU 7.2 source that explains it (paths relative to the QEMU
 * tree).  Reproduced cell by cell by the TCG reference log
 * (tests/ref/tcg-default.log.gz, tests/boot/case-models.sh). */
#include "platform_impl.h"
#include "rules_align.h"
#include "vectors.h"

#define PAGE_SIZE 4096u

/* target/i386/tcg/sysemu/excp_helper.c, get_physical_address(): with long
 * mode paging, "test virtual address sign extension": sext = addr >> 47
 * (>> 56 with LA57); if it is neither 0 nor -1 the TLB fill fails with
 * EXCP0D_GPF, error code 0 ("non-canonical #GP doesn't change CR2").  The
 * fill knows the linear address, not the segment: there is no #SS path. */
#define WHY_NONCANON "target/i386/tcg/sysemu/excp_helper.c get_physical_address(): the sign-extension test raises EXCP0D_GPF per TLB fill, whatever the segment"

/* accel/tcg/cputlb.c, load_helper()/store_helper(): the TLB is filled for
 * the page of the access's first byte first (tlb_fill(addr)); only then is
 * a cross-page access split ("Handle slow unaligned access (it spans two
 * pages or IO)") and the second page filled.  So a straddling access whose
 * first page is canonical and not present faults there: #PF, CR2 = start. */
#define WHY_STRADDLE "accel/tcg/cputlb.c load_helper()/store_helper(): the first page is filled (and faults) before the access is split at the page boundary; the canonical test runs per page"

/* target/i386/tcg/seg_helper.c, do_interrupt64(): PUSHQ(esp,
 * cpu_compute_eflags(env)) -- RF is whatever env->eflags holds (0 here);
 * fixed upstream after 7.2 ("target/i386: fix pushed value of EFLAGS.RF").
 * do_interrupt_protected() pushes the same way (PUSHL). */
#define WHY_RF "target/i386/tcg/seg_helper.c do_interrupt64()/do_interrupt_protected(): pushes cpu_compute_eflags(env) without setting RF for faults"

/* target/i386/tcg/seg_helper.c, do_interrupt64(): "if (dpl < cpl || ist !=
 * 0) { new_stack = 1; ... ss = 0; }" and later "if (new_stack) { ss = 0 |
 * dpl; cpu_x86_load_seg_cache(env, R_SS, ss, ...)": an IST gate loads a
 * NULL SS even when the CPL does not change. */
#define WHY_IST_SS "target/i386/tcg/seg_helper.c do_interrupt64(): any IST gate takes the new_stack path, which loads SS = 0 | dpl"

/* target/i386/tcg/translate.c: near call/jmp/ret set EIP to the target
 * (gen_push_v / gen_pop_T0 + gen_pop_update first, then gen_op_jmp_v +
 * gen_jr) without a canonical check; the next instruction fetch fills the
 * TLB for the target and get_physical_address() raises #GP(0) there. */
#define WHY_BRANCH "target/i386/tcg/translate.c: call/jmp/ret complete (the call's push, the ret's pop) and the fetch at the non-canonical target raises #GP(0) in get_physical_address()"

/* target/i386/tcg/translate.c, gen_lea_v_seg(): the linear address is the
 * segment base plus the offset; nothing compares the offset with the
 * segment limit or looks at a NULL selector on an ordinary data access. */
#define WHY_SEG32 "target/i386/tcg/translate.c gen_lea_v_seg(): linear = segment base + offset, no limit or NULL-selector check on data accesses"

/* accel/tcg/cputlb.c: a memory operation of at most 8 bytes that crosses
 * a page is split only after its first page is filled, and the second
 * page is filled at its first byte: load_helper() loads from "addr1 = addr
 * & ~(size - 1); addr2 = addr1 + size" (addr2 is the page start when size
 * divides the page size), store_helper_unaligned() fills "page2 = (addr +
 * size) & TARGET_PAGE_MASK".  So a #PF on the second page has CR2 = the
 * page start, the first byte of the access on that page, as the rule says.
 * A 16- or 32-byte SSE/AVX access is several 8-byte operations
 * (translate.c gen_ldo_env_A0()/gen_sto_env_A0()): its CR2 depends on the
 * split. */
#define TCG_MEMOP_MAX 8

/* accel/tcg/cputlb.c, load_helper()/store_helper(): "if (addr & ((1 <<
 * a_bits) - 1)) cpu_unaligned_access(...)" before tlb_fill(); the MOVAPS/
 * MOVDQA/VMOVAPS loads and stores carry MO_ALIGN, and
 * target/i386/tcg/excp_helper.c handle_unaligned_access() raises
 * EXCP0D_GPF.  The helpers test first too: helper_cmpxchg16b_unlocked()
 * "(a0 & 0xf) != 0", do_fxsave()/do_fxrstor() "ptr & 0xf", do_xsave() "ptr
 * & 63" (target/i386/tcg/mem_helper.c, fpu_helper.c).  So the alignment
 * #GP comes before the canonical test and the page walk: one of the
 * orders the manuals allow (SDM Vol. 3 6.9), no deviation. */

/* QEMU 7.2 defines EXCP11_ALGN (target/i386/cpu.h) but nothing raises it:
 * no load or store carries an alignment requirement for CR0.AM/RFLAGS.AC,
 * whatever they say. */
#define WHY_NO_AC "target/i386/cpu.h defines EXCP11_ALGN, but no TCG path raises it: ordinary loads and stores are emitted without an alignment check for CR0.AM/RFLAGS.AC"

/* target/i386/tcg/mem_helper.c, helper_cmpxchg16b_unlocked(): after the
 * alignment test, "o0 = cpu_ldq_data_ra(env, a0 + 0, ra)": the first
 * access is a load, and its TLB fill faults with W/R = 0. */
#define WHY_CX16_READ "target/i386/tcg/mem_helper.c helper_cmpxchg16b_unlocked(): the first access is cpu_ldq_data_ra(a0), a load: its #PF has W/R = 0"

/* target/i386/tcg/sysemu/excp_helper.c, mmu_translate(): "do_fault_rsvd:
 * error_code = PG_ERROR_RSVD_MASK; goto do_fault_cont;" -- P is not added
 * (do_fault_protect adds PG_ERROR_P_MASK, the reserved-bit path does not). */
#define WHY_RSVD_NO_P "target/i386/tcg/sysemu/excp_helper.c mmu_translate(): do_fault_rsvd sets PG_ERROR_RSVD_MASK without PG_ERROR_P_MASK"

/* target/i386/tcg/translate.c, `case 0xd0 ... 0xd7` (wrfsbase/wrgsbase):
 * after gen_helper_cr4_testbit() (#UD with CR4.FSGSBASE = 0) it does
 * tcg_gen_mov_tl(base, treg); target/i386/tcg/sysemu/misc_helper.c,
 * helper_wrmsr(): "case MSR_FSBASE: env->segs[R_FS].base = val;" (GSBASE,
 * KERNELGSBASE likewise).  No canonical test in either. */
#define WHY_BASE "target/i386/tcg/translate.c wrfsbase/wrgsbase: tcg_gen_mov_tl(base, treg) after the CR4.FSGSBASE test; misc_helper.c helper_wrmsr(): MSR_FSBASE/GSBASE/KERNELGSBASE stored as is -- no canonical test"

/* One memory operation as TCG makes it: page by page in address order; on
 * each page first the canonical test (get_physical_address), then the page
 * walk.  Departs from the rule where the rule checks the whole range up
 * front (tcg-straddle-pf) or picks #SS by segment (tcg-noncanonical-gp).
 * *v holds the rule's verdict (its vector is the one the departures are
 * named against) and receives TCG's: VEC_NONE when the operation passes.
 * Returns NULL, or why the model cannot place it.  *gp_for_ss /
 * *straddle_pf say which departure changed the vector. */
static const char *tcg_memop(const struct access *a, uint64_t p, uint64_t left, bool write,
			     enum segment seg, struct rule_verdict *v, bool *gp_for_ss,
			     bool *straddle_pf)
{
	int rule_vector = v->vector;
	uint64_t len = left;

	for (unsigned page = 0; left; page++) {
		uint64_t chunk = PAGE_SIZE - (p & (PAGE_SIZE - 1));
		struct rule_verdict pf;

		if (!addr_is_canonical(p, a->paging_levels)) {
			v->vector = VEC_GP;
			v->error_code = 0;
			v->error_mask = ~0u;
			v->cr2 = 0;
			/* the manuals: #SS through SS, whatever else
			 * (#AC) the rule lists first */
			*gp_for_ss = *gp_for_ss || seg == SEG_SS;
			return 0;
		}
		if (rule_page_faults(a, p, write, false, &pf)) {
			if (page > 0 && len > TCG_MEMOP_MAX) {
				/* The first page is present: CR2 is the address
				 * of the 8-byte piece TCG split off, which
				 * depends on how the instruction is split into
				 * memory operations.  No reference log has such
				 * a probe. */
				return "a later page faults after a present first page: TCG's CR2 depends on how it splits a 16/32-byte access (accel/tcg/cputlb.c); not covered by a reference log";
			}
			v->vector = VEC_PF;
			v->error_code = pf.error_code;
			v->error_mask = pf.error_mask;
			v->cr2 = pf.cr2;
			/* #AC and #PF may come in either order (SDM Vol. 3
			 * 6.9): a #PF where the rule lists #AC first is
			 * no departure */
			*straddle_pf = *straddle_pf ||
				       (rule_vector != VEC_PF && rule_vector != VEC_AC);
			return 0;
		}
		if (chunk > left)
			chunk = left;
		p += chunk;
		left -= chunk;
	}
	v->vector = VEC_NONE;
	v->error_code = 0;
	v->error_mask = 0;
	v->cr2 = 0;
	return 0;
}

static const char *tcg_walk(const struct access *a, const struct access_span *span,
			    struct rule_verdict *v, bool *gp_for_ss, bool *straddle_pf)
{
	return tcg_memop(a, span->start, span->len, span->write, span->seg, v, gp_for_ss,
			 straddle_pf);
}

/* TCG's outcome *v into *out, with the departures that changed it. */
static void tcg_set_data(const struct rule_verdict *v, bool gp_for_ss, bool straddle_pf,
			 struct platform_outcome *out)
{
	platform_set_exception(out, v->vector, v->error_code, v->cr2);
	if (v->vector == VEC_PF)
		out->error_mask = v->error_mask;
	if (gp_for_ss)
		platform_deviate(out, "tcg-noncanonical-gp", WHY_NONCANON);
	if (straddle_pf)
		platform_deviate(out, "tcg-straddle-pf", WHY_STRADDLE);
}

static void tcg_data_access(const struct access *a, const struct access_span *span,
			    struct platform_outcome *out)
{
	struct rule_verdict v = { .vector = out->vector, .error_code = out->error_code,
				  .error_mask = out->error_mask, .cr2 = out->cr2 };
	bool gp_for_ss = false, straddle_pf = false;
	const char *why = tcg_walk(a, span, &v, &gp_for_ss, &straddle_pf);

	if (why) {
		platform_unknown(out, why);
		return;
	}
	tcg_set_data(&v, gp_for_ss, straddle_pf, out);
}

/* lods/movs/stos, with or without REP: translate.c gen_movs()/gen_stos()/
 * gen_lods() under gen_repz() run one element per loop iteration (RSI,
 * RDI, RCX updated per element, so a fault stops at that element), each a
 * memory operation of the element's width; movs loads [rsi]
 * (gen_string_movl_A0_ESI, gen_op_ld_v) before it stores [rdi]
 * (gen_string_movl_A0_EDI, gen_op_st_v) -- modelled when the record names
 * RDI (dst_known).  The departures are named against the rule's vector
 * for the whole instruction. */
static void tcg_string(const struct access *a, struct platform_outcome *out)
{
	int rule_vector = out->vector;
	unsigned n = a->rep ? a->rep : 1;
	struct access one = *a;
	bool gp_for_ss = false, straddle_pf = false;
	struct rule_verdict v = { .vector = VEC_NONE };
	const char *why = 0;

	one.rep = 0;
	one.dst_known = false;
	for (unsigned i = 0; i < n; i++) {
		uint64_t step = (uint64_t)i * a->width;
		struct access_span sp;

		one.addr = a->df ? a->addr - step : a->addr + step;
		access_span(&one, &sp);
		v.vector = rule_vector;
		why = tcg_walk(a, &sp, &v, &gp_for_ss, &straddle_pf);
		if (why || v.vector != VEC_NONE)
			break;
		if (a->op == OP_MOVS && a->dst_known) {
			v.vector = rule_vector;
			why = tcg_memop(a, a->df ? a->dst - step : a->dst + step, a->width, true,
					SEG_ES, &v, &gp_for_ss, &straddle_pf);
			if (why || v.vector != VEC_NONE)
				break;
		}
	}
	if (why) {
		platform_unknown(out, why);
		return;
	}
	tcg_set_data(&v, gp_for_ss, straddle_pf, out);
}

/* ------------------------------------------------------------ delivery */

/* target/i386/tcg/seg_helper.c, helper_ret_protected() (IRETQ): the CS and
 * SS selectors are checked, then "env->eip = new_eip" with no canonical
 * test; the next fetch faults in get_physical_address(), at the new CPL.
 * QEMU issue #125 ("ret, lret and iret with noncanonical IP saves wrong IP
 * on the exception stack"). */
#define WHY_IRET "target/i386/tcg/seg_helper.c helper_ret_protected(): RIP loaded without a canonical check; the fetch at the target raises #GP(0) at the new CPL"

/* The steps of the delivery rules as TCG carries them out: every memory
 * access the rules make (frame pushes in do_interrupt64()'s PUSHQ, the
 * push at a return's target, the probed instruction's own) goes through
 * the same TLB fill as a data access (tcg_walk: a non-canonical one is
 * #GP(0), never #SS, and so without the EXT bit a frame push gets under
 * the manuals); fetches as the rule says. */
struct tcg_steps {
	struct rule_steps steps;
	bool gp_for_ss, straddle_pf;
	const char *unknown_why;
};

static void tcg_step_access(const struct rule_steps *s, const struct access *a,
			    struct rule_verdict *out)
{
	struct tcg_steps *t = s->ctx;
	struct access_span span;
	const char *why;

	rule_predict_one(a, out);
	access_span(a, &span);
	if (span.fetch || !span.known)
		return;
	why = tcg_walk(a, &span, out, &t->gp_for_ss, &t->straddle_pf);
	if (why && !t->unknown_why)
		t->unknown_why = why;
}

static bool same_exception(const struct platform_outcome *x, const struct platform_outcome *y)
{
	return x->vector == y->vector && x->cr2 == y->cr2 &&
	       ((x->error_code ^ y->error_code) & x->error_mask & y->error_mask) == 0;
}

/* A probe whose event delivery is modelled (the sysret and badstack
 * families): the delivery rules with TCG's steps, then TCG's frame. */
static void tcg_deliver(const struct access *a, struct platform_outcome *out)
{
	struct platform_outcome manuals = *out;
	struct tcg_steps t = { .steps = { .access = tcg_step_access, .iretq_skips_rip_check = true } };
	struct rule_verdict v;

	t.steps.ctx = &t;
	rule_predict_steps(a, &t.steps, &v);
	if (t.unknown_why) {
		platform_unknown(out, t.unknown_why);
		return;
	}
	platform_from_delivery(a, &v, out);
	if (a->op == OP_IRETQ && !addr_is_canonical(a->addr, a->paging_levels) &&
	    v.at_target)
		platform_deviate(out, "tcg-iret-noncanonical-rip", WHY_IRET);
	if (t.gp_for_ss && !same_exception(&manuals, out))
		platform_deviate(out, "tcg-noncanonical-gp", WHY_NONCANON);
	if (t.straddle_pf && !same_exception(&manuals, out))
		platform_deviate(out, "tcg-straddle-pf", WHY_STRADDLE);
	if (out->vector == VEC_NONE)
		return;
	if (out->vector == VEC_DF) {
		/* excp_helper.c check_exception(): the second exception becomes
		 * EXCP08_DBLE with error code 0, raised like any other: EIP is
		 * the instruction's (cpu_loop_exit_restore), and
		 * do_interrupt64() pushes env->eip and the CS selector still
		 * loaded: the saved RIP and CS are those of the event whose
		 * delivery failed (the manuals leave both undefined). */
		out->rip_at = v.df_rip_at;
		out->frame_cs_open = false;
	}
	/* Delivery, do_interrupt64(): the stack choice, the alignment, the
	 * pushes and the NULL SS on a CPL change are as the manuals say; RF
	 * and the IST SS are not. */
	if (manuals.rf == 1)
		platform_deviate(out, "tcg-rf-not-set", WHY_RF);
	out->rf = 0;
	if (out->stack && out->stack[0] == 'i' && v.fault_cpl == 0 && out->handler_ss != 0) {
		out->handler_ss = 0;
		platform_deviate(out, "tcg-ist-null-ss", WHY_IST_SS);
	}
}

/* wrfsbase/wrgsbase/wrmsr of a base: #UD for CR4.FSGSBASE = 0 and #GP(0)
 * for WRMSR at CPL 3 as the rule says (gen_helper_cr4_testbit(),
 * check_cpl0 in translate.c); a non-canonical value is loaded. */
static void tcg_regload(const struct access *a, struct platform_outcome *out)
{
	if (out->vector == VEC_GP && (a->op != OP_WRMSR || a->cpl == 0)) {
		platform_set_exception(out, VEC_NONE, 0, 0);
		platform_deviate(out, "tcg-base-no-canonical-check", WHY_BASE);
	}
}

void platform_tcg64(const struct access *a, struct platform_outcome *out)
{
	struct access_span span;

	if (a->deliver) {
		tcg_deliver(a, out);
		return;
	}
	access_span(a, &span);
	/* TCG is a program: where the manuals allow several exceptions it
	 * raises one, chosen below. */
	out->nalt = 0;
	out->cr2_hi = 0;
	if (!span.fetch) {
		switch (a->op) {
		case OP_WRFSBASE:
		case OP_WRGSBASE:
		case OP_WRMSR:
			tcg_regload(a, out);
			break;
		case OP_LODS:
		case OP_MOVS:
		case OP_STOS:
			tcg_string(a, out);
			break;
		default:
			if (align_gp(a, &span))
				platform_set_exception(out, VEC_GP, 0, 0);
			else
				tcg_data_access(a, &span, out);
			break;
		}
		if (!out->known)
			return;
		/* A save area's first access is at its first byte (do_fxsave()
		 * -> do_xsave_fpu(): "cpu_stw_data_ra(env, ptr +
		 * XO(legacy.fcw)...)", do_fxrstor() -> do_xrstor_fpu(), and
		 * do_xsave() stores the x87 state before it reads the header):
		 * CR2 = the first byte on the failing page, W/R as the
		 * instruction's direction (tcg_data_access). */
		if (out->vector == VEC_PF && a->rmw) {
			out->error_code &= ~PF_ERR_WR;
			platform_deviate(out, "tcg-cmpxchg16b-read-fault", WHY_CX16_READ);
		}
		/* #AC the manuals require and TCG never raises: the access
		 * completes.  (Where #AC competes with another fault TCG
		 * raises that one: allowed (SDM Vol. 3 6.9), or a deviation
		 * of its own, tcg-straddle-pf / tcg-noncanonical-gp.) */
		bool ac_optional = false;
		if (out->vector == VEC_NONE && align_ac(a, &span, &ac_optional) && !ac_optional)
			platform_deviate(out, "tcg-no-alignment-check", WHY_NO_AC);
		platform_frame64(a, out);
	}
	if (out->vector == VEC_NONE)
		return;
	if (out->vector == VEC_PF && (out->error_code & PF_ERR_RSVD)) {
		out->error_code &= ~PF_ERR_P;
		out->error_mask |= PF_ERR_P;
		platform_deviate(out, "tcg-rsvd-no-p", WHY_RSVD_NO_P);
	}
	if (span.fetch && !addr_is_canonical(span.start, a->paging_levels)) {
		/* Same vector and error code as the rule, #GP(0), but the
		 * branch has completed: saved RIP = the target, after the
		 * call's push or the ret's pop. */
		out->rip_at = "target";
		out->rsp_delta = a->op == OP_CALL ? -8 : a->op == OP_RET ? 8 : 0;
		platform_deviate(out, "tcg-branch-gp-at-target", WHY_BRANCH);
	}
	/* Delivery, do_interrupt64(): the stack choice, the alignment ("esp
	 * &= ~0xfLL"), the SS/RSP/RFLAGS/CS/RIP pushes and the NULL SS on a
	 * CPL change are as the manuals say; RF and the IST SS are not. */
	out->rf = 0;
	platform_deviate(out, "tcg-rf-not-set", WHY_RF);
	if (platform_gate_ist(a, out->vector) && a->cpl == 0) {
		out->handler_ss = 0;
		platform_deviate(out, "tcg-ist-null-ss", WHY_IST_SS);
	}
}

void platform_tcg32(const struct access32 *a, struct platform_outcome *out)
{
	if (a->op != A32_LOAD_SREG && (out->vector == VEC_GP || out->vector == VEC_SS)) {
		/* A NULL DS or an offset beyond the limit: TCG forms the linear
		 * address anyway and only paging can stop the access. */
		bool null = !access32_uses_ss(a) && a->seg_null;
		struct access32 flat = *a;
		struct rule_verdict v;

		flat.seg_null = false;
		flat.seg_limit = 0xffffffffu;
		rule_predict32(&flat, &v);
		platform_set_exception(out, v.vector, v.error_code, v.cr2);
		out->error_mask = v.error_mask;
		platform_frame32(a, out);
		platform_deviate(out, null ? "tcg-no-null-seg-check" : "tcg-no-seg-limit-check",
				 WHY_SEG32);
	}
	if (out->vector == VEC_NONE)
		return;
	/* do_interrupt_protected(), same privilege: no new_stack, so no
	 * SS:ESP and no alignment, as the manuals say; the CS slot is a
	 * 32-bit push of the selector (PUSHL), i.e. zero-extended. */
	out->rf = 0;
	out->cs_slot_zero_ext = 1;
	platform_deviate(out, "tcg-rf-not-set", WHY_RF);
}
