/* Host unit tests for the rule model's issue-11 inputs: alignment
 * (probes/model/rules_align.c), page-level protection (rules_pgprot.c),
 * the alternatives of one fault class (rules.c, rule_alt) and every #PF
 * error-code bit.  Every expected value is worked out by hand from the
 * SDM/APM text cited beside it, never by running the model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "probes/model/rules.h"
#include "probes/model/page_desc.h"
#include "probes/model/vectors.h"
#include "fake_pages.h"

#define PAGE_A  0x0000100000000000ull   /* present (per test)   */
#define PAGE_B  0x0000100000001000ull   /* never present         */
#define VMCORE  0x0072006900560338ull   /* non-canonical, 8 mod 16 */
#define LO_EDGE 0x0000800000000000ull

static struct page_info page_a;         /* what PAGE_A is in a test */

static void query(void *ctx, uint64_t linear, struct page_info *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	out->state = PAGE_NOT_PRESENT;
	if ((linear & ~0xfffull) == PAGE_A)
		*out = page_a;
}

static struct access acc(enum probe_op op, int base, unsigned width, uint64_t addr, unsigned cpl)
{
	struct access a = fake_access(op, base, SEGP_NONE, width, addr, NULL);

	a.cpl = cpl;
	a.page_query = query;
	return a;
}

static void set_page(bool w, bool u, bool nx, bool rsvd, unsigned pkey)
{
	page_a = (struct page_info){ PAGE_PRESENT, w, u, nx, rsvd, pkey };
}

static struct rule_verdict predict(struct access a)
{
	struct rule_verdict v;
	memset(&v, 0xa5, sizeof(v));
	rule_predict(&a, &v);
	return v;
}

/* ------------------------------------------------------------ alignment */

/* SDM Vol.2 MOVAPS 64-bit mode exceptions: "#GP(0) ... If a memory operand
 * is not aligned on a 16-byte boundary, regardless of segment." */
static void test_aligned_operand_gp(void **state)
{
	(void)state;
	set_page(true, false, false, false, 0);
	struct access a = acc(OP_LOAD, GPR_RAX, 16, PAGE_A + 8, 0);
	a.align = 16;
	struct rule_verdict v = predict(a);
	assert_int_equal(v.vector, VEC_GP);
	assert_int_equal(v.error_code, 0);
	assert_int_equal(v.nalt, 0);
	a.addr = PAGE_A + 16;                      /* aligned: no fault */
	assert_int_equal(predict(a).vector, VEC_NONE);
	a.align = 32;                              /* VEX.256: 32 */
	assert_int_equal(predict(a).vector, VEC_GP);
	/* without the requirement (MOVUPS) nothing faults */
	a.align = 0;
	a.addr = PAGE_A + 8;
	assert_int_equal(predict(a).vector, VEC_NONE);
}

/* Two faults of one class (SDM Vol.3 6.9: order implementation-dependent):
 * misaligned on an absent page -> #GP or #PF; misaligned and non-canonical
 * through RBP (SS) -> #SS or #GP.  Either agrees; nothing else does. */
static void test_alignment_order_alternatives(void **state)
{
	(void)state;
	struct access a = acc(OP_LOAD, GPR_RAX, 16, PAGE_B + 8, 0);
	a.align = 16;
	struct rule_verdict v = predict(a);
	assert_int_equal(v.vector, VEC_GP);
	assert_int_equal(v.nalt, 1);
	assert_int_equal(v.alt[0].vector, VEC_PF);
	assert_int_equal(v.alt[0].error_code, 0);
	assert_true(v.alt[0].cr2 == PAGE_B + 8);
	assert_true(rule_agrees(&v, VEC_GP, 0, 0));
	assert_true(rule_agrees(&v, VEC_PF, 0, PAGE_B + 8));
	assert_false(rule_agrees(&v, VEC_PF, PF_ERR_WR, PAGE_B + 8));
	assert_false(rule_agrees(&v, VEC_SS, 0, 0));

	a = acc(OP_LOAD, GPR_RBP, 16, VMCORE, 0);
	a.align = 16;
	v = predict(a);
	assert_int_equal(v.vector, VEC_SS);
	assert_int_equal(v.nalt, 1);
	assert_int_equal(v.alt[0].vector, VEC_GP);
	/* through DS both are #GP(0): one verdict, no alternative */
	a.base = GPR_RAX;
	v = predict(a);
	assert_int_equal(v.vector, VEC_GP);
	assert_int_equal(v.nalt, 0);
	/* aligned and non-canonical through SS: #SS only */
	a.base = GPR_RBP;
	a.addr = VMCORE & ~15ull;
	v = predict(a);
	assert_int_equal(v.vector, VEC_SS);
	assert_int_equal(v.nalt, 0);
	assert_false(rule_agrees(&v, VEC_GP, 0, 0));
}

