/* Host unit tests for probes/rules.c, the manuals' model.  Every expected
 * value here is worked out by hand from the SDM/APM text cited beside it,
 * never by running the model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "probes/model/rules.h"
#include "probes/model/vectors.h"

#define LOW_END   0x0000800000000000ull /* first non-canonical, 4-level */
#define HIGH_BEG  0xFFFF800000000000ull /* first canonical upper, 4-level */
#define VMCORE    0x0072006900560338ull /* the seed's overwritten freelist */
/* the model predicts every error-code bit (issue 11: PK, SS, SGX are 0 here) */
#define PF_ALL    0xFFFFFFFFu

/* ------------------------------------------------------------ fake pages */

struct fake_page {
	uint64_t page;
	struct page_info info;
};
struct fake_mem {
	const struct fake_page *pages;
	size_t n;
	uint64_t unknown_from; /* 0: none; else pages >= this are PAGE_UNKNOWN */
	unsigned nq;
	uint64_t queries[8];
};

static void fake_query(void *ctx, uint64_t linear, struct page_info *out)
{
	struct fake_mem *m = ctx;

	if (m->nq < 8)
		m->queries[m->nq] = linear;
	m->nq++;
	memset(out, 0, sizeof(*out));
	out->state = PAGE_NOT_PRESENT;
	if (m->unknown_from && linear >= m->unknown_from) {
		out->state = PAGE_UNKNOWN;
		return;
	}
	for (size_t i = 0; i < m->n; i++)
		if (m->pages[i].page == (linear & ~0xFFFull))
			*out = m->pages[i].info;
}

#define RW_USER  { PAGE_PRESENT, true, true, false, false, 0 }
#define RO_USER  { PAGE_PRESENT, false, true, false, false, 0 }
#define RW_SUPER { PAGE_PRESENT, true, false, false, false, 0 }
#define NX_SUPER { PAGE_PRESENT, true, false, true, false, 0 }
#define RW_USER_NX { PAGE_PRESENT, true, true, true, false, 0 }

/* ------------------------------------------------------------ helpers */

static struct access acc(enum probe_op op, int base, enum seg_prefix p,
			 unsigned width, uint64_t addr)
{
	struct access a;

	memset(&a, 0, sizeof(a));
	a.op = op;
	a.base = base;
	a.index = GPR_NONE;
	a.prefix = p;
	a.width = width;
	a.addr = addr;
	a.cpl = 0;
	a.paging_levels = 4;
	a.vendor = VENDOR_INTEL;
	return a;
}

static struct access with_mem(struct access a, struct fake_mem *m)
{
	a.page_query = fake_query;
	a.page_ctx = m;
	return a;
}

/* Predict and compare vector, error code (0 with a full mask for #SS/#GP),
 * and CR2 for #PF; report the source line and the access on mismatch. */
static struct rule_verdict expect_at(int line, struct access a, int vec,
				     uint32_t err, uint64_t cr2)
{
	struct rule_verdict v;
	bool ok;

	memset(&v, 0xa5, sizeof(v));
	rule_predict(&a, &v);
	ok = v.vector == vec && v.reason && v.cite;
	if (vec == VEC_SS || vec == VEC_GP)
		ok = ok && v.error_code == 0 && v.error_mask == 0xFFFFFFFFu;
	if (vec == VEC_PF)
		ok = ok && v.error_code == err && v.cr2 == cr2;
	if (!ok) {
		print_error("line %d: %s base=%s prefix=%s w=%u addr=%#llx levels=%u:"
			    " got vec=%d err=%#x cr2=%#llx, want vec=%d err=%#x cr2=%#llx\n",
			    line, probe_op_name(a.op), gpr_name(a.base),
			    seg_prefix_name(a.prefix), a.width,
			    (unsigned long long)a.addr, a.paging_levels, v.vector,
			    v.error_code, (unsigned long long)v.cr2, vec, err,
			    (unsigned long long)cr2);
		fail();
	}
	return v;
}
#define EXPECT(a, vec, err, cr2) expect_at(__LINE__, (a), (vec), (err), (cr2))

/* ------------------------------------------------------------ rule 1 */

static void test_canonical_4level(void **state)
{
	(void)state;
	/* SDM Vol.1 3.3.7.1: bits 63:47 all equal. */
	assert_true(canonical_limit(4) == 1ull << 47);
	assert_true(addr_is_canonical(0, 4));
	assert_true(addr_is_canonical(LOW_END - 1, 4));
	assert_false(addr_is_canonical(LOW_END, 4));
	assert_false(addr_is_canonical(HIGH_BEG - 1, 4));
	assert_true(addr_is_canonical(HIGH_BEG, 4));
	assert_true(addr_is_canonical(~0ull, 4));
	assert_false(addr_is_canonical(VMCORE, 4));
	assert_false(addr_is_canonical(0x8000000000000000ull, 4));
	assert_false(addr_is_canonical(0x7FFFFFFFFFFFFFFFull, 4));
	/* Any single bit in 47..62 set alone is non-canonical; below 47 fine. */
	for (int b = 0; b < 63; b++)
		assert_int_equal(addr_is_canonical(1ull << b, 4), b < 47);
}

static void test_canonical_5level(void **state)
{
	(void)state;
	/* SDM Vol.3 4.1.1 / Vol.1 3.3.7.1: with LA57, bits 63:56 equal. */
	assert_true(canonical_limit(5) == 1ull << 56);
	assert_true(addr_is_canonical(LOW_END, 5));
	assert_true(addr_is_canonical(HIGH_BEG - 1, 5));
	assert_true(addr_is_canonical((1ull << 56) - 1, 5));
	assert_false(addr_is_canonical(1ull << 56, 5));
	assert_false(addr_is_canonical(0xFEFFFFFFFFFFFFFFull, 5));
	assert_true(addr_is_canonical(0xFF00000000000000ull, 5));
	assert_true(addr_is_canonical(VMCORE, 5));
	for (int b = 0; b < 63; b++)
		assert_int_equal(addr_is_canonical(1ull << b, 5), b < 56);
}

