/* Unit tests for report/fbcon.c (framebuffer text console) and the fbfind
 * screenshot matcher (tools/fbfind_lib.c).  Pixels are checked against the
 * generated font's own bitmaps (fp_console_font), never hand-drawn glyphs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/fbcon.h"
#include "tools/fbfind_lib.h"

#define FILL_BYTE 0xa5  /* "never written" marker */

/* A test framebuffer: deliberately not a whole number of cells wide/high,
 * with padding at the end of each scan line. */
struct testfb {
	struct framebuffer fb;
	size_t size;
};

static void testfb_make(struct testfb *t, unsigned bpp, unsigned cols, unsigned rows,
			unsigned extra_x, unsigned extra_y, unsigned pad)
{
	const struct psf_font *f = &fp_console_font;
	memset(t, 0, sizeof(*t));
	t->fb.bpp = (uint8_t)bpp;
	t->fb.width = cols * f->width + extra_x;
	t->fb.height = rows * f->height + extra_y;
	t->fb.pitch = t->fb.width * (bpp / 8) + pad;
	/* x8r8g8b8, the usual GOP layout */
	t->fb.red_pos = 16;
	t->fb.green_pos = 8;
	t->fb.blue_pos = 0;
	t->fb.red_size = t->fb.green_size = t->fb.blue_size = 8;
	t->size = (size_t)t->fb.pitch * t->fb.height;
	t->fb.base = malloc(t->size);
	assert_non_null(t->fb.base);
	memset(t->fb.base, FILL_BYTE, t->size);
}

static void testfb_free(struct testfb *t)
{
	free(t->fb.base);
	t->fb.base = NULL;
}

static uint32_t get_pixel(const struct framebuffer *fb, unsigned x, unsigned y)
{
	const uint8_t *p = fb->base + (size_t)y * fb->pitch + (size_t)x * (fb->bpp / 8);
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
	if (fb->bpp == 32)
		v |= (uint32_t)p[3] << 24;
	return v;
}

static const uint8_t *glyph(unsigned char c)
{
	const struct psf_font *f = &fp_console_font;
	return f->glyphs + (size_t)c * f->height * f->bytes_per_row;
}

static bool glyph_bit(unsigned char c, unsigned x, unsigned y)
{
	const struct psf_font *f = &fp_console_font;
	return (glyph(c)[y * f->bytes_per_row + x / 8] & (0x80u >> (x % 8))) != 0;
}

/* The cell at (col,row) shows glyph `c` in con->fg on con->bg, exactly. */
static void assert_cell(const struct fbcon *con, unsigned col, unsigned row, unsigned char c)
{
	const struct psf_font *f = con->font;
	for (unsigned y = 0; y < f->height; y++)
		for (unsigned x = 0; x < f->width; x++) {
			uint32_t want = glyph_bit(c, x, y) ? con->fg : con->bg;
			uint32_t got = get_pixel(&con->fb, col * f->width + x, row * f->height + y);
			if (got != want)
				fail_msg("cell (%u,%u) char 0x%02x pixel (%u,%u): got %#x want %#x",
					 col, row, c, x, y, got, want);
		}
}

static void assert_row_text(const struct fbcon *con, unsigned row, const char *s)
{
	for (unsigned i = 0; s[i]; i++)
		assert_cell(con, i, row, (unsigned char)s[i]);
}

/* Every visible pixel of the cell is background. */
static void assert_cell_blank(const struct fbcon *con, unsigned col, unsigned row)
{
	const struct psf_font *f = con->font;
	for (unsigned y = 0; y < f->height; y++)
		for (unsigned x = 0; x < f->width; x++)
			assert_int_equal(get_pixel(&con->fb, col * f->width + x,
						   row * f->height + y), con->bg);
}

static void assert_screen_blank(const struct fbcon *con)
{
	for (unsigned y = 0; y < con->fb.height; y++)
		for (unsigned x = 0; x < con->fb.width; x++)
			if (get_pixel(&con->fb, x, y) != con->bg)
				fail_msg("pixel (%u,%u) = %#x, not background %#x", x, y,
					 get_pixel(&con->fb, x, y), con->bg);
}