/* SDM Vol.3 6.15 int 17: #AC(0) needs CR0.AM, RFLAGS.AC and CPL 3; word 2,
 * doubleword 4, quadword 8 (Table 6-7); data and stack accesses only. */
static void test_alignment_check(void **state)
{
	(void)state;
	set_page(true, true, false, false, 0);
	struct access a = acc(OP_LOAD, GPR_RAX, 8, PAGE_A + 4, 3);
	a.cr0_am = a.rflags_ac = true;
	struct rule_verdict v = predict(a);
	assert_int_equal(v.vector, VEC_AC);
	assert_int_equal(v.error_code, 0);
	a.addr = PAGE_A + 8;
	assert_int_equal(predict(a).vector, VEC_NONE);
	a.addr = PAGE_A + 2;
	a.width = 4;
	assert_int_equal(predict(a).vector, VEC_AC);    /* a doubleword at 2 mod 4 */
	a.addr = PAGE_A + 1;
	a.width = 2;
	assert_int_equal(predict(a).vector, VEC_AC);
	a.width = 1;                                    /* a byte is always aligned */
	assert_int_equal(predict(a).vector, VEC_NONE);
	a.width = 8;
	a.rflags_ac = false;                            /* AC = 0 */
	assert_int_equal(predict(a).vector, VEC_NONE);
	a.rflags_ac = true;
	a.cr0_am = false;                               /* AM = 0 */
	assert_int_equal(predict(a).vector, VEC_NONE);
	a.cr0_am = true;
	a.cpl = 0;                                      /* CPL 0 */
	assert_int_equal(predict(a).vector, VEC_NONE);
	/* push with RSP = 4 mod 8 writes [RSP-8, RSP): a misaligned quadword */
	a = acc(OP_PUSH, GPR_RSP, 8, PAGE_A + 0x804, 3);
	a.cr0_am = a.rflags_ac = true;
	assert_int_equal(predict(a).vector, VEC_AC);
	/* a fetch is never alignment-checked */
	a = acc(OP_JMP, GPR_NONE, 8, PAGE_A + 1, 3);
	a.cr0_am = a.rflags_ac = true;
	assert_int_equal(predict(a).vector, VEC_NONE);
}

/* #AC against the other faults of its class: an absent page (#AC or #PF),
 * non-canonical (#GP/#SS or #AC). */
static void test_alignment_check_order(void **state)
{
	(void)state;
	struct access a = acc(OP_LOAD, GPR_RAX, 8, PAGE_B + 4, 3);
	a.cr0_am = a.rflags_ac = true;
	struct rule_verdict v = predict(a);
	assert_int_equal(v.vector, VEC_AC);
	assert_int_equal(v.nalt, 1);
	assert_int_equal(v.alt[0].vector, VEC_PF);
	assert_int_equal(v.alt[0].error_code, PF_ERR_US);
	a.addr = LO_EDGE - 4;                           /* straddles into the hole */
	a.base = GPR_RBP;
	v = predict(a);
	assert_int_equal(v.vector, VEC_SS);
	assert_int_equal(v.nalt, 1);
	assert_int_equal(v.alt[0].vector, VEC_AC);
	assert_false(rule_agrees(&v, VEC_PF, PF_ERR_US, LO_EDGE - 4));
}

