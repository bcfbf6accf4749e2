/* The pipeline (run.h). */
#include "run.h"

#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "output.h"
#include "parse.h"
#include "text.h"
#include "valdecode.h"
#include "probes/model/vectors.h"

static int by_line(const void *a, const void *b)
{
	const struct fx_report *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

/* faultprobe prints its frame already labelled (report/oops.c): label it
 * again from the words alone and say where the two disagree. */
static void check_given_labels(struct fx_report *r)
{
	unsigned differ = 0, compared = 0;

	for (size_t i = 0; i < r->stack.nslots; i++) {
		const struct fx_slot *s = &r->stack.slots[i];
		if (!s->given[0] || !s->label[0] || s->given[0] != '[' ||
		    strncmp(s->label, "[no ", 4) == 0)
			continue;
		compared++;
		if (strncmp(s->given, s->label, strlen(s->label) - 1) != 0)
			differ++;
	}
	if (compared)
		fx_note(r, "the dump's own labels: %u compared with fpexplain's, %u differ", compared, differ);
}

bool fx_collect(const char *data, size_t len, struct fx_reports *out, size_t *nul_bytes)
{
	struct fx_text t;
	struct fx_reports crash = { 0 };

	memset(out, 0, sizeof(*out));
	if (!fx_text_load(data, len, &t))
		return false;
	if (nul_bytes)
		*nul_bytes = t.nul_bytes;
	if (!fx_parse_oopses(&t, out) || !fx_parse_crash(&t, &crash)) {
		fx_text_free(&t);
		fx_reports_free(out);
		fx_reports_free(&crash);
		return false;
	}
	for (size_t i = 0; i < out->n; i++) {
		struct fx_report *r = &out->v[i];
		if (r->stack.nslots && fx_find_hwframe(r, false))
			check_given_labels(r);
		if (t.cut_lines)
			fx_note(r, "%zu input lines were longer than %d characters and were cut", t.cut_lines,
				FX_LINE_MAX);
	}
	/* crash sessions: drop what an oops report already covers (faultprobe
	 * frame rows are stack rows too) */
	for (size_t i = 0; i < crash.n; i++) {
		bool dup = false;
		for (size_t k = 0; k < out->n; k++)
			if (crash.v[i].frame.found && out->v[k].frame.found &&
			    crash.v[i].frame.ip_slot == out->v[k].frame.ip_slot)
				dup = true;
		if (!dup && crash.v[i].stack.nframes == 0 && !crash.v[i].stack.have_exc)
			for (size_t k = 0; k < out->n; k++)
				if (out->v[k].stack.nslots)
					dup = true;
		struct fx_report *r = dup ? NULL : fx_reports_add(out);
		if (r) {
			*r = crash.v[i];
			memset(&crash.v[i].stack, 0, sizeof(crash.v[i].stack));
		}
	}
	fx_reports_free(&crash);
	fx_text_free(&t);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(out->v[0]), by_line);
	return true;
}

long fx_run(const char *data, size_t len, const struct fx_run_opts *o, FILE *out)
{
	struct fx_reports rs;
	struct fx_expl *x = malloc(sizeof(*x));
	struct fx_freelist_in fl = {
		.have_random = o->ex.have_slab_random, .random = o->ex.slab_random,
		.have_addr = o->ex.have_freelist_addr, .ptr_addr = o->ex.freelist_addr,
	};

	if (!x)
		return -1;
	if (!fx_collect(data, len, &rs, NULL)) {
		free(x);
		return -1;
	}
	for (size_t i = 0; i < rs.n; i++) {
		struct fx_value val;
		const struct fx_value *vp = NULL;
		unsigned no = o->first_no + (unsigned)i;

		fx_explain(&rs.v[i], &o->ex, x);
		/* kmem_cache.random from crash's struct output, unless given */
		struct fx_freelist_in fli = fl;
		if (!fli.have_random && rs.v[i].stack.have_slab_random) {
			fli.have_random = true;
			fli.random = rs.v[i].stack.slab_random;
		}
		if (fli.have_random && !fli.have_addr)
			fx_note(&rs.v[i], "kmem_cache.random = 0x%llx is known: with the address the bad pointer "
				"was read from (--freelist-ptr-addr=) the hardened freelist XOR can be undone",
				(unsigned long long)fli.random);
		if (x->have_value) {
			fx_value_decode(x->value, (unsigned)x->paging, &fli, &val);
			vp = &val;
		}
		if (o->json) {
			fx_print_json(out, no, &rs.v[i], x, vp);
		} else {
			fx_print_human(out, no, &rs.v[i], x, vp);
			fx_print_line(out, no, &rs.v[i], x, vp);
			fputc('\n', out);
		}
	}
	long n = (long)rs.n;
	fx_reports_free(&rs);
	free(x);
	return n;
}