/* Scan-line padding bytes are never touched. */
static void assert_padding_untouched(const struct testfb *t)
{
	size_t used = (size_t)t->fb.width * (t->fb.bpp / 8);
	for (unsigned y = 0; y < t->fb.height; y++)
		for (size_t i = used; i < t->fb.pitch; i++)
			assert_int_equal(t->fb.base[(size_t)y * t->fb.pitch + i], FILL_BYTE);
}

/* ------------------------------------------------------------------ font */

static void test_font_is_psf_console_font(void **state)
{
	(void)state;
	const struct psf_font *f = &fp_console_font;
	assert_int_equal(f->width, 8);
	assert_int_equal(f->height, 16);
	assert_int_equal(f->bytes_per_row, 1);
	assert_true(f->glyph_count == 256 || f->glyph_count == 512);
	assert_non_null(f->glyphs);
	/* ' ' is blank, printable letters are not, and distinct letters differ. */
	unsigned set_space = 0;
	for (unsigned y = 0; y < f->height; y++)
		for (unsigned x = 0; x < f->width; x++)
			set_space += glyph_bit(' ', x, y);
	assert_int_equal(set_space, 0);
	for (unsigned c = '!'; c <= '~'; c++) {
		unsigned set = 0;
		for (unsigned y = 0; y < f->height; y++)
			for (unsigned x = 0; x < f->width; x++)
				set += glyph_bit((unsigned char)c, x, y);
		assert_true(set > 0);
	}
	assert_memory_not_equal(glyph('A'), glyph('B'), f->height * f->bytes_per_row);
	assert_memory_not_equal(glyph('l'), glyph('1'), f->height * f->bytes_per_row);
}

/* ------------------------------------------------------------------ init */

static void test_init_32bpp_clears_screen(void **state)
{
	(void)state;
	struct testfb t;
	struct fbcon con;
	testfb_make(&t, 32, 10, 4, 5, 7, 12);
	assert_true(fbcon_init(&con, &t.fb, &fp_console_font));
	assert_true(con.usable);
	assert_int_equal(con.cols, 10);
	assert_int_equal(con.rows, 4);
	assert_int_equal(con.col, 0);
	assert_int_equal(con.row, 0);
	assert_int_equal(con.fg, 0xffffff);
	assert_int_equal(con.bg, 0);
	assert_ptr_equal(con.font, &fp_console_font);
	assert_screen_blank(&con);
	assert_padding_untouched(&t);
	testfb_free(&t);
}

