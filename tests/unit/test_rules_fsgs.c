/* Host unit tests for the FS/GS-base rules (issue 11 family 7):
 * probes/model/rules_regload.c (WRFSBASE, WRGSBASE, WRMSR of the base MSRs)
 * and the base added to fs:/gs: accesses (access.c access_span).  Expected
 * values worked out by hand from SDM Vol. 2 WRFSBASE/WRGSBASE and WRMSR,
 * Vol. 3 3.4.4 and Vol. 1 3.3.7.1 (canonical form of base + offset). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "probes/model/rules.h"
#include "probes/model/rules_regload.h"
#include "probes/model/vectors.h"
#include "fake_pages.h"

static int predict(struct access a)
{
	struct rule_verdict v;
	rule_predict(&a, &v);
	if (v.vector == VEC_GP)
		assert_int_equal(v.error_code, 0);
	return v.vector;
}

static struct access wrbase(enum probe_op op, uint64_t value, bool fsgsbase, bool la57)
{
	struct access a = fake_access(op, GPR_RDI, SEGP_NONE, 8, value, 0);
	a.cr4_fsgsbase = fsgsbase;
	a.cpu_la57 = la57;
	return a;
}

/* CR4.FSGSBASE = 0: #UD, whatever the value (the instruction is not
 * recognised; its operand is never looked at). */
static void test_wrbase_disabled(void **state)
{
	(void)state;
	assert_int_equal(predict(wrbase(OP_WRFSBASE, 0, false, false)), VEC_UD);
	assert_int_equal(predict(wrbase(OP_WRGSBASE, 0x0000800000000000ull, false, false)), VEC_UD);
}

/* A processor without LA57: 48-bit canonical (bits 63:47 equal). */
static void test_wrbase_48(void **state)
{
	(void)state;
	static const struct { uint64_t v; int vec; } t[] = {
		{ 0x00007fffffffffffull, VEC_NONE }, { 0x0000800000000000ull, VEC_GP },
		{ 0xffff7fffffffffffull, VEC_GP },   { 0xffff800000000000ull, VEC_NONE },
		{ 0x0072006900560338ull, VEC_GP },   { 0x8000000000000000ull, VEC_GP },
		{ 0, VEC_NONE },
	};
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(predict(wrbase(OP_WRFSBASE, t[i].v, true, false)), t[i].vec);
		assert_int_equal(predict(wrbase(OP_WRGSBASE, t[i].v, true, false)), t[i].vec);
	}
}

/* A processor with LA57, running 4-level paging: the check is 57-bit
 * (bits 63:56 equal) -- the CPU's width, not the paging mode's. */
static void test_wrbase_57_under_4level(void **state)
{
	(void)state;
	static const struct { uint64_t v; int vec; } t[] = {
		{ 0x0000800000000000ull, VEC_NONE }, { 0x00ffffffffffffffull, VEC_NONE },
		{ 0x0100000000000000ull, VEC_GP },   { 0xfeffffffffffffffull, VEC_GP },
		{ 0xff00000000000000ull, VEC_NONE }, { 0x0072006900560338ull, VEC_NONE },
		{ 0x8000000000000000ull, VEC_GP },
	};
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct access a = wrbase(OP_WRFSBASE, t[i].v, true, true);
		assert_int_equal(a.paging_levels, 4);
		assert_int_equal(predict(a), t[i].vec);
	}
}

/* WRMSR: CPL > 0 is #GP(0) whatever the value; at CPL 0 the three base
 * MSRs take only canonical values (same width rule). */
static void test_wrmsr(void **state)
{
	(void)state;
	static const uint32_t msrs[] = { MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE };
	for (unsigned i = 0; i < 3; i++) {
		struct access a = wrbase(OP_WRMSR, 0x00007fffffffffffull, false, false);
		a.msr = msrs[i];
		assert_int_equal(predict(a), VEC_NONE);
		a.addr = 0x0000800000000000ull;
		assert_int_equal(predict(a), VEC_GP);
		a.cpu_la57 = true;
		assert_int_equal(predict(a), VEC_NONE);
		a.addr = 0x0100000000000000ull;
		assert_int_equal(predict(a), VEC_GP);
		a.addr = 0;
		a.cpl = 3;
		assert_int_equal(predict(a), VEC_GP);
	}
}

/* An fs:/gs: access: linear = base + offset (mod 2^64), and the canonical
 * check is on the linear address (SDM Vol. 3 3.4.4, Vol. 1 3.3.7.1). */
static void test_base_plus_offset(void **state)
{
	(void)state;
	static const struct fake_page pages[] = { { 0x00005a5a00010000ull, FAKE_RW_SUPER } };
	struct fake_pages m = { pages, 1 };
	static const enum seg_prefix prefixes[] = { SEGP_FS, SEGP_GS };

	for (unsigned p = 0; p < 2; p++) {
		/* canonical offset, base+offset = 0x800000000000: #GP(0), also
		 * through RBP (the FS/GS override makes it not a stack access) */
		struct access a = fake_access(OP_LOAD, GPR_RAX, prefixes[p], 8, 0x10000, &m);
		a.seg_base = 0x00007fffffff0000ull;
		assert_int_equal(predict(a), VEC_GP);
		a.base = GPR_RBP;
		assert_int_equal(predict(a), VEC_GP);
		/* straddling 0x7ffffffffffc..0x800000000003 */
		a.addr = 0xfffc;
		assert_int_equal(predict(a), VEC_GP);
		/* canonical and absent: #PF with CR2 = base + offset */
		a.addr = 0xfff8;
		struct rule_verdict v;
		rule_predict(&a, &v);
		assert_int_equal(v.vector, VEC_PF);
		assert_true(v.cr2 == 0x00007ffffffffff8ull);
		/* non-canonical offset, canonical linear address (wraps modulo
		 * 2^64 onto a present page): no fault */
		a.seg_base = 0xffffda5a00010000ull;
		a.addr = 0x0000800000000000ull;
		assert_int_equal(predict(a), VEC_NONE);
		a.op = OP_STORE;
		assert_int_equal(predict(a), VEC_NONE);
		/* both canonical, the sum wraps past 2^64 */
		a.seg_base = 0xffffffffffff0000ull;
		a.addr = 0x00005a5a00020000ull;
		assert_int_equal(predict(a), VEC_NONE);
	}
	/* No fs:/gs: prefix: the base is not added (DS/SS bases are 0). */
	struct access a = fake_access(OP_LOAD, GPR_RAX, SEGP_NONE, 8, 0x10000, &m);
	a.seg_base = 0x00007fffffff0000ull;
	assert_int_equal(predict(a), VEC_PF);
	a.prefix = SEGP_DS;
	assert_int_equal(predict(a), VEC_PF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrbase_disabled),
		cmocka_unit_test(test_wrbase_48),
		cmocka_unit_test(test_wrbase_57_under_4level),
		cmocka_unit_test(test_wrmsr),
		cmocka_unit_test(test_base_plus_offset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
