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

#endif
