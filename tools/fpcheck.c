/* fpcheck — check a faultprobe serial log against expectation files.
 *
 *   fpcheck [--strict] LOG EXPECT...   check LOG (and lint EXPECT)
 *   fpcheck --lint EXPECT...           lint only
 *
 * Expectation format: docs/testing.md.  Every `probe` expectation that
 * asserts rule= is recomputed with the rule model (probes/rules.c), and
 * every agrees=no must carry a `# DEVIATION name: why` comment, so an
 * expectation cannot silently encode a wrong rule.  Exit 0 when all pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "../report/logparse.h"
#include "../probes/rules.h"
#include "../idt/vectors.h"

/* Host tools are built with ASan; the log and expectation texts live until
 * exit on purpose. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

struct record {
	char *text;             /* owned copy, parsed in place */
	struct log_line line;
	unsigned lineno;
	unsigned matched;
};

static struct record *records;
static unsigned nrecords;
static char *summary_text;       /* the part after "faultprobe: done" */
static unsigned failures, checked;

static void failf(const char *file, unsigned lineno, const char *msg, const char *detail)
{
	fprintf(stderr, "fpcheck: %s:%u: %s%s%s\n", file, lineno, msg, detail ? ": " : "", detail ? detail : "");
	failures++;
}

static int known_record_type(const char *t)
{
	static const char *const types[] = { "probe", "frame", "softframe", "prot32", "vmcore",
					     "fingerprint", "la57", "bt", NULL };
	for (int i = 0; types[i]; i++)
		if (strcmp(t, types[i]) == 0)
			return 1;
	return 0;
}

static int load_log(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fpcheck: cannot open log %s: %s\n", path, strerror(errno));
		return -1;
	}
	char buf[8192];
	unsigned lineno = 0;
	while (fgets(buf, sizeof(buf), f)) {
		lineno++;
		size_t len = strlen(buf);
		if (len == sizeof(buf) - 1 && buf[len - 1] != '\n') {
			failf(path, lineno, "line too long (truncated or corrupt log)", NULL);
			int c;
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		if (strncmp(buf, "faultprobe: done", 16) == 0) {
			free(summary_text);
			summary_text = strdup(buf + 16);
			continue;
		}
		/* Record lines start with a known type word followed by a space. */
		char first[32];
		if (sscanf(buf, "%31s", first) != 1 || !known_record_type(first))
			continue;
		struct record r = { .text = strdup(buf), .lineno = lineno };
		enum log_parse_status st = log_parse_line(r.text, &r.line);
		if (st != LOG_OK || r.line.nkv == 0) {
			failf(path, lineno, "malformed record line", log_status_text(st));
			free(r.text);
			continue;
		}
		records = realloc(records, (nrecords + 1) * sizeof(*records));
		records[nrecords++] = r;
	}
	fclose(f);
	return 0;
}

/* Expectation: type, identity pairs, asserted pairs, comment. */
struct expectation {
	struct log_line ident, assert;
	const char *comment;
	int is_summary;
};

static char *find_comment(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t'))
			return p;
	return NULL;
}

static int parse_expectation(char *text, struct expectation *e, const char *file, unsigned lineno)
{
	memset(e, 0, sizeof(*e));
	char *c = find_comment(text);
	if (c) {
		*c = '\0';
		e->comment = c + 1;
	}
	char *bar = strstr(text, " | ");
	char *rhs = NULL;
	if (bar) {
		*bar = '\0';
		rhs = bar + 3;
	}
	enum log_parse_status st = log_parse_line(text, &e->ident);
	if (st == LOG_EMPTY)
		return 0;
	if (st != LOG_OK) {
		failf(file, lineno, "bad expectation (left side)", log_status_text(st));
		return -1;
	}
	if (strcmp(e->ident.type, "summary") == 0) {
		e->is_summary = 1;
		return 1;
	}
	if (!rhs) {
		failf(file, lineno, "expectation without ' | ' between identity and assertions", NULL);
		return -1;
	}
	/* The right side has no type word: parse "x k=v..." */
	size_t n = strlen(rhs);
	char *tmp = malloc(n + 3);
	tmp[0] = 'x';
	tmp[1] = ' ';
	memcpy(tmp + 2, rhs, n + 1);
	st = log_parse_line(tmp, &e->assert);
	if (st != LOG_OK) {
		failf(file, lineno, "bad expectation (right side)", log_status_text(st));
		return -1;
	}
	return 1;
}

