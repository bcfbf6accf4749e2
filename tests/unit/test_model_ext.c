/* Host unit tests for the model extensions fpexplain needs (issue 8):
 * the alignment requirement (struct access.align), the ES read of
 * scas/cmps (OP_SCAS), 64-byte (AVX-512) and string-length widths, and the
 * double-fault combination (rule_combine).  Every expected value is worked
 * out by hand from the manual text cited beside it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "probes/model/rules.h"
#include "probes/model/vectors.h"

static struct access acc(enum probe_op op, int base, unsigned width, uint64_t addr)
{
	struct access a;

	memset(&a, 0, sizeof(a));
	a.op = op;
	a.base = base;
	a.index = GPR_NONE;
	a.prefix = SEGP_NONE;
	a.width = width;
	a.addr = addr;
	a.paging_levels = 4;
	a.vendor = VENDOR_INTEL;
	return a;
}

static void present(void *ctx, uint64_t linear, struct page_info *out)
{
	(void)ctx;
	(void)linear;
	*out = (struct page_info){ PAGE_PRESENT, true, false, false, false, 0 };
}

static void absent(void *ctx, uint64_t linear, struct page_info *out)
{
	(void)ctx;
	(void)linear;
	*out = (struct page_info){ PAGE_NOT_PRESENT, false, false, false, false, 0 };
}

/* SDM Vol.2A 2.4, Exceptions Type 1: VEX.128 operand not 16-byte aligned
 * -> #GP(0), "regardless of segment"; an aligned one is not affected. */
static void test_alignment(void **state)
{
	struct rule_verdict v;
	struct access a = acc(OP_LOAD, GPR_RDI, 16, 0xffff8801381b1bc8ull);

	(void)state;
	a.page_query = present;
	a.align = 16;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_GP);
	assert_int_equal(v.error_code, 0);
	assert_string_equal(v.reason, "misaligned operand");

	a.addr = 0xffff8801381b1bc0ull;          /* 16-byte aligned */
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_NONE);

	/* Through RBP (SS) it is still #GP, not #SS: "regardless of segment". */
	a = acc(OP_LOAD, GPR_RBP, 16, 0x1008);
	a.page_query = absent;
	a.align = 16;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_GP);
	/* ... and it comes before the page walk (Vol.3 6.9: #GP before #PF). */
	a.addr = 0x1000;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_PF);
	assert_int_equal(v.cr2, 0x1000);

	/* align 0 or 1: no requirement (every probe leaves it 0). */
	a = acc(OP_LOAD, GPR_RDI, 8, 0x1001);
	a.page_query = present;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_NONE);
	a.align = 1;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_NONE);
}

/* SDM Vol.1 3.7.4 Table 3-5: the [rdi] operand of string instructions is
 * ES, not overridable; scas/cmps read it.  A non-canonical ES reference is
 * #GP(0) (Vol.3 6.15 int13), an unmapped one a read #PF (W/R = 0). */
static void test_scas(void **state)
{
	struct rule_verdict v;
	struct access a = acc(OP_SCAS, GPR_RDI, 1, 0x0072006900560338ull);
	struct access_span sp;

	(void)state;
	a.prefix = SEGP_SS;                       /* ignored: ES always */
	access_span(&a, &sp);
	assert_true(sp.known);
	assert_int_equal(sp.seg, SEG_ES);
	assert_false(sp.write);
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_GP);

	a.addr = 0x2000;
	a.page_query = absent;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_PF);
	assert_int_equal(v.error_code, 0);        /* a read */
	assert_int_equal(v.cr2, 0x2000);
	assert_string_equal(probe_op_name(OP_SCAS), "scas");
	enum probe_op op;
	assert_true(probe_op_parse("scas", &op));
	assert_int_equal(op, OP_SCAS);
}

/* A 64-byte (zmm) load starting 0x20 below 0x800000000000 reaches the
 * non-canonical half under 4-level paging (bits 63:47, Vol.1 3.3.7.1) but
 * not under 5-level (bits 63:56). */
static void test_wide(void **state)
{
	struct rule_verdict v;
	struct access a = acc(OP_LOAD, GPR_RDI, 64, 0x00007fffffffffe0ull);

	(void)state;
	a.page_query = present;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_GP);
	a.paging_levels = 5;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_NONE);
	/* A 0x1000-byte string destination that ends exactly at the hole. */
	a = acc(OP_STOS, GPR_RDI, 0x1000, 0x00007ffffffff000ull);
	a.page_query = present;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_NONE);
	a.width = 0x1001;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_GP);       /* ES -> #GP */
}

/* SDM Vol.3 6.15 interrupt 8, Table 6-5. */
static void test_combine(void **state)
{
	(void)state;
	assert_int_equal(rule_combine(VEC_SS, VEC_SS), VEC_DF);  /* contributory x2 */
	assert_int_equal(rule_combine(VEC_GP, VEC_SS), VEC_DF);
	assert_int_equal(rule_combine(VEC_PF, VEC_PF), VEC_DF);  /* stack overflow */
	assert_int_equal(rule_combine(VEC_PF, VEC_GP), VEC_DF);
	assert_int_equal(rule_combine(VEC_GP, VEC_PF), VEC_PF);  /* serial */
	assert_int_equal(rule_combine(VEC_UD, VEC_GP), VEC_GP);  /* benign first */
	assert_int_equal(rule_combine(VEC_DF, VEC_PF), RULE_SHUTDOWN);
	assert_int_equal(rule_combine(VEC_DF, VEC_UD), VEC_UD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_scas),
		cmocka_unit_test(test_wide),
		cmocka_unit_test(test_combine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
