/* Host unit tests for probes/model/rules_deliver.c: exceptions delivered
 * onto a bad stack, with and without an IST entry, and the double-fault
 * table.  Every expected value is worked out by hand from the SDM text
 * cited beside it, never by running the model:
 *   6.14.2  frame pushed at RSP aligned down to 16, SS slot first (at
 *           aligned RSP - 8)
 *   6.14.5  an IST gate switches stacks unconditionally
 *   6.15 int 8, Tables 6-4/6-5: contributory+contributory, #PF+contributory,
 *           #PF+#PF give #DF (error code 0); anything else is serial
 *   Vol. 2 INT n: a frame push in non-canonical space is #SS with EXT
 *           (1 while delivering an exception, 0 while delivering INT3) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "probes/model/rules.h"
#include "probes/model/vectors.h"

#define NONCANON  0x0000800000000040ull   /* non-canonical, 16-aligned      */
#define UNMAPPED  0x0000100000001808ull   /* page 0x100000001000 absent, RSP = 8 mod 16 */
#define RO_PAGE   0x0000100000003000ull   /* present, read-only, supervisor */
#define RO_RSP    (RO_PAGE + 0x808)
#define LOAD_PF   0x0000200000000000ull   /* canonical, absent              */

static void pages(void *ctx, uint64_t linear, struct page_info *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	out->state = PAGE_NOT_PRESENT;
	if ((linear & ~0xfffull) == RO_PAGE) {
		out->state = PAGE_PRESENT;
		out->writable = false;
		out->user = false;
	}
}

static struct access bad(enum probe_op op, uint64_t addr, uint64_t rsp, unsigned ist)
{
	struct access a;

	memset(&a, 0, sizeof(a));
	a.op = op;
	a.base = op == OP_PUSH ? GPR_RSP : op == OP_LOAD ? GPR_R15 : GPR_NONE;
	a.index = GPR_NONE;
	a.width = 8;
	a.addr = addr;
	a.paging_levels = 4;
	a.efer_nxe = true;
	a.vendor = VENDOR_INTEL;
	a.page_query = pages;
	a.deliver = true;
	a.rsp_bad = true;
	a.rsp = rsp;
	a.gate_ist = ist;
	a.ist_df = 1;
	return a;
}

static void expect(const struct access *a, int vector, uint32_t err, uint64_t cr2,
		   const char *stack, const char *rip_at)
{
	struct rule_verdict v;

	rule_predict(a, &v);
	assert_int_equal(v.vector, vector);
	if (vector_has_error_code(vector))
		assert_int_equal(v.error_code & v.error_mask, err & v.error_mask);
	assert_int_equal(v.cr2, cr2);
	if (stack)
		assert_string_equal(v.stack, stack);
	else
		assert_null(v.stack);
	if (rip_at)
		assert_string_equal(v.rip_at, rip_at);
	else
		assert_null(v.rip_at);
	if (vector != VEC_NONE)
		assert_int_equal(v.fault_cpl, 0);
}

/* push with RSP non-canonical: its own #SS(0) (6.15 int 12), then the #SS
 * frame at the same RSP: #SS(EXT=1); contributory twice: #DF on IST1. */
static void test_push_noncanon(void **state)
{
	(void)state;
	struct access a = bad(OP_PUSH, NONCANON, NONCANON, 0);
	expect(&a, VEC_DF, 0, 0, "ist1", NULL);
	a.gate_ist = 4;   /* with IST: the fault itself */
	expect(&a, VEC_SS, 0, 0, "ist4", "insn");
}

/* push with RSP = 0x100000001808 on an absent page: writes [RSP-8, RSP):
 * #PF W=1 at 0x100000001800; the frame's SS slot is at (RSP & ~15) - 8 =
 * 0x1000000017f8: #PF again; page fault twice: #DF, CR2 = the second. */
static void test_push_unmapped(void **state)
{
	(void)state;
	struct access a = bad(OP_PUSH, UNMAPPED, UNMAPPED, 0);
	expect(&a, VEC_DF, 0, 0x00001000000017f8ull, "ist1", NULL);
	a.gate_ist = 4;
	expect(&a, VEC_PF, PF_ERR_WR, 0x0000100000001800ull, "ist4", "insn");
}

/* Read-only stack: P=1 W=1 (4.7) for the push and for the frame. */
static void test_push_readonly(void **state)
{
	(void)state;
	struct access a = bad(OP_PUSH, RO_RSP, RO_RSP, 0);
	expect(&a, VEC_DF, 0, RO_PAGE + 0x7f8, "ist1", NULL);
	a.gate_ist = 4;
	expect(&a, VEC_PF, PF_ERR_P | PF_ERR_WR, RO_PAGE + 0x800, "ist4", "insn");
}

/* #GP (non-canonical load through r15) then #SS(1): #DF.  Then #GP with an
 * absent stack: contributory then page fault is serial (Table 6-5), the
 * #PF is delivered on the same stack and faults again: #DF. */
