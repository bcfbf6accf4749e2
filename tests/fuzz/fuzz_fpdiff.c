#define _GNU_SOURCE
/* libFuzzer target for fpdiff's core (tools/fpdiff_core.c): load two logs
 * and compare them.  tests/fuzz/run-fuzz.sh builds and runs it.
 *
 * Input: byte 0 picks the options (cpl mode, --frame), the rest is log A,
 * then a line "====", then log B (without the separator, B is A).  Besides
 * memory safety the target aborts when the documented results break:
 *   - every record of a log is compared, only on its side, or shadowed
 *     (a repeated identity): compared + only + shadowed = records;
 *   - differ = the number of diffs, each naming at least one field, and
 *     every field prints;
 *   - warnings stay within their bound (FPD_KEEP_*), the kept line
 *     warnings number min(line warnings, FPD_KEEP_LINE_WARNINGS);
 *   - every loaded record follows the record contract; the comparison of
 *     a log with itself finds no difference. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tools/fpdiff_core.h"
#include "tools/record_contract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_log(const struct fpd_log *l)
{
	size_t kept_lines = 0;
	CHECK(l->nwarns <= FPD_KEEP_LINE_WARNINGS + FPD_KEEP_FILE_WARNINGS);
	for (size_t i = 0; i < l->nwarns; i++) {
		kept_lines += !l->warns[i].whole_file;
		CHECK(memchr(l->warns[i].text, '\0', sizeof(l->warns[i].text)) != NULL);
	}
	CHECK(kept_lines == (l->line_warns < FPD_KEEP_LINE_WARNINGS ? l->line_warns : FPD_KEEP_LINE_WARNINGS));
	CHECK(l->malformed <= l->line_warns);
	for (size_t i = 0; i < l->nrecs; i++) {
		char why[200];
		CHECK(probe_contract_check(&l->recs[i].line, why, sizeof(why)) == NULL);
		CHECK(l->recs[i].lineno >= 1 && l->recs[i].lineno <= l->lines);
	}
}

static void compare(struct fpd_log *a, struct fpd_log *b, const struct fpd_options *o, int same)
{
	static const enum fpd_field fields[] = { FPD_F_VECTOR, FPD_F_ERR, FPD_F_CR2, FPD_F_RF,
						 FPD_F_RIP_AT, FPD_F_SAVED_RSP };
	struct fpd_result r;
	if (fpd_compare(a, b, o, &r) != 0)
		return;   /* out of memory */
	CHECK(r.compared + r.only_a + r.shadowed_a == a->nrecs);
	CHECK(r.compared + r.only_b + r.shadowed_b == b->nrecs);
	CHECK(r.differ == r.ndiffs && r.differ <= r.compared);
	if (same)
		CHECK(r.differ == 0 && r.only_a == 0 && r.only_b == 0);
	for (size_t i = 0; i < r.ndiffs; i++) {
		CHECK(r.diffs[i].fields != 0);
		for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
			char buf[40];
			fpd_field_text(r.diffs[i].a, fields[k], buf, sizeof(buf));
			fpd_field_text(r.diffs[i].b, fields[k], buf, sizeof(buf));
			CHECK(strlen(buf) < sizeof(buf));
			CHECK(fpd_field_name(fields[k]) != NULL);
		}
	}
	fpd_result_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct fpd_options o = { .cpl_mode = (enum fpd_cpl_mode)(data[0] % 3), .frame = (data[0] >> 2) & 1 };
	const char *text = (const char *)data + 1;
	size_t len = size - 1, alen = len;
	const char *b = text;
	size_t blen = len;
	const char *sep = memmem(text, len, "\n====\n", 6);
	if (sep) {
		alen = (size_t)(sep - text) + 1;
		b = sep + 6;
		blen = len - (size_t)(b - text);
	}
	static struct fpd_log la, lb;
	fpd_log_load_mem(&la, "A", text, alen);
	fpd_log_load_mem(&lb, "B", b, blen);
	check_log(&la);
	check_log(&lb);
	compare(&la, &lb, &o, 0);
	compare(&lb, &la, &o, 0);
	compare(&la, &la, &o, 1);
	fpd_log_free(&la);
	fpd_log_free(&lb);
	return 0;
}
