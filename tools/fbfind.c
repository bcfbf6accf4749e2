/* fbfind SCREEN.ppm "TEXT": is TEXT, drawn by report/fbcon.c with the
 * built-in console font (build/font_data.c), visible on the screenshot?
 * SCREEN.ppm is a binary P6 PPM as written by QEMU's monitor `screendump`.
 *
 *   exit 0: fbfind: found "TEXT" at col C row R
 *   exit 1: fbfind: "TEXT" not found (screen WxH, N non-background pixels)
 *   exit 2: unreadable / malformed file, or bad usage
 *
 * Build:
 *   gcc -std=gnu11 -O2 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
 *       -Wmissing-prototypes -Ireport tools/fbfind.c tools/fbfind_lib.c \
 *       build/font_data.c -o build/fbfind
 */
#include "fbfind_lib.h"
#include "../report/fbcon.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: fbfind SCREEN.ppm \"TEXT\"\n");
		return 2;
	}
	const char *path = argv[1], *text = argv[2];
	struct fbf_image img;
	char err[160];
	if (!fbf_load_ppm(path, &img, err, sizeof(err))) {
		fprintf(stderr, "fbfind: %s: %s\n", path, err);
		return 2;
	}
	unsigned col = 0, row = 0;
	int rc;
	if (fbf_find_text(&img, &fp_console_font, text, &col, &row)) {
		printf("fbfind: found \"%s\" at col %u row %u\n", text, col, row);
		rc = 0;
	} else {
		printf("fbfind: \"%s\" not found (screen %ux%u, %zu non-background pixels)\n",
		       text, img.width, img.height, fbf_count_non_background(&img));
		rc = 1;
	}
	fbf_free(&img);
	return rc;
}