static void test_unusable_modes_rejected(void **state)
{
	(void)state;
	struct testfb t;
	struct fbcon con;
	struct framebuffer fb;
	testfb_make(&t, 32, 4, 2, 0, 0, 0);

/* refused, and for the reason the console note gives (issue 14 #11: a
 * 32 bpp framebuffer at address 0 was reported as a depth problem) */
#define REJECT(mutation, why)                                                \
	do {                                                                 \
		fb = t.fb;                                                   \
		mutation;                                                    \
		memset(&con, 0x5a, sizeof(con));                             \
		assert_false(fbcon_init(&con, &fb, &fp_console_font));       \
		assert_false(con.usable);                                    \
		assert_string_equal(fbcon_unusable_why(&fb, &fp_console_font), why); \
	} while (0)

	assert_null(fbcon_unusable_why(&t.fb, &fp_console_font));
	REJECT(fb.bpp = 16, "its depth is not 24 or 32 bpp");
	REJECT(fb.bpp = 8, "its depth is not 24 or 32 bpp");
	REJECT(fb.bpp = 0, "its depth is not 24 or 32 bpp");
	REJECT(fb.bpp = 31, "its depth is not 24 or 32 bpp");
	REJECT(fb.width = 0, "its size or pitch is inconsistent");
	REJECT(fb.height = 0, "its size or pitch is inconsistent");
	REJECT(fb.width = fp_console_font.width - 1, "it is smaller than one character");
	REJECT(fb.height = fp_console_font.height - 1, "it is smaller than one character");
	REJECT(fb.base = NULL, "its base address is 0");
	REJECT(fb.pitch = fb.width * 4 - 1, "its size or pitch is inconsistent");
	REJECT(fb.red_size = fb.green_size = fb.blue_size = 0, "it is not direct-colour RGB");
	REJECT(fb.blue_pos = 30, "it is not direct-colour RGB");
#undef REJECT

	memset(&con, 0x5a, sizeof(con));
	assert_false(fbcon_init(&con, &t.fb, NULL));
	assert_false(con.usable);
	assert_false(fbcon_init(&con, NULL, &fp_console_font));
	assert_false(con.usable);
	assert_false(fbcon_init(NULL, &t.fb, &fp_console_font));

	struct psf_font nofont = fp_console_font;
	nofont.glyphs = NULL;
	assert_false(fbcon_init(&con, &t.fb, &nofont));
	nofont = fp_console_font;
	nofont.height = 0;
	assert_false(fbcon_init(&con, &t.fb, &nofont));

	/* Nothing was drawn by the failed inits, and an unusable console
	 * ignores output instead of writing through a bad mode. */
	for (size_t i = 0; i < t.size; i++)
		assert_int_equal(t.fb.base[i], FILL_BYTE);
	fb = t.fb;
	fb.bpp = 16;
	assert_false(fbcon_init(&con, &fb, &fp_console_font));
	fbcon_write(&con, "hello\n");
	fbcon_clear(&con);
	for (size_t i = 0; i < t.size; i++)
		assert_int_equal(t.fb.base[i], FILL_BYTE);

	/* Exactly one cell is fine. */
	fb = t.fb;
	fb.width = fp_console_font.width;
	fb.height = fp_console_font.height;
	assert_true(fbcon_init(&con, &fb, &fp_console_font));
	assert_int_equal(con.cols, 1);
	assert_int_equal(con.rows, 1);
	testfb_free(&t);
}

/* ------------------------------------------------------------------ drawing */

static void test_putc_draws_font_glyph_32bpp(void **state)
{
	(void)state;
	struct testfb t;
	struct fbcon con;
	testfb_make(&t, 32, 10, 4, 5, 7, 12);
	assert_true(fbcon_init(&con, &t.fb, &fp_console_font));
	fbcon_putc(&con, 'A');
	assert_int_equal(con.col, 1);
	assert_int_equal(con.row, 0);
	assert_cell(&con, 0, 0, 'A');
	assert_cell_blank(&con, 1, 0);

	/* Custom colours are used as packed values. */
	con.fg = fbcon_rgb(&con.fb, 0x12, 0x34, 0x56);
	con.bg = fbcon_rgb(&con.fb, 0x80, 0x00, 0xff);
	assert_int_equal(con.fg, 0x123456);
	assert_int_equal(con.bg, 0x8000ff);
	fbcon_write(&con, "Hi, fault");
	assert_int_equal(con.col, 10);  /* pending wrap at the right margin */
	assert_int_equal(con.row, 0);
	for (unsigned i = 0; i < 9; i++)
		assert_cell(&con, 1 + i, 0, (unsigned char)"Hi, fault"[i]);
	fbcon_write(&con, "@0x10!");    /* now it wraps */
	assert_int_equal(con.row, 1);
	assert_int_equal(con.col, 6);
	assert_row_text(&con, 1, "@0x10!");
	con.fg = 0xffffff;              /* 'A' keeps its old colours */
	con.bg = 0;
	assert_cell(&con, 0, 0, 'A');
	assert_padding_untouched(&t);
	testfb_free(&t);
}

