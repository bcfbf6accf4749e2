#include "rec.h"
#include "../probes/model/vectors.h"

void rec_init(struct rec *r, const char *type)
{
	r->type = type;
	r->n = 0;
	r->overflow = false;
	r->arena_used = 0;
}

static struct rec_field *add(struct rec *r, const char *key, enum rec_kind kind)
{
	if (r->n >= REC_MAX_FIELDS) {
		r->overflow = true;
		return 0;
	}
	struct rec_field *f = &r->f[r->n++];
	f->key = key;
	f->kind = kind;
	f->digits = 0;
	return f;
}

void rec_str(struct rec *r, const char *key, const char *s)
{
	struct rec_field *f = add(r, key, REC_STR);
	if (f)
		f->v.s = s;
}

void rec_dec(struct rec *r, const char *key, uint64_t v)
{
	struct rec_field *f = add(r, key, REC_DEC);
	if (f)
		f->v.u = v;
}

void rec_sdec(struct rec *r, const char *key, int64_t v)
{
	struct rec_field *f = add(r, key, REC_SDEC);
	if (f)
		f->v.i = v;
}

void rec_hex(struct rec *r, const char *key, uint64_t v, unsigned digits)
{
	struct rec_field *f = add(r, key, REC_HEX);
	if (f) {
		f->v.u = v;
		f->digits = (uint8_t)digits;
	}
}

void rec_hex64(struct rec *r, const char *key, uint64_t v)
{
	rec_hex(r, key, v, 16);
}

void rec_hexmin(struct rec *r, const char *key, uint64_t v)
{
	struct rec_field *f = add(r, key, REC_HEXMIN);
	if (f)
		f->v.u = v;
}

void rec_vec(struct rec *r, const char *key, int vector)
{
	struct rec_field *f = add(r, key, REC_VEC);
	if (f)
		f->v.vec = vector;
}

void rec_yesno(struct rec *r, const char *key, bool v)
{
	rec_str(r, key, v ? "yes" : "no");
}

struct strbuf *rec_text_begin(struct rec *r)
{
	sb_init(&r->text, r->arena + r->arena_used, REC_ARENA - r->arena_used);
	return &r->text;
}

void rec_text_end(struct rec *r, const char *key)
{
	if (r->text.overflow)
		r->overflow = true;
	rec_str(r, key, r->text.buf);
	r->arena_used += (unsigned)r->text.len + 1;
	if (r->arena_used > REC_ARENA)
		r->arena_used = REC_ARENA;
}

void rec_insert_dec(struct rec *r, unsigned at, const char *key, uint64_t v)
{
	if (r->n >= REC_MAX_FIELDS) {
		r->overflow = true;
		return;
	}
	if (at > r->n)
		at = r->n;
	for (unsigned i = r->n; i > at; i--)
		r->f[i] = r->f[i - 1];
	r->n++;
	r->f[at] = (struct rec_field){ .key = key, .kind = REC_DEC, .v.u = v };
}

static bool key_eq(const char *a, const char *b)
{
	return fp_strcmp(a, b) == 0;
}

const struct rec_field *rec_get(const struct rec *r, const char *key)
{
	for (unsigned i = 0; i < r->n; i++)
		if (key_eq(r->f[i].key, key))
			return &r->f[i];
	return 0;
}

void rec_format_value(struct strbuf *sb, const struct rec_field *f)
{
	switch (f->kind) {
	case REC_STR:
		sb_puts(sb, f->v.s ? f->v.s : "-");
		break;
	case REC_DEC:
		sb_dec(sb, f->v.u);
		break;
	case REC_SDEC:
		if (f->v.i < 0) {
			sb_putc(sb, '-');
			sb_dec(sb, (uint64_t)0 - (uint64_t)f->v.i);
		} else {
			sb_dec(sb, (uint64_t)f->v.i);
		}
		break;
	case REC_HEX:
		sb_puts(sb, "0x");
		sb_hex(sb, f->v.u, f->digits);
		break;
	case REC_HEXMIN:
		sb_hexmin(sb, f->v.u);
		break;
	case REC_VEC:
		vector_put(sb, f->v.vec);
		break;
	}
}

void rec_format(struct strbuf *sb, const struct rec *r)
{
	sb_puts(sb, r->type);
	for (unsigned i = 0; i < r->n; i++) {
		sb_putc(sb, ' ');
		sb_puts(sb, r->f[i].key);
		sb_putc(sb, '=');
		rec_format_value(sb, &r->f[i]);
	}
	if (r->overflow)
		sb->overflow = true;
}
