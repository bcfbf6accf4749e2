/* Host unit tests for the rule model under 5-level paging (issue 11 family
 * 9: stores, stack operations, branches, ring 3).  Expected values worked
 * out by hand: with CR4.LA57 = 1 an address is canonical when bits 63:56
 * are equal (SDM Vol. 1 3.3.7.1, Vol. 3 4.1.1); #SS(0) through SS, #GP(0)
 * otherwise (Vol. 3 6.15); a branch to a non-canonical target is #GP(0) at
 * the branch (Vol. 2 JMP/CALL/RET); #PF error code bits per Vol. 3 4.7. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "probes/model/rules.h"
#include "probes/model/vectors.h"
#include "fake_pages.h"

#define EDGE57   0x0100000000000000ull   /* first non-canonical, 5-level */
#define UPPER57  0xff00000000000000ull   /* first canonical upper half   */
#define HOLE48   0x0000800000000000ull   /* non-canonical only at 4-level */

static const struct fake_page pages[] = {
	{ EDGE57 - 0x1000, FAKE_RW_SUPER }, { HOLE48, FAKE_RW_SUPER }, { UPPER57, FAKE_RW_SUPER },
};
static struct fake_pages mem = { pages, 3 };

static struct rule_verdict at5(enum probe_op op, int base, unsigned w, uint64_t addr)
{
	struct access a = fake_access(op, base, SEGP_NONE, w, addr, &mem);
	struct rule_verdict v;
	a.paging_levels = 5;
	rule_predict(&a, &v);
	return v;
}

static void test_stores(void **state)
{
	(void)state;
	assert_int_equal(at5(OP_STORE, GPR_RAX, 8, EDGE57 - 8).vector, VEC_NONE);
	assert_int_equal(at5(OP_STORE, GPR_RAX, 8, EDGE57 - 7).vector, VEC_GP);
	assert_int_equal(at5(OP_STORE, GPR_RBP, 8, EDGE57 - 7).vector, VEC_SS);
	assert_int_equal(at5(OP_STORE, GPR_RBP, 16, EDGE57).vector, VEC_SS);
	/* the 4-level hole is an ordinary present page here */
	assert_int_equal(at5(OP_STORE, GPR_RAX, 8, HOLE48).vector, VEC_NONE);
	struct rule_verdict v = at5(OP_STORE, GPR_RAX, 8, HOLE48 + 0x1000);
	assert_int_equal(v.vector, VEC_PF);
	assert_int_equal(v.error_code, PF_ERR_WR);
	assert_true(v.cr2 == HOLE48 + 0x1000);
	/* the upper half starts at 0xff00000000000000 */
	assert_int_equal(at5(OP_STORE, GPR_RAX, 8, UPPER57 - 4).vector, VEC_GP);
	assert_int_equal(at5(OP_STORE, GPR_RAX, 8, UPPER57).vector, VEC_NONE);
}

/* push writes [RSP-8, RSP), pop reads [RSP, RSP+8), always through SS. */
static void test_stack(void **state)
{
	(void)state;
	assert_int_equal(at5(OP_PUSH, GPR_RSP, 8, EDGE57).vector, VEC_NONE);
	assert_int_equal(at5(OP_PUSH, GPR_RSP, 8, EDGE57 + 4).vector, VEC_SS);
	assert_int_equal(at5(OP_POP, GPR_RSP, 8, EDGE57 - 8).vector, VEC_NONE);
	assert_int_equal(at5(OP_POP, GPR_RSP, 8, EDGE57 - 4).vector, VEC_SS);
	assert_int_equal(at5(OP_PUSH, GPR_RSP, 8, UPPER57).vector, VEC_SS);
	assert_int_equal(at5(OP_POP, GPR_RSP, 8, UPPER57).vector, VEC_NONE);
	assert_int_equal(at5(OP_PUSH, GPR_RSP, 8, HOLE48 + 8).vector, VEC_NONE);
	struct rule_verdict v = at5(OP_PUSH, GPR_RSP, 8, HOLE48 + 0x2000);
	assert_int_equal(v.vector, VEC_PF);
	assert_int_equal(v.error_code, PF_ERR_WR);
	assert_true(v.cr2 == HOLE48 + 0x1ff8);
}

static void test_branches(void **state)
{
	(void)state;
	assert_int_equal(at5(OP_JMP, GPR_NONE, 8, EDGE57).vector, VEC_GP);
	assert_int_equal(at5(OP_RET, GPR_NONE, 8, EDGE57).vector, VEC_GP);
	assert_int_equal(at5(OP_CALL, GPR_NONE, 8, UPPER57 - 1).vector, VEC_GP);
	/* canonical, absent: the fetch at the target faults, I/D = 1 (NXE) */
	struct rule_verdict v = at5(OP_JMP, GPR_NONE, 8, HOLE48 + 0x3000);
	assert_int_equal(v.vector, VEC_PF);
	assert_int_equal(v.error_code, PF_ERR_ID);
	assert_true(v.cr2 == HOLE48 + 0x3000);
	assert_int_equal(at5(OP_CALL, GPR_NONE, 8, HOLE48).vector, VEC_NONE);
	/* 5 bytes from EDGE57-3 run into the hole: #GP */
	struct access a = fake_access(OP_JMP, GPR_NONE, SEGP_NONE, 8, EDGE57 - 3, &mem);
	a.paging_levels = 5;
	a.fetch_len = 5;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_GP);
}

/* CPL 3: U/S = 1 in the error code; a supervisor page is a protection
 * fault (P = 1). */
static void test_ring3(void **state)
{
	(void)state;
	struct access a = fake_access(OP_LOAD, GPR_RAX, SEGP_NONE, 8, HOLE48 + 0x4000, &mem);
	struct rule_verdict v;
	a.paging_levels = 5;
	a.cpl = 3;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_PF);
	assert_int_equal(v.error_code, PF_ERR_US);
	a.addr = HOLE48;
	rule_predict(&a, &v);
	assert_int_equal(v.error_code, PF_ERR_US | PF_ERR_P);
	a.addr = EDGE57;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_GP);
	a.base = GPR_RBP;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_SS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stores),
		cmocka_unit_test(test_stack),
		cmocka_unit_test(test_branches),
		cmocka_unit_test(test_ring3),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
