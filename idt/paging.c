#include "paging.h"
#include "cpu.h"

extern char __kernel_start[], __kernel_end[];

#define POOL_PAGES 192
static uint64_t pool[POOL_PAGES][512] __attribute__((aligned(4096)));
static unsigned pool_used;
static struct map_region regions[PAGING_MAX_REGIONS];
static unsigned nregions;
static uint64_t active_root;
static unsigned active_levels = 4;

static uint64_t *alloc_table(void)
{
	if (pool_used >= POOL_PAGES)
		return 0;
	uint64_t *t = pool[pool_used++];
	for (int i = 0; i < 512; i++)
		t[i] = 0;
	return t;
}

/* Index of `va` in the table at `level` (1 = page table ... 5 = PML5),
 * SDM Vol. 3 4.5, Figure 4-8/4-9. */
static unsigned table_index(uint64_t va, unsigned level)
{
	return (va >> (12 + 9 * (level - 1))) & 511;
}

static void map_page(uint64_t root, unsigned levels, uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *table = (uint64_t *)(uintptr_t)root;
	for (unsigned level = levels; level > 1; level--) {
		uint64_t *e = &table[table_index(va, level)];
		if (!(*e & PTE_P)) {
			uint64_t *next = alloc_table();
			if (!next)
				return;
			*e = (uint64_t)(uintptr_t)next | PTE_P | PTE_W | (flags & PTE_U);
		} else if (flags & PTE_U) {
			*e |= PTE_U;
		}
		table = (uint64_t *)(uintptr_t)(*e & 0x000ffffffffff000ull);
	}
	uint64_t *pte = &table[table_index(va, 1)];
	if (*pte & PTE_P)
		*pte |= flags & (PTE_W | PTE_U);   /* two users of one page: keep both rights */
	else
		*pte = (pa & ~0xfffull) | flags | PTE_P;
}

static void map_range(uint64_t root, unsigned levels, uint64_t va, uint64_t pa,
		      uint64_t len, uint64_t flags)
{
	uint64_t start = va & ~0xfffull;
	uint64_t end = (va + len + 0xfff) & ~0xfffull;
	pa &= ~0xfffull;
	for (uint64_t p = start; p < end; p += PAGE_SIZE, pa += PAGE_SIZE)
		map_page(root, levels, p, pa, flags);
}

uint64_t paging_build(unsigned levels)
{
	uint64_t *root = alloc_table();
	uint64_t r = (uint64_t)(uintptr_t)root;
	uint64_t ks = (uint64_t)(uintptr_t)__kernel_start;
	uint64_t ke = (uint64_t)(uintptr_t)__kernel_end;

	if (!root)
		return 0;
	map_range(r, levels, ks, ks, ke - ks, PTE_W);
	for (unsigned i = 0; i < nregions; i++)
		map_range(r, levels, regions[i].start, regions[i].start, regions[i].len,
			  regions[i].flags);
	return r;
}

void paging_set_active(uint64_t root, unsigned levels)
{
	active_root = root;
	active_levels = levels;
}

void paging_init(const struct map_region *r, unsigned n)
{
	for (nregions = 0; nregions < n && nregions < PAGING_MAX_REGIONS; nregions++)
		regions[nregions] = r[nregions];
	uint64_t root = paging_build(4);
	write_cr3(root);
	paging_set_active(root, 4);
}

/* The leaf entry slot for va, creating tables on the way when `create`. */
static uint64_t *leaf_slot(uint64_t va, bool create, bool user)
{
	uint64_t *table = (uint64_t *)(uintptr_t)active_root;
	for (unsigned level = active_levels; level > 1; level--) {
		uint64_t *e = &table[table_index(va, level)];
		if (!(*e & PTE_P)) {
			if (!create)
				return 0;
			uint64_t *next = alloc_table();
			if (!next)
				return 0;
			*e = (uint64_t)(uintptr_t)next | PTE_P | PTE_W | (user ? PTE_U : 0);
		} else if (*e & PTE_PS) {
			return 0;
		} else if (user) {
			*e |= PTE_U;
		}
		table = (uint64_t *)(uintptr_t)(*e & PTE_ADDR_MASK);
	}
	return &table[table_index(va, 1)];
}

bool paging_set_pte(uint64_t va, uint64_t pte)
{
	uint64_t *slot = leaf_slot(va, true, (pte & PTE_U) != 0);
	if (!slot)
		return false;
	*slot = pte;
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
	return true;
}

uint64_t paging_get_pte(uint64_t va)
{
	uint64_t *slot = leaf_slot(va, false, false);
	return slot ? *slot : 0;
}

void paging_map_range(uint64_t va, uint64_t pa, uint64_t len, uint64_t flags)
{
	map_range(active_root, active_levels, va, pa, len, flags);
	write_cr3(read_cr3());   /* flush */
}

unsigned paging_levels(void)
{
	return active_levels;
}

/* Bits a present entry must keep 0 (SDM Vol. 3 4.5.4, Tables 4-14 to 4-20):
 * physical-address bits from MAXPHYADDR (CPUID.80000008H:EAX[7:0]) to 51,
 * and XD (bit 63) when EFER.NXE = 0.  PS in a PML5E/PML4E is reserved too. */
static uint64_t reserved_mask(void)
{
	static uint64_t mask;
	if (!mask) {
		unsigned maxphy = 36;
		if (cpuid(0x80000000u, 0).eax >= 0x80000008u)
			maxphy = cpuid(0x80000008u, 0).eax & 0xff;
		mask = maxphy < 52 ? (((1ull << 52) - 1) & ~((1ull << maxphy) - 1)) : 0;
		if (!(rdmsr(MSR_EFER) & EFER_NXE))
			mask |= PTE_NX;
	}
	return mask;
}

unsigned paging_maxphyaddr(void)
{
	uint64_t m = reserved_mask() & ((1ull << 52) - 1);
	return m ? (unsigned)__builtin_ctzll(m) : 52;
}

void paging_query(void *ctx, uint64_t linear, struct page_info *out)
{
	(void)ctx;
	out->state = PAGE_NOT_PRESENT;
	out->writable = true;
	out->user = true;
	out->nx = false;
	out->rsvd = false;
	out->pkey = 0;
	if (!range_is_canonical(linear, 1, active_levels))
		return;
	const uint64_t *table = (const uint64_t *)(uintptr_t)active_root;
	for (unsigned level = active_levels; level >= 1; level--) {
		uint64_t e = table[table_index(linear, level)];
		if (!(e & PTE_P))
			return;
		/* Access rights combine over all levels (SDM Vol. 3 4.6.1). */
		out->writable = out->writable && (e & PTE_W);
		out->user = out->user && (e & PTE_U);
		out->nx = out->nx || (e & PTE_NX);
		out->rsvd = out->rsvd || (e & reserved_mask()) ||
			    (level >= 4 && (e & PTE_PS));
		if (level == 1 || (e & PTE_PS)) {
			out->state = PAGE_PRESENT;
			/* the protection key, bits 62:59 of the leaf (4.6.2) */
			out->pkey = (unsigned)(e >> 59) & 0xf;
			return;
		}
		table = (const uint64_t *)(uintptr_t)(e & 0x000ffffffffff000ull);
	}
}

unsigned paging_read_mapped(uint64_t va, uint8_t *out, unsigned max)
{
	unsigned n = 0;
	for (; n < max; n++) {
		struct page_info pi;
		paging_query(0, va + n, &pi);
		if (pi.state != PAGE_PRESENT)
			break;
		out[n] = *(const volatile uint8_t *)(uintptr_t)(va + n);
	}
	return n;
}
