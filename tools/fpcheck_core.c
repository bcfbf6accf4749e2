/* fpcheck core (see fpcheck_core.h). */
#include "fpcheck_core.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fpcheck_priv.h"
#include "logparse.h"
#include "record_contract.h"

/* ------------------------------------------------------------ helpers */

void *fpc_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fprintf(stderr, "fpcheck: out of memory\n");
		exit(2);
	}
	return q;
}

char *fpc_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(fpc_xrealloc(NULL, n), s, n);
}

/* Grows *p (of *cap elements of size sz) geometrically to hold `need`. */
static void grow(void **p, size_t *cap, size_t need, size_t sz)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	*p = fpc_xrealloc(*p, n * sz);
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
		char *s = fpc_xrealloc(NULL, n);
		snprintf(s, n, "%s:%u: %s%s%s", file, lineno, msg, detail ? ": " : "", detail ? detail : "");
		c->global_why[c->global_failures] = s;
	}
	c->global_failures++;
}

void fpc_failf(struct fpc *c, const char *file, unsigned lineno, const char *msg, const char *detail)
{
	vfailf(c, NULL, file, lineno, msg, detail);
}

static int known_record_type(const char *t, size_t n)
{
	static const char *const types[] = { "probe", "frame", "softframe", "prot32", "vmcore",
					     "fingerprint", "la57", "bt", "skip", "family", NULL };
	for (int i = 0; types[i]; i++)
		if (strlen(types[i]) == n && memcmp(t, types[i], n) == 0)
			return 1;
	return 0;
}

struct fpc *fpc_new(const struct fpc_options *o)
{
	struct fpc *c = fpc_xrealloc(NULL, sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->o = *o;
	c->deviation_names = fpc_xstrdup("\n");
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
				c->deviation_names = fpc_xrealloc(c->deviation_names, len + n + 2);
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
		free(c->recs[i].model_why);
		free(c->recs[i].model_dev);
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
		fpc_failf(c, path, 0, what, "is a directory, not a file");
		return NULL;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		fpc_failf(c, path, 0, what, strerror(errno));
		return NULL;
	}
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			if (cap >= FPC_MAX_FILE) {
				fpc_failf(c, path, 0, what, "larger than 1 GiB");
				free(buf);
				fclose(f);
				return NULL;
			}
			cap = cap ? cap * 2 : 65536;
			buf = fpc_xrealloc(buf, cap + 1);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fpc_failf(c, path, 0, what, strerror(errno ? errno : EIO));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf = buf ? buf : fpc_xrealloc(NULL, 1);
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
	r->malformed = fpc_xstrdup(why);
	c->malformed++;
	vfailf(c, r, c->log_name, lineno, "malformed record (not compared)", why);
}

/* One line, NUL-terminated in place, its line end already dropped. */
static void load_line(struct fpc *c, char *s, size_t len, unsigned lineno)
{
	char why[200];

	if (len >= 16 && memcmp(s, "faultprobe: done", 16) == 0) {
		free(c->summary);
		c->summary = fpc_xstrdup(s + 16);
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
		if (record_text_embedded(s, len))
			malformed(c, lineno, "record text in the middle of a line (interleaved output?)");
		return;
	}
	const char *bad_text = record_text_check(s, len, why, sizeof(why));
	if (bad_text) {
		malformed(c, lineno, bad_text);
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
	c->log = fpc_xrealloc(c->log, len + 1);
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
	c->idx = fpc_xrealloc(c->idx, (c->nidx + 1) * sizeof(*c->idx));
	struct key_index *k = c->idx[c->nidx++] = fpc_xrealloc(NULL, sizeof(*k));
	k->key = fpc_xstrdup(key);
	k->ents = fpc_xrealloc(NULL, (c->nrecs ? c->nrecs : 1) * sizeof(*k->ents));
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
		fpc_failf(c, e->file, e->lineno, msg, NULL);
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
				hit->first_mismatch = fpc_xstrdup(msg);
		}
	}
}

