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

void options_default(struct options *out);

/* Parses at most `len` bytes of `cmdline` (stops early at NUL).  Fills *out
 * (starting from the defaults).  Returns the number of errors reported. */
unsigned cmdline_parse(const char *cmdline, size_t len, struct options *out,
		       cmdline_error_fn on_error, void *ctx);

#endif
