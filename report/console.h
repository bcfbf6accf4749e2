/* One output interface for every report: serial (when a UART exists), VGA
 * text (BIOS) or the framebuffer console (UEFI). */
#ifndef FP_CONSOLE_H
#define FP_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/* The screen the boot loader handed over (the multiboot2 framebuffer tag's
 * fields; Multiboot2 spec 3.6.12). */
#define SCREEN_FB_INDEXED  0
#define SCREEN_FB_RGB      1
#define SCREEN_FB_EGA_TEXT 2
struct screen_info {
	bool uefi;                 /* no legacy VGA text without a tag      */
	bool have_fb;
	uint8_t fb_type;           /* SCREEN_FB_*                           */
	uint64_t fb_addr;
	uint32_t fb_pitch, fb_width, fb_height;
	uint8_t fb_bpp;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

void console_init(const struct screen_info *si);
/* Everything: serial and screen. */
void con_write(const char *s);
void con_line(const char *s);              /* adds '\n' */
/* Detail meant for the log (serial) only: per-probe dumps. */
void con_log_line(const char *s);
/* Push out what a log console buffers (before an exit, a halt, a crash). */
void con_flush(void);
/* The virtio console is in use for the log. */
bool console_has_virtio(void);
/* A log console exists (a UART or the virtio console). */
bool console_has_serial(void);
/* A log console stopped taking output: the log is incomplete. */
bool console_lost_output(void);
/* "virtio", "com1", "com1,com2", "0x3e8", "none" into sb. */
struct strbuf;
void console_log_names(struct strbuf *sb);
/* Replace the log consoles (console= boot options): the UARTs at `ports`
 * at `baud`, and the virtio console when `virtio`.  False when one of them
 * did not answer. */
bool console_select(const uint16_t *ports, unsigned n, bool virtio, unsigned baud);
bool console_has_screen(void);
const char *console_screen_kind(void);     /* "vga-text", "framebuffer", "none" */
/* The screen alone (report/summary_screen.c's final page): clear it, write
 * to it without touching serial, and its text grid (0x0 without a screen). */
void con_screen_clear(void);
void con_screen_write(const char *s);
unsigned con_screen_cols(void);
unsigned con_screen_rows(void);

#endif
