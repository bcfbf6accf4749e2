/* Value decoder (valdecode.h). */
#include "valdecode.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "probes/model/ptr_decode.h"

#define KASAN_SHADOW_OFFSET 0xdffffc0000000000ull   /* x86-64, generic KASAN */
#define NEAR                0x1000ull

static void line(struct fx_value *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(struct fx_value *o, const char *fmt, ...)
{
	va_list ap;

	if (o->nlines >= FX_VAL_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(o->lines[o->nlines++], sizeof(o->lines[0]), fmt, ap);
	va_end(ap);
}

static const struct {
	uint64_t base;
	const char *name;
} poisons[] = {
	{ 0x6b6b6b6b6b6b6b6bull, "slab POISON_FREE (0x6b: the object was freed: use after free)" },
	{ 0x5a5a5a5a5a5a5a5aull, "slab POISON_INUSE (0x5a: allocated, never initialised)" },
	{ 0xa5a5a5a5a5a5a5a5ull, "slab POISON_END (0xa5)" },
	{ 0xccccccccccccccccull, "SLUB red zone SLUB_RED_ACTIVE (0xcc)" },
	{ 0xbbbbbbbbbbbbbbbbull, "SLUB red zone SLUB_RED_INACTIVE (0xbb)" },
	{ 0xdead000000000100ull, "LIST_POISON1 (list_del()ed entry's next)" },
	{ 0xdead000000000122ull, "LIST_POISON2 (list_del()ed entry's prev)" },
};

/* The nearest pattern at or below v (LIST_POISON2 is LIST_POISON1 + 0x22). */
const char *fx_poison_name(uint64_t v, uint64_t *off)
{
	const char *best = NULL;

	for (size_t i = 0; i < sizeof(poisons) / sizeof(poisons[0]); i++)
		if (v - poisons[i].base < NEAR && (!best || v - poisons[i].base < *off)) {
			*off = v - poisons[i].base;
			best = poisons[i].name;
		}
	return best;
}

static uint64_t swab64(uint64_t x)
{
	uint64_t r = 0;

	for (int i = 0; i < 8; i++)
		r |= ((x >> (8 * i)) & 0xff) << (56 - 8 * i);
	return r;
}

void fx_value_decode(uint64_t v, unsigned paging, const struct fx_freelist_in *fl,
		     struct fx_value *o)
{
	struct ptr_decode d;
	unsigned printable = 0, u16_ok = 0;

	memset(o, 0, sizeof(*o));
	o->v = v;
	ptr_decode(v, &d);
	snprintf(o->hex, sizeof(o->hex), "%s", d.hex);
	snprintf(o->ascii, sizeof(o->ascii), "%s", d.ascii);
	snprintf(o->utf16, sizeof(o->utf16), "%s", d.utf16);
	snprintf(o->utf16_cps, sizeof(o->utf16_cps), "%s", d.utf16_cps);
	for (int i = 0; i < 8; i++)
		if (d.bytes[i] > 0x20 && d.bytes[i] < 0x7f)
			printable++;
	/* UTF-16LE code units that are printable characters (not controls,
	 * not surrogates, not the NUL) */
	for (int i = 0; i < 8; i += 2) {
		unsigned u = d.bytes[i] | (unsigned)d.bytes[i + 1] << 8;
		if (u >= 0x20 && u != 0x7f && !(u >= 0xd800 && u <= 0xdfff) && u != 0xffff)
			u16_ok++;
	}
	o->text_ascii = printable >= 6;
	/* at least three printable units with a zero high byte in two of them */
	o->text_utf16 = u16_ok == 4 && (d.bytes[3] == 0) + (d.bytes[5] == 0) + (d.bytes[7] == 0) >= 2;
	o->usb_string = d.usb_string;
	snprintf(o->usb_text, sizeof(o->usb_text), "%s", d.usb_text);
	o->poison = fx_poison_name(v, &o->poison_off);

	line(o, "bytes in memory order %s, ASCII \"%s\", UTF-16LE \"%s\" (%s)", o->hex, o->ascii,
	     o->utf16, o->utf16_cps);
	if (o->poison) {
		snprintf(o->kind, sizeof(o->kind), "poison");
		if (o->poison_off)
			line(o, "%s + 0x%llx", o->poison, (unsigned long long)o->poison_off);
		else
			line(o, "%s", o->poison);
	}
	/* KASAN: the shadow byte of address a is (a >> 3) + offset, anywhere in
	 * [offset, offset + 2^61); a value there is worth decoding when it is
	 * non-canonical (an inline check on a wild pointer) or inside the
	 * 4-level shadow region [0xffffec0000000000, 0xfffffc0000000000)
	 * (Documentation/arch/x86/x86_64/mm.rst), not when it is an ordinary
	 * kernel address that happens to lie in that range. */
	if (v - KASAN_SHADOW_OFFSET < (1ull << 61) && !o->poison &&
	    (!(paging == 5 ? d.canonical5 : d.canonical4) ||
	     (paging != 5 && v >= 0xffffec0000000000ull))) {
		uint64_t a = (v - KASAN_SHADOW_OFFSET) << 3;
		uint64_t off;
		const char *p = fx_poison_name(a, &off);
		o->kasan = true;
		o->kasan_addr = a;
		if (!o->kind[0])
			snprintf(o->kind, sizeof(o->kind), "kasan-shadow");
		if (a < NEAR)
			line(o, "KASAN shadow of [0x%llx-0x%llx]: a NULL pointer plus a small offset",
			     (unsigned long long)a, (unsigned long long)(a + 7));
		else if (p)
			line(o, "KASAN shadow of [0x%llx-0x%llx] = %s + 0x%llx", (unsigned long long)a,
			     (unsigned long long)(a + 7), p, (unsigned long long)off);
		else
			line(o, "if it is a KASAN shadow address: shadow of [0x%llx-0x%llx] "
			     "(KASAN_SHADOW_OFFSET 0xdffffc0000000000)", (unsigned long long)a,
			     (unsigned long long)(a + 7));
	}
	if (o->text_utf16) {
		if (!o->kind[0])
			snprintf(o->kind, sizeof(o->kind), "utf16-text");
		line(o, "reads as UTF-16LE text \"%s\": text, not a pointer", o->utf16);
		if (o->usb_string)
			line(o, "its first two bytes read as a USB string descriptor header (bLength 0x%02x, "
			     "bDescriptorType 3 = STRING, USB 2.0 9.6.7), then \"%s\"", d.bytes[0], o->usb_text);
	} else if (o->text_ascii && !o->poison) {
		if (!o->kind[0])
			snprintf(o->kind, sizeof(o->kind), "ascii-text");
		line(o, "reads as ASCII text \"%s\": text, not a pointer", o->ascii);
	}
	if (v < NEAR) {
		snprintf(o->kind, sizeof(o->kind), "null+offset");
		line(o, "a NULL pointer plus 0x%llx", (unsigned long long)v);
	}
	if (!o->kind[0])
		snprintf(o->kind, sizeof(o->kind), "-");
	if (fl && fl->have_random && fl->have_addr) {
		uint64_t old = v ^ fl->random ^ fl->ptr_addr;
		uint64_t now = v ^ fl->random ^ swab64(fl->ptr_addr);
		line(o, "hardened freelist undone: stored word 0x%016llx (Linux 5.7+: ^ s->random ^ "
		     "swab(ptr_addr)), 0x%016llx (before 5.7: ^ s->random ^ ptr_addr)",
		     (unsigned long long)now, (unsigned long long)old);
	}
}
