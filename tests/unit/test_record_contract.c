/* Host unit tests of the record contract (tools/record_contract.c) shared by
 * fpcheck and fpdiff, and of the line rules in tools/logparse.c.  The good
 * records are copied from real logs (a TCG boot and faultprobe-user); each
 * bad one is a good one with the kind of damage a flaky serial line does. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/logparse.h"
#include "tools/record_contract.h"

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

/* TCG, seed set, a #PF. */
static const char pf_rec[] =
	"probe id=1 set=seed op=load base=rbp index=rax seg=none width=8 cpl=0 paging=4 adjust=0 "
	"addr=0x0000100000000000 vector=#PF err=0x0 cr2=0x0000100000000000 rip=0x0000000000133020 "
	"cs=0x10 rflags=0x46 rsp=0x000000000022bdb8 ss=0x18 pre_rsp=0x000000000022bdb8 "
	"frame=0x000000000022bd88 stack=cur rip_at=insn saved_rsp=pre handler_ss=0x18 rule=#PF "
	"rule_err=0x0 agrees=yes platform=tcg";
/* TCG, matrix, a probe that did not fault (it read the kernel's first page). */
static const char none_rec[] =
	"probe id=2458 set=matrix slice=control op=load base=rbp index=- seg=none width=8 cpl=0 "
	"paging=4 adjust=0 addr=0x0000000000100000 vector=none err=- cr2=- rip=- cs=- rflags=- rsp=- "
	"ss=- pre_rsp=0x000000000022ba48 value=0x00000000e85250d6 rule=none rule_err=- agrees=yes "
	"platform=tcg";
/* faultprobe-user: frame=- stack=- (the frame is on the kernel stack). */
static const char user_rec[] =
	"probe id=1 set=seed op=load base=rbp index=rax seg=none width=8 cpl=3 paging=4 adjust=0 "
	"addr=0x0000100000000000 vector=#PF err=0x4 cr2=0x0000100000000000 rip=0x00000000004081f0 "
	"cs=0x33 rflags=0x10246 rsp=0x00007ffce3de22f8 ss=0x2b pre_rsp=0x00007ffce3de22f8 frame=- "
	"stack=- rip_at=insn saved_rsp=pre rule=#PF rule_err=0x4 agrees=yes platform=linux-user";
/* TCG, a #GP disagreeing with the rule. */
static const char gp_rec[] =
	"probe id=20 set=seed op=load base=rbp index=rax seg=none width=8 cpl=0 paging=4 adjust=0 "
	"addr=0x0000800000000000 vector=#GP err=0x0 cr2=- rip=0x0000000000133020 cs=0x10 rflags=0x46 "
	"rsp=0x000000000022bdb8 ss=0x18 pre_rsp=0x000000000022bdb8 frame=0x000000000022bd88 stack=cur "
	"rip_at=insn saved_rsp=pre handler_ss=0x18 rule=#SS rule_err=0x0 agrees=no platform=tcg";

/* Checks `text` (copied: parsing is in place); returns the reason or NULL. */
static const char *check(const char *text, char *why, size_t n)
{
	static char copy[2048];
	struct log_line l;
	snprintf(copy, sizeof(copy), "%s", text);
	assert_int_equal(log_parse_line(copy, &l), LOG_OK);
	return probe_contract_check(&l, why, n);
}

/* `text` with the first "from" replaced by "to". */
static const char *edit(const char *text, const char *from, const char *to)
{
	static char out[2048];
	char in[2048];
	snprintf(in, sizeof(in), "%s", text);   /* text may be out itself */
	const char *p = strstr(in, from);
	assert_non_null(p);
	snprintf(out, sizeof(out), "%.*s%s%s", (int)(p - in), in, to, p + strlen(from));
	return out;
}

static void expect_bad(const char *text, const char *needle)
{
	char why[200];
	const char *r = check(text, why, sizeof(why));
	if (!r || !strstr(r, needle))
		fail_msg("want a reason containing '%s', got '%s' for: %s", needle, r ? r : "(conforms)", text);
}

