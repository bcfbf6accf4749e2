/* Host unit tests for the platform models on the align, smap and pgprot
 * families (probes/model/platform_tcg.c, platform_bochs.c, platform.c's
 * alternatives).  Every expected value is worked out by hand: the manuals'
 * side from the SDM text cited in tests/unit/test_rules_prot.c, each
 * emulator's side from the source passage its model cites (QEMU 7.2.0
 * target/i386/tcg/{mem_helper,fpu_helper,excp_helper}.c,
 * target/i386/tcg/sysemu/excp_helper.c, accel/tcg/cputlb.c; Bochs
 * REL_2_7_FINAL bochs/cpu/{access2,paging,xsave,sse_move}.cc), never by
 * running the model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "probes/model/platform.h"
#include "probes/model/rules.h"
#include "probes/model/vectors.h"
#include "fake_pages.h"

#define PAGE_A  0x0000100000000000ull   /* present, user, writable      */
#define PAGE_B  0x0000100000001000ull   /* never present                 */
#define PAGE_R  0x0000300000002000ull   /* reserved bit in the leaf      */
#define PAGE_K  0x0000300000004000ull   /* user page with protection key 1 */
#define LO_EDGE 0x0000800000000000ull
#define LO_PAGE (LO_EDGE - 0x1000)      /* present when lo_present        */
#define VMCORE  0x0072006900560338ull   /* non-canonical, 8 mod 16       */

static bool lo_present;

static void pages(void *ctx, uint64_t linear, struct page_info *out)
{
	uint64_t page = linear & ~0xfffull;

	(void)ctx;
	memset(out, 0, sizeof(*out));
	out->state = PAGE_NOT_PRESENT;
	if (page == PAGE_A || (page == LO_PAGE && lo_present))
		*out = (struct page_info){ PAGE_PRESENT, true, true, false, false, 0 };
	else if (page == PAGE_R)
		*out = (struct page_info){ PAGE_PRESENT, true, true, false, true, 0 };
	else if (page == PAGE_K)
		*out = (struct page_info){ PAGE_PRESENT, true, true, false, false, 1 };
}

static struct access acc(enum probe_op op, int base, unsigned width, uint64_t addr, unsigned cpl)
{
	struct access a = fake_access(op, base, SEGP_NONE, width, addr, NULL);

	a.cpl = cpl;
	a.page_query = pages;
	a.sel_cs = cpl ? 0x33 : 0x10;
	a.sel_ss = cpl ? 0x2b : 0x18;
	return a;
}

/* Alignment checking on: CPL 3, CR0.AM = 1, RFLAGS.AC = 1. */
static struct access ac_on(struct access a)
{
	a.cr0_am = a.rflags_ac = true;
	return a;
}

static struct platform_outcome predict(enum platform_model m, struct access a)
{
	struct platform_outcome o;

	memset(&o, 0xa5, sizeof(o));
	platform_predict(m, &a, &o);
	assert_true(o.known);
	return o;
}

/* ------------------------------------------------------------ silicon */

/* A misaligned 8-byte load at CPL 3 with alignment checking, on an absent
 * page: #AC (SDM Vol.3 6.15 int 17) or #PF (4.7), order left to the
 * implementation (6.9).  The silicon model keeps both; the #PF, when that
 * is what happened, gets its own error code and the frame of a fault from
 * CPL 3 (RSP0, 6.14.4). */
