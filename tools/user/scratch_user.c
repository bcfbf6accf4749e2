/* Scratch pages for faultprobe-user (probes/scratch.h): anonymous private
 * pages at the address a family asks for, mapped only where nothing is
 * (MAP_FIXED_NOREPLACE, Linux 4.17; an older kernel takes the address as a
 * hint, so a mapping elsewhere is undone and refused).  The environment's
 * safety rule (env_user.c user_unsafe) lets probes touch these pages and no
 * other page of the process.  Leaf-entry flags are the kernel's PTE bits
 * (idt/paging.h): W gives PROT_WRITE, NX takes PROT_EXEC away; U is
 * implied (every page here is a user page); other bits (reserved bits,
 * protection keys) cannot be asked of mmap, so such a request fails. */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/mman.h>

#include "../../idt/paging.h"
#include "../../probes/scratch.h"

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
	int prot = PROT_READ;
	if (flags & PTE_W)
		prot |= PROT_WRITE;
	if (!(flags & PTE_NX))
		prot |= PROT_EXEC;
	return prot;
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
		if ((uint64_t)(uintptr_t)p != va) {
			munmap(p, 4096);
			return 0;
		}
		slot[i].used = true;
		slot[i].va = va;
		return p;      /* zero-filled by mmap */
	}
	return 0;
}

bool scratch_protect(uint64_t va, uint64_t flags)
{
	int i = find(va);
	if (i < 0 || !flags_ok(flags))
		return false;
	int prot = (flags & PTE_P) ? prot_of(flags) : PROT_NONE;
	return mprotect((void *)(uintptr_t)slot[i].va, 4096, prot) == 0;
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
