/* One probe: access, run, verdict, record (probe.h).  The one place that
 * decides what a `probe` line says about a result, for the kernel and for
 * faultprobe-user alike; what differs between the two comes from the
 * environment and the executor's result, not from patches afterwards. */
#include "probe.h"
#include "model/vectors.h"
#include "../report/rec.h"
#include "../report/report.h"

void probe_access(const struct probe_env *env, const struct probe_def *d, uint64_t addr,
		  struct access *a)
{
	unsigned cpl = env->force_cpl ? env->force_cpl : d->cpl;

	*a = (struct access){
		.op = d->op,
		.base = d->base,
		.index = d->index,
		.prefix = d->prefix,
		.width = d->width,
		.fetch_len = d->fetch_len,
		.fetch_insn_off = d->fetch_insn_off,
		.rep = d->rep,
		.df = d->df,
		.addr = addr,
		.dst = d->dst,
		.dst_known = d->dst_known,
		.seg_base = d->seg_base,
		.msr = d->msr,
		.cr4_fsgsbase = env->cr4_fsgsbase,
		.cpu_la57 = env->cpu_la57,
		.cpl = cpl,
		.paging_levels = env->paging_levels,
		.efer_nxe = env->efer_nxe,
		/* CPL-3 probes run with CR4.SMEP off (probes/exec.c) */
		.cr4_smep = env->cr4_smep && cpl == 0,
		.vendor = env->vendor,
		.page_query = env->page_query,
		.page_ctx = env->page_ctx,
		.align = d->align,
		.align_ac = d->align_ac,
		.store_reads = d->store_reads,
		.cr0_am = env->cr0_am || d->am,
		.rflags_ac = d->ac,
		.cr0_wp_off = d->wp_off,
		.cr4_smap = d->smap,
		.cr4_pke = d->pke,
		.pkru = d->pke ? d->pkru : 0,
		.deliver = d->deliver,
		.rsp_bad = d->rsp_bad,
		.rsp = d->rsp,
		.gate_ist = d->ist,
		.ist_df = d->ist_df,
	};
	a->ret.cs = d->ret.cs;
	a->ret.ss = d->ret.ss;
	a->ret.cs_desc = d->ret.cs_desc;
	a->ret.ss_desc = d->ret.ss_desc;
	a->ret.rsp_bad = d->ret.rsp_bad;
	a->ret.rsp = d->ret.rsp;
	a->ret.land = d->ret.land;
	if (d->smep && cpl == 0)
		a->cr4_smep = true;
}

void probe_run(const struct probe_env *env, const struct probe_def *d, uint64_t addr,
	       uint64_t rsp_adjust, struct probe_result *r)
{
	*r = (struct probe_result){ .vector = VEC_NONE };
	probe_access(env, d, addr, &r->access);
	r->cpl = r->access.cpl;
	rule_predict(&r->access, &r->rule);
	r->skipped = env->unsafe ? env->unsafe(env, &r->access) : 0;
	if (r->skipped)
		return;

	struct exec_req req = {
		.stub = d->stub,
		.arg = addr,
		.rsp_adjust = rsp_adjust,
		.cpl = r->cpl,
		.on_ist = d->on_ist,
		.arg2 = d->arg2 ? d->arg2 : d->rep,
		.arg3 = d->dst,
		.want_code = !d->compact && !env->quiet && env->kernel_view,
		.fs_base = d->seg_base,
		.gs_base = d->seg_base,
		/* the dump and the frame checks read the words above a frame */
		.want_stack = !d->compact,
		.want_regs = d->want_regs || !d->compact,
		.cr0_set = d->am && !env->cr0_am ? CR0_AM : 0,
		.cr0_clear = d->wp_off ? CR0_WP : 0,
		.cr4_set = (d->smap ? CR4_SMAP : 0) | (d->smep ? CR4_SMEP : 0) |
			   (d->pke ? CR4_PKE : 0),
		.rflags_ac = d->ac,
		.set_pkru = d->pke,
		.pkru = d->pkru,
	};
	uint8_t seg_bit = d->prefix == SEGP_FS ? EXEC_ZERO_FS
			: d->prefix == SEGP_GS ? EXEC_ZERO_GS : 0;
	if (d->seg_base)
		req.set_bases = seg_bit;
	else
		req.zero_bases = seg_bit;
	exec_run(&req, &r->x);
	if (r->x.unrunnable) {
		r->skipped = r->x.unrunnable;
		return;
	}
	if (r->x.faulted) {
		r->vector = (int)r->x.frame.vector;
		r->error_code = r->x.frame.error_code;
	}
	r->agrees = rule_agrees(&r->rule, r->vector, r->error_code, r->x.cr2);
	/* Where the event was taken and delivered, where the rule says (only
	 * the kernel sees the stack). */
	if (r->x.faulted)
		r->agrees = r->agrees &&
			    rule_agrees_frame(&r->rule, r->x.frame.cs, probe_rip_at(d, addr, &r->x),
					      env->kernel_view ? r->x.stack : 0);
}

