/* The switch into and out of 5-level paging for the probe families
 * (la57_mode.h).  With CR4.LA57 = 1 a linear address is canonical when
 * bits 63:57 equal bit 56 (SDM Vol. 1 3.3.7.1, Vol. 3 4.5). */
#include "la57_mode.h"
#include "../../idt/cpu.h"
#include "../../idt/cpuinfo.h"
#include "../../idt/la57.h"
#include "../../idt/paging.h"

static enum la57_state skip(struct la57_mode *m, const char *why, const char *key)
{
	m->why = why;
	m->reason_key = key;
	return LA57_SKIPPED;
}

enum la57_state la57_mode_enter(struct la57_mode *m)
{
	struct cpu_fingerprint cpu;

	cpu_fingerprint_read(&cpu);
	if (!cpu.la57)
		return skip(m, "CPUID.7.0:ECX[16]=0: this CPU has no 5-level paging", "no-cpuid-la57");
	m->old_cr3 = read_cr3();
	m->old_cr4 = read_cr4();
	m->old_levels = paging_levels();
	if (m->old_cr4 & CR4_LA57)
		return skip(m, "already in 5-level paging", "already-la57");
	if (m->old_cr4 & CR4_PCIDE)
		/* MOV to CR0 clearing PG with CR4.PCIDE = 1 is #GP (SDM Vol. 2 MOV CR). */
		return skip(m, "CR4.PCIDE=1: paging cannot be turned off to change CR4.LA57", "pcide");
	m->root = paging_build(5);
	if (!m->root || m->root >= (1ull << 32) || (m->old_cr3 >> 32) ||
	    !la57_tables_cover_kernel(m->root, 5))
		return skip(m, "could not build 5-level tables below 4 GiB that map the whole kernel", "tables");

	la57_switch((uint32_t)m->root, (uint32_t)(m->old_cr4 | CR4_LA57));
	if (!(read_cr4() & CR4_LA57))
		return LA57_FAILED;
	paging_set_active(m->root, 5);
	return LA57_ON;
}

bool la57_mode_leave(const struct la57_mode *m)
{
	la57_switch((uint32_t)m->old_cr3, (uint32_t)m->old_cr4);
	paging_set_active(m->old_cr3, m->old_levels);
	return !(read_cr4() & CR4_LA57);
}
