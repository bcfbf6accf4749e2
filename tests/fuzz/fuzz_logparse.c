/* libFuzzer target for the log line parser and the record contract
 * (tools/logparse.c, tools/record_contract.c), which fpcheck and fpdiff
 * run on every line of a serial log.  tests/fuzz/run-fuzz.sh builds and
 * runs it.
 *
 * The input is one line (its bytes, NUL-terminated in a copy).  Besides
 * memory safety (ASan, UBSan) the target aborts when the contract of
 * logparse.h is broken:
 *   - log_line_trim never grows a line and leaves no '\r' or final '\n';
 *     log_first_binary_byte points at a byte that is not text, or is -1
 *     and every byte is text;
 *   - a parsed line has a type of [a-z0-9_-], at most LOG_MAX_KV pairs,
 *     non-empty keys without '=' or blanks, values without blanks, no key
 *     twice, and log_get finds each pair;
 *   - the contract check of a `probe` or `skip` line returns NULL or a
 *     short reason (printable when the line is text, as the tools require
 *     before parsing), and gives the same answer twice. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tools/logparse.h"
#include "tools/record_contract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The tools check a line for binary bytes before parsing it; for such
 * text lines the reason must be printable too. */
static void check_reason(const char *why, const char *buf, int text_line)
{
	if (!why)
		return;
	CHECK(why == buf);
	size_t n = strlen(why);
	CHECK(n > 0 && n < 200);
	for (size_t i = 0; i < n && text_line; i++)
		CHECK((unsigned char)why[i] >= 0x20 && (unsigned char)why[i] < 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t n = log_line_trim(s, size);
	CHECK(n <= size);
	CHECK(n == 0 || s[n - 1] != '\r');
	for (size_t i = n; i < size; i++)
		CHECK(s[i] == '\r' || (i == size - 1 && s[i] == '\n'));

	long bad = log_first_binary_byte(s, size);
	for (size_t i = 0; i < size && (bad < 0 || i < (size_t)bad); i++)
		CHECK(s[i] == '\t' || (data[i] >= 0x20 && data[i] < 0x7f));
	if (bad >= 0) {
		CHECK((size_t)bad < size);
		CHECK(data[bad] != '\t' && (data[bad] < 0x20 || data[bad] >= 0x7f));
	}

	char *copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	struct log_line l;
	enum log_parse_status st = log_parse_line(copy, &l);
	CHECK(log_status_text(st) != NULL);
	if (st == LOG_OK) {
		CHECK(l.type && *l.type);
		for (const char *t = l.type; *t; t++)
			CHECK((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') || *t == '_' || *t == '-');
		CHECK(l.nkv <= LOG_MAX_KV);
		for (unsigned i = 0; i < l.nkv; i++) {
			const char *k = l.kv[i].key, *v = l.kv[i].val;
			CHECK(*k);
			for (const char *p = k; *p; p++)
				CHECK(*p != '=' && !is_blank(*p));
			for (const char *p = v; *p; p++)
				CHECK(!is_blank(*p));
			CHECK(log_get(&l, k) == v);   /* keys are unique */
		}
		char buf1[200], buf2[200];
		const char *w1 = NULL, *w2 = NULL;
		if (strcmp(l.type, "probe") == 0) {
			w1 = probe_contract_check(&l, buf1, sizeof(buf1));
			w2 = probe_contract_check(&l, buf2, sizeof(buf2));
		} else if (strcmp(l.type, "skip") == 0) {
			w1 = skip_contract_check(&l, buf1, sizeof(buf1));
			w2 = skip_contract_check(&l, buf2, sizeof(buf2));
		} else {
			w1 = probe_contract_check(&l, buf1, sizeof(buf1));
			CHECK(w1 != NULL);   /* not a probe record */
			w1 = NULL;
		}
		check_reason(w1, buf1, bad < 0);
		check_reason(w2, buf2, bad < 0);
		CHECK((w1 == NULL) == (w2 == NULL));
		if (w1)
			CHECK(strcmp(w1, w2) == 0);
	}
	free(copy);
	return 0;
}
