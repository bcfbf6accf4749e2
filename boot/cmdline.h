/* Boot options from the multiboot2 command line (grub.cfg, or
 * `make iso CMDLINE='...'`).  Plain C with no kernel dependencies: the
 * kernel, the host unit tests and the host fuzzer all compile it.
 *
 * Grammar: options separated by spaces (one or more); each is `key` or
 * `key=value`.  Unknown keys and malformed values are reported through the
 * error callback with one line naming the offending text and the accepted
 * forms, and the option is ignored (the defaults stand).  The parser never
 * reads past the terminating NUL nor past `len` bytes, never writes outside
 * *out and never loops forever.
 */
#ifndef FP_CMDLINE_H
#define FP_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../probes/options.h"

typedef void (*cmdline_error_fn)(void *ctx, const char *line);

/* The longest command line the kernel takes, in bytes (GRUB passes any
 * length).  A longer one is refused whole: no word of it is acted on, and
 * the kernel runs as with sets=none (header, the error line, done). */
#define CMDLINE_MAX 4095

/* The line for the log header, `cmdline="TEXT"`: TEXT is the line with `"`
 * and `\` escaped by a backslash and bytes outside printable ASCII as \xNN,
 * cut after `max_shown` bytes of the line with `..." (N bytes)`. */
struct strbuf;
void cmdline_echo(struct strbuf *sb, const char *cmdline, size_t len, size_t max_shown);

/* The error line for a line over CMDLINE_MAX bytes (`total` bytes long). */
void cmdline_too_long(size_t total, cmdline_error_fn on_error, void *ctx);

void options_default(struct options *out);

/* Parses at most `len` bytes of `cmdline` (stops early at NUL).  Fills *out
 * (starting from the defaults).  Returns the number of errors reported. */
unsigned cmdline_parse(const char *cmdline, size_t len, struct options *out,
		       cmdline_error_fn on_error, void *ctx);

#endif
