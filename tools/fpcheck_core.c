/* fpcheck core (see fpcheck_core.h). */
#include "fpcheck_core.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "logparse.h"
#include "record_contract.h"
#include "../probes/rules.h"
#include "../idt/vectors.h"

#define KEEP_GLOBAL_FAILURES 5   /* quoted in the run test's diagnostic */

/* One record line of the log (in log order).  Malformed lines are kept too,
 * with the reason, so that TAP names them where they were. */
struct record {
	struct log_line line;        /* points into fpc->log */
	unsigned lineno;
	const char *malformed;       /* owned reason, or NULL */
	bool is_skip;                /* faultprobe-user's `skip` line */
	unsigned matched;            /* expectations whose identity selected it */
	unsigned mismatches;         /* asserted keys that differed */
	char *first_mismatch;        /* owned */
	const struct expectation *expect;
};

/* Expectation: type, identity pairs, asserted pairs, comment. */
struct expectation {
	char *text, *rhs;            /* owned; the pairs point into them */
	struct log_line ident, assert;
	const char *comment;
	const char *file;            /* points into fpc->files */
	unsigned lineno;
	bool is_summary;
};

/* Records sorted by the value of one key: finds an expectation's
 * candidates without scanning the whole log (issue 14 #3). */
struct key_index {
	char *key;
	struct { const char *val; unsigned rec; } *ents;
	size_t n;
};

enum page_model { PAGES_KERNEL, PAGES_LINUX_USER };

struct fpc {
	struct fpc_options o;
	char *log;                   /* owned copy, parsed in place */
	const char *log_name;
	bool log_loaded;
	struct record *recs;
	size_t nrecs, caprecs;
	char *summary;               /* the part after "faultprobe: done" */
	char *run_why;               /* why the run as a whole failed, or NULL */
	unsigned summary_lineno;
	struct expectation **exps;
	size_t nexps, capexps;
	char **files;
	size_t nfiles;
	struct key_index **idx;      /* pointers: an index never moves */
	size_t nidx;
	unsigned failures, checked, linted, malformed, skipped, nknown;
	unsigned global_failures;    /* failures not tied to one record */
	char *global_why[KEEP_GLOBAL_FAILURES];
	enum page_model file_pages;
	char *deviation_names;       /* "\nname\nname\n" from the doc's headings */
};

/* ------------------------------------------------------------ helpers */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fprintf(stderr, "fpcheck: out of memory\n");
		exit(2);
	}
	return q;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xrealloc(NULL, n), s, n);
}

/* Grows *p (of *cap elements of size sz) geometrically to hold `need`. */
static void grow(void **p, size_t *cap, size_t need, size_t sz)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	*p = xrealloc(*p, n * sz);
	*cap = n;
}

static void vfailf(struct fpc *c, struct record *r, const char *file, unsigned lineno, const char *msg,
		   const char *detail)
{
	c->failures++;
	if (c->o.diag)
		fprintf(c->o.diag, "fpcheck: %s:%u: %s%s%s\n", file, lineno, msg, detail ? ": " : "",
			detail ? detail : "");
	if (r)
		return;
	if (c->global_failures < KEEP_GLOBAL_FAILURES) {
		size_t n = strlen(file) + strlen(msg) + (detail ? strlen(detail) : 0) + 32;
		char *s = xrealloc(NULL, n);
		snprintf(s, n, "%s:%u: %s%s%s", file, lineno, msg, detail ? ": " : "", detail ? detail : "");
		c->global_why[c->global_failures] = s;
	}
	c->global_failures++;
}

/* A failure not tied to one record (an expectation, the summary, ...). */
static void failf(struct fpc *c, const char *file, unsigned lineno, const char *msg, const char *detail)
{
	vfailf(c, NULL, file, lineno, msg, detail);
}

static int known_record_type(const char *t, size_t n)
{
	static const char *const types[] = { "probe", "frame", "softframe", "prot32", "vmcore",
					     "fingerprint", "la57", "bt", "skip", NULL };
	for (int i = 0; types[i]; i++)
		if (strlen(types[i]) == n && memcmp(t, types[i], n) == 0)
			return 1;
	return 0;
}

