/* sets=badstack: exceptions delivered onto a bad stack (issue 11, family 3).
 *
 * A fault at CPL 0 through a gate without an IST entry pushes its frame at
 * the current RSP (SDM Vol. 3 6.14.2).  When that RSP is non-canonical, on
 * an absent page or on a read-only page, pushing the frame faults, and
 * what is finally delivered follows the double-fault table (SDM Vol. 3
 * 6.15 int 8, Tables 6-4/6-5): a second contributory exception or page
 * fault after a first one gives #DF, which the kernel runs on its own
 * stack (IST_DF); benign first exceptions are handled serially.  With an
 * IST entry the fault is delivered on that stack and is the fault itself.
 *
 * Each probe runs one instruction with RSP = the bad stack:
 *   push rax      its own stack fault (#SS / #PF), then its frame
 *   mov (%r15)    r15 = the vmcore's non-canonical value (#GP, contributory)
 *                 or an absent page (#PF, page-fault class)
 *   ud2           #UD (benign, a fault)
 *   int3          #BP (benign, a software trap: EXT = 0 in a delivery
 *                 fault's error code)
 * on three stacks (non-canonical, absent page, read-only scratch page:
 * RSP = 8 mod 16 on the pages, so the push and the frame fault at
 * different addresses) with #SS/#GP/#PF on IST4 or without any IST.
 *
 * The #DF is the probe's result, not a crash: the executor resumes it at
 * the stub's resume point (probes/exec.c), whatever its undefined saved
 * RIP says.  Nothing is written anywhere but the read-only scratch page
 * (which refuses it): the executor's safety rule checks the frame's bytes
 * (probes/facts.c).  Kernel only: from CPL 3 a fault switches to RSP0, so
 * user space cannot put the kernel's frame on a bad stack. */
#include "../options.h"
#include "../probe.h"
#include "../scratch.h"
#include "../model/vectors.h"
#include "../../idt/gdt.h"
#include "../../idt/paging.h"
#include "../../report/report.h"
#include "../../report/rec.h"

#define NONCANON  0x0000800000000040ull   /* 16 bytes past the hole's start */
#define ABSENT    0x0000100000001808ull   /* an absent page, RSP = 8 mod 16 */
#define RO_PAGE   0x0000100000003000ull   /* scratch page, present, read-only */
#define RO_RSP    (RO_PAGE + 0x808)
#define VMCORE    0x0072006900560338ull   /* the seed's non-canonical freelist */
#define LOAD_PF   0x0000200000000000ull   /* canonical, absent */

void probe_badstack_push(uint64_t addr, uint64_t rsp_adjust);
void probe_badstack_load(uint64_t addr, uint64_t rsp_adjust);
void probe_badstack_ud2(uint64_t addr, uint64_t rsp_adjust);
void probe_badstack_int3(uint64_t addr, uint64_t rsp_adjust);

struct ctx {
	const struct probe_env *env;
	unsigned probes, disagree, df;
};

static void run_one(struct ctx *c, const struct probe_def *d, uint64_t addr)
{
	struct probe_result r;
	struct rec rec;

	if (probe_run_build(c->env, d, addr, 0, &r, &rec)) {
		/* the read-only stack page mapped while this family runs */
		rec_str(&rec, "scratch", "ro-stack");
		probe_record_delivery(&rec, c->env, d, &r);
		c->probes++;
		c->disagree += !r.agrees;
		c->df += r.vector == VEC_DF;
	}
	probe_report_rec(&rec, c->env, d, &r);
}

void run_badstack(const struct run_ctx *ctx)
{
	static const struct {
		probe_stub_fn stub;
		enum probe_op op;
		int base;
		uint64_t addr;           /* push: the RSP; load: r15; else 0 */
	} triggers[] = {
		{ probe_badstack_push, OP_PUSH, GPR_RSP, 0 },
		{ probe_badstack_load, OP_LOAD, GPR_R15, VMCORE },
		{ probe_badstack_load, OP_LOAD, GPR_R15, LOAD_PF },
		{ probe_badstack_ud2, OP_UD2, GPR_NONE, 0 },
		{ probe_badstack_int3, OP_INT3, GPR_NONE, 0 },
	};
	static const uint64_t stacks[] = { NONCANON, ABSENT, RO_RSP };
	static const char *const slices[] = { "noncanon", "absent", "readonly" };
	char buf[160];
	struct strbuf sb;
	struct ctx c = { .env = ctx->env };

	if (ctx->env->paging_levels != 4) {
		report_note("badstack: skipped (its addresses are chosen for 4-level paging)");
		return;
	}
	if (!scratch_map(RO_PAGE, 0)) {
		report_note("badstack: skipped (could not map the read-only scratch page)");
		return;
	}
	report_set_begin("badstack", "faults whose frame cannot be pushed: non-canonical, absent "
			 "and read-only stacks, with and without IST; #DF on IST1");
	for (unsigned s = 0; s < sizeof(stacks) / sizeof(stacks[0]); s++)
		for (unsigned t = 0; t < sizeof(triggers) / sizeof(triggers[0]); t++)
			for (unsigned ist = 0; ist < 2; ist++) {
				bool push = triggers[t].op == OP_PUSH;
				struct probe_def d = {
					.set = "badstack", .slice = slices[s], .compact = true,
					.stub_name = "badstack", .stub = triggers[t].stub,
					.op = triggers[t].op, .base = triggers[t].base,
					.index = GPR_NONE, .prefix = SEGP_NONE,
					.width = push || triggers[t].op == OP_LOAD ? 8 : 0,
					.on_ist = ist != 0, .arg2 = stacks[s],
					.deliver = true, .rsp_bad = true, .rsp = stacks[s],
					.ist = ist ? IST_PROBE : 0, .ist_df = IST_DF,
				};
				run_one(&c, &d, push ? stacks[s] : triggers[t].addr);
			}
	scratch_unmap(RO_PAGE);

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "badstack: ");
	sb_dec(&sb, c.probes);
	sb_puts(&sb, " probes on bad stacks, ");
	sb_dec(&sb, c.df);
	sb_puts(&sb, " double faults survived on ist1, ");
	sb_dec(&sb, c.disagree);
	sb_puts(&sb, " disagree with the manuals' rule");
	report_note(buf);
	report_finding(buf);
}
