/* Scratch pages: kernel pages a family maps at an address of its choosing
 * (the last page before the non-canonical hole, a user page, a read-only
 * page) so probes may write them or run code in them.  Probes never write
 * memory the kernel uses: the executor's safety rule (probes/facts.c)
 * refuses a store into, or a branch to, a present page unless it is a live
 * scratch page. */
#ifndef FP_SCRATCH_H
#define FP_SCRATCH_H

#include <stdbool.h>
#include <stdint.h>

#define SCRATCH_PAGES 8

/* Map a zeroed scratch page at `va` (page-aligned) with leaf-entry flags
 * `flags` (PTE_P is added unless `not_present`), and return a pointer
 * through which the kernel can fill it, or NULL (no free page, or the
 * tables could not be made). */
void *scratch_map(uint64_t va, uint64_t flags);
/* Change the live entry's flags (e.g. make it read-only, or set a
 * reserved bit), keeping the backing page. */
bool scratch_protect(uint64_t va, uint64_t flags);
/* Remove the mapping and free the page. */
void scratch_unmap(uint64_t va);
/* Is the page holding `va` a live scratch mapping? */
bool scratch_contains(uint64_t va);

#endif
