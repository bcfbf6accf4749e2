/* One output interface for every report: serial (when a UART exists), VGA
 * text (BIOS) or the framebuffer console (UEFI). */
#ifndef FP_CONSOLE_H
#define FP_CONSOLE_H

#include <stdbool.h>

struct mb2_info;
void console_init(const struct mb2_info *mb);
/* Everything: serial and screen. */
void con_write(const char *s);
void con_line(const char *s);              /* adds '\n' */
/* Detail meant for the log (serial) only: per-probe dumps. */
void con_log_line(const char *s);
bool console_has_serial(void);
bool console_has_screen(void);
const char *console_screen_kind(void);     /* "vga-text", "framebuffer", "none" */
/* The screen alone (report/summary_screen.c's final page): clear it, write
 * to it without touching serial, and its text grid (0x0 without a screen). */
void con_screen_clear(void);
void con_screen_write(const char *s);
unsigned con_screen_cols(void);
unsigned con_screen_rows(void);

#endif
