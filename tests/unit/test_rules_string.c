/* Host unit tests for probes/model/rules_string.c: `rep movs` with both
 * operands, element by element, read before write.  Every expected value is
 * worked out by hand from SDM Vol. 2 MOVS/REP "Operation", Vol. 3 4.7 (#PF
 * error code, CR2) and 6.5 (faults restart), never by running the model.
 *
 * Layout (as the repfault family maps it): R = 0x00005a5a00000000,
 * A = R+0x1000 and B = R+0x3000 present (supervisor, writable); R,
 * R+0x2000 and R+0x4000 absent. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "probes/model/rules.h"
#include "probes/model/vectors.h"
#include "fake_pages.h"

#define R 0x00005a5a00000000ull
#define A (R + 0x1000)
#define B (R + 0x3000)
#define LOW_END 0x0000800000000000ull

static const struct fake_page pages[] = {
	{ A, FAKE_RW_SUPER }, { B, FAKE_RW_SUPER }, { LOW_END - 0x1000, FAKE_RW_SUPER },
};
static struct fake_pages mem = { pages, 3 };

static struct access movs(unsigned w, uint64_t src, uint64_t dst, unsigned rep, bool df)
{
	struct access a = fake_access(OP_MOVS, GPR_RSI, SEGP_NONE, w, src, &mem);
	a.dst = dst;
	a.dst_known = true;
	a.rep = rep;
	a.df = df;
	return a;
}

static void check(struct access a, int vec, uint32_t err, uint64_t cr2, unsigned done,
		  enum segment seg)
{
	struct rule_verdict v;

	rule_predict(&a, &v);
	assert_int_equal(v.vector, vec);
	assert_int_equal(v.rep_done, done);
	if (vec == VEC_PF) {
		assert_int_equal(v.error_code, err);
		assert_true(v.cr2 == cr2);
	}
	if (vec != VEC_NONE)
		assert_int_equal(v.segment, seg);
}

/* Upward: 4 qwords fit before R+0x2000; the 5th element (i = 4) is the
 * first that touches the absent page.  A source read faults with W/R = 0,
 * a destination write with W/R = 1; CR2 = R+0x2000 either way. */
static void test_movs_up(void **state)
{
	(void)state;
	check(movs(8, A + 0x1000 - 32, B + 0x100, 8, false), VEC_PF, 0, R + 0x2000, 4, SEG_DS);
	check(movs(8, B + 0x100, A + 0x1000 - 32, 8, false), VEC_PF, PF_ERR_WR, R + 0x2000, 4, SEG_ES);
	/* control: 8 qwords ending exactly at the page end */
	check(movs(8, A + 0x1000 - 64, B, 8, false), VEC_NONE, 0, 0, 8, SEG_DS);
	/* misaligned dwords from A+0xff1: elements at ff1 ff5 ff9, then ffd
	 * (bytes ffd..1000) straddles: i = 3 faults, CR2 = the first byte on
	 * the absent page, R+0x2000 */
	check(movs(4, B, A + 0xff1, 8, false), VEC_PF, PF_ERR_WR, R + 0x2000, 3, SEG_ES);
	check(movs(2, A + 0xff9, B, 8, false), VEC_PF, 0, R + 0x2000, 3, SEG_DS);
}

/* Downward (DF = 1): elements at src, src-w, ...; the page below B is
 * absent.  words from B+6: B+6 B+4 B+2 B, then B-2 (i = 4), CR2 = B-2.
 * Misaligned qwords from B+0x15: B+0x15 B+0xd B+5, then B-3 whose bytes
 * B-3..B+4 start on the absent page: i = 3, CR2 = B-3 (the element's first
 * byte, which is on the absent page). */
static void test_movs_down(void **state)
{
	(void)state;
	check(movs(2, B + 6, A + 0x800, 8, true), VEC_PF, 0, B - 2, 4, SEG_DS);
	check(movs(8, A + 0x800, B + 0x15, 8, true), VEC_PF, PF_ERR_WR, B - 3, 3, SEG_ES);
	check(movs(1, A + 0x800, B + 7, 8, true), VEC_NONE, 0, 0, 8, SEG_ES);
}

/* Both operands run into an absent page at the same element: the read
 * comes first (MOVS "Operation": DEST <- SRC), so CR2 is the source's. */
static void test_movs_both(void **state)
{
	(void)state;
	check(movs(8, A + 0x1000 - 16, B + 0x1000 - 16, 8, false), VEC_PF, 0, R + 0x2000, 2, SEG_DS);
	check(movs(4, B + 4, A + 4, 8, true), VEC_PF, 0, B - 4, 2, SEG_DS);
}

/* The destination through ES runs into the non-canonical hole from a
 * present page: #GP(0) at the 3rd qword (SDM Vol. 1 3.3.7.1; ES is not SS). */
static void test_movs_dst_noncanonical(void **state)
{
	(void)state;
	check(movs(8, A, LOW_END - 16, 4, false), VEC_GP, 0, 0, 2, SEG_ES);
}

/* Without REP: one element; without dst_known only the read is modelled
 * (the straddle and matrix probes' own destination buffer). */
static void test_movs_single_and_unknown_dst(void **state)
{
	(void)state;
	check(movs(8, A, R + 0x2000, 0, false), VEC_PF, PF_ERR_WR, R + 0x2000, 0, SEG_ES);
	struct access a = movs(8, A + 0x1000 - 32, R + 0x2000, 8, false);
	a.dst_known = false;
	check(a, VEC_PF, 0, R + 0x2000, 4, SEG_DS);
}

/* access_spans(): the read then the write, each covering all elements,
 * downward spans starting rep-1 elements below the first. */
static void test_spans(void **state)
{
	(void)state;
	struct access_span s[ACCESS_SPANS_MAX];
	struct access a = movs(4, A + 0x10, B + 0x20, 8, false);

	assert_int_equal(access_spans(&a, s), 2);
	assert_true(s[0].start == A + 0x10 && s[0].len == 32 && !s[0].write && s[0].seg == SEG_DS);
	assert_true(s[1].start == B + 0x20 && s[1].len == 32 && s[1].write && s[1].seg == SEG_ES);
	a.df = true;
	assert_int_equal(access_spans(&a, s), 2);
	assert_true(s[0].start == A + 0x10 - 28 && s[1].start == B + 0x20 - 28);
	a.dst_known = false;
	assert_int_equal(access_spans(&a, s), 1);
	a = fake_access(OP_STOS, GPR_RDI, SEGP_NONE, 8, A, &mem);
	assert_int_equal(access_spans(&a, s), 1);
}

/* rep = 1 is one element with RCX 1 -> 0 (rep_done 1 when it does not
 * fault). */
static void test_rep_one(void **state)
{
	(void)state;
	struct access a = fake_access(OP_STOS, GPR_RDI, SEGP_NONE, 8, A, &mem);
	struct rule_verdict v;

	a.rep = 1;
	rule_predict(&a, &v);
	assert_int_equal(v.vector, VEC_NONE);
	assert_int_equal(v.rep_done, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_movs_up),
		cmocka_unit_test(test_movs_down),
		cmocka_unit_test(test_movs_both),
		cmocka_unit_test(test_movs_dst_noncanonical),
		cmocka_unit_test(test_movs_single_and_unknown_dst),
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_rep_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
