/* fpcheck's verdict per record and its TAP 13 output (see fpcheck_core.h,
 * fpc_write_tap). */
#include <stdio.h>
#include <string.h>

#include "fpcheck_priv.h"

/* ------------------------------------------------------------ TAP */

enum verdict {
	V_PASS,       /* matches what its platform is known to do           */
	V_FAIL,       /* does not: a regression or a new platform behaviour */
	V_UNKNOWN,    /* nothing known about this record's platform (# TODO) */
	V_SKIP,       /* the probe was not run (# SKIP)                      */
	V_MALFORMED,  /* the line broke the record contract                  */
};

/* The one place that decides whether a record matches what its platform is
 * known to do: the platform model (fpcheck --platform, tools/fpjudge.h)
 * for the records it judges, and the platform's expectation rows
 * (tests/expect/PROFILE/NAME.expect) for every record they select; a
 * record fails when either says so. */
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
	if (r->model < 0) {
		*why = r->model_why;
		return V_FAIL;
	}
	if (!r->matched && !r->model) {
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
			else if (r->model_dev)
				yaml_kv(out, "deviation", r->model_dev);
		}
	}
	if (r->model)
		yaml_kv(out, "model", r->model > 0 ? "match" : "differs");
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
