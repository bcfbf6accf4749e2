/* Host unit tests for probes/matrix_desc.c: the probe matrix description
 * (slices, address sets, iterator, filter, stub index formula).  Expected
 * numbers are worked out by hand from the slice table's definition (see the
 * comment above matrix_slices[]), not by running the iterator. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/model/matrix_desc.h"

#define LOW_END   0x0000800000000000ull
#define HIGH_BEG  0xFFFF800000000000ull
#define FOUR_GIB  0x0000000100000000ull
#define VMCORE    0x0072006900560338ull

/* Canonical under 4-level paging, by hand: bits 63:47 all equal. */
static int canonical48(uint64_t a)
{
	uint64_t top = a >> 47;
	return top == 0 || top == 0x1FFFF;
}

static unsigned collect(const struct matrix_filter *f, struct matrix_probe **out)
{
	struct matrix_iter it;
	struct matrix_probe p;
	unsigned n = 0, cap = 4096;
	struct matrix_probe *v = malloc(cap * sizeof(*v));

	assert_non_null(v);
	matrix_iter_init(&it, f);
	while (matrix_iter_next(&it, &p)) {
		if (n == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof(*v));
			assert_non_null(v);
		}
		v[n++] = p;
	}
	*out = v;
	return n;
}

static struct matrix_filter all_filter(void)
{
	struct matrix_filter f;
	matrix_filter_all(&f);
	return f;
}

static struct matrix_filter no_avx_filter(void)
{
	struct matrix_filter f = all_filter();
	f.widths &= (uint8_t)~MW_BIT(MW_32);
	return f;
}

/* ------------------------------------------------------------ counts */

/* Per slice, with and without AVX; each number is the slice's cross
 * product minus what an earlier slice already holds:
 *  seed         17 forms x 22 addresses                              = 374
 *  base-seg     17 x 7 prefixes x 5 - (prefix none: all 5 in seed) 85 = 510
 *  base-seg-st  17 x 7 x 2                                           = 238
 *  width-seg    2 x 7 x 6 widths x 2 - width 8 (in base-seg) 28      = 140 (112)
 *  width-seg-st 2 x 7 x 6 x 1 - width 8 (in base-seg-st) 14          = 70  (56)
 *  edges        4 forms x sum(2w) = 4 x 126 - width 8 in seed:
 *               rbp r15 rsp idx x (..F8 F9 FA FC FE FF, FFFF7F..FF)  = 504 - 28 = 476 (220)
 *  edges-st     2 x 126 - width 8 0x7FFFFFFFFFF9 in base-seg-st x 2  = 250 (122)
 *  abs 63, abs-width 27, abs-st 18, patterns 36, patterns-st 14, stack 76,
 *  branch 30, string 63, string-width 27, control 3
 *  ring3        17 x 5 = 85; ring3-st 17 x 4 = 68
 *  ring3-seg    3 x 7 x 1 - prefix none (vmcore in ring3) 3          = 18
 *  ring3-edges  2 x 63 - 0x7FFFFFFFFFF9 at width 8 in ring3 x 2      = 124 (60)
 *  ring3-stack 6, ring3-branch 9 */
static const struct { const char *name; unsigned n, n_no_avx; } slice_counts[] = {
	{ "seed", 374, 374 }, { "base-seg", 510, 510 }, { "base-seg-st", 238, 238 },
	{ "width-seg", 140, 112 }, { "width-seg-st", 70, 56 }, { "edges", 476, 220 },
	{ "edges-st", 250, 122 }, { "abs", 63, 63 }, { "abs-width", 27, 27 },
	{ "abs-st", 18, 18 }, { "patterns", 36, 36 }, { "patterns-st", 14, 14 },
	{ "stack", 76, 76 }, { "branch", 30, 30 }, { "string", 63, 63 },
	{ "string-width", 27, 27 }, { "control", 3, 3 }, { "ring3", 85, 85 },
	{ "ring3-st", 68, 68 }, { "ring3-seg", 18, 18 }, { "ring3-edges", 124, 60 },
	{ "ring3-stack", 6, 6 }, { "ring3-branch", 9, 9 },
};
#define NSLICE_COUNTS (sizeof(slice_counts) / sizeof(slice_counts[0]))

