#include "record.h"
#include "../probes/model/vectors.h"

void record_put_vector(struct strbuf *sb, int vector)
{
	const char *m = vector_mnemonic(vector);
	if (m) {
		sb_puts(sb, m);
	} else {
		sb_puts(sb, "vec");
		sb_dec(sb, (uint64_t)vector);
	}
}

static void kv_vector(struct strbuf *sb, const char *key, int vector)
{
	sb_putc(sb, ' ');
	sb_puts(sb, key);
	sb_putc(sb, '=');
	record_put_vector(sb, vector);
}

void record_format_line(struct strbuf *sb, const struct probe_record *r)
{
	bool faulted = r->vector != VEC_NONE;

	sb_puts(sb, "probe");
	sb_kv_dec(sb, "id", r->id);
	sb_kv_str(sb, "set", r->set);
	if (r->slice)
		sb_kv_str(sb, "slice", r->slice);
	sb_kv_str(sb, "op", r->op);
	sb_kv_str(sb, "base", r->base);
	sb_kv_str(sb, "index", r->index);
	sb_kv_str(sb, "seg", r->seg);
	sb_kv_dec(sb, "width", r->width);
	sb_kv_dec(sb, "cpl", r->cpl);
	sb_kv_dec(sb, "paging", r->paging);
	sb_kv_dec(sb, "adjust", r->rsp_adjust);
	sb_kv_hex64(sb, "addr", r->addr);
	kv_vector(sb, "vector", r->vector);
	if (faulted && vector_has_error_code(r->vector))
		sb_kv_hexmin(sb, "err", r->err);
	else
		sb_kv_str(sb, "err", "-");
	if (r->cr2_print)
		sb_kv_hex64(sb, "cr2", r->cr2);
	else
		sb_kv_str(sb, "cr2", "-");
	if (faulted) {
		sb_kv_hex64(sb, "rip", r->rip);
		sb_kv_hexmin(sb, "cs", r->cs);
		sb_kv_hexmin(sb, "rflags", r->rflags);
		sb_kv_hex64(sb, "rsp", r->rsp);
		if (r->ss_hidden)
			sb_kv_str(sb, "ss", "-");
		else
			sb_kv_hexmin(sb, "ss", r->ss);
		sb_kv_hex64(sb, "pre_rsp", r->pre_rsp);
		if (r->frame_hidden)
			sb_kv_str(sb, "frame", "-");
		else
			sb_kv_hex64(sb, "frame", r->frame_addr);
		sb_kv_str(sb, "stack", r->stack);
		sb_kv_str(sb, "rip_at", r->rip_at);
		sb_kv_str(sb, "saved_rsp", r->saved_rsp);
		if (r->handler_ss_print)
			sb_kv_hexmin(sb, "handler_ss", r->handler_ss);
		if (r->ring3_frame)
			sb_kv_str(sb, "ring3_frame", r->ring3_frame);
	} else {
		sb_kv_str(sb, "rip", "-");
		sb_kv_str(sb, "cs", "-");
		sb_kv_str(sb, "rflags", "-");
		sb_kv_str(sb, "rsp", "-");
		sb_kv_str(sb, "ss", "-");
		sb_kv_hex64(sb, "pre_rsp", r->pre_rsp);
		sb_kv_hex64(sb, "value", r->value);
	}
	kv_vector(sb, "rule", r->rule_vector);
	if (r->rule_vector != VEC_NONE && vector_has_error_code(r->rule_vector))
		sb_kv_hexmin(sb, "rule_err", r->rule_err);
	else
		sb_kv_str(sb, "rule_err", "-");
	sb_kv_str(sb, "agrees", r->agrees ? "yes" : "no");
	if (r->platform)
		sb_kv_str(sb, "platform", r->platform);
}

/* Columns: id, address, base, width, vector, error code, CR2, rule, verdict. */
void record_format_table_header(struct strbuf *sb)
{
	sb_puts(sb, "  #  address             base w  vector err  cr2                 rule agrees");
}

void record_format_table_row(struct strbuf *sb, const struct probe_record *r)
{
	size_t start = sb->len;
	if (r->id < 100)
		sb_putc(sb, ' ');
	if (r->id < 10)
		sb_putc(sb, ' ');
	sb_dec(sb, r->id);
	sb_pad_to(sb, start + 5);
	sb_hex64(sb, r->addr);
	sb_pad_to(sb, start + 25);
	sb_puts(sb, r->base);
	sb_pad_to(sb, start + 30);
	sb_dec(sb, r->width);
	sb_pad_to(sb, start + 33);
	record_put_vector(sb, r->vector);
	sb_pad_to(sb, start + 40);
	if (r->vector != VEC_NONE && vector_has_error_code(r->vector))
		sb_hexmin(sb, r->err);
	else
		sb_putc(sb, '-');
	sb_pad_to(sb, start + 45);
	if (r->cr2_print)
		sb_hex64(sb, r->cr2);
	else
		sb_putc(sb, '-');
	sb_pad_to(sb, start + 65);
	record_put_vector(sb, r->rule_vector);
	sb_pad_to(sb, start + 70);
	sb_puts(sb, r->agrees ? "yes" : "NO");
}
