/* Host unit tests for the platform models (probes/model/platform*.c) on the
 * repfault and fsgs families' accesses: rep strings element by element,
 * movs with both operands, base loads, fs:/gs: accesses through a base.
 * Every expected value is worked out by hand: the silicon answer from the
 * SDM (Vol. 2 MOVS/STOS/REP "Operation", WRFSBASE, WRMSR; Vol. 3 4.7,
 * 3.4.4), each TCG branch from the QEMU 7.2 passage platform_tcg.c cites
 * (translate.c gen_repz()/gen_movs(), wrfsbase, misc_helper.c
 * helper_wrmsr(); accel/tcg/cputlb.c's second-page fill), never by
 * running the model.
 *
 * Layout (as the repfault family maps it): R = 0x00005a5a00000000,
 * A = R+0x1000 and B = R+0x3000 present (supervisor, writable); R+0x2000
 * and R+0x4000 absent. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "probes/model/platform.h"
#include "probes/model/rules.h"
#include "probes/model/vectors.h"
#include "probes/model/x86.h"
#include "fake_pages.h"

#define R 0x00005a5a00000000ull
#define A (R + 0x1000)
#define B (R + 0x3000)
#define HOLE_AB (R + 0x2000)
#define HOLE_TOP (R + 0x4000)
#define LOW_END 0x0000800000000000ull

static const struct fake_page pages[] = { { A, FAKE_RW_SUPER }, { B, FAKE_RW_SUPER } };
static struct fake_pages mem = { pages, 2 };

static struct access with_frame(struct access a)
{
	a.sel_cs = 0x10;
	a.sel_ss = 0x18;
	return a;
}

static struct access stos(unsigned w, uint64_t rdi, unsigned rep, bool df)
{
	struct access a = with_frame(fake_access(OP_STOS, GPR_RDI, SEGP_NONE, w, rdi, &mem));
	a.rep = rep;
	a.df = df;
	return a;
}

static struct access movs(unsigned w, uint64_t rsi, uint64_t rdi, unsigned rep, bool df)
{
	struct access a = with_frame(fake_access(OP_MOVS, GPR_RSI, SEGP_NONE, w, rsi, &mem));
	a.dst = rdi;
	a.dst_known = true;
	a.rep = rep;
	a.df = df;
	return a;
}

static struct platform_outcome predict(enum platform_model m, struct access a)
{
	struct platform_outcome o;

	memset(&o, 0xa5, sizeof(o));
	platform_predict(m, &a, &o);
	return o;
}

/* Both models give the same #PF; TCG names only its RF deviation. */
static void both_pf(struct access a, uint32_t err, uint64_t cr2)
{
	struct platform_outcome s = predict(PLATFORM_SILICON, a);
	struct platform_outcome t = predict(PLATFORM_TCG, a);

	assert_true(s.known);
	assert_int_equal(s.vector, VEC_PF);
	assert_int_equal(s.error_code & s.error_mask, err & s.error_mask);
	assert_int_equal(s.cr2, cr2);
	assert_true(t.known);
	assert_int_equal(t.vector, VEC_PF);
	assert_int_equal(t.error_code & t.error_mask, err & t.error_mask);
	assert_int_equal(t.cr2, cr2);
	assert_string_equal(t.rip_at, "insn");
	assert_int_equal(t.rf, 0);
	assert_int_equal(t.ndev, 1);
	assert_true(platform_has_deviation(&t, "tcg-rf-not-set"));
}

/* ------------------------------------------------------------ rep strings */

static void test_rep_stos_up(void **state)
{
	(void)state;
	/* rep stosw, RDI = A+0xff9, 8 elements: ff9, ffb, ffd fit, the 4th
	 * (A+0xfff..A+0x1000) straddles into the hole.  Silicon: #PF W at its
	 * first byte on the absent page, the hole's start.  TCG: the element
	 * is one 2-byte store whose first page is present; the second page is
	 * filled at its start (store_helper_unaligned(): page2): the same
	 * CR2. */
	both_pf(stos(2, A + 0xff9, 8, false), PF_ERR_WR, HOLE_AB);
	/* Aligned qwords: A+0xfe0 + 4*8 = the hole, element 4's own start. */
	both_pf(stos(8, A + 0xfe0, 8, false), PF_ERR_WR, HOLE_AB);
	/* Eight qwords ending at the page end: no fault. */
	struct platform_outcome t = predict(PLATFORM_TCG, stos(8, A + 0xfc0, 8, false));
	assert_true(t.known);
	assert_int_equal(t.vector, VEC_NONE);
	assert_int_equal(t.ndev, 0);
}