static void test_putc_draws_font_glyph_24bpp(void **state)
{
	(void)state;
	struct testfb t;
	struct fbcon con;
	testfb_make(&t, 24, 6, 3, 3, 1, 2);
	assert_true(fbcon_init(&con, &t.fb, &fp_console_font));
	assert_int_equal(con.cols, 6);
	assert_int_equal(con.rows, 3);
	assert_screen_blank(&con);
	fbcon_write(&con, "RIP=0\nok");
	assert_row_text(&con, 0, "RIP=0");
	assert_row_text(&con, 1, "ok");
	assert_cell_blank(&con, 5, 0);
	/* 3 bytes per pixel, little-endian B,G,R for x8r8g8b8-style positions */
	const struct psf_font *f = &fp_console_font;
	for (unsigned y = 0; y < f->height; y++)
		for (unsigned x = 0; x < f->width; x++) {
			const uint8_t *p = t.fb.base + (size_t)y * t.fb.pitch + x * 3;
			uint8_t want = glyph_bit('R', x, y) ? 0xff : 0x00;
			assert_int_equal(p[0], want);
			assert_int_equal(p[1], want);
			assert_int_equal(p[2], want);
		}
	assert_padding_untouched(&t);
	testfb_free(&t);
}

static void test_newline_and_carriage_return(void **state)
{
	(void)state;
	struct testfb t;
	struct fbcon con;
	testfb_make(&t, 32, 10, 4, 0, 0, 0);
	assert_true(fbcon_init(&con, &t.fb, &fp_console_font));
	fbcon_write(&con, "abc\ndef");
	assert_int_equal(con.row, 1);
	assert_int_equal(con.col, 3);
	assert_row_text(&con, 0, "abc");
	assert_row_text(&con, 1, "def");
	fbcon_putc(&con, '\r');
	assert_int_equal(con.col, 0);
	assert_int_equal(con.row, 1);
	fbcon_write(&con, "XY");
	assert_row_text(&con, 1, "XYf");
	fbcon_write(&con, "\n\n");
	assert_int_equal(con.row, 3);
	assert_int_equal(con.col, 0);
	testfb_free(&t);
}

static void test_wrap_at_right_edge(void **state)
{
	(void)state;
	struct testfb t;
	struct fbcon con;
	testfb_make(&t, 32, 5, 4, 7, 0, 4);
	assert_true(fbcon_init(&con, &t.fb, &fp_console_font));
	fbcon_write(&con, "01234567");
	assert_row_text(&con, 0, "01234");
	assert_row_text(&con, 1, "567");
	assert_int_equal(con.row, 1);
	assert_int_equal(con.col, 3);
	/* The partial column right of the grid stays background. */
	for (unsigned y = 0; y < 2 * fp_console_font.height; y++)
		for (unsigned x = 5 * fp_console_font.width; x < t.fb.width; x++)
			assert_int_equal(get_pixel(&t.fb, x, y), con.bg);

	/* A line of exactly `cols` characters followed by '\n' does not leave
	 * an empty row behind. */
	fbcon_write(&con, "\nABCDE\nF");
	assert_row_text(&con, 2, "ABCDE");
	assert_row_text(&con, 3, "F");
	assert_int_equal(con.row, 3);
	assert_int_equal(con.col, 1);
	testfb_free(&t);
}

static void test_scroll_moves_rows_up(void **state)
{
	(void)state;
	struct testfb t;
	struct fbcon con;
	testfb_make(&t, 32, 8, 3, 3, 5, 8);
	assert_true(fbcon_init(&con, &t.fb, &fp_console_font));
	fbcon_write(&con, "row0\nrow1 ok\nrow2!");
	assert_int_equal(con.row, 2);
	/* Leftover scan lines below the grid: mark them to check scroll leaves
	 * them alone. */
	unsigned grid_h = con.rows * fp_console_font.height;
	for (unsigned y = grid_h; y < t.fb.height; y++)
		for (unsigned x = 0; x < t.fb.width; x++)
			memset(t.fb.base + (size_t)y * t.fb.pitch + x * 4, 0x77, 4);

	fbcon_putc(&con, '\n');         /* on the last row: scroll */
	assert_int_equal(con.row, 2);
	assert_int_equal(con.col, 0);
	assert_row_text(&con, 0, "row1 ok");
	assert_row_text(&con, 1, "row2!");
	for (unsigned c = 0; c < con.cols; c++) {
		assert_cell_blank(&con, c, 2);
		if (c >= 5)
			assert_cell_blank(&con, c, 1);
	}
	for (unsigned y = grid_h; y < t.fb.height; y++)
		for (unsigned x = 0; x < t.fb.width; x++)
			assert_int_equal(get_pixel(&t.fb, x, y), 0x77777777);

	/* Wrapping off the bottom scrolls too. */
	fbcon_write(&con, "abcdefgh" "ij");
	assert_row_text(&con, 0, "row2!");
	assert_row_text(&con, 1, "abcdefgh");
	assert_row_text(&con, 2, "ij");
	assert_int_equal(con.row, 2);
	assert_int_equal(con.col, 2);

	/* Many lines: only the last rows survive. */
	for (int i = 0; i < 20; i++) {
		char line[8] = "line";
		line[4] = (char)('A' + i);
		line[5] = '\n';
		line[6] = '\0';
		fbcon_write(&con, line);
	}
	assert_row_text(&con, 0, "lineS");
	assert_row_text(&con, 1, "lineT");
	assert_cell_blank(&con, 0, 2);
	assert_padding_untouched(&t);
	testfb_free(&t);
}