static void test_range_canonical(void **state)
{
	(void)state;
	/* Every byte counts; addresses wrap modulo 2^64. */
	assert_true(range_is_canonical(0x7FFFFFFFFFF8ull, 8, 4));
	assert_false(range_is_canonical(0x7FFFFFFFFFF9ull, 8, 4));
	assert_false(range_is_canonical(0x7FFFFFFFFFFFull, 2, 4));
	assert_true(range_is_canonical(0x7FFFFFFFFFFFull, 1, 4));
	assert_false(range_is_canonical(HIGH_BEG - 1, 2, 4)); /* first byte bad */
	assert_true(range_is_canonical(HIGH_BEG, 32, 4));
	assert_true(range_is_canonical(~0ull, 8, 4));  /* ..FF, 0..6 */
	assert_true(range_is_canonical(~0ull - 15, 32, 4));
	assert_false(range_is_canonical(VMCORE, 1, 4));
	assert_true(range_is_canonical(LOW_END, 0, 4)); /* touches nothing */
	assert_true(range_is_canonical(0x00FFFFFFFFFFFFF8ull, 8, 5));
	assert_false(range_is_canonical(0x00FFFFFFFFFFFFF9ull, 8, 5));
	assert_false(range_is_canonical(0x00FFFFFFFFFFFFF8ull, 8, 4));
	assert_true(range_is_canonical(0xFF00000000000000ull, 32, 5));
	assert_false(range_is_canonical(0xFF00000000000000ull - 1, 2, 5));
}

/* ------------------------------------------------------------ seed table */

/* BRIEF.md's probe table, 8-byte load through an RBP base, 4-level, as
 * recorded, plus the vmcore value (bits 63:47 mixed -> non-canonical). */
static const struct { uint64_t addr; int vec; } seed[] = {
	{ 0x0000100000000000ull, VEC_PF }, { 0x00007FFFFFFFFFF9ull, VEC_SS },
	{ 0x0000400000000000ull, VEC_PF }, { 0x00007FFFFFFFFFFAull, VEC_SS },
	{ 0x0000700000000000ull, VEC_PF }, { 0x00007FFFFFFFFFFCull, VEC_SS },
	{ 0x00007FFFFF000000ull, VEC_PF }, { 0x00007FFFFFFFFFFEull, VEC_SS },
	{ 0x00007FFFFFFFF000ull, VEC_PF }, { 0x00007FFFFFFFFFFFull, VEC_SS },
	{ 0x00007FFFFFFFFF00ull, VEC_PF }, { 0x0000800000000000ull, VEC_SS },
	{ 0x00007FFFFFFFFFF0ull, VEC_PF }, { 0x0000FFFFFFFFFFFFull, VEC_SS },
	{ 0x00007FFFFFFFFFF7ull, VEC_PF }, { 0x0001000000000000ull, VEC_SS },
	{ 0x00007FFFFFFFFFF8ull, VEC_PF }, { 0x0010000000000000ull, VEC_SS },
	{ 0xFFFF800000000000ull, VEC_PF }, { 0xFFFF7FFFFFFFFFFFull, VEC_SS },
	{ 0xFFFFFFFFFFFFFFFFull, VEC_PF },
	{ VMCORE, VEC_SS },
};

static void seed_rows(enum cpu_vendor vendor)
{
	struct fake_mem none = { 0 };

	assert_int_equal(sizeof(seed) / sizeof(seed[0]), 22);
	for (size_t i = 0; i < sizeof(seed) / sizeof(seed[0]); i++) {
		struct access a = acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, seed[i].addr);
		struct rule_verdict v;

		a.index = GPR_RAX; /* mov 0x0(%rbp,%rax,1),%rbx */
		a.vendor = vendor;
		/* #PF rows: nothing mapped, read, CPL 0 -> error code 0, CR2 =
		 * the first byte (also for 0xFFFF..FF, whose page is the first). */
		v = EXPECT(a, seed[i].vec, 0, seed[i].addr);
		if (seed[i].vec == VEC_SS) {
			assert_string_equal(v.reason, "non-canonical via SS");
			assert_int_equal(v.segment, SEG_SS);
		}
		/* Same with an explicit all-absent oracle. */
		EXPECT(with_mem(a, &none), seed[i].vec, 0, seed[i].addr);
		/* mov (%r15,%rax,1),%rbx: DS -> #GP where RBP gave #SS. */
		a.base = GPR_R15;
		v = EXPECT(a, seed[i].vec == VEC_SS ? VEC_GP : VEC_PF, 0, seed[i].addr);
		if (seed[i].vec == VEC_SS)
			assert_string_equal(v.reason, "non-canonical via DS");
	}
}

static void test_seed_table_intel(void **state)
{
	(void)state;
	seed_rows(VENDOR_INTEL);
}

static void test_seed_table_amd(void **state)
{
	(void)state;
	seed_rows(VENDOR_AMD); /* no documented difference for these rows */
}

/* ------------------------------------------------------------ edges */

static const unsigned widths[] = { 1, 2, 4, 8, 16, 32 };

static void test_straddle_low_edge(void **state)
{
	(void)state;
	/* [LOW_END-k, LOW_END-k+w) reaches LOW_END exactly when k < w. */
	for (size_t i = 0; i < 6; i++) {
		unsigned w = widths[i];
		for (unsigned k = 1; k <= w; k++) {
			uint64_t addr = LOW_END - k;
			bool bad = k < w;

			EXPECT(acc(OP_LOAD, GPR_RBP, SEGP_NONE, w, addr),
			       bad ? VEC_SS : VEC_PF, 0, addr);
			EXPECT(acc(OP_LOAD, GPR_R15, SEGP_NONE, w, addr),
			       bad ? VEC_GP : VEC_PF, 0, addr);
			EXPECT(acc(OP_STORE, GPR_RSP, SEGP_NONE, w, addr),
			       bad ? VEC_SS : VEC_PF, PF_ERR_WR, addr);
			assert_int_equal(range_is_canonical(addr, w, 4), !bad);
		}
	}
}

static void test_straddle_high_edge(void **state)
{
	(void)state;
	/* HIGH_BEG-k is itself non-canonical for every k >= 1, so the access
	 * faults on its first byte even when it reaches HIGH_BEG. */
	for (size_t i = 0; i < 6; i++) {
		unsigned w = widths[i];
		for (unsigned k = 1; k <= w; k++) {
			uint64_t addr = HIGH_BEG - k;

			EXPECT(acc(OP_LOAD, GPR_RBP, SEGP_NONE, w, addr), VEC_SS, 0, 0);
			EXPECT(acc(OP_LOAD, GPR_R15, SEGP_NONE, w, addr), VEC_GP, 0, 0);
			assert_false(range_is_canonical(addr, w, 4));
		}
		EXPECT(acc(OP_LOAD, GPR_RBP, SEGP_NONE, w, HIGH_BEG), VEC_PF, 0, HIGH_BEG);
	}
}