static void test_real_records_conform(void **state)
{
	(void)state;
	char why[200];
	assert_null(check(pf_rec, why, sizeof(why)));
	assert_null(check(none_rec, why, sizeof(why)));
	assert_null(check(user_rec, why, sizeof(why)));
	assert_null(check(gp_rec, why, sizeof(why)));
	/* Keys may be added, never renamed. */
	assert_null(check(edit(pf_rec, " platform=", " newkey=whatever platform="), why, sizeof(why)));
	/* Other vectors print as vec<n> (report/record.c). */
	assert_null(check(edit(edit(edit(gp_rec, "vector=#GP", "vector=vec15"), "err=0x0", "err=-"),
			       "agrees=no", "agrees=no"), why, sizeof(why)));
}

static void test_missing_keys(void **state)
{
	(void)state;
	expect_bad(edit(pf_rec, " cr2=0x0000100000000000", ""), "cr2= missing");
	expect_bad(edit(gp_rec, " err=0x0", ""), "err= missing");
	expect_bad(edit(pf_rec, " agrees=yes", ""), "agrees= missing");
	expect_bad(edit(pf_rec, " id=1", ""), "id= missing");
	expect_bad(edit(pf_rec, " addr=0x0000100000000000", ""), "addr= missing");
	expect_bad(edit(pf_rec, " stack=cur", ""), "stack= missing");
	expect_bad(edit(none_rec, " value=0x00000000e85250d6", ""), "value= missing");
}

static void test_hex_digit_counts(void **state)
{
	(void)state;
	/* A dropped digit in every 16-digit key. */
	expect_bad(edit(pf_rec, "addr=0x0000100000000000", "addr=0x000100000000000"), "15 hex digits, want 16");
	expect_bad(edit(pf_rec, "cr2=0x0000100000000000", "cr2=0x00001000000000"), "14 hex digits");
	expect_bad(edit(pf_rec, "rip=0x0000000000133020", "rip=0x000000000013302"), "rip=");
	expect_bad(edit(pf_rec, "rsp=0x000000000022bdb8", "rsp=0x00000000022bdb8"), "rsp=");
	expect_bad(edit(pf_rec, "pre_rsp=0x000000000022bdb8", "pre_rsp=0x000000000022bdb"), "pre_rsp=");
	expect_bad(edit(pf_rec, "frame=0x000000000022bd88", "frame=0x00000000022bd88"), "frame=");
	expect_bad(edit(none_rec, "value=0x00000000e85250d6", "value=0x0000000e85250d6"), "value=");
	/* A doubled digit. */
	expect_bad(edit(pf_rec, "addr=0x0000100000000000", "addr=0x00001000000000000"), "17 hex digits");
	/* Minimal-width values: leading zero, empty, too long. */
	expect_bad(edit(pf_rec, "rflags=0x46", "rflags=0x046"), "leading zero");
	expect_bad(edit(gp_rec, "err=0x0", "err=0x"), "err=");
	expect_bad(edit(pf_rec, "cs=0x10", "cs=0x10000000000000000"), "cs=");
}

static void test_malformed_values(void **state)
{
	(void)state;
	expect_bad(edit(pf_rec, "addr=0x0000100000000000", "addr=0x00001000000G0000"), "addr=");
	expect_bad(edit(pf_rec, "addr=0x0000100000000000", "addr=0X0000100000000000"), "addr=");
	expect_bad(edit(pf_rec, "addr=0x0000100000000000", "addr=0x0000100000000ABC"), "addr=");
	expect_bad(edit(pf_rec, "vector=#PF", "vector=#XF"), "vector=");
	expect_bad(edit(pf_rec, "vector=#PF", "vector=vec14"), "vector=");   /* #PF prints as #PF */
	expect_bad(edit(pf_rec, "vector=#PF", "vector=vec256"), "vector=");
	expect_bad(edit(pf_rec, "rule=#PF", "rule=#P"), "rule=");
	expect_bad(edit(pf_rec, "cpl=0", "cpl=7"), "cpl=");
	expect_bad(edit(pf_rec, "cpl=0", "cpl=00"), "cpl=");
	expect_bad(edit(pf_rec, "paging=4", "paging=6"), "paging=");
	expect_bad(edit(pf_rec, "width=8", "width=8x"), "width=");
	expect_bad(edit(pf_rec, "id=1 ", "id=01 "), "id=");
	expect_bad(edit(pf_rec, "agrees=yes", "agrees=ye"), "agrees=");
	expect_bad(edit(pf_rec, "set=seed", "set=SEED"), "set=");
	expect_bad(edit(pf_rec, "base=rbp", "base=r\"bp"), "base=");
	expect_bad(edit(pf_rec, "err=0x0", "err=-0x0"), "err=");
}

