/* Unit tests for the fpdiff core (tools/fpdiff_core.[ch]): matching by
 * identity, the cpl rule, error-code masking, CR2, the frame fields, and
 * robustness against truncated, interleaved, binary and random input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/fpdiff_core.h"
#include "probes/model/vectors.h"

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

/* One record line in the kernel's format. */
static void rec(char *out, size_t n, unsigned id, const char *base, unsigned cpl,
		const char *addr, const char *vector, const char *err, const char *cr2,
		const char *rflags, const char *rule, const char *platform)
{
	snprintf(out, n,
		 "probe id=%u set=seed op=load base=%s index=rax seg=none width=8 cpl=%u paging=4 "
		 "adjust=0 addr=%s vector=%s err=%s cr2=%s rip=0x0000000000106910 cs=0x10 "
		 "rflags=%s rsp=0x00000000001e3db8 ss=0x18 pre_rsp=0x00000000001e3db8 "
		 "frame=0x00000000001e3d88 stack=cur rip_at=insn saved_rsp=pre rule=%s rule_err=0x0 "
		 "agrees=yes platform=%s\n",
		 id, base, cpl, addr, vector, err, cr2, rflags, rule, platform);
}

struct two {
	struct fpd_log a, b;
	struct fpd_result r;
};

static void load2(struct two *t, const char *a, const char *b, const struct fpd_options *o)
{
	assert_int_equal(fpd_log_load_mem(&t->a, "A", a, strlen(a)), 0);
	assert_int_equal(fpd_log_load_mem(&t->b, "B", b, strlen(b)), 0);
	assert_int_equal(fpd_compare(&t->a, &t->b, o, &t->r), 0);
}

static void free2(struct two *t)
{
	fpd_result_free(&t->r);
	fpd_log_free(&t->a);
	fpd_log_free(&t->b);
}

static bool has_warning(const struct fpd_log *l, unsigned lineno, const char *needle)
{
	for (size_t i = 0; i < l->nwarns; i++)
		if (l->warns[i].lineno == lineno && strstr(l->warns[i].text, needle))
			return true;
	return false;
}

#define SEED_SS "0x0000800000000000"
#define SEED_STRADDLE "0x00007ffffffffff9"
#define KHALF "0xffff800000000000"

/* ------------------------------------------------------------ matching */

static void test_identical_logs_match(void **state)
{
	(void)state;
	char l1[1024], l2[1024], a[4096];
	struct two t;
	rec(l1, sizeof(l1), 1, "rbp", 0, SEED_SS, "#SS", "0x0", "-", "0x10046", "#SS", "kvm");
	rec(l2, sizeof(l2), 2, "r15", 0, SEED_SS, "#GP", "0x0", "-", "0x10046", "#GP", "kvm");
	snprintf(a, sizeof(a), "boot noise\n%s%sfaultprobe: done probes=2 faults=2 unexpected=0\n", l1, l2);
	load2(&t, a, a, 0);
	assert_int_equal(t.a.nrecs, 2);
	assert_true(t.a.has_summary);
	assert_string_equal(t.a.platform, "kvm");
	assert_false(t.r.cpl_ignored);
	assert_int_equal(t.r.compared, 2);
	assert_int_equal(t.r.differ, 0);
	assert_int_equal(t.r.only_a, 0);
	assert_int_equal(t.r.only_b, 0);
	assert_int_equal(t.a.nwarns, 0);
	free2(&t);
}

static void test_vector_difference(void **state)
{
	(void)state;
	char a[1024], b[1024];
	struct two t;
	/* The seed straddle: TCG #PF at the start address, silicon #SS. */
	rec(a, sizeof(a), 10, "rbp", 0, SEED_STRADDLE, "#PF", "0x0", SEED_STRADDLE, "0x46", "#SS", "tcg");
	rec(b, sizeof(b), 10, "rbp", 0, SEED_STRADDLE, "#SS", "0x0", "-", "0x10046", "#SS", "metal");
	load2(&t, a, b, 0);
	assert_int_equal(t.r.compared, 1);
	assert_int_equal(t.r.differ, 1);
	assert_int_equal(t.r.ndiffs, 1);
	assert_int_equal(t.r.diffs[0].fields, FPD_F_VECTOR);
	char va[40], vb[40];
	fpd_field_text(t.r.diffs[0].a, FPD_F_VECTOR, va, sizeof(va));
	fpd_field_text(t.r.diffs[0].b, FPD_F_VECTOR, vb, sizeof(vb));
	assert_string_equal(va, "#PF");
	assert_string_equal(vb, "#SS");
	assert_string_equal(t.r.diffs[0].a->rule, "#SS");
	free2(&t);
}