static void test_scroll_single_row_and_24bpp(void **state)
{
	(void)state;
	struct testfb t;
	struct fbcon con;
	testfb_make(&t, 24, 4, 1, 1, 0, 1);   /* odd pitch: byte-copy path */
	assert_true(fbcon_init(&con, &t.fb, &fp_console_font));
	fbcon_write(&con, "abcdXY");
	assert_row_text(&con, 0, "XY");
	assert_cell_blank(&con, 2, 0);
	assert_cell_blank(&con, 3, 0);
	testfb_free(&t);

	testfb_make(&t, 24, 4, 3, 0, 0, 3);
	assert_true(fbcon_init(&con, &t.fb, &fp_console_font));
	fbcon_write(&con, "r0\nr1\nr2\nr3");
	assert_row_text(&con, 0, "r1");
	assert_row_text(&con, 1, "r2");
	assert_row_text(&con, 2, "r3");
	assert_padding_untouched(&t);
	testfb_free(&t);
}

static void test_clear(void **state)
{
	(void)state;
	struct testfb t;
	struct fbcon con;
	testfb_make(&t, 32, 6, 3, 2, 3, 0);
	assert_true(fbcon_init(&con, &t.fb, &fp_console_font));
	fbcon_write(&con, "junk\nmore junk");
	con.bg = fbcon_rgb(&con.fb, 0, 0, 0x80);
	fbcon_clear(&con);
	assert_int_equal(con.col, 0);
	assert_int_equal(con.row, 0);
	assert_screen_blank(&con);    /* whole screen, including partial cells */
	fbcon_putc(&con, 'z');
	assert_cell(&con, 0, 0, 'z');
	testfb_free(&t);
}

static void test_tabs_and_unprintable(void **state)
{
	(void)state;
	struct testfb t;
	struct fbcon con;
	testfb_make(&t, 32, 20, 3, 0, 0, 0);
	assert_true(fbcon_init(&con, &t.fb, &fp_console_font));
	fbcon_write(&con, "a\tb");
	assert_int_equal(con.col, 9);
	assert_cell(&con, 0, 0, 'a');
	assert_cell(&con, 8, 0, 'b');
	fbcon_putc(&con, '\t');
	assert_int_equal(con.col, 16);
	fbcon_write(&con, "12345678\t"); /* col 16 -> wrap after 4 chars */
	assert_int_equal(con.row, 1);
	assert_row_text(&con, 1, "5678");
	assert_int_equal(con.col, 8);
	/* Tab overwrites stale text with blanks. */
	fbcon_write(&con, "\rXXXXXXXX\r\tY");
	assert_cell_blank(&con, 0, 1);
	assert_cell_blank(&con, 7, 1);
	assert_cell(&con, 8, 1, 'Y');

	/* Unprintable bytes draw as '?' and still advance. */
	fbcon_write(&con, "\n\x01\x7f\xc3\xa9!");
	assert_int_equal(con.row, 2);
	assert_int_equal(con.col, 5);
	assert_row_text(&con, 2, "????" "!");
	/* Backspace moves left without erasing. */
	fbcon_putc(&con, '\b');
	assert_int_equal(con.col, 4);
	fbcon_putc(&con, 'k');
	assert_row_text(&con, 2, "????" "k");
	testfb_free(&t);
}