static void test_consistency(void **state)
{
	(void)state;
	/* A #PF without CR2 (a cut "cr2=0x..." read as '-' was issue 14 #4). */
	expect_bad(edit(pf_rec, "cr2=0x0000100000000000", "cr2=-"), "cr2=- but vector=#PF");
	/* #GP pushes an error code (SDM Vol. 3 6.13): err=- is corrupt. */
	expect_bad(edit(gp_rec, "err=0x0", "err=-"), "err=- but vector=#GP");
	expect_bad(edit(gp_rec, "rule_err=0x0", "rule_err=-"), "rule_err=-");
	/* No fault, yet a frame; a fault, yet no frame. */
	expect_bad(edit(none_rec, "rip=-", "rip=0x0000000000133020"), "but vector=none");
	expect_bad(edit(pf_rec, "rsp=0x000000000022bdb8", "rsp=-"), "rsp=- but vector=#PF");
	expect_bad(edit(none_rec, "err=-", "err=0x0"), "pushes no error code");
}

static void test_skip_lines(void **state)
{
	(void)state;
	char line[] = "skip id=7 set=seed op=load base=rbp index=rax seg=none width=8 cpl=3 paging=4 "
		      "adjust=0 addr=0x00007ffffffff000 reason=mapped rule=#PF platform=linux-user";
	char cut[] = "skip id=7 set=seed op=load base=rbp index=rax seg=none width=8 cpl=3 paging=4 "
		     "adjust=0 addr=0x00007ffffff000 reason=mapped";
	char why[200];
	struct log_line l;
	assert_int_equal(log_parse_line(line, &l), LOG_OK);
	assert_null(skip_contract_check(&l, why, sizeof(why)));
	assert_int_equal(log_parse_line(cut, &l), LOG_OK);
	assert_non_null(skip_contract_check(&l, why, sizeof(why)));
	assert_non_null(strstr(why, "addr="));
}

static void test_line_trim_and_binary(void **state)
{
	(void)state;
	/* A pty turns "\r\n" into "\r\r\n": both tools drop every '\r'. */
	assert_int_equal(log_line_trim("abc\r\r\n", 6), 3);
	assert_int_equal(log_line_trim("abc\r\n", 5), 3);
	assert_int_equal(log_line_trim("abc\n", 4), 3);
	assert_int_equal(log_line_trim("abc", 3), 3);
	assert_int_equal(log_line_trim("\r\r", 2), 0);
	assert_int_equal(log_line_trim("a\rb\n", 4), 3);   /* a '\r' inside stays */
	assert_int_equal(log_first_binary_byte("a\tb c", 5), -1);
	assert_int_equal(log_first_binary_byte("a\rb", 3), 1);
	assert_int_equal(log_first_binary_byte("ab\x7f", 3), 2);
	assert_int_equal(log_first_binary_byte("ab\xc3\xa9", 4), 2);
}

/* The byte-level checks both tools run before parsing a record line. */
static void test_record_text(void **state)
{
	(void)state;
	char why[200];
	static char longline[RECORD_MAX_LINE + 2];
	memset(longline, 'a', sizeof(longline) - 1);
	assert_null(record_text_check(pf_rec, strlen(pf_rec), why, sizeof(why)));
	assert_non_null(record_text_check(longline, RECORD_MAX_LINE + 1, why, sizeof(why)));
	assert_non_null(strstr(why, "record line of 4097 bytes"));
	assert_null(record_text_check(longline, RECORD_MAX_LINE, why, sizeof(why)));
	assert_non_null(record_text_check("probe id=1\x1b[2J", 14, why, sizeof(why)));
	assert_non_null(strstr(why, "binary byte 0x1b at column 11"));
	/* Record text after firmware output: a lost record. */
	assert_true(record_text_embedded("SeaBIOS probe id=3 set=seed", 27));
	assert_false(record_text_embedded("RIP: 0010:0000000000133020", 26));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_records_conform),
		cmocka_unit_test(test_missing_keys),
		cmocka_unit_test(test_hex_digit_counts),
		cmocka_unit_test(test_malformed_values),
		cmocka_unit_test(test_consistency),
		cmocka_unit_test(test_skip_lines),
		cmocka_unit_test(test_line_trim_and_binary),
		cmocka_unit_test(test_record_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
