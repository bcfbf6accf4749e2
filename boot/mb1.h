/* Multiboot 1 (QEMU -kernel): its information structure read into struct
 * mb2_info (boot/mb2.h), so the rest of the kernel sees one boot info. */
#ifndef FP_MB1_H
#define FP_MB1_H
#include <stdint.h>
#include "mb2.h"

#define MB1_BOOT_MAGIC 0x2BADB002u   /* EAX at entry (Multiboot spec 3.2) */

/* Parses the structure at `addr` (must be identity-mapped).  The first word
 * of the command line (the kernel's path, as QEMU and GRUB Legacy pass it)
 * is dropped. */
void mb1_parse(uint64_t addr, struct mb2_info *out);
#endif
