/* fpdiff core (see fpdiff_core.h). */
#include "fpdiff_core.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../probes/model/vectors.h"
#include "../probes/model/fmt.h"
#include "../probes/model/rules.h"
#include "../probes/model/x86.h"
#include "record_contract.h"

/* ------------------------------------------------------------ warnings */

static void add_warning(struct fpd_log *log, unsigned lineno, bool whole_file, const char *fmt,
			va_list ap)
{
	size_t kept_lines = 0;

	for (size_t i = 0; i < log->nwarns; i++)
		kept_lines += !log->warns[i].whole_file;
	if (!whole_file)
		log->line_warns++;
	if (log->nwarns == sizeof(log->warns) / sizeof(log->warns[0]) ||
	    (!whole_file && kept_lines >= FPD_KEEP_LINE_WARNINGS) ||
	    (whole_file && log->nwarns - kept_lines >= FPD_KEEP_FILE_WARNINGS)) {
		log->warns_dropped++;
		return;
	}
	struct fpd_warning *w = &log->warns[log->nwarns++];
	w->lineno = lineno;
	w->whole_file = whole_file;
	vsnprintf(w->text, sizeof(w->text), fmt, ap);
}

/* About one line. */
static void warn(struct fpd_log *log, unsigned lineno, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warn(struct fpd_log *log, unsigned lineno, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_warning(log, lineno, false, fmt, ap);
	va_end(ap);
}

/* About the whole file (lineno: where it starts, or 0). */
static void warn_file(struct fpd_log *log, unsigned lineno, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warn_file(struct fpd_log *log, unsigned lineno, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_warning(log, lineno, true, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ decoding */

/* "0x" followed by 1..16 hex digits, nothing else. */
static bool parse_hex(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = 0;

	if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return false;
	for (s += 2; *s; s++, n++) {
		int d = fp_hex_digit(*s);
		if (d < 0 || n >= 16)
			return false;
		v = (v << 4) | (uint64_t)d;
	}
	if (!n)
		return false;
	*out = v;
	return true;
}

static bool parse_dec_small(const char *s, unsigned *out)
{
	unsigned v = 0;
	size_t n = 0;

	if (!s)
		return false;
	for (; *s; s++, n++) {
		if (*s < '0' || *s > '9' || n >= 6)
			return false;
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (!n)
		return false;
	*out = v;
	return true;
}

/* "#SS", "none", or the record formatter's "vec<n>". */
static bool parse_vector(const char *s, int *v)
{
	unsigned n;

	if (!s)
		return false;
	if (vector_parse(s, v))
		return true;
	if (strncmp(s, "vec", 3) == 0 && parse_dec_small(s + 3, &n) && n < 256) {
		*v = (int)n;
		return true;
	}
	return false;
}

/* Decodes a parsed `probe` line into r; a reason string on failure. */
static const char *decode_record(struct fpd_record *r)
{
	const struct log_line *l = &r->line;
	const char *v;

	r->set = log_get(l, "set");
	r->op = log_get(l, "op");
	r->base = log_get(l, "base");
	r->index = log_get(l, "index");
	r->seg = log_get(l, "seg");
	r->width = log_get(l, "width");
	r->paging = log_get(l, "paging");
	r->adjust = log_get(l, "adjust");
	r->rule = log_get(l, "rule");
	r->rip_at = log_get(l, "rip_at");
	r->saved_rsp = log_get(l, "saved_rsp");
	r->platform = log_get(l, "platform");
	if (!r->set || !r->op || !r->base)
		return "no set=/op=/base= (not a probe record?)";
	/* Every record the kernel or faultprobe-user prints ends with
	 * agrees= (and platform=): without it the line was cut. */
	if (!log_get(l, "agrees"))
		return "no agrees= (truncated line?)";
	if (!parse_hex(log_get(l, "addr"), &r->addr))
		return "addr= missing or not 0x<hex> (truncated or interleaved?)";
	if (!parse_vector(log_get(l, "vector"), &r->vector))
		return "vector= missing or unknown";
	v = log_get(l, "cpl");
	r->cpl = ~0u;
	if (v && (!parse_dec_small(v, &r->cpl) || r->cpl > 3))
		return "cpl= is not 0..3";
	v = log_get(l, "err");
	r->has_err = v && strcmp(v, "-") != 0;
	if (r->has_err && !parse_hex(v, &r->err))
		return "err= is neither - nor 0x<hex>";
	v = log_get(l, "cr2");
	r->has_cr2 = v && strcmp(v, "-") != 0;
	if (r->has_cr2 && !parse_hex(v, &r->cr2))
		return "cr2= is neither - nor 0x<hex>";
	v = log_get(l, "rflags");
	r->has_rflags = v && strcmp(v, "-") != 0;
	if (r->has_rflags && !parse_hex(v, &r->rflags))
		return "rflags= is neither - nor 0x<hex>";
	if (r->rule) {
		int rv;
		if (!parse_vector(r->rule, &rv))
			return "rule= unknown";
	}
	return 0;
}

static int add_record(struct fpd_log *log, struct fpd_record *r)
{
	if (log->nrecs == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 8;
		struct fpd_record *n = realloc(log->recs, cap * sizeof(*n));
		if (!n)
			return -1;
		log->recs = n;
		log->cap = cap;
	}
	log->recs[log->nrecs++] = *r;
	return 0;
}

static void load_line(struct fpd_log *log, const char *s, size_t len, unsigned lineno)
{
	char why[160];

	len = log_line_trim(s, len);
	if (len >= 16 && memcmp(s, "faultprobe: done", 16) == 0) {
		log->has_summary = true;
		return;
	}
	if (len < 6 || memcmp(s, "probe ", 6) != 0) {
		/* Text, dumps, table rows, firmware escapes: not ours.  But
		 * record text in the middle of a line means two writers
		 * interleaved. */
		if (record_text_embedded(s, len)) {
			log->malformed++;
			warn(log, lineno, "record text in the middle of the line "
			     "(interleaved output?); line ignored");
		}
		return;
	}
	const char *bad_text = record_text_check(s, len, why, sizeof(why));
	if (bad_text) {
		log->malformed++;
		warn(log, lineno, "malformed probe record, not compared: %s; line ignored", bad_text);
		return;
	}

	struct fpd_record r;
	memset(&r, 0, sizeof(r));
	r.lineno = lineno;
	r.text = malloc(len + 1);
	if (!r.text) {
		warn(log, lineno, "out of memory");
		return;
	}
	memcpy(r.text, s, len);
	r.text[len] = '\0';
	enum log_parse_status st = log_parse_line(r.text, &r.line);
	const char *bad_record = st != LOG_OK ? log_status_text(st) :
				 probe_contract_check(&r.line, why, sizeof(why));
	if (!bad_record)
		bad_record = decode_record(&r);
	if (bad_record) {
		log->malformed++;
		warn(log, lineno, "malformed probe record (truncated or corrupted?), not compared: %s",
		     bad_record);
		free(r.text);
		return;
	}
	if (add_record(log, &r) != 0) {
		warn(log, lineno, "out of memory");
		free(r.text);
	}
}

static void finish_log(struct fpd_log *log)
{
	log->cpl3_only = log->nrecs > 0;
	for (size_t i = 0; i < log->nrecs; i++) {
		const struct fpd_record *r = &log->recs[i];
		if (r->cpl != 3)
			log->cpl3_only = false;
		if (!r->platform)
			continue;
		if (!log->platform[0])
			snprintf(log->platform, sizeof(log->platform), "%s", r->platform);
		else if (strcmp(log->platform, r->platform) != 0)
			log->mixed_platforms = true;
	}
	if (log->mixed_platforms)
		warn_file(log, 0, "records from more than one platform (concatenated logs?)");
}

int fpd_log_load_mem(struct fpd_log *log, const char *name, const char *data, size_t len)
{
	size_t start = 0;

	memset(log, 0, sizeof(*log));
	snprintf(log->name, sizeof(log->name), "%s", name ? name : "?");
	while (start < len) {
		const char *nl = memchr(data + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - data) : len;
		log->lines++;
		load_line(log, data + start, end - start, log->lines);
		start = end + 1;
	}
	finish_log(log);
	return 0;
}

int fpd_log_load_file(struct fpd_log *log, const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		memset(log, 0, sizeof(*log));
		snprintf(log->name, sizeof(log->name), "%s", path);
		warn_file(log, 0, "is a directory, not a log file");
		return -1;
	}
	FILE *f = fopen(path, "rb");
	char *buf = 0;
	size_t len = 0, cap = 0;

	if (!f) {
		int e = errno;
		memset(log, 0, sizeof(*log));
		snprintf(log->name, sizeof(log->name), "%s", path);
		warn_file(log, 0, "cannot open: %s", strerror(e));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *n = ncap > ((size_t)1 << 30) ? 0 : realloc(buf, ncap);
			if (!n) {
				free(buf);
				fclose(f);
				memset(log, 0, sizeof(*log));
				snprintf(log->name, sizeof(log->name), "%s", path);
				warn_file(log, 0, "too large or out of memory (limit 1 GiB)");
				return -1;
			}
			buf = n;
			cap = ncap;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		free(buf);
		fclose(f);
		memset(log, 0, sizeof(*log));
		snprintf(log->name, sizeof(log->name), "%s", path);
		warn_file(log, 0, "read error: %s", strerror(e ? e : EIO));
		return -1;
	}
	fclose(f);
	if (len >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b) {
		/* gzip's magic (RFC 1952 2.3.1): a compressed log, e.g. tests/ref/ */
		free(buf);
		memset(log, 0, sizeof(*log));
		snprintf(log->name, sizeof(log->name), "%s", path);
		warn_file(log, 0, "is gzip-compressed: decompress it first (zcat %s > x.log)", path);
		return -1;
	}
	fpd_log_load_mem(log, path, buf ? buf : "", len);
	free(buf);
	return 0;
}

void fpd_log_free(struct fpd_log *log)
{
	for (size_t i = 0; i < log->nrecs; i++)
		free(log->recs[i].text);
	free(log->recs);
	memset(log, 0, sizeof(*log));
}

/* ------------------------------------------------------------ matching */

struct keyed {
	char key[192];
	struct fpd_record *r;
};

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

static void make_key(const struct fpd_record *r, bool with_cpl, char *out, size_t n)
{
	char cpl[16] = "*";

	if (with_cpl)
		snprintf(cpl, sizeof(cpl), "%u", r->cpl == ~0u ? 9u : r->cpl);
	snprintf(out, n, "%s|%s|%s|%s|%s|%s|%s|%s|%s|%016llx", or_dash(r->set), or_dash(r->op),
		 or_dash(r->base), or_dash(r->index), or_dash(r->seg), or_dash(r->width), cpl,
		 or_dash(r->paging), or_dash(r->adjust), (unsigned long long)r->addr);
}

/* Key order; within a key CPL 3 first (the twin of a linux-user record),
 * then log order. */
static int cmp_keyed(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	int c = strcmp(a->key, b->key);

	if (c)
		return c;
	if ((a->r->cpl == 3) != (b->r->cpl == 3))
		return a->r->cpl == 3 ? -1 : 1;
	return a->r->lineno < b->r->lineno ? -1 : a->r->lineno > b->r->lineno;
}

static struct keyed *index_log(struct fpd_log *log, bool with_cpl, unsigned *shadowed)
{
	struct keyed *k = calloc(log->nrecs ? log->nrecs : 1, sizeof(*k));
	unsigned dups = 0, first_dup = 0;

	*shadowed = 0;
	if (!k)
		return 0;
	for (size_t i = 0; i < log->nrecs; i++) {
		log->recs[i].shadowed = false;
		make_key(&log->recs[i], with_cpl, k[i].key, sizeof(k[i].key));
		k[i].r = &log->recs[i];
	}
	qsort(k, log->nrecs, sizeof(*k), cmp_keyed);
	for (size_t i = 1, g = 0; i < log->nrecs; i++) {
		if (strcmp(k[i].key, k[g].key) != 0) {
			g = i;          /* first of a new identity */
			continue;
		}
		/* k[i] repeats k[g]'s identity: only k[g] is compared. */
		k[i].r->shadowed = true;
		(*shadowed)++;
		if (k[i].r->cpl == k[g].r->cpl) {
			if (!dups || k[i].r->lineno < first_dup)
				first_dup = k[i].r->lineno;
			dups++;
		}
	}
	if (dups)
		warn_file(log, first_dup, "%u probe records repeat an identity already seen "
		     "(repeat=N run or concatenated logs?); only the first of each is compared",
		     dups);
	return k;
}

bool fpd_cpl_ignored(const struct fpd_log *a, const struct fpd_log *b, enum fpd_cpl_mode m)
{
	if (m == FPD_CPL_IGNORE)
		return true;
	if (m == FPD_CPL_MATCH)
		return false;
	return a->cpl3_only != b->cpl3_only;
}

static uint64_t err_mask(const struct fpd_record *a, const struct fpd_record *b)
{
	uint64_t m = ~0ull;

	if (a->vector != VEC_PF)
		return m;
	m &= ~(uint64_t)PF_ERR_US;
	/* Linux's TASK_SIZE_MAX: the user half less its last (guard) page. */
	unsigned shift = a->paging && strcmp(a->paging, "5") == 0 ? 56 : 47;
	uint64_t task_size_max = ((uint64_t)1 << shift) - 4096;
	uint64_t where = a->has_cr2 ? a->cr2 : a->addr;
	if ((a->cpl == 3 || b->cpl == 3) && where >= task_size_max)
		m &= ~(uint64_t)PF_ERR_P;
	return m;
}

static bool str_differs(const char *x, const char *y)
{
	return strcmp(or_dash(x), or_dash(y)) != 0;
}

static unsigned compare_pair(const struct fpd_record *a, const struct fpd_record *b,
			     const struct fpd_options *o)
{
	unsigned f = 0;

	if (a->vector != b->vector)
		return FPD_F_VECTOR;
	if (vector_has_error_code(a->vector)) {
		if (a->has_err != b->has_err ||
		    (a->has_err && ((a->err ^ b->err) & err_mask(a, b))))
			f |= FPD_F_ERR;
	}
	if (a->vector == VEC_PF &&
	    (a->has_cr2 != b->has_cr2 || (a->has_cr2 && a->cr2 != b->cr2)))
		f |= FPD_F_CR2;
	if (o && o->frame && a->vector != VEC_NONE) {
		if (a->has_rflags && b->has_rflags && ((a->rflags ^ b->rflags) & RFLAGS_RF))
			f |= FPD_F_RF;
		if (str_differs(a->rip_at, b->rip_at))
			f |= FPD_F_RIP_AT;
		if (str_differs(a->saved_rsp, b->saved_rsp))
			f |= FPD_F_SAVED_RSP;
	}
	return f;
}

static int by_a_line(const void *x, const void *y)
{
	const struct fpd_diff *a = x, *b = y;
	return a->a->lineno < b->a->lineno ? -1 : a->a->lineno > b->a->lineno;
}

static int by_line(const void *x, const void *y)
{
	const struct fpd_record *const *a = x, *const *b = y;
	return (*a)->lineno < (*b)->lineno ? -1 : (*a)->lineno > (*b)->lineno;
}

int fpd_compare(struct fpd_log *a, struct fpd_log *b, const struct fpd_options *o,
		struct fpd_result *res)
{
	enum fpd_cpl_mode mode = o ? o->cpl_mode : FPD_CPL_AUTO;
	size_t i = 0, j = 0;

	memset(res, 0, sizeof(*res));
	res->cpl_ignored = fpd_cpl_ignored(a, b, mode);
	struct keyed *ka = index_log(a, !res->cpl_ignored, &res->shadowed_a);
	struct keyed *kb = index_log(b, !res->cpl_ignored, &res->shadowed_b);
	size_t na = a->nrecs, nb = b->nrecs;
	res->diffs = calloc(na < nb ? na + 1 : nb + 1, sizeof(*res->diffs));
	res->only_in_a = calloc(na + 1, sizeof(*res->only_in_a));
	res->only_in_b = calloc(nb + 1, sizeof(*res->only_in_b));
	if (!ka || !kb || !res->diffs || !res->only_in_a || !res->only_in_b) {
		free(ka);
		free(kb);
		fpd_result_free(res);
		return -1;
	}
	while (i < na || j < nb) {
		if (i < na && ka[i].r->shadowed) {
			i++;
			continue;
		}
		if (j < nb && kb[j].r->shadowed) {
			j++;
			continue;
		}
		int c = i >= na ? 1 : j >= nb ? -1 : strcmp(ka[i].key, kb[j].key);
		if (c < 0) {
			res->only_in_a[res->only_a++] = ka[i++].r;
		} else if (c > 0) {
			res->only_in_b[res->only_b++] = kb[j++].r;
		} else {
			unsigned f = compare_pair(ka[i].r, kb[j].r, o);
			res->compared++;
			if (f) {
				res->diffs[res->ndiffs].a = ka[i].r;
				res->diffs[res->ndiffs].b = kb[j].r;
				res->diffs[res->ndiffs].fields = f;
				res->ndiffs++;
				res->differ++;
			}
			i++;
			j++;
		}
	}
	free(ka);
	free(kb);
	qsort(res->diffs, res->ndiffs, sizeof(*res->diffs), by_a_line);
	qsort(res->only_in_a, res->only_a, sizeof(*res->only_in_a), by_line);
	qsort(res->only_in_b, res->only_b, sizeof(*res->only_in_b), by_line);
	return 0;
}

void fpd_result_free(struct fpd_result *res)
{
	free(res->diffs);
	free(res->only_in_a);
	free(res->only_in_b);
	memset(res, 0, sizeof(*res));
}

/* ------------------------------------------------------------ display */

const char *fpd_field_name(enum fpd_field f)
{
	switch (f) {
	case FPD_F_VECTOR: return "vector";
	case FPD_F_ERR: return "err";
	case FPD_F_CR2: return "cr2";
	case FPD_F_RF: return "rflags.RF";
	case FPD_F_RIP_AT: return "rip_at";
	case FPD_F_SAVED_RSP: return "saved_rsp";
	}
	return "?";
}

void fpd_field_text(const struct fpd_record *r, enum fpd_field f, char *buf, size_t n)
{
	const char *m;

	switch (f) {
	case FPD_F_VECTOR:
		m = vector_mnemonic(r->vector);
		if (m)
			snprintf(buf, n, "%s", m);
		else
			snprintf(buf, n, "vec%d", r->vector);
		return;
	case FPD_F_ERR:
		if (r->has_err)
			snprintf(buf, n, "0x%llx", (unsigned long long)r->err);
		else
			snprintf(buf, n, "-");
		return;
	case FPD_F_CR2:
		if (r->has_cr2)
			snprintf(buf, n, "0x%016llx", (unsigned long long)r->cr2);
		else
			snprintf(buf, n, "-");
		return;
	case FPD_F_RF:
		if (r->has_rflags)
			snprintf(buf, n, "RF=%d", (int)((r->rflags >> 16) & 1));
		else
			snprintf(buf, n, "-");
		return;
	case FPD_F_RIP_AT:
		snprintf(buf, n, "%s", or_dash(r->rip_at));
		return;
	case FPD_F_SAVED_RSP:
		snprintf(buf, n, "%s", or_dash(r->saved_rsp));
		return;
	}
	snprintf(buf, n, "?");
}
