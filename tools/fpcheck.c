/* fpcheck — check a faultprobe serial log against expectation files.
 *
 *   fpcheck [--strict] [--platform auto|NAME] LOG [EXPECT...]
 *                                      check LOG (and lint EXPECT)
 *   fpcheck --lint EXPECT...           lint only
 *
 * --platform judges every probe/frame/prot32/vmcore record of LOG against
 * the platform model (tools/fpjudge.h; auto: the platform the log names,
 * NAME: silicon, tcg, kvm-emulator, bochs); with --strict those records
 * then need no expectation row.
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
#include "fpjudge.h"
#include "../probes/model/rules.h"
#include "../probes/model/vectors.h"

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

/* The lint recomputes rule= and rule_err= with the rule model, and checks
 * that agrees= is what that rule and the asserted vector/err/cr2 imply.
 * Pages, per expectation file (`# pages: kernel` or `# pages: linux-user`):
 *   kernel      the kernel maps its own first page 0x100000 (present,
 *               supervisor, writable); the probe sets touch nothing else
 *               that is mapped.
 *               A record with scratch= also has these pages present,
 *               supervisor, writable: `lo` 0x7ffffffff000 and `hi`
 *               0xffff800000000000 (the straddle family), or page
 *               addresses in hex, joined by '+'; user pages with
 *               scratch_user=1.
 *   linux-user  nothing the probes touch exists in the process (the program
 *               checks with mincore before probing); at and above Linux's
 *               user limit 0x7ffffffff000 the P bit is the kernel's choice
 *               (arch/x86/mm/fault.c), so it is unknown. */
enum page_model { PAGES_KERNEL, PAGES_LINUX_USER };
static enum page_model file_pages;
static const char *deviations_doc = "docs/deviations.md";
static char *deviation_names;    /* "\nname\nname\n" from the doc's headings */
static unsigned linted;
#define LINT_SCRATCH_MAX 8
static uint64_t lint_scratch[LINT_SCRATCH_MAX];   /* this row's scratch= pages */
static unsigned lint_nscratch;
static bool lint_scratch_user;                     /* scratch_user=1: U/S = 1 */

/* scratch=lo+hi or scratch=0x5a5a00001000+0x5a5a00003000: the pages. */
static void lint_parse_scratch(const char *s)
{
	lint_nscratch = 0;
	while (s && *s && lint_nscratch < LINT_SCRATCH_MAX) {
		char *end;
		if (strncmp(s, "lo", 2) == 0 && (s[2] == '+' || !s[2])) {
			lint_scratch[lint_nscratch++] = 0x00007ffffffff000ull;
			end = (char *)s + 2;
		} else if (strncmp(s, "hi", 2) == 0 && (s[2] == '+' || !s[2])) {
			lint_scratch[lint_nscratch++] = 0xffff800000000000ull;
			end = (char *)s + 2;
		} else {
			lint_scratch[lint_nscratch++] = strtoull(s, &end, 16) & ~0xfffull;
			if (end == s)
				break;
		}
		s = *end == '+' ? end + 1 : end;
	}
}

static void lint_page_query(void *ctx, uint64_t linear, struct page_info *out)
{
	(void)ctx;
	out->state = PAGE_NOT_PRESENT;
	out->writable = true;
	out->user = true;
	out->nx = false;
	bool scratch = false;
	for (unsigned i = 0; i < lint_nscratch; i++)
		scratch = scratch || (linear & ~0xfffull) == lint_scratch[i];
	if (file_pages == PAGES_KERNEL && ((linear >= 0x100000 && linear < 0x101000) || scratch)) {
		out->state = PAGE_PRESENT;
		out->user = scratch && lint_scratch_user;
	} else if (file_pages == PAGES_LINUX_USER && scratch) {
		out->state = PAGE_PRESENT;   /* faultprobe-user's own scratch pages */
	} else if (file_pages == PAGES_LINUX_USER && linear >= 0x7ffffffff000ull) {
		out->state = PAGE_UNKNOWN;
	}
}

/* Names of the documented deviations: every "## a, b — text" heading. */
static void load_deviation_names(void)
{
	FILE *f = fopen(deviations_doc, "rb");
	size_t cap = 1, len = 0;
	deviation_names = calloc(1, cap + 1);
	deviation_names[0] = '\n';
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "## ", 3) != 0)
			continue;
		char *end = strstr(line, " \xe2\x80\x94");   /* " —" */
		if (end)
			*end = '\0';
		for (char *tok = strtok(line + 3, ", \n"); tok; tok = strtok(NULL, ", \n")) {
			size_t n = strlen(tok);
			deviation_names = realloc(deviation_names, cap + len + n + 3);
			memcpy(deviation_names + 1 + len, tok, n);
			len += n;
			deviation_names[1 + len++] = '\n';
			deviation_names[1 + len] = '\0';
		}
	}
	fclose(f);
}

