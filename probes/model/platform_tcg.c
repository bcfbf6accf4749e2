/* The QEMU 7.2 TCG model (QEMU 7.2.22, Debian 1:7.2+dfsg-7+deb12u18):
 * the manuals' outcome (platform.c), departed from only in the named
 * branches below.  Each names a `##` heading of docs/deviations.md and
 * cites the QEMU 7.2 source that explains it (paths relative to the QEMU
 * tree).  Reproduced cell by cell by the TCG reference log
 * (tests/ref/tcg-default.log.gz, tests/boot/case-models.sh). */
#include "platform_impl.h"
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

/* A data access as TCG makes it: page by page in address order; on each
 * page first the canonical test (get_physical_address), then the page
 * walk.  Departs from the rule where the rule checks the whole range up
 * front (tcg-straddle-pf) or picks #SS by segment (tcg-noncanonical-gp). */
static void tcg_data_access(const struct access *a, const struct access_span *span,
			    struct platform_outcome *out)
{
	int rule_vector = out->vector;
	uint64_t p = span->start, left = span->len;

	for (unsigned page = 0; left; page++) {
		uint64_t chunk = PAGE_SIZE - (p & (PAGE_SIZE - 1));
		struct rule_verdict pf;

		if (!addr_is_canonical(p, a->paging_levels)) {
			platform_set_exception(out, VEC_GP, 0, 0);
			if (rule_vector == VEC_SS)
				platform_deviate(out, "tcg-noncanonical-gp", WHY_NONCANON);
			return;
		}
		if (rule_page_faults(a, p, span->write, false, &pf)) {
			if (page > 0) {
				/* The first page is present: CR2 is the address
				 * of the piece TCG split off for the second page
				 * (load_helper: addr & ~(size-1) + size;
				 * store_helper_unaligned: the page start), which
				 * depends on how the instruction is split into
				 * memory operations.  No reference log has such
				 * a probe. */
				platform_unknown(out, "a later page faults after a present first page: TCG's CR2 depends on how it splits the access (accel/tcg/cputlb.c); not covered by a reference log");
				return;
			}
			platform_set_exception(out, VEC_PF, pf.error_code, pf.cr2);
			out->error_mask = pf.error_mask;
			if (rule_vector != VEC_PF)
				platform_deviate(out, "tcg-straddle-pf", WHY_STRADDLE);
			return;
		}
		if (chunk > left)
			chunk = left;
		p += chunk;
		left -= chunk;
	}
	platform_set_exception(out, VEC_NONE, 0, 0);
}

void platform_tcg64(const struct access *a, struct platform_outcome *out)
{
	struct access_span span;

	access_span(a, &span);
	if (!span.fetch) {
		tcg_data_access(a, &span, out);
		if (!out->known)
			return;
		platform_frame64(a, out);
	}
	if (out->vector == VEC_NONE)
		return;
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
	if (a->gate_ist && a->cpl == 0) {
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