struct fpc *fpc_new(const struct fpc_options *o)
{
	struct fpc *c = xrealloc(NULL, sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->o = *o;
	c->deviation_names = xstrdup("\n");
	if (o->deviations_doc) {
		FILE *f = fopen(o->deviations_doc, "rb");
		size_t len = 1;
		char line[512];
		/* Names of the documented deviations: every "## a, b — text" heading. */
		while (f && fgets(line, sizeof(line), f)) {
			if (strncmp(line, "## ", 3) != 0)
				continue;
			char *end = strstr(line, " \xe2\x80\x94");   /* " —" */
			if (end)
				*end = '\0';
			char *save = NULL;
			for (char *tok = strtok_r(line + 3, ", \n", &save); tok;
			     tok = strtok_r(NULL, ", \n", &save)) {
				size_t n = strlen(tok);
				c->deviation_names = xrealloc(c->deviation_names, len + n + 2);
				memcpy(c->deviation_names + len, tok, n);
				len += n;
				c->deviation_names[len++] = '\n';
				c->deviation_names[len] = '\0';
			}
		}
		if (f)
			fclose(f);
	}
	return c;
}

void fpc_free(struct fpc *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nrecs; i++) {
		free((char *)c->recs[i].malformed);
		free(c->recs[i].first_mismatch);
	}
	free(c->recs);
	for (size_t i = 0; i < c->nexps; i++) {
		free(c->exps[i]->text);
		free(c->exps[i]->rhs);
		free(c->exps[i]);
	}
	free(c->exps);
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	for (size_t i = 0; i < c->nidx; i++) {
		free(c->idx[i]->key);
		free(c->idx[i]->ents);
		free(c->idx[i]);
	}
	free(c->idx);
	for (unsigned i = 0; i < KEEP_GLOBAL_FAILURES; i++)
		free(c->global_why[i]);
	free(c->deviation_names);
	free(c->summary);
	free(c->run_why);
	free(c->log);
	free(c);
}

/* Reads a whole regular file (or pipe); NULL with a message when it cannot,
 * including when `path` is a directory (fopen and read(2) would quietly
 * give an empty log on some systems, EISDIR on others). */
static char *read_file(struct fpc *c, const char *path, const char *what, size_t *len)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		failf(c, path, 0, what, "is a directory, not a file");
		return NULL;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		failf(c, path, 0, what, strerror(errno));
		return NULL;
	}
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			if (cap >= FPC_MAX_FILE) {
				failf(c, path, 0, what, "larger than 1 GiB");
				free(buf);
				fclose(f);
				return NULL;
			}
			cap = cap ? cap * 2 : 65536;
			buf = xrealloc(buf, cap + 1);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		failf(c, path, 0, what, strerror(errno ? errno : EIO));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf = buf ? buf : xrealloc(NULL, 1);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* ------------------------------------------------------------ the log */

static struct record *new_record(struct fpc *c, unsigned lineno)
{
	grow((void **)&c->recs, &c->caprecs, c->nrecs + 1, sizeof(*c->recs));
	struct record *r = &c->recs[c->nrecs++];
	memset(r, 0, sizeof(*r));
	r->lineno = lineno;
	return r;
}

static void malformed(struct fpc *c, unsigned lineno, const char *why)
{
	struct record *r = new_record(c, lineno);
	r->malformed = xstrdup(why);
	c->malformed++;
	vfailf(c, r, c->log_name, lineno, "malformed record (not compared)", why);
}