static void test_only_in_counts(void **state)
{
	(void)state;
	char l1[1024], l2[1024], l3[1024], a[4096], b[4096];
	struct two t;
	rec(l1, sizeof(l1), 1, "rbp", 0, SEED_SS, "#SS", "0x0", "-", "0x10046", "#SS", "kvm");
	rec(l2, sizeof(l2), 2, "r15", 0, SEED_SS, "#GP", "0x0", "-", "0x10046", "#GP", "kvm");
	rec(l3, sizeof(l3), 3, "rbx", 0, SEED_SS, "#GP", "0x0", "-", "0x10046", "#GP", "kvm");
	snprintf(a, sizeof(a), "%s%s", l1, l2);
	snprintf(b, sizeof(b), "%s%s", l2, l3);
	load2(&t, a, b, 0);
	assert_int_equal(t.r.compared, 1);
	assert_int_equal(t.r.only_a, 1);
	assert_int_equal(t.r.only_b, 1);
	assert_string_equal(t.r.only_in_a[0]->base, "rbp");
	assert_string_equal(t.r.only_in_b[0]->base, "rbx");
	free2(&t);
}

/* ------------------------------------------------------------ cpl rule */

static void test_cpl_auto_ignored_for_user_run(void **state)
{
	(void)state;
	char a[1024], b[1024];
	struct two t;
	rec(a, sizeof(a), 1, "rbp", 0, SEED_SS, "#GP", "0x0", "-", "0x46", "#SS", "tcg");
	rec(b, sizeof(b), 1, "rbp", 3, SEED_SS, "#SS", "0x0", "-", "0x10246", "#SS", "linux-user");
	load2(&t, a, b, 0);
	assert_true(t.b.cpl3_only);
	assert_false(t.a.cpl3_only);
	assert_true(t.r.cpl_ignored);
	assert_int_equal(t.r.compared, 1);
	assert_int_equal(t.r.differ, 1);
	free2(&t);

	/* --match-cpl: the two cells no longer meet. */
	struct fpd_options o = { .cpl_mode = FPD_CPL_MATCH };
	load2(&t, a, b, &o);
	assert_false(t.r.cpl_ignored);
	assert_int_equal(t.r.compared, 0);
	assert_int_equal(t.r.only_a, 1);
	assert_int_equal(t.r.only_b, 1);
	free2(&t);
}

static void test_cpl3_twin_preferred(void **state)
{
	(void)state;
	char k0[1024], k3[1024], u[1024], a[4096];
	struct two t;
	/* A kernel log with the same probe at ring 0 and ring 3, and a
	 * linux-user log: the ring-3 record is the one compared. */
	rec(k0, sizeof(k0), 1, "rbp", 0, "0x0000100000000000", "#PF", "0x0", "0x0000100000000000",
	    "0x10046", "#PF", "kvm");
	rec(k3, sizeof(k3), 2, "rbp", 3, "0x0000100000000000", "#PF", "0x4", "0x0000100000000000",
	    "0x10246", "#PF", "kvm");
	rec(u, sizeof(u), 1, "rbp", 3, "0x0000100000000000", "#PF", "0x6", "0x0000100000000000",
	    "0x10246", "#PF", "linux-user");
	snprintf(a, sizeof(a), "%s%s", k0, k3);
	load2(&t, a, u, 0);
	assert_true(t.r.cpl_ignored);
	assert_int_equal(t.r.compared, 1);
	assert_int_equal(t.r.shadowed_a, 1);
	assert_int_equal(t.r.differ, 1);
	assert_int_equal(t.r.diffs[0].a->cpl, 3);          /* the twin, not cpl 0 */
	assert_int_equal(t.r.diffs[0].fields, FPD_F_ERR);  /* W/R differs: 0x4 vs 0x6 */
	/* A twin at another cpl is not a duplicate: no warning. */
	assert_int_equal(t.a.nwarns, 0);
	free2(&t);
}

/* ------------------------------------------------------------ masking */

