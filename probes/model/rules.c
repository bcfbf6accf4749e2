/* The architecture model: what the Intel SDM and the AMD APM prescribe for
 * one probe access.  Freestanding: no libc, no floating point.
 *
 * Inputs beyond the access itself (struct access): CR0.WP, CR4.SMAP/SMEP/
 * PKE, PKRU, CR0.AM and RFLAGS.AC, the instruction's alignment requirement;
 * zero means CR0.WP = 1, SMAP/PKE off, no alignment checking or requirement.
 * Assumed: 4 KiB pages, and page_info.nx only matters with EFER.NXE = 1.
 * Page-level protection is in rules_pgprot.c, alignment in rules_align.c.
 *
 * The #PF error code is predicted on every bit (P, W/R, U/S, RSVD, I/D, PK;
 * SS, HLAT and SGX are 0 for these accesses), except where the model
 * cannot know a bit (below).
 *
 * Vendor differences for these cases: the only one found is the #PF I/D bit
 * with EFER.NXE = 0.  Intel (SDM Vol.3 4.7) defines it as fetch && CR4.SMEP,
 * i.e. 0 without SMEP; AMD (APM Vol.2 8.4.2) says it "is only defined if the
 * no-execute feature is enabled (EFER.NXE=1 && CR4.PAE=1)".  So for
 * non-Intel vendors with NXE = 0 the bit is left out of error_mask.  The
 * canonical rules, the implied segment, the ignored ES/CS/SS/DS prefixes,
 * #SS/#GP selection and the other #PF bits read the same in both manuals.
 */
#include "rules.h"
#include "vectors.h"
#include "rules_align.h"
#include "rules_pgprot.h"
#include "fmt.h"

#define PAGE_SIZE 4096u
#define PF_ERR_KNOWN 0xffffffffu   /* every bit (issue 11) */

#define CITE_SS "SDM Vol.1 3.3.7.1, Vol.3 6.15 int12; APM Vol.2 8.2.13"
#define CITE_GP "SDM Vol.1 3.3.7.1, Vol.3 6.15 int13; APM Vol.2 8.2.14"
#define CITE_BR "SDM Vol.2 CALL/JMP/RET 64-bit #GP(0); APM Vol.3 CALL/JMP/RET"
#define CITE_PF "SDM Vol.3 4.7, 6.15 int14; APM Vol.2 8.2.15, 8.4.2"
#define CITE_OK "SDM Vol.3 4.6; APM Vol.2 5.6"
#define CITE_ALIGN "SDM Vol.2A 2.4 Exceptions Type 1 (aligned memory reference), MOVAPS/CMPXCHG16B/FXSAVE/XSAVE #GP(0); Vol.3 6.15 int13"
#define CITE_AC "SDM Vol.3 6.15 int17; APM Vol.2 8.2.18"

static const char *const noncanon_reason[] = {
	[SEG_ES] = "non-canonical via ES", [SEG_CS] = "non-canonical via CS",
	[SEG_SS] = "non-canonical via SS", [SEG_DS] = "non-canonical via DS",
	[SEG_FS] = "non-canonical via FS", [SEG_GS] = "non-canonical via GS",
};

static void set_verdict(struct rule_verdict *out, int vector, uint32_t err,
			uint32_t mask, uint64_t cr2, const char *reason,
			const char *cite)
{
	out->vector = vector;
	out->error_code = err;
	out->error_mask = mask;
	out->cr2 = cr2;
	out->cr2_hi = 0;
	out->reason = reason;
	out->cite = cite;
}

/* Does the byte at `linear` (the first of the access on its page) fault?
 * If so, fill in the #PF verdict with CR2 = linear (rules.h). */
bool rule_page_faults(const struct access *a, uint64_t linear, bool write,
		      bool fetch, struct rule_verdict *out)
{
	struct page_info pi = { PAGE_NOT_PRESENT, false, false, false, false, 0 };
	uint32_t err = 0, mask = PF_ERR_KNOWN;
	const char *reason = "not present";

	if (a->page_query)
		a->page_query(a->page_ctx, linear, &pi);
	if (pi.state == PAGE_PRESENT) {
		if (!pgprot_denies(a, &pi, write, fetch, &err, &reason))
			return false;
		err |= PF_ERR_P;
	} else if (pi.state == PAGE_UNKNOWN) {
		mask &= ~PF_ERR_P; /* not present or protection: can't tell */
		reason = "page unknown";
	}
	/* SDM Vol.3 4.7: W/R = write, U/S = CPL 3, RSVD and PK from
	 * rules_pgprot.c, I/D = fetch && (SMEP || NXE).  APM Vol.2 8.4.2:
	 * I/D is only defined with NXE (see the vendor note at the top). */
	if (write)
		err |= PF_ERR_WR;
	if (a->cpl == 3)
		err |= PF_ERR_US;
	if (fetch && (a->efer_nxe || a->cr4_smep))
		err |= PF_ERR_ID;
	if (!a->efer_nxe && a->vendor != VENDOR_INTEL)
		mask &= ~PF_ERR_ID;
	set_verdict(out, VEC_PF, err, mask, linear, reason, CITE_PF);
	return true;
}