/* SDM Vol.3 6.15: MOVUPS and friends "#AC may or may not be generated
 * depending on processor implementation when data addresses are not aligned
 * on an 8-byte boundary" -> no fault, or #AC.  AMD (measured): any address
 * not 16-byte aligned.  FXSAVE: "either an alignment-check exception or a
 * general-protection exception". */
static void test_alignment_check_implementation_dependent(void **state)
{
	(void)state;
	set_page(true, true, false, false, 0);
	struct access a = acc(OP_LOAD, GPR_RAX, 16, PAGE_A + 1, 3);
	a.cr0_am = a.rflags_ac = true;
	struct rule_verdict v = predict(a);
	assert_int_equal(v.vector, VEC_NONE);
	assert_int_equal(v.nalt, 1);
	assert_int_equal(v.alt[0].vector, VEC_AC);
	assert_true(rule_agrees(&v, VEC_AC, 0, 0));
	assert_true(rule_agrees(&v, VEC_NONE, 0, 0));
	a.addr = PAGE_B + 1;                            /* absent page: #PF, or #AC */
	v = predict(a);
	assert_int_equal(v.vector, VEC_PF);
	assert_int_equal(v.nalt, 1);
	assert_int_equal(v.alt[0].vector, VEC_AC);
	a.addr = PAGE_A + 8;                            /* Intel: 8-aligned, no #AC */
	v = predict(a);
	assert_int_equal(v.nalt, 0);
	assert_false(rule_agrees(&v, VEC_AC, 0, 0));
	a.vendor = VENDOR_AMD;
	v = predict(a);
	assert_int_equal(v.nalt, 1);
	assert_true(rule_agrees(&v, VEC_AC, 0, 0));

	a = acc(OP_STORE, GPR_RSI, 512, PAGE_A + 8, 3);
	a.align = 16;
	a.align_ac = true;
	a.cr0_am = a.rflags_ac = true;
	v = predict(a);
	assert_int_equal(v.vector, VEC_GP);
	assert_int_equal(v.nalt, 1);
	assert_int_equal(v.alt[0].vector, VEC_AC);
	a.rflags_ac = false;                            /* without checking: #GP only */
	assert_int_equal(predict(a).nalt, 0);
}

/* A save area on an absent page: CR2 is a byte of the area on that page
 * (which one the manuals do not say: AMD reports the last one). */
static void test_save_area_cr2(void **state)
{
	(void)state;
	struct access a = acc(OP_STORE, GPR_RSI, 512, PAGE_B, 0);
	a.align = 16;
	struct rule_verdict v = predict(a);
	assert_int_equal(v.vector, VEC_PF);
	assert_int_equal(v.error_code, PF_ERR_WR);
	assert_true(rule_agrees(&v, VEC_PF, PF_ERR_WR, PAGE_B));
	assert_true(rule_agrees(&v, VEC_PF, PF_ERR_WR, PAGE_B + 511));
	assert_false(rule_agrees(&v, VEC_PF, PF_ERR_WR, PAGE_B + 512));
	assert_false(rule_agrees(&v, VEC_PF, PF_ERR_WR, PAGE_B - 1));
	/* XSAVE reads its header (OLD_BV) too: W/R either way, CR2 anywhere */
	a = acc(OP_STORE, GPR_RSI, 576, PAGE_B, 0);
	a.align = 64;
	a.store_reads = true;
	v = predict(a);
	assert_true(rule_agrees(&v, VEC_PF, 0, PAGE_B + 512));
	assert_true(rule_agrees(&v, VEC_PF, PF_ERR_WR, PAGE_B));
	assert_false(rule_agrees(&v, VEC_PF, PF_ERR_US, PAGE_B));
	/* an ordinary access keeps CR2 = its first byte */
	a = acc(OP_LOAD, GPR_RAX, 8, PAGE_B, 0);
	v = predict(a);
	assert_false(rule_agrees(&v, VEC_PF, 0, PAGE_B + 7));
}

/* ------------------------------------------------------------ page protection */

/* SDM Vol.3 4.6.1: CPL-0 writes honour R/W only with CR0.WP = 1; CPL-3
 * writes always.  4.7: P|W (+U/S at CPL 3). */