static void lint_deviation(const struct expectation *e, const char *file, unsigned lineno)
{
	const char *d = e->comment ? strstr(e->comment, "DEVIATION ") : NULL;
	char name[64];
	if (!d || sscanf(d, "DEVIATION %63[a-z0-9-]:", name) != 1 ||
	    !strchr(d + 10 + strlen(name), ':')) {
		failf(file, lineno, "agrees=no without a '# DEVIATION name: why' comment", NULL);
		return;
	}
	char key[80];
	snprintf(key, sizeof(key), "\n%s\n", name);
	if (deviation_names && deviation_names[1] && !strstr(deviation_names, key))
		failf(file, lineno, "DEVIATION name is not a heading of docs/deviations.md", name);
}

static int parse_u64(const char *s, uint64_t *out)
{
	if (!s)
		return 0;
	if (strcmp(s, "-") == 0) {
		*out = 0;
		return 1;
	}
	char *end;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0';
}

static void lint_expectation(const struct expectation *e, const char *file, unsigned lineno)
{
	const char *agrees = log_get(&e->assert, "agrees");
	if (agrees && strcmp(agrees, "no") == 0)
		lint_deviation(e, file, lineno);

	if (strcmp(e->ident.type, "probe") != 0)
		return;
	linted++;
	const char *rule = log_get(&e->assert, "rule");
	if (!rule) {
		if (agrees)
			failf(file, lineno, "agrees= asserted without rule=", NULL);
		return;
	}
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
	a.op = pop;
	a.prefix = sp;
	a.width = (unsigned)strtoul(width, NULL, 10);
	a.addr = strtoull(addr, NULL, 16);
	a.cpl = cpl ? (unsigned)strtoul(cpl, NULL, 10) : 0;
	a.paging_levels = paging ? (unsigned)strtoul(paging, NULL, 10) : 4;
	a.efer_nxe = true;
	a.vendor = VENDOR_INTEL;
	a.page_query = lint_page_query;
	const char *rep = lookup_any(e, "rep"), *fetch_len = lookup_any(e, "fetch_len");
	const char *scratch = lookup_any(e, "scratch"), *df = lookup_any(e, "df");
	a.rep = rep ? (unsigned)strtoul(rep, NULL, 10) : 0;
	a.df = df && strcmp(df, "1") == 0;
	a.fetch_len = fetch_len ? (unsigned)strtoul(fetch_len, NULL, 10) : 0;
	lint_parse_scratch(scratch);
	const char *scratch_user = lookup_any(e, "scratch_user");
	lint_scratch_user = scratch_user && strcmp(scratch_user, "1") == 0;
	/* the keys the families add for what their rule depends on */
	const char *dst = lookup_any(e, "dst"), *seg_base = lookup_any(e, "seg_base");
	const char *msr = lookup_any(e, "msr"), *fsgsbase = lookup_any(e, "cr4_fsgsbase");
	const char *la57 = lookup_any(e, "cpu_la57");
	a.dst_known = dst != NULL;
	a.dst = dst ? strtoull(dst, NULL, 16) : 0;
	a.seg_base = seg_base ? strtoull(seg_base, NULL, 16) : 0;
	a.msr = msr ? (uint32_t)strtoul(msr, NULL, 16) : 0;
	a.cr4_fsgsbase = fsgsbase && strcmp(fsgsbase, "1") == 0;
	a.cpu_la57 = la57 && strcmp(la57, "1") == 0;
	struct rule_verdict v;
	rule_predict(&a, &v);
	int asserted;
	if (!vector_parse(rule, &asserted)) {
		failf(file, lineno, "rule= is not a vector mnemonic", rule);
		return;
	}
	char msg[200];
	if (asserted != v.vector) {
		snprintf(msg, sizeof(msg), "expectation says rule=%s, the rule model says %s (%s; %s)",
			 rule, vector_mnemonic(v.vector) ? vector_mnemonic(v.vector) : "?", v.reason, v.cite);
		failf(file, lineno, "rule mismatch", msg);
		return;
	}
	/* a REP string's count left, as the rule has it */
	const char *rule_left = log_get(&e->assert, "rule_rcx_left");
	if (rule_left && a.rep && strtoul(rule_left, NULL, 10) != a.rep - v.rep_done) {
		snprintf(msg, sizeof(msg), "expectation says rule_rcx_left=%s, the rule model says %u",
			 rule_left, a.rep - v.rep_done);
		failf(file, lineno, "rule_rcx_left mismatch", msg);
	}
	const char *rule_err = log_get(&e->assert, "rule_err");
	uint64_t re;
	if (rule_err && vector_has_error_code(v.vector) &&
	    (!parse_u64(rule_err, &re) || ((re ^ v.error_code) & v.error_mask) != 0)) {
		snprintf(msg, sizeof(msg), "expectation says rule_err=%s, the rule model says 0x%x (mask 0x%x)",
			 rule_err, v.error_code, v.error_mask);
		failf(file, lineno, "rule_err mismatch", msg);
	}
	/* agrees= must follow from the rule and what the row says happened. */
	const char *vec = log_get(&e->assert, "vector");
	int observed;
	uint64_t err = 0, cr2 = 0;
	if (agrees && vec && vector_parse(vec, &observed) &&
	    parse_u64(log_get(&e->assert, "err") ? log_get(&e->assert, "err") : "-", &err) &&
	    parse_u64(log_get(&e->assert, "cr2") ? log_get(&e->assert, "cr2") : "-", &cr2)) {
		int want = rule_agrees(&v, observed, err, cr2);
		if (want != (strcmp(agrees, "yes") == 0)) {
			snprintf(msg, sizeof(msg), "agrees=%s, but vector=%s err=0x%llx against rule %s means agrees=%s",
				 agrees, vec, (unsigned long long)err, rule, want ? "yes" : "no");
			failf(file, lineno, "agrees inconsistent", msg);
		}
	}
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
	char buf[8192];
	unsigned lineno = 0, expectations = 0;
	file_pages = PAGES_KERNEL;
	while (fgets(buf, sizeof(buf), f)) {
		lineno++;
		if (strlen(buf) == sizeof(buf) - 1 && buf[sizeof(buf) - 2] != '\n') {
			failf(path, lineno, "expectation line too long", NULL);
			break;
		}
		if (strncmp(buf, "# pages: linux-user", 19) == 0)
			file_pages = PAGES_LINUX_USER;
		char *text = strdup(buf);
		struct expectation e;
		int st = parse_expectation(text, &e, path, lineno);
		if (st == 1) {
			expectations++;
			if (!e.is_summary && e.assert.nkv == 0)
				failf(path, lineno, "expectation asserts nothing (empty right side)", NULL);
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
	if (!expectations)
		failf(path, lineno, "no expectations in this file", NULL);
	return 0;
}

int main(int argc, char **argv)
{
	int lint_only = 0, strict = 0, i = 1;
	const char *platform = NULL;   /* --platform: judge LOG against a model */
	static const char usage[] = "usage: fpcheck [--strict] [--platform auto|NAME] LOG [EXPECT...] | "
				    "fpcheck --lint EXPECT...\n";
	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (strcmp(argv[i], "--lint") == 0)
			lint_only = 1;
		else if (strcmp(argv[i], "--strict") == 0)
			strict = 1;
		else if (strcmp(argv[i], "--platform") == 0 && i + 1 < argc)
			platform = argv[++i];
		else {
			fprintf(stderr, "%s", usage);
			return 2;
		}
	}
	if (i >= argc || (!lint_only && !platform && i + 1 >= argc)) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	const char *doc = getenv("FPCHECK_DEVIATIONS");
	if (doc)
		deviations_doc = doc;
	load_deviation_names();
	const char *log = NULL;
	if (!lint_only) {
		log = argv[i++];
		if (load_log(log) < 0)
			return 2;
		if (platform) {
			int st = fpj_run("fpcheck", log, platform, stdout, false, false, NULL);
			if (st == 2)
				return 2;
			failures += (unsigned)st;
		}
	}
	for (; i < argc; i++)
		process_expect_file(argv[i], !lint_only);
	if (strict && !lint_only) {
		for (unsigned r = 0; r < nrecords; r++)
			if (!records[r].matched && !(platform && fpj_judges_record(&records[r].line))) {
				char msg[64];
				snprintf(msg, sizeof(msg), "%s record (id=%s) has no expectation",
					 records[r].line.type,
					 log_get(&records[r].line, "id") ? log_get(&records[r].line, "id") : "-");
				failf(log, records[r].lineno, msg, NULL);
			}
	}
	if (lint_only)
		printf("fpcheck: lint: %u probe expectations linted, %u failures\n", linted, failures);
	else
		printf("fpcheck: %s: %u expectations checked (%u probe rows linted), %u records in log, %u failures\n",
		       log, checked, linted, nrecords, failures);
	return failures ? 1 : 0;
}
