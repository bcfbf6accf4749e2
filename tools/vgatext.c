/* vgatext DUMP [COLS]: print the characters of a VGA text-mode buffer, one
 * screen row per line, trailing blanks dropped.  DUMP is what QEMU's monitor
 * writes for `pmemsave 0xb8000 4000 DUMP` (COLS x rows cells of character
 * byte + attribute byte; COLS defaults to 80).  Bytes outside printable
 * ASCII print as '.', blank cells as ' '.
 *
 * The boot tests use it to read the BIOS screen as text: a `screendump` of
 * VGA text mode is rendered by QEMU with the VGA BIOS font in 9-pixel
 * cells, so the framebuffer matcher (fbfind) cannot read it.
 *
 *   exit 0: printed; exit 2: unreadable file or bad usage */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: vgatext DUMP [COLS]\n");
		return 2;
	}
	long cols = argc == 3 ? strtol(argv[2], NULL, 10) : 80;
	if (cols < 1 || cols > 1024) {
		fprintf(stderr, "vgatext: COLS must be 1..1024\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	char line[1025];
	long col = 0, last = 0;
	int c;
	unsigned long cells = 0;
	while ((c = fgetc(f)) != EOF) {
		if (fgetc(f) == EOF)   /* attribute byte */
			break;
		cells++;
		char ch = (c >= 0x20 && c < 0x7f) ? (char)c : (c == 0 ? ' ' : '.');
		line[col++] = ch;
		if (ch != ' ')
			last = col;
		if (col == cols) {
			line[last] = '\0';
			puts(line);
			col = last = 0;
		}
	}
	if (col) {
		line[last] = '\0';
		puts(line);
	}
	fclose(f);
	if (!cells) {
		fprintf(stderr, "vgatext: %s: empty\n", argv[1]);
		return 2;
	}
	return 0;
}
