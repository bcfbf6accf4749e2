#include "console.h"
#include "serial.h"
#include "vga.h"
#include "fbcon.h"
#include "../probes/model/fmt.h"

enum screen_kind { SCREEN_NONE, SCREEN_VGA, SCREEN_FB };
static enum screen_kind screen;
static struct fbcon fbcon;
static bool fb_unusable_note;

void console_init(const struct screen_info *mb)
{
	serial_init();
	if (mb->have_fb && mb->fb_type == SCREEN_FB_EGA_TEXT) {
		vga_init(mb->fb_addr, mb->fb_width, mb->fb_height);
		screen = SCREEN_VGA;
	} else if (mb->have_fb && mb->fb_type == SCREEN_FB_RGB) {
		struct framebuffer fb = {
			.base = (uint8_t *)(uintptr_t)mb->fb_addr,
			.pitch = mb->fb_pitch, .width = mb->fb_width, .height = mb->fb_height,
			.bpp = mb->fb_bpp,
			.red_pos = mb->red_pos, .red_size = mb->red_size,
			.green_pos = mb->green_pos, .green_size = mb->green_size,
			.blue_pos = mb->blue_pos, .blue_size = mb->blue_size,
		};
		if (fbcon_init(&fbcon, &fb, &fp_console_font))
			screen = SCREEN_FB;
		else
			fb_unusable_note = true;
	} else if (!mb->have_fb && !mb->uefi) {
		/* BIOS boot without a framebuffer tag: classic VGA text. */
		vga_init(0xB8000, 80, 25);
		screen = SCREEN_VGA;
	}
	if (fb_unusable_note) {
		char buf[160];
		struct strbuf sb;
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "console: framebuffer unusable (bpp=");
		sb_dec(&sb, mb->fb_bpp);
		sb_puts(&sb, " type=");
		sb_dec(&sb, mb->fb_type);
		sb_puts(&sb, "); 24/32 bpp RGB only; continuing on serial\n");
		serial_write(buf);
	}
}

static void screen_write(const char *s)
{
	if (screen == SCREEN_VGA)
		vga_write(s);
	else if (screen == SCREEN_FB)
		fbcon_write(&fbcon, s);
}

void con_write(const char *s)
{
	serial_write(s);
	screen_write(s);
}

void con_line(const char *s)
{
	con_write(s);
	con_write("\n");
}

void con_log_line(const char *s)
{
	if (serial_present()) {
		serial_write(s);
		serial_write("\n");
	}
}

bool console_has_serial(void)
{
	return serial_present();
}

bool console_has_screen(void)
{
	return screen != SCREEN_NONE;
}

const char *console_screen_kind(void)
{
	return screen == SCREEN_VGA ? "vga-text" : screen == SCREEN_FB ? "framebuffer" : "none";
}

void con_screen_clear(void)
{
	if (screen == SCREEN_VGA)
		vga_clear();
	else if (screen == SCREEN_FB)
		fbcon_clear(&fbcon);
}

void con_screen_write(const char *s)
{
	screen_write(s);
}

unsigned con_screen_cols(void)
{
	return screen == SCREEN_VGA ? vga_cols() : screen == SCREEN_FB ? fbcon.cols : 0;
}

unsigned con_screen_rows(void)
{
	return screen == SCREEN_VGA ? vga_rows() : screen == SCREEN_FB ? fbcon.rows : 0;
}
