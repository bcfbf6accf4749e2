/* An oops-style dump of one exception, in the shape kernel engineers read
 * every day (title with error code and count, RIP/RSP lines with selectors,
 * registers three per line, code bytes), followed by the raw stack slots
 * of the hardware frame labelled the way one labels `crash> bt -f` output
 * by hand: [err] [ip] [cs] [rflags] [sp] [ss], alignment pad included.
 * Portable: host unit tests cover it. */
#ifndef FP_OOPS_H
#define FP_OOPS_H

#include <stdbool.h>
#include <stdint.h>
#include "../idt/frame.h"

typedef void (*line_sink_fn)(void *ctx, const char *line);

struct oops_info {
	const struct exc_frame *f;
	unsigned seq;               /* [#N]                                  */
	uint64_t frame_addr;        /* where the RIP slot was on the stack   */
	const uint64_t *words;      /* raw stack qwords from frame_addr up   */
	unsigned nwords;
	uint64_t pre_rsp;           /* RSP before the fault (0: unknown)     */
	bool hw_error_code;         /* the CPU pushed the error code slot    */
	const uint8_t *code;        /* bytes at RIP, or NULL                 */
	unsigned code_len;
	uint64_t cr2_sentinel;      /* CR2 written before the probe          */
	const char *stack;          /* "cur", "ist4", ...                    */
};

void oops_format(const struct oops_info *o, line_sink_fn sink, void *ctx);

#endif
