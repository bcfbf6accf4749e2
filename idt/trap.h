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

/* The fast fixup: one expected fault, resolved in idt/isr.asm before any
 * register is saved or any C runs.  The layer above arms it with the
 * faulting instruction it expects and where to resume; a fault of any
 * vector but NMI and #MC at exactly that RIP is copied here (the hardware
 * frame but its RIP, which is expect_rip; the error code, the handler's SS;
 * not CR2, which nothing changes before the layer above reads it after the
 * resume) and resumed at resume_rip on the RSP stored at resume_rsp_at, in
 * ring 0, with IF and DF clear, SS the
 * kernel's and every register but the arithmetic flags as at the fault: by
 * a jump, not IRETQ (the handler already runs in ring 0; isr.asm says why
 * that is enough).  Anything else takes the full path (handlers, fatal
 * hook).  Offsets shared with idt/isr.asm. */
struct trap_fast_fixup {
	uint64_t unused;           /*  0                                     */
	uint64_t expect_rip;       /*  8: 0 = disarmed (cleared when taken)  */
	uint64_t resume_rip;       /* 16                                     */
	uint64_t resume_rsp_at;    /* 24: where the resume RSP is stored (the
	                              stub saves it there as it starts)     */
	uint64_t unused_hit;       /* 32                                     */
	uint64_t vector;           /* 40 */
	uint64_t error_code;       /* 48: 0 where the CPU pushes none        */
	uint64_t unused_rip;       /* 56: the RIP is expect_rip              */
	uint64_t cs, rflags, rsp, ss;        /* 64..88: the hardware frame    */
	uint64_t unused_cr2;       /* 96: CR2 is read after the resume        */
	uint64_t handler_ss;       /* 104 */
	uint64_t frame_addr;       /* 112: where the RIP slot was; non-zero
	                              once the fixup was taken (the layer above
	                              clears it when it arms)               */
};
extern struct trap_fast_fixup trap_fast;

/* Handlers are consulted in registration order.  False when full. */
bool trap_add_handler(trap_handler_fn h);
void trap_set_fatal(trap_fatal_fn h);

/* Called by idt/isr.asm for every vector. */
void trap_dispatch(struct exc_frame *f);

#endif
