/* The softframe record and the side-by-side rows (softframe.h). */
#include "softframe.h"

void sf_record(struct rec *rec, const struct sf_case *c, enum sf_slot s,
	       const struct sf_diff *d, const char *platform)
{
	rec_init(rec, "softframe");
	rec_str(rec, "case", c->name);
	rec_hexmin(rec, "vector", c->vector);
	rec_dec(rec, "adjust", c->adjust);
	rec_dec(rec, "gate_ist", c->gate_ist);
	rec_dec(rec, "or_if", c->or_if ? 1 : 0);
	rec_str(rec, "slot", sf_slot_name(s));
	if (d->hw_str) {
		rec_str(rec, "hw", d->hw_str);
		rec_str(rec, "sw", d->sw_str ? d->sw_str : "-");
	} else if (s == SF_PAD) {
		rec_dec(rec, "hw", d->hw);
		rec_dec(rec, "sw", d->sw);
	} else {
		rec_hexmin(rec, "hw", d->hw);
		rec_hexmin(rec, "sw", d->sw);
	}
	rec_yesno(rec, "same", d->same);
	if (s == SF_RFLAGS) {
		rflags_names(rec_text_begin(rec), d->flag_diff);
		rec_text_end(rec, "diff");
		/* INT n: "RF is pushed as 0, since it was cleared at the start of
		 * the software interrupt" (SDM Vol. 3 17.3.1.1); PUSHF stores RF
		 * as 0 (SDM Vol. 2, PUSHF). */
		rec_dec(rec, "hw_rf", (d->hw & RFLAGS_RF) ? 1 : 0);
		rec_dec(rec, "hw_rf_rule", 0);
		rec_dec(rec, "sw_rf", (d->sw & RFLAGS_RF) ? 1 : 0);
	}
	rec_str(rec, "why", d->why);
	if (platform)
		rec_str(rec, "platform", platform);
}

void sf_format_header(struct strbuf *sb)
{
	sb_puts(sb, "  slot:   hardware (int n)    software (call)     same  note");
}

void sf_format_row(struct strbuf *sb, enum sf_slot s, const struct sf_diff *d)
{
	size_t start = sb->len;
	sb_puts(sb, "  ");
	sb_puts(sb, sf_slot_name(s));
	sb_putc(sb, ':');
	sb_pad_to(sb, start + 10);
	if (d->hw_str) {
		sb_puts(sb, d->hw_str);
		sb_pad_to(sb, start + 30);
		sb_puts(sb, d->sw_str ? d->sw_str : "-");
	} else if (s == SF_PAD) {
		sb_dec(sb, d->hw);
		sb_pad_to(sb, start + 30);
		sb_dec(sb, d->sw);
	} else {
		sb_hex64(sb, d->hw);
		sb_pad_to(sb, start + 30);
		sb_hex64(sb, d->sw);
	}
	sb_pad_to(sb, start + 50);
	sb_puts(sb, d->same ? "yes" : "NO");
	if (!d->same) {
		sb_pad_to(sb, start + 56);
		sb_puts(sb, d->why);
		if (s == SF_RFLAGS) {
			sb_puts(sb, " (");
			rflags_names(sb, d->flag_diff);
			sb_putc(sb, ')');
		}
	}
}
