/* report/console.h for faultprobe-user: records and notes go to stdout, the
 * human table (con_write) to stderr unless `quiet`; there is no screen. */
#include <stdio.h>

#include "user.h"
#include "../../report/console.h"
#include "../../probes/model/fmt.h"

static bool table;

void user_console_init(bool t)
{
	table = t;
	setvbuf(stdout, NULL, _IOLBF, 0);
}

void console_init(const struct screen_info *si)
{
	(void)si;
}

void con_write(const char *s)
{
	if (table)
		fputs(s, stderr);
}

void con_line(const char *s)
{
	puts(s);
}

void con_log_line(const char *s)
{
	puts(s);
}

void con_flush(void)
{
	fflush(stdout);
}

bool console_has_serial(void) { return false; }
bool console_has_virtio(void) { return false; }
/* stdout's write errors are the exit status's business (exit_user.c) */
bool console_lost_output(void) { return false; }
void console_log_names(struct strbuf *sb) { sb_puts(sb, "stdout"); }
bool console_select(const uint16_t *ports, unsigned n, bool virtio, unsigned baud)
{
	(void)ports; (void)n; (void)virtio; (void)baud;
	return true;
}
bool console_has_screen(void) { return false; }
const char *console_screen_kind(void) { return "none"; }
void con_screen_clear(void) { }
void con_screen_write(const char *s) { (void)s; }
unsigned con_screen_cols(void) { return 0; }
unsigned con_screen_rows(void) { return 0; }
