#include "table.h"

/* Columns: id, address, base, width, vector, error code, CR2, rule, verdict. */
void table_format_header(struct strbuf *sb)
{
	sb_puts(sb, "  #  address             base w  vector err  cr2                 rule agrees");
}

static void value(struct strbuf *sb, const struct rec *r, const char *key)
{
	const struct rec_field *f = rec_get(r, key);
	if (f)
		rec_format_value(sb, f);
	else
		sb_putc(sb, '?');
}

void table_format_row(struct strbuf *sb, const struct rec *r)
{
	size_t start = sb->len;
	const struct rec_field *id = rec_get(r, "id");
	const struct rec_field *agrees = rec_get(r, "agrees");
	uint64_t n = id ? id->v.u : 0;

	if (n < 100)
		sb_putc(sb, ' ');
	if (n < 10)
		sb_putc(sb, ' ');
	sb_dec(sb, n);
	sb_pad_to(sb, start + 5);
	value(sb, r, "addr");
	sb_pad_to(sb, start + 25);
	value(sb, r, "base");
	sb_pad_to(sb, start + 30);
	value(sb, r, "width");
	sb_pad_to(sb, start + 33);
	value(sb, r, "vector");
	sb_pad_to(sb, start + 40);
	value(sb, r, "err");
	sb_pad_to(sb, start + 45);
	value(sb, r, "cr2");
	sb_pad_to(sb, start + 65);
	value(sb, r, "rule");
	sb_pad_to(sb, start + 70);
	const struct rec_field *evidence = rec_get(r, "evidence");
	sb_puts(sb, agrees && agrees->v.s && agrees->v.s[0] == 'y' ?
		    (evidence ? "yes*" : "yes") : "NO");
}
