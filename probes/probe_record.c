/* The `probe` and `skip` records (probe.h): the one place that decides
 * what a probe line says about a result, for the kernel and faultprobe-user
 * alike.  Portable: the host unit tests build records from hand-made
 * results. */
#include "probe.h"
#include "model/platform.h"
#include "model/vectors.h"
#include "../report/rec.h"

/* Where the saved RIP points.  Faults save the faulting instruction (SDM
 * Vol. 3 6.5): "insn".  A branch to an unmapped target completes and faults
 * on the fetch at the target: "target" (also where QEMU TCG reports a
 * non-canonical branch target, tcg-branch-gp-at-target).  A return
 * (SYSRET, IRETQ) that completed: "target" for a fault at its target,
 * "target+1"/"target+2" for the trap after an int3 there. */
const char *probe_rip_at(const struct probe_def *d, uint64_t addr, const struct exec_result *x)
{
	bool branch = d->op == OP_CALL || d->op == OP_JMP || d->op == OP_RET;
	bool ret = d->op == OP_SYSRET || d->op == OP_IRETQ;

	if (x->frame.rip == x->fault_insn)
		return "insn";
	if ((branch || ret) && x->frame.rip == addr)
		return "target";
	if (ret && x->frame.rip == addr + 1)
		return "target+1";
	if (ret && x->frame.rip == addr + 2)
		return "target+2";
	return "other";
}

/* The saved RSP against the RSP before the probed instruction: "pre" for
 * faults (64-bit mode saves the pre-fault RSP, not the aligned one, SDM
 * Vol. 3 6.14.2); "pre-8" after a call pushed its return address, "pre+8"
 * after a ret popped it (the branch completed, the target faulted). */
static const char *rsp_relation(const struct exec_result *x)
{
	if (x->frame.rsp == x->pre_rsp)
		return "pre";
	if (x->frame.rsp == x->pre_rsp - 8)
		return "pre-8";
	if (x->frame.rsp == x->pre_rsp + 8)
		return "pre+8";
	return "other";
}

/* The fields every probe record begins with: the probe's dimensions. */
static void identity(struct rec *rec, const struct probe_env *env, const struct probe_def *d,
		     uint64_t addr, uint64_t rsp_adjust, const struct probe_result *r)
{
	rec_str(rec, "set", d->set);
	if (d->slice)
		rec_str(rec, "slice", d->slice);
	rec_str(rec, "op", probe_op_name(d->op));
	rec_str(rec, "base", gpr_name(d->base));
	rec_str(rec, "index", gpr_name(d->index));
	rec_str(rec, "seg", seg_prefix_name(d->prefix));
	rec_dec(rec, "width", d->width);
	rec_dec(rec, "cpl", r->cpl);
	rec_dec(rec, "paging", env->paging_levels);
	rec_dec(rec, "adjust", rsp_adjust);
	rec_hex64(rec, "addr", addr);
}

static void rule_fields(struct rec *rec, const struct probe_result *r)
{
	rec_vec(rec, "rule", r->rule.vector);
	if (r->rule.vector != VEC_NONE && vector_has_error_code(r->rule.vector))
		rec_hexmin(rec, "rule_err", r->rule.error_code);
	else
		rec_str(rec, "rule_err", "-");
}

/* Issue 11: the alternatives the rule allows, and the control state the
 * access ran under when it is not the default (so earlier records keep
 * exactly their keys).  The lint (tools/fpcheck.c) reads them back. */