static void test_counts(void **state)
{
	(void)state;
	struct matrix_filter f = all_filter(), g = no_avx_filter();
	struct matrix_probe *v;
	unsigned n, per[64] = { 0 }, sum = 0, sum_no_avx = 0;

	assert_int_equal(matrix_slice_count, NSLICE_COUNTS);
	for (unsigned i = 0; i < NSLICE_COUNTS; i++) {
		assert_string_equal(matrix_slices[i].name, slice_counts[i].name);
		sum += slice_counts[i].n;
		sum_no_avx += slice_counts[i].n_no_avx;
	}
	assert_int_equal(sum, 2725);
	assert_int_equal(sum_no_avx, 2235);

	n = collect(&f, &v);
	assert_int_equal(n, 2725);
	assert_int_equal(matrix_count(&f), 2725);
	for (unsigned i = 0; i < n; i++)
		per[v[i].slice]++;
	for (unsigned i = 0; i < NSLICE_COUNTS; i++) {
		if (per[i] != slice_counts[i].n)
			fail_msg("slice %s: %u probes, expected %u", slice_counts[i].name,
				 per[i], slice_counts[i].n);
	}
	free(v);

	n = collect(&g, &v);
	assert_int_equal(n, 2235);
	memset(per, 0, sizeof(per));
	for (unsigned i = 0; i < n; i++) {
		per[v[i].slice]++;
		assert_int_not_equal(v[i].width, 32);
	}
	for (unsigned i = 0; i < NSLICE_COUNTS; i++)
		assert_int_equal(per[i], slice_counts[i].n_no_avx);
	free(v);
}

/* ------------------------------------------------------------ uniqueness */

static int same_identity(const struct matrix_probe *a, const struct matrix_probe *b)
{
	return a->op == b->op && a->base == b->base && a->index == b->index &&
	       a->prefix == b->prefix && a->width == b->width && a->cpl == b->cpl &&
	       a->addr == b->addr;
}

static int cmp_probe(const void *x, const void *y)
{
	const struct matrix_probe *a = x, *b = y;
#define CMP(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
	CMP(op); CMP(base); CMP(index); CMP(prefix); CMP(width); CMP(cpl); CMP(addr);
#undef CMP
	return 0;
}

static void check_unique(const struct matrix_filter *f)
{
	struct matrix_probe *v;
	unsigned n = collect(f, &v);

	qsort(v, n, sizeof(*v), cmp_probe);
	for (unsigned i = 1; i < n; i++)
		if (same_identity(&v[i - 1], &v[i]))
			fail_msg("duplicate probe op=%u base=%d seg=%u width=%u cpl=%u addr=%#llx",
				 v[i].op, v[i].base, v[i].prefix, v[i].width, v[i].cpl,
				 (unsigned long long)v[i].addr);
	free(v);
}

static void test_unique(void **state)
{
	(void)state;
	struct matrix_filter f = all_filter();

	check_unique(&f);
	f.as_cpl3 = true;
	check_unique(&f);
}

/* faultprobe-user: every probe at CPL 3, the ring-0 slices' duplicates of
 * the ring-3 slices folded into the earlier slice. */
static void test_as_cpl3(void **state)
{
	(void)state;
	struct matrix_filter f = all_filter();
	struct matrix_probe *v;
	unsigned n, in_ring3_slices = 0;

	f.as_cpl3 = true;
	n = collect(&f, &v);
	/* ring3 loads: 17 forms x {0x100000, 0x100000000000, 7FF..F9, vmcore,
	 * HIGH_BEG}: all but 0x100000 are already in seed (none), and 0x100000
	 * through rbp, r15, rsp is in control -> 14 new;
	 * ring3-st: 17 x 4, 0x7FF..F9 and vmcore in base-seg-st, the other two
	 * new -> 34; ring3-seg: all in base-seg (vmcore x 7 prefixes) -> 0;
	 * ring3-edges: all in edges (rbp, r15) -> 0; ring3-stack: all in stack
	 * (seed list, 0x800000000004) -> 0; ring3-branch: all in branch -> 0. */
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(v[i].cpl, 3);
		if (strncmp(matrix_slices[v[i].slice].name, "ring3", 5) == 0)
			in_ring3_slices++;
	}
	assert_int_equal(in_ring3_slices, 14 + 34);
	assert_int_equal(n, 2725 - (85 + 68 + 18 + 124 + 6 + 9) + 14 + 34);
	free(v);
}

/* ------------------------------------------------------------ safety */

/* Every write lands outside [0, 4 GiB) (where the kernel maps its image,
 * the multiboot2 information and the screen) or on a non-canonical byte;
 * every branch target too, so no probe ever writes or runs memory that
 * exists. */
