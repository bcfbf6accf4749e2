/* The kernel's own page tables: identity mappings of exactly what the
 * kernel touches (its image with stacks and tables, the multiboot2
 * information, the screen), nothing else, so probe addresses are honestly
 * unmapped.  4-level by default; boot/la57 may rebuild them as 5-level. */
#ifndef FP_PAGING_H
#define FP_PAGING_H

#include <stdbool.h>
#include <stdint.h>
#include "../probes/model/access.h"

#define PTE_P   (1ull << 0)
#define PTE_W   (1ull << 1)
#define PTE_U   (1ull << 2)
#define PTE_PS  (1ull << 7)
#define PTE_ADDR_MASK 0x000ffffffffff000ull
#define PTE_NX  (1ull << 63)
#define PTE_PKEY_SHIFT 59             /* bits 62:59, SDM Vol. 3 4.6.2 */
#define PAGE_SIZE 4096ull

/* A region the kernel must reach besides its own image (the boot
 * information, the screen), identity-mapped. */
struct map_region {
	uint64_t start, len;
	uint64_t flags;           /* PTE_W for writable                    */
};
#define PAGING_MAX_REGIONS 4

/* Build 4-level tables mapping the kernel image and `regions` and load
 * them.  The regions are kept for paging_build(). */
void paging_init(const struct map_region *regions, unsigned n);
/* Build the same mappings for `levels` (4 or 5) and return the root's
 * physical address, without loading CR3. */
uint64_t paging_build(unsigned levels);
/* Map [va, va+len) to [pa, ...) in the tables rooted at the current root. */
void paging_map_range(uint64_t va, uint64_t pa, uint64_t len, uint64_t flags);
/* Set the 4 KiB leaf entry for `va` in the live tables to exactly `pte`
 * (any bits: not present, reserved, protection key, NX), creating the
 * tables above it (present, writable, user when `pte` has PTE_U), and
 * flush the TLB entry.  False when the table pool is exhausted or `va`
 * sits under a large page. */
bool paging_set_pte(uint64_t va, uint64_t pte);
/* The live leaf entry for `va`, 0 when none. */
uint64_t paging_get_pte(uint64_t va);
/* Copy up to `max` bytes from `va` on while they are on present pages
 * (the "Code:" bytes at a saved RIP); returns how many. */
unsigned paging_read_mapped(uint64_t va, uint8_t *out, unsigned max);
/* Walk the live tables (CR3, CR4.LA57). Fits page_query_fn. */
void paging_query(void *ctx, uint64_t linear, struct page_info *out);
unsigned paging_levels(void);
/* CPUID.80000008H:EAX[7:0], the physical-address width that decides which
 * entry bits are reserved (paging_query's page_info.rsvd). */
unsigned paging_maxphyaddr(void);
/* Set the levels used by paging_query/paging_map (after switching CR4.LA57). */
void paging_set_active(uint64_t root, unsigned levels);

#endif
