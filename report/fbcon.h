/* Text console drawn into a linear framebuffer (UEFI has no VGA text mode).
 * Glyphs come from a PSF console font shipped by Debian (converted to C at
 * build time by tools/psf2c), never hand-drawn.  Pure C: the host unit tests
 * render into a memory buffer. */
#ifndef FP_FBCON_H
#define FP_FBCON_H

#include <stdbool.h>
#include <stdint.h>

/* Font produced by tools/psf2c into build/font_data.c */
struct psf_font {
	unsigned width;          /* pixels (8 for the fonts we use)  */
	unsigned height;         /* pixels                           */
	unsigned bytes_per_row;  /* (width + 7) / 8                  */
	unsigned glyph_count;    /* 256 or 512                       */
	const uint8_t *glyphs;   /* glyph_count * height * bytes_per_row, MSB = leftmost */
};
extern const struct psf_font fp_console_font;

struct framebuffer {
	uint8_t *base;           /* linear address of pixel (0,0)    */
	uint32_t pitch;          /* bytes per scan line              */
	uint32_t width, height;  /* pixels                           */
	uint8_t bpp;             /* bits per pixel; 32 supported (24 too) */
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

struct fbcon {
	struct framebuffer fb;
	const struct psf_font *font;
	unsigned cols, rows;     /* text grid                        */
	unsigned col, row;       /* cursor                           */
	uint32_t fg, bg;         /* packed pixel values              */
	bool usable;
};

/* Returns false (and leaves con->usable false) when the mode is unusable
 * (unsupported bpp, zero size, no font). */
/* Why fbcon_init() would refuse fb with font, in a few words ("its base
 * address is 0", "its depth is not 24 or 32 bpp", ...), or NULL. */
const char *fbcon_unusable_why(const struct framebuffer *fb, const struct psf_font *font);
bool fbcon_init(struct fbcon *con, const struct framebuffer *fb,
		const struct psf_font *font);
void fbcon_putc(struct fbcon *con, char c);   /* '\n', '\r', scroll */
void fbcon_write(struct fbcon *con, const char *s);
void fbcon_clear(struct fbcon *con);
/* Pack an 8-bit-per-channel colour for this framebuffer's layout. */
uint32_t fbcon_rgb(const struct framebuffer *fb, uint8_t r, uint8_t g, uint8_t b);

#endif
