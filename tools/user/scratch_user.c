/* probes/scratch.h for faultprobe-user: a scratch page is an anonymous
 * mapping at the address a family asks for, made with MAP_FIXED_NOREPLACE
 * so it never replaces anything the process has (mmap(2): "fails with
 * EEXIST" if the range collides).  Leaf-entry flags map onto protections:
 * PTE_W -> PROT_WRITE, PTE_NX -> no PROT_EXEC, PTE_U is implied (all of it
 * is user memory); other bits (reserved bits, protection keys) cannot be
 * asked of mmap, so such a request fails.  env_user.c's safety rule lets
 * probes touch these pages and no other existing page. */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <string.h>

#include "../../probes/scratch.h"
#include "../../idt/paging.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static struct {
	bool used;
	uint64_t va;
} slot[SCRATCH_PAGES];

static int find(uint64_t va)
{
	va &= ~0xfffull;
	for (int i = 0; i < SCRATCH_PAGES; i++)
		if (slot[i].used && slot[i].va == va)
			return i;
	return -1;
}

static int prot_of(uint64_t flags)
{
	return PROT_READ | (flags & PTE_W ? PROT_WRITE : 0) | (flags & PTE_NX ? 0 : PROT_EXEC);
}

static bool flags_ok(uint64_t flags)
{
	return !(flags & ~(PTE_P | PTE_W | PTE_U | PTE_NX));
}

void *scratch_map(uint64_t va, uint64_t flags)
{
	va &= ~0xfffull;
	if (find(va) >= 0 || !flags_ok(flags))
		return 0;
	for (int i = 0; i < SCRATCH_PAGES; i++) {
		if (slot[i].used)
			continue;
		void *p = mmap((void *)(uintptr_t)va, 4096, prot_of(flags),
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == MAP_FAILED)
			return 0;
		if ((uint64_t)(uintptr_t)p != va) {   /* a kernel without NOREPLACE */
			munmap(p, 4096);
			return 0;
		}
		slot[i].used = true;
		slot[i].va = va;
		/* filled through the same address (needs PROT_WRITE to fill:
		 * families fill before scratch_protect makes a page read-only) */
		return p;
	}
	return 0;
}

bool scratch_protect(uint64_t va, uint64_t flags)
{
	int i = find(va);
	return i >= 0 && flags_ok(flags) && (flags & PTE_P) &&
	       mprotect((void *)(uintptr_t)(va & ~0xfffull), 4096, prot_of(flags)) == 0;
}

void scratch_unmap(uint64_t va)
{
	int i = find(va);
	if (i < 0)
		return;
	munmap((void *)(uintptr_t)slot[i].va, 4096);
	slot[i].used = false;
}

bool scratch_contains(uint64_t va)
{
	return find(va) >= 0;
}
