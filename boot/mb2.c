#include "mb2.h"

enum {
	TAG_END = 0, TAG_CMDLINE = 1, TAG_LOADER = 2, TAG_BASIC_MEM = 4,
	TAG_FRAMEBUFFER = 8, TAG_EFI32 = 11, TAG_EFI64 = 12,
	TAG_EFI_MMAP = 17, TAG_EFI_BS = 18, TAG_EFI32_IH = 19, TAG_EFI64_IH = 20,
};

struct tag {
	uint32_t type, size;
};

static void copy_string(char *dst, unsigned cap, const char *src, unsigned max)
{
	unsigned i = 0;
	for (; i + 1 < cap && i < max && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

void mb2_parse(uint64_t addr, struct mb2_info *out)
{
	const uint8_t *base = (const uint8_t *)(uintptr_t)addr;
	uint32_t total = *(const uint32_t *)base;

	out->addr = addr;
	out->size = total;
	/* Tags start at offset 8 and are 8-byte aligned (spec 3.6.1). */
	for (uint32_t off = 8; off + sizeof(struct tag) <= total;) {
		const struct tag *t = (const struct tag *)(base + off);
		const uint8_t *body = (const uint8_t *)(t + 1);
		unsigned body_len = t->size > 8 ? t->size - 8 : 0;
		/* A tag that claims to run past the structure ends the walk:
		 * never read beyond `total` bytes. */
		if (t->type == TAG_END || t->size < 8 || t->size > total - off)
			break;
		switch (t->type) {
		case TAG_CMDLINE: {
			/* Whole or not at all: a cut word must never be acted on. */
			const char *s = (const char *)body;
			unsigned n = 0;
			while (n < body_len && s[n])
				n++;
			out->cmdline_len = n;
			if (n <= CMDLINE_MAX)
				copy_string(out->cmdline, sizeof(out->cmdline), s, n);
			else
				out->cmdline[0] = '\0';
			break;
		}
		case TAG_LOADER:
			copy_string(out->loader, sizeof(out->loader), (const char *)body, body_len);
			break;
		case TAG_BASIC_MEM:
			if (body_len < 8)
				break;
			out->mem_lower_kb = ((const uint32_t *)body)[0];
			out->mem_upper_kb = ((const uint32_t *)body)[1];
			break;
		case TAG_FRAMEBUFFER:
			if (body_len < 22)
				break;
			out->have_fb = true;
			out->fb_addr = *(const uint64_t *)body;
			out->fb_pitch = *(const uint32_t *)(body + 8);
			out->fb_width = *(const uint32_t *)(body + 12);
			out->fb_height = *(const uint32_t *)(body + 16);
			out->fb_bpp = body[20];
			out->fb_type = body[21];
			if (out->fb_type == MB2_FB_RGB && body_len >= 30) {
				out->red_pos = body[24];
				out->red_size = body[25];
				out->green_pos = body[26];
				out->green_size = body[27];
				out->blue_pos = body[28];
				out->blue_size = body[29];
			}
			break;
		case TAG_EFI32:
		case TAG_EFI64:
		case TAG_EFI_MMAP:
		case TAG_EFI32_IH:
		case TAG_EFI64_IH:
			out->uefi = true;
			break;
		default:
			break;
		}
		uint64_t next = (uint64_t)off + (((uint64_t)t->size + 7) & ~7ull);
		if (next > total)
			break;
		off = (uint32_t)next;
	}
}
