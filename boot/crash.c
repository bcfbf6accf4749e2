/* Registered with the trap path by kmain: what happens to an exception no
 * probe expected.  Never a silent reset, never a hang. */
#include "crash.h"
#include "../idt/gdt.h"
#include "../idt/paging.h"
#include "../idt/trap.h"
#include "../probes/exec.h"
#include "../probes/model/vectors.h"
#include "../report/report.h"

/* Real machines deliver NMIs (watchdogs, IPIs from firmware); one is
 * reported, not treated as a crash.  It runs on IST2, so returning is safe
 * whatever the interrupted code was doing. */
static bool nmi_note(struct exc_frame *f)
{
	if (f->vector != VEC_NMI)
		return false;
	report_note("faultprobe: NMI received and ignored");
	return true;
}

static void fatal(struct exc_frame *f, unsigned depth)
{
	uint8_t code[8];
	uint64_t words[5];
	unsigned nwords = 0;
	struct page_info pi;

	if (depth > 1)
		/* A fault while reporting a crash: give up quietly but visibly. */
		report_crash_nested();
	for (; nwords < 5; nwords++) {
		uint64_t a = (uint64_t)(uintptr_t)&f->rip + 8 * nwords;
		paging_query(0, a, &pi);
		if (pi.state != PAGE_PRESENT)
			break;
		words[nwords] = *(const uint64_t *)(uintptr_t)a;
	}
	struct oops_info o = {
		.f = f,
		.frame_addr = (uint64_t)(uintptr_t)&f->rip,
		.words = words,
		.nwords = nwords,
		.hw_error_code = vector_has_error_code((int)f->vector),
		.code = code,
		.code_len = paging_read_mapped(f->rip, code, 8),
		.cr2_sentinel = CR2_SENTINEL,
		.stack = stack_name_of((uint64_t)(uintptr_t)&f->rip),
	};
	report_crash(&o);
}

void crash_init(void)
{
	trap_add_handler(nmi_note);
	trap_set_fatal(fatal);
}
