/* Running probes under 5-level paging: the switch to fresh 5-level tables
 * and back (idt/la57_switch.asm does the paging-off window).  Shared by the
 * la57 family and the la57ops family. */
#ifndef FP_LA57_MODE_H
#define FP_LA57_MODE_H

#include <stdbool.h>
#include <stdint.h>

enum la57_state { LA57_ON, LA57_SKIPPED, LA57_FAILED };

struct la57_mode {
	uint64_t old_cr3, old_cr4, root;
	unsigned old_levels;
	const char *why;           /* LA57_SKIPPED: for the note            */
	const char *reason_key;    /* LA57_SKIPPED: for the record           */
};

/* Build 5-level tables mapping the kernel, switch to them (CR4.LA57 = 1)
 * and make them the live tables (paging_set_active).  LA57_SKIPPED with
 * why/reason_key when the CPU or the state does not allow it (nothing
 * changed), LA57_FAILED when CR4.LA57 did not stick after the switch. */
enum la57_state la57_mode_enter(struct la57_mode *m);
/* Back to the 4-level tables and CR4 it came from (not rebuilt: what other
 * sets mapped into them stays).  True when CR4.LA57 is 0 again. */
bool la57_mode_leave(const struct la57_mode *m);

#endif