static void test_wrap_top(void **state)
{
	(void)state;
	/* 2^64-k .. wraps into 0x0..: all canonical, so #PF at the first byte
	 * (its page 0xFFFFFFFFFFFFF000 is absent). */
	for (size_t i = 0; i < 6; i++) {
		unsigned w = widths[i];
		for (unsigned k = 1; k <= w; k++) {
			uint64_t addr = 0 - (uint64_t)k;

			EXPECT(acc(OP_LOAD, GPR_RBP, SEGP_NONE, w, addr), VEC_PF, 0, addr);
		}
	}
}

static void test_wrap_top_into_mapped_zero(void **state)
{
	/* Top page present, page 0 absent: the wrapped part faults, CR2 = 0. */
	static const struct fake_page pages[] = { { 0xFFFFFFFFFFFFF000ull, RW_SUPER } };
	struct fake_mem m = { pages, 1, 0, 0, { 0 } };

	(void)state;
	EXPECT(with_mem(acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, ~0ull), &m), VEC_PF, 0, 0);
	assert_int_equal(m.nq, 2);
	assert_true(m.queries[0] == ~0ull);
	assert_true(m.queries[1] == 0);
}

static void test_five_level(void **state)
{
	struct access a;

	(void)state;
	/* LA57: the 4-level hole is ordinary address space. */
	a = acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, VMCORE);
	a.paging_levels = 5;
	EXPECT(a, VEC_PF, 0, VMCORE);
	a.addr = LOW_END - 4;
	EXPECT(a, VEC_PF, 0, LOW_END - 4);
	a.addr = HIGH_BEG - 1;
	EXPECT(a, VEC_PF, 0, HIGH_BEG - 1);
	/* The 1<<56 edge, both sides. */
	for (unsigned k = 1; k <= 8; k++) {
		a.addr = (1ull << 56) - k;
		EXPECT(a, k < 8 ? VEC_SS : VEC_PF, 0, a.addr);
		a.addr = 0xFF00000000000000ull - k;
		EXPECT(a, VEC_SS, 0, 0);
	}
	a.addr = 0xFF00000000000000ull;
	EXPECT(a, VEC_PF, 0, a.addr);
	a.base = GPR_R15;
	a.addr = 1ull << 56;
	EXPECT(a, VEC_GP, 0, 0);
	a.op = OP_JMP;
	EXPECT(a, VEC_GP, 0, 0);
	a.addr = LOW_END;
	EXPECT(a, VEC_PF, 0, LOW_END);
}

/* ------------------------------------------------------------ rule 2 */

static void test_effective_segment(void **state)
{
	(void)state;
	/* SDM Vol.1 3.7.4: RSP/RBP base -> SS, other bases -> DS. */
	for (int r = GPR_RAX; r < GPR_COUNT; r++)
		assert_int_equal(effective_segment(r, SEGP_NONE),
				 r == GPR_RSP || r == GPR_RBP ? SEG_SS : SEG_DS);
	assert_int_equal(effective_segment(GPR_NONE, SEGP_NONE), SEG_DS);
	/* SDM Vol.1 3.3.7.1, APM Vol.3 1.2.4: ES/CS/SS/DS overrides ignored, FS/GS apply. */
	for (int p = SEGP_ES; p <= SEGP_DS; p++) {
		assert_int_equal(effective_segment(GPR_RBP, (enum seg_prefix)p), SEG_SS);
		assert_int_equal(effective_segment(GPR_R15, (enum seg_prefix)p), SEG_DS);
	}
	assert_int_equal(effective_segment(GPR_RBP, SEGP_FS), SEG_FS);
	assert_int_equal(effective_segment(GPR_RSP, SEGP_GS), SEG_GS);
	assert_int_equal(effective_segment(GPR_R15, SEGP_GS), SEG_GS);
}

static void test_prefixes(void **state)
{
	struct rule_verdict v;

	(void)state;
	/* ss: on r15 is ignored -> still DS -> #GP. */
	v = EXPECT(acc(OP_LOAD, GPR_R15, SEGP_SS, 8, VMCORE), VEC_GP, 0, 0);
	assert_int_equal(v.segment, SEG_DS);
	/* fs:/gs: on rbp -> FS/GS -> #GP, not #SS. */
	v = EXPECT(acc(OP_LOAD, GPR_RBP, SEGP_FS, 8, VMCORE), VEC_GP, 0, 0);
	assert_int_equal(v.segment, SEG_FS);
	assert_string_equal(v.reason, "non-canonical via FS");
	v = EXPECT(acc(OP_LOAD, GPR_RBP, SEGP_GS, 8, VMCORE), VEC_GP, 0, 0);
	assert_int_equal(v.segment, SEG_GS);
	/* es:/cs:/ds:/ss: on rbp are ignored -> SS -> #SS. */
	EXPECT(acc(OP_LOAD, GPR_RBP, SEGP_ES, 8, VMCORE), VEC_SS, 0, 0);
	EXPECT(acc(OP_LOAD, GPR_RBP, SEGP_CS, 8, VMCORE), VEC_SS, 0, 0);
	EXPECT(acc(OP_LOAD, GPR_RBP, SEGP_DS, 8, VMCORE), VEC_SS, 0, 0);
	EXPECT(acc(OP_LOAD, GPR_RBP, SEGP_SS, 8, VMCORE), VEC_SS, 0, 0);
	EXPECT(acc(OP_STORE, GPR_RSP, SEGP_DS, 4, VMCORE), VEC_SS, 0, 0);
	/* A prefix changes nothing for a canonical #PF. */
	EXPECT(acc(OP_LOAD, GPR_RBP, SEGP_FS, 8, 0x1000), VEC_PF, 0, 0x1000);
}

static void test_base_not_index(void **state)
{
	struct access a;

	(void)state;
	/* (%rax,%rbp,1): base rax -> DS -> #GP; the index never matters. */
	a = acc(OP_LOAD, GPR_RAX, SEGP_NONE, 8, VMCORE);
	a.index = GPR_RBP;
	EXPECT(a, VEC_GP, 0, 0);
	a.index = GPR_RSP; /* not encodable, but still not the base */
	EXPECT(a, VEC_GP, 0, 0);
	a.base = GPR_RBP;
	a.index = GPR_RAX;
	EXPECT(a, VEC_SS, 0, 0);
	/* rsp base -> SS; r12/r13 (same low bits as rsp/rbp) and no base -> DS. */
	EXPECT(acc(OP_LOAD, GPR_RSP, SEGP_NONE, 8, VMCORE), VEC_SS, 0, 0);
	EXPECT(acc(OP_LOAD, GPR_R12, SEGP_NONE, 8, VMCORE), VEC_GP, 0, 0);
	EXPECT(acc(OP_LOAD, GPR_R13, SEGP_NONE, 8, VMCORE), VEC_GP, 0, 0);
	EXPECT(acc(OP_LOAD, GPR_NONE, SEGP_NONE, 8, VMCORE), VEC_GP, 0, 0);
}

