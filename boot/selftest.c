/* selftest=crash|df: break the kernel on purpose so the test suite can prove
 * that an unexpected exception ends in an oops, a FAIL summary and QEMU
 * status 37 — never a silent reset or a hang. */
#include "../probes/options.h"
#include "../report/report.h"

void run_selftest(enum selftest which);

void run_selftest(enum selftest which)
{
	if (which == SELFTEST_CRASH) {
		report_note("selftest: executing ud2 outside any probe (expect a #UD oops)");
		__asm__ volatile("ud2");
	} else if (which == SELFTEST_DF) {
		/* A push with a non-canonical RSP faults (#SS, SDM Vol. 3 6.15
		 * int 12); delivering that fault needs the same broken stack
		 * (#SS has no IST outside probes), so the CPU raises #DF, which
		 * runs on IST1 (SDM Vol. 3 6.15 int 8, 6.14.5). */
		report_note("selftest: push with RSP=0x8000000000000000 (expect a #DF oops on ist1)");
		__asm__ volatile("mov $0x8000000000000000, %%rsp\n\tpush %%rax" ::: "memory");
	}
}
