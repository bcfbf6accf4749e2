/* Returns to another privilege level or to a bad place: SYSRET and IRETQ
 * (the sysret family).  What the return itself checks, and if it completes,
 * what happens at its target at the new CPL.  The event's delivery (which
 * stack, nested faults, #DF) is rules_deliver.c's.
 *
 * SYSRET (64-bit operand size, executed at CPL 0), the vendors differ:
 * - Intel, SDM Vol. 2 SYSRET, Operation: "IF (CPL ≠ 0) THEN #GP(0) ...
 *   IF (operand size is 64-bit) THEN IF (RCX is not canonical) THEN
 *   #GP(0); RIP := RCX" — the check comes before CS, SS and CPL change, so
 *   the #GP is taken at CPL 0 with the RSP the kernel loaded for user space
 *   (the Description: "The SYSRET instruction generates #GP(0) if the value
 *   of RCX is not canonical ... [the OS may use] the IST mechanism for gate
 *   13 (#GP)").  This is CVE-2012-0217.
 * - AMD, APM Vol. 3 SYSRET: its pseudocode loads RIP from RCX with no
 *   canonical check and its exception table lists no non-canonical RCX; the
 *   fetch at the new RIP then faults at CPL 3 (#GP(0) for a non-canonical
 *   fetch, APM Vol. 2 8.2.14), delivered through TSS.RSP0.  (AMD stated the
 *   check is after the switch to CPL 3: XTF tests/xsa-7/main.c.)
 * - Other vendors follow the SDM here.
 * CS/SS come from IA32_STAR[63:48] (+16 and +8, RPL 3) with fixed
 * descriptors; RSP is not changed; RFLAGS := R11.
 *
 * IRETQ (SDM Vol. 2 IRET/IRETD/IRETQ, Operation; APM Vol. 3 IRET):
 *   IA-32e-MODE-RETURN: "IF ((return code segment selector is NULL) or
 *   (return RIP is non-canonical) or (SS selector is NULL going back to
 *   compatibility mode) or (SS selector is NULL going back to CPL3 64-bit
 *   mode) or (RPL <> CPL going back to non-CPL3 64-bit mode for a NULL SS
 *   selector)) THEN GP(0)"; then the code segment (beyond the limit, not
 *   code, RPL < CPL, non-conforming with DPL ≠ RPL: #GP(selector); not
 *   present: #NP(selector)); returning
 *   to an outer level, the stack segment: "IF stack segment selector RPL ≠
 *   RPL of the return code segment selector or the stack segment descriptor
 *   does not indicate a writable data segment or the stack segment DPL ≠
 *   RPL of the return code segment selector THEN #GP(SS selector)" (beyond
 *   the limit: #GP(SS selector) too; not present: #SS(SS selector)).  All
 *   of it before CPL changes: a fault of the IRETQ itself, at CPL 0.  The
 *   new RSP is not checked: a non-canonical RSP is loaded and the first
 *   stack access at the target faults.
 * A selector error code is the selector with bits 1:0 (RPL) replaced by
 * EXT = 0 and IDT = 0 (SDM Vol. 3 6.13, Figure 6-7).
 *
 * At the target, at the new CPL: the fetch (non-canonical: #GP(0); paging:
 * #PF, SDM Vol. 3 4.6/4.7), then the code the family put there: int3
 * (#BP, a trap) or push + int3 (the push is a stack write through SS with
 * the new RSP: #SS(0) when non-canonical, SDM Vol. 3 6.15 int 12). */
#include "rules.h"
#include "vectors.h"

#define CITE_SYSRET_INTEL "SDM Vol.2 SYSRET Operation (RCX not canonical: #GP(0) at CPL 0)"
#define CITE_SYSRET_AMD "APM Vol.3 SYSRET (no RCX check); APM Vol.2 8.2.14"
#define CITE_IRET "SDM Vol.2 IRET Operation (IA-32e-MODE-RETURN); APM Vol.3 IRET"

static void set(struct rule_verdict *out, int vector, uint32_t err, int cpl,
		const char *rip_at, const char *reason, const char *cite)
{
	out->vector = vector;
	out->error_code = err;
	out->error_mask = ~0u;
	out->cr2 = 0;
	out->segment = SEG_CS;
	out->fault_cpl = cpl;
	out->rip_at = rip_at;
	out->at_target = rip_at[0] == 't';
	out->reason = reason;
	out->cite = cite;
	out->ext = true;
}

