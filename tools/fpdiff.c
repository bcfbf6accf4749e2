/* fpdiff — compare two faultprobe runs cell by cell.
 *
 *   fpdiff [--ignore-cpl|--match-cpl] [--frame] [-q] A.log B.log
 *
 * A and B are any two logs with `probe` record lines: a serial log of the
 * kernel under TCG or KVM, a log captured from a real machine, or the
 * stdout of build/faultprobe-user.  Prints the cells (probes) whose vector,
 * error code or CR2 differ, with both values and the manuals' rule, then
 *     fpdiff: N cells compared, M differ, K only in A, L only in B
 * Matching and masking rules: tools/fpdiff_core.h.  Malformed lines are
 * reported as warnings naming the file and line and skipped; probe records
 * that break the record contract (README.md) are counted as malformed
 * (a line before the count line) and never compared.
 * Exit: 0 no difference, 1 differences (or cells only on one side, or
 * malformed records), 2 usage error, unreadable file, a file without any
 * probe record, or a log that cannot be compared (fpd_log_unusable:
 * truncated, no or an unknown platform, mixed platforms). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpdiff_core.h"

/* Host tools are built with ASan; leak checking adds nothing here. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

#define MAX_WARNINGS 20
#define MAX_ONLY 10

static void usage(FILE *f)
{
	fprintf(f, "usage: fpdiff [--ignore-cpl|--match-cpl] [--frame] [-q] A.log B.log\n"
		   "  --ignore-cpl  leave cpl out of the probe identity (default when exactly one\n"
		   "                log ran every probe at CPL 3, e.g. faultprobe-user vs a kernel)\n"
		   "  --match-cpl   always include cpl in the identity\n"
		   "  --frame       also compare rflags.RF, rip_at and saved_rsp\n"
		   "  -q            print only warnings and the count line\n");
}

/* Line warnings (the first MAX_WARNINGS) and the whole-file warnings the
 * loader kept (the core keeps only the first few of each kind). */
static void print_warnings(const struct fpd_log *l)
{
	size_t shown = 0;

	for (size_t i = 0; i < l->nwarns; i++) {
		if (l->warns[i].whole_file) {
			if (!l->warns[i].lineno)
				fprintf(stderr, "fpdiff: %s: warning: %s\n", l->name, l->warns[i].text);
			continue;
		}
		if (shown < MAX_WARNINGS) {
			fprintf(stderr, "fpdiff: %s:%u: warning: %s\n", l->name, l->warns[i].lineno,
				l->warns[i].text);
			shown++;
		}
	}
	if (l->line_warns > shown)
		fprintf(stderr, "fpdiff: %s: ... and %zu more line warnings\n", l->name, l->line_warns - shown);
}

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

static void describe(const char *label, const struct fpd_log *l)
{
	printf("fpdiff: %s = %s: %zu probe records, platform %s%s%s\n", label, l->name, l->nrecs,
	       l->platform[0] ? l->platform : "?", l->cpl3_only ? ", all at CPL 3" : "",
	       l->has_summary ? "" : ", no 'faultprobe: done' line (incomplete run?)");
}

static void identity(const struct fpd_record *r, char *buf, size_t n)
{
	snprintf(buf, n, "%-5s %-5s %-4s %-4s %-4s %-2s %-3s 0x%016llx", or_dash(r->set),
		 or_dash(r->op), or_dash(r->base), or_dash(r->index), or_dash(r->seg),
		 or_dash(r->width), or_dash(r->adjust), (unsigned long long)r->addr);
}

static void rule_text(const struct fpd_record *a, const struct fpd_record *b, char *buf, size_t n)
{
	if (a->rule && b->rule && strcmp(a->rule, b->rule) != 0)
		snprintf(buf, n, "A:%s B:%s", a->rule, b->rule);
	else
		snprintf(buf, n, "%s", a->rule ? a->rule : or_dash(b->rule));
}

static void print_table(const struct fpd_result *res)
{
	static const enum fpd_field fields[] = { FPD_F_VECTOR, FPD_F_ERR, FPD_F_CR2, FPD_F_RF,
						 FPD_F_RIP_AT, FPD_F_SAVED_RSP };
	char id[160], va[40], vb[40], rule[40];

	printf("%-5s %-5s %-5s %-4s %-4s %-4s %-2s %-3s %-18s  %-9s %-20s %-20s %s\n", "lineA", "set",
	       "op", "base", "idx", "seg", "w", "adj", "addr", "field", "A", "B", "rule");
	for (size_t i = 0; i < res->ndiffs; i++) {
		const struct fpd_diff *d = &res->diffs[i];
		bool first = true;
		identity(d->a, id, sizeof(id));
		rule_text(d->a, d->b, rule, sizeof(rule));
		for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
			if (!(d->fields & fields[k]))
				continue;
			fpd_field_text(d->a, fields[k], va, sizeof(va));
			fpd_field_text(d->b, fields[k], vb, sizeof(vb));
			if (first)
				printf("%-5u %s  %-9s %-20s %-20s %s\n", d->a->lineno, id,
				       fpd_field_name(fields[k]), va, vb, rule);
			else
				printf("%-5s %*s  %-9s %-20s %-20s\n", "", (int)strlen(id), "",
				       fpd_field_name(fields[k]), va, vb);
			first = false;
		}
	}
}