static void test_err_user_bit_masked(void **state)
{
	(void)state;
	char a[1024], b[1024];
	struct two t;
	rec(a, sizeof(a), 1, "rbp", 0, "0x0000100000000000", "#PF", "0x0", "0x0000100000000000",
	    "0x10046", "#PF", "kvm");
	rec(b, sizeof(b), 1, "rbp", 3, "0x0000100000000000", "#PF", "0x4", "0x0000100000000000",
	    "0x10246", "#PF", "linux-user");
	load2(&t, a, b, 0);
	assert_int_equal(t.r.compared, 1);
	assert_int_equal(t.r.differ, 0);
	free2(&t);
}

static void test_err_p_bit_masked_only_for_cpl3_high(void **state)
{
	(void)state;
	char a[1024], b[1024];
	struct two t;
	/* Kernel half from CPL 3: Linux forces P=1. */
	rec(a, sizeof(a), 1, "rbp", 0, KHALF, "#PF", "0x0", KHALF, "0x10046", "#PF", "kvm");
	rec(b, sizeof(b), 1, "rbp", 3, KHALF, "#PF", "0x5", KHALF, "0x10246", "#PF", "linux-user");
	load2(&t, a, b, 0);
	assert_int_equal(t.r.differ, 0);
	free2(&t);

	/* The last user page is at TASK_SIZE_MAX: masked too. */
	rec(a, sizeof(a), 1, "rbp", 0, "0x00007ffffffff000", "#PF", "0x0", "0x00007ffffffff000",
	    "0x10046", "#PF", "kvm");
	rec(b, sizeof(b), 1, "rbp", 3, "0x00007ffffffff000", "#PF", "0x5", "0x00007ffffffff000",
	    "0x10246", "#PF", "linux-user");
	load2(&t, a, b, 0);
	assert_int_equal(t.r.differ, 0);
	free2(&t);

	/* Below it P counts. */
	rec(a, sizeof(a), 1, "rbp", 0, "0x00007fffffffe000", "#PF", "0x0", "0x00007fffffffe000",
	    "0x10046", "#PF", "kvm");
	rec(b, sizeof(b), 1, "rbp", 3, "0x00007fffffffe000", "#PF", "0x5", "0x00007fffffffe000",
	    "0x10246", "#PF", "linux-user");
	load2(&t, a, b, 0);
	assert_int_equal(t.r.differ, 1);
	assert_int_equal(t.r.diffs[0].fields, FPD_F_ERR);
	free2(&t);

	/* Two ring-0 runs: P is compared even in the kernel half. */
	rec(a, sizeof(a), 1, "rbp", 0, KHALF, "#PF", "0x0", KHALF, "0x10046", "#PF", "kvm");
	rec(b, sizeof(b), 1, "rbp", 0, KHALF, "#PF", "0x1", KHALF, "0x10046", "#PF", "metal");
	load2(&t, a, b, 0);
	assert_int_equal(t.r.differ, 1);
	free2(&t);
}

static void test_gp_err_exact(void **state)
{
	(void)state;
	char a[1024], b[1024];
	struct two t;
	rec(a, sizeof(a), 1, "r15", 0, SEED_SS, "#GP", "0x0", "-", "0x10046", "#GP", "kvm");
	rec(b, sizeof(b), 1, "r15", 0, SEED_SS, "#GP", "0x4", "-", "0x10046", "#GP", "metal");
	load2(&t, a, b, 0);
	assert_int_equal(t.r.differ, 1);
	assert_int_equal(t.r.diffs[0].fields, FPD_F_ERR);
	free2(&t);
}

static void test_cr2_compared_for_pf_only(void **state)
{
	(void)state;
	char a[1024], b[1024];
	struct two t;
	rec(a, sizeof(a), 1, "rbp", 0, "0x0000100000000000", "#PF", "0x0", "0x0000100000000000",
	    "0x10046", "#PF", "kvm");
	rec(b, sizeof(b), 1, "rbp", 0, "0x0000100000000000", "#PF", "0x0", "0x0000100000000008",
	    "0x10046", "#PF", "metal");
	load2(&t, a, b, 0);
	assert_int_equal(t.r.differ, 1);
	assert_int_equal(t.r.diffs[0].fields, FPD_F_CR2);
	free2(&t);

	/* #GP with a stale CR2 on one side: not compared. */
	rec(a, sizeof(a), 1, "r15", 0, SEED_SS, "#GP", "0x0", "0x00000000c2c2c2c0", "0x10046", "#GP", "kvm");
	rec(b, sizeof(b), 1, "r15", 0, SEED_SS, "#GP", "0x0", "-", "0x10046", "#GP", "metal");
	load2(&t, a, b, 0);
	assert_int_equal(t.r.differ, 0);
	free2(&t);
}