static void test_writes_never_hit_memory(void **state)
{
	(void)state;
	struct matrix_filter f = all_filter();
	struct matrix_probe *v;
	unsigned n = collect(&f, &v), writers = 0;

	for (unsigned i = 0; i < n; i++) {
		uint64_t start, len;
		if (matrix_probe_write_range(&v[i], &start, &len)) {
			writers++;
			assert_true(v[i].op == OP_STORE || v[i].op == OP_STOS ||
				    v[i].op == OP_PUSH);
			for (uint64_t k = 0; k < len; k++) {
				uint64_t b = start + k;
				if (canonical48(b) && b < FOUR_GIB)
					fail_msg("probe %u (slice %s op %u) writes %#llx", i,
						 matrix_slices[v[i].slice].name, v[i].op,
						 (unsigned long long)b);
			}
		} else {
			assert_true(v[i].op != OP_STORE && v[i].op != OP_STOS &&
				    v[i].op != OP_PUSH);
		}
		if (matrix_probe_branches(&v[i]))
			assert_false(canonical48(v[i].addr) && v[i].addr < FOUR_GIB);
	}
	/* base-seg-st 238, width-seg-st 70, edges-st 250, abs-st 18,
	 * patterns-st 14, push 38, stos 30, ring3-st 68, ring3 push 3 */
	assert_int_equal(writers, 729);
	free(v);
}

static void test_write_range(void **state)
{
	(void)state;
	struct matrix_probe p = { .op = OP_PUSH, .width = 8, .addr = LOW_END + 3 };
	uint64_t s, l;

	assert_true(matrix_probe_write_range(&p, &s, &l));
	assert_int_equal(s, LOW_END - 5);
	assert_int_equal(l, 8);
	p.op = OP_STORE;
	p.width = 32;
	assert_true(matrix_probe_write_range(&p, &s, &l));
	assert_int_equal(s, LOW_END + 3);
	assert_int_equal(l, 32);
	p.op = OP_MOVS;             /* writes only the stub's own stack */
	assert_false(matrix_probe_write_range(&p, &s, &l));
	p.op = OP_POP;
	assert_false(matrix_probe_write_range(&p, &s, &l));
	p.op = OP_CALL;
	assert_false(matrix_probe_write_range(&p, &s, &l));
	assert_true(matrix_probe_branches(&p));
}

/* ------------------------------------------------------------ addresses */

static void test_edges(void **state)
{
	(void)state;
	static const unsigned widths[] = { 1, 2, 4, 8, 16, 32 };

	for (unsigned wi = 0; wi < 6; wi++) {
		unsigned w = widths[wi];
		assert_int_equal(matrix_addr_count(MA_EDGES, w), 2 * w);
		assert_int_equal(matrix_addr_count(MA_EDGE_LO, w), w);
		for (unsigned k = 1; k <= w; k++) {
			uint64_t lo = matrix_addr_at(MA_EDGES, w, k - 1);
			uint64_t hi = matrix_addr_at(MA_EDGES, w, w + k - 1);
			assert_int_equal(lo, LOW_END - k);
			assert_int_equal(matrix_addr_at(MA_EDGE_LO, w, k - 1), LOW_END - k);
			assert_int_equal(hi, HIGH_BEG - k);
			/* lower edge: starts canonical; its last byte lo + w - 1 is
			 * canonical only for k = w (the access fits) */
			assert_true(canonical48(lo));
			assert_int_equal(canonical48(lo + w - 1), k == w);
			/* upper edge: starts non-canonical; ends canonical iff k < w */
			assert_false(canonical48(hi));
			assert_int_equal(canonical48(hi + w - 1), k < w);
		}
		assert_int_equal(matrix_addr_at(MA_EDGES, w, 2 * w), 0); /* past the end */
	}
}