static void control_fields(struct rec *rec, const struct probe_def *d,
			   const struct probe_result *r)
{
	const struct access *a = &r->access;

	if (r->rule.nalt) {
		struct strbuf *sb = rec_text_begin(rec);
		for (unsigned i = 0; i < r->rule.nalt && i < RULE_MAX_ALT; i++) {
			if (i)
				sb_putc(sb, '+');
			vector_put(sb, r->rule.alt[i].vector);
		}
		rec_text_end(rec, "rule_alt");
	}
	if (d->insn)
		rec_str(rec, "insn", d->insn);
	if (a->align) {
		rec_dec(rec, "align", a->align);
		if (a->align_ac)
			rec_dec(rec, "align_ac", 1);
	}
	if (a->store_reads)
		rec_dec(rec, "reads", 1);
	if (a->rflags_ac) {
		rec_dec(rec, "ac", 1);
		rec_dec(rec, "am", a->cr0_am);
	}
	if (a->cr0_wp_off)
		rec_dec(rec, "wp", 0);
	if (a->cr4_smap)
		rec_dec(rec, "smap", 1);
	if (a->cr4_smep && d->smep)
		rec_dec(rec, "smep", 1);
	if (a->cr4_pke) {
		rec_dec(rec, "pke", 1);
		rec_hexmin(rec, "pkru", a->pkru);
	}
	if (d->map)
		rec_str(rec, "map", d->map);
}

void probe_record_ctl_key(struct rec *rec, const struct probe_def *d)
{
	struct strbuf *sb = rec_text_begin(rec);
	const char *tok[8];
	unsigned n = 0;

	if (d->ac)
		tok[n++] = "ac";
	if (d->am)
		tok[n++] = "am";
	if (d->wp_off)
		tok[n++] = "wp0";
	if (d->smap)
		tok[n++] = "smap";
	if (d->smep)
		tok[n++] = "smep";
	if (d->pke)
		tok[n++] = "pke";
	for (unsigned i = 0; i < n; i++) {
		if (i)
			sb_putc(sb, '+');
		sb_puts(sb, tok[i]);
	}
	if (!n)
		sb_putc(sb, '-');
	rec_text_end(rec, "ctl");
}

void probe_record_build(struct rec *rec, const struct probe_env *env,
			       const struct probe_def *d, uint64_t addr, uint64_t rsp_adjust,
			       const struct probe_result *r)
{
	const struct exec_result *x = &r->x;
	bool faulted = x->faulted;

	rec_init(rec, "probe");
	identity(rec, env, d, addr, rsp_adjust, r);
	rec_vec(rec, "vector", r->vector);
	if (faulted && vector_has_error_code(r->vector))
		rec_hexmin(rec, "err", r->error_code);
	else
		rec_str(rec, "err", "-");
	/* CR2 is the #PF's linear address; on any other vector it is printed
	 * only if it moved off the sentinel (a finding). */
	if (r->vector == VEC_PF || (faulted && x->cr2_changed))
		rec_hex64(rec, "cr2", x->cr2);
	else
		rec_str(rec, "cr2", "-");
	if (faulted) {
		rec_hex64(rec, "rip", x->frame.rip);
		rec_hexmin(rec, "cs", x->frame.cs);
		rec_hexmin(rec, "rflags", x->frame.rflags);
		rec_hex64(rec, "rsp", x->frame.rsp);
		if (x->ss_valid)
			rec_hexmin(rec, "ss", x->frame.ss);
		else
			rec_str(rec, "ss", "-");
		rec_hex64(rec, "pre_rsp", x->pre_rsp);
		if (env->kernel_view)
			rec_hex64(rec, "frame", x->frame_addr);
		else
			rec_str(rec, "frame", "-");
		rec_str(rec, "stack", x->stack);
		rec_str(rec, "rip_at", probe_rip_at(d, addr, x));
		rec_str(rec, "saved_rsp", rsp_relation(x));
		if (env->kernel_view) {
			rec_hexmin(rec, "handler_ss", x->frame.handler_ss);
			/* CPL-3 fault: "ok" if the frame is on RSP0 with SS/CS
			 * slots 0x2b/0x33 and the handler's SS NULL */
			if (r->cpl == 3)
				rec_str(rec, "ring3_frame", x->ring3_frame_ok ? "ok" : "bad");
		}
	} else {
		rec_str(rec, "rip", "-");
		rec_str(rec, "cs", "-");
		rec_str(rec, "rflags", "-");
		rec_str(rec, "rsp", "-");
		rec_str(rec, "ss", "-");
		rec_hex64(rec, "pre_rsp", x->pre_rsp);
		rec_hex64(rec, "value", x->value);
	}
	rule_fields(rec, r);
	rec_yesno(rec, "agrees", r->agrees);
	rec_str(rec, "platform", env->platform);
	if (probe_segment_blind(env, r))
		rec_str(rec, "evidence", "segment-blind");
	control_fields(rec, d, r);
}

