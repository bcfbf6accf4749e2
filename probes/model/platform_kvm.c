/* The kvm-emulator model: KVM's x86 instruction emulator
 * (arch/x86/kvm/emulate.c) delivering the fault, as on machines whose
 * /dev/kvm emulates faulting accesses (this project's KVM: the PVM back
 * end, docs/deviations.md "Platforms").  The manuals' outcome
 * (platform.c), departed from only in the named branches below, each
 * naming a `##` heading of docs/deviations.md and citing the Linux source.
 *
 * Reference: no new KVM log can be made without /dev/kvm; the KVM
 * observations recorded in earlier sessions are the kvm expectation files
 * (tests/expect/kvm/, kvm-prot32/, kvm-emulator-common/ and the retired
 * matrix expectations kept as tests/ref/kvm-matrix.expect.gz): every row
 * is what KVM did, and tests/boot/case-models.sh replays every row through
 * this model.
 *
 * Outside what those rows cover the model says "unknown":
 *   - CPL 3: the recorded host gave different #PF error codes for the same
 *     ring-3 access on different runs (tests/expect/kvm-matrix header);
 *   - 16- and 32-byte accesses: the emulator has no VEX decoding and stopped
 *     the guest ("emulation failure") on vmovups, and once on the 16-byte
 *     SSE stub (kvm-emulation-failure);
 *   - a straddle whose first page is present (CR2 of the second piece);
 *   - the repfault and fsgs families (base loads, movs with both operands,
 *     FS/GS bases): recorded after the last /dev/kvm session. */
#include "platform_impl.h"
#include "vectors.h"

/* arch/x86/kvm/emulate.c, x86_decode_insn(): "case 0x26: (ES override)
 * case 0x2e: case 0x36: case 0x3e: has_seg_override = true;
 * ctxt->seg_override = (ctxt->b >> 3) & 3;" in every mode, and
 * __linearize() then picks emulate_ss() when that segment is SS and
 * emulate_gp() otherwise.  64-bit seg_base() is 0 for them, so only the
 * #SS/#GP choice follows the prefix the manuals say is ignored. */
#define WHY_SEG_OVERRIDE "arch/x86/kvm/emulate.c x86_decode_insn(): ES/CS/SS/DS overrides are decoded in 64-bit mode too, and __linearize() raises #SS or #GP by that segment"

/* arch/x86/kvm/emulate.c, __linearize(), X86EMUL_MODE_PROT64:
 * "if (!__is_canonical_address(la, va_bits)) goto bad; *max_size =
 * min_t(u64, ~0u, (1ull << va_bits) - la); if (size > *max_size) goto bad;"
 * Only the first byte is canonical-checked and the length is bounded by
 * 2^va_bits, not by the end of the lower canonical half: an access that
 * runs into the hole reaches the emulated page walk, which injects #PF with
 * CR2 = la. */
#define WHY_STRADDLE "arch/x86/kvm/emulate.c __linearize(): only the first byte is canonical-checked, the length is bounded by 2^va_bits; the page walk then faults at CR2 = start"

/* The segment the emulator decodes for the access: an explicit prefix
 * wins for the operands that take one (decode_modrm()/adjust_modrm_seg():
 * RSP/RBP base -> SS, else DS; string source DS; "seg_override" applied by
 * x86_decode_insn()); push/pop always SS (em_push()/emulate_pop()), the
 * string destination always ES (OpDI: "op->addr.mem.seg = VCPU_SREG_ES"). */
static enum segment kvm_segment(const struct access *a, const struct access_span *span)
{
	static const enum segment from_prefix[SEGP_COUNT] = {
		[SEGP_ES] = SEG_ES, [SEGP_CS] = SEG_CS, [SEGP_SS] = SEG_SS,
		[SEGP_DS] = SEG_DS, [SEGP_FS] = SEG_FS, [SEGP_GS] = SEG_GS,
	};

	switch (a->op) {
	case OP_LOAD:
	case OP_STORE:
	case OP_LODS:
	case OP_MOVS:
		if (a->prefix != SEGP_NONE && (unsigned)a->prefix < SEGP_COUNT)
			return from_prefix[a->prefix];
		return span->seg;
	default:
		return span->seg;
	}
}

