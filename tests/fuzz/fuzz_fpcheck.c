/* libFuzzer target for fpcheck's core (tools/fpcheck_core.c): load a log,
 * lint and check expectations against it, write TAP.  tests/fuzz/run-fuzz.sh
 * builds and runs it.
 *
 * Input: byte 0 picks --strict, the rest is the log, then a line "%%",
 * then expectation text (without the separator: no expectations, the
 * `fpcheck --tap LOG` case).  Besides memory safety and leaks (fpc_free
 * must free everything) the target aborts when the TAP output breaks
 * TAP 13 as prove reads it:
 *   - "TAP version 13", then the plan "1..N", then exactly N test lines
 *     "ok K - " / "not ok K - " numbered 1..N in order;
 *   - every other line is a YAML block line (two-space indent) or the
 *     block's "  ---" / "  ..." fences, and every byte is printable;
 *   - the last test is the run itself, "run: faultprobe done";
 *   - fpcheck fails (failures > 0) whenever a test other than a # TODO is
 *     "not ok". */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/fpcheck_core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_tap(const char *tap, size_t len, const struct fpc_counts *n)
{
	CHECK(strncmp(tap, "TAP version 13\n1..", 18) == 0);
	char *end;
	unsigned long plan = strtoul(tap + 18, &end, 10);
	CHECK(*end == '\n' && plan >= 1);
	const char *p = end + 1, *last_test = NULL;
	unsigned long seen = 0, failed = 0;
	while (p < tap + len) {
		const char *nl = memchr(p, '\n', (size_t)(tap + len - p));
		CHECK(nl != NULL);
		for (const char *c = p; c < nl; c++)
			CHECK(*c >= 0x20 && *c < 0x7f);
		char num[32];
		if (strncmp(p, "ok ", 3) == 0 || strncmp(p, "not ok ", 7) == 0) {
			int ok = p[0] == 'o';
			seen++;
			snprintf(num, sizeof(num), "%s %lu - ", ok ? "ok" : "not ok", seen);
			CHECK(strncmp(p, num, strlen(num)) == 0);
			/* a failing test that is not a TODO must fail fpcheck */
			const char *todo = memmem(p, (size_t)(nl - p), " # TODO ", 8);
			if (!ok && !todo)
				failed++;
			last_test = p + strlen(num);
		} else {
			CHECK(strncmp(p, "  ", 2) == 0);
		}
		p = nl + 1;
	}
	CHECK(seen == plan);
	CHECK(last_test && strncmp(last_test, "run: faultprobe done", 20) == 0);
	if (failed)
		CHECK(n->failures > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct fpc_options o = { .strict = data[0] & 1, .diag = NULL, .deviations_doc = NULL };
	const char *text = (const char *)data + 1;
	size_t len = size - 1, loglen = len;
	const char *exp = NULL;
	size_t explen = 0;
	const char *sep = memmem(text, len, "\n%%\n", 4);
	if (sep) {
		loglen = (size_t)(sep - text) + 1;
		exp = sep + 4;
		explen = len - (size_t)(exp - text);
	}
	struct fpc *c = fpc_new(&o);
	fpc_load_log_mem(c, "log", text, loglen);
	if (exp)
		fpc_expect_mem(c, "expect", exp, explen, 1);
	fpc_finish(c);
	struct fpc_counts n;
	fpc_counts(c, &n);
	char *tap = NULL;
	size_t taplen = 0;
	FILE *out = open_memstream(&tap, &taplen);
	if (out) {
		fpc_write_tap(c, out);
		fclose(out);
		check_tap(tap, taplen, &n);
		free(tap);
	}
	fpc_free(c);
	return 0;
}
