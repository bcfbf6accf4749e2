/* fbfind library (host only): load a P6 PPM screenshot (QEMU `screendump`)
 * and look for text drawn by report/fbcon.c with the same PSF font, on the
 * console's text grid (x multiple of font width, y multiple of font height,
 * starting at pixel (0,0)).  Used by tools/fbfind.c and the unit tests. */
#ifndef FP_FBFIND_LIB_H
#define FP_FBFIND_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct psf_font;

struct fbf_image {
	unsigned width, height;
	uint8_t *rgb;            /* width * height * 3 bytes, R G B, 8 bits each */
};

/* Parse a binary PPM (P6; maxval 1..65535, 16-bit samples scaled to 8 bits)
 * from memory.  Returns true on success (free with fbf_free); on failure
 * returns false and puts a reason in err (if errlen > 0). */
bool fbf_parse_ppm(const uint8_t *data, size_t len, struct fbf_image *img,
		   char *err, size_t errlen);
/* Same, from a file. */
bool fbf_load_ppm(const char *path, struct fbf_image *img, char *err, size_t errlen);
void fbf_free(struct fbf_image *img);

/* Search for `text` rendered with `font` in any text cell position.  A
 * cell box matches when, using as threshold the midpoint between the
 * darkest and brightest pixel of the whole candidate box (so any colour
 * pair works as long as the text is brighter than its background), every
 * pixel is "foreground" (brightness above the midpoint) exactly where the
 * glyph bitmap has a 1 bit.  An all-blank string matches a box that is
 * uniform and no brighter than the screen's midpoint.  Bytes outside
 * printable ASCII are looked up as '?', like fbcon draws them.  Returns
 * true and sets *col and *row (either may be NULL) for the first match in
 * row-major order. */
bool fbf_find_text(const struct fbf_image *img, const struct psf_font *font,
		   const char *text, unsigned *col, unsigned *row);

/* Pixels whose colour differs from the most common colour on screen. */
size_t fbf_count_non_background(const struct fbf_image *img);

#endif
