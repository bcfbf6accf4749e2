/* The Multiboot 1 information structure (Multiboot spec 0.6.96, 3.3 "Boot
 * information format"), as QEMU's -kernel leaves it (hw/i386/multiboot.c),
 * read into the same struct mb2_info the multiboot2 path fills: the tests'
 * fast boot path runs exactly the kernel GRUB boots. */
#include "mb1.h"

enum {
	MB1_INFO_MEM = 1u << 0, MB1_INFO_CMDLINE = 1u << 2, MB1_INFO_LOADER = 1u << 9,
	MB1_INFO_FB = 1u << 12,
};
#define MB1_INFO_SIZE 116   /* through the framebuffer colour info */

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned bounded_len(const char *s, unsigned max)
{
	unsigned n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

void mb1_parse(uint64_t addr, struct mb2_info *out)
{
	const uint8_t *mbi = (const uint8_t *)(uintptr_t)addr;
	uint32_t flags = rd32(mbi);

	out->addr = addr;
	out->size = MB1_INFO_SIZE;
	out->cmdline[0] = '\0';
	out->cmdline_len = 0;
	out->loader[0] = '\0';
	if (flags & MB1_INFO_MEM) {
		out->mem_lower_kb = rd32(mbi + 4);
		out->mem_upper_kb = rd32(mbi + 8);
	}
	if (flags & MB1_INFO_CMDLINE) {
		/* QEMU (and GRUB Legacy) put the kernel's path first: the
		 * options are what follows it. */
		const char *s = (const char *)(uintptr_t)rd32(mbi + 16);
		const unsigned limit = 1u << 20;   /* a NUL must come before 1 MiB */
		unsigned n = bounded_len(s, limit), i = 0;
		while (i < n && s[i] != ' ')
			i++;
		while (i < n && s[i] == ' ')
			i++;
		/* Whole or not at all, as in mb2_parse (boot/cmdline.h). */
		out->cmdline_len = n - i;
		if (n - i <= CMDLINE_MAX) {
			for (unsigned k = 0; k < n - i; k++)
				out->cmdline[k] = s[i + k];
			out->cmdline[n - i] = '\0';
		}
	}
	if (flags & MB1_INFO_LOADER) {
		const char *s = (const char *)(uintptr_t)rd32(mbi + 64);
		unsigned n = bounded_len(s, sizeof(out->loader) - 1);
		for (unsigned k = 0; k < n; k++)
			out->loader[k] = s[k];
		out->loader[n] = '\0';
	}
	if (flags & MB1_INFO_FB) {
		out->have_fb = true;
		out->fb_addr = (uint64_t)rd32(mbi + 88) | (uint64_t)rd32(mbi + 92) << 32;
		out->fb_pitch = rd32(mbi + 96);
		out->fb_width = rd32(mbi + 100);
		out->fb_height = rd32(mbi + 104);
		out->fb_bpp = mbi[108];
		out->fb_type = mbi[109];
		if (out->fb_type == MB2_FB_RGB) {
			out->red_pos = mbi[110];
			out->red_size = mbi[111];
			out->green_pos = mbi[112];
			out->green_size = mbi[113];
			out->blue_pos = mbi[114];
			out->blue_size = mbi[115];
		}
	}
}