/* ------------------------------------------------------------ rule 5 */

static void test_push_pop(void **state)
{
	static const struct fake_page pages[] = {
		{ 0x5000, RW_SUPER }, { 0x6000, RO_USER },
	};
	struct fake_mem m = { pages, 2, 0, 0, { 0 } };
	struct access a;
	struct rule_verdict v;

	(void)state;
	/* push with RSP = LOW_END writes [LOW_END-8, LOW_END): canonical. */
	v = EXPECT(acc(OP_PUSH, GPR_RSP, SEGP_NONE, 8, LOW_END), VEC_PF,
		   PF_ERR_WR, LOW_END - 8);
	assert_int_equal(v.segment, SEG_SS);
	EXPECT(acc(OP_PUSH, GPR_RSP, SEGP_NONE, 8, LOW_END + 1), VEC_SS, 0, 0);
	EXPECT(acc(OP_PUSH, GPR_RSP, SEGP_NONE, 8, LOW_END + 8), VEC_SS, 0, 0);
	EXPECT(acc(OP_PUSH, GPR_RSP, SEGP_NONE, 8, HIGH_BEG), VEC_SS, 0, 0);
	EXPECT(acc(OP_PUSH, GPR_RSP, SEGP_NONE, 8, HIGH_BEG + 8), VEC_PF,
	       PF_ERR_WR, HIGH_BEG);
	/* RSP = 0: writes [2^64-8, 2^64), canonical. */
	EXPECT(acc(OP_PUSH, GPR_RSP, SEGP_NONE, 8, 0), VEC_PF, PF_ERR_WR,
	       0xFFFFFFFFFFFFFFF8ull);
	/* Width is always 8; the stack is SS whatever base/prefix says
	 * (SDM Vol.1 3.7.4: push/pop cannot be overridden). */
	EXPECT(acc(OP_PUSH, GPR_R15, SEGP_FS, 1, LOW_END + 1), VEC_SS, 0, 0);
	a = acc(OP_PUSH, GPR_RSP, SEGP_NONE, 8, 0x1000);
	a.cpl = 3;
	EXPECT(a, VEC_PF, PF_ERR_WR | PF_ERR_US, 0xFF8);
	/* Onto a present writable page: fine; onto a read-only one: protection. */
	EXPECT(with_mem(acc(OP_PUSH, GPR_RSP, SEGP_NONE, 8, 0x6000), &m), VEC_NONE, 0, 0);
	EXPECT(with_mem(acc(OP_PUSH, GPR_RSP, SEGP_NONE, 8, 0x7000), &m), VEC_PF,
	       PF_ERR_P | PF_ERR_WR, 0x6FF8);
	/* pop reads [RSP, RSP+8). */
	EXPECT(acc(OP_POP, GPR_RSP, SEGP_NONE, 8, LOW_END - 8), VEC_PF, 0, LOW_END - 8);
	EXPECT(acc(OP_POP, GPR_RSP, SEGP_NONE, 8, LOW_END - 7), VEC_SS, 0, 0);
	EXPECT(acc(OP_POP, GPR_RSP, SEGP_NONE, 8, HIGH_BEG - 8), VEC_SS, 0, 0);
	EXPECT(acc(OP_POP, GPR_R15, SEGP_GS, 2, VMCORE), VEC_SS, 0, 0);
	EXPECT(with_mem(acc(OP_POP, GPR_RSP, SEGP_NONE, 8, 0x6000), &m), VEC_NONE, 0, 0);
	/* pop from the top of the mapped page runs into the absent 0x7000. */
	EXPECT(with_mem(acc(OP_POP, GPR_RSP, SEGP_NONE, 8, 0x6FFC), &m), VEC_PF, 0, 0x7000);
}

static void test_branches(void **state)
{
	static const struct fake_page pages[] = {
		{ 0x1000, RW_SUPER }, { 0x2000, NX_SUPER }, { 0x3000, RW_USER },
		{ 0x4000, RW_USER_NX },
	};
	struct fake_mem m = { pages, 4, 0, 0, { 0 } };
	struct access a;
	struct rule_verdict v;

	(void)state;
	/* SDM Vol.2 CALL/JMP/RET: non-canonical target -> #GP(0), even when
	 * the return address came off the stack (RET: #GP, not #SS). */
	v = EXPECT(acc(OP_CALL, GPR_NONE, SEGP_NONE, 8, LOW_END), VEC_GP, 0, 0);
	assert_int_equal(v.segment, SEG_CS);
	EXPECT(acc(OP_JMP, GPR_NONE, SEGP_NONE, 8, HIGH_BEG - 1), VEC_GP, 0, 0);
	EXPECT(acc(OP_RET, GPR_RSP, SEGP_NONE, 8, VMCORE), VEC_GP, 0, 0);
	/* The last canonical byte as a target is canonical. */
	EXPECT(acc(OP_JMP, GPR_NONE, SEGP_NONE, 8, LOW_END - 1), VEC_PF, 0, LOW_END - 1);

	/* Canonical, absent: #PF, CR2 = target, read (W/R = 0); I/D only with
	 * NXE or SMEP (SDM Vol.3 4.7). */
	a = acc(OP_CALL, GPR_NONE, SEGP_NONE, 8, 0x7FFFFFFFF000ull);
	EXPECT(a, VEC_PF, 0, a.addr);
	a.efer_nxe = true;
	EXPECT(a, VEC_PF, PF_ERR_ID, a.addr);
	a.cpl = 3;
	EXPECT(a, VEC_PF, PF_ERR_ID | PF_ERR_US, a.addr);
	a.efer_nxe = false;
	a.cr4_smep = true;
	EXPECT(a, VEC_PF, PF_ERR_ID | PF_ERR_US, a.addr);
	a.op = OP_RET;
	EXPECT(a, VEC_PF, PF_ERR_ID | PF_ERR_US, a.addr);
	a.op = OP_JMP;
	a.cr4_smep = false;
	v = EXPECT(a, VEC_PF, PF_ERR_US, a.addr);
	assert_int_equal(v.error_mask, PF_ALL); /* Intel: I/D is defined 0 */

	/* Present pages (SDM Vol.3 4.6). */
	a = with_mem(acc(OP_CALL, GPR_NONE, SEGP_NONE, 8, 0x1234), &m);
	a.efer_nxe = true;
	EXPECT(a, VEC_NONE, 0, 0);
	a.addr = 0x2000; /* XD page */
	v = EXPECT(a, VEC_PF, PF_ERR_P | PF_ERR_ID, 0x2000);
	assert_string_equal(v.reason, "protection: NX");
	a.efer_nxe = false; /* XD ignored without NXE */
	EXPECT(a, VEC_NONE, 0, 0);
	a.cpl = 3;          /* supervisor page from user */
	a.addr = 0x1000;
	EXPECT(a, VEC_PF, PF_ERR_P | PF_ERR_US, 0x1000);
	a.efer_nxe = true;
	EXPECT(a, VEC_PF, PF_ERR_P | PF_ERR_US | PF_ERR_ID, 0x1000);
	a.addr = 0x3000;    /* user page from user */
	EXPECT(a, VEC_NONE, 0, 0);
	a.addr = 0x4000;    /* user XD page from user */
	EXPECT(a, VEC_PF, PF_ERR_P | PF_ERR_US | PF_ERR_ID, 0x4000);
	a.cpl = 0;          /* user page from supervisor: SMEP decides */
	a.efer_nxe = false;
	a.addr = 0x3000;
	EXPECT(a, VEC_NONE, 0, 0);
	a.cr4_smep = true;
	EXPECT(a, VEC_PF, PF_ERR_P | PF_ERR_ID, 0x3000);
}