/* One line, NUL-terminated in place, its line end already dropped. */
static void load_line(struct fpc *c, char *s, size_t len, unsigned lineno)
{
	char why[200];

	if (len > FPC_MAX_LINE) {
		failf(c, c->log_name, lineno, "line too long (truncated or corrupt log)", NULL);
		return;
	}
	if (len >= 16 && memcmp(s, "faultprobe: done", 16) == 0) {
		free(c->summary);
		c->summary = xstrdup(s + 16);
		c->summary_lineno = lineno;
		return;
	}
	/* Record lines start with a known type word followed by a space. */
	size_t w = 0;
	while (w < len && s[w] != ' ' && s[w] != '\t')
		w++;
	if (w == len || !known_record_type(s, w)) {
		/* Text, dumps, firmware output.  But record text in the middle
		 * of a line means two writers interleaved: a record was lost. */
		if (strstr(s, "probe id="))
			malformed(c, lineno, "record text in the middle of a line (interleaved output?)");
		return;
	}
	long bad = log_first_binary_byte(s, len);
	if (bad >= 0) {
		snprintf(why, sizeof(why), "binary byte 0x%02x at column %ld (corrupt log?)",
			 (unsigned char)s[bad], bad + 1);
		malformed(c, lineno, why);
		return;
	}
	struct log_line line;
	enum log_parse_status st = log_parse_line(s, &line);
	if (st != LOG_OK || line.nkv == 0) {
		malformed(c, lineno, st != LOG_OK ? log_status_text(st) : "no key=value pairs");
		return;
	}
	const char *bad_contract = NULL;
	if (strcmp(line.type, "probe") == 0)
		bad_contract = probe_contract_check(&line, why, sizeof(why));
	else if (strcmp(line.type, "skip") == 0)
		bad_contract = skip_contract_check(&line, why, sizeof(why));
	if (bad_contract) {
		malformed(c, lineno, bad_contract);
		return;
	}
	struct record *r = new_record(c, lineno);
	r->line = line;
	r->is_skip = strcmp(line.type, "skip") == 0;
	if (r->is_skip)
		c->skipped++;
	else
		c->nknown++;
}

int fpc_load_log_mem(struct fpc *c, const char *name, const char *data, size_t len)
{
	c->log_name = name;
	c->log_loaded = true;
	c->log = xrealloc(c->log, len + 1);
	memcpy(c->log, data, len);
	c->log[len] = '\0';
	unsigned lineno = 0;
	for (size_t start = 0; start < len;) {
		char *nl = memchr(c->log + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - c->log) : len;
		size_t n = log_line_trim(c->log + start, end - start);
		c->log[start + n] = '\0';
		lineno++;
		/* A NUL inside a line: the line is binary, whatever C string
		 * functions would see. */
		char *line = c->log + start;
		if (strlen(line) != n) {
			size_t w = 0;
			while (w < n && line[w] && line[w] != ' ')
				w++;
			if (w < n && line[w] == ' ' && known_record_type(line, w))
				malformed(c, lineno, "NUL byte in a record line (corrupt log?)");
		} else {
			load_line(c, line, n, lineno);
		}
		start = end + 1;
	}
	return 0;
}

int fpc_load_log_file(struct fpc *c, const char *path)
{
	size_t len;
	char *data = read_file(c, path, "cannot read log", &len);
	if (!data)
		return -1;
	fpc_load_log_mem(c, path, data, len);
	free(data);
	return 0;
}

/* ------------------------------------------------------------ matching */

static int cmp_ent(const void *x, const void *y)
{
	const struct { const char *val; unsigned rec; } *a = x, *b = y;
	int d = strcmp(a->val, b->val);
	return d ? d : (a->rec > b->rec) - (a->rec < b->rec);
}

static struct key_index *index_for(struct fpc *c, const char *key)
{
	for (size_t i = 0; i < c->nidx; i++)
		if (strcmp(c->idx[i]->key, key) == 0)
			return c->idx[i];
	c->idx = xrealloc(c->idx, (c->nidx + 1) * sizeof(*c->idx));
	struct key_index *k = c->idx[c->nidx++] = xrealloc(NULL, sizeof(*k));
	k->key = xstrdup(key);
	k->ents = xrealloc(NULL, (c->nrecs ? c->nrecs : 1) * sizeof(*k->ents));
	k->n = 0;
	for (size_t i = 0; i < c->nrecs; i++) {
		const char *v = c->recs[i].malformed ? NULL : log_get(&c->recs[i].line, key);
		if (v) {
			k->ents[k->n].val = v;
			k->ents[k->n].rec = (unsigned)i;
			k->n++;
		}
	}
	qsort(k->ents, k->n, sizeof(*k->ents), cmp_ent);
	return k;
}

/* [*lo, *hi) of the entries whose value is v. */
static void equal_range(const struct key_index *k, const char *v, size_t *lo, size_t *hi)
{
	size_t a = 0, b = k->n;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (strcmp(k->ents[m].val, v) < 0)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	b = k->n;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (strcmp(k->ents[m].val, v) <= 0)
			a = m + 1;
		else
			b = m;
	}
	*hi = a;
}

