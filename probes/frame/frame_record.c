#include "frame.h"

void frame_record(struct rec *rec, const struct frame_obs *o, const struct frame_verdict *v)
{
	rec_init(rec, "frame");
	if (o->probe_id)
		rec_dec(rec, "probe", o->probe_id);
	else
		rec_str(rec, "probe", "-");
	rec_str(rec, "set", o->set);
	rec_str(rec, "base", o->base);
	rec_hex64(rec, "addr", o->addr);
	rec_dec(rec, "adjust", o->adjust);
	rec_dec(rec, "ist", o->ist);
	rec_vec(rec, "vector", o->vector);
	rec_dec(rec, "rsp_mod16", o->pre_rsp & 15);
	rec_str(rec, "from", v->from);
	rec_sdec(rec, "frame_rel", v->frame_rel);
	rec_dec(rec, "pad", v->pad);
	rec_str(rec, "pad_slot", v->pad_slot);
	rec_yesno(rec, "aligned", v->aligned);
	rec_str(rec, "saved_rsp", v->saved_rsp_pre ? "pre-fault" : "other");
	rec_str(rec, "rip", v->rip_at);
	rec_dec(rec, "rf", v->rf);
	rec_dec(rec, "rf_rule", v->rf_rule);
	rec_yesno(rec, "rf_agrees", v->rf == v->rf_rule);
	rec_dec(rec, "rflags_bit1", v->bit1 ? 1 : 0);
	rec_hexmin(rec, "rflags", o->words[2]);
	rec_hexmin(rec, "cs_hi", v->cs_hi);
	rec_hexmin(rec, "ss_hi", v->ss_hi);
	rec_hexmin(rec, "cs", o->words[1]);
	rec_hexmin(rec, "ss", o->words[4]);
	rec_str(rec, "stack", o->stack);
	rec_str(rec, "stack_rule", v->stack_rule);
	rec_yesno(rec, "agrees", v->agrees);
	/* Which rules failed, so an expectation can say exactly which. */
	frame_fails(rec_text_begin(rec), v);
	rec_text_end(rec, "fails");
	if (o->platform)
		rec_str(rec, "platform", o->platform);
}
