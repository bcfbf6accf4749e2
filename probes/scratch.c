#include "scratch.h"
#include "../idt/paging.h"

static uint8_t pages[SCRATCH_PAGES][4096] __attribute__((aligned(4096)));
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

static uint64_t backing(int i)
{
	return (uint64_t)(uintptr_t)pages[i];
}

void *scratch_map(uint64_t va, uint64_t flags)
{
	va &= ~0xfffull;
	if (find(va) >= 0)
		return 0;
	for (int i = 0; i < SCRATCH_PAGES; i++) {
		if (slot[i].used)
			continue;
		volatile uint8_t *p = pages[i];
		for (unsigned k = 0; k < 4096; k++)
			p[k] = 0;
		if (!paging_set_pte(va, backing(i) | flags | PTE_P))
			return 0;
		slot[i].used = true;
		slot[i].va = va;
		return pages[i];
	}
	return 0;
}

bool scratch_protect(uint64_t va, uint64_t flags)
{
	int i = find(va);
	return i >= 0 && paging_set_pte(va & ~0xfffull, backing(i) | flags);
}

void scratch_unmap(uint64_t va)
{
	int i = find(va);
	if (i < 0)
		return;
	paging_set_pte(va & ~0xfffull, 0);
	slot[i].used = false;
}

bool scratch_contains(uint64_t va)
{
	return find(va) >= 0;
}