static bool selects(const struct expectation *e, const struct record *r)
{
	if (r->malformed || strcmp(r->line.type, e->ident.type) != 0)
		return false;
	for (unsigned k = 0; k < e->ident.nkv; k++) {
		const char *v = log_get(&r->line, e->ident.kv[k].key);
		if (!v || strcmp(v, e->ident.kv[k].val) != 0)
			return false;
	}
	return true;
}

static void check_expectation(struct fpc *c, const struct expectation *e)
{
	struct record *hit = NULL;
	unsigned hits = 0;

	if (e->ident.nkv == 0) {
		for (size_t i = 0; i < c->nrecs; i++)
			if (selects(e, &c->recs[i])) {
				hits++;
				hit = &c->recs[i];
			}
	} else {
		/* The most selective identity key's candidates. */
		const struct key_index *best = NULL;
		size_t blo = 0, bhi = 0;
		for (unsigned k = 0; k < e->ident.nkv; k++) {
			const struct key_index *ix = index_for(c, e->ident.kv[k].key);
			size_t lo, hi;
			equal_range(ix, e->ident.kv[k].val, &lo, &hi);
			if (!best || hi - lo < bhi - blo) {
				best = ix;
				blo = lo;
				bhi = hi;
			}
		}
		for (size_t i = blo; i < bhi; i++) {
			struct record *r = &c->recs[best->ents[i].rec];
			if (selects(e, r)) {
				hits++;
				hit = r;
			}
		}
	}
	c->checked++;
	if (hits != 1) {
		char msg[64];
		snprintf(msg, sizeof(msg), "identity matched %u log lines (want exactly 1)", hits);
		failf(c, e->file, e->lineno, msg, NULL);
		return;
	}
	hit->matched++;
	hit->expect = e;
	for (unsigned k = 0; k < e->assert.nkv; k++) {
		const char *want = e->assert.kv[k].val;
		const char *got = log_get(&hit->line, e->assert.kv[k].key);
		if (!got || strcmp(got, want) != 0) {
			char msg[320];
			snprintf(msg, sizeof(msg), "%s=%s expected, log line %u has %s", e->assert.kv[k].key,
				 want, hit->lineno, got ? got : "(missing)");
			vfailf(c, hit, e->file, e->lineno, "mismatch", msg);
			if (!hit->mismatches++)
				hit->first_mismatch = xstrdup(msg);
		}
	}
}

static void check_summary(struct fpc *c, const struct expectation *e)
{
	c->checked++;
	if (!c->summary) {
		failf(c, e->file, e->lineno,
		      "no 'faultprobe: done' summary line in the log (crash, hang or truncation)", NULL);
		return;
	}
	char *copy = xrealloc(NULL, strlen(c->summary) + 3);
	sprintf(copy, "x %s", c->summary);
	struct log_line s;
	if (log_parse_line(copy, &s) != LOG_OK) {
		failf(c, e->file, e->lineno, "malformed summary line", c->summary);
		free(copy);
		return;
	}
	for (unsigned k = 0; k < e->ident.nkv; k++) {
		const char *got = log_get(&s, e->ident.kv[k].key);
		if (!got || strcmp(got, e->ident.kv[k].val) != 0) {
			char msg[200];
			snprintf(msg, sizeof(msg), "%s=%s expected, got %s", e->ident.kv[k].key,
				 e->ident.kv[k].val, got ? got : "(missing)");
			failf(c, e->file, e->lineno, "summary mismatch", msg);
		}
	}
	free(copy);
}

/* ------------------------------------------------------------ expectations */

static char *find_comment(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t'))
			return p;
	return NULL;
}

