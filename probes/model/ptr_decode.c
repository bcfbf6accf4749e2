/* The bad pointer, read as memory (ptr_decode.h). */
#include "ptr_decode.h"
#include "access.h"
#include "fmt.h"

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