static void print_only(const char *label, const struct fpd_log *l,
		       const struct fpd_record *const *recs, unsigned n)
{
	char id[160];
	for (unsigned i = 0; i < n && i < MAX_ONLY; i++) {
		identity(recs[i], id, sizeof(id));
		printf("fpdiff: only in %s (%s:%u): %s cpl=%s\n", label, l->name, recs[i]->lineno, id,
		       recs[i]->cpl == ~0u ? "-" : recs[i]->cpl == 3 ? "3" : "0");
	}
	if (n > MAX_ONLY)
		printf("fpdiff: ... and %u more only in %s\n", n - MAX_ONLY, label);
}

int main(int argc, char **argv)
{
	struct fpd_options o = { .cpl_mode = FPD_CPL_AUTO, .frame = false };
	const char *paths[2] = { 0, 0 };
	unsigned npaths = 0;
	bool quiet = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--ignore-cpl") == 0)
			o.cpl_mode = FPD_CPL_IGNORE;
		else if (strcmp(argv[i], "--match-cpl") == 0)
			o.cpl_mode = FPD_CPL_MATCH;
		else if (strcmp(argv[i], "--frame") == 0)
			o.frame = true;
		else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0)
			quiet = true;
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "fpdiff: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		} else if (npaths < 2) {
			paths[npaths++] = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (npaths != 2) {
		usage(stderr);
		return 2;
	}

	static struct fpd_log logs[2];
	int status = 0;
	for (unsigned i = 0; i < 2; i++) {
		if (fpd_log_load_file(&logs[i], paths[i]) != 0) {
			fprintf(stderr, "fpdiff: error: %s: %s\n", paths[i],
				logs[i].nwarns ? logs[i].warns[0].text : "cannot read");
			status = 2;
			continue;
		}
		print_warnings(&logs[i]);
		char why[160];
		const char *bad = logs[i].nrecs ? fpd_log_unusable(&logs[i], why, sizeof(why)) : NULL;
		if (bad) {
			fprintf(stderr, "fpdiff: error: %s: %s\n", paths[i], bad);
			status = 2;
		}
		if (!logs[i].nrecs) {
			fprintf(stderr, "fpdiff: error: %s: no probe records in %u lines%s\n", paths[i],
				logs[i].lines, logs[i].lines ? "" : " (empty file)");
			status = 2;
		}
	}
	if (status)
		return status;

	struct fpd_result res;
	if (fpd_compare(&logs[0], &logs[1], &o, &res) != 0) {
		fprintf(stderr, "fpdiff: error: out of memory\n");
		return 2;
	}
	/* Duplicate-identity warnings are added while matching. */
	for (unsigned i = 0; i < 2; i++)
		for (size_t w = 0; w < logs[i].nwarns; w++)
			if (logs[i].warns[w].whole_file && logs[i].warns[w].lineno)
				fprintf(stderr, "fpdiff: %s:%u: warning: %s\n", logs[i].name,
					logs[i].warns[w].lineno, logs[i].warns[w].text);

	if (!quiet) {
		describe("A", &logs[0]);
		describe("B", &logs[1]);
		if (res.cpl_ignored)
			printf("fpdiff: cpl ignored when matching cells (%s); where a log has the "
			       "same probe at CPL 0 and 3 its CPL-3 record is used\n",
			       o.cpl_mode == FPD_CPL_IGNORE ? "--ignore-cpl" :
			       logs[0].cpl3_only ? "A ran every probe at CPL 3, B did not" :
						   "B ran every probe at CPL 3, A did not");
		printf("fpdiff: compared: vector; err without the #PF U/S bit, and without P where "
		       "a CPL-3 side faulted at or above TASK_SIZE_MAX; cr2 when both are #PF%s\n",
		       o.frame ? "; rflags.RF, rip_at, saved_rsp" : "");
		if (res.ndiffs)
			print_table(&res);
		print_only("A", &logs[0], res.only_in_a, res.only_a);
		print_only("B", &logs[1], res.only_in_b, res.only_b);
	}
	if (logs[0].malformed || logs[1].malformed)
		printf("fpdiff: malformed probe records (broke the record contract; not compared): "
		       "%zu in A, %zu in B\n", logs[0].malformed, logs[1].malformed);
	printf("fpdiff: %u cells compared, %u differ, %u only in A, %u only in B\n", res.compared,
	       res.differ, res.only_a, res.only_b);
	status = (res.differ || res.only_a || res.only_b || logs[0].malformed || logs[1].malformed) ? 1 : 0;
	fpd_result_free(&res);
	fpd_log_free(&logs[0]);
	fpd_log_free(&logs[1]);
	return status;
}
