/* psf2c: convert an uncompressed PSF1/PSF2 console font into C.
 *
 *   psf2c FILE.psf > font_data.c
 *
 * The output defines `const struct psf_font fp_console_font` (report/fbcon.h)
 * with the glyph bitmaps in a static const uint8_t array, indexed by byte
 * value.  The unicode table is not copied; it is only used to check that
 * printable ASCII c (0x20..0x7e) sits at glyph c, which holds for Debian's
 * Lat15-* fonts.  If a font breaks that rule, psf2c emits a 256-glyph array
 * reordered so that byte b draws the glyph the table assigns to U+00bb
 * (falling back to the original glyph b), so fbcon's byte indexing stays
 * right without a remap table.  Errors -> message on stderr, exit 1. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PSF1_MAGIC0     0x36
#define PSF1_MAGIC1     0x04
#define PSF1_MODE512    0x01
#define PSF1_MODEHASTAB 0x02
#define PSF1_MODEHASSEQ 0x04
#define PSF1_SEPARATOR  0xffff
#define PSF1_STARTSEQ   0xfffe

#define PSF2_HAS_UNICODE_TABLE 0x01
#define PSF2_SEPARATOR  0xff
#define PSF2_STARTSEQ   0xfe

#define MAX_DIM 64      /* sanity bound on glyph width/height */

static const char *prog = "psf2c";

struct font {
	unsigned width, height, bytes_per_row, glyph_count;
	const uint8_t *glyphs;          /* points into the file image */
	/* From the unicode table (single code points only, no sequences):
	 * first_glyph[cp] = first glyph listing U+cp, or -1; cp < 256. */
	int first_glyph[256];
	/* identity[c]: glyph c lists U+c among its code points. */
	unsigned char identity[256];
	int has_table;
};

