/* Host unit tests of the log line parser used by fpcheck and fpdiff. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>
#include <stdio.h>

#include "tools/logparse.h"

static void test_parses_record(void **state)
{
	(void)state;
	char line[] = "probe id=1 set=seed vector=#SS err=0x0 cr2=-\r\n";
	struct log_line l;
	assert_int_equal(log_parse_line(line, &l), LOG_OK);
	assert_string_equal(l.type, "probe");
	assert_int_equal(l.nkv, 5);
	assert_string_equal(log_get(&l, "vector"), "#SS");
	assert_string_equal(log_get(&l, "cr2"), "-");
	assert_null(log_get(&l, "rip"));
}

static void test_rejects_text_and_garbage(void **state)
{
	(void)state;
	struct log_line l;
	char a[] = "   \t\n";
	assert_int_equal(log_parse_line(a, &l), LOG_EMPTY);
	char b[] = "faultprobe: done probes=1";
	assert_int_equal(log_parse_line(b, &l), LOG_NOT_RECORD);
	char c[] = "probe id=1 truncat";
	assert_int_equal(log_parse_line(c, &l), LOG_BAD_PAIR);
	char d[] = "probe =x";
	assert_int_equal(log_parse_line(d, &l), LOG_BAD_PAIR);
	/* Two records run together (interleaved output) repeat keys. */
	char e[] = "probe id=1 set=seed id=2";
	assert_int_equal(log_parse_line(e, &l), LOG_DUP_KEY);
}

static void test_too_many_pairs(void **state)
{
	(void)state;
	char line[LOG_MAX_KV * 16 + 64];
	size_t n = (size_t)sprintf(line, "probe");
	for (int i = 0; i < LOG_MAX_KV + 1; i++)
		n += (size_t)sprintf(line + n, " k%d=v", i);
	struct log_line l;
	assert_int_equal(log_parse_line(line, &l), LOG_TOO_MANY);
}

static void test_random_bytes_never_crash(void **state)
{
	(void)state;
	srand(1234);
	for (int round = 0; round < 2000; round++) {
		char buf[300];
		int len = rand() % 299;
		for (int i = 0; i < len; i++)
			buf[i] = (char)(rand() % 255 + 1);
		buf[len] = '\0';
		struct log_line l;
		enum log_parse_status st = log_parse_line(buf, &l);
		assert_true(st <= LOG_DUP_KEY);
		assert_non_null(log_status_text(st));
		if (st == LOG_OK)
			for (unsigned i = 0; i < l.nkv; i++)
				assert_true(l.kv[i].key[0] != '\0');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parses_record),
		cmocka_unit_test(test_rejects_text_and_garbage),
		cmocka_unit_test(test_too_many_pairs),
		cmocka_unit_test(test_random_bytes_never_crash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
