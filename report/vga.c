#include "vga.h"
#include <stdbool.h>
#include "../idt/cpu.h"

static volatile uint16_t *vga;
static unsigned vcols, vrows, vcol, vrow;
static const uint16_t attr = 0x0700;  /* light grey on black */

void vga_init(uint64_t base, unsigned cols, unsigned rows)
{
	vga = (volatile uint16_t *)(uintptr_t)base;
	vcols = cols;
	vrows = rows;
	vga_clear();
}

bool vga_present(void)
{
	uint8_t old = inb(0x3D4);
	bool ok = true;

	/* The CRTC index register holds 5 bits (CR00..CR18); read it back
	 * for two different values. */
	static const uint8_t probe[2] = { 0x0e, 0x11 };
	for (unsigned i = 0; i < 2; i++) {
		outb(0x3D4, probe[i]);
		ok &= (inb(0x3D4) & 0x1f) == probe[i];
	}
	outb(0x3D4, old);
	return ok;
}

void vga_clear(void)
{
	if (!vga)
		return;
	for (unsigned i = 0; i < vcols * vrows; i++)
		vga[i] = attr | ' ';
	vcol = vrow = 0;
}

static void scroll(void)
{
	for (unsigned i = 0; i < vcols * (vrows - 1); i++)
		vga[i] = vga[i + vcols];
	for (unsigned i = vcols * (vrows - 1); i < vcols * vrows; i++)
		vga[i] = attr | ' ';
	vrow = vrows - 1;
}

static void newline(void)
{
	vcol = 0;
	if (++vrow >= vrows)
		scroll();
}

void vga_write(const char *s)
{
	if (!vga)
		return;
	for (; *s; s++) {
		char c = *s;
		if (c == '\n') {
			newline();
			continue;
		}
		if (c == '\r') {
			vcol = 0;
			continue;
		}
		if (vcol >= vcols)
			newline();
		vga[vrow * vcols + vcol++] = attr | (uint8_t)c;
	}
}

unsigned vga_cols(void)
{
	return vga ? vcols : 0;
}

unsigned vga_rows(void)
{
	return vga ? vrows : 0;
}