static void test_string_ops(void **state)
{
	static const struct fake_page pages[] = { { 0x3000, RO_USER } };
	struct fake_mem m = { pages, 1, 0, 0, { 0 } };
	struct access a;
	struct rule_verdict v;

	(void)state;
	/* lods/movs read [rsi] via DS: #GP when non-canonical. */
	v = EXPECT(acc(OP_LODS, GPR_RSI, SEGP_NONE, 8, VMCORE), VEC_GP, 0, 0);
	assert_int_equal(v.segment, SEG_DS);
	EXPECT(acc(OP_LODS, GPR_RSI, SEGP_NONE, 8, LOW_END - 4), VEC_GP, 0, 0);
	EXPECT(acc(OP_LODS, GPR_RSI, SEGP_NONE, 4, LOW_END - 4), VEC_PF, 0, LOW_END - 4);
	/* ss: is ignored (still DS, #GP); fs: applies. */
	v = EXPECT(acc(OP_LODS, GPR_RSI, SEGP_SS, 1, VMCORE), VEC_GP, 0, 0);
	assert_int_equal(v.segment, SEG_DS);
	v = EXPECT(acc(OP_LODS, GPR_RSI, SEGP_FS, 1, VMCORE), VEC_GP, 0, 0);
	assert_int_equal(v.segment, SEG_FS);
	v = EXPECT(acc(OP_MOVS, GPR_RSI, SEGP_NONE, 8, VMCORE), VEC_GP, 0, 0);
	assert_int_equal(v.segment, SEG_DS);
	/* movs: only the read is modelled -> W/R = 0. */
	EXPECT(acc(OP_MOVS, GPR_RSI, SEGP_NONE, 8, 0x1000), VEC_PF, 0, 0x1000);
	/* stos writes [rdi] via ES, never overridable: #GP, W/R = 1 on #PF. */
	v = EXPECT(acc(OP_STOS, GPR_RDI, SEGP_NONE, 8, VMCORE), VEC_GP, 0, 0);
	assert_int_equal(v.segment, SEG_ES);
	v = EXPECT(acc(OP_STOS, GPR_RDI, SEGP_FS, 8, VMCORE), VEC_GP, 0, 0);
	assert_int_equal(v.segment, SEG_ES);
	v = EXPECT(acc(OP_STOS, GPR_RDI, SEGP_SS, 8, HIGH_BEG - 2), VEC_GP, 0, 0);
	assert_string_equal(v.reason, "non-canonical via ES");
	EXPECT(acc(OP_STOS, GPR_RDI, SEGP_NONE, 2, 0x1000), VEC_PF, PF_ERR_WR, 0x1000);
	a = with_mem(acc(OP_STOS, GPR_RDI, SEGP_NONE, 4, 0x3000), &m);
	a.cpl = 3;
	EXPECT(a, VEC_PF, PF_ERR_P | PF_ERR_WR | PF_ERR_US, 0x3000);
	a.op = OP_LODS;
	EXPECT(a, VEC_NONE, 0, 0);
}

/* ------------------------------------------------------------ rule 4 */

static void test_pf_error_bits(void **state)
{
	static const struct fake_page pages[] = {
		{ 0x1000, RW_SUPER }, { 0x2000, RO_USER }, { 0x3000, RW_USER },
	};
	struct fake_mem m = { pages, 3, 0, 0, { 0 } };
	struct access a;
	struct rule_verdict v;

	(void)state;
	/* Not present: P = 0; W/R from the access; U/S from CPL. */
	a = acc(OP_LOAD, GPR_RBX, SEGP_NONE, 8, 0x9000);
	v = EXPECT(a, VEC_PF, 0, 0x9000);
	assert_string_equal(v.reason, "not present");
	assert_int_equal(v.error_mask, PF_ALL);
	a.efer_nxe = true; /* data access: I/D stays 0 */
	a.cr4_smep = true;
	EXPECT(a, VEC_PF, 0, 0x9000);
	a.op = OP_STORE;
	EXPECT(a, VEC_PF, PF_ERR_WR, 0x9000);
	a.cpl = 3;
	EXPECT(a, VEC_PF, PF_ERR_WR | PF_ERR_US, 0x9000);
	a.op = OP_LOAD;
	EXPECT(a, VEC_PF, PF_ERR_US, 0x9000);

	/* Present pages: P = 1 on a protection violation. */
	a = with_mem(acc(OP_LOAD, GPR_RBX, SEGP_NONE, 8, 0x1008), &m);
	EXPECT(a, VEC_NONE, 0, 0);
	a.op = OP_STORE;
	v = EXPECT(a, VEC_NONE, 0, 0);
	assert_string_equal(v.reason, "ok");
	a.cpl = 3; /* supervisor page from user */
	EXPECT(a, VEC_PF, PF_ERR_P | PF_ERR_WR | PF_ERR_US, 0x1008);
	a.op = OP_LOAD;
	EXPECT(a, VEC_PF, PF_ERR_P | PF_ERR_US, 0x1008);
	a.addr = 0x2010; /* read-only user page */
	EXPECT(a, VEC_NONE, 0, 0);
	a.op = OP_STORE;
	EXPECT(a, VEC_PF, PF_ERR_P | PF_ERR_WR | PF_ERR_US, 0x2010);
	a.cpl = 0; /* CR0.WP = 1: supervisor writes honour R/W too */
	EXPECT(a, VEC_PF, PF_ERR_P | PF_ERR_WR, 0x2010);
	a.addr = 0x3000; /* user page from supervisor, no SMAP */
	EXPECT(a, VEC_NONE, 0, 0);
}