static void test_address_sets(void **state)
{
	(void)state;
	/* the seed table (BRIEF.md) plus the vmcore value */
	static const uint64_t seed[] = {
		0x0000100000000000ull, 0x0000400000000000ull, 0x0000700000000000ull,
		0x00007FFFFF000000ull, 0x00007FFFFFFFF000ull, 0x00007FFFFFFFFF00ull,
		0x00007FFFFFFFFFF0ull, 0x00007FFFFFFFFFF7ull, 0x00007FFFFFFFFFF8ull,
		0x00007FFFFFFFFFF9ull, 0x00007FFFFFFFFFFAull, 0x00007FFFFFFFFFFCull,
		0x00007FFFFFFFFFFEull, 0x00007FFFFFFFFFFFull, 0x0000800000000000ull,
		0x0000FFFFFFFFFFFFull, 0x0001000000000000ull, 0x0010000000000000ull,
		0xFFFF7FFFFFFFFFFFull, 0xFFFF800000000000ull, 0xFFFFFFFFFFFFFFFFull,
		VMCORE,
	};
	assert_int_equal(matrix_addr_count(MA_SEED, 8), 22);
	for (unsigned i = 0; i < 22; i++)
		assert_int_equal(matrix_addr_at(MA_SEED, 8, i), seed[i]);

	/* stack: the seed list, then RSP = LOW_END + 1..8, HIGH_BEG + 1..8 */
	assert_int_equal(matrix_addr_count(MA_STACK, 8), 38);
	for (unsigned i = 0; i < 22; i++)
		assert_int_equal(matrix_addr_at(MA_STACK, 8, i), seed[i]);
	for (unsigned k = 1; k <= 8; k++) {
		assert_int_equal(matrix_addr_at(MA_STACK, 8, 21 + k), LOW_END + k);
		assert_int_equal(matrix_addr_at(MA_STACK, 8, 29 + k), HIGH_BEG + k);
	}

	/* the non-canonical patterns are the first 7 of the pattern list */
	assert_int_equal(matrix_addr_count(MA_PATTERN_NC, 8), 7);
	for (unsigned i = 0; i < matrix_addr_count(MA_PATTERN, 8); i++)
		assert_int_equal(!canonical48(matrix_addr_at(MA_PATTERN, 8, i)), i < 7);
	assert_int_equal(matrix_addr_at(MA_PATTERN, 8, 0), 0xAAAAAAAAAAAAAAAAull);

	/* moffs64 list */
	assert_int_equal(matrix_abs_count(), 9);
	assert_int_equal(matrix_abs_addr(5), VMCORE);
	assert_int_equal(matrix_abs_index(VMCORE), 5);
	assert_int_equal(matrix_abs_index(0x1234), -1);

	/* no address set has duplicates */
	for (int s = 0; s < MA_COUNT; s++)
		for (unsigned w = 1; w <= 32; w *= 2) {
			unsigned n = matrix_addr_count((enum matrix_addrset)s, w);
			assert_true(n > 0);
			for (unsigned i = 0; i < n; i++)
				for (unsigned j = i + 1; j < n; j++)
					assert_int_not_equal(matrix_addr_at((enum matrix_addrset)s, w, i),
							     matrix_addr_at((enum matrix_addrset)s, w, j));
		}
}

/* ------------------------------------------------------------ stubs */

static unsigned entry_form(const struct matrix_stub_entry *e)
{
	switch (e->kind) {
	case MK_MEM:
		return e->index == GPR_RBP ? MF_IDX : (unsigned)e->base;
	case MK_ABS:
		return MF_ABS;
	default:
		return MF_IMPLIED;
	}
}

static void test_stub_index_roundtrip(void **state)
{
	(void)state;
	unsigned n = matrix_stub_count();
	struct matrix_stub_entry e;

	/* 2*17*7*6 + 2*9*7*4 + 2 + 3 + 3*7*4 */
	assert_int_equal(n, 1428 + 504 + 2 + 3 + 84);
	for (unsigned i = 0; i < n; i++) {
		assert_true(matrix_stub_expected(i, &e));
		int back = matrix_stub_index((enum matrix_kind)e.kind, (enum probe_op)e.op,
					     entry_form(&e), (enum seg_prefix)e.prefix, e.width,
					     e.kind == MK_ABS ? e.abs : -1);
		assert_int_equal(back, (int)i);
	}
	assert_false(matrix_stub_expected(n, &e));
	/* combinations no stub exists for */
	assert_int_equal(matrix_stub_index(MK_ABS, OP_LOAD, MF_ABS, SEGP_NONE, 16, 0), -1);
	assert_int_equal(matrix_stub_index(MK_STACK, OP_PUSH, MF_IMPLIED, SEGP_FS, 8, -1), -1);
	assert_int_equal(matrix_stub_index(MK_MEM, OP_PUSH, GPR_RAX, SEGP_NONE, 8, -1), -1);
	assert_int_equal(matrix_stub_index(MK_MEM, OP_LOAD, GPR_RAX, SEGP_NONE, 3, -1), -1);
	assert_int_equal(matrix_stub_index(MK_STRING, OP_LODS, MF_IMPLIED, SEGP_NONE, 16, -1), -1);
	/* the formula's first entries */
	assert_int_equal(matrix_stub_index(MK_MEM, OP_LOAD, GPR_RAX, SEGP_NONE, 1, -1), 0);
	assert_int_equal(matrix_stub_index(MK_MEM, OP_LOAD, GPR_RAX, SEGP_NONE, 32, -1), 5);
	assert_int_equal(matrix_stub_index(MK_MEM, OP_LOAD, GPR_RAX, SEGP_ES, 1, -1), 6);
	assert_int_equal(matrix_stub_index(MK_MEM, OP_STORE, GPR_RAX, SEGP_NONE, 1, -1), 714);
	assert_int_equal(matrix_stub_index(MK_ABS, OP_LOAD, MF_ABS, SEGP_NONE, 1, 0), 1428);
	assert_int_equal(matrix_stub_index(MK_STACK, OP_PUSH, MF_IMPLIED, SEGP_NONE, 8, -1), 1932);
	assert_int_equal(matrix_stub_index(MK_BRANCH, OP_RET, MF_IMPLIED, SEGP_NONE, 8, -1), 1936);
	assert_int_equal(matrix_stub_index(MK_STRING, OP_STOS, MF_IMPLIED, SEGP_GS, 8, -1), 2020);
}

