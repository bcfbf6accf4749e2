/* Flatten a probe row and its result into the printable record.  The one
 * place that decides what a `probe` line says about a result, shared by the
 * kernel (report/report.c) and faultprobe-user (tools/user/ureport.c), which
 * then fill in what only they know (id, paging mode, platform). */
#include "probe.h"
#include "model/vectors.h"
#include "../report/record.h"

/* Where the saved RIP points.  Faults save the faulting instruction (SDM
 * Vol. 3 6.5): "insn".  A branch to an unmapped target completes and faults
 * on the fetch at the target: "target" (also where QEMU TCG reports a
 * non-canonical branch target, tcg-branch-gp-at-target). */
static const char *rip_relation(const struct probe_def *d, uint64_t addr,
				const struct probe_result *r)
{
	if (r->frame.rip == r->fault_insn)
		return "insn";
	if ((d->op == OP_CALL || d->op == OP_JMP || d->op == OP_RET) && r->frame.rip == addr)
		return "target";
	return "other";
}

/* The saved RSP against the RSP before the probed instruction: "pre" for
 * faults (64-bit mode saves the pre-fault RSP, not the aligned one, SDM
 * Vol. 3 6.14.2); "pre-8" after a call pushed its return address, "pre+8"
 * after a ret popped it (the branch completed, the target faulted). */
static const char *rsp_relation(const struct probe_result *r)
{
	if (r->frame.rsp == r->pre_rsp)
		return "pre";
	if (r->frame.rsp == r->pre_rsp - 8)
		return "pre-8";
	if (r->frame.rsp == r->pre_rsp + 8)
		return "pre+8";
	return "other";
}

void probe_record_fill(struct probe_record *rec, const struct probe_def *d, uint64_t addr,
		       uint64_t rsp_adjust, const struct probe_result *r)
{
	*rec = (struct probe_record){
		.set = d->set,
		.slice = d->slice,
		.op = probe_op_name(d->op),
		.base = gpr_name(d->base),
		.index = gpr_name(d->index),
		.seg = seg_prefix_name(d->prefix),
		.width = d->width,
		.cpl = d->cpl,
		.addr = addr,
		.rsp_adjust = rsp_adjust,
		.vector = r->vector,
		.err = r->error_code,
		/* CR2 is the #PF's linear address; on any other vector it is
		 * printed only if it moved off the sentinel (a finding). */
		.cr2_print = r->vector == VEC_PF || (r->faulted && r->cr2_changed),
		.cr2 = r->cr2,
		.rip = r->frame.rip,
		.cs = r->frame.cs,
		.rflags = r->frame.rflags,
		.rsp = r->frame.rsp,
		.ss = r->frame.ss,
		.pre_rsp = r->pre_rsp,
		.frame_addr = r->frame_addr,
		.stack = r->stack,
		.rip_at = rip_relation(d, addr, r),
		.saved_rsp = rsp_relation(r),
		.value = r->value,
		.rule_vector = r->rule.vector,
		.rule_err = r->rule.error_code,
		.agrees = r->agrees,
		.handler_ss_print = r->faulted,
		.handler_ss = r->frame.handler_ss,
		.ring3_frame = r->ring3_frame,
	};
}
