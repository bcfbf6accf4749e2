/* The manuals' rule for the 32-bit protected-mode probes (access32.h):
 * selector loads, NULL data segments, segment limits, paging.
 * Freestanding: no libc.
 *
 * Order of the checks (SDM Vol. 2 MOV, "Protected Mode Exceptions"; SDM
 * Vol. 3 5.1: segment checks come before the linear address is formed and
 * translated):
 *   1. MOV to DS: "#GP(selector) If segment selector index is outside
 *      descriptor table limits" -- the index's last byte, index*8+7, must
 *      lie within GDTR.limit (TI=0) or LDTR's limit (TI=1; no LDT is loaded
 *      here, so every TI=1 selector is outside it).  Error code: the
 *      selector with EXT=0 and IDT=0, TI kept (Vol. 3 6.13).
 *   2. A data access through DS holding NULL: "#GP(0) If the DS, ES, FS, or
 *      GS register is used to access memory and it contains a NULL segment
 *      selector."
 *   3. Limit: "#GP(0) If a memory operand effective address is outside the
 *      CS, DS, ES, FS, or GS segment limit. #SS(0) If a memory operand
 *      effective address is outside the SS segment limit." (Vol. 3 5.3: for
 *      an expand-up segment every byte offset..offset+width-1 must be
 *      <= limit.)  An EBP base goes through SS (Vol. 1 3.7.4).
 *   4. Paging: #PF with CR2 = the first faulting byte's linear address,
 *      error code P, W/R, U/S=0 at CPL 0 (Vol. 3 4.7; no I/D: data only).
 * Selector loads that pass the limit check are not modelled further
 * (descriptor type, present bit): platform_predict32 calls them unknown. */
#include "rules.h"
#include "vectors.h"

#define PAGE_SIZE32 4096u

bool access32_uses_ss(const struct access32 *a)
{
	return a->base == GPR_RSP || a->base == GPR_RBP;
}

static void verdict(struct rule_verdict *out, int vector, uint32_t err, uint64_t cr2,
		    enum segment seg, const char *reason, const char *cite)
{
	out->vector = vector;
	out->error_code = err;
	out->error_mask = vector == VEC_NONE ? 0 : ~0u;
	out->cr2 = cr2;
	out->segment = seg;
	out->reason = reason;
	out->cite = cite;
}

void rule_predict32(const struct access32 *a, struct rule_verdict *out)
{
	if (a->op == A32_LOAD_SREG) {
		uint32_t last = (uint32_t)(a->selector & 0xfff8u) + 7;

		if ((a->selector & 4) || last > a->gdt_limit)
			verdict(out, VEC_GP, a->selector & 0xfffcu, 0, SEG_DS,
				"selector outside the descriptor table",
				"SDM Vol.2 MOV #GP(selector); Vol.3 6.13");
		else
			verdict(out, VEC_NONE, 0, 0, SEG_DS, "selector within the table",
				"SDM Vol.2 MOV");
		return;
	}
	bool ss = access32_uses_ss(a);
	enum segment seg = ss ? SEG_SS : SEG_DS;
	bool write = a->op == A32_STORE;
	uint64_t last = (uint64_t)a->offset + (a->width ? a->width : 1) - 1;

	if (!ss && a->seg_null) {
		verdict(out, VEC_GP, 0, 0, seg, "NULL data segment",
			"SDM Vol.2 MOV #GP(0) NULL selector; Vol.3 6.15 int13");
		return;
	}
	if (last > a->seg_limit) {
		if (ss)
			verdict(out, VEC_SS, 0, 0, seg, "outside the SS limit",
				"SDM Vol.2 MOV #SS(0); Vol.3 5.3, 6.15 int12");
		else
			verdict(out, VEC_GP, 0, 0, seg, "outside the segment limit",
				"SDM Vol.2 MOV #GP(0); Vol.3 5.3, 6.15 int13");
		return;
	}
	if (a->paging && a->page_query) {
		/* Page by page in address order; 32-bit linear addresses wrap. */
		uint32_t lin = a->seg_base + a->offset;
		uint32_t left = a->width ? a->width : 1;

		while (left) {
			struct page_info pi = { PAGE_NOT_PRESENT, false, false, false, false, 0 };
			uint32_t chunk = PAGE_SIZE32 - (lin & (PAGE_SIZE32 - 1));

			a->page_query(a->page_ctx, lin, &pi);
			if (pi.state != PAGE_PRESENT || (write && !pi.writable)) {
				uint32_t err = (pi.state == PAGE_PRESENT ? 1u : 0u) |
					       (write ? 2u : 0u);
				verdict(out, VEC_PF, err, lin, seg,
					pi.state == PAGE_PRESENT ? "protection" : "not present",
					"SDM Vol.3 4.7, 6.15 int14");
				if (pi.state == PAGE_UNKNOWN)
					out->error_mask &= ~1u;
				return;
			}
			if (chunk > left)
				chunk = left;
			lin += chunk;
			left -= chunk;
		}
	}
	verdict(out, VEC_NONE, 0, 0, seg, "ok", "SDM Vol.3 5.3");
}