static void test_split_access(void **state)
{
	static const struct fake_page first_ok[] = { { 0x1000, RW_SUPER } };
	static const struct fake_page second_ok[] = { { 0x2000, RW_SUPER } };
	static const struct fake_page ro_then_absent[] = { { 0x1000, RO_USER } };
	static const struct fake_page ok_then_ro[] = {
		{ 0x1000, RW_SUPER }, { 0x2000, RO_USER },
	};
	static const struct fake_page both_ok[] = {
		{ 0x1000, RW_SUPER }, { 0x2000, RW_SUPER },
	};
	struct fake_mem m = { first_ok, 1, 0, 0, { 0 } };

	(void)state;
	/* First page present, second absent: CR2 = start of the second page. */
	EXPECT(with_mem(acc(OP_LOAD, GPR_RBX, SEGP_NONE, 8, 0x1FFC), &m), VEC_PF, 0, 0x2000);
	assert_int_equal(m.nq, 2);
	assert_true(m.queries[0] == 0x1FFC && m.queries[1] == 0x2000);
	m.nq = 0;
	EXPECT(with_mem(acc(OP_STORE, GPR_RBX, SEGP_NONE, 32, 0x1FF0), &m), VEC_PF,
	       PF_ERR_WR, 0x2000);
	/* Ending exactly at the page end never touches 0x2000. */
	EXPECT(with_mem(acc(OP_LOAD, GPR_RBX, SEGP_NONE, 16, 0x1FF0), &m), VEC_NONE, 0, 0);
	/* First absent, second present: CR2 = the access's first byte. */
	m.pages = second_ok;
	EXPECT(with_mem(acc(OP_LOAD, GPR_RBX, SEGP_NONE, 8, 0x1FFC), &m), VEC_PF, 0, 0x1FFC);
	/* First read-only (store): the first page already faults, P = 1. */
	m.pages = ro_then_absent;
	EXPECT(with_mem(acc(OP_STORE, GPR_RBX, SEGP_NONE, 8, 0x1FFC), &m), VEC_PF,
	       PF_ERR_P | PF_ERR_WR, 0x1FFC);
	m.pages = ok_then_ro;
	m.n = 2;
	EXPECT(with_mem(acc(OP_STORE, GPR_RBX, SEGP_NONE, 8, 0x1FFC), &m), VEC_PF,
	       PF_ERR_P | PF_ERR_WR, 0x2000);
	EXPECT(with_mem(acc(OP_LOAD, GPR_RBX, SEGP_NONE, 8, 0x1FFC), &m), VEC_NONE, 0, 0);
	m.pages = both_ok;
	EXPECT(with_mem(acc(OP_STORE, GPR_RBX, SEGP_NONE, 32, 0x1FF0), &m), VEC_NONE, 0, 0);
}

static void test_canonical_before_paging(void **state)
{
	struct fake_mem m = { 0 };

	(void)state;
	/* A straddling non-canonical access never consults the page tables. */
	EXPECT(with_mem(acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, LOW_END - 4), &m), VEC_SS, 0, 0);
	EXPECT(with_mem(acc(OP_CALL, GPR_NONE, SEGP_NONE, 8, LOW_END), &m), VEC_GP, 0, 0);
	assert_int_equal(m.nq, 0);
}

static void test_page_unknown(void **state)
{
	struct fake_mem m = { 0 };
	struct access a;
	struct rule_verdict v;

	(void)state;
	m.unknown_from = HIGH_BEG;
	a = with_mem(acc(OP_LOAD, GPR_RBX, SEGP_NONE, 8, HIGH_BEG + 0x1000), &m);
	a.cpl = 3;
	v = EXPECT(a, VEC_PF, PF_ERR_US, HIGH_BEG + 0x1000);
	assert_int_equal(v.error_mask, PF_ALL & ~PF_ERR_P);
	/* Either P value agrees; the other bits and CR2 still count. */
	assert_true(rule_agrees(&v, VEC_PF, PF_ERR_US, a.addr));
	assert_true(rule_agrees(&v, VEC_PF, PF_ERR_US | PF_ERR_P, a.addr));
	assert_false(rule_agrees(&v, VEC_PF, PF_ERR_US | PF_ERR_WR, a.addr));
	assert_false(rule_agrees(&v, VEC_PF, PF_ERR_US, a.addr + 8));
	/* A known-absent page keeps P in the mask. */
	a.addr = 0x1000;
	v = EXPECT(a, VEC_PF, PF_ERR_US, 0x1000);
	assert_int_equal(v.error_mask, PF_ALL);
}

/* ------------------------------------------------------------ rule 7 */

static void test_vendor_id_bit(void **state)
{
	struct access a;
	struct rule_verdict v;

	(void)state;
	/* APM Vol.2 8.4.2: I/D "only defined if ... EFER.NXE=1"; Intel defines
	 * it (SDM Vol.3 4.7).  Non-Intel, NXE = 0 -> I/D out of the mask. */
	a = acc(OP_CALL, GPR_NONE, SEGP_NONE, 8, 0x5000);
	a.vendor = VENDOR_AMD;
	v = EXPECT(a, VEC_PF, 0, 0x5000);
	assert_int_equal(v.error_mask, PF_ALL & ~PF_ERR_ID);
	assert_true(rule_agrees(&v, VEC_PF, PF_ERR_ID, 0x5000));
	a.cr4_smep = true;
	v = EXPECT(a, VEC_PF, PF_ERR_ID, 0x5000);
	assert_int_equal(v.error_mask, PF_ALL & ~PF_ERR_ID);
	a.op = OP_LOAD;
	v = EXPECT(a, VEC_PF, 0, 0x5000);
	assert_int_equal(v.error_mask, PF_ALL & ~PF_ERR_ID);
	a.efer_nxe = true;
	v = EXPECT(a, VEC_PF, 0, 0x5000);
	assert_int_equal(v.error_mask, PF_ALL);
	a.op = OP_JMP;
	v = EXPECT(a, VEC_PF, PF_ERR_ID, 0x5000);
	assert_int_equal(v.error_mask, PF_ALL);
	assert_false(rule_agrees(&v, VEC_PF, 0, 0x5000));
	a.vendor = VENDOR_OTHER;
	a.efer_nxe = false;
	v = EXPECT(a, VEC_PF, PF_ERR_ID, 0x5000);
	assert_int_equal(v.error_mask, PF_ALL & ~PF_ERR_ID);
	a.vendor = VENDOR_INTEL;
	v = EXPECT(a, VEC_PF, PF_ERR_ID, 0x5000);
	assert_int_equal(v.error_mask, PF_ALL);
	/* Non-canonical rules are the same for both vendors. */
	a = acc(OP_LOAD, GPR_RBP, SEGP_FS, 8, VMCORE);
	a.vendor = VENDOR_AMD;
	EXPECT(a, VEC_GP, 0, 0);
}

