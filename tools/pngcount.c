/* pngcount — what a rendered picture holds, for the tests (libpng).
 *
 *   pngcount FILE.png [#rrggbb...]
 *
 * Prints "W H distinct=N nonwhite=M" and, for each colour given, one line
 * "#rrggbb COUNT".  Used by tests/boot/case-truth.sh to check that the
 * `make truth` SVG, rendered by rsvg-convert, is not blank.  Exit 2 when
 * the file is not a readable PNG. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_u32(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	png_image img;

	if (argc < 2) {
		fprintf(stderr, "usage: pngcount FILE.png [#rrggbb...]\n");
		return 2;
	}
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, argv[1])) {
		fprintf(stderr, "pngcount: %s: %s\n", argv[1], img.message);
		return 2;
	}
	img.format = PNG_FORMAT_RGB;
	size_t n = (size_t)img.width * img.height;
	unsigned char *px = malloc(PNG_IMAGE_SIZE(img));
	unsigned *rgb = malloc(n * sizeof(*rgb));
	if (!px || !rgb || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
		fprintf(stderr, "pngcount: %s: %s\n", argv[1], px && rgb ? img.message : "out of memory");
		return 2;
	}
	size_t nonwhite = 0;
	for (size_t i = 0; i < n; i++) {
		rgb[i] = (unsigned)px[3 * i] << 16 | (unsigned)px[3 * i + 1] << 8 | px[3 * i + 2];
		nonwhite += rgb[i] != 0xffffff;
	}
	for (int a = 2; a < argc; a++) {
		unsigned want = (unsigned)strtoul(argv[a] + (argv[a][0] == '#'), NULL, 16);
		size_t count = 0;
		for (size_t i = 0; i < n; i++)
			count += rgb[i] == want;
		printf("#%06x %zu\n", want, count);
	}
	qsort(rgb, n, sizeof(*rgb), cmp_u32);
	size_t distinct = n ? 1 : 0;
	for (size_t i = 1; i < n; i++)
		distinct += rgb[i] != rgb[i - 1];
	printf("%u %u distinct=%zu nonwhite=%zu\n", img.width, img.height, distinct, nonwhite);
	free(px);
	free(rgb);
	return 0;
}