static void test_write_protect(void **state)
{
	(void)state;
	set_page(false, false, false, false, 0);
	struct access a = acc(OP_STORE, GPR_RAX, 8, PAGE_A + 0x10, 0);
	struct rule_verdict v = predict(a);
	assert_int_equal(v.vector, VEC_PF);
	assert_int_equal(v.error_code, PF_ERR_P | PF_ERR_WR);
	assert_int_equal(v.error_mask, 0xffffffffu);
	a.cr0_wp_off = true;
	assert_int_equal(predict(a).vector, VEC_NONE);
	set_page(false, true, false, false, 0);
	a.cpl = 3;
	v = predict(a);
	assert_int_equal(v.vector, VEC_PF);
	assert_int_equal(v.error_code, PF_ERR_P | PF_ERR_WR | PF_ERR_US);
}

/* SDM Vol.3 4.6.1: SMAP stops explicit supervisor data accesses to user
 * pages unless RFLAGS.AC = 1 (STAC); SMEP stops supervisor fetches from
 * them; neither does the other's job. */
static void test_smap_smep(void **state)
{
	(void)state;
	set_page(true, true, false, false, 0);
	struct access a = acc(OP_LOAD, GPR_RAX, 8, PAGE_A + 0x100, 0);
	a.cr4_smap = true;
	struct rule_verdict v = predict(a);
	assert_int_equal(v.vector, VEC_PF);
	assert_int_equal(v.error_code, PF_ERR_P);
	a.op = OP_STORE;
	assert_int_equal(predict(a).error_code, PF_ERR_P | PF_ERR_WR);
	a.cr0_wp_off = true;                            /* SMAP ignores WP */
	assert_int_equal(predict(a).error_code, PF_ERR_P | PF_ERR_WR);
	a.rflags_ac = true;                             /* STAC */
	assert_int_equal(predict(a).vector, VEC_NONE);
	a = acc(OP_CALL, GPR_NONE, 8, PAGE_A, 0);
	a.cr4_smap = true;                              /* SMAP alone: fetch ok */
	assert_int_equal(predict(a).vector, VEC_NONE);
	a.cr4_smep = true;
	v = predict(a);
	assert_int_equal(v.vector, VEC_PF);
	assert_int_equal(v.error_code, PF_ERR_P | PF_ERR_ID);
	a = acc(OP_LOAD, GPR_RAX, 8, PAGE_A, 0);
	a.cr4_smep = true;                              /* SMEP alone: data ok */
	assert_int_equal(predict(a).vector, VEC_NONE);
	set_page(true, false, false, false, 0);         /* supervisor page */
	a.cr4_smap = true;
	assert_int_equal(predict(a).vector, VEC_NONE);
}

/* SDM Vol.3 4.7: a reserved bit gives RSVD with P (RSVD "can be set only if
 * bit 0 is also set"), whatever the rights; W/R, U/S, I/D as usual. */
static void test_reserved_bit(void **state)
{
	(void)state;
	set_page(true, true, false, true, 0);
	struct access a = acc(OP_LOAD, GPR_RAX, 8, PAGE_A + 0x10, 0);
	assert_int_equal(predict(a).error_code, PF_ERR_P | PF_ERR_RSVD);
	a.op = OP_STORE;
	a.cpl = 3;
	assert_int_equal(predict(a).error_code, PF_ERR_P | PF_ERR_RSVD | PF_ERR_WR | PF_ERR_US);
	a = acc(OP_CALL, GPR_NONE, 8, PAGE_A, 0);
	struct rule_verdict v = predict(a);
	assert_int_equal(v.error_code, PF_ERR_P | PF_ERR_RSVD | PF_ERR_ID);
	/* TCG 7.2's code (no P) disagrees */
	assert_false(rule_agrees(&v, VEC_PF, PF_ERR_RSVD | PF_ERR_ID, PAGE_A));
}

