/* Event delivery: once an instruction (or a return's target) has raised
 * its exception, where does the frame go, and what is finally delivered
 * when pushing that frame faults?  Used when struct access.deliver is set
 * (the badstack and sysret families); the verdict gains the stack, the CPL
 * the event was taken from and where its saved RIP points.
 *
 * Sources:
 * - SDM Vol. 3 6.14.2 (64-bit mode: RSP aligned down to 16, then SS, RSP,
 *   RFLAGS, CS, RIP and the error code pushed, Figure 6-9), 6.14.4 (a CPL
 *   change takes the new RSP from the TSS, RSP0 for a CPL-0 handler),
 *   6.14.5 (a gate with a non-zero IST index switches to that stack
 *   unconditionally).
 * - SDM Vol. 2 INT n/INTO/INT3/INT1, "Operation" (IA-32e mode, same
 *   privilege, no IST: the frame is pushed at the current RSP; a push in
 *   non-canonical space gives #SS, its error code carrying EXT) and Vol. 3
 *   6.13 (EXT, bit 0: "the exception occurred during delivery of an event
 *   external to the program, such as an interrupt or an earlier
 *   exception"; so 0 while delivering INT n/INT3/INTO).  Pushes are
 *   supervisor writes at CPL 0: a not-present or read-only stack page is a
 *   #PF with W/R = 1, U/S = 0 and CR2 = the push's address.  The pushes
 *   are checked in the pseudo-code's order, the SS slot first; the manuals
 *   do not promise that order for the memory writes themselves.
 * - SDM Vol. 3 6.15 "Interrupt 8—Double Fault Exception (#DF)", Table 6-4
 *   (benign: #DB NMI #BP #OF #BR #UD #NM #MF #AC #MC #XM and INT n;
 *   contributory: #DE #TS #NP #SS #GP (#CP); page faults: #PF #VE) and
 *   Table 6-5 (contributory then contributory, page fault then
 *   contributory, page fault then page fault: #DF; every other pair is
 *   handled serially: the second exception is delivered, with the state of
 *   the instruction that caused the first).  #DF: error code 0, "the saved
 *   contents of CS and EIP registers are undefined"; a fault while
 *   delivering #DF is a shutdown (triple fault).  AMD APM Vol. 2 8.2.9
 *   (#DF) has the same classes and table.
 *
 * Vendor: Intel sets EXT in the #SS(0) error code of a faulting delivery
 * (above); the APM's "EXT: the exception source is external to the
 * processor" (Vol. 2 8.4.1) does not settle it for this case, so for other
 * vendors bit 0 is left out of error_mask. */
#include "rules.h"
#include "vectors.h"
#include "fmt.h"
#include "frame_rules.h"

#define CITE_DF "SDM Vol.3 6.15 int 8, Tables 6-4/6-5; APM Vol.2 8.2.9"
#define CITE_DELIVER "SDM Vol.3 6.14.2, 6.14.5; SDM Vol.2 INT n Operation; APM Vol.2 8.9"

/* The IST index of the gate for `vector` as this access describes the IDT:
 * #SS/#GP/#PF share a.gate_ist, #DF has a.ist_df, the rest none. */
static unsigned gate_ist(const struct access *a, int vector)
{
	if (vector == VEC_SS || vector == VEC_GP || vector == VEC_PF)
		return a->gate_ist & 7;
	if (vector == VEC_DF)
		return a->ist_df & 7;
	return 0;
}

/* Push the 64-bit frame at `rsp` (no CPL change, no IST): each 8-byte push,
 * SS slot first, is a supervisor write through SS.  Returns false and fills
 * *fault with #SS (EXT in the error code) or #PF when one faults. */
static bool push_frame(const struct access *a, const struct rule_steps *steps, uint64_t rsp,
		       bool error_code, bool ext, struct rule_verdict *fault)
{
	uint64_t top = rsp & ~15ull;
	unsigned slots = error_code ? 6 : 5;

	for (unsigned i = 1; i <= slots; i++) {
		struct access w = *a;
		w.op = OP_STORE;
		w.base = GPR_RSP;
		w.index = GPR_NONE;
		w.prefix = SEGP_NONE;
		w.width = 8;
		w.addr = top - 8 * i;
		w.cpl = 0;
		w.rep = 0;
		w.deliver = false;
		rule_step_access(steps, &w, fault);
		if (fault->vector == VEC_NONE)
			continue;
		if (fault->vector == VEC_SS) {
			fault->error_code = ext ? 1 : 0;
			if (a->vendor != VENDOR_INTEL)
				fault->error_mask &= ~1u;
			fault->reason = "frame push in non-canonical space";
		} else {
			fault->reason = "frame push faults";
		}
		fault->cite = CITE_DELIVER;
		return false;
	}
	return true;
}