/* ------------------------------------------------------------ rules 3, 6, 8 */

static void test_reasons_and_cites(void **state)
{
	struct rule_verdict v;

	(void)state;
	v = EXPECT(acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, VMCORE), VEC_SS, 0, 0);
	assert_non_null(strstr(v.cite, "6.15"));
	assert_non_null(strstr(v.cite, "8.2.13"));
	v = EXPECT(acc(OP_LOAD, GPR_RAX, SEGP_NONE, 8, VMCORE), VEC_GP, 0, 0);
	assert_non_null(strstr(v.cite, "8.2.14"));
	v = EXPECT(acc(OP_LOAD, GPR_RAX, SEGP_NONE, 8, 0x1000), VEC_PF, 0, 0x1000);
	assert_non_null(strstr(v.cite, "4.7"));
	v = EXPECT(acc(OP_JMP, GPR_NONE, SEGP_NONE, 8, VMCORE), VEC_GP, 0, 0);
	assert_string_equal(v.reason, "non-canonical target");
}

static void test_rule_agrees(void **state)
{
	struct rule_verdict v;
	struct access a;

	(void)state;
	v = EXPECT(acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, VMCORE), VEC_SS, 0, 0);
	assert_true(rule_agrees(&v, VEC_SS, 0, 0));
	assert_true(rule_agrees(&v, VEC_SS, 0, 0xdead)); /* CR2 only for #PF */
	assert_false(rule_agrees(&v, VEC_GP, 0, 0));
	assert_false(rule_agrees(&v, VEC_SS, 0x10, 0));   /* a selector index */
	assert_false(rule_agrees(&v, VEC_NONE, 0, 0));

	a = acc(OP_STORE, GPR_RAX, SEGP_NONE, 8, 0x1000);
	a.cpl = 3;
	v = EXPECT(a, VEC_PF, PF_ERR_WR | PF_ERR_US, 0x1000);
	assert_true(rule_agrees(&v, VEC_PF, PF_ERR_WR | PF_ERR_US, 0x1000));
	assert_false(rule_agrees(&v, VEC_PF, PF_ERR_WR | PF_ERR_US | PF_ERR_P, 0x1000));
	assert_false(rule_agrees(&v, VEC_PF, PF_ERR_US, 0x1000));
	assert_false(rule_agrees(&v, VEC_PF, PF_ERR_WR | PF_ERR_US, 0x1008));
	/* Every bit is judged (issue 11): a PK bit (5) the rule does not
	 * predict is a disagreement. */
	assert_false(rule_agrees(&v, VEC_PF, PF_ERR_WR | PF_ERR_US | (1u << 5), 0x1000));
	assert_false(rule_agrees(&v, VEC_GP, 0, 0));

	v = EXPECT(acc(OP_LOAD, GPR_RAX, SEGP_NONE, 8, 0x1000), VEC_PF, 0, 0x1000);
	v.vector = VEC_NONE; /* hand-made "no fault" verdict */
	assert_true(rule_agrees(&v, VEC_NONE, 0, 0));
	assert_true(rule_agrees(&v, VEC_NONE, 5, 7));
	assert_false(rule_agrees(&v, VEC_PF, 0, 0x1000));
	v.vector = VEC_UD; /* no error code: only the vector counts */
	assert_true(rule_agrees(&v, VEC_UD, 0x1234, 0));
}

/* ------------------------------------------------------------ rule 9 */

static void test_names(void **state)
{
	static const char *const gprs[] = {
		"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	static const char *const segps[] = { "none", "es", "cs", "ss", "ds", "fs", "gs" };
	static const char *const segs[] = { "es", "cs", "ss", "ds", "fs", "gs" };
	static const char *const ops[] = {
		"load", "store", "push", "pop", "call", "ret", "jmp", "lods", "movs", "stos",
		"scas",
		"sysret", "iretq", "ud2", "int3",
		"wrfsbase", "wrgsbase", "wrmsr",
	};
	int g;
	enum seg_prefix p;
	enum probe_op op;

	(void)state;
	for (int i = 0; i < GPR_COUNT; i++) {
		assert_string_equal(gpr_name(i), gprs[i]);
		assert_true(gpr_parse(gprs[i], &g));
		assert_int_equal(g, i);
	}
	assert_string_equal(gpr_name(GPR_NONE), "-");
	assert_true(gpr_parse("-", &g));
	assert_int_equal(g, GPR_NONE);
	assert_string_equal(gpr_name(GPR_COUNT), "?");
	for (int i = 0; i < SEGP_COUNT; i++) {
		assert_string_equal(seg_prefix_name((enum seg_prefix)i), segps[i]);
		assert_true(seg_prefix_parse(segps[i], &p));
		assert_int_equal(p, i);
	}
	for (int i = SEG_ES; i <= SEG_GS; i++)
		assert_string_equal(segment_name((enum segment)i), segs[i]);
	for (int i = 0; i < OP_COUNT; i++) {
		assert_string_equal(probe_op_name((enum probe_op)i), ops[i]);
		assert_true(probe_op_parse(ops[i], &op));
		assert_int_equal(op, i);
	}
	assert_string_equal(probe_op_name(OP_COUNT), "?");

	/* Rejections leave the output alone. */
	g = 42;
	assert_false(gpr_parse("RAX", &g));
	assert_false(gpr_parse("r16", &g));
	assert_false(gpr_parse("", &g));
	assert_false(gpr_parse("ra", &g));
	assert_false(gpr_parse(NULL, &g));
	assert_int_equal(g, 42);
	assert_false(seg_prefix_parse("fs:", &p));
	assert_false(seg_prefix_parse("", &p));
	assert_false(probe_op_parse("mov", &op));
	assert_false(probe_op_parse("loads", &op));
	assert_false(probe_op_parse(NULL, &op));
}

/* ------------------------------------------------------------ straddle family */

/* SDM Vol.1 3.3.7.1 / Vol.3 6.15: the canonical check covers every byte of
 * the access and comes before paging, so the last page before the hole
 * being present changes nothing: an 8-byte load at 0x7ffffffffff9 is #SS
 * through rbp and #GP through r15 whether that page is mapped or not.  The
 * last 8 bytes before the hole are a plain present-page access. */
static void test_present_page_before_hole(void **state)
{
	(void)state;
	static const struct fake_page pages[] = {
		{ LOW_END - 0x1000, RW_SUPER }, { HIGH_BEG, RW_SUPER },
	};
	struct fake_mem m = { pages, 2, 0, 0, { 0 } };
	EXPECT(with_mem(acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, LOW_END - 7), &m), VEC_SS, 0, 0);
	EXPECT(with_mem(acc(OP_STORE, GPR_R15, SEGP_NONE, 8, LOW_END - 7), &m), VEC_GP, 0, 0);
	EXPECT(with_mem(acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, LOW_END - 8), &m), VEC_NONE, 0, 0);
	EXPECT(with_mem(acc(OP_STORE, GPR_RBP, SEGP_NONE, 32, LOW_END - 32), &m), VEC_NONE, 0, 0);
	/* the mirror: starting one byte below the upper half (non-canonical),
	 * ending on its present first page */
	EXPECT(with_mem(acc(OP_LOAD, GPR_RSP, SEGP_NONE, 8, HIGH_BEG - 1), &m), VEC_SS, 0, 0);
	EXPECT(with_mem(acc(OP_LOAD, GPR_RAX, SEGP_FS, 16, HIGH_BEG - 15), &m), VEC_GP, 0, 0);
	/* push writes [RSP-8, RSP): RSP = 0x800000000004 straddles; RSP =
	 * 0x800000000000 writes the last present qword */
	EXPECT(with_mem(acc(OP_PUSH, GPR_RSP, SEGP_NONE, 8, LOW_END + 4), &m), VEC_SS, 0, 0);
	EXPECT(with_mem(acc(OP_PUSH, GPR_RSP, SEGP_NONE, 8, LOW_END), &m), VEC_NONE, 0, 0);
}