/* SDM Vol.3 4.6.2 / 4.7: PKRU.AD denies data accesses to user pages of the
 * key, WD writes (CPL 3, or CPL 0 with WP = 1); fetches are not checked; PK
 * (bit 5) whenever PKRU denies. */
static void test_protection_keys(void **state)
{
	(void)state;
	set_page(true, true, false, false, 1);
	struct access a = acc(OP_LOAD, GPR_RAX, 8, PAGE_A + 0x10, 3);
	a.cr4_pke = true;
	a.pkru = 1u << 2;                               /* AD1 */
	assert_int_equal(predict(a).error_code, PF_ERR_P | PF_ERR_US | PF_ERR_PK);
	a.cpl = 0;                                      /* supervisor access too */
	assert_int_equal(predict(a).error_code, PF_ERR_P | PF_ERR_PK);
	a.pkru = 1u << 3;                               /* WD1, a read */
	assert_int_equal(predict(a).vector, VEC_NONE);
	a.op = OP_STORE;                                /* WD1, CPL 0, WP = 1 */
	assert_int_equal(predict(a).error_code, PF_ERR_P | PF_ERR_WR | PF_ERR_PK);
	a.cr0_wp_off = true;                            /* WP = 0 */
	assert_int_equal(predict(a).vector, VEC_NONE);
	a.cpl = 3;                                      /* CPL 3 ignores WP */
	assert_int_equal(predict(a).error_code, PF_ERR_P | PF_ERR_WR | PF_ERR_US | PF_ERR_PK);
	a.cr4_pke = false;                              /* PKE off: keys ignored */
	assert_int_equal(predict(a).vector, VEC_NONE);
	a = acc(OP_CALL, GPR_NONE, 8, PAGE_A, 3);       /* fetch: never checked */
	a.cr4_pke = true;
	a.pkru = 3u << 2;
	assert_int_equal(predict(a).vector, VEC_NONE);
	/* read-only and WD: PK set as well */
	set_page(false, true, false, false, 2);
	a = acc(OP_STORE, GPR_RAX, 8, PAGE_A + 0x10, 3);
	a.cr4_pke = true;
	a.pkru = 1u << 5;
	assert_int_equal(predict(a).error_code, PF_ERR_P | PF_ERR_WR | PF_ERR_US | PF_ERR_PK);
	/* another key's bits deny nothing */
	a.pkru = 3u << 6;
	assert_int_equal(predict(a).error_code, PF_ERR_P | PF_ERR_WR | PF_ERR_US);
}

/* ------------------------------------------------------------ map= */

static void test_page_desc(void **state)
{
	(void)state;
	char buf[64];
	struct strbuf sb;
	struct page_info pi = { PAGE_PRESENT, true, true, true, true, 12 }, back;
	uint64_t va;

	sb_init(&sb, buf, sizeof(buf));
	page_desc_put(&sb, 0x0000300000005000ull, &pi);
	assert_string_equal(buf, "0x0000300000005000:p+w+u+nx+rsvd+pk12");
	assert_true(page_desc_parse(buf, &va, &back));
	assert_true(va == 0x0000300000005000ull);
	assert_int_equal(back.state, PAGE_PRESENT);
	assert_true(back.writable && back.user && back.nx && back.rsvd);
	assert_int_equal(back.pkey, 12);
	assert_true(page_desc_parse("0x1000:p,0x2000:np", &va, &back));
	assert_true(va == 0x1000 && back.state == PAGE_PRESENT && !back.writable);
	assert_false(page_desc_parse("0x1000:p+bogus", &va, &back));
	assert_false(page_desc_parse("1000:p", &va, &back));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aligned_operand_gp),
		cmocka_unit_test(test_alignment_order_alternatives),
		cmocka_unit_test(test_alignment_check),
		cmocka_unit_test(test_alignment_check_order),
		cmocka_unit_test(test_alignment_check_implementation_dependent),
		cmocka_unit_test(test_save_area_cr2),
		cmocka_unit_test(test_write_protect),
		cmocka_unit_test(test_smap_smep),
		cmocka_unit_test(test_reserved_bit),
		cmocka_unit_test(test_protection_keys),
		cmocka_unit_test(test_page_desc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
