/* fbfind [--vga9] SCREEN.ppm "TEXT": is TEXT, drawn by report/fbcon.c with
 * the built-in console font (build/font_data.c), visible on the screenshot?
 * SCREEN.ppm is a binary P6 PPM as written by QEMU's monitor `screendump`.
 *
 *   --vga9   match on a 9-pixel-wide cell grid: the glyphs of the same font
 *            with a blank ninth column, which is how a VGA in text mode
 *            (9-dot character clock) shows an 8-pixel font; QEMU's
 *            screendump of BIOS text mode is 720x400 in that layout.  Only
 *            finds the text if the VGA BIOS font has the same glyphs.
 *   fbfind --count SCREEN.ppm
 *            print the size and the number of non-background pixels; exit 0
 *            if any pixel differs from the background (the screen is not
 *            blank), 1 if it is blank.
 *
 *   exit 0: fbfind: found "TEXT" at col C row R
 *   exit 1: fbfind: "TEXT" not found (screen WxH, N non-background pixels)
 *   exit 2: unreadable / malformed file, or bad usage
 *
 * Build: make build/fbfind
 */
#include "fbfind_lib.h"
#include "../report/fbcon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
	fprintf(stderr, "usage: fbfind [--vga9] SCREEN.ppm \"TEXT\"\n"
			"       fbfind --count SCREEN.ppm\n");
}

/* The console font widened to 9 columns (ninth column blank). */
static bool make_vga9(const struct psf_font *src, struct psf_font *dst)
{
	if (src->width != 8)
		return false;
	size_t n = (size_t)src->glyph_count * src->height;
	uint8_t *g = calloc(n, 2);
	if (!g)
		return false;
	for (size_t i = 0; i < n; i++)
		g[i * 2] = src->glyphs[i * src->bytes_per_row];
	*dst = *src;
	dst->width = 9;
	dst->bytes_per_row = 2;
	dst->glyphs = g;
	return true;
}

int main(int argc, char **argv)
{
	bool count = false, vga9 = false;
	int a = 1;
	for (; a < argc && argv[a][0] == '-' && argv[a][1] == '-'; a++) {
		if (strcmp(argv[a], "--count") == 0)
			count = true;
		else if (strcmp(argv[a], "--vga9") == 0)
			vga9 = true;
		else {
			usage();
			return 2;
		}
	}
	if (argc - a != (count ? 1 : 2)) {
		usage();
		return 2;
	}
	const char *path = argv[a];
	struct fbf_image img;
	char err[160];
	if (!fbf_load_ppm(path, &img, err, sizeof(err))) {
		fprintf(stderr, "fbfind: %s: %s\n", path, err);
		return 2;
	}
	int rc;
	if (count) {
		size_t n = fbf_count_non_background(&img);
		printf("fbfind: screen %ux%u, %zu non-background pixels\n", img.width, img.height, n);
		fbf_free(&img);
		return n ? 0 : 1;
	}

	const char *text = argv[a + 1];
	struct psf_font font = fp_console_font;
	if (vga9 && !make_vga9(&fp_console_font, &font)) {
		fprintf(stderr, "fbfind: --vga9 needs an 8-pixel-wide font\n");
		fbf_free(&img);
		return 2;
	}
	unsigned col = 0, row = 0;
	if (fbf_find_text(&img, &font, text, &col, &row)) {
		printf("fbfind: found \"%s\" at col %u row %u\n", text, col, row);
		rc = 0;
	} else {
		printf("fbfind: \"%s\" not found (screen %ux%u, %zu non-background pixels)\n",
		       text, img.width, img.height, fbf_count_non_background(&img));
		rc = 1;
	}
	if (vga9)
		free((void *)font.glyphs);
	fbf_free(&img);
	return rc;
}