/* The first fault found is the verdict, later ones its alternatives. */
static void add_fault(struct rule_verdict *out, unsigned *found, int vector, uint32_t err,
		      uint32_t mask, uint64_t cr2, const char *reason, const char *cite)
{
	if ((*found)++ == 0) {
		set_verdict(out, vector, err, mask, cr2, reason, cite);
		return;
	}
	/* the same exception again (a misaligned non-canonical operand
	 * through DS: #GP either way) is no alternative */
	if (vector == out->vector && err == out->error_code && vector != VEC_PF)
		return;
	if (out->nalt < RULE_MAX_ALT)
		out->alt[out->nalt++] = (struct rule_alt){ vector, err, mask, cr2, 0, reason };
}

static void add_alt(struct rule_verdict *out, int vector, const char *reason)
{
	if (out->nalt < RULE_MAX_ALT)
		out->alt[out->nalt++] = (struct rule_alt){ vector, 0, ~0u, 0, 0, reason };
}

/* The last fault added: its CR2 may be any byte up to cr2_hi. */
static void set_cr2_hi(struct rule_verdict *out, unsigned found, uint64_t cr2_hi)
{
	if (found == 1)
		out->cr2_hi = cr2_hi;
	else if (out->nalt)
		out->alt[out->nalt - 1].cr2_hi = cr2_hi;
}

/* The last fault added may have W/R either way (a store that reads too). */
static void unmask_wr(struct rule_verdict *out, unsigned found)
{
	if (found == 1)
		out->error_mask &= ~PF_ERR_WR;
	else if (out->nalt)
		out->alt[out->nalt - 1].error_mask &= ~PF_ERR_WR;
}

void rule_step_access(const struct rule_steps *steps, const struct access *a,
		      struct rule_verdict *out)
{
	if (steps && steps->access)
		steps->access(steps, a, out);
	else
		rule_predict_one(a, out);
}

void rule_predict_one(const struct access *a, struct rule_verdict *out)
{
	struct access_span span;

	access_span(a, &span);
	out->segment = span.seg;
	if (!span.known) {
		set_verdict(out, VEC_NONE, 0, 0, 0, "unknown op", "");
		return;
	}
	uint64_t start = span.start, left = span.len;
	bool write = span.write, fetch = span.fetch;
	enum segment seg = span.seg;

	out->nalt = 0;

	/* Canonical checks come before paging: a non-canonical address is
	 * never translated. */
	if (fetch && !addr_is_canonical(start, a->paging_levels)) {
		/* SDM Vol.2 CALL/JMP/RET: #GP(0) if the target offset (return
		 * instruction pointer) is non-canonical; APM Vol.3 likewise. */
		set_verdict(out, VEC_GP, 0, ~0u, 0, "non-canonical target", CITE_BR);
		return;
	}
	if (fetch && !range_is_canonical(start, (unsigned)left, a->paging_levels)) {
		/* The target is canonical but the instruction there runs into
		 * the hole: fetching it is a reference through CS to a
		 * non-canonical address, #GP(0) (SDM Vol.1 3.3.7.1; Vol.3 6.15
		 * int 13), raised for the instruction at the target. */
		set_verdict(out, VEC_GP, 0, ~0u, 0, "fetch runs into the hole", CITE_GP);
		return;
	}
	/* Every fault of the class "faults on executing an instruction" this
	 * access qualifies for, in the model's order: the canonical check,
	 * the instruction's alignment #GP, alignment checking's #AC, paging.
	 * The first is the verdict, the others its alternatives: within the
	 * class the order is implementation-dependent (SDM Vol.3 6.9). */
	out->nalt = 0;
	unsigned found = 0;
	bool canonical = fetch || range_is_canonical(start, (unsigned)left, a->paging_levels);
	if (!canonical) {
		/* SDM Vol.3 6.15 int12: non-canonical reference via SS -> #SS(0);
		 * int13: any other segment -> #GP(0).  APM Vol.2 8.2.13/8.2.14. */
		if (seg == SEG_SS)
			add_fault(out, &found, VEC_SS, 0, ~0u, 0, noncanon_reason[seg], CITE_SS);
		else
			add_fault(out, &found, VEC_GP, 0, ~0u, 0, noncanon_reason[seg], CITE_GP);
	}
	/* An instruction that requires an aligned operand raises #GP(0)
	 * "regardless of segment" (SDM Vol.2A 2.4, Type 1 class; Vol.3 6.15
	 * int13): #GP even through SS.  It comes before paging (a misaligned
	 * MOVAPS to an unmapped page is #GP, not #PF: Vol.3 6.9 lists general
	 * protection before data page faults); the manuals give no order
	 * between it and the canonical check, so it is an alternative there. */
	if (align_gp(a, &span))
		add_fault(out, &found, VEC_GP, 0, ~0u, 0, "misaligned operand", CITE_ALIGN);
	bool ac_optional = false;
	if (align_ac(a, &span, &ac_optional) && !ac_optional)
		add_fault(out, &found, VEC_AC, 0, ~0u, 0, "alignment check", CITE_AC);
	/* an #AC the manuals leave to the implementation comes last, and when
	 * nothing else faults, "no fault" is the verdict and #AC the
	 * alternative */
	if (!canonical) {
		if (ac_optional)
			add_alt(out, VEC_AC, "alignment check (implementation-dependent)");
		return;   /* a non-canonical address is never translated */
	}

	/* Paging, page by page in address order (wrapping modulo 2^64); CR2 is
	 * the first byte of the access on the first failing page.  A fetch
	 * only checks the target byte: the instruction length is unknown. */
	while (left) {
		uint64_t chunk = PAGE_SIZE - (start & (PAGE_SIZE - 1));
		struct rule_verdict pf;

		if (chunk > left)
			chunk = left;
		if (rule_page_faults(a, start, write, fetch, &pf)) {
			add_fault(out, &found, pf.vector, pf.error_code, pf.error_mask, pf.cr2,
				  pf.reason, pf.cite);
			/* A save area (FXSAVE/FXRSTOR/XSAVE, the only accesses
			 * wider than 32 bytes: many elements, stored in no order
			 * the manuals define) may report any byte of it on the
			 * failing page in CR2 (measured: AMD reports the last;
			 * docs/protection.md). */
			if (a->width > 32)
				set_cr2_hi(out, found, start + chunk - 1);
			if (a->store_reads)
				unmask_wr(out, found);
			if (ac_optional)
				add_alt(out, VEC_AC, "alignment check (implementation-dependent)");
			return;
		}
		start += chunk;
		left -= chunk;
	}
	if (!found)
		set_verdict(out, VEC_NONE, 0, 0, 0, "ok", CITE_OK);
	if (ac_optional)
		add_alt(out, VEC_AC, "alignment check (implementation-dependent)");
}