static void test_stub_names(void **state)
{
	(void)state;
	char buf[48];
	struct { int idx; const char *name; } cases[] = {
		{ matrix_stub_index(MK_MEM, OP_LOAD, GPR_R15, SEGP_FS, 8, -1), "mx_load_r15_fs_8" },
		{ matrix_stub_index(MK_MEM, OP_STORE, MF_IDX, SEGP_NONE, 2, -1), "mx_store_idx_none_2" },
		{ matrix_stub_index(MK_MEM, OP_LOAD, GPR_RSP, SEGP_SS, 32, -1), "mx_load_rsp_ss_32" },
		{ matrix_stub_index(MK_ABS, OP_LOAD, MF_ABS, SEGP_GS, 4, 5), "mx_load_abs5_gs_4" },
		{ matrix_stub_index(MK_STACK, OP_POP, MF_IMPLIED, SEGP_NONE, 8, -1), "mx_pop" },
		{ matrix_stub_index(MK_BRANCH, OP_JMP, MF_IMPLIED, SEGP_NONE, 8, -1), "mx_jmp" },
		{ matrix_stub_index(MK_STRING, OP_MOVS, MF_IMPLIED, SEGP_CS, 1, -1), "mx_movs_cs_1" },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(cases[i].idx >= 0);
		matrix_stub_name((unsigned)cases[i].idx, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].name);
	}
	matrix_stub_name(matrix_stub_count(), buf, sizeof(buf));
	assert_string_equal(buf, "mx_?");
	matrix_stub_name(0, buf, 5);            /* truncated, still terminated */
	assert_int_equal(strlen(buf), 4);
}

static void dummy_stub(uint64_t a, uint64_t b)
{
	(void)a;
	(void)b;
}

static void test_stub_table_check(void **state)
{
	(void)state;
	unsigned n = matrix_stub_count(), first = 12345;
	struct matrix_stub_entry *t = calloc(n, sizeof(*t));

	assert_non_null(t);
	assert_int_equal(sizeof(*t), 16);      /* the asm emits 16-byte entries */
	for (unsigned i = 0; i < n; i++) {
		matrix_stub_expected(i, &t[i]);
		t[i].fn = dummy_stub;
	}
	assert_int_equal(matrix_stub_table_check(t, n, &first), 0);
	t[700].prefix ^= 1;
	t[1500].fn = 0;
	assert_int_equal(matrix_stub_table_check(t, n, &first), 2);
	assert_int_equal(first, 700);
	t[700].prefix ^= 1;
	t[1500].fn = dummy_stub;
	assert_int_equal(matrix_stub_table_check(t, n - 1, &first), 1);
	assert_int_equal(first, n - 1);
	free(t);
}

/* Every probe's stub has the probe's own dimensions. */
static void test_probes_match_stubs(void **state)
{
	(void)state;
	struct matrix_filter f = all_filter();
	struct matrix_probe *v;
	unsigned n = collect(&f, &v);

	for (unsigned i = 0; i < n; i++) {
		struct matrix_stub_entry e;
		assert_true(matrix_stub_expected(v[i].stub, &e));
		assert_int_equal(e.kind, v[i].kind);
		assert_int_equal(e.op, v[i].op);
		assert_int_equal(e.base, v[i].base);
		assert_int_equal(e.index, v[i].index);
		assert_int_equal(e.prefix, v[i].prefix);
		assert_int_equal(e.width, v[i].width);
		assert_int_equal(entry_form(&e), v[i].form);
		if (e.kind == MK_ABS)
			assert_int_equal(matrix_abs_addr(e.abs), v[i].addr);
		/* RSP holds the address: rsp base and push/pop only */
		assert_int_equal(v[i].rsp_is_addr,
				 v[i].base == GPR_RSP && v[i].index == GPR_NONE);
	}
	free(v);
}