/* ------------------------------------------------------------------ colours */

static void test_colour_packing_channel_order(void **state)
{
	(void)state;
	struct framebuffer rgb = { .bpp = 32, .red_pos = 16, .red_size = 8,
				   .green_pos = 8, .green_size = 8,
				   .blue_pos = 0, .blue_size = 8 };
	struct framebuffer bgr = rgb;
	bgr.red_pos = 0;
	bgr.blue_pos = 16;
	assert_int_equal(fbcon_rgb(&rgb, 0xff, 0, 0), 0x00ff0000);
	assert_int_equal(fbcon_rgb(&bgr, 0xff, 0, 0), 0x000000ff);
	assert_int_equal(fbcon_rgb(&rgb, 0x11, 0x22, 0x33), 0x00112233);
	assert_int_equal(fbcon_rgb(&bgr, 0x11, 0x22, 0x33), 0x00332211);
	assert_int_equal(fbcon_rgb(&bgr, 0xff, 0xff, 0xff), 0x00ffffff);

	/* r8g8b8x8 (channels in the top three bytes) */
	struct framebuffer high = rgb;
	high.red_pos = 24;
	high.green_pos = 16;
	high.blue_pos = 8;
	assert_int_equal(fbcon_rgb(&high, 0xff, 0x80, 0x01), 0xff800100u);

	/* Narrower / wider channels scale: 5-6-5 and 10-10-10. */
	struct framebuffer r565 = { .bpp = 32, .red_pos = 11, .red_size = 5,
				    .green_pos = 5, .green_size = 6,
				    .blue_pos = 0, .blue_size = 5 };
	assert_int_equal(fbcon_rgb(&r565, 0xff, 0xff, 0xff), 0xffff);
	assert_int_equal(fbcon_rgb(&r565, 0xff, 0, 0), 0xf800);
	assert_int_equal(fbcon_rgb(&r565, 0, 0xff, 0), 0x07e0);
	struct framebuffer r10 = { .bpp = 32, .red_pos = 20, .red_size = 10,
				   .green_pos = 10, .green_size = 10,
				   .blue_pos = 0, .blue_size = 10 };
	assert_int_equal(fbcon_rgb(&r10, 0xff, 0xff, 0xff), 0x3fffffff);
	assert_int_equal(fbcon_rgb(&r10, 0, 0, 0xff), 0x3ff);
}

/* Drawing red text lands in the right bytes for both channel orders. */
static void test_rendered_bytes_follow_channel_order(void **state)
{
	(void)state;
	for (unsigned bpp = 24; bpp <= 32; bpp += 8) {
		for (int order = 0; order < 2; order++) {
			struct testfb t;
			struct fbcon con;
			testfb_make(&t, bpp, 2, 1, 0, 0, 0);
			if (order) {            /* BGR: red in byte 0 */
				t.fb.red_pos = 0;
				t.fb.blue_pos = 16;
			}
			assert_true(fbcon_init(&con, &t.fb, &fp_console_font));
			con.fg = fbcon_rgb(&con.fb, 0xff, 0x00, 0x00);
			con.bg = fbcon_rgb(&con.fb, 0x00, 0x00, 0x40);
			fbcon_putc(&con, 'M');
			unsigned red_byte = order ? 0 : 2, blue_byte = order ? 2 : 0;
			unsigned bytespp = bpp / 8;
			for (unsigned y = 0; y < fp_console_font.height; y++)
				for (unsigned x = 0; x < fp_console_font.width; x++) {
					const uint8_t *p = t.fb.base + (size_t)y * t.fb.pitch + x * bytespp;
					bool on = glyph_bit('M', x, y);
					assert_int_equal(p[red_byte], on ? 0xff : 0x00);
					assert_int_equal(p[1], 0);
					assert_int_equal(p[blue_byte], on ? 0x00 : 0x40);
				}
			testfb_free(&t);
		}
	}
}

