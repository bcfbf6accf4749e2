/* The input scanner: raw bytes -> clean lines.  Whatever the user pasted
 * (dmesg, journalctl -k, kdump's vmcore-dmesg.txt, a serial capture, a
 * quoted mail), each line comes out without the decoration around the
 * kernel's text: CR, mail quote markers ("> "), quoted-printable soft
 * breaks and escapes, "<4>" log levels, "[ 9016.879381]" timestamps and
 * "[ T1675]" caller ids, "Mon DD HH:MM:SS host kernel: " syslog prefixes,
 * leading blanks.  Lines folded by mail are joined back where the kernel's
 * format makes the fold certain: a register label with its value on the
 * next line ("RCX:" / "0000000000000001"), and a Code: line continued by
 * lines of bare hex bytes.  Control characters and NULs become blanks and
 * every line is capped, so nothing downstream sees binary data. */
#ifndef FX_TEXT_H
#define FX_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#define FX_LINE_MAX 4096        /* longer lines are cut (and counted) */

struct fx_line {
	char *s;                /* normalized, NUL-terminated              */
	unsigned no;            /* 1-based number of the first raw line    */
};

struct fx_text {
	struct fx_line *v;
	size_t n;
	size_t nul_bytes;       /* NULs seen in the input (binary data)    */
	size_t cut_lines;       /* lines longer than FX_LINE_MAX           */
	bool quoted_printable;  /* QP soft breaks and =XX escapes undone   */
};

/* Split and normalize `len` bytes.  Returns false only when memory runs
 * out; `t` is then empty. */
bool fx_text_load(const char *data, size_t len, struct fx_text *t);
void fx_text_free(struct fx_text *t);

/* The prefix stripping alone (exposed for the unit tests): returns a
 * pointer into `s` past every recognised prefix. */
const char *fx_strip_prefixes(const char *s);

#endif