static void test_silicon_alternatives(void **state)
{
	(void)state;
	struct access a = ac_on(acc(OP_LOAD, GPR_RAX, 8, PAGE_B + 4, 3));
	struct platform_outcome o = predict(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_AC);
	assert_int_equal(o.nalt, 1);
	assert_int_equal(o.alt[0].vector, VEC_PF);
	assert_int_equal(platform_outcome_choice(&o, VEC_AC, 0, 0), 0);
	assert_int_equal(platform_outcome_choice(&o, VEC_PF, 0x4, PAGE_B + 4), 1);
	assert_int_equal(platform_outcome_choice(&o, VEC_PF, 0x6, PAGE_B + 4), -1);   /* W/R */
	assert_int_equal(platform_outcome_choice(&o, VEC_GP, 0, 0), -1);

	platform_predict_choice(PLATFORM_SILICON, &a, 1, &o);
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.error_code, 0x4);        /* U/S, not present, read */
	assert_int_equal(o.cr2, PAGE_B + 4);
	assert_string_equal(o.stack, "rsp0");
	assert_int_equal(o.handler_ss, 0);
	assert_int_equal(o.alt[0].vector, VEC_AC);  /* the other one stays listed */

	/* FXSAVE on an absent page: CR2 any byte of the area on that page
	 * (the manuals give no store order): [B, B + 511]. */
	a = acc(OP_STORE, GPR_RSI, 512, PAGE_B, 0);
	a.align = 16;
	o = predict(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.cr2, PAGE_B);
	assert_int_equal(o.cr2_hi, PAGE_B + 511);
	assert_int_equal(platform_outcome_choice(&o, VEC_PF, 0x2, PAGE_B + 511), 0);
	assert_int_equal(platform_outcome_choice(&o, VEC_PF, 0x2, PAGE_B + 512), -1);
}

/* The executor's IST (access.gate_ist) is in the #SS/#GP/#PF gates only:
 * an #AC from a CPL-3 push is delivered on RSP0 (SDM Vol. 3 6.14.4), a
 * #PF from the same push on the IST (6.14.5). */
static void test_ist_only_for_probe_vectors(void **state)
{
	(void)state;
	struct access a = ac_on(acc(OP_PUSH, GPR_RSP, 8, PAGE_A + 0x804, 3));
	a.gate_ist = 4;
	struct platform_outcome o = predict(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_AC);
	assert_string_equal(o.stack, "rsp0");
	a = acc(OP_PUSH, GPR_RSP, 8, PAGE_B + 8, 3);
	a.gate_ist = 4;
	o = predict(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_PF);
	assert_string_equal(o.stack, "ist4");
}

/* ------------------------------------------------------------ tcg */

/* tcg-no-alignment-check: QEMU 7.2 raises EXCP11_ALGN nowhere, so the
 * misaligned load at CPL 3 with AM and AC completes; the manuals say
 * #AC(0). */
static void test_tcg_no_alignment_check(void **state)
{
	(void)state;
	struct access a = ac_on(acc(OP_LOAD, GPR_RAX, 8, PAGE_A + 0x101, 3));
	assert_int_equal(predict(PLATFORM_SILICON, a).vector, VEC_AC);
	struct platform_outcome o = predict(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_NONE);
	assert_true(platform_has_deviation(&o, "tcg-no-alignment-check"));
	/* aligned: nothing to depart from */
	o = predict(PLATFORM_TCG, ac_on(acc(OP_LOAD, GPR_RAX, 8, PAGE_A + 0x108, 3)));
	assert_int_equal(o.vector, VEC_NONE);
	assert_int_equal(o.ndev, 0);
	/* on the absent page: the #PF of the TLB fill, one of the two
	 * exceptions the manuals allow: no deviation for it, and no
	 * alternative left (TCG is a program) */
	o = predict(PLATFORM_TCG, ac_on(acc(OP_LOAD, GPR_RAX, 8, PAGE_B + 4, 3)));
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.error_code, 0x4);
	assert_int_equal(o.cr2, PAGE_B + 4);
	assert_int_equal(o.nalt, 0);
	assert_false(platform_has_deviation(&o, "tcg-no-alignment-check"));
	assert_true(platform_has_deviation(&o, "tcg-rf-not-set"));
	/* a 16-byte MOVUPS: #AC optional in the manuals, none in TCG */
	o = predict(PLATFORM_TCG, ac_on(acc(OP_LOAD, GPR_RAX, 16, PAGE_A + 0x101, 3)));
	assert_int_equal(o.vector, VEC_NONE);
	assert_int_equal(o.ndev, 0);
}

