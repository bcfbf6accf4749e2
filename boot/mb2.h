/* What we keep from the multiboot2 boot information (Multiboot2 spec 3.6). */
#ifndef FP_MB2_H
#define FP_MB2_H

#include <stdbool.h>
#include <stdint.h>
#include "cmdline.h"

#define MB2_FB_INDEXED 0
#define MB2_FB_RGB     1
#define MB2_FB_EGA_TEXT 2

struct mb2_info {
	uint64_t addr, size;         /* the information structure itself  */
	char cmdline[CMDLINE_MAX + 1];/* copied, NUL-terminated; empty when
	                                the line is longer than CMDLINE_MAX */
	uint32_t cmdline_len;        /* the line's length as the loader gave it */
	char loader[64];             /* boot loader name                  */
	bool uefi;                   /* EFI system table tag present      */
	bool have_fb;
	uint64_t fb_addr;
	uint32_t fb_pitch, fb_width, fb_height;
	uint8_t fb_bpp, fb_type;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
	uint64_t mem_lower_kb, mem_upper_kb;
};

/* Parses the structure GRUB left at `addr` (must be identity-mapped). */
void mb2_parse(uint64_t addr, struct mb2_info *out);

#endif