/* ------------------------------------------------------------------ fbfind */

/* Write the framebuffer as a P6 PPM, like QEMU's `screendump`. */
static char *write_ppm(const struct framebuffer *fb)
{
	char tmpl[] = "/tmp/test_fbcon_XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	assert_non_null(f);
	fprintf(f, "P6\n%u %u\n255\n", fb->width, fb->height);
	for (unsigned y = 0; y < fb->height; y++)
		for (unsigned x = 0; x < fb->width; x++) {
			uint32_t v = get_pixel(fb, x, y);
			uint8_t rgb[3] = {
				(uint8_t)(v >> fb->red_pos), (uint8_t)(v >> fb->green_pos),
				(uint8_t)(v >> fb->blue_pos),
			};
			fwrite(rgb, 1, 3, f);
		}
	assert_int_equal(fclose(f), 0);
	char *path = strdup(tmpl);
	assert_non_null(path);
	return path;
}

static void test_fbfind_finds_rendered_text(void **state)
{
	(void)state;
	struct testfb t;
	struct fbcon con;
	testfb_make(&t, 32, 40, 6, 3, 9, 16);
	t.fb.red_pos = 0;               /* BGR, coloured text: yellow on blue */
	t.fb.blue_pos = 16;
	assert_true(fbcon_init(&con, &t.fb, &fp_console_font));
	con.fg = fbcon_rgb(&con.fb, 0xff, 0xd0, 0x20);
	con.bg = fbcon_rgb(&con.fb, 0x10, 0x20, 0x90);
	fbcon_clear(&con);
	fbcon_write(&con, "faultprobe booting\n\n   summary: 12 PASS 0 FAIL\n");

	char *path = write_ppm(&t.fb);
	struct fbf_image img;
	char err[128];
	assert_true(fbf_load_ppm(path, &img, err, sizeof(err)));
	assert_int_equal(img.width, t.fb.width);
	assert_int_equal(img.height, t.fb.height);

	unsigned col = 99, row = 99;
	assert_true(fbf_find_text(&img, &fp_console_font, "summary: 12 PASS 0 FAIL", &col, &row));
	assert_int_equal(col, 3);
	assert_int_equal(row, 2);
	assert_true(fbf_find_text(&img, &fp_console_font, "booting", &col, &row));
	assert_int_equal(col, 11);
	assert_int_equal(row, 0);
	/* Including the blank cells after the text. */
	assert_true(fbf_find_text(&img, &fp_console_font, "0 FAIL  ", &col, &row));
	assert_int_equal(col, 20);
	assert_int_equal(row, 2);

	/* A different string, a one-letter change, and text longer than a row
	 * are not found. */
	assert_false(fbf_find_text(&img, &fp_console_font, "summary: 12 PASS 1 FAIL", &col, &row));
	assert_false(fbf_find_text(&img, &fp_console_font, "Faultprobe", &col, &row));
	assert_false(fbf_find_text(&img, &fp_console_font, "kernel panic", &col, &row));
	assert_false(fbf_find_text(&img, &fp_console_font,
				   "0123456789012345678901234567890123456789X", &col, &row));
	assert_true(fbf_count_non_background(&img) > 0);
	fbf_free(&img);
	unlink(path);
	free(path);

	/* A blank screen has no text and no non-background pixels. */
	fbcon_clear(&con);
	path = write_ppm(&t.fb);
	assert_true(fbf_load_ppm(path, &img, err, sizeof(err)));
	assert_false(fbf_find_text(&img, &fp_console_font, "faultprobe", NULL, NULL));
	assert_int_equal(fbf_count_non_background(&img), 0);
	fbf_free(&img);
	unlink(path);
	free(path);
	testfb_free(&t);
}

/* Off-grid text (shifted by one pixel) does not count: the console only
 * draws on the cell grid. */