static const char *lookup_any(const struct expectation *e, const char *key)
{
	const char *v = log_get(&e->ident, key);
	return v ? v : log_get(&e->assert, key);
}

/* The lint: recompute rule= with the rule model.  Pages: nothing is mapped
 * (the kernel's sets never probe its own image); kernel-half addresses seen
 * from CPL 3 are unknown to user space (KPTI decides P). */
static void lint_page_query(void *ctx, uint64_t linear, struct page_info *out)
{
	unsigned cpl = *(unsigned *)ctx;
	out->state = (cpl == 3 && linear >= 0xffff800000000000ull) ? PAGE_UNKNOWN : PAGE_NOT_PRESENT;
	out->writable = out->user = true;
	out->nx = false;
}

static void lint_expectation(const struct expectation *e, const char *file, unsigned lineno)
{
	const char *agrees = log_get(&e->assert, "agrees");
	if (agrees && strcmp(agrees, "no") == 0 &&
	    (!e->comment || !strstr(e->comment, "DEVIATION")))
		failf(file, lineno, "agrees=no without a '# DEVIATION name: why' comment", NULL);

	const char *rule = log_get(&e->assert, "rule");
	if (strcmp(e->ident.type, "probe") != 0 || !rule)
		return;
	const char *op = lookup_any(e, "op"), *base = lookup_any(e, "base");
	const char *index = lookup_any(e, "index"), *seg = lookup_any(e, "seg");
	const char *width = lookup_any(e, "width"), *addr = lookup_any(e, "addr");
	const char *cpl = lookup_any(e, "cpl"), *paging = lookup_any(e, "paging");
	if (!op || !base || !width || !addr) {
		failf(file, lineno, "rule= asserted but op/base/width/addr missing", NULL);
		return;
	}
	struct access a = { 0 };
	enum probe_op pop;
	enum seg_prefix sp = SEGP_NONE;
	if (!probe_op_parse(op, &pop) || !gpr_parse(base, &a.base) ||
	    (index && !gpr_parse(index, &a.index)) || (seg && !seg_prefix_parse(seg, &sp))) {
		failf(file, lineno, "unparseable probe dimensions", NULL);
		return;
	}
	if (!index)
		a.index = GPR_NONE;
	unsigned cpl_v = cpl ? (unsigned)strtoul(cpl, NULL, 10) : 0;
	a.op = pop;
	a.prefix = sp;
	a.width = (unsigned)strtoul(width, NULL, 10);
	a.addr = strtoull(addr, NULL, 16);
	a.cpl = cpl_v;
	a.paging_levels = paging ? (unsigned)strtoul(paging, NULL, 10) : 4;
	a.efer_nxe = true;
	a.vendor = VENDOR_INTEL;
	a.page_query = lint_page_query;
	a.page_ctx = &cpl_v;
	struct rule_verdict v;
	rule_predict(&a, &v);
	int asserted;
	if (!vector_parse(rule, &asserted)) {
		failf(file, lineno, "rule= is not a vector mnemonic", rule);
		return;
	}
	if (asserted != v.vector) {
		char msg[160];
		snprintf(msg, sizeof(msg), "expectation says rule=%s, the rule model says %s (%s; %s)",
			 rule, vector_mnemonic(v.vector) ? vector_mnemonic(v.vector) : "?", v.reason, v.cite);
		failf(file, lineno, "rule mismatch", msg);
	}
	const char *vec = log_get(&e->assert, "vector");
	if (vec && agrees && strcmp(agrees, "yes") == 0 && strcmp(vec, rule) != 0)
		failf(file, lineno, "agrees=yes but vector differs from rule", vec);
}

