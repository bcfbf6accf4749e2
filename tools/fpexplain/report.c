/* Report and stack containers (report.h). */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/model/vectors.h"

#define FX_MAX_REPORTS 10000
#define FX_MAX_SLOTS   65536

struct fx_report *fx_reports_add(struct fx_reports *rs)
{
	struct fx_report *r;

	if (rs->n >= FX_MAX_REPORTS)
		return NULL;
	if (rs->n == rs->cap) {
		size_t nc = rs->cap ? rs->cap * 2 : 8;
		struct fx_report *nv = realloc(rs->v, nc * sizeof(*nv));
		if (!nv)
			return NULL;
		rs->v = nv;
		rs->cap = nc;
	}
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	r->vector = VEC_NONE;
	r->code_marker = -1;
	r->frame.entry = r->frame.victim = -1;
	r->frame.vector = VEC_NONE;
	return r;
}

void fx_reports_free(struct fx_reports *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		fx_stack_free(&rs->v[i].stack);
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

void fx_note(struct fx_report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nnotes >= FX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(r->notes[r->nnotes], FX_NOTE_LEN, fmt, ap);
	va_end(ap);
	for (unsigned i = 0; i < r->nnotes; i++)         /* no duplicates */
		if (strcmp(r->notes[i], r->notes[r->nnotes]) == 0)
			return;
	r->nnotes++;
}

/* ------------------------------------------------------------ stacks */

struct fx_slot *fx_stack_find(struct fx_stack *s, uint64_t addr)
{
	size_t lo = 0, hi = s->nslots;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->slots[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nslots && s->slots[lo].addr == addr ? &s->slots[lo] : NULL;
}

bool fx_stack_slot(struct fx_stack *s, uint64_t addr, uint64_t value, const char *given)
{
	size_t lo = 0, hi = s->nslots;
	struct fx_slot *sl;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->slots[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->nslots && s->slots[lo].addr == addr) {
		if (s->slots[lo].value != value)
			s->conflicts++;         /* keep the first value printed */
		if (given && *given && !s->slots[lo].given[0])
			snprintf(s->slots[lo].given, sizeof(s->slots[lo].given), "%s", given);
		return true;
	}
	if (s->nslots >= FX_MAX_SLOTS)
		return false;
	if (s->nslots == s->capslots) {
		size_t nc = s->capslots ? s->capslots * 2 : 64;
		struct fx_slot *nv = realloc(s->slots, nc * sizeof(*nv));
		if (!nv)
			return false;
		s->slots = nv;
		s->capslots = nc;
	}
	memmove(&s->slots[lo + 1], &s->slots[lo], (s->nslots - lo) * sizeof(*sl));
	sl = &s->slots[lo];
	memset(sl, 0, sizeof(*sl));
	sl->addr = addr;
	sl->value = value;
	if (given)
		snprintf(sl->given, sizeof(sl->given), "%s", given);
	s->nslots++;
	return true;
}

bool fx_stack_frame(struct fx_stack *s, const struct fx_bt_frame *f)
{
	for (size_t i = 0; i < s->nframes; i++)
		if (s->frames[i].no == f->no && strcmp(s->frames[i].func, f->func) == 0)
			return true;            /* printed again (bt, then bt -f) */
	if (s->nframes >= 4096)
		return false;
	if (s->nframes == s->capframes) {
		size_t nc = s->capframes ? s->capframes * 2 : 16;
		struct fx_bt_frame *nv = realloc(s->frames, nc * sizeof(*nv));
		if (!nv)
			return false;
		s->frames = nv;
		s->capframes = nc;
	}
	s->frames[s->nframes++] = *f;
	return true;
}

bool fx_stack_dis(struct fx_stack *s, const struct fx_dis *d)
{
	for (size_t i = 0; i < s->ndis; i++)
		if (s->dis[i].addr == d->addr)
			return true;
	if (s->ndis >= 65536)
		return false;
	if (s->ndis == s->capdis) {
		size_t nc = s->capdis ? s->capdis * 2 : 32;
		struct fx_dis *nv = realloc(s->dis, nc * sizeof(*nv));
		if (!nv)
			return false;
		s->dis = nv;
		s->capdis = nc;
	}
	s->dis[s->ndis++] = *d;
	return true;
}

void fx_stack_free(struct fx_stack *s)
{
	free(s->slots);
	free(s->frames);
	free(s->dis);
	memset(s, 0, sizeof(*s));
}
