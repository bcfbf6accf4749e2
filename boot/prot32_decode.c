/* Decoding and printing the 32-bit protected-mode probe records
 * (boot/prot32.h).  Portable: no kernel dependencies; the host unit tests
 * (tests/unit/test_prot32.c) feed it hand-made records.
 *
 * The rule for a 32-bit frame without a privilege change:
 *   SDM Vol. 3 6.12.1: "If the handler procedure is going to be executed at
 *   the same privilege level as the interrupted procedure: a. The processor
 *   saves the current state of the EFLAGS, CS, and EIP registers on the
 *   current stack (see Figure 6-4). b. If an exception causes an error code
 *   to be saved, it is pushed on the current stack after the EIP value."
 *   (Vol. 1 6.5.1 -- 6.4.1 in older editions -- says the same, Figure 6-5.)
 * So: 3 slots + error code right below ESP; SS:ESP only with a stack switch
 * (a CPL change); no 16-byte alignment, which is a 64-bit-mode rule
 * (Vol. 3 6.14.2).
 *
 * The CS slot is a dword.  For an event frame the manuals do not say what
 * its upper 16 bits hold; for PUSH of a segment register they allow both:
 *   SDM Vol. 2 PUSH: "if the operand size is 32-bits, either a zero-extended
 *   value is pushed on the stack or the segment selector is written on the
 *   stack using a 16-bit move. For the last case, all recent Core and Atom
 *   processors perform a 16-bit move, leaving the upper portion of the stack
 *   location unmodified."
 * Linux's entry_32.S clears those bits itself ("Clear them in case hardware
 * didn't do this for us"), after the review quoted in seed 002.  So cs_hi
 * is reported (zero / poison / other), never judged. */
#include "prot32.h"
#include "../probes/model/vectors.h"

#define EFLAGS_BIT1 (1u << 1)   /* reserved, always 1 (SDM Vol. 1 3.4.3) */
#define EFLAGS_RF   (1u << 16)

static const struct {
	const char *name, *insn, *cite;
} probe_info[P32_PROBE_COUNT] = {
	[P32_GP_SEL]   = { "gp-sel", "mov %ax,%ds (selector 0xfff8, beyond the GDT limit)",
			   "SDM Vol.2 MOV: #GP(selector) if the index is outside the table limit; Vol.3 6.13 error code" },
	[P32_GP_NULL]  = { "gp-null", "mov (%ebx),%eax with DS = NULL selector",
			   "SDM Vol.2 MOV: #GP(0) if DS/ES/FS/GS holds a NULL selector and is used" },
	[P32_GP_LIMIT] = { "gp-limit", "mov (%ebx),%eax, ebx = DS limit + 1",
			   "SDM Vol.2 MOV: #GP(0) outside the DS limit; Vol.3 6.15 int 13" },
	[P32_SS_LIMIT] = { "ss-limit", "mov 0x0(%ebp),%eax, ebp = SS limit + 1",
			   "SDM Vol.2 MOV: #SS(0) outside the SS limit; Vol.1 3.7.4 (EBP base -> SS); Vol.3 6.15 int 12" },
	[P32_PF_READ]  = { "pf-read", "mov (%ebx),%eax on a not-present 2 MiB page (PAE paging)",
			   "SDM Vol.3 4.4, 4.7: #PF, error code P=0 W/R=0 U/S=0, CR2 = address" },
	[P32_PF_WRITE] = { "pf-write", "mov %eax,(%ebx) on a not-present 2 MiB page (PAE paging)",
			   "SDM Vol.3 4.4, 4.7: #PF, error code P=0 W/R=1 U/S=0, CR2 = address" },
};

const char *p32_probe_name(unsigned probe)
{
	return probe < P32_PROBE_COUNT ? probe_info[probe].name : "unknown";
}

const char *p32_probe_insn(unsigned probe)
{
	return probe < P32_PROBE_COUNT ? probe_info[probe].insn : "?";
}

const char *p32_probe_cite(unsigned probe)
{
	return probe < P32_PROBE_COUNT ? probe_info[probe].cite : "?";
}