static void die(const char *path, const char *msg)
{
	fprintf(stderr, "%s: %s: %s\n", prog, path, msg);
	exit(1);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		exit(1);
	}
	size_t cap = 65536, n = 0;
	uint8_t *buf = malloc(cap);
	if (!buf)
		die(path, "out of memory");
	for (;;) {
		if (n == cap) {
			if (cap > (64u << 20))
				die(path, "file too large for a console font");
			cap *= 2;
			uint8_t *nb = realloc(buf, cap);
			if (!nb)
				die(path, "out of memory");
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		die(path, "read error");
	fclose(f);
	*len = n;
	return buf;
}

static void note_cp(struct font *fn, unsigned glyph, uint32_t cp)
{
	if (cp >= 256)
		return;
	if (fn->first_glyph[cp] < 0)
		fn->first_glyph[cp] = (int)glyph;
	if (glyph == cp)
		fn->identity[cp] = 1;
}

/* PSF1 table: per glyph, uint16 LE code points, optional sequences after
 * 0xfffe, terminated by 0xffff. */
static void parse_psf1_table(struct font *fn, const uint8_t *p, size_t len)
{
	unsigned glyph = 0;
	int in_seq = 0;
	for (size_t i = 0; i + 1 < len && glyph < fn->glyph_count; i += 2) {
		unsigned v = p[i] | (unsigned)p[i + 1] << 8;
		if (v == PSF1_SEPARATOR) {
			glyph++;
			in_seq = 0;
		} else if (v == PSF1_STARTSEQ) {
			in_seq = 1;
		} else if (!in_seq) {
			note_cp(fn, glyph, v);
		}
	}
}

/* PSF2 table: per glyph, UTF-8 code points, optional sequences after 0xfe,
 * terminated by 0xff.  Malformed UTF-8 bytes are skipped. */
static void parse_psf2_table(struct font *fn, const uint8_t *p, size_t len)
{
	unsigned glyph = 0;
	int in_seq = 0;
	size_t i = 0;
	while (i < len && glyph < fn->glyph_count) {
		uint8_t b = p[i];
		if (b == PSF2_SEPARATOR) {
			glyph++;
			in_seq = 0;
			i++;
			continue;
		}
		if (b == PSF2_STARTSEQ) {
			in_seq = 1;
			i++;
			continue;
		}
		uint32_t cp;
		unsigned extra;
		if (b < 0x80) {
			cp = b;
			extra = 0;
		} else if ((b & 0xe0) == 0xc0) {
			cp = b & 0x1f;
			extra = 1;
		} else if ((b & 0xf0) == 0xe0) {
			cp = b & 0x0f;
			extra = 2;
		} else if ((b & 0xf8) == 0xf0) {
			cp = b & 0x07;
			extra = 3;
		} else {
			i++;            /* stray continuation byte */
			continue;
		}
		i++;
		unsigned k;
		for (k = 0; k < extra && i < len && (p[i] & 0xc0) == 0x80; k++, i++)
			cp = cp << 6 | (p[i] & 0x3f);
		if (k == extra && !in_seq)
			note_cp(fn, glyph, cp);
	}
}

static void parse(struct font *fn, const char *path, const uint8_t *d, size_t len)
{
	memset(fn, 0, sizeof(*fn));
	for (unsigned i = 0; i < 256; i++)
		fn->first_glyph[i] = -1;

	if (len >= 2 && d[0] == PSF1_MAGIC0 && d[1] == PSF1_MAGIC1) {
		if (len < 4)
			die(path, "truncated PSF1 header");
		uint8_t mode = d[2], charsize = d[3];
		if (charsize == 0 || charsize > MAX_DIM)
			die(path, "bad PSF1 glyph height");
		fn->width = 8;
		fn->height = charsize;
		fn->bytes_per_row = 1;
		fn->glyph_count = (mode & PSF1_MODE512) ? 512 : 256;
		size_t need = 4 + (size_t)fn->glyph_count * charsize;
		if (len < need)
			die(path, "truncated PSF1 glyph data");
		fn->glyphs = d + 4;
		if (mode & (PSF1_MODEHASTAB | PSF1_MODEHASSEQ)) {
			fn->has_table = 1;
			parse_psf1_table(fn, d + need, len - need);
		}
		return;
	}
	if (len >= 4 && d[0] == 0x72 && d[1] == 0xb5 && d[2] == 0x4a && d[3] == 0x86) {
		if (len < 32)
			die(path, "truncated PSF2 header");
		uint32_t version = le32(d + 4), headersize = le32(d + 8);
		uint32_t flags = le32(d + 12), length = le32(d + 16);
		uint32_t charsize = le32(d + 20), height = le32(d + 24);
		uint32_t width = le32(d + 28);
		if (version != 0)
			die(path, "unsupported PSF2 version");
		if (headersize < 32 || headersize > len)
			die(path, "bad or truncated PSF2 header size");
		if (width == 0 || width > MAX_DIM || height == 0 || height > MAX_DIM)
			die(path, "bad PSF2 glyph dimensions");
		if (charsize != height * ((width + 7) / 8))
			die(path, "PSF2 charsize does not match width/height");
		if (length == 0 || length > 65536)
			die(path, "bad PSF2 glyph count");
		fn->width = width;
		fn->height = height;
		fn->bytes_per_row = (width + 7) / 8;
		fn->glyph_count = length;
		size_t need = (size_t)headersize + (size_t)length * charsize;
		if (len < need)
			die(path, "truncated PSF2 glyph data");
		fn->glyphs = d + headersize;
		if (flags & PSF2_HAS_UNICODE_TABLE) {
			fn->has_table = 1;
			parse_psf2_table(fn, d + need, len - need);
		}
		return;
	}
	die(path, "not a PSF1/PSF2 font (bad magic; is it still gzip-compressed?)");
}

/* Printable ASCII sits at its own byte position (or we cannot tell). */
static int ascii_is_identity(const struct font *fn)
{
	if (!fn->has_table)
		return 1;
	for (unsigned c = 0x20; c < 0x7f; c++)
		if (c >= fn->glyph_count || !fn->identity[c])
			return 0;
	return 1;
}

/* Copy the path into a C comment safely (no "*" or control characters). */
static void print_comment_path(const char *path)
{
	for (const char *s = path; *s; s++) {
		unsigned char c = (unsigned char)*s;
		putchar(c < 0x20 || c >= 0x7f || c == '*' ? '_' : c);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE.psf > font_data.c\n", prog);
		return 1;
	}
	const char *path = argv[1];
	size_t len;
	uint8_t *data = read_file(path, &len);
	struct font fn;
	parse(&fn, path, data, len);

	size_t charsize = (size_t)fn.height * fn.bytes_per_row;
	unsigned out_count = fn.glyph_count;
	unsigned *order = malloc(sizeof(unsigned) * (fn.glyph_count > 256 ? fn.glyph_count : 256));
	if (!order)
		die(path, "out of memory");
	int remapped = !ascii_is_identity(&fn);
	if (!remapped) {
		for (unsigned g = 0; g < fn.glyph_count; g++)
			order[g] = g;
	} else {
		/* Byte b draws the glyph for U+00bb; fall back to glyph b, then
		 * to the glyph for '?', then to glyph 0. */
		int qmark = fn.first_glyph['?'];
		out_count = 256;
		for (unsigned b = 0; b < 256; b++) {
			int g = fn.first_glyph[b];
			if (g < 0 && b < fn.glyph_count && !(b >= 0x20 && b < 0x7f))
				g = (int)b;
			if (g < 0)
				g = qmark >= 0 ? qmark : 0;
			order[b] = (unsigned)g;
		}
		fprintf(stderr, "%s: %s: note: printable ASCII is not at its own glyph "
			"position; emitting 256 glyphs reordered by the unicode table\n",
			prog, path);
	}

	printf("/* Generated by tools/psf2c from ");
	print_comment_path(path);
	printf(": %ux%u, %u glyphs%s.\n * Do not edit; rebuild with `make build/font_data.c`. */\n",
	       fn.width, fn.height, out_count,
	       remapped ? " (reordered so byte b draws U+00bb)" : "");
	printf("#include \"fbcon.h\"\n\n");
	printf("static const uint8_t fp_console_font_glyphs[%zu] = {\n",
	       (size_t)out_count * charsize);
	for (unsigned i = 0; i < out_count; i++) {
		const uint8_t *g = fn.glyphs + (size_t)order[i] * charsize;
		printf("\t/* 0x%02x", i);
		if (i >= 0x20 && i < 0x7f && i != '*' && i != '/' && i != '\\')
			printf(" '%c'", (char)i);
		printf(" */\n");
		for (size_t r = 0; r < fn.height; r++) {
			putchar('\t');
			for (size_t b = 0; b < fn.bytes_per_row; b++)
				printf("0x%02x,%s", g[r * fn.bytes_per_row + b],
				       b + 1 < fn.bytes_per_row ? " " : "");
			/* Draw the row as a comment: '#' = set bit. */
			printf(" /* ");
			for (unsigned x = 0; x < fn.width; x++)
				putchar(g[r * fn.bytes_per_row + x / 8] & (0x80 >> (x % 8)) ? '#' : '.');
			printf(" */\n");
		}
	}
	printf("};\n\n");
	printf("const struct psf_font fp_console_font = {\n");
	printf("\t.width = %u,\n\t.height = %u,\n\t.bytes_per_row = %u,\n\t.glyph_count = %u,\n",
	       fn.width, fn.height, fn.bytes_per_row, out_count);
	printf("\t.glyphs = fp_console_font_glyphs,\n};\n");

	free(order);
	free(data);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: write error\n", prog);
		return 1;
	}
	return 0;
}
