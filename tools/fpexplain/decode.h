/* The faulting instruction: decoded from the Code: bytes by Zydis (Debian
 * libzydis-dev 4.0), which also reports the implicit memory operands
 * (push/pop/call/ret/leave, string instructions) with their segment; or,
 * for a crash session that has no code bytes, taken from crash's `dis`
 * text (AT&T operands only, no decoding).  Every memory access the
 * instruction makes is described as an fx_memop: the same vocabulary as
 * the rule model's struct access (probes/model/access.h). */
#ifndef FX_DECODE_H
#define FX_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probes/model/access.h"

#define FX_MAX_MEMOPS 4

struct fx_memop {
	enum probe_op op;       /* LOAD/STORE/PUSH/POP/LODS/STOS/SCAS       */
	bool explicit_op;       /* written in the instruction, vs implicit  */
	int base, index;        /* enum gpr or GPR_NONE                     */
	bool rip_rel;           /* base is RIP                              */
	unsigned scale;
	int64_t disp;
	bool has_disp;
	enum seg_prefix prefix; /* the override written on the instruction  */
	unsigned width;         /* bytes one access touches                 */
	bool read, write;
	unsigned align;         /* required alignment (bytes), 0: none      */
	const char *align_why;  /* the exception class behind `align`       */
	char zydis_seg[4];      /* the segment Zydis reports, for the record */
	char text[64];          /* the operand in AT&T syntax               */
};

struct fx_insn {
	bool ok;
	char why[160];          /* when !ok: why nothing was decoded        */
	bool from_text;         /* from crash's dis text, not code bytes    */
	unsigned len;
	uint8_t bytes[16];
	char att[192];          /* objdump-style AT&T                       */
	char mnemonic[32];      /* Zydis mnemonic (lower case)              */
	struct fx_memop mem[FX_MAX_MEMOPS];
	unsigned nmem;
	unsigned addr_width;    /* 64; 32 with a 67h prefix                 */
	bool rep;               /* rep/repe/repne on a string instruction   */
	bool string_op;
	bool branch, call, ret, jmp;
	bool indirect;          /* call/jmp through a register or memory    */
	int target_reg;         /* GPR for "jmp *%rax", else GPR_NONE        */
	bool rel;               /* direct relative branch                   */
	int64_t rel_disp;
	bool ud;                /* ud0/ud1/ud2: always #UD                  */
	bool no_fault;          /* prefetch: a hint that never faults       */
	bool vex, evex;
};

/* Decode the instruction at `code[0..n)`.  `rip` (if known) only makes
 * branch targets absolute in the AT&T text. */
bool fx_decode(const uint8_t *code, size_t n, bool have_rip, uint64_t rip, struct fx_insn *out);

/* crash `dis` text, e.g. "mov    0x0(%rbp,%rax,1),%rbx": mnemonic and
 * memory operand parsed from the AT&T text; width from the size suffix or
 * a register operand. */
bool fx_parse_att(const char *text, struct fx_insn *out);

#endif