/* ------------------------------------------------------------ filter */

static void test_filter_parse(void **state)
{
	(void)state;
	struct matrix_filter f = all_filter();
	char err[160];

	assert_true(matrix_filter_parse("", &f, err, sizeof(err)));
	assert_int_equal(matrix_count(&f), 2725);

	/* one slice alone: nothing earlier to fold duplicates into, so the
	 * full cross product: 4 forms x sum over widths of 2w */
	f = all_filter();
	assert_true(matrix_filter_parse("slice=edges", &f, err, sizeof(err)));
	assert_int_equal(matrix_count(&f), 4 * 126);
	assert_true(matrix_filter_parse("width=8,form=rbp+rsp", &f, err, sizeof(err)));
	assert_int_equal(matrix_count(&f), 2 * 16);

	f = all_filter();
	assert_true(matrix_filter_parse("slice=seed+base-seg,seg=ss,form=r15", &f, err,
					sizeof(err)));
	assert_int_equal(matrix_count(&f), 5);     /* seed has no ss: prefix */

	f = all_filter();
	assert_true(matrix_filter_parse("cpl=3 op=push+pop", &f, err, sizeof(err)));
	assert_int_equal(matrix_count(&f), 6);

	f = all_filter();
	assert_true(matrix_filter_parse("user,slice=ring3-branch", &f, err, sizeof(err)));
	assert_true(f.as_cpl3);
	assert_int_equal(matrix_count(&f), 9);

	/* the KVM boot test's sub-matrix (tests/expect/kvm-matrix/cmdline):
	 * every ring-0 slice at widths 1-8 */
	f = all_filter();
	assert_true(matrix_filter_parse("cpl=0,width=1+2+4+8", &f, err, sizeof(err)));
	assert_int_equal(matrix_count(&f), 1755);

	f = all_filter();
	assert_true(matrix_filter_parse("slice=abs,form=abs,width=8,seg=all", &f, err,
					sizeof(err)));
	assert_int_equal(matrix_count(&f), 63);

	static const char *const bad[] = {
		"slice=nope", "width=3", "foo=1", "op", "=load", "op=load+", "seg=xs",
		"cpl=1", "form=r16", "width=99999999999",
		"slice=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f = all_filter();
		err[0] = 0;
		if (matrix_filter_parse(bad[i], &f, err, sizeof(err)))
			fail_msg("accepted '%s'", bad[i]);
		assert_true(strncmp(err, "matrix filter: ", 15) == 0);
	}
	/* no error buffer: still rejects, writes nothing */
	f = all_filter();
	assert_false(matrix_filter_parse("width=3", &f, NULL, 0));
	assert_true(matrix_filter_parse(NULL, &f, NULL, 0));
}

static void test_slices(void **state)
{
	(void)state;
	for (unsigned i = 0; i < matrix_slice_count; i++) {
		assert_int_equal(matrix_slice_find(matrix_slices[i].name), (int)i);
		for (unsigned j = i + 1; j < matrix_slice_count; j++)
			assert_string_not_equal(matrix_slices[i].name, matrix_slices[j].name);
	}
	assert_int_equal(matrix_slice_find("nope"), -1);
	assert_true(matrix_slice_count <= 32);  /* filter.slices is 32 bits */
	assert_int_equal(matrix_width_bytes(MW_32), 32);
	assert_int_equal(matrix_width_bytes(MW_COUNT), 0);
	assert_int_equal(matrix_width_index(16), MW_16);
	assert_int_equal(matrix_width_index(3), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_unique),
		cmocka_unit_test(test_as_cpl3),
		cmocka_unit_test(test_writes_never_hit_memory),
		cmocka_unit_test(test_write_range),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_address_sets),
		cmocka_unit_test(test_stub_index_roundtrip),
		cmocka_unit_test(test_stub_names),
		cmocka_unit_test(test_stub_table_check),
		cmocka_unit_test(test_probes_match_stubs),
		cmocka_unit_test(test_filter_parse),
		cmocka_unit_test(test_slices),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