unsigned probe_report_rec(struct rec *rec, const struct probe_env *env,
			  const struct probe_def *d, const struct probe_result *r)
{
	if (r->skipped)
		return report_skip(rec);

	struct oops_info dump = {
		.f = &r->x.frame,
		.frame_addr = r->x.frame_addr,
		.words = r->x.words,
		.nwords = r->x.nwords,
		.pre_rsp = r->x.pre_rsp,
		.hw_error_code = vector_has_error_code(r->vector),
		.code = r->x.code,
		.code_len = r->x.code_len,
		.cr2_sentinel = CR2_SENTINEL,
		.stack = r->x.stack,
	};
	struct probe_view view = {
		.set = d->set,
		.faulted = r->x.faulted,
		.agrees = r->agrees,
		.segment_blind = probe_segment_blind(env, r),
		.compact = d->compact,
		.dump = r->x.faulted && env->kernel_view ? &dump : 0,
	};
	return report_probe(rec, &view);
}

unsigned probe_report(const struct probe_env *env, const struct probe_def *d, uint64_t addr,
		      uint64_t rsp_adjust, const struct probe_result *r)
{
	struct rec rec;

	if (r->skipped)
		probe_skip_record_build(&rec, env, d, addr, rsp_adjust, r);
	else
		probe_record_build(&rec, env, d, addr, rsp_adjust, r);
	return probe_report_rec(&rec, env, d, r);
}

bool probe_run_build(const struct probe_env *env, const struct probe_def *d, uint64_t addr,
		     uint64_t rsp_adjust, struct probe_result *r, struct rec *rec)
{
	probe_run(env, d, addr, rsp_adjust, r);
	if (r->skipped) {
		probe_skip_record_build(rec, env, d, addr, rsp_adjust, r);
		return false;
	}
	probe_record_build(rec, env, d, addr, rsp_adjust, r);
	return true;
}

unsigned probe_run_report(const struct probe_env *env, const struct probe_def *d,
			  uint64_t addr, uint64_t rsp_adjust, struct probe_result *r)
{
	struct rec rec;

	probe_run_build(env, d, addr, rsp_adjust, r, &rec);
	return probe_report_rec(&rec, env, d, r);
}

void probe_family_skipped(const struct probe_env *env, const char *set, const char *slice,
			  const char *reason, const char *why)
{
	char buf[200];
	struct strbuf sb;
	struct rec rec;

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, set);
	if (slice) {
		sb_putc(&sb, ' ');
		sb_puts(&sb, slice);
	}
	sb_puts(&sb, ": skipped (");
	sb_puts(&sb, why);
	sb_putc(&sb, ')');
	report_note(buf);
	rec_init(&rec, "family");
	rec_str(&rec, "set", set);
	rec_str(&rec, "slice", slice ? slice : "-");
	rec_str(&rec, "status", "skipped");
	rec_str(&rec, "reason", reason);
	rec_str(&rec, "platform", env->platform);
	report_record(&rec);
}
