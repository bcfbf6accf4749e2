/* `rep movs` with both operands: each element is a read of [rsi] (DS, or
 * the FS/GS override) and then a write of [rdi] (ES, no override), and the
 * first of those accesses that faults stops the instruction:
 *
 *   SDM Vol. 2 MOVS "Operation": DEST <- SRC, then (R|E)SI and (R|E)DI move
 *   by the element size, up with DF = 0, down with DF = 1; REP "Operation":
 *   one element per iteration, RCX decremented after it.  A fault in an
 *   iteration leaves RCX/RSI/RDI at that element and saves the RIP of the
 *   REP instruction (SDM Vol. 3 6.5: a fault is restartable).  Fast-string
 *   operation keeps that: "the source/destination registers point to the
 *   next string element to be operated on, while the EIP stored in the stack
 *   points to the string instruction, and the ECX register has the value it
 *   held following the last successful iteration", and the stores of
 *   iterations 0..k-1 are visible, those from k on are not (SDM Vol. 3
 *   8.2.4.1, 9.2.4.1 in recent editions, memory ordering for string
 *   operations).  So the bytes written before the fault are rep_done
 *   elements.
 *
 * Each access is judged as a single `lods`/`stos` element would be
 * (canonical form, then paging), so CR2 is the first byte of the faulting
 * element on the page that faults: the page start when an element runs up
 * into an absent page, the element itself when it starts below one.
 *
 * The order read-then-write is the order of "Operation"; a platform that
 * checked the destination first would differ only when both operands of the
 * same element fault (the family probes that case: slice `both`). */
#include "rules_string.h"
#include "vectors.h"

bool rule_predict_movs(const struct access *a, struct rule_verdict *out)
{
	if (a->op != OP_MOVS || !a->dst_known)
		return false;

	unsigned n = a->rep ? a->rep : 1;
	struct access src = *a, dst = *a;

	src.op = OP_LODS;
	src.rep = 0;
	src.dst_known = false;
	dst.op = OP_STOS;           /* [rdi]: ES, a write (access_span) */
	dst.rep = 0;
	dst.dst_known = false;
	for (unsigned i = 0; i < n; i++) {
		uint64_t step = (uint64_t)i * a->width;

		src.addr = a->df ? a->addr - step : a->addr + step;
		dst.addr = a->df ? a->dst - step : a->dst + step;
		rule_predict_one(&src, out);
		if (out->vector == VEC_NONE)
			rule_predict_one(&dst, out);
		if (out->vector != VEC_NONE) {
			out->rep_done = i;
			return true;
		}
	}
	out->rep_done = a->rep;
	return true;
}