static void test_frame_fields(void **state)
{
	(void)state;
	char a[1024], b[1024];
	struct two t;
	struct fpd_options o = { .cpl_mode = FPD_CPL_AUTO, .frame = true };
	rec(a, sizeof(a), 1, "r15", 0, SEED_SS, "#GP", "0x0", "-", "0x46", "#GP", "tcg");
	rec(b, sizeof(b), 1, "r15", 0, SEED_SS, "#GP", "0x0", "-", "0x10046", "#GP", "kvm");
	load2(&t, a, b, 0);
	assert_int_equal(t.r.differ, 0);          /* RF ignored by default */
	free2(&t);
	load2(&t, a, b, &o);
	assert_int_equal(t.r.differ, 1);
	assert_int_equal(t.r.diffs[0].fields, FPD_F_RF);
	char v[40];
	fpd_field_text(t.r.diffs[0].a, FPD_F_RF, v, sizeof(v));
	assert_string_equal(v, "RF=0");
	free2(&t);
}

/* ------------------------------------------------------------ robustness */

static void test_truncated_line_warns(void **state)
{
	(void)state;
	char l1[1024], l2[1024], a[4096];
	struct fpd_log log;
	rec(l1, sizeof(l1), 1, "rbp", 0, SEED_SS, "#SS", "0x0", "-", "0x10046", "#SS", "kvm");
	rec(l2, sizeof(l2), 2, "r15", 0, SEED_SS, "#GP", "0x0", "-", "0x10046", "#GP", "kvm");
	/* Cut l2 in the middle of its addr value, and again after rip=. */
	snprintf(a, sizeof(a), "%s%.*s\n%.*s", l1, (int)(strstr(l2, "addr=") - l2 + 10), l2,
		 (int)(strstr(l2, "rip=") - l2 + 8), l2);
	fpd_log_load_mem(&log, "T", a, strlen(a));
	assert_int_equal(log.nrecs, 1);
	assert_int_equal(log.lines, 3);
	assert_true(has_warning(&log, 2, "truncated"));
	assert_true(has_warning(&log, 3, "truncated"));
	fpd_log_free(&log);
}

static void test_interleaved_lines_warn(void **state)
{
	(void)state;
	char l1[1024], l2[1024], a[4096];
	struct fpd_log log;
	rec(l1, sizeof(l1), 1, "rbp", 0, SEED_SS, "#SS", "0x0", "-", "0x10046", "#SS", "kvm");
	rec(l2, sizeof(l2), 2, "r15", 0, SEED_SS, "#GP", "0x0", "-", "0x10046", "#GP", "kvm");
	/* Two writers: l2 spliced into the middle of l1, and the rest of l1
	 * starting a line of its own. */
	size_t cut = (size_t)(strstr(l1, "vector=") - l1);
	snprintf(a, sizeof(a), "%.*s%s%s", (int)cut, l1, l2, l1 + cut);
	fpd_log_load_mem(&log, "I", a, strlen(a));
	assert_int_equal(log.nrecs, 0);
	assert_true(has_warning(&log, 1, "malformed"));
	assert_true(log.nwarns >= 1);
	fpd_log_free(&log);

	/* Record text after other output on the same line. */
	snprintf(a, sizeof(a), "SeaBIOS (version 1.16) %s", l1);
	fpd_log_load_mem(&log, "I2", a, strlen(a));
	assert_int_equal(log.nrecs, 0);
	assert_true(has_warning(&log, 1, "interleaved"));
	fpd_log_free(&log);
}

static void test_binary_and_crlf(void **state)
{
	(void)state;
	char l1[1024], a[4096];
	struct fpd_log log;
	rec(l1, sizeof(l1), 1, "rbp", 0, SEED_SS, "#SS", "0x0", "-", "0x10046", "#SS", "kvm");
	static const char noise[] = "\x1b[2J\x1b[1;1H firmware\r\n";
	size_t n = strlen(l1), m = sizeof(noise) - 1;
	memcpy(a, l1, n);
	a[20] = '\0';                         /* a NUL inside the record */
	memcpy(a + n, noise, m);              /* escapes: not a record, no warning */
	memcpy(a + n + m, l1, n);             /* then a clean CRLF copy */
	a[n + m + n - 1] = '\r';
	a[n + m + n] = '\n';
	fpd_log_load_mem(&log, "B", a, n + m + n + 1);
	assert_int_equal(log.nrecs, 1);
	assert_int_equal(log.recs[0].lineno, 3);
	assert_true(has_warning(&log, 1, "binary byte 0x00"));
	assert_int_equal(log.nwarns, 1);
	fpd_log_free(&log);
}

