/* The prot32 record and the labelled stack view (prot32.h).  Portable:
 * the host unit tests feed it hand-made records. */
#include "prot32.h"
#include "../model/vectors.h"
#include "../model/x86.h"

#define EFLAGS_RF ((uint32_t)RFLAGS_RF)

static void fail_word(struct strbuf *sb, bool *first, bool ok, const char *what)
{
	if (ok)
		return;
	if (!*first)
		sb_putc(sb, ',');
	sb_puts(sb, what);
	*first = false;
}

void p32_record(struct rec *rec, unsigned id, const struct prot32_raw *r,
		const struct p32_verdict *v, const char *platform)
{
	struct strbuf *sb;

	rec_init(rec, "prot32");
	rec_dec(rec, "id", id);
	rec_str(rec, "probe", p32_probe_name(r->probe));
	rec_dec(rec, "esp_mod16", r->esp_mod16);
	rec_hex(rec, "addr", r->addr, 8);
	rec_hex(rec, "pre_esp", r->pre_esp, 8);
	if (r->probe == P32_GP_LIMIT || r->probe == P32_SS_LIMIT)
		rec_hex(rec, "seg_limit", r->seg_limit, 8);
	rec_vec(rec, "vector", v->faulted ? (int)r->vector : VEC_NONE);
	if (v->faulted && v->has_err && v->frame_in_window)
		rec_hexmin(rec, "err", v->err);
	else
		rec_str(rec, "err", "-");
	if (v->rule_cr2 || r->cr2 != 0)
		rec_hex(rec, "cr2", r->cr2, 8);
	else
		rec_str(rec, "cr2", "-");
	rec_vec(rec, "rule", v->rule_vector);
	rec_hexmin(rec, "rule_err", v->rule_err);
	sb = rec_text_begin(rec);
	if (v->setup_failed) {
		/* e.g. setup=#GP@0x001004ed: the set-up instruction that faulted */
		int sv = (int)r->setup_vector;
		vector_put(sb, sv);
		sb_puts(sb, "@0x");
		sb_hex(sb, vector_has_error_code(sv) ? r->setup_words[1] : r->setup_words[0], 8);
	} else {
		sb_puts(sb, "ok");
	}
	rec_text_end(rec, "setup");

	if (v->faulted && v->frame_in_window) {
		rec_str(rec, "eip_at", v->eip_ok ? "insn" : "other");
		sb = rec_text_begin(rec);
		sb_puts(sb, "esp");
		sb_putc(sb, v->frame_off >= 0 ? '+' : '-');
		sb_dec(sb, (uint64_t)(v->frame_off < 0 ? -v->frame_off : v->frame_off));
		rec_text_end(rec, "frame_at");
		sb = rec_text_begin(rec);
		sb_dec(sb, v->pushed - (v->has_err ? 1 : 0));
		if (v->has_err)
			sb_puts(sb, "+err");
		rec_text_end(rec, "frame_slots");
		rec_yesno(rec, "ss_esp_pushed", v->ss_esp_pushed);
		rec_sdec(rec, "gap", v->gap);
		rec_str(rec, "aligned16", v->aligned16);
		rec_hex(rec, "cs", r->cs_sel, 4);
		rec_hex(rec, "cs_slot", v->cs_slot, 8);
		rec_str(rec, "cs_hi", v->cs_hi);
		rec_hex(rec, "eflags", v->eflags, 8);
		rec_str(rec, "rf", (v->eflags & EFLAGS_RF) ? "1" : "0");
		rec_str(rec, "below", v->below);
	} else {
		static const char *const dash[] = {
			"eip_at", "frame_at", "frame_slots", "ss_esp_pushed", "gap", "aligned16",
			"cs", "cs_slot", "cs_hi", "eflags", "rf", "below",
		};
		for (unsigned i = 0; i < sizeof(dash) / sizeof(dash[0]); i++)
			rec_str(rec, dash[i], "-");
	}
	rec_yesno(rec, "agrees", v->agrees);
	sb = rec_text_begin(rec);
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
	rec_text_end(rec, "fails");
	rec_str(rec, "mode", "prot32");
	rec_str(rec, "platform", platform);
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
