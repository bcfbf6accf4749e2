#include "console.h"
#include "serial.h"
#include "vga.h"
#include "fbcon.h"
#include "virtio_console.h"
#include "../probes/model/fmt.h"

enum screen_kind { SCREEN_NONE, SCREEN_VGA, SCREEN_FB };
static bool console_had_virtio;
static enum screen_kind screen;
static struct fbcon fbcon;
static const char *fb_unusable_why;   /* fbcon_unusable_why(), or NULL */

static void log_write(const char *s, size_t n)
{
	if (virtio_console_present())
		virtio_console_write(s, n);
	serial_write(s, n);
}

/* The log's consoles: QEMU's virtio console when one is attached (a
 * buffer per line instead of a host write per byte), else COM1.  A
 * console= boot option replaces this choice (console_select). */
static void default_log(void)
{
	if (!virtio_console_init())
		serial_add(SERIAL_COM1, 115200);
}

void console_init(const struct screen_info *mb)
{
	default_log();
	console_had_virtio = virtio_console_present();
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
			fb_unusable_why = fbcon_unusable_why(&fb, &fp_console_font);
	} else if (!mb->have_fb && !mb->uefi && vga_present()) {
		/* BIOS boot without a framebuffer tag: classic VGA text, when a
		 * VGA answers (QEMU -vga none has none). */
		vga_init(0xB8000, 80, 25);
		screen = SCREEN_VGA;
	}
	if (fb_unusable_why) {
		char buf[200];
		struct strbuf sb;
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "console: framebuffer unusable (");
		sb_dec(&sb, mb->fb_width);
		sb_putc(&sb, 'x');
		sb_dec(&sb, mb->fb_height);
		sb_putc(&sb, 'x');
		sb_dec(&sb, mb->fb_bpp);
		sb_puts(&sb, " type=");
		sb_dec(&sb, mb->fb_type);
		sb_puts(&sb, " at 0x");
		sb_hex(&sb, mb->fb_addr, 16);
		sb_puts(&sb, "): ");
		sb_puts(&sb, fb_unusable_why);
		sb_puts(&sb, "; continuing on serial\n");
		log_write(buf, sb.len);
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
	log_write(s, fp_strlen(s));
	screen_write(s);
}


/* One write per line: the line and its newline in one buffer (one virtio
 * notification, one host write). */
static void log_line(const char *s)
{
	char buf[1024];
	size_t n = fp_strlen(s);
	if (n + 1 <= sizeof(buf)) {
		for (size_t i = 0; i < n; i++)
			buf[i] = s[i];
		buf[n] = '\n';
		log_write(buf, n + 1);
	} else {
		log_write(s, n);
		log_write("\n", 1);
	}
}

/* Records may wait in the virtio console's buffer; anything a person
 * reads (notes, banners, the summary, a crash) flushes it, so a hang
 * loses at most the records since the last note. */
void con_flush(void)
{
	virtio_console_flush();
}

void con_line(const char *s)
{
	log_line(s);
	con_flush();
	screen_write(s);
	screen_write("\n");
}

void con_log_line(const char *s)
{
	log_line(s);
}

bool console_has_virtio(void)
{
	return virtio_console_present();
}

bool console_has_serial(void)
{
	return serial_count() || virtio_console_present();
}

bool console_lost_output(void)
{
	return serial_lost_output() || (console_had_virtio && !virtio_console_present());
}

void console_log_names(struct strbuf *sb)
{
	bool any = false;
	if (virtio_console_present()) {
		sb_puts(sb, "virtio");
		any = true;
	}
	for (unsigned i = 0; i < SERIAL_MAX; i++) {
		uint16_t p = serial_port(i);
		if (!p)
			break;
		if (any)
			sb_putc(sb, ',');
		if (p == SERIAL_COM1)
			sb_puts(sb, "com1");
		else if (p == SERIAL_COM2)
			sb_puts(sb, "com2");
		else
			sb_hexmin(sb, p);
		any = true;
	}
	if (!any)
		sb_puts(sb, "none");
}

bool console_select(const uint16_t *ports, unsigned n, bool virtio, unsigned baud)
{
	bool all = true;
	serial_clear();
	if (!virtio)
		virtio_console_disable();
	else if (!virtio_console_present())
		all = virtio_console_init() && all;
	for (unsigned i = 0; i < n; i++)
		all = serial_add(ports[i], baud) && all;
	console_had_virtio = virtio_console_present();
	return all;
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