static void test_empty_and_missing(void **state)
{
	(void)state;
	struct fpd_log log;
	assert_int_equal(fpd_log_load_mem(&log, "E", "", 0), 0);
	assert_int_equal(log.nrecs, 0);
	assert_int_equal(log.lines, 0);
	assert_int_equal(log.nwarns, 0);
	fpd_log_free(&log);

	assert_int_equal(fpd_log_load_file(&log, "/nonexistent/fpdiff-test.log"), -1);
	assert_int_equal(log.nwarns, 1);
	assert_non_null(strstr(log.warns[0].text, "cannot open"));
	fpd_log_free(&log);
}

static void test_duplicates_warn_first_wins(void **state)
{
	(void)state;
	char l1[1024], l1b[1024], b[1024], a[4096];
	struct two t;
	rec(l1, sizeof(l1), 1, "rbp", 0, SEED_SS, "#SS", "0x0", "-", "0x10046", "#SS", "kvm");
	rec(l1b, sizeof(l1b), 45, "rbp", 0, SEED_SS, "#GP", "0x0", "-", "0x10046", "#SS", "kvm");
	rec(b, sizeof(b), 1, "rbp", 0, SEED_SS, "#SS", "0x0", "-", "0x10046", "#SS", "metal");
	snprintf(a, sizeof(a), "%s%s", l1, l1b);
	load2(&t, a, b, 0);
	assert_int_equal(t.r.compared, 1);
	assert_int_equal(t.r.differ, 0);         /* the first (#SS) was used */
	assert_int_equal(t.r.shadowed_a, 1);
	assert_true(has_warning(&t.a, 2, "repeat an identity"));
	free2(&t);
}

static void test_vec_n_and_bad_values(void **state)
{
	(void)state;
	char l1[1024], l2[1024], a[4096];
	struct fpd_log log;
	rec(l1, sizeof(l1), 1, "rbp", 0, SEED_SS, "vec15", "-", "-", "0x10046", "#SS", "kvm");
	rec(l2, sizeof(l2), 2, "r15", 7, SEED_SS, "#XX", "0x0", "-", "0x10046", "#GP", "kvm");
	snprintf(a, sizeof(a), "%s%s", l1, l2);
	fpd_log_load_mem(&log, "V", a, strlen(a));
	assert_int_equal(log.nrecs, 1);
	assert_int_equal(log.recs[0].vector, 15);
	assert_true(has_warning(&log, 2, "malformed"));
	assert_int_equal(log.malformed, 1);
	fpd_log_free(&log);
}

/* Issue 14 #4: a pty turns "\r\n" into "\r\r\n"; fpcheck accepted such
 * logs and fpdiff rejected every record as binary.  Both accept it now. */
static void test_cr_cr_lf_accepted(void **state)
{
	(void)state;
	char l1[1024], l2[1024], a[4096];
	struct fpd_log log;
	rec(l1, sizeof(l1), 1, "rbp", 0, SEED_SS, "#SS", "0x0", "-", "0x10046", "#SS", "kvm");
	rec(l2, sizeof(l2), 2, "r15", 0, SEED_SS, "#GP", "0x0", "-", "0x10046", "#GP", "kvm");
	l1[strlen(l1) - 1] = '\0';
	l2[strlen(l2) - 1] = '\0';
	snprintf(a, sizeof(a), "%s\r\r\n%s\r\r\nfaultprobe: done probes=2 faults=2 unexpected=0\r\r\n", l1, l2);
	fpd_log_load_mem(&log, "P", a, strlen(a));
	assert_int_equal(log.nrecs, 2);
	assert_int_equal(log.nwarns, 0);
	assert_true(log.has_summary);
	fpd_log_free(&log);
}

/* Issue 14 #4: a record cut or garbled by the serial line (a key missing,
 * a hex value with a digit dropped) is malformed: counted, never compared,
 * so it cannot show up as a "differ" row. */