/* The straddle into the hole with the page below absent, alignment
 * checking on (align ac-edge-np): the manuals allow #GP (canonical) or #AC;
 * TCG fills the first page's TLB entry and faults there: #PF, CR2 = start
 * (tcg-straddle-pf, accel/tcg/cputlb.c).  With the page below present the
 * second page's fill fails the sign-extension test: #GP, also through RBP
 * (tcg-noncanonical-gp). */
static void test_tcg_ac_edge(void **state)
{
	(void)state;
	lo_present = false;
	struct platform_outcome o = predict(PLATFORM_TCG, ac_on(acc(OP_LOAD, GPR_RAX, 8, LO_EDGE - 4, 3)));
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.error_code, 0x4);
	assert_int_equal(o.cr2, LO_EDGE - 4);
	assert_true(platform_has_deviation(&o, "tcg-straddle-pf"));
	assert_false(platform_has_deviation(&o, "tcg-no-alignment-check"));
	lo_present = true;
	o = predict(PLATFORM_TCG, ac_on(acc(OP_LOAD, GPR_RBP, 8, LO_EDGE - 4, 3)));
	assert_int_equal(o.vector, VEC_GP);
	assert_true(platform_has_deviation(&o, "tcg-noncanonical-gp"));
	o = predict(PLATFORM_TCG, ac_on(acc(OP_LOAD, GPR_RAX, 8, LO_EDGE - 4, 3)));
	assert_int_equal(o.vector, VEC_GP);
	assert_int_equal(o.ndev, 1);                 /* RF only: #GP is allowed */
	lo_present = false;
}

/* The alignment #GP of MOVAPS comes before the TLB fill (cputlb.c
 * load_helper(): the a_bits test before tlb_fill()): misaligned and
 * non-canonical through RBP is #GP, which the manuals allow beside #SS --
 * no tcg-noncanonical-gp. */
