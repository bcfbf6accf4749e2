#include "btf.h"

#define LINE 200

void btf_format_row(struct strbuf *sb, const struct btf_stack *s, unsigned i, unsigned n)
{
	sb_puts(sb, "    ");
	sb_hex(sb, s->base + 8ull * i, 16);
	sb_putc(sb, ':');
	const char *note = 0;
	for (unsigned k = i; k < i + n && k < s->nwords; k++) {
		sb_putc(sb, ' ');
		sb_hex(sb, s->words[k], 16);
		if (s->labels && s->labels[k])
			sb_puts(sb, s->labels[k]);
		if (s->notes && s->notes[k] && !note)
			note = s->notes[k];
	}
	if (note) {
		sb_puts(sb, "   ; ");
		sb_puts(sb, note);
	}
}

static void header(struct strbuf *sb, const struct btf_stack *s, unsigned f)
{
	unsigned no = s->first_frame_no + f;
	unsigned slot = s->frames[f].slot;
	sb_puts(sb, no < 10 ? " #" : "#");
	sb_dec(sb, no);
	sb_puts(sb, " [");
	sb_hex(sb, s->base + 8ull * slot, 16);
	sb_puts(sb, "] ");
	sb_puts(sb, s->frames[f].name);
	sb_puts(sb, " at ");
	sb_hex(sb, slot < s->nwords ? s->words[slot] : 0, 16);
}

void btf_format(const struct btf_stack *s, line_sink_fn sink, void *ctx)
{
	char buf[LINE];
	struct strbuf sb;
	unsigned end = s->end < s->nwords ? s->end : s->nwords;

	for (unsigned f = 0; f < s->nframes; f++) {
		sb_init(&sb, buf, sizeof(buf));
		header(&sb, s, f);
		sink(ctx, buf);
		unsigned from = s->frames[f].slot + 1;
		unsigned to = f + 1 < s->nframes ? s->frames[f + 1].slot + 1 : end;
		if (to > end)
			to = end;
		for (unsigned i = from; i < to; i += 2) {
			unsigned n = to - i >= 2 ? 2 : 1;
			sb_init(&sb, buf, sizeof(buf));
			btf_format_row(&sb, s, i, n);
			sink(ctx, buf);
		}
	}
}