void p32_rule(unsigned probe, const struct prot32_raw *r, int *vector, uint32_t *err)
{
	(void)r;
	*err = 0;
	switch (probe) {
	case P32_GP_SEL:
		/* Selector error code: index | TI | IDT | EXT (Vol. 3 6.13);
		 * TI=0 (GDT), IDT=0, EXT=0 for a MOV. */
		*vector = VEC_GP;
		*err = P32_BAD_SELECTOR & 0xfff8u;
		break;
	case P32_GP_NULL:
	case P32_GP_LIMIT:
		*vector = VEC_GP;
		break;
	case P32_SS_LIMIT:
		*vector = VEC_SS;
		break;
	case P32_PF_READ:
		*vector = VEC_PF;
		break;
	case P32_PF_WRITE:
		*vector = VEC_PF;
		*err = 1u << 1;   /* W/R */
		break;
	default:
		*vector = VEC_NONE;
		break;
	}
}

void p32_decode(const struct prot32_raw *r, struct p32_verdict *v)
{
	*v = (struct p32_verdict){
		.aligned16 = "-", .cs_hi = "-", .below = "-",
	};
	p32_rule(r->probe, r, &v->rule_vector, &v->rule_err);
	v->rule_cr2 = v->rule_vector == VEC_PF;
	if (r->setup_vector != P32_NO_VECTOR) {
		/* Nothing was probed: no observation to judge. */
		v->setup_failed = true;
		return;
	}
	v->faulted = r->vector != P32_NO_VECTOR;
	int vector = v->faulted ? (int)r->vector : VEC_NONE;

	v->vector_ok = vector == v->rule_vector;
	if (v->rule_cr2)
		v->cr2_ok = v->faulted && r->cr2 == r->addr;
	else
		v->cr2_ok = r->cr2 == 0;   /* the sentinel written before the probe */

	if (!v->faulted) {
		v->err_ok = v->rule_vector == VEC_NONE;
		v->agrees = v->vector_ok && v->cr2_ok && v->err_ok;
		return;
	}

	v->has_err = vector_has_error_code(vector);
	v->frame_off = (int)(int32_t)(r->handler_esp - r->pre_esp);

	/* Locate the frame inside the snapshot window [pre_esp-32, pre_esp+16). */
	uint32_t base = r->pre_esp - 4u * P32_WORDS_BELOW;
	uint32_t delta = r->handler_esp - base;
	unsigned need = v->has_err ? 4 : 3;
	if ((delta & 3) == 0 && delta / 4 + need <= P32_WORDS && r->handler_esp >= base) {
		unsigned i = delta / 4;
		v->frame_in_window = true;
		if (v->has_err)
			v->err = r->words[i++];
		v->eip = r->words[i++];
		v->cs_slot = r->words[i++];
		v->eflags = r->words[i++];
		v->pushed = need;
		/* SS:ESP would sit right above EFLAGS (Figure 6-4, with a
		 * privilege change): the old ESP, then the old SS. */
		if (i + 2 <= P32_WORDS && r->words[i] == r->pre_esp &&
		    (r->words[i + 1] & 0xffffu) == r->ss_sel) {
			v->ss_esp_pushed = true;
			v->pushed += 2;
		}
		uint32_t top = r->handler_esp + 4u * v->pushed;
		v->gap = (int)(int32_t)(r->pre_esp - top);
		if (r->esp_mod16 == 0)
			v->aligned16 = "n/a";    /* aligned or not, same place */
		else if (v->gap == 0)
			v->aligned16 = "no";
		else if (top == (r->pre_esp & ~15u))
			v->aligned16 = "yes";
		else
			v->aligned16 = "other";

		uint32_t hi = v->cs_slot >> 16;
		v->cs_hi = hi == 0 ? "zero" : hi == (P32_POISON_BELOW >> 16) ? "poison" : "other";

		unsigned below = delta / 4;
		v->below = below ? "poison" : "-";
		for (unsigned k = 0; k < below; k++)
			if (r->words[k] != P32_POISON_BELOW)
				v->below = "written";
	}

	/* (an unreadable frame is reported once, as frame-not-found) */
	v->err_ok = !v->has_err ? v->rule_err == 0 : !v->frame_in_window || v->err == v->rule_err;
	v->eip_ok = v->frame_in_window && v->eip == r->fault_eip;   /* faults: Vol.3 6.5 */
	v->layout_ok = v->frame_in_window && !v->ss_esp_pushed && v->gap == 0 &&
		       v->frame_off == -(int)(4 * v->pushed);
	v->eflags_ok = v->frame_in_window && (v->eflags & EFLAGS_BIT1) &&
		       (v->eflags & ~EFLAGS_RF) == (r->eflags_pre & ~EFLAGS_RF);
	/* "For any fault-class exception except a debug exception generated in
	 * response to an instruction breakpoint, the value pushed for RF is 1"
	 * (SDM Vol. 3 17.3.1.1; 18.3.1.1 in newer editions). */
	v->rf_ok = v->frame_in_window && (v->eflags & EFLAGS_RF);
	v->cs_ok = v->frame_in_window && (v->cs_slot & 0xffffu) == r->cs_sel;
	v->agrees = v->vector_ok && v->err_ok && v->cr2_ok && v->eip_ok && v->layout_ok &&
		    v->eflags_ok && v->rf_ok && v->cs_ok;
}