static void test_tcg_alignment_gp_first(void **state)
{
	(void)state;
	struct access a = acc(OP_LOAD, GPR_RBP, 16, VMCORE, 0);
	a.align = 16;
	struct platform_outcome s = predict(PLATFORM_SILICON, a);
	assert_int_equal(s.vector, VEC_SS);
	assert_int_equal(s.nalt, 1);
	assert_int_equal(s.alt[0].vector, VEC_GP);
	struct platform_outcome o = predict(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_false(platform_has_deviation(&o, "tcg-noncanonical-gp"));
	/* aligned on the same non-canonical address: the fill's #GP, and
	 * through RBP that is the deviation */
	a.addr = VMCORE & ~15ull;
	o = predict(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_true(platform_has_deviation(&o, "tcg-noncanonical-gp"));
	/* FXSAVE on the absent page: do_xsave_fpu()'s first store is at the
	 * area's first byte: CR2 = B exactly, W/R = 1 */
	a = acc(OP_STORE, GPR_RSI, 512, PAGE_B, 0);
	a.align = 16;
	o = predict(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.error_code, 0x2);
	assert_int_equal(o.cr2, PAGE_B);
	assert_int_equal(o.cr2_hi, 0);
}

/* tcg-cmpxchg16b-read-fault: helper_cmpxchg16b_unlocked() loads first
 * (cpu_ldq_data_ra): #PF W/R = 0 where the manuals say 1 (a locked
 * read-modify-write is a write).  Misaligned, its "(a0 & 0xf) != 0" test
 * raises #GP first. */
static void test_tcg_cmpxchg16b(void **state)
{
	(void)state;
	struct access a = acc(OP_STORE, GPR_RSI, 16, PAGE_B, 0);
	a.align = 16;
	a.rmw = true;
	struct platform_outcome s = predict(PLATFORM_SILICON, a);
	assert_int_equal(s.vector, VEC_PF);
	assert_int_equal(s.error_code, 0x2);
	struct platform_outcome o = predict(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.error_code, 0x0);
	assert_int_equal(o.cr2, PAGE_B);
	assert_true(platform_has_deviation(&o, "tcg-cmpxchg16b-read-fault"));
	a.addr = PAGE_B + 8;
	o = predict(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_false(platform_has_deviation(&o, "tcg-cmpxchg16b-read-fault"));
}

/* tcg-rsvd-no-p: mmu_translate()'s do_fault_rsvd sets RSVD without P.
 * Manuals: P|RSVD (+W/R, U/S, I/D).  Load 0x9 -> 0x8, store at CPL 3
 * 0xf -> 0xe, fetch (call) at CPL 0 with NXE 0x19 -> 0x18 at the target. */
static void test_tcg_rsvd_no_p(void **state)
{
	(void)state;
	struct platform_outcome o = predict(PLATFORM_TCG, acc(OP_LOAD, GPR_RAX, 8, PAGE_R + 0x10, 0));
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.error_code, 0x8);
	assert_true(platform_has_deviation(&o, "tcg-rsvd-no-p"));
	assert_int_equal(predict(PLATFORM_SILICON, acc(OP_LOAD, GPR_RAX, 8, PAGE_R + 0x10, 0)).error_code, 0x9);
	o = predict(PLATFORM_TCG, acc(OP_STORE, GPR_RAX, 8, PAGE_R + 0x10, 3));
	assert_int_equal(o.error_code, 0xe);
	o = predict(PLATFORM_TCG, acc(OP_CALL, GPR_NONE, 8, PAGE_R, 0));
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.error_code, 0x18);
	assert_string_equal(o.rip_at, "target");
	assert_true(platform_has_deviation(&o, "tcg-rsvd-no-p"));
	/* a plain not-present fault keeps its code */
	o = predict(PLATFORM_TCG, acc(OP_LOAD, GPR_RAX, 8, PAGE_B, 0));
	assert_int_equal(o.error_code, 0x0);
	assert_false(platform_has_deviation(&o, "tcg-rsvd-no-p"));
}

/* ------------------------------------------------------------ bochs */

/* bochs-pkru-ad-supervisor: translate_linear_long_mode() checks PKRU.AD
 * only "if (user)"; WD for user accesses and supervisor writes with
 * CR0.WP.  Key 1: AD1 = bit 2, WD1 = bit 3.  The manuals (SDM Vol.3
 * 4.6.2): AD denies every data access to a user-mode address, PK and P set
 * (0x21 for a CPL-0 read). */
static void test_bochs_pkru_ad_supervisor(void **state)
{
	(void)state;
	struct access a = acc(OP_LOAD, GPR_RAX, 8, PAGE_K + 0x10, 0);
	a.cr4_pke = true;
	a.pkru = 1u << 2;
	struct platform_outcome s = predict(PLATFORM_SILICON, a);
	assert_int_equal(s.vector, VEC_PF);
	assert_int_equal(s.error_code, 0x21);
	struct platform_outcome o = predict(PLATFORM_BOCHS, a);
	assert_int_equal(o.vector, VEC_NONE);
	assert_true(platform_has_deviation(&o, "bochs-pkru-ad-supervisor"));
	/* the same at CPL 3: checked, 0x25 */
	a.cpl = 3;
	a.sel_cs = 0x33;
	a.sel_ss = 0x2b;
	o = predict(PLATFORM_BOCHS, a);
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.error_code, 0x25);
	assert_int_equal(o.ndev, 0);
	/* WD1 and a CPL-0 store with CR0.WP = 1: checked, P|W|PK = 0x23;
	 * with CR0.WP = 0 allowed (both) */
	a = acc(OP_STORE, GPR_RAX, 8, PAGE_K + 0x10, 0);
	a.cr4_pke = true;
	a.pkru = 1u << 3;
	o = predict(PLATFORM_BOCHS, a);
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.error_code, 0x23);
	assert_int_equal(o.ndev, 0);
	a.cr0_wp_off = true;
	o = predict(PLATFORM_BOCHS, a);
	assert_int_equal(o.vector, VEC_NONE);
	assert_int_equal(o.ndev, 0);
}

/* Bochs's order of one data access (access_read_linear()): canonical test
 * of the first byte, then #AC ("pageOffset & ac_mask", user only), then the
 * second page's canonical test, then translation.  The manuals leave the
 * order open: every answer below is one they allow, so no deviation. */
