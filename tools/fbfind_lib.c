/* fbfind library: see fbfind_lib.h.  Host only (uses stdio/stdlib). */
#include "fbfind_lib.h"
#include "../report/fbcon.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PPM_MAX_DIM 32768u

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Skip whitespace and '#' comments in a PNM header. */
static void skip_ws(const uint8_t *d, size_t len, size_t *pos)
{
	while (*pos < len) {
		uint8_t c = d[*pos];
		if (c == '#') {
			while (*pos < len && d[*pos] != '\n' && d[*pos] != '\r')
				(*pos)++;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
			   c == '\v' || c == '\f') {
			(*pos)++;
		} else {
			return;
		}
	}
}

static bool read_uint(const uint8_t *d, size_t len, size_t *pos, unsigned *out)
{
	skip_ws(d, len, pos);
	if (*pos >= len || d[*pos] < '0' || d[*pos] > '9')
		return false;
	unsigned long v = 0;
	while (*pos < len && d[*pos] >= '0' && d[*pos] <= '9') {
		v = v * 10 + (unsigned)(d[*pos] - '0');
		if (v > 1000000ul)
			return false;
		(*pos)++;
	}
	*out = (unsigned)v;
	return true;
}

bool fbf_parse_ppm(const uint8_t *data, size_t len, struct fbf_image *img,
		   char *err, size_t errlen)
{
	img->width = img->height = 0;
	img->rgb = NULL;
	if (len < 2 || data[0] != 'P' || data[1] != '6') {
		set_err(err, errlen, "not a binary PPM (P6) file");
		return false;
	}
	size_t pos = 2;
	unsigned w, h, maxval;
	if (!read_uint(data, len, &pos, &w) || !read_uint(data, len, &pos, &h) ||
	    !read_uint(data, len, &pos, &maxval)) {
		set_err(err, errlen, "bad or truncated PPM header");
		return false;
	}
	if (w == 0 || h == 0 || w > PPM_MAX_DIM || h > PPM_MAX_DIM) {
		set_err(err, errlen, "bad PPM size %ux%u", w, h);
		return false;
	}
	if (maxval == 0 || maxval > 65535) {
		set_err(err, errlen, "bad PPM maxval %u", maxval);
		return false;
	}
	/* Exactly one whitespace byte separates the header from the raster. */
	if (pos >= len || !(data[pos] == ' ' || data[pos] == '\t' || data[pos] == '\n' ||
			    data[pos] == '\r' || data[pos] == '\v' || data[pos] == '\f')) {
		set_err(err, errlen, "bad or truncated PPM header");
		return false;
	}
	pos++;
	size_t bps = maxval > 255 ? 2 : 1;
	size_t npix = (size_t)w * h;
	size_t need = npix * 3 * bps;
	if (len - pos < need) {
		set_err(err, errlen, "truncated PPM raster (%zu of %zu bytes)", len - pos, need);
		return false;
	}
	uint8_t *rgb = malloc(npix * 3);
	if (!rgb) {
		set_err(err, errlen, "out of memory");
		return false;
	}
	const uint8_t *p = data + pos;
	for (size_t i = 0; i < npix * 3; i++) {
		unsigned v = bps == 2 ? (unsigned)p[2 * i] << 8 | p[2 * i + 1] : p[i];
		if (v > maxval)
			v = maxval;
		rgb[i] = (uint8_t)((v * 255u + maxval / 2) / maxval);
	}
	img->width = w;
	img->height = h;
	img->rgb = rgb;
	return true;
}