static void put_vector(struct strbuf *sb, int vector)
{
	const char *m = vector_mnemonic(vector);
	if (m) {
		sb_puts(sb, m);
	} else {
		sb_puts(sb, "vec");
		sb_dec(sb, (uint64_t)(uint32_t)vector);
	}
}

static void kv_hex32(struct strbuf *sb, const char *key, uint32_t v)
{
	sb_putc(sb, ' ');
	sb_puts(sb, key);
	sb_puts(sb, "=0x");
	sb_hex(sb, v, 8);
}

static void fail_word(struct strbuf *sb, bool *first, bool ok, const char *what)
{
	if (ok)
		return;
	if (!*first)
		sb_putc(sb, ',');
	sb_puts(sb, what);
	*first = false;
}

void p32_format_record(struct strbuf *sb, unsigned id, const struct prot32_raw *r,
		       const struct p32_verdict *v, const char *platform)
{
	sb_puts(sb, "prot32");
	sb_kv_dec(sb, "id", id);
	sb_kv_str(sb, "probe", p32_probe_name(r->probe));
	sb_kv_dec(sb, "esp_mod16", r->esp_mod16);
	kv_hex32(sb, "addr", r->addr);
	kv_hex32(sb, "pre_esp", r->pre_esp);
	if (r->probe == P32_GP_LIMIT || r->probe == P32_SS_LIMIT)
		kv_hex32(sb, "seg_limit", r->seg_limit);
	sb_puts(sb, " vector=");
	put_vector(sb, v->faulted ? (int)r->vector : VEC_NONE);
	if (v->faulted && v->has_err && v->frame_in_window)
		sb_kv_hexmin(sb, "err", v->err);
	else
		sb_kv_str(sb, "err", "-");
	if (v->rule_cr2 || r->cr2 != 0)
		kv_hex32(sb, "cr2", r->cr2);
	else
		sb_kv_str(sb, "cr2", "-");
	sb_puts(sb, " rule=");
	put_vector(sb, v->rule_vector);
	sb_kv_hexmin(sb, "rule_err", v->rule_err);
	sb_puts(sb, " setup=");
	if (v->setup_failed) {
		/* e.g. setup=#GP@0x001004ed: the set-up instruction that faulted */
		int sv = (int)r->setup_vector;
		put_vector(sb, sv);
		sb_puts(sb, "@0x");
		sb_hex(sb, vector_has_error_code(sv) ? r->setup_words[1] : r->setup_words[0], 8);
	} else {
		sb_puts(sb, "ok");
	}

	if (v->faulted && v->frame_in_window) {
		sb_kv_str(sb, "eip_at", v->eip_ok ? "insn" : "other");
		sb_puts(sb, " frame_at=esp");
		if (v->frame_off >= 0)
			sb_putc(sb, '+');
		else
			sb_putc(sb, '-');
		sb_dec(sb, (uint64_t)(v->frame_off < 0 ? -v->frame_off : v->frame_off));
		sb_puts(sb, " frame_slots=");
		sb_dec(sb, v->pushed - (v->has_err ? 1 : 0));
		if (v->has_err)
			sb_puts(sb, "+err");
		sb_kv_str(sb, "ss_esp_pushed", v->ss_esp_pushed ? "yes" : "no");
		sb_puts(sb, " gap=");
		if (v->gap < 0) {
			sb_putc(sb, '-');
			sb_dec(sb, (uint64_t)-v->gap);
		} else {
			sb_dec(sb, (uint64_t)v->gap);
		}
		sb_kv_str(sb, "aligned16", v->aligned16);
		sb_puts(sb, " cs=0x");
		sb_hex(sb, r->cs_sel, 4);
		kv_hex32(sb, "cs_slot", v->cs_slot);
		sb_kv_str(sb, "cs_hi", v->cs_hi);
		kv_hex32(sb, "eflags", v->eflags);
		sb_kv_str(sb, "rf", (v->eflags & EFLAGS_RF) ? "1" : "0");
		sb_kv_str(sb, "below", v->below);
	} else {
		static const char *const dash[] = {
			"eip_at", "frame_at", "frame_slots", "ss_esp_pushed", "gap", "aligned16",
			"cs", "cs_slot", "cs_hi", "eflags", "rf", "below",
		};
		for (unsigned i = 0; i < sizeof(dash) / sizeof(dash[0]); i++)
			sb_kv_str(sb, dash[i], "-");
	}
	sb_kv_str(sb, "agrees", v->agrees ? "yes" : "no");
	sb_puts(sb, " fails=");
	if (v->agrees) {
		sb_putc(sb, '-');
	} else if (v->setup_failed) {
		sb_puts(sb, "setup");
	} else {
		bool first = true;
		bool f = v->faulted && v->frame_in_window;
		fail_word(sb, &first, v->vector_ok, "vector");
		fail_word(sb, &first, v->err_ok, "err");
		fail_word(sb, &first, v->cr2_ok, "cr2");
		if (v->faulted) {
			fail_word(sb, &first, f, "frame-not-found");
			fail_word(sb, &first, !f || v->eip_ok, "eip");
			fail_word(sb, &first, !f || v->layout_ok, "layout");
			fail_word(sb, &first, !f || v->eflags_ok, "eflags");
			fail_word(sb, &first, !f || v->rf_ok, "rf");
			fail_word(sb, &first, !f || v->cs_ok, "cs");
		}
		if (first)
			sb_putc(sb, '-');
	}
	sb_kv_str(sb, "mode", "prot32");
	sb_kv_str(sb, "platform", platform);
}