static void check_expectation(const struct expectation *e, const char *file, unsigned lineno)
{
	struct record *hit = NULL;
	unsigned hits = 0;
	for (unsigned i = 0; i < nrecords; i++) {
		struct record *r = &records[i];
		if (strcmp(r->line.type, e->ident.type) != 0)
			continue;
		int ok = 1;
		for (unsigned k = 0; k < e->ident.nkv && ok; k++) {
			const char *v = log_get(&r->line, e->ident.kv[k].key);
			ok = v && strcmp(v, e->ident.kv[k].val) == 0;
		}
		if (ok) {
			hits++;
			hit = r;
		}
	}
	checked++;
	if (hits != 1) {
		char msg[64];
		snprintf(msg, sizeof(msg), "identity matched %u log lines (want exactly 1)", hits);
		failf(file, lineno, msg, NULL);
		return;
	}
	hit->matched++;
	for (unsigned k = 0; k < e->assert.nkv; k++) {
		const char *want = e->assert.kv[k].val;
		const char *got = log_get(&hit->line, e->assert.kv[k].key);
		if (!got || strcmp(got, want) != 0) {
			char msg[320];
			snprintf(msg, sizeof(msg), "%s=%s expected, log line %u has %s", e->assert.kv[k].key,
				 want, hit->lineno, got ? got : "(missing)");
			failf(file, lineno, "mismatch", msg);
		}
	}
}

static void check_summary(const struct expectation *e, const char *file, unsigned lineno)
{
	checked++;
	if (!summary_text) {
		failf(file, lineno, "no 'faultprobe: done' summary line in the log (crash, hang or truncation)", NULL);
		return;
	}
	char *copy = malloc(strlen(summary_text) + 3);
	sprintf(copy, "x %s", summary_text);
	struct log_line s;
	if (log_parse_line(copy, &s) != LOG_OK) {
		failf(file, lineno, "malformed summary line", summary_text);
		free(copy);
		return;
	}
	for (unsigned k = 0; k < e->ident.nkv; k++) {
		const char *got = log_get(&s, e->ident.kv[k].key);
		if (!got || strcmp(got, e->ident.kv[k].val) != 0) {
			char msg[200];
			snprintf(msg, sizeof(msg), "%s=%s expected, got %s", e->ident.kv[k].key,
				 e->ident.kv[k].val, got ? got : "(missing)");
			failf(file, lineno, "summary mismatch", msg);
		}
	}
	free(copy);
}

static int process_expect_file(const char *path, int check)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fpcheck: cannot open expectations %s: %s\n", path, strerror(errno));
		failures++;
		return -1;
	}
	char buf[4096];
	unsigned lineno = 0;
	while (fgets(buf, sizeof(buf), f)) {
		lineno++;
		char *text = strdup(buf);
		struct expectation e;
		int st = parse_expectation(text, &e, path, lineno);
		if (st == 1) {
			if (!e.is_summary)
				lint_expectation(&e, path, lineno);
			if (check) {
				if (e.is_summary)
					check_summary(&e, path, lineno);
				else
					check_expectation(&e, path, lineno);
			}
		}
		/* `text` stays alive: the parsed pairs point into it. */
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	int lint_only = 0, strict = 0, i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (strcmp(argv[i], "--lint") == 0)
			lint_only = 1;
		else if (strcmp(argv[i], "--strict") == 0)
			strict = 1;
		else {
			fprintf(stderr, "usage: fpcheck [--strict] LOG EXPECT... | fpcheck --lint EXPECT...\n");
			return 2;
		}
	}
	if (i >= argc || (!lint_only && i + 1 >= argc)) {
		fprintf(stderr, "usage: fpcheck [--strict] LOG EXPECT... | fpcheck --lint EXPECT...\n");
		return 2;
	}
	const char *log = NULL;
	if (!lint_only) {
		log = argv[i++];
		if (load_log(log) < 0)
			return 2;
	}
	for (; i < argc; i++)
		process_expect_file(argv[i], !lint_only);
	if (strict && !lint_only) {
		for (unsigned r = 0; r < nrecords; r++)
			if (strcmp(records[r].line.type, "probe") == 0 && !records[r].matched) {
				char msg[64];
				snprintf(msg, sizeof(msg), "probe id=%s has no expectation",
					 log_get(&records[r].line, "id") ? log_get(&records[r].line, "id") : "?");
				failf(log, records[r].lineno, msg, NULL);
			}
	}
	printf("fpcheck: %s: %u expectations checked, %u records in log, %u failures\n",
	       lint_only ? "lint" : log, checked, nrecords, failures);
	return failures ? 1 : 0;
}