void platform_kvm64(const struct access *a, struct platform_outcome *out)
{
	struct access_span span;

	if (a->deliver) {
		platform_unknown(out, "event delivery (the sysret and badstack families) was never run under KVM's emulator: no reference");
		return;
	}
	if (a->cpl != 0) {
		platform_unknown(out, "KVM's emulator at CPL 3: the recorded host gave run-to-run different #PF error codes there; no reference");
		return;
	}
	if (a->width > 8 && (a->op == OP_LOAD || a->op == OP_STORE)) {
		platform_unknown(out, "16/32-byte SSE/AVX accesses: KVM's emulator stopped the guest (kvm-emulation-failure); no reference");
		return;
	}
	if (a->align || a->cr0_am || a->rflags_ac || a->cr0_wp_off || a->cr4_smap ||
	    a->cr4_pke || a->store_reads || a->rmw) {
		platform_unknown(out, "alignment, SMAP, CR0.WP and protection-key probes (sets align, smap, pgprot): not run under KVM (no /dev/kvm since they exist); no reference");
		return;
	}
	if (a->op == OP_WRFSBASE || a->op == OP_WRGSBASE || a->op == OP_WRMSR ||
	    a->dst_known || a->seg_base) {
		platform_unknown(out, "base loads, movs with its [rdi] modelled, FS/GS bases (the repfault and fsgs families): no KVM reference (no /dev/kvm since they exist)");
		return;
	}
	access_span(a, &span);
	if (span.fetch)
		return;   /* assign_eip(): a non-canonical target is #GP at the branch, as the rule says */

	int rule_vector = out->vector;
	uint64_t la = span.start;
	unsigned va_bits = a->paging_levels == 5 ? 57 : 48;
	uint64_t max_size = ((uint64_t)1 << va_bits) - la;

	if (max_size > 0xffffffffu)
		max_size = 0xffffffffu;
	if (!addr_is_canonical(la, a->paging_levels) || span.len > max_size) {
		/* __linearize(): "bad: if (addr.seg == VCPU_SREG_SS) return
		 * emulate_ss(ctxt, 0); else return emulate_gp(ctxt, 0);" */
		enum segment seg = kvm_segment(a, &span);
		int vec = seg == SEG_SS ? VEC_SS : VEC_GP;

		platform_set_exception(out, vec, 0, 0);
		if (vec != rule_vector)
			platform_deviate(out, "kvm-seg-override-not-ignored", WHY_SEG_OVERRIDE);
	} else {
		struct rule_verdict pf;
		int page = platform_page_walk(a, span.start, span.len, span.write, false, &pf);

		if (page > 0) {
			platform_unknown(out, "a later page faults after a present first page: no reference for the emulator's CR2 there");
			return;
		}
		if (page == 0) {
			platform_set_exception(out, VEC_PF, pf.error_code, pf.cr2);
			out->error_mask = pf.error_mask;
		} else {
			platform_set_exception(out, VEC_NONE, 0, 0);
		}
		if (out->vector != rule_vector)
			platform_deviate(out, "kvm-straddle-pf", WHY_STRADDLE);
	}
	/* Delivery is the CPU's (KVM injects the event): RF = 1 for faults
	 * (arch/x86/kvm/x86.c inject_pending_event(): "if (exception_type(...)
	 * == EXCPT_FAULT) __kvm_set_rflags(..., | X86_EFLAGS_RF)"), SS kept on
	 * an IST switch without a CPL change: the manuals' frame. */
	platform_frame64(a, out);
}

void platform_kvm32(const struct access32 *a, struct platform_outcome *out)
{
	/* tests/expect/kvm-prot32: the selector, NULL-segment and limit checks
	 * are made and the frame is the manuals' (RF=1, no SS:ESP, no
	 * alignment).  The CS slot's upper half was zero there, but who wrote
	 * it (the host CPU injecting, or the emulator) is not established:
	 * left unknown, as for silicon. */
	(void)a;
	(void)out;
}
