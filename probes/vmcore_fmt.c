#include "vmcore_fmt.h"
#include "model/rules.h"

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

static const char hexd[] = "0123456789abcdef";

static void put_u16(struct strbuf *sb, unsigned u)
{
	if (u > 0x20 && u < 0x7f && u != '\\' && u != '"') {
		sb_putc(sb, (char)u);
	} else {
		sb_puts(sb, "\\u");
		for (int sh = 12; sh >= 0; sh -= 4)
			sb_putc(sb, hexd[(u >> sh) & 0xf]);
	}
}

void ptr_decode(uint64_t v, struct ptr_decode *d)
{
	struct strbuf sb;

	for (unsigned i = 0; i < 8; i++)
		d->bytes[i] = (uint8_t)(v >> (8 * i));

	sb_init(&sb, d->hex, sizeof(d->hex));
	for (unsigned i = 0; i < 8; i++) {
		if (i)
			sb_putc(&sb, ':');
		sb_hex(&sb, d->bytes[i], 2);
	}

	for (unsigned i = 0; i < 8; i++) {
		uint8_t b = d->bytes[i];
		d->ascii[i] = (b > 0x20 && b < 0x7f) ? (char)b : '.';
	}
	d->ascii[8] = '\0';

	sb_init(&sb, d->utf16, sizeof(d->utf16));
	struct strbuf cps;
	sb_init(&cps, d->utf16_cps, sizeof(d->utf16_cps));
	for (unsigned i = 0; i < 8; i += 2) {
		unsigned u = d->bytes[i] | (unsigned)d->bytes[i + 1] << 8;
		put_u16(&sb, u);
		if (i)
			sb_putc(&cps, ',');
		sb_puts(&cps, "U+");
		sb_hex(&cps, u, 4);
	}

	d->canonical4 = addr_is_canonical(v, 4);
	d->canonical5 = addr_is_canonical(v, 5);

	/* USB 2.0 9.6.7: bLength, bDescriptorType (3 = STRING), bString
	 * (UTF-16LE).  bLength is even and at least 2. */
	d->usb_string = d->bytes[1] == 3 && d->bytes[0] >= 2 && !(d->bytes[0] & 1);
	d->usb_len = d->bytes[0];
	sb_init(&sb, d->usb_text, sizeof(d->usb_text));
	if (d->usb_string)
		for (unsigned i = 2; i < 8; i += 2)
			put_u16(&sb, d->bytes[i] | (unsigned)d->bytes[i + 1] << 8);
}
