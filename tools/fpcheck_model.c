/* fpcheck --platform: every record of the log judged against a platform
 * model (tools/fpjudge.h), and each record's verdict kept for TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpcheck_priv.h"
#include "fpjudge.h"

/* The record at log line `lineno` (records are in log order). */
static struct record *record_at(struct fpc *c, unsigned lineno)
{
	size_t lo = 0, hi = c->nrecs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->recs[mid].lineno < lineno)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nrecs && c->recs[lo].lineno == lineno ? &c->recs[lo] : NULL;
}

static void keep_verdict(void *ctx, unsigned lineno, const struct fpj_result *res)
{
	struct fpc *c = ctx;
	struct record *r = record_at(c, lineno);
	char buf[600];
	size_t used = 0;

	if (!r || r->malformed)
		return;
	switch (res->status) {
	case FPJ_MATCH:
		r->model = 1;
		break;
	case FPJ_MISMATCH:
		r->model = -1;
		used = (size_t)snprintf(buf, sizeof(buf), "differs from the platform model:");
		for (unsigned i = 0; i < res->ncells && used < sizeof(buf); i++)
			if (!res->cells[i].match)
				used += (size_t)snprintf(buf + used, sizeof(buf) - used, " %s=%s (model: %s)",
							 res->cells[i].key, res->cells[i].got,
							 res->cells[i].want);
		r->model_why = fpc_xstrdup(buf);
		break;
	case FPJ_UNKNOWN:
		r->model = -1;
		snprintf(buf, sizeof(buf), "the platform model cannot place it: %s", res->why);
		r->model_why = fpc_xstrdup(buf);
		break;
	case FPJ_NOT_MODELLED:
	case FPJ_NO_OBSERVATION:
		return;
	}
	used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < res->outcome.ndev && i < PLATFORM_MAX_DEV && used < sizeof(buf); i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? "," : "",
					 res->outcome.dev[i].name);
	if (buf[0])
		r->model_dev = fpc_xstrdup(buf);
}

int fpc_apply_model(struct fpc *c, const char *path, FILE *out)
{
	if (!c->o.platform)
		return 0;
	int st = fpj_run_each("fpcheck", path, c->o.platform, out, false, false, NULL, keep_verdict, c);
	if (st == 2)
		return -1;
	return st;
}