/* SDM Vol.2 STOS/REP "Operation": a REP string instruction is one element
 * per iteration; each is checked as a single access, and the first that
 * faults stops the instruction with RCX = the elements left (Vol.3 6.5: a
 * fault, restartable).  32 bytes upward from 0x7ffffffffff0 over a present
 * page: 16 stores succeed, the 17th (at 0x800000000000, ES) is #GP(0). */
static void test_rep_string_progress(void **state)
{
	(void)state;
	static const struct fake_page pages[] = {
		{ LOW_END - 0x1000, RW_SUPER }, { HIGH_BEG, RW_SUPER },
	};
	struct fake_mem m = { pages, 2, 0, 0, { 0 } };
	struct access a = with_mem(acc(OP_STOS, GPR_RDI, SEGP_NONE, 1, LOW_END - 16), &m);
	a.rep = 32;
	struct rule_verdict v = EXPECT(a, VEC_GP, 0, 0);
	assert_int_equal(v.rep_done, 16);
	a.rep = 16;
	v = EXPECT(a, VEC_NONE, 0, 0);
	assert_int_equal(v.rep_done, 16);
	/* DF = 1: downward from 0xffff80000000000f, 16 stores on the page,
	 * then 0xffff7fffffffffff (non-canonical) */
	a = with_mem(acc(OP_STOS, GPR_RDI, SEGP_NONE, 1, HIGH_BEG + 15), &m);
	a.rep = 32;
	a.df = true;
	v = EXPECT(a, VEC_GP, 0, 0);
	assert_int_equal(v.rep_done, 16);
	/* Over an ABSENT page the first element faults first: #PF, nothing
	 * done, CR2 = that element (W/R = 1: a store). */
	struct fake_mem none = { pages, 0, 0, 0, { 0 } };
	a = with_mem(acc(OP_STOS, GPR_RDI, SEGP_NONE, 1, LOW_END - 16), &none);
	a.rep = 32;
	v = EXPECT(a, VEC_PF, PF_ERR_WR, LOW_END - 16);
	assert_int_equal(v.rep_done, 0);
}

/* An instruction fetched at a canonical target that runs into the hole:
 * the bytes at 0x800000000000 are a reference through CS to a non-canonical
 * address, #GP(0) (SDM Vol.1 3.3.7.1; Vol.3 6.15 int 13), although the
 * branch itself went to a canonical, present target. */
static void test_fetch_runs_into_hole(void **state)
{
	(void)state;
	static const struct fake_page pages[] = { { LOW_END - 0x1000, RW_SUPER } };
	struct fake_mem m = { pages, 1, 0, 0, { 0 } };
	struct access a = with_mem(acc(OP_JMP, GPR_NONE, SEGP_NONE, 8, LOW_END - 3), &m);
	a.efer_nxe = true;
	a.fetch_len = 5;
	EXPECT(a, VEC_GP, 0, 0);
	a.fetch_len = 3;    /* ends exactly at the hole: fetched from the page */
	EXPECT(a, VEC_NONE, 0, 0);
	a.fetch_len = 0;    /* length unknown: only the target byte */
	EXPECT(a, VEC_NONE, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical_4level),
		cmocka_unit_test(test_canonical_5level),
		cmocka_unit_test(test_range_canonical),
		cmocka_unit_test(test_seed_table_intel),
		cmocka_unit_test(test_seed_table_amd),
		cmocka_unit_test(test_straddle_low_edge),
		cmocka_unit_test(test_straddle_high_edge),
		cmocka_unit_test(test_wrap_top),
		cmocka_unit_test(test_wrap_top_into_mapped_zero),
		cmocka_unit_test(test_five_level),
		cmocka_unit_test(test_effective_segment),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_base_not_index),
		cmocka_unit_test(test_push_pop),
		cmocka_unit_test(test_branches),
		cmocka_unit_test(test_string_ops),
		cmocka_unit_test(test_pf_error_bits),
		cmocka_unit_test(test_split_access),
		cmocka_unit_test(test_canonical_before_paging),
		cmocka_unit_test(test_page_unknown),
		cmocka_unit_test(test_vendor_id_bit),
		cmocka_unit_test(test_reasons_and_cites),
		cmocka_unit_test(test_rule_agrees),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_present_page_before_hole),
		cmocka_unit_test(test_rep_string_progress),
		cmocka_unit_test(test_fetch_runs_into_hole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