static bool matches(int want, uint32_t want_err, uint32_t mask, uint64_t want_cr2,
		    uint64_t cr2_hi, int vector, uint64_t error_code, uint64_t cr2)
{
	if (vector != want)
		return false;
	if (vector == VEC_NONE)
		return true;
	if (vector_has_error_code(vector) && ((error_code ^ want_err) & mask) != 0)
		return false;
	if (vector == VEC_DF && want_cr2)
		return cr2 == want_cr2;   /* the last #PF before the #DF (rules_deliver.c) */
	if (vector != VEC_PF)
		return true;
	return cr2 == want_cr2 || (cr2_hi > want_cr2 && cr2 > want_cr2 && cr2 <= cr2_hi);
}

bool rule_agrees(const struct rule_verdict *v, int vector, uint64_t error_code,
		 uint64_t cr2)
{
	if (matches(v->vector, v->error_code, v->error_mask, v->cr2, v->cr2_hi, vector,
		    error_code, cr2))
		return true;
	for (unsigned i = 0; i < v->nalt && i < RULE_MAX_ALT; i++)
		if (matches(v->alt[i].vector, v->alt[i].error_code, v->alt[i].error_mask,
			    v->alt[i].cr2, v->alt[i].cr2_hi, vector, error_code, cr2))
			return true;
	return false;
}

static bool same_str(const char *a, const char *b)
{
	return a && b && fp_strcmp(a, b) == 0;
}

bool rule_agrees_frame(const struct rule_verdict *v, uint64_t frame_cs,
		       const char *rip_at, const char *stack)
{
	if (v->vector == VEC_NONE)
		return true;
	if (v->fault_cpl >= 0 && (int)(frame_cs & 3) != v->fault_cpl)
		return false;
	if (v->rip_at && !same_str(v->rip_at, rip_at))
		return false;
	return !v->stack || !stack || same_str(v->stack, stack);
}

/* SDM Vol.3 6.15 interrupt 8, Table 6-5: contributory exceptions are #DE,
 * #TS, #NP, #SS, #GP; page faults are #PF (and #VE).  A contributory
 * exception while delivering a contributory one, or a contributory
 * exception or #PF while delivering a #PF, is a #DF; a further such fault
 * while delivering the #DF shuts the processor down.  Anything else is
 * handled serially (the second exception is delivered). */
static int fault_class(int v)
{
	switch (v) {
	case VEC_DE: case VEC_TS: case VEC_NP: case VEC_SS: case VEC_GP:
		return 1;               /* contributory */
	case VEC_PF: case VEC_VE:
		return 2;               /* page fault   */
	case VEC_DF:
		return 3;
	default:
		return 0;               /* benign       */
	}
}

int rule_combine(int first, int second)
{
	int f = fault_class(first), s = fault_class(second);

	if (f == 3 && (s == 1 || s == 2))
		return RULE_SHUTDOWN;
	if ((f == 1 && s == 1) || (f == 2 && (s == 1 || s == 2)))
		return VEC_DF;
	return second;
}