void p32_format_stack(const struct prot32_raw *r, const struct p32_verdict *v,
		      p32_line_fn out, void *ctx)
{
	char buf[160];
	struct strbuf sb;
	uint32_t base = r->pre_esp - 4u * P32_WORDS_BELOW;
	unsigned frame_i = P32_WORDS;   /* index of the lowest hardware slot */
	if (v->faulted && v->frame_in_window)
		frame_i = (r->handler_esp - base) / 4;

	for (unsigned i = 0; i < P32_WORDS; i++) {
		uint32_t a = base + 4 * i;
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "    ");
		sb_hex(&sb, a, 8);
		sb_puts(&sb, ": ");
		sb_hex(&sb, r->words[i], 8);
		size_t bare = sb.len;
		sb_puts(&sb, "  ");
		if (i >= frame_i && i < frame_i + v->pushed) {
			unsigned slot = i - frame_i + (v->has_err ? 0 : 1);
			static const char *const names[] = {
				"[Error Code]", "[eip]", "[CS]", "[EFLAGS]", "[esp]", "[ss]",
			};
			sb_puts(&sb, slot < 6 ? names[slot] : "[?]");
			if (slot == 1)
				sb_puts(&sb, v->eip_ok ? " = the probed instruction" : " (not the probed instruction)");
			if (slot == 2) {
				sb_puts(&sb, " upper 16 bits ");
				sb_hex(&sb, v->cs_slot >> 16, 4);
				sb_puts(&sb, fp_strcmp(v->cs_hi, "zero") == 0 ? " (zero-extended)" :
					     fp_strcmp(v->cs_hi, "poison") == 0 ? " (poison kept: 16-bit store)" :
					     " (neither zero nor poison)");
			}
			if (slot == 3 && (v->eflags & EFLAGS_RF))
				sb_puts(&sb, " RF=1");
		} else if (a == r->pre_esp) {
			sb_puts(&sb, "<- pre-fault ESP");
			if (v->faulted && v->frame_in_window)
				sb_puts(&sb, v->ss_esp_pushed ? "" : v->gap == 0 ?
					" (frame right below it: no SS:ESP, no pad)" : " (pad between frame and ESP)");
		} else if (i < frame_i && r->words[i] == P32_POISON_BELOW) {
			sb_puts(&sb, "poison (untouched)");
		} else if (i >= frame_i + v->pushed && a < r->pre_esp) {
			sb_puts(&sb, r->words[i] == P32_POISON_BELOW ? "pad (poison)" : "pad");
		}
		if (sb.len == bare + 2) {   /* no label: no trailing blanks */
			sb.len = bare;
			buf[bare] = 0;
		}
		out(ctx, buf);
	}
}
