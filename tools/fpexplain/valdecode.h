/* What a bad pointer value may be: its bytes as ASCII and UTF-16LE text
 * (probes/model/ptr_decode.c ptr_decode, the decoder the vmcore replay uses),
 * the kernel's poison patterns (include/linux/poison.h: slab POISON_FREE
 * 0x6b, POISON_INUSE 0x5a, POISON_END 0xa5; SLUB red zones 0xbb/0xcc;
 * LIST_POISON1/2 = 0xdead000000000100/122), a KASAN shadow address
 * (KASAN_SHADOW_OFFSET 0xdffffc0000000000 on x86-64: shadow = (addr >> 3)
 * + offset), and a hardened SLUB freelist pointer undone when the
 * obfuscation inputs are known (mm/slub.c freelist_ptr(): ptr ^ s->random
 * ^ ptr_addr before 5.7, ^ swab(ptr_addr) since). */
#ifndef FX_VALDECODE_H
#define FX_VALDECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FX_VAL_LINES 8

struct fx_value {
	uint64_t v;
	char hex[24];                   /* bytes in memory order "38:03:..." */
	char ascii[9];
	char utf16[64];
	char utf16_cps[48];
	bool text_ascii, text_utf16;    /* reads as text                     */
	bool usb_string;
	char usb_text[32];
	const char *poison;             /* name of the pattern, or NULL      */
	uint64_t poison_off;            /* value - pattern                   */
	bool kasan;                     /* a KASAN shadow address            */
	uint64_t kasan_addr;            /* first byte it describes           */
	char kind[80];                  /* one word: "text", "poison", ...  */
	char lines[FX_VAL_LINES][200];  /* the human explanation             */
	unsigned nlines;
};

struct fx_freelist_in {
	bool have_random, have_addr;
	uint64_t random, ptr_addr;
};

/* `paging`: 4 or 5 (0: unknown, taken as 4) decides what is canonical. */
void fx_value_decode(uint64_t v, unsigned paging, const struct fx_freelist_in *fl,
		     struct fx_value *out);

/* Name of a poison pattern v lies within 0x1000 above, or NULL. */
const char *fx_poison_name(uint64_t v, uint64_t *off);

#endif