static void test_bochs_alignment_order(void **state)
{
	(void)state;
	/* straddle into the hole, page below present or absent: #AC */
	for (int present = 0; present < 2; present++) {
		lo_present = present;
		struct platform_outcome o = predict(PLATFORM_BOCHS, ac_on(acc(OP_LOAD, GPR_RBP, 8, LO_EDGE - 4, 3)));
		assert_int_equal(o.vector, VEC_AC);
		assert_int_equal(o.error_code, 0);
		assert_string_equal(o.stack, "rsp0");
		assert_int_equal(o.ndev, 0);
	}
	lo_present = false;
	/* wholly non-canonical: the first byte's test, #SS through RBP */
	struct platform_outcome o = predict(PLATFORM_BOCHS, ac_on(acc(OP_LOAD, GPR_RBP, 8, VMCORE + 4, 3)));
	assert_int_equal(o.vector, VEC_SS);
	/* misaligned on the absent page: #AC before translate_linear() */
	o = predict(PLATFORM_BOCHS, ac_on(acc(OP_LOAD, GPR_RAX, 8, PAGE_B + 4, 3)));
	assert_int_equal(o.vector, VEC_AC);
	assert_int_equal(o.nalt, 0);
	/* MOVUPS: read_linear_xmmword() passes ac_mask 0: no #AC */
	o = predict(PLATFORM_BOCHS, ac_on(acc(OP_LOAD, GPR_RAX, 16, PAGE_A + 0x108, 3)));
	assert_int_equal(o.vector, VEC_NONE);
	/* MOVAPS through RBP, misaligned and non-canonical:
	 * read_linear_xmmword_aligned() tests "laddr & 15" before
	 * access_read_linear(): #GP */
	struct access a = acc(OP_LOAD, GPR_RBP, 16, VMCORE, 0);
	a.align = 16;
	o = predict(PLATFORM_BOCHS, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_int_equal(o.ndev, 0);
	/* FXSAVE misaligned by 2 with alignment checking: its first store is
	 * write_virtual_xmmword_aligned(): #GP, not #AC */
	a = ac_on(acc(OP_STORE, GPR_RSI, 512, PAGE_A + 0x202, 3));
	a.align = 16;
	a.align_ac = true;
	o = predict(PLATFORM_BOCHS, a);
	assert_int_equal(o.vector, VEC_GP);
}

/* XSAVE reads XSTATE_BV at area + 512 before it stores anything
 * (cpu/xsave.cc): on an absent page the #PF is that read's, W/R = 0,
 * CR2 = area + 512.  FXSAVE's first store is at the first byte. */
static void test_bochs_save_areas(void **state)
{
	(void)state;
	struct access a = acc(OP_STORE, GPR_RSI, 576, PAGE_B, 0);
	a.align = 64;
	a.store_reads = true;
	struct platform_outcome o = predict(PLATFORM_BOCHS, a);
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.error_code, 0x0);
	assert_int_equal(o.cr2, PAGE_B + 512);
	assert_int_equal(o.cr2_hi, 0);
	assert_int_equal(o.ndev, 0);                 /* the manuals allow it */
	a = acc(OP_STORE, GPR_RSI, 512, PAGE_B, 0);
	a.align = 16;
	o = predict(PLATFORM_BOCHS, a);
	assert_int_equal(o.error_code, 0x2);
	assert_int_equal(o.cr2, PAGE_B);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_silicon_alternatives),
		cmocka_unit_test(test_ist_only_for_probe_vectors),
		cmocka_unit_test(test_tcg_no_alignment_check),
		cmocka_unit_test(test_tcg_ac_edge),
		cmocka_unit_test(test_tcg_alignment_gp_first),
		cmocka_unit_test(test_tcg_cmpxchg16b),
		cmocka_unit_test(test_tcg_rsvd_no_p),
		cmocka_unit_test(test_bochs_pkru_ad_supervisor),
		cmocka_unit_test(test_bochs_alignment_order),
		cmocka_unit_test(test_bochs_save_areas),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
