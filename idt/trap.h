/* The one exception path.  Every vector enters idt/isr.asm, which builds a
 * struct exc_frame and calls trap_dispatch().  The trap path knows nothing
 * of what runs above it: the layers above register handlers (the probe
 * executor's fixup, the NMI note) and one fatal hook (the crash report),
 * as XTF registers extable handlers and a weak unhandled-exception hook. */
#ifndef FP_TRAP_H
#define FP_TRAP_H

#include <stdbool.h>
#include "frame.h"

/* Returns true when it handled the exception; the (possibly edited) frame
 * is then resumed with IRETQ. */
typedef bool (*trap_handler_fn)(struct exc_frame *f);
/* Called when no handler took the exception; must not return.  `depth` is
 * 1 for the first fatal exception, 2 or more when the fatal hook itself
 * faulted. */
typedef void (*trap_fatal_fn)(struct exc_frame *f, unsigned depth);

#define TRAP_MAX_HANDLERS 4

/* Handlers are consulted in registration order.  False when full. */
bool trap_add_handler(trap_handler_fn h);
void trap_set_fatal(trap_fatal_fn h);

/* Called by idt/isr.asm for every vector. */
void trap_dispatch(struct exc_frame *f);

#endif
