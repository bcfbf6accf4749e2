/* The seeds' `crash> bt -f` stacks, labelled as the seed's author labelled
 * them by hand.  The author's labels are read from the seed text itself
 * (rows "addr: value[label] value[label]"), then every label is removed and
 * fpexplain labels the unlabelled text; each of the author's labels must
 * come back on the same stack address.  Also: the pad and the pre-fault
 * RSP the author worked out in seed 000 ("对齐后的RSP为ffffa269e37dbcf0"). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/fpexplain/run.h"
#include "probes/model/vectors.h"

struct label {
	uint64_t addr;
	char text[24];
};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f) {
		print_error("cannot open %s (run from the repository root)\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf)
		buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static int hexv(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool hex16(const char *p, uint64_t *v)
{
	uint64_t x = 0;

	for (int i = 0; i < 16; i++) {
		if (hexv(p[i]) < 0)
			return false;
		x = x << 4 | (uint64_t)hexv(p[i]);
	}
	*v = x;
	return hexv(p[16]) < 0;
}

/* Collect the hand-written labels and blank them out of `text` (in place:
 * each "[label]" right after a 16-digit value on a row becomes blanks). */
static size_t take_labels(char *text, struct label *out, size_t max)
{
	size_t n = 0;

	for (char *line = text; line && *line; ) {
		char *eol = strchr(line, '\n');
		char *p = line;
		uint64_t addr, v;

		while (*p == ' ')
			p++;
		if (hex16(p, &addr) && p[16] == ':') {
			p += 17;
			for (int k = 0; ; k++) {
				while (*p == ' ')
					p++;
				if (!hex16(p, &v))
					break;
				p += 16;
				if (*p == '[') {
					char *close = strchr(p, ']');
					if (!close || (eol && close > eol))
						break;
					if (n < max) {
						out[n].addr = addr + 8ull * (unsigned)k;
						snprintf(out[n].text, sizeof(out[n].text), "%.*s",
							 (int)(close - p + 1), p);
						n++;
					}
					memset(p, ' ', (size_t)(close - p + 1));
					p = close + 1;
				}
			}
		}
		line = eol ? eol + 1 : NULL;
	}
	return n;
}

static void check_seed(const char *path, size_t min_labels, uint64_t ip_slot, uint64_t pad_slot,
		       uint64_t pre_rsp)
{
	struct label labels[64];
	struct fx_reports rs;
	size_t len, n;
	char *text = slurp(path, &len);

	assert_non_null(text);
	n = take_labels(text, labels, 64);
	assert_true(n >= min_labels);
	assert_null(strstr(text, "[rbp]"));             /* really unlabelled now */
	assert_true(fx_collect(text, len, &rs, NULL));
	assert_int_equal(rs.n, 1);
	struct fx_report *r = &rs.v[0];
	assert_int_equal(r->src, FX_SRC_CRASH);
	assert_int_equal(r->vector, VEC_SS);
	assert_true(r->frame.found);
	assert_true(r->frame.ip_slot == ip_slot);
	for (size_t i = 0; i < n; i++) {
		struct fx_slot *s = fx_stack_find(&r->stack, labels[i].addr);
		if (!s || strcmp(s->label, labels[i].text) != 0) {
			print_error("%s: %016llx: author wrote %s, fpexplain %s\n", path,
				    (unsigned long long)labels[i].addr, labels[i].text, s ? s->label : "(no slot)");
			fail();
		}
	}
	/* SDM Vol.3 6.14.2: the pad between the frame and the pre-fault RSP */
	assert_int_equal(r->frame.pad, 8);
	assert_string_equal(fx_stack_find(&r->stack, pad_slot)->label, "[pad]");
	assert_true(r->frame.rsp == pre_rsp);
	assert_true(r->frame.aligned16 && r->frame.rf && r->frame.cs_zext && r->frame.ss_zext);
	fx_reports_free(&rs);
	free(text);
}

/* seed 001: [r15] [rbp] [r8] [ax] [cx] [dx] [si] [di] [Error Code] [ip] */
static void test_seed_001(void **state)
{
	(void)state;
	check_seed("tests/explain/seed-001-vmcore-bt-f.txt", 10, 0xffffabfa4b0ebc08ull,
		   0xffffabfa4b0ebc30ull, 0xffffabfa4b0ebc38ull);
}

/* seed 000: [rbp] [ip] [CS] [RFLAGS] [sp] [ss]; the author: "对齐后的RSP为
 * ffffa269e37dbcf0" (the aligned RSP), pre-fault RSP ffffa269e37dbcf8. */
static void test_seed_000(void **state)
{
	(void)state;
	check_seed("tests/explain/seed-000-bt-f.txt", 6, 0xffffa269e37dbcc8ull,
		   0xffffa269e37dbcf0ull, 0xffffa269e37dbcf8ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_001),
		cmocka_unit_test(test_seed_000),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