/* 1 parsed, 0 nothing on the line, -1 bad (reported). */
static int parse_expectation(struct fpc *c, struct expectation *e)
{
	char *text = e->text;
	char *cm = find_comment(text);
	if (cm) {
		*cm = '\0';
		e->comment = cm + 1;
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
		failf(c, e->file, e->lineno, "bad expectation (left side)", log_status_text(st));
		return -1;
	}
	if (strcmp(e->ident.type, "summary") == 0) {
		e->is_summary = true;
		return 1;
	}
	if (!rhs) {
		failf(c, e->file, e->lineno, "expectation without ' | ' between identity and assertions", NULL);
		return -1;
	}
	/* The right side has no type word: parse "x k=v..." */
	size_t n = strlen(rhs);
	e->rhs = xrealloc(NULL, n + 3);
	e->rhs[0] = 'x';
	e->rhs[1] = ' ';
	memcpy(e->rhs + 2, rhs, n + 1);
	st = log_parse_line(e->rhs, &e->assert);
	if (st != LOG_OK) {
		failf(c, e->file, e->lineno, "bad expectation (right side)", log_status_text(st));
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
 *   linux-user  nothing the probes touch exists in the process (the program
 *               checks with mincore before probing); at and above Linux's
 *               user limit 0x7ffffffff000 the P bit is the kernel's choice
 *               (arch/x86/mm/fault.c), so it is unknown. */
static void lint_page_query(void *ctx, uint64_t linear, struct page_info *out)
{
	const struct fpc *c = ctx;
	out->state = PAGE_NOT_PRESENT;
	out->writable = true;
	out->user = true;
	out->nx = false;
	if (c->file_pages == PAGES_KERNEL && linear >= 0x100000 && linear < 0x101000) {
		out->state = PAGE_PRESENT;
		out->user = false;
	} else if (c->file_pages == PAGES_LINUX_USER && linear >= 0x7ffffffff000ull) {
		out->state = PAGE_UNKNOWN;
	}
}

static void lint_deviation(struct fpc *c, const struct expectation *e)
{
	const char *d = e->comment ? strstr(e->comment, "DEVIATION ") : NULL;
	char name[64];
	if (!d || sscanf(d, "DEVIATION %63[a-z0-9-]:", name) != 1 ||
	    !strchr(d + 10 + strlen(name), ':')) {
		failf(c, e->file, e->lineno, "agrees=no without a '# DEVIATION name: why' comment", NULL);
		return;
	}
	char key[80];
	snprintf(key, sizeof(key), "\n%s\n", name);
	if (c->deviation_names[1] && !strstr(c->deviation_names, key))
		failf(c, e->file, e->lineno, "DEVIATION name is not a heading of docs/deviations.md", name);
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

static void lint_expectation(struct fpc *c, const struct expectation *e)
{
	const char *agrees = log_get(&e->assert, "agrees");
	if (agrees && strcmp(agrees, "no") == 0)
		lint_deviation(c, e);

	if (strcmp(e->ident.type, "probe") != 0)
		return;
	c->linted++;
	const char *rule = log_get(&e->assert, "rule");
	if (!rule) {
		if (agrees)
			failf(c, e->file, e->lineno, "agrees= asserted without rule=", NULL);
		return;
	}
	const char *op = lookup_any(e, "op"), *base = lookup_any(e, "base");
	const char *index = lookup_any(e, "index"), *seg = lookup_any(e, "seg");
	const char *width = lookup_any(e, "width"), *addr = lookup_any(e, "addr");
	const char *cpl = lookup_any(e, "cpl"), *paging = lookup_any(e, "paging");
	if (!op || !base || !width || !addr) {
		failf(c, e->file, e->lineno, "rule= asserted but op/base/width/addr missing", NULL);
		return;
	}
	struct access a = { 0 };
	enum probe_op pop;
	enum seg_prefix sp = SEGP_NONE;
	if (!probe_op_parse(op, &pop) || !gpr_parse(base, &a.base) ||
	    (index && !gpr_parse(index, &a.index)) || (seg && !seg_prefix_parse(seg, &sp))) {
		failf(c, e->file, e->lineno, "unparseable probe dimensions", NULL);
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
	a.page_ctx = c;
	struct rule_verdict v;
	rule_predict(&a, &v);
	int asserted;
	if (!vector_parse(rule, &asserted)) {
		failf(c, e->file, e->lineno, "rule= is not a vector mnemonic", rule);
		return;
	}
	char msg[200];
	if (asserted != v.vector) {
		snprintf(msg, sizeof(msg), "expectation says rule=%s, the rule model says %s (%s; %s)",
			 rule, vector_mnemonic(v.vector) ? vector_mnemonic(v.vector) : "?", v.reason, v.cite);
		failf(c, e->file, e->lineno, "rule mismatch", msg);
		return;
	}
	const char *rule_err = log_get(&e->assert, "rule_err");
	uint64_t re;
	if (rule_err && vector_has_error_code(v.vector) &&
	    (!parse_u64(rule_err, &re) || ((re ^ v.error_code) & v.error_mask) != 0)) {
		snprintf(msg, sizeof(msg), "expectation says rule_err=%s, the rule model says 0x%x (mask 0x%x)",
			 rule_err, v.error_code, v.error_mask);
		failf(c, e->file, e->lineno, "rule_err mismatch", msg);
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
			failf(c, e->file, e->lineno, "agrees inconsistent", msg);
		}
	}
}

void fpc_expect_mem(struct fpc *c, const char *name, const char *data, size_t len, bool check)
{
	unsigned lineno = 0, expectations = 0;

	c->files = xrealloc(c->files, (c->nfiles + 1) * sizeof(*c->files));
	const char *file = c->files[c->nfiles++] = xstrdup(name);
	c->file_pages = PAGES_KERNEL;
	for (size_t start = 0; start < len;) {
		const char *nl = memchr(data + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - data) : len;
		size_t n = end - start;
		lineno++;
		if (n > FPC_MAX_LINE) {
			failf(c, file, lineno, "expectation line too long", NULL);
			break;
		}
		if (memchr(data + start, '\0', n)) {
			failf(c, file, lineno, "NUL byte in an expectation line", NULL);
			start = end + 1;
			continue;
		}
		if (n >= 19 && memcmp(data + start, "# pages: linux-user", 19) == 0)
			c->file_pages = PAGES_LINUX_USER;
		struct expectation *e = xrealloc(NULL, sizeof(*e));
		memset(e, 0, sizeof(*e));
		e->text = xrealloc(NULL, n + 1);
		memcpy(e->text, data + start, n);
		e->text[n] = '\0';
		e->file = file;
		e->lineno = lineno;
		start = end + 1;
		if (parse_expectation(c, e) != 1) {
			free(e->text);
			free(e->rhs);
			free(e);
			continue;
		}
		grow((void **)&c->exps, &c->capexps, c->nexps + 1, sizeof(*c->exps));
		c->exps[c->nexps++] = e;
		expectations++;
		if (!e->is_summary && e->assert.nkv == 0)
			failf(c, file, lineno, "expectation asserts nothing (empty right side)", NULL);
		if (!e->is_summary)
			lint_expectation(c, e);
		if (check && c->log_loaded) {
			if (e->is_summary)
				check_summary(c, e);
			else
				check_expectation(c, e);
		}
	}
	if (!expectations)
		failf(c, file, lineno, "no expectations in this file", NULL);
}

int fpc_expect_file(struct fpc *c, const char *path, bool check)
{
	size_t len;
	char *data = read_file(c, path, "cannot read expectations", &len);
	if (!data)
		return -1;
	fpc_expect_mem(c, path, data, len, check);
	free(data);
	return 0;
}

/* The run as a whole: it reached `faultprobe: done` (a truncated log, a
 * hang or a triple fault never does) with unexpected=0 (an exception no
 * probe expected ends the run with unexpected=1 and an oops). */
static void check_run(struct fpc *c)
{
	char buf[96];
	if (!c->summary) {
		c->run_why = xstrdup("no 'faultprobe: done' line: truncated log, hang or crash");
	} else {
		char *copy = xrealloc(NULL, strlen(c->summary) + 3);
		sprintf(copy, "x %s", c->summary);
		struct log_line s;
		const char *u = log_parse_line(copy, &s) == LOG_OK ? log_get(&s, "unexpected") : NULL;
		if (!u) {
			c->run_why = xstrdup("malformed 'faultprobe: done' line (no unexpected=)");
		} else if (strcmp(u, "0") != 0) {
			snprintf(buf, sizeof(buf), "unexpected=%.20s: an exception no probe expected (crash)", u);
			c->run_why = xstrdup(buf);
		}
		free(copy);
	}
	if (c->run_why)
		failf(c, c->log_name, c->summary ? c->summary_lineno : 0, "the run failed", c->run_why);
}

void fpc_finish(struct fpc *c)
{
	if (!c->log_loaded)
		return;
	check_run(c);
	if (!c->o.strict)
		return;
	for (size_t i = 0; i < c->nrecs; i++) {
		struct record *r = &c->recs[i];
		if (r->malformed || r->is_skip || r->matched)
			continue;
		char msg[96];
		const char *id = log_get(&r->line, "id");
		snprintf(msg, sizeof(msg), "%s record (id=%.20s) has no expectation", r->line.type, id ? id : "-");
		vfailf(c, r, c->log_name, r->lineno, msg, NULL);
	}
}

void fpc_counts(const struct fpc *c, struct fpc_counts *out)
{
	out->records = c->nknown;
	out->malformed = c->malformed;
	out->skipped = c->skipped;
	out->checked = c->checked;
	out->linted = c->linted;
	out->failures = c->failures;
	out->have_summary = c->summary != NULL;
}

/* ------------------------------------------------------------ TAP */

enum verdict {
	V_PASS,       /* matches what its platform is known to do           */
	V_FAIL,       /* does not: a regression or a new platform behaviour */
	V_UNKNOWN,    /* nothing known about this record's platform (# TODO) */
	V_SKIP,       /* the probe was not run (# SKIP)                      */
	V_MALFORMED,  /* the line broke the record contract                  */
};

/* The one place that decides whether a record matches what its platform is
 * known to do.  Today that knowledge is the platform's expectation rows
 * (tests/expect/PROFILE/NAME.expect, matched as above); executable platform
 * models take their place here. */
static enum verdict record_verdict(const struct fpc *c, const struct record *r, const char **why)
{
	*why = NULL;
	if (r->malformed) {
		*why = r->malformed;
		return V_MALFORMED;
	}
	if (r->is_skip) {
		*why = log_get(&r->line, "reason");
		return V_SKIP;
	}
	if (!r->matched) {
		*why = "no expectation for this record";
		return c->o.strict ? V_FAIL : V_UNKNOWN;
	}
	if (r->mismatches) {
		*why = r->first_mismatch;
		return V_FAIL;
	}
	return V_PASS;
}

/* TAP descriptions: '#' starts a directive and '\' escapes (TAP 13). */
static void tap_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '#' || *s == '\\')
			fputc('\\', out);
		fputc((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f ? *s : '?', out);
	}
}

/* A YAML single-quoted scalar. */
static void yaml_kv(FILE *out, const char *key, const char *val)
{
	if (!val)
		return;
	fprintf(out, "  %s: '", key);
	for (; *val; val++) {
		if (*val == '\'')
			fputc('\'', out);
		fputc((unsigned char)*val >= 0x20 && (unsigned char)*val < 0x7f ? *val : '?', out);
	}
	fputs("'\n", out);
}

/* The deviation named in the expectation's "# DEVIATION name: why". */
static void deviation_name(const struct record *r, char *buf, size_t n)
{
	const char *d = r->expect && r->expect->comment ? strstr(r->expect->comment, "DEVIATION ") : NULL;
	buf[0] = '\0';
	if (d) {
		d += 10;
		size_t k = 0;
		while (d[k] && d[k] != ':' && d[k] != ' ' && k + 1 < n) {
			buf[k] = d[k];
			k++;
		}
		buf[k] = '\0';
	}
}

/* Test name: "<class>: <cell>".  Probes: class = set[.slice], cell = the
 * identity fpdiff matches on; other records: class = type, cell = the
 * identity keys of the expectation that selected it (else the first three
 * pairs). */
static void tap_name(FILE *out, const struct record *r)
{
	if (r->malformed) {
		fprintf(out, "malformed: log line %u", r->lineno);
		return;
	}
	const struct log_line *l = &r->line;
	if (strcmp(l->type, "probe") == 0 || r->is_skip) {
		static const char *const cell[] = { "op", "base", "index", "seg", "width", "cpl",
						    "paging", "adjust", "addr" };
		tap_text(out, log_get(l, "set"));
		if (log_get(l, "slice")) {
			fputc('.', out);
			tap_text(out, log_get(l, "slice"));
		}
		fputc(':', out);
		for (size_t i = 0; i < sizeof(cell) / sizeof(cell[0]); i++) {
			const char *v = log_get(l, cell[i]);
			if (!v)
				continue;
			fprintf(out, " %s=", cell[i]);
			tap_text(out, v);
		}
		fputs(" (id ", out);
		tap_text(out, log_get(l, "id"));
		fputc(')', out);
		return;
	}
	tap_text(out, l->type);
	fputc(':', out);
	if (r->expect && r->expect->ident.nkv) {
		for (unsigned k = 0; k < r->expect->ident.nkv; k++) {
			fprintf(out, " %s=", r->expect->ident.kv[k].key);
			tap_text(out, r->expect->ident.kv[k].val);
		}
	} else {
		for (unsigned k = 0; k < l->nkv && k < 3; k++) {
			fprintf(out, " %s=", l->kv[k].key);
			tap_text(out, l->kv[k].val);
		}
	}
	fprintf(out, " (line %u)", r->lineno);
}

static void tap_record(const struct fpc *c, const struct record *r, unsigned n, FILE *out)
{
	const char *why;
	enum verdict v = record_verdict(c, r, &why);
	fprintf(out, "%s %u - ", v == V_PASS || v == V_SKIP ? "ok" : "not ok", n);
	tap_name(out, r);
	if (v == V_SKIP) {
		fputs(" # SKIP ", out);
		tap_text(out, why ? why : "not run");
	} else if (v == V_UNKNOWN) {
		fputs(" # TODO ", out);
		tap_text(out, why);
	}
	fputs("\n  ---\n", out);
	fprintf(out, "  log_line: %u\n", r->lineno);
	if (!r->malformed) {
		static const char *const keys[] = { "vector", "err", "cr2", "rule", "rule_err", "agrees",
						    "platform" };
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			yaml_kv(out, keys[i], log_get(&r->line, keys[i]));
		const char *agrees = log_get(&r->line, "agrees");
		if (agrees && strcmp(agrees, "no") == 0) {
			char dev[64];
			deviation_name(r, dev, sizeof(dev));
			yaml_kv(out, "finding", "disagrees with the manuals' rule (a finding, not a failure)");
			if (dev[0])
				yaml_kv(out, "deviation", dev);
		}
	}
	if (r->expect) {
		char where[300];
		snprintf(where, sizeof(where), "%s:%u", r->expect->file, r->expect->lineno);
		yaml_kv(out, "expectation", where);
	}
	if (v == V_FAIL || v == V_MALFORMED)
		yaml_kv(out, v == V_MALFORMED ? "malformed" : "failure", why);
	fputs("  ...\n", out);
}

/* The run itself: it reached `faultprobe: done` with unexpected=0, and
 * nothing failed outside the records (expectation lint, rows that found no
 * record, the summary's counts). */
static void tap_run(const struct fpc *c, unsigned n, FILE *out)
{
	const char *why = c->run_why;
	char buf[256];

	if (!why && c->global_failures) {
		snprintf(buf, sizeof(buf), "%u failures outside the records (expectations, summary)",
			 c->global_failures);
		why = buf;
	}
	fprintf(out, "%s %u - run: faultprobe done\n  ---\n", why ? "not ok" : "ok", n);
	if (c->summary) {
		char line[200];
		snprintf(line, sizeof(line), "faultprobe: done%.180s", c->summary);
		yaml_kv(out, "summary", line);
	}
	fprintf(out, "  records: %u\n  malformed: %u\n  skipped: %u\n  expectations_checked: %u\n",
		c->nknown, c->malformed, c->skipped, c->checked);
	if (why)
		yaml_kv(out, "failure", why);
	/* Numbered keys, not a list: prove's YAMLish reader takes a list item
	 * holding ": " for a mapping and gives up. */
	for (unsigned i = 0; i < c->global_failures && i < KEEP_GLOBAL_FAILURES; i++) {
		char key[40];
		snprintf(key, sizeof(key), "outside_records_%u", i + 1);
		yaml_kv(out, key, c->global_why[i]);
	}
	if (c->global_failures > KEEP_GLOBAL_FAILURES)
		fprintf(out, "  more_failures_outside_records: %u\n", c->global_failures - KEEP_GLOBAL_FAILURES);
	fputs("  ...\n", out);
}

void fpc_write_tap(const struct fpc *c, FILE *out)
{
	fputs("TAP version 13\n", out);
	fprintf(out, "1..%zu\n", c->nrecs + 1);
	for (size_t i = 0; i < c->nrecs; i++)
		tap_record(c, &c->recs[i], (unsigned)i + 1, out);
	tap_run(c, (unsigned)c->nrecs + 1, out);
}