static void check_summary(struct fpc *c, const struct expectation *e)
{
	c->checked++;
	if (!c->summary) {
		fpc_failf(c, e->file, e->lineno,
		      "no 'faultprobe: done' summary line in the log (crash, hang or truncation)", NULL);
		return;
	}
	char *copy = fpc_xrealloc(NULL, strlen(c->summary) + 3);
	sprintf(copy, "x %s", c->summary);
	struct log_line s;
	if (log_parse_line(copy, &s) != LOG_OK) {
		fpc_failf(c, e->file, e->lineno, "malformed summary line", c->summary);
		free(copy);
		return;
	}
	for (unsigned k = 0; k < e->ident.nkv; k++) {
		const char *got = log_get(&s, e->ident.kv[k].key);
		if (!got || strcmp(got, e->ident.kv[k].val) != 0) {
			char msg[200];
			snprintf(msg, sizeof(msg), "%s=%s expected, got %s", e->ident.kv[k].key,
				 e->ident.kv[k].val, got ? got : "(missing)");
			fpc_failf(c, e->file, e->lineno, "summary mismatch", msg);
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
		fpc_failf(c, e->file, e->lineno, "bad expectation (left side)", log_status_text(st));
		return -1;
	}
	if (strcmp(e->ident.type, "summary") == 0) {
		e->is_summary = true;
		return 1;
	}
	if (!rhs) {
		fpc_failf(c, e->file, e->lineno, "expectation without ' | ' between identity and assertions", NULL);
		return -1;
	}
	/* The right side has no type word: parse "x k=v..." */
	size_t n = strlen(rhs);
	e->rhs = fpc_xrealloc(NULL, n + 3);
	e->rhs[0] = 'x';
	e->rhs[1] = ' ';
	memcpy(e->rhs + 2, rhs, n + 1);
	st = log_parse_line(e->rhs, &e->assert);
	if (st != LOG_OK) {
		fpc_failf(c, e->file, e->lineno, "bad expectation (right side)", log_status_text(st));
		return -1;
	}
	return 1;
}

void fpc_expect_mem(struct fpc *c, const char *name, const char *data, size_t len, bool check)
{
	unsigned lineno = 0, expectations = 0;

	c->files = fpc_xrealloc(c->files, (c->nfiles + 1) * sizeof(*c->files));
	const char *file = c->files[c->nfiles++] = fpc_xstrdup(name);
	c->file_pages = PAGES_KERNEL;
	c->file_vendor = VENDOR_INTEL;
	for (size_t start = 0; start < len;) {
		const char *nl = memchr(data + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - data) : len;
		size_t n = end - start;
		lineno++;
		if (n > FPC_MAX_EXPECT_LINE) {
			fpc_failf(c, file, lineno, "expectation line too long", NULL);
			break;
		}
		if (memchr(data + start, '\0', n)) {
			fpc_failf(c, file, lineno, "NUL byte in an expectation line", NULL);
			start = end + 1;
			continue;
		}
		if (n >= 19 && memcmp(data + start, "# pages: linux-user", 19) == 0)
			c->file_pages = PAGES_LINUX_USER;
		if (n >= 13 && memcmp(data + start, "# vendor: amd", 13) == 0)
			c->file_vendor = VENDOR_AMD;
		struct expectation *e = fpc_xrealloc(NULL, sizeof(*e));
		memset(e, 0, sizeof(*e));
		e->text = fpc_xrealloc(NULL, n + 1);
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
			fpc_failf(c, file, lineno, "expectation asserts nothing (empty right side)", NULL);
		if (!e->is_summary)
			fpc_lint_expectation(c, e);
		if (check && c->log_loaded) {
			if (e->is_summary)
				check_summary(c, e);
			else
				check_expectation(c, e);
		}
	}
	if (!expectations)
		fpc_failf(c, file, lineno, "no expectations in this file", NULL);
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
		c->run_why = fpc_xstrdup("no 'faultprobe: done' line: truncated log, hang or crash");
	} else {
		char *copy = fpc_xrealloc(NULL, strlen(c->summary) + 3);
		sprintf(copy, "x %s", c->summary);
		struct log_line s;
		const char *u = log_parse_line(copy, &s) == LOG_OK ? log_get(&s, "unexpected") : NULL;
		if (!u) {
			c->run_why = fpc_xstrdup("malformed 'faultprobe: done' line (no unexpected=)");
		} else if (strcmp(u, "0") != 0) {
			snprintf(buf, sizeof(buf), "unexpected=%.20s: an exception no probe expected (crash)", u);
			c->run_why = fpc_xstrdup(buf);
		}
		free(copy);
	}
	if (c->run_why)
		fpc_failf(c, c->log_name, c->summary ? c->summary_lineno : 0, "the run failed", c->run_why);
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
		if (r->malformed || r->is_skip || r->matched || r->model)
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

