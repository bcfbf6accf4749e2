/* Text console drawn into a linear framebuffer.  See fbcon.h.
 *
 * No libc: all copies and fills are hand-written loops.  Stores into the
 * framebuffer go through volatile pointers, which also keeps GCC from
 * turning the loops into memset()/memmove() calls the kernel doesn't have.
 *
 * Cursor model: 0 <= row < rows always; 0 <= col <= cols.  col == cols means
 * "the last cell of this row was just written": the next printable
 * character wraps to the start of the next row first (deferred wrap, as on
 * a VT100), so a line of exactly `cols` characters followed by '\n' does not
 * leave an empty line.  '\n' moves to column 0 of the next row, scrolling the
 * screen up by one text row when it was on the last row. */
#include "fbcon.h"

#include <stddef.h>

#define TAB_WIDTH 8

static unsigned bytes_per_pixel(const struct framebuffer *fb)
{
	return fb->bpp / 8u;
}

/* Scale an 8-bit channel value to `size` bits and place it at `pos`. */
static uint32_t pack_channel(uint8_t v, uint8_t pos, uint8_t size)
{
	if (size == 0 || pos >= 32)
		return 0;
	if (size > 32)
		size = 32;
	uint64_t maxval = (size == 32) ? 0xffffffffull : ((1ull << size) - 1);
	uint64_t scaled = ((uint64_t)v * maxval + 127) / 255;
	return (uint32_t)(scaled << pos);
}

uint32_t fbcon_rgb(const struct framebuffer *fb, uint8_t r, uint8_t g, uint8_t b)
{
	if (!fb)
		return 0;
	return pack_channel(r, fb->red_pos, fb->red_size) |
	       pack_channel(g, fb->green_pos, fb->green_size) |
	       pack_channel(b, fb->blue_pos, fb->blue_size);
}

static volatile uint8_t *pixel_addr(const struct fbcon *con, unsigned x, unsigned y)
{
	return (volatile uint8_t *)con->fb.base + (size_t)y * con->fb.pitch +
	       (size_t)x * bytes_per_pixel(&con->fb);
}

/* Store one packed pixel, little-endian, 3 or 4 bytes. */
static void put_pixel_at(volatile uint8_t *p, unsigned bpp_bytes, uint32_t v)
{
	if (bpp_bytes == 4 && ((uintptr_t)p & 3) == 0) {
		*(volatile uint32_t *)(volatile void *)p = v;
		return;
	}
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	if (bpp_bytes == 4)
		p[3] = (uint8_t)(v >> 24);
}

/* Fill pixels [x0, x1) x [y0, y1) with `v`. */
static void fill_rect(struct fbcon *con, unsigned x0, unsigned y0,
		      unsigned x1, unsigned y1, uint32_t v)
{
	unsigned bpp_bytes = bytes_per_pixel(&con->fb);
	for (unsigned y = y0; y < y1; y++) {
		volatile uint8_t *p = pixel_addr(con, x0, y);
		for (unsigned x = x0; x < x1; x++, p += bpp_bytes)
			put_pixel_at(p, bpp_bytes, v);
	}
}

/* Forward copy of n bytes; safe for overlapping ranges with dst < src. */
static void copy_down(volatile uint8_t *dst, const volatile uint8_t *src, size_t n)
{
	if ((((uintptr_t)dst | (uintptr_t)src | n) & 7) == 0) {
		volatile uint64_t *d = (volatile uint64_t *)(volatile void *)dst;
		const volatile uint64_t *s = (const volatile uint64_t *)(const volatile void *)src;
		for (size_t i = 0; i < n / 8; i++)
			d[i] = s[i];
		return;
	}
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i];
}

static void draw_glyph(struct fbcon *con, unsigned col, unsigned row, unsigned char c)
{
	const struct psf_font *f = con->font;
	/* Printable ASCII only: the font's other positions are not any
	 * particular 8-bit encoding, so show everything else as '?'. */
	if (c < 0x20 || c > 0x7e || c >= f->glyph_count)
		c = '?';
	const uint8_t *g = f->glyphs + (size_t)c * f->height * f->bytes_per_row;
	unsigned bpp_bytes = bytes_per_pixel(&con->fb);
	unsigned x0 = col * f->width, y0 = row * f->height;

	for (unsigned y = 0; y < f->height; y++, g += f->bytes_per_row) {
		volatile uint8_t *p = pixel_addr(con, x0, y0 + y);
		for (unsigned x = 0; x < f->width; x++, p += bpp_bytes) {
			bool on = (g[x >> 3] & (0x80u >> (x & 7))) != 0;
			put_pixel_at(p, bpp_bytes, on ? con->fg : con->bg);
		}
	}
}