static void test_fbfind_grid_only(void **state)
{
	(void)state;
	struct testfb t, shifted;
	struct fbcon con;
	testfb_make(&t, 32, 12, 2, 0, 0, 0);
	testfb_make(&shifted, 32, 12, 2, 0, 0, 0);
	assert_true(fbcon_init(&con, &t.fb, &fp_console_font));
	fbcon_write(&con, "\n OOPS");
	for (unsigned y = 0; y < t.fb.height; y++)
		for (unsigned x = 0; x < t.fb.width; x++) {
			uint32_t v = x > 0 ? get_pixel(&t.fb, x - 1, y) : 0;
			memcpy(shifted.fb.base + (size_t)y * shifted.fb.pitch + x * 4, &v, 4);
		}
	char *p1 = write_ppm(&t.fb), *p2 = write_ppm(&shifted.fb);
	struct fbf_image a, b;
	assert_true(fbf_load_ppm(p1, &a, NULL, 0));
	assert_true(fbf_load_ppm(p2, &b, NULL, 0));
	unsigned col, row;
	assert_true(fbf_find_text(&a, &fp_console_font, "OOPS", &col, &row));
	assert_int_equal(col, 1);
	assert_int_equal(row, 1);
	assert_false(fbf_find_text(&b, &fp_console_font, "OOPS", &col, &row));
	fbf_free(&a);
	fbf_free(&b);
	unlink(p1);
	unlink(p2);
	free(p1);
	free(p2);
	testfb_free(&t);
	testfb_free(&shifted);
}

static void test_fbfind_ppm_parsing(void **state)
{
	(void)state;
	struct fbf_image img;
	char err[128];
	/* Comments, odd whitespace, 16-bit samples. */
	static const uint8_t ok16[] = "P6 # qemu\n2\t1\n# c\n65535\n"
				      "\xff\xff\x00\x00\x80\x00" "\x00\x00\x00\x00\xff\xff";
	assert_true(fbf_parse_ppm(ok16, sizeof(ok16) - 1, &img, err, sizeof(err)));
	assert_int_equal(img.width, 2);
	assert_int_equal(img.height, 1);
	assert_int_equal(img.rgb[0], 0xff);
	assert_int_equal(img.rgb[1], 0x00);
	assert_int_equal(img.rgb[2], 0x80);
	assert_int_equal(img.rgb[5], 0xff);
	fbf_free(&img);

	static const uint8_t trunc[] = "P6\n2 2\n255\n\x01\x02\x03";
	assert_false(fbf_parse_ppm(trunc, sizeof(trunc) - 1, &img, err, sizeof(err)));
	assert_non_null(strstr(err, "truncated"));
	static const uint8_t p5[] = "P5\n1 1\n255\n\x01";
	assert_false(fbf_parse_ppm(p5, sizeof(p5) - 1, &img, err, sizeof(err)));
	static const uint8_t zero[] = "P6\n0 1\n255\n";
	assert_false(fbf_parse_ppm(zero, sizeof(zero) - 1, &img, err, sizeof(err)));
	static const uint8_t nohdr[] = "P6\n4";
	assert_false(fbf_parse_ppm(nohdr, sizeof(nohdr) - 1, &img, err, sizeof(err)));
	assert_false(fbf_load_ppm("/nonexistent/screen.ppm", &img, err, sizeof(err)));
	assert_null(img.rgb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_font_is_psf_console_font),
		cmocka_unit_test(test_init_32bpp_clears_screen),
		cmocka_unit_test(test_unusable_modes_rejected),
		cmocka_unit_test(test_putc_draws_font_glyph_32bpp),
		cmocka_unit_test(test_putc_draws_font_glyph_24bpp),
		cmocka_unit_test(test_newline_and_carriage_return),
		cmocka_unit_test(test_wrap_at_right_edge),
		cmocka_unit_test(test_scroll_moves_rows_up),
		cmocka_unit_test(test_scroll_single_row_and_24bpp),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_tabs_and_unprintable),
		cmocka_unit_test(test_colour_packing_channel_order),
		cmocka_unit_test(test_rendered_bytes_follow_channel_order),
		cmocka_unit_test(test_fbfind_finds_rendered_text),
		cmocka_unit_test(test_fbfind_grid_only),
		cmocka_unit_test(test_fbfind_ppm_parsing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
