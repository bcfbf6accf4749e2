/* 5-level paging (CR4.LA57): the paging-off switch and its safety check. */
#ifndef FP_LA57_H
#define FP_LA57_H

#include <stdbool.h>
#include <stdint.h>

/* idt/la57_switch.asm: load CR3 and CR4 (LA57 set or clear) with paging briefly
 * off, from compatibility mode; both values must fit in 32 bits. */
void la57_switch(uint32_t cr3, uint32_t cr4);
/* Every page of the kernel image is present in the tables at `root`. */
bool la57_tables_cover_kernel(uint64_t root, unsigned levels);

#endif
