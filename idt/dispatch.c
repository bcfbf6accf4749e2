/* Every vector lands here.  A fault that a running probe declared in the
 * fixup table is recorded and resumed; anything else is a crash: dump,
 * FAIL summary, exit.  Never a silent reset, never a hang. */
#include "frame.h"
#include "../probes/probe.h"
#include "../report/report.h"
#include "../report/exit.h"
#include "../probes/model/vectors.h"

void exception_dispatch(struct exc_frame *f)
{
	static int depth;

	if (probe_handle_fault(f))
		return;
	if (f->vector == VEC_NMI) {
		/* Real machines deliver NMIs (watchdogs, IPIs from firmware);
		 * one is reported, not treated as a crash.  It runs on IST2, so
		 * returning is safe whatever the interrupted code was doing. */
		report_note("faultprobe: NMI received and ignored");
		return;
	}
	if (depth++ > 0) {
		/* A fault while reporting a crash: give up quietly but visibly. */
		report_note("faultprobe: fault inside the crash report");
		fp_exit(EXIT_CRASH);
	}
	report_crash(f);
}
