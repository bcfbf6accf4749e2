/* The field parsers shared by the oops and crash parsers: register lines
 * ("RAX: ... RBX: ...", crash's "RAX: ...  RBX: ...", "RSP: 0018:...",
 * "FS: ...(0000) GS:... knlGS:...", "CR2: ... CR4: ..."), the RIP line in
 * its forms, and the Code: line.  Values must have the digits the kernel
 * prints (16 for a 64-bit register): anything else is noted, not guessed. */
#ifndef FX_FIELDS_H
#define FX_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#include "report.h"

/* Hex number at `s` ("0x" optional): value and digit count (more than 16
 * digits: returns false).  *end is set past it. */
bool fx_hex(const char *s, uint64_t *v, unsigned *digits, const char **end);

/* Register tokens anywhere in the line; returns how many were taken.  Bad
 * values become notes on `rep` (may be NULL). */
int fx_parse_regs(const char *line, struct fx_regs *regs, struct fx_report *rep);

/* "RIP: 0010:sym+0x3e/0x130", "RIP: 0010:0x0", "RIP: 0010:[<ffff...>] ...",
 * "RIP: ffffffff84287f8b  RSP: ..." (crash), "IP: [<...>] sym+off/len".
 * `line` starts at "RIP:" or "IP:".  Fills rip/cs in regs and the symbol. */
void fx_parse_rip(const char *line, struct fx_regs *regs, char *func, size_t funcsz,
		  bool *inline_frame);

/* "Code: 48 8b <5c> 05 00", "Code: Bad RIP value.", "Code: Unable to access
 * opcode bytes at RIP 0x...".  `line` starts at "Code:". */
void fx_parse_code(const char *line, struct fx_report *r);

#endif