static void scroll_up(struct fbcon *con)
{
	unsigned fh = con->font->height;
	size_t row_bytes = (size_t)con->fb.pitch * fh;
	volatile uint8_t *base = con->fb.base;
	if (con->rows > 1)
		copy_down(base, base + row_bytes, row_bytes * (con->rows - 1));
	fill_rect(con, 0, (con->rows - 1) * fh, con->fb.width, con->rows * fh, con->bg);
}

static void newline(struct fbcon *con)
{
	con->col = 0;
	if (con->row + 1 < con->rows)
		con->row++;
	else
		scroll_up(con);
}

const char *fbcon_unusable_why(const struct framebuffer *fb, const struct psf_font *font)
{
	if (!fb)
		return "no framebuffer";
	if (!fb->base)
		return "its base address is 0";
	if (fb->bpp != 24 && fb->bpp != 32)
		return "its depth is not 24 or 32 bpp";
	if (fb->width == 0 || fb->height == 0 ||
	    fb->pitch < (uint64_t)fb->width * bytes_per_pixel(fb))
		return "its size or pitch is inconsistent";
	const uint8_t pos[3] = { fb->red_pos, fb->green_pos, fb->blue_pos };
	const uint8_t size[3] = { fb->red_size, fb->green_size, fb->blue_size };
	for (unsigned i = 0; i < 3; i++)
		if (size[i] == 0 || (unsigned)pos[i] + size[i] > fb->bpp)
			return "it is not direct-colour RGB";
	if (!font || !font->glyphs || font->width == 0 || font->height == 0 ||
	    font->bytes_per_row < (font->width + 7) / 8 || font->glyph_count < 128)
		return "no usable font";
	if (fb->width / font->width < 1 || fb->height / font->height < 1)
		return "it is smaller than one character";
	return 0;
}

bool fbcon_init(struct fbcon *con, const struct framebuffer *fb,
		const struct psf_font *font)
{
	if (!con)
		return false;
	/* Start from a known, unusable state (no libc memset). */
	con->font = NULL;
	con->cols = con->rows = con->col = con->row = 0;
	con->fg = con->bg = 0;
	con->usable = false;
	if (!fb)
		return false;
	con->fb = *fb;
	/* Direct-colour RGB only: indexed/text modes report no channel sizes,
	 * and a channel must lie inside the pixel. */
	if (fbcon_unusable_why(fb, font))
		return false;
	con->cols = fb->width / font->width;
	con->rows = fb->height / font->height;
	if (con->cols < 1 || con->rows < 1) {
		con->cols = con->rows = 0;
		return false;
	}
	con->font = font;
	con->fg = fbcon_rgb(fb, 0xff, 0xff, 0xff);
	con->bg = fbcon_rgb(fb, 0, 0, 0);
	con->usable = true;
	fbcon_clear(con);
	return true;
}

void fbcon_clear(struct fbcon *con)
{
	if (!con || !con->usable)
		return;
	fill_rect(con, 0, 0, con->fb.width, con->fb.height, con->bg);
	con->col = con->row = 0;
}

void fbcon_putc(struct fbcon *con, char ch)
{
	if (!con || !con->usable)
		return;
	unsigned char c = (unsigned char)ch;

	switch (c) {
	case '\n':
		newline(con);
		return;
	case '\r':
		con->col = 0;
		return;
	case '\b':
		if (con->col > 0)
			con->col--;
		return;
	case '\t': {
		if (con->col >= con->cols)
			newline(con);
		unsigned next = (con->col / TAB_WIDTH + 1) * TAB_WIDTH;
		/* Blank the skipped cells so stale text doesn't show through. */
		while (con->col < next && con->col < con->cols)
			draw_glyph(con, con->col++, con->row, ' ');
		return;
	}
	default:
		break;
	}
	if (con->col >= con->cols)
		newline(con);
	draw_glyph(con, con->col, con->row, c);
	con->col++;
}

void fbcon_write(struct fbcon *con, const char *s)
{
	if (!s)
		return;
	while (*s)
		fbcon_putc(con, *s++);
}
