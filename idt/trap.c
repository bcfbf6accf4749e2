/* Every vector lands here (idt/trap.h).  A registered handler may take it
 * and resume; anything else goes to the fatal hook.  Never a silent reset,
 * never a hang: without a fatal hook the CPU halts. */
#include "trap.h"
#include "cpu.h"

struct trap_fast_fixup trap_fast;

_Static_assert(__builtin_offsetof(struct trap_fast_fixup, expect_rip) == 8, "TF_EXPECT in idt/isr.asm");
_Static_assert(__builtin_offsetof(struct trap_fast_fixup, frame_addr) == 112,
	       "TF_FRAME_ADDR in idt/isr.asm");

static trap_handler_fn handlers[TRAP_MAX_HANDLERS];
static unsigned nhandlers;
static trap_fatal_fn fatal;

bool trap_add_handler(trap_handler_fn h)
{
	if (nhandlers >= TRAP_MAX_HANDLERS)
		return false;
	handlers[nhandlers++] = h;
	return true;
}

void trap_set_fatal(trap_fatal_fn h)
{
	fatal = h;
}

void trap_dispatch(struct exc_frame *f)
{
	static unsigned depth;

	for (unsigned i = 0; i < nhandlers; i++)
		if (handlers[i](f))
			return;
	depth++;
	if (fatal)
		fatal(f, depth);
	halt_forever();
}