static void test_rep_stos_down(void **state)
{
	(void)state;
	/* std; rep stosq, RDI = B+0x18: elements B+0x18, +0x10, +0x8, +0
	 * fit, element 4 is B-8 = R+0x2ff8 in the hole: CR2 = its first byte,
	 * not the first byte of the whole range (B+0x18 - 7*8 = R+0x2fe0). */
	both_pf(stos(8, B + 0x18, 8, true), PF_ERR_WR, HOLE_AB + 0xff8);
	/* std; rep stosd, RDI = B+0xb: B+0xb, +0x7, +0x3 fit; element 3 at
	 * B-1 straddles (R+0x2fff..B+2): its first byte, on the absent page,
	 * is R+0x2fff. */
	both_pf(stos(4, B + 0xb, 8, true), PF_ERR_WR, HOLE_AB + 0xfff);
}

static void test_rep_movs(void **state)
{
	(void)state;
	/* movs-src: the source runs from A into the hole at element 4, the
	 * destination sits on B: #PF on the read (err 0), CR2 = the hole. */
	both_pf(movs(8, A + 0xfe0, B + 0x100, 8, false), 0, HOLE_AB);
	/* movs-dst: the destination runs from A into the hole: #PF W. */
	both_pf(movs(8, B + 0x100, A + 0xfe0, 8, false), PF_ERR_WR, HOLE_AB);
	/* movs-both: both reach an absent page at element 4 (the source the
	 * hole, the destination R+0x4000): the read comes first in every
	 * element (SDM MOVS "Operation"; gen_movs(): gen_op_ld_v before
	 * gen_op_st_v), so the source's #PF. */
	both_pf(movs(8, A + 0xfe0, HOLE_TOP - 32, 8, false), 0, HOLE_AB);
	/* Downward, both at element 4: source B+0x18 -> R+0x2ff8 first. */
	both_pf(movs(8, B + 0x18, A + 0x18, 8, true), 0, HOLE_AB + 0xff8);
}

static void test_tcg_second_page(void **state)
{
	(void)state;
	/* A single 8-byte load from A+0xffc: one memory operation, first page
	 * present, the second filled at its start: #PF at the hole, as the
	 * rule says. */
	struct access a = with_frame(fake_access(OP_LOAD, GPR_RAX, SEGP_NONE, 8, A + 0xffc, &mem));
	both_pf(a, 0, HOLE_AB);
	/* A 16-byte SSE load is split into 8-byte operations
	 * (gen_ldo_env_A0()); no reference log has one crossing into an
	 * absent page: the model says it cannot tell. */
	a.width = 16;
	struct platform_outcome t = predict(PLATFORM_TCG, a);
	assert_false(t.known);
	assert_non_null(t.unknown_why);
}

/* ------------------------------------------------------------ base loads */

static struct access regload(enum probe_op op, uint64_t value, bool fsgsbase, bool la57)
{
	struct access a = with_frame(fake_access(op, GPR_RDI, SEGP_NONE, 8, value, &mem));
	a.cr4_fsgsbase = fsgsbase;
	a.cpu_la57 = la57;
	return a;
}