/* The return completed: CPL = `cpl`, RIP = a->addr, RSP = the new one. */
static void at_target(const struct access *a, const struct rule_steps *steps, unsigned cpl,
		      bool rsp_bad, uint64_t rsp, struct rule_verdict *out)
{
	struct access t = *a;

	t.op = OP_JMP;
	t.base = GPR_NONE;
	t.index = GPR_NONE;
	t.prefix = SEGP_NONE;
	t.width = 8;
	t.fetch_len = 0;
	t.cpl = cpl;
	t.cr4_smep = a->cr4_smep && cpl == 0;
	t.deliver = false;
	rule_step_access(steps, &t, out);
	if (out->vector != VEC_NONE) {
		out->fault_cpl = (int)cpl;
		out->rip_at = "target";
		out->at_target = true;
		return;
	}
	if (a->ret.land == LAND_PUSH_INT3 && rsp_bad) {
		struct access p = t;
		p.op = OP_PUSH;
		p.base = GPR_RSP;
		p.addr = rsp;
		rule_step_access(steps, &p, out);
		if (out->vector != VEC_NONE) {
			out->fault_cpl = (int)cpl;
			out->rip_at = "target";
			out->at_target = true;
			return;
		}
	}
	set(out, VEC_BP, 0, (int)cpl, a->ret.land == LAND_PUSH_INT3 ? "target+2" : "target+1",
	    "returned; int3 at the target", "SDM Vol.3 6.15 int 3");
	out->error_mask = 0;
	out->ext = false;
}

static void predict_sysret(const struct access *a, const struct rule_steps *steps,
			   struct rule_verdict *out)
{
	if (a->cpl != 0) {
		set(out, VEC_GP, 0, (int)a->cpl, "insn", "sysret at CPL > 0", CITE_SYSRET_INTEL);
		return;
	}
	if (!addr_is_canonical(a->addr, a->paging_levels) && a->vendor != VENDOR_AMD) {
		set(out, VEC_GP, 0, 0, "insn", "sysret: RCX not canonical (checked at CPL 0)",
		    CITE_SYSRET_INTEL);
		return;
	}
	at_target(a, steps, 3, a->rsp_bad, a->rsp, out);
	if (!addr_is_canonical(a->addr, a->paging_levels))
		out->cite = CITE_SYSRET_AMD;
}

static void predict_iretq(const struct access *a, const struct rule_steps *steps,
			  struct rule_verdict *out)
{
	unsigned new_cpl = a->ret.cs & 3;
	const struct seg_desc *cs = &a->ret.cs_desc, *ss = &a->ret.ss_desc;
	bool rip_bad = !addr_is_canonical(a->addr, a->paging_levels) &&
		       !(steps && steps->iretq_skips_rip_check);

	if ((a->ret.cs & 0xfffc) == 0 || rip_bad ||
	    (ss->kind == SD_NULL && (new_cpl == 3 || (a->ret.ss & 3) != new_cpl))) {
		set(out, VEC_GP, 0, (int)a->cpl, "insn",
		    (a->ret.cs & 0xfffc) == 0 ? "iretq: NULL CS" :
		    rip_bad ? "iretq: RIP not canonical" :
		    "iretq: NULL SS not allowed here", CITE_IRET);
		return;
	}
	uint32_t cs_err = a->ret.cs & 0xfffc, ss_err = a->ret.ss & 0xfffc;
	/* Every code segment here is non-conforming (struct seg_desc does not
	 * carry the C bit): "non-conforming and DPL ≠ RPL: #GP(selector)". */
	if ((cs->kind != SD_CODE64 && cs->kind != SD_CODE) || new_cpl < a->cpl ||
	    cs->dpl != new_cpl) {
		set(out, VEC_GP, cs_err, (int)a->cpl, "insn", "iretq: bad CS", CITE_IRET);
		return;
	}
	if (!cs->present) {
		set(out, VEC_NP, cs_err, (int)a->cpl, "insn", "iretq: CS not present", CITE_IRET);
		return;
	}
	if (new_cpl > a->cpl && ss->kind != SD_NULL) {
		if ((a->ret.ss & 3) != new_cpl || ss->kind != SD_DATA_RW || ss->dpl != new_cpl) {
			set(out, VEC_GP, ss_err, (int)a->cpl, "insn", "iretq: bad SS", CITE_IRET);
			return;
		}
		if (!ss->present) {
			set(out, VEC_SS, ss_err, (int)a->cpl, "insn", "iretq: SS not present", CITE_IRET);
			return;
		}
	}
	at_target(a, steps, new_cpl, a->ret.rsp_bad, a->ret.rsp, out);
}

void rule_predict_ret(const struct access *a, const struct rule_steps *steps,
		      struct rule_verdict *out)
{
	if (a->op == OP_SYSRET)
		predict_sysret(a, steps, out);
	else
		predict_iretq(a, steps, out);
}