static void test_corrupt_records_not_compared(void **state)
{
	(void)state;
	char good[1024], b1[1024], b2[1024], b3[1024], b[4096];
	struct two t;
	rec(good, sizeof(good), 1, "rbp", 0, SEED_STRADDLE, "#PF", "0x0", SEED_STRADDLE, "0x10046", "#SS", "kvm");
	/* cr2= lost: used to read as '-' and differ from A's CR2. */
	rec(b1, sizeof(b1), 1, "rbp", 0, SEED_STRADDLE, "#PF", "0x0", SEED_STRADDLE, "0x10046", "#SS", "metal");
	char *cr2 = strstr(b1, " cr2=");
	memmove(cr2, cr2 + 23, strlen(cr2 + 23) + 1);
	/* a digit of cr2 dropped: used to compare as a different address. */
	rec(b2, sizeof(b2), 2, "r15", 0, SEED_STRADDLE, "#PF", "0x0", "0x00007fffffffff9", "0x10046", "#GP", "metal");
	/* err= lost on a #GP. */
	rec(b3, sizeof(b3), 3, "rbp", 0, SEED_SS, "#GP", "0x0", "-", "0x10046", "#SS", "metal");
	char *err = strstr(b3, " err=0x0");
	memmove(err, err + 8, strlen(err + 8) + 1);
	snprintf(b, sizeof(b), "%s%s%s", b1, b2, b3);
	load2(&t, good, b, 0);
	assert_int_equal(t.b.nrecs, 0);
	assert_int_equal(t.b.malformed, 3);
	assert_true(has_warning(&t.b, 1, "cr2= missing"));
	assert_true(has_warning(&t.b, 2, "cr2=0x00007fffffffff9 has 15 hex digits"));
	assert_true(has_warning(&t.b, 3, "err= missing"));
	assert_int_equal(t.r.compared, 0);
	assert_int_equal(t.r.differ, 0);
	assert_int_equal(t.r.only_a, 1);
	free2(&t);
}

/* Issue 14 #10: every warning was kept in memory (20 MB of bad lines, about
 * 1 GB).  The first few are kept, the rest counted. */
static void test_warnings_bounded(void **state)
{
	(void)state;
	const unsigned n = 100000;
	static const char bad[] = "probe id=1 set=seed op=load base=rbp addr=0x7ff vector=#XX\n";
	size_t len = (sizeof(bad) - 1) * n;
	char *buf = malloc(len);
	assert_non_null(buf);
	for (unsigned i = 0; i < n; i++)
		memcpy(buf + i * (sizeof(bad) - 1), bad, sizeof(bad) - 1);
	struct fpd_log log;
	fpd_log_load_mem(&log, "G", buf, len);
	assert_int_equal(log.nrecs, 0);
	assert_int_equal(log.malformed, n);
	assert_int_equal(log.line_warns, n);
	assert_int_equal(log.nwarns, FPD_KEEP_LINE_WARNINGS);
	assert_int_equal(log.warns_dropped, n - FPD_KEEP_LINE_WARNINGS);
	assert_int_equal(log.warns[0].lineno, 1);
	fpd_log_free(&log);
	free(buf);
}

/* Random bytes, and random splices of valid lines: never crash, and the
 * counts always add up. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static void check_invariants(struct fpd_log *a, struct fpd_log *b)
{
	struct fpd_result r;
	static const enum fpd_field fields[] = { FPD_F_VECTOR, FPD_F_ERR, FPD_F_CR2, FPD_F_RF,
						 FPD_F_RIP_AT, FPD_F_SAVED_RSP };
	struct fpd_options o = { .cpl_mode = (enum fpd_cpl_mode)(rnd() % 3), .frame = rnd() & 1 };
	assert_int_equal(fpd_compare(a, b, &o, &r), 0);
	assert_int_equal(r.compared + r.only_a + r.shadowed_a, a->nrecs);
	assert_int_equal(r.compared + r.only_b + r.shadowed_b, b->nrecs);
	assert_int_equal(r.differ, r.ndiffs);
	assert_true(r.differ <= r.compared);
	for (size_t i = 0; i < r.ndiffs; i++) {
		assert_int_not_equal(r.diffs[i].fields, 0);
		for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
			char buf[40];
			fpd_field_text(r.diffs[i].a, fields[k], buf, sizeof(buf));
			fpd_field_text(r.diffs[i].b, fields[k], buf, sizeof(buf));
		}
	}
	fpd_result_free(&r);
}

static void test_fuzz_random_bytes(void **state)
{
	(void)state;
	static char buf[8192];
	for (unsigned iter = 0; iter < 3000; iter++) {
		size_t n = rnd() % sizeof(buf);
		for (size_t i = 0; i < n; i++) {
			uint32_t x = rnd();
			/* bias towards separators and record-ish text */
			buf[i] = (x & 7) == 0 ? '\n' : (x & 7) == 1 ? ' ' : (x & 7) == 2 ? '=' : (char)(x >> 8);
		}
		if (n > 6 && (rnd() & 1))
			memcpy(buf, "probe ", 6);
		struct fpd_log a, b;
		fpd_log_load_mem(&a, "R", buf, n);
		fpd_log_load_mem(&b, "R", buf, n / 2);
		check_invariants(&a, &b);
		fpd_log_free(&a);
		fpd_log_free(&b);
	}
}