static void test_gp_bad_stack(void **state)
{
	(void)state;
	struct access a = bad(OP_LOAD, 0x8000000000000000ull, NONCANON, 0);
	expect(&a, VEC_DF, 0, 0, "ist1", NULL);
	a.rsp = UNMAPPED;
	expect(&a, VEC_DF, 0, 0x00001000000017f8ull, "ist1", NULL);
	a.gate_ist = 4;
	expect(&a, VEC_GP, 0, 0, "ist4", "insn");
}

/* #PF (load from an absent page) then #SS(1) while pushing its frame: page
 * fault then contributory is #DF, CR2 still the load's address. */
static void test_pf_then_ss(void **state)
{
	(void)state;
	struct access a = bad(OP_LOAD, LOAD_PF, NONCANON, 0);
	expect(&a, VEC_DF, 0, LOAD_PF, "ist1", NULL);
	a.gate_ist = 4;
	expect(&a, VEC_PF, 0, LOAD_PF, "ist4", "insn");
}

/* #UD is benign: a fault while delivering it is handled serially.  With
 * #SS on an IST: #SS(1) there, RIP = the ud2.  Without: the #SS frame
 * faults again: #DF. */
static void test_ud2(void **state)
{
	(void)state;
	struct access a = bad(OP_UD2, 0, NONCANON, 4);
	expect(&a, VEC_SS, 1, 0, "ist4", "insn");
	a.gate_ist = 0;
	expect(&a, VEC_DF, 0, 0, "ist1", NULL);
	a.rsp = UNMAPPED;
	a.gate_ist = 4;
	expect(&a, VEC_PF, PF_ERR_WR, 0x00001000000017f8ull, "ist4", "insn");
}

/* INT3 is a software interrupt: EXT = 0 in the #SS error code; the #SS is
 * a fault of the int3, RIP = the int3 (not the next instruction). */
static void test_int3(void **state)
{
	(void)state;
	struct access a = bad(OP_INT3, 0, NONCANON, 4);
	expect(&a, VEC_SS, 0, 0, "ist4", "insn");
	a.gate_ist = 0;
	expect(&a, VEC_DF, 0, 0, "ist1", NULL);
}

/* AMD: the EXT bit of that #SS is not modelled (error_mask). */
static void test_amd_ext_masked(void **state)
{
	(void)state;
	struct access a = bad(OP_UD2, 0, NONCANON, 4);
	struct rule_verdict v;

	a.vendor = VENDOR_AMD;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_SS);
	assert_int_equal(v.error_mask & 1u, 0);
	assert_int_equal(v.error_mask & ~1u, ~1u);
}

/* No IST for #DF and a broken stack: shutdown, reported as no vector. */
static void test_triple(void **state)
{
	(void)state;
	struct access a = bad(OP_PUSH, NONCANON, NONCANON, 0);
	a.ist_df = 0;
	expect(&a, VEC_NONE, 0, 0, NULL, NULL);
}

/* A good stack: delivered on the current stack; agreement on the frame. */
static void test_good_stack(void **state)
{
	(void)state;
	struct access a = bad(OP_UD2, 0, 0, 0);
	struct rule_verdict v;

	a.rsp_bad = false;
	expect(&a, VEC_UD, 0, 0, "cur", "insn");
	rule_predict(&a, &v);
	assert_true(rule_agrees_frame(&v, 0x10, "insn", "cur"));
	assert_false(rule_agrees_frame(&v, 0x10, "insn", "ist4"));
	assert_false(rule_agrees_frame(&v, 0x33, "insn", "cur"));
	assert_false(rule_agrees_frame(&v, 0x10, "other", "cur"));
	assert_true(rule_agrees_frame(&v, 0x10, "insn", NULL));   /* not observable */
}

/* #DF agreement compares CR2 when the model gives one. */
static void test_df_cr2_agrees(void **state)
{
	(void)state;
	struct access a = bad(OP_PUSH, UNMAPPED, UNMAPPED, 0);
	struct rule_verdict v;

	rule_predict(&a, &v);
	assert_true(rule_agrees(&v, VEC_DF, 0, 0x00001000000017f8ull));
	assert_false(rule_agrees(&v, VEC_DF, 0, 0x0000100000001800ull));
	assert_true(rule_agrees_frame(&v, 0x10, "other", "ist1"));   /* RIP undefined */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push_noncanon),
		cmocka_unit_test(test_push_unmapped),
		cmocka_unit_test(test_push_readonly),
		cmocka_unit_test(test_gp_bad_stack),
		cmocka_unit_test(test_pf_then_ss),
		cmocka_unit_test(test_ud2),
		cmocka_unit_test(test_int3),
		cmocka_unit_test(test_amd_ext_masked),
		cmocka_unit_test(test_triple),
		cmocka_unit_test(test_good_stack),
		cmocka_unit_test(test_df_cr2_agrees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