static void test_base_loads(void **state)
{
	(void)state;
	/* Not canonical even at 57 bits: silicon #GP(0) (SDM WRFSBASE), TCG
	 * loads it (no test in translate.c's wrfsbase): no fault, named. */
	struct access a = regload(OP_WRFSBASE, 0x0100000000000000ull, true, true);
	struct platform_outcome s = predict(PLATFORM_SILICON, a);
	struct platform_outcome t = predict(PLATFORM_TCG, a);
	assert_int_equal(s.vector, VEC_GP);
	assert_int_equal(s.error_code, 0);
	assert_true(t.known);
	assert_int_equal(t.vector, VEC_NONE);
	assert_null(t.rip_at);
	assert_true(platform_has_deviation(&t, "tcg-base-no-canonical-check"));
	/* 57-bit canonical on a CPU with LA57: both load it, nothing named. */
	t = predict(PLATFORM_TCG, regload(OP_WRGSBASE, LOW_END, true, true));
	assert_int_equal(t.vector, VEC_NONE);
	assert_int_equal(t.ndev, 0);
	/* CR4.FSGSBASE = 0: #UD on both (gen_helper_cr4_testbit()). */
	t = predict(PLATFORM_TCG, regload(OP_WRFSBASE, 0x1000, false, true));
	assert_int_equal(t.vector, VEC_UD);
	assert_false(platform_has_deviation(&t, "tcg-base-no-canonical-check"));
	/* WRMSR IA32_FS_BASE of a 48-bit non-canonical value, CPL 0, no LA57:
	 * silicon #GP(0) (SDM WRMSR); TCG stores it (helper_wrmsr()). */
	a = regload(OP_WRMSR, 0x8000000000000000ull, false, false);
	a.msr = MSR_FS_BASE;
	s = predict(PLATFORM_SILICON, a);
	t = predict(PLATFORM_TCG, a);
	assert_int_equal(s.vector, VEC_GP);
	assert_int_equal(t.vector, VEC_NONE);
	assert_true(platform_has_deviation(&t, "tcg-base-no-canonical-check"));
	/* WRMSR at CPL 3: #GP(0) for privilege on both, whatever the value. */
	a.cpl = 3;
	a.sel_cs = 0x33;
	a.sel_ss = 0x2b;
	t = predict(PLATFORM_TCG, a);
	assert_int_equal(t.vector, VEC_GP);
	assert_string_equal(t.stack, "rsp0");
	assert_false(platform_has_deviation(&t, "tcg-base-no-canonical-check"));
	/* Bochs 2.7 checks 48 bits and has no LA57 CPU model: a base load on
	 * a CPU that reports LA57 is outside what it can say. */
	t = predict(PLATFORM_BOCHS, regload(OP_WRFSBASE, LOW_END, true, true));
	assert_false(t.known);
	t = predict(PLATFORM_BOCHS, regload(OP_WRFSBASE, LOW_END, true, false));
	assert_true(t.known);
	assert_int_equal(t.vector, VEC_GP);
}

/* ------------------------------------------------------------ fs:/gs: */

static void test_segment_base_access(void **state)
{
	(void)state;
	/* mov %fs:0xfffc(%rbp)... with FS.base = 0x7fffffff0000: linear
	 * 0x7ffffffffffc..0x800000000003 straddles the hole.  Silicon: #GP(0)
	 * (FS, not SS, even with an RBP base: SDM Vol. 1 3.3.7.1); TCG: the
	 * first page is canonical and absent: #PF there (tcg-straddle-pf). */
	struct access a = with_frame(fake_access(OP_LOAD, GPR_RBP, SEGP_FS, 8, 0xfffc, &mem));
	a.seg_base = 0x00007fffffff0000ull;
	struct platform_outcome s = predict(PLATFORM_SILICON, a);
	struct platform_outcome t = predict(PLATFORM_TCG, a);
	assert_int_equal(s.vector, VEC_GP);
	assert_int_equal(t.vector, VEC_PF);
	assert_int_equal(t.cr2, LOW_END - 4);
	assert_true(platform_has_deviation(&t, "tcg-straddle-pf"));
	/* A non-canonical offset whose sum lands on A: no fault anywhere. */
	a.addr = LOW_END;
	a.seg_base = A - LOW_END;
	t = predict(PLATFORM_TCG, a);
	assert_true(t.known);
	assert_int_equal(t.vector, VEC_NONE);
	/* KVM's emulator: no reference for FS/GS bases: unknown. */
	t = predict(PLATFORM_KVM_EMULATOR, a);
	assert_false(t.known);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rep_stos_up),
		cmocka_unit_test(test_rep_stos_down),
		cmocka_unit_test(test_rep_movs),
		cmocka_unit_test(test_tcg_second_page),
		cmocka_unit_test(test_base_loads),
		cmocka_unit_test(test_segment_base_access),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