static void test_fuzz_spliced_records(void **state)
{
	(void)state;
	static const char *const bases[] = { "rbp", "r15", "rsp", "rax" };
	static const char *const addrs[] = { SEED_SS, SEED_STRADDLE, KHALF, "0x0000100000000000" };
	static const char *const vecs[] = { "#SS", "#GP", "#PF", "none", "vec99" };
	static char clean[65536], dirty[65536];
	for (unsigned iter = 0; iter < 300; iter++) {
		size_t len = 0;
		unsigned nrec = 1 + rnd() % 40;
		for (unsigned i = 0; i < nrec; i++) {
			char l[1024];
			rec(l, sizeof(l), i + 1, bases[rnd() % 4], (rnd() & 1) ? 3 : 0, addrs[rnd() % 4],
			    vecs[rnd() % 5], (rnd() & 1) ? "0x4" : "-", (rnd() & 1) ? KHALF : "-",
			    (rnd() & 1) ? "0x10046" : "-", vecs[rnd() % 3], (rnd() & 1) ? "kvm" : "tcg");
			size_t n = strlen(l);
			if (len + n >= sizeof(clean))
				break;
			memcpy(clean + len, l, n);
			len += n;
		}
		/* Corrupt a copy: cut, duplicate, splice and flip. */
		memcpy(dirty, clean, len);
		size_t dlen = len;
		unsigned edits = rnd() % 8;
		for (unsigned e = 0; e < edits && dlen > 2; e++) {
			size_t p = rnd() % dlen, q = rnd() % dlen;
			switch (rnd() % 4) {
			case 0: dlen = p; break;                                   /* truncate */
			case 1: dirty[p] = (char)rnd(); break;                     /* flip */
			case 2: memmove(dirty + p, dirty + q, dlen - (p > q ? p : q)); break;
			case 3: dirty[p] = '\n'; break;                            /* split */
			}
		}
		struct fpd_log a, b;
		fpd_log_load_mem(&a, "clean", clean, len);
		fpd_log_load_mem(&b, "dirty", dirty, dlen);
		assert_true(b.nrecs <= a.nrecs + edits + 1);
		check_invariants(&a, &b);
		check_invariants(&b, &a);
		check_invariants(&a, &a);
		fpd_log_free(&a);
		fpd_log_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_logs_match),
		cmocka_unit_test(test_vector_difference),
		cmocka_unit_test(test_only_in_counts),
		cmocka_unit_test(test_cpl_auto_ignored_for_user_run),
		cmocka_unit_test(test_cpl3_twin_preferred),
		cmocka_unit_test(test_err_user_bit_masked),
		cmocka_unit_test(test_err_p_bit_masked_only_for_cpl3_high),
		cmocka_unit_test(test_gp_err_exact),
		cmocka_unit_test(test_cr2_compared_for_pf_only),
		cmocka_unit_test(test_frame_fields),
		cmocka_unit_test(test_truncated_line_warns),
		cmocka_unit_test(test_interleaved_lines_warn),
		cmocka_unit_test(test_cr_cr_lf_accepted),
		cmocka_unit_test(test_corrupt_records_not_compared),
		cmocka_unit_test(test_warnings_bounded),
		cmocka_unit_test(test_binary_and_crlf),
		cmocka_unit_test(test_empty_and_missing),
		cmocka_unit_test(test_duplicates_warn_first_wins),
		cmocka_unit_test(test_vec_n_and_bad_values),
		cmocka_unit_test(test_fuzz_random_bytes),
		cmocka_unit_test(test_fuzz_spliced_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
