/* Alignment rules (rules_align.h).
 *
 * Instructions that require an aligned operand raise #GP(0) when it is not,
 * "regardless of segment": MOVAPS/MOVDQA (16), VMOVAPS/VMOVDQA VEX.128 (16)
 * and VEX.256 (32) — SDM Vol. 2 MOVAPS/MOVDQA "64-Bit Mode Exceptions" and
 * Vol. 2 2.5 Table 2-18 (exception type 1: "VEX.256: Memory operand is not
 * 32-byte aligned, VEX.128: ... not 16-byte aligned"), Vol. 1 14.9; CMPXCHG16B
 * (16, SDM Vol. 2 CMPXCHG8B/CMPXCHG16B); FXSAVE/FXRSTOR (16) and XSAVE (64),
 * SDM Vol. 2 FXSAVE, XSAVE.
 *
 * Alignment checking (SDM Vol. 3 6.15, interrupt 17; APM Vol. 2 8.2.18):
 * with CR0.AM = 1, RFLAGS.AC = 1 and CPL 3, a data or stack access whose
 * address is not a multiple of its data type's size raises #AC(0) (Table 6-7:
 * word 2, doubleword 4, quadword 8).  Only data (or stack) accesses are
 * checked, never code fetches; "#AC is generated only for data types that
 * must be aligned on word, doubleword, and quadword boundaries" — a
 * misaligned 128-bit operand is a #GP matter, not #AC, so 16- and 32-byte
 * accesses are not checked, except that for MOVUPS/MOVUPD/MOVDQU/LDDQU "#AC
 * may or may not be generated depending on processor implementation when
 * data addresses are not aligned on an 8-byte boundary" (same section): an
 * optional #AC.  AMD: measured on an AMD EPYC (faultprobe-user, docs/
 * deviations.md "align"), a 16-byte MOVUPS 8 bytes off a 16-byte boundary
 * raises #AC too, so for non-Intel vendors the optional #AC covers every
 * address that is not 16-byte aligned (the APM's wording was not checked
 * here).  32-byte VMOVUPS: not probed under alignment checking.  FXSAVE/XSAVE
 * with alignment checking on: "a
 * misaligned memory operand can cause either an alignment-check exception
 * or a general-protection exception" (same section): access.align_ac. */
#include "rules_align.h"

bool align_gp(const struct access *a, const struct access_span *span)
{
	return a->align > 1 && !span->fetch && (span->start % a->align) != 0;
}

unsigned align_ac_unit(const struct access *a, const struct access_span *span)
{
	if (span->fetch)
		return 0;
	if (a->align && a->align_ac)
		return a->align;
	if (a->align)
		return 0;       /* an aligned-vector or 16-byte operand: #GP's */
	switch (a->op) {
	case OP_PUSH:
	case OP_POP:
		return 8;       /* a quadword on the stack */
	default:
		return a->width == 2 || a->width == 4 || a->width == 8 ? a->width : 0;
	}
}

bool align_ac(const struct access *a, const struct access_span *span, bool *optional)
{
	unsigned unit = align_ac_unit(a, span);

	*optional = false;
	if (a->cpl != 3 || !a->cr0_am || !a->rflags_ac || span->fetch)
		return false;
	if (!a->align && a->width == 16 && a->op != OP_PUSH && a->op != OP_POP) {
		unit = a->vendor == VENDOR_INTEL ? 8 : 16;
		*optional = (span->start % unit) != 0;
		return *optional;
	}
	if (unit < 2)
		return false;
	return (span->start % unit) != 0;
}
