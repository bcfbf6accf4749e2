/* 5-level paging: is every page of the kernel present in a set of tables
 * about to be loaded with the paging-off switch (idt/la57_switch.asm)? */
#include "la57.h"
#include "paging.h"

extern char __kernel_start[], __kernel_end[];

/* Is `va` mapped in the tables at `root`? (SDM Vol. 3 4.5, Figure 4-8.) */
static bool walk_present(uint64_t root, unsigned levels, uint64_t va)
{
	const uint64_t *table = (const uint64_t *)(uintptr_t)root;
	for (unsigned level = levels; level >= 1; level--) {
		uint64_t e = table[(va >> (12 + 9 * (level - 1))) & 511];
		if (!(e & PTE_P))
			return false;
		if (level == 1 || (e & PTE_PS))
			return true;
		table = (const uint64_t *)(uintptr_t)(e & 0x000ffffffffff000ull);
	}
	return false;
}

/* The new tables must map every page of the kernel image (code, stacks,
 * GDT/IDT/TSS, the tables themselves) before CR3 may point at them: a hole
 * there would triple-fault inside the switch.  paging_build() stops
 * silently when its pool runs out, so check rather than trust. */
bool la57_tables_cover_kernel(uint64_t root, unsigned levels)
{
	uint64_t ks = (uint64_t)(uintptr_t)__kernel_start & ~0xfffull;
	uint64_t ke = (uint64_t)(uintptr_t)__kernel_end;
	for (uint64_t p = ks; p < ke; p += PAGE_SIZE)
		if (!walk_present(root, levels, p))
			return false;
	return true;
}