/* An emulator whose model answers the same through SS and DS where the
 * manuals do not (probes/model/platform.h platform_segment_blind): its
 * agreement here is luck, not evidence.  Only the emulators with a model
 * that needs no fingerprint are asked (tcg, bochs); silicon follows the
 * rule by definition, and which KVM ran is known only after the run. */
bool probe_segment_blind(const struct probe_env *env, const struct probe_result *r)
{
	enum platform_model m;

	if (!r->agrees || !env->platform)
		return false;
	if (fp_strcmp(env->platform, "tcg") == 0)
		m = PLATFORM_TCG;
	else if (fp_strcmp(env->platform, "bochs") == 0)
		m = PLATFORM_BOCHS;
	else
		return false;
	return platform_segment_blind(m, &r->access);
}

/* A probe the environment refused: its identity, why, and the rule. */
void probe_skip_record_build(struct rec *rec, const struct probe_env *env,
			      const struct probe_def *d, uint64_t addr, uint64_t rsp_adjust,
			      const struct probe_result *r)
{
	rec_init(rec, "skip");
	identity(rec, env, d, addr, rsp_adjust, r);
	rec_str(rec, "reason", r->skipped);
	rec_vec(rec, "rule", r->rule.vector);
	rec_str(rec, "platform", env->platform);
}

/* The keys of a probe whose event delivery is modelled (def->deliver: the
 * badstack and sysret families), after platform=: what the rule needs to
 * be recomputed from the record (fpcheck --lint) and what it said about
 * the frame.  `bad_rsp`/`ret_rsp` are "-" when the stack is the kernel's
 * own good one. */
void probe_record_delivery(struct rec *rec, const struct probe_env *env,
			   const struct probe_def *d, const struct probe_result *r)
{
	char buf[24];

	rec_str(rec, "vendor", cpu_vendor_name(env->vendor));
	rec_dec(rec, "ist", d->ist);
	rec_dec(rec, "df_ist", d->ist_df);
	if (d->rsp_bad)
		rec_hex64(rec, "bad_rsp", d->rsp);
	else
		rec_str(rec, "bad_rsp", "-");
	if (d->op == OP_SYSRET || d->op == OP_IRETQ) {
		rec_hexmin(rec, "ret_cs", d->ret.cs);
		rec_hexmin(rec, "ret_ss", d->ret.ss);
		seg_desc_format(&d->ret.cs_desc, buf, sizeof(buf));
		rec_text_begin(rec);
		sb_puts(&rec->text, buf);
		rec_text_end(rec, "cs_desc");
		seg_desc_format(&d->ret.ss_desc, buf, sizeof(buf));
		rec_text_begin(rec);
		sb_puts(&rec->text, buf);
		rec_text_end(rec, "ss_desc");
		if (d->ret.rsp_bad)
			rec_hex64(rec, "ret_rsp", d->ret.rsp);
		else
			rec_str(rec, "ret_rsp", "-");
		rec_str(rec, "land", landing_name(d->ret.land));
	}
	if (r->rule.fault_cpl >= 0)
		rec_dec(rec, "rule_cpl", (uint64_t)r->rule.fault_cpl);
	else
		rec_str(rec, "rule_cpl", "-");
	rec_str(rec, "rule_rip_at", r->rule.rip_at ? r->rule.rip_at : "-");
	rec_str(rec, "rule_stack", r->rule.stack ? r->rule.stack : "-");
	if (r->rule.vector == VEC_DF && r->rule.cr2)
		rec_hex64(rec, "rule_cr2", r->rule.cr2);
}