bool fbf_load_ppm(const char *path, struct fbf_image *img, char *err, size_t errlen)
{
	img->width = img->height = 0;
	img->rgb = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		set_err(err, errlen, "%s", strerror(errno));
		return false;
	}
	size_t cap = 1u << 20, n = 0;
	uint8_t *buf = malloc(cap);
	bool ok = buf != NULL;
	while (ok) {
		if (n == cap) {
			uint8_t *nb = cap < (1ul << 31) ? realloc(buf, cap * 2) : NULL;
			if (!nb) {
				ok = false;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (!ok) {
		set_err(err, errlen, "out of memory");
	} else if (ferror(f)) {
		set_err(err, errlen, "read error");
		ok = false;
	}
	fclose(f);
	if (ok)
		ok = fbf_parse_ppm(buf, n, img, err, errlen);
	free(buf);
	return ok;
}

void fbf_free(struct fbf_image *img)
{
	if (!img)
		return;
	free(img->rgb);
	img->rgb = NULL;
	img->width = img->height = 0;
}

/* Brightness (luma, 0..255000). */
static uint32_t luma(const uint8_t *px)
{
	return 299u * px[0] + 587u * px[1] + 114u * px[2];
}

static const uint8_t *glyph_for(const struct psf_font *font, unsigned char c)
{
	if (c < 0x20 || c > 0x7e || c >= font->glyph_count)
		c = '?';
	return font->glyphs + (size_t)c * font->height * font->bytes_per_row;
}

static bool glyph_bit(const struct psf_font *font, const uint8_t *g, unsigned x, unsigned y)
{
	return (g[(size_t)y * font->bytes_per_row + (x >> 3)] & (0x80u >> (x & 7))) != 0;
}

bool fbf_find_text(const struct fbf_image *img, const struct psf_font *font,
		   const char *text, unsigned *col, unsigned *row)
{
	if (!img || !img->rgb || !font || !font->glyphs || !text || !*text ||
	    font->width == 0 || font->height == 0)
		return false;
	const unsigned fw = font->width, fh = font->height;
	const unsigned cols = img->width / fw, rows = img->height / fh;
	const size_t n = strlen(text);
	if (rows == 0 || n > cols)
		return false;

	const size_t W = img->width;
	uint32_t *bright = malloc(sizeof(uint32_t) * W * img->height);
	uint32_t *cmin = malloc(sizeof(uint32_t) * cols * rows);
	uint32_t *cmax = malloc(sizeof(uint32_t) * cols * rows);
	const uint8_t **glyphs = malloc(sizeof(*glyphs) * n);
	bool found = false;
	if (!bright || !cmin || !cmax || !glyphs)
		goto out;

	uint32_t gmin = UINT32_MAX, gmax = 0;
	for (size_t i = 0; i < W * img->height; i++) {
		bright[i] = luma(img->rgb + 3 * i);
		if (bright[i] < gmin)
			gmin = bright[i];
		if (bright[i] > gmax)
			gmax = bright[i];
	}
	for (unsigned r = 0; r < rows; r++)
		for (unsigned c = 0; c < cols; c++) {
			uint32_t lo = UINT32_MAX, hi = 0;
			for (unsigned y = 0; y < fh; y++) {
				const uint32_t *b = bright + (size_t)(r * fh + y) * W + (size_t)c * fw;
				for (unsigned x = 0; x < fw; x++) {
					if (b[x] < lo)
						lo = b[x];
					if (b[x] > hi)
						hi = b[x];
				}
			}
			cmin[(size_t)r * cols + c] = lo;
			cmax[(size_t)r * cols + c] = hi;
		}

	bool any_set = false;
	for (size_t i = 0; i < n; i++) {
		glyphs[i] = glyph_for(font, (unsigned char)text[i]);
		for (unsigned y = 0; y < fh && !any_set; y++)
			for (unsigned x = 0; x < fw; x++)
				if (glyph_bit(font, glyphs[i], x, y)) {
					any_set = true;
					break;
				}
	}

	for (unsigned r = 0; r < rows && !found; r++) {
		for (unsigned c = 0; c + n <= cols && !found; c++) {
			uint32_t lo = UINT32_MAX, hi = 0;
			for (size_t i = 0; i < n; i++) {
				size_t k = (size_t)r * cols + c + i;
				if (cmin[k] < lo)
					lo = cmin[k];
				if (cmax[k] > hi)
					hi = cmax[k];
			}
			if (!any_set) {
				/* Blank text: a uniform box on the dark side. */
				if (lo == hi && 2ull * lo <= (uint64_t)gmin + gmax) {
					found = true;
					if (col)
						*col = c;
					if (row)
						*row = r;
				}
				continue;
			}
			if (lo == hi)
				continue;       /* uniform box: no glyph pixels at all */
			const uint64_t sum = (uint64_t)lo + hi;
			bool match = true;
			for (size_t i = 0; i < n && match; i++) {
				for (unsigned y = 0; y < fh && match; y++) {
					const uint32_t *b = bright + (size_t)(r * fh + y) * W +
							    (size_t)(c + i) * fw;
					for (unsigned x = 0; x < fw; x++) {
						bool fg = 2ull * b[x] > sum;
						if (fg != glyph_bit(font, glyphs[i], x, y)) {
							match = false;
							break;
						}
					}
				}
			}
			if (match) {
				found = true;
				if (col)
					*col = c;
				if (row)
					*row = r;
			}
		}
	}
out:
	free(bright);
	free(cmin);
	free(cmax);
	free(glyphs);
	return found;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

size_t fbf_count_non_background(const struct fbf_image *img)
{
	if (!img || !img->rgb)
		return 0;
	size_t npix = (size_t)img->width * img->height;
	if (npix == 0)
		return 0;
	uint32_t *px = malloc(sizeof(uint32_t) * npix);
	if (!px)
		return 0;
	for (size_t i = 0; i < npix; i++) {
		const uint8_t *p = img->rgb + 3 * i;
		px[i] = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	}
	qsort(px, npix, sizeof(uint32_t), cmp_u32);
	size_t best = 0, run = 0;
	for (size_t i = 0; i < npix; i++) {
		run = (i > 0 && px[i] == px[i - 1]) ? run + 1 : 1;
		if (run > best)
			best = run;
	}
	free(px);
	return npix - best;
}