/* ud2 raises #UD, a fault: the saved RIP is the ud2 (SDM Vol. 2 UD;
 * Vol. 3 6.15 int 6).  int3 raises #BP, a trap: the saved RIP is the next
 * instruction (Vol. 3 6.15 int 3), and as a software interrupt its
 * delivery faults carry EXT = 0 (Vol. 2 INT n Operation). */
void rule_predict_exc(const struct access *a, struct rule_verdict *out)
{
	bool int3 = a->op == OP_INT3;

	out->vector = int3 ? VEC_BP : VEC_UD;
	out->error_code = 0;
	out->error_mask = 0;
	out->cr2 = 0;
	out->segment = SEG_CS;
	out->reason = int3 ? "int3" : "ud2";
	out->cite = int3 ? "SDM Vol.3 6.15 int 3" : "SDM Vol.3 6.15 int 6";
	out->rip_at = int3 ? "insn+1" : "insn";
	out->ext = !int3;
}

/* A trap's saved RIP is past its instruction; when delivering it faults,
 * the new exception is a fault of that instruction (one byte back for the
 * int3 these probes use). */
static const char *fault_rip_of(const char *rip_at)
{
	static const char *const pairs[][2] = {
		{ "insn+1", "insn" }, { "target+1", "target" }, { "target+2", "target+1" },
	};
	for (unsigned i = 0; rip_at && i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (fp_strcmp(rip_at, pairs[i][0]) == 0)
			return pairs[i][1];
	return rip_at;
}

void rule_deliver(const struct access *a, const struct rule_steps *steps,
		  struct rule_verdict *out)
{
	/* The frame of a fault taken at CPL 0 goes to the RSP of the faulting
	 * context: the probe's chosen one, or the return's new one when the
	 * fault is at a return's target; at CPL 3 the CPU switches to RSP0. */
	int cpl = out->fault_cpl >= 0 ? out->fault_cpl : (int)a->cpl;
	bool at_target = out->rip_at && out->rip_at[0] == 't';
	bool rsp_bad = at_target ? a->ret.rsp_bad : a->rsp_bad;
	uint64_t rsp = at_target ? a->ret.rsp : a->rsp;
	uint64_t last_pf_cr2 = out->vector == VEC_PF ? out->cr2 : 0;

	if (out->vector == VEC_NONE)
		return;
	if (out->fault_cpl < 0)
		out->fault_cpl = cpl;
	out->at_target = at_target;
	if (!out->rip_at)
		out->rip_at = "insn";
	/* At most: first event, a serial second one, #DF. */
	for (unsigned round = 0; round < 4; round++) {
		unsigned ist = gate_ist(a, out->vector);
		struct rule_verdict f;

		if (ist) {
			out->stack = stack_name(ist);
			return;
		}
		if (cpl == 3) {
			out->stack = "rsp0";
			return;
		}
		if (!rsp_bad ||
		    push_frame(a, steps, rsp, vector_has_error_code(out->vector), out->ext, &f)) {
			out->stack = "cur";
			return;
		}
		/* SDM Vol. 3 Table 6-5 (rules.c rule_combine). */
		int next = rule_combine(out->vector, f.vector);
		if (next == RULE_SHUTDOWN) {
			/* No IST for #DF and its frame does not fit: shutdown. */
			out->vector = VEC_NONE;
			out->reason = "triple fault (the #DF frame cannot be pushed)";
			out->cite = CITE_DF;
			out->stack = 0;
			return;
		}
		if (f.vector == VEC_PF)
			last_pf_cr2 = f.cr2;
		if (next == VEC_DF) {
			out->vector = VEC_DF;
			out->error_code = 0;
			out->error_mask = ~0u;
			out->cr2 = last_pf_cr2;
			out->df_rip_at = out->rip_at;
			out->rip_at = 0;     /* undefined for #DF */
			out->reason = "double fault";
			out->cite = CITE_DF;
		} else {
			/* Serially: the second exception is delivered with the
			 * faulting instruction's state (the saved RIP stays). */
			out->vector = f.vector;
			out->error_code = f.error_code;
			out->error_mask = f.error_mask;
			out->cr2 = f.cr2;
			out->reason = f.reason;
			out->cite = f.cite;
			out->rip_at = fault_rip_of(out->rip_at);
		}
		out->ext = true;   /* from now on an exception is being delivered */
	}
}
