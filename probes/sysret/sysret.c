/* sets=sysret: SYSRET and IRETQ to places they cannot go (issue 11,
 * family 2).
 *
 * SYSRET with a non-canonical RCX is where the vendors differ (probes/
 * model/rules_ret.c): Intel raises #GP(0) at the SYSRET, still at CPL 0,
 * with whatever RSP the kernel loaded for user space -- CVE-2012-0217 --
 * while AMD switches to CPL 3 first and faults on the fetch there, through
 * RSP0.  IRETQ checks its RIP before it changes anything (#GP(0) at the
 * IRETQ), and its CS/SS selectors (#GP(selector)), but not the RSP it
 * loads: the first push at the target faults instead.
 *
 * The probes run at CPL 0.  Their targets are scratch pages (probes/
 * scratch.h): a user page with `int3` at +0 and `push %rax; int3` at +0x10,
 * a user stack page, and a supervisor page with the same code for returns
 * to CPL 0.  A return that completes ends in that int3 (#BP) or in the
 * push's fault, at the new CPL; the executor brings it back to ring 0
 * (probes/exec.c).  Every record carries the whole frame (rip, cs, rflags,
 * rsp, ss), the stack the handler ran on (stack=cur/rsp0/ist4/ist1), and
 * the rule's CPL, saved RIP and stack (probe_record_delivery).
 *
 * Safety: a SYSRET that may fault at CPL 0 with a user RSP live does so
 * with #GP on IST4 (on_ist), or with RSP = the stub's own kernel stack, or
 * with RSP non-canonical / on an absent page -- never a user page the
 * kernel would then run on.  With no IST and a bad RSP the #GP frame
 * cannot be pushed and the CPU raises #DF, on IST1: measured here as the
 * CVE's crash, and survived (the executor resumes a #DF).
 *
 * SYSRET needs EFER.SCE and IA32_STAR: STAR[63:48] = 0x23, so SYSRET to
 * 64-bit mode loads CS = 0x23 + 16 = 0x33 and SS = 0x23 + 8 = 0x2b, RPL 3
 * (SDM Vol. 2 SYSRET; idt/gdt.h has Linux's layout, which fits), set for
 * this family only.  Kernel only: SYSRET at CPL 3 is #GP(0), and user space
 * cannot choose the kernel's stacks (an IRETQ from CPL 3 to CPL 3 is
 * reachable from user space but is not probed here). */
#include "../options.h"
#include "../probe.h"
#include "../scratch.h"
#include "../model/vectors.h"
#include "../../idt/cpu.h"
#include "../../idt/gdt.h"
#include "../../idt/paging.h"
#include "../../report/report.h"
#include "../../report/rec.h"

#define PAD_U     0x00007f0000000000ull   /* user code: int3 | push; int3 */
#define USTACK_PG 0x00007f0000001000ull   /* user stack page              */
#define USTACK    (USTACK_PG + 0x1000)    /* its top                      */
#define PAD_S     0x00007f0000004000ull   /* supervisor code, same bytes  */
#define PUSH_OFF  0x10

#define LOW_END   0x0000800000000000ull   /* first non-canonical address  */
#define TOP_BIT   0x8000000000000000ull
#define HIGH_BEG  0xffff800000000000ull   /* canonical, kernel half, absent */
#define NONCANON  0x0000800000000040ull
#define ABSENT    0x0000100000001808ull   /* an absent page, RSP = 8 mod 16 */

#define STAR_SYSRET_BASE SEL_USER32_CS
_Static_assert(((STAR_SYSRET_BASE + 16) | 3) == SEL_USER_CS, "SYSRET CS = STAR[63:48] + 16");
_Static_assert(((STAR_SYSRET_BASE + 8) | 3) == SEL_USER_DS, "SYSRET SS = STAR[63:48] + 8");

void probe_sysret(uint64_t addr, uint64_t rsp_adjust);
void probe_iretq(uint64_t addr, uint64_t rsp_adjust);

/* Read by the stubs (sysret_stubs.asm IMG_*). */
struct ret_image {
	uint64_t rip, cs, rflags, rsp, ss, use_rsp;
};
_Static_assert(__builtin_offsetof(struct ret_image, use_rsp) == 40, "IMG_USE_RSP");

struct ctx {
	const struct probe_env *env;
	struct gdtr gdtr;
	unsigned probes, disagree;
};

/* What a selector names in the live GDT (SGDT), SDM Vol. 3 3.4.2: index 0
 * with TI = 0 is the NULL selector; beyond the limit (or TI = 1: this
 * kernel has no LDT) nothing. */
static struct seg_desc describe(const struct ctx *c, uint16_t sel)
{
	struct seg_desc d = { .kind = SD_NULL };

	if ((sel & 0xfffc) == 0)
		return d;
	if ((sel & 4) || (uint32_t)(sel | 7) > c->gdtr.limit) {
		d.kind = SD_LIMIT;
		return d;
	}
	seg_desc_decode(((const uint64_t *)(uintptr_t)c->gdtr.base)[sel >> 3], &d);
	return d;
}

/* One return.  rsp: RSP_KERNEL (the stub's own stack), RSP_USER (the user
 * stack page, a good stack) or a bad value of the probe's choosing. */
#define RSP_KERNEL 1ull
#define RSP_USER   2ull

struct cell {
	enum probe_op op;
	uint64_t target;
	uint16_t cs, ss;
	uint64_t rsp;
	enum landing land;
	bool ist;
};

static void run_cell(struct ctx *c, const struct cell *k)
{
	static struct ret_image img;
	struct probe_result r;
	struct rec rec;
	bool bad = k->rsp != RSP_KERNEL && k->rsp != RSP_USER;
	uint64_t rsp = k->rsp == RSP_USER ? USTACK : k->rsp;

	img = (struct ret_image){
		.rip = k->target, .cs = k->cs, .rflags = RFLAGS_BIT1, .rsp = rsp, .ss = k->ss,
		.use_rsp = k->rsp != RSP_KERNEL,
	};
	struct probe_def d = {
		.set = "sysret", .slice = k->op == OP_SYSRET ? "sysret" : "iretq", .compact = true,
		.stub_name = "sysret", .stub = k->op == OP_SYSRET ? probe_sysret : probe_iretq,
		.op = k->op, .base = k->op == OP_SYSRET ? GPR_RCX : GPR_RSP, .index = GPR_NONE,
		.prefix = SEGP_NONE, .width = 8, .on_ist = k->ist,
		.arg2 = (uint64_t)(uintptr_t)&img,
		.deliver = true, .ist = k->ist ? IST_PROBE : 0, .ist_df = IST_DF,
	};
	/* SYSRET keeps RSP: a bad one is the RSP at the SYSRET and after it;
	 * IRETQ's is only the one it loads. */
	if (k->op == OP_SYSRET) {
		d.rsp_bad = bad;
		d.rsp = rsp;
	}
	d.ret.cs = k->cs;
	d.ret.ss = k->ss;
	d.ret.cs_desc = describe(c, k->cs);
	d.ret.ss_desc = describe(c, k->ss);
	d.ret.rsp_bad = bad;
	d.ret.rsp = rsp;
	d.ret.land = k->land;

	if (probe_run_build(c->env, &d, k->target, 0, &r, &rec)) {
		/* the landing pads and user stack mapped while this family runs */
		rec_str(&rec, "scratch", "pads");
		probe_record_delivery(&rec, c->env, &d, &r);
		c->probes++;
		c->disagree += !r.agrees;
	}
	probe_report_rec(&rec, c->env, &d, &r);
}

static const struct cell cells[] = {
	/* SYSRET: RCX non-canonical, with the user stack live and #GP on IST4
	 * (how an OS must run it), on the kernel's stack without IST, with a
	 * bad user RSP and no IST (the CVE: #DF on Intel), and with IST */
	{ OP_SYSRET, LOW_END,  SEL_USER_CS, SEL_USER_DS, RSP_USER,   LAND_INT3, true },
	{ OP_SYSRET, TOP_BIT,  SEL_USER_CS, SEL_USER_DS, RSP_USER,   LAND_INT3, true },
	{ OP_SYSRET, LOW_END,  SEL_USER_CS, SEL_USER_DS, RSP_KERNEL, LAND_INT3, false },
	{ OP_SYSRET, LOW_END,  SEL_USER_CS, SEL_USER_DS, TOP_BIT,    LAND_INT3, false },
	{ OP_SYSRET, LOW_END,  SEL_USER_CS, SEL_USER_DS, ABSENT,     LAND_INT3, false },
	{ OP_SYSRET, LOW_END,  SEL_USER_CS, SEL_USER_DS, TOP_BIT,    LAND_INT3, true },
	/* canonical targets: the kernel half (a #PF at CPL 3), the controls,
	 * and the bad RSP showing up at the first push */
	{ OP_SYSRET, HIGH_BEG, SEL_USER_CS, SEL_USER_DS, RSP_USER,   LAND_INT3, false },
	{ OP_SYSRET, PAD_U,    SEL_USER_CS, SEL_USER_DS, RSP_USER,   LAND_INT3, false },
	{ OP_SYSRET, PAD_U + PUSH_OFF, SEL_USER_CS, SEL_USER_DS, RSP_USER, LAND_PUSH_INT3, false },
	{ OP_SYSRET, PAD_U + PUSH_OFF, SEL_USER_CS, SEL_USER_DS, NONCANON, LAND_PUSH_INT3, false },

	/* IRETQ to a non-canonical RIP, to CPL 0 and to CPL 3 */
	{ OP_IRETQ, LOW_END,  SEL_KERNEL_CS, SEL_KERNEL_DS, RSP_KERNEL, LAND_INT3, false },
	{ OP_IRETQ, TOP_BIT,  SEL_KERNEL_CS, SEL_KERNEL_DS, RSP_KERNEL, LAND_INT3, false },
	{ OP_IRETQ, LOW_END,  SEL_USER_CS, SEL_USER_DS, RSP_USER, LAND_INT3, false },
	{ OP_IRETQ, LOW_END,  SEL_USER_CS, SEL_USER_DS, RSP_USER, LAND_INT3, true },
	{ OP_IRETQ, HIGH_BEG, SEL_USER_CS, SEL_USER_DS, RSP_USER, LAND_INT3, false },
	/* bad SS (and CS) selectors on a return to CPL 3 */
	{ OP_IRETQ, PAD_U, SEL_USER_CS, SEL_USER_DS & ~3,    RSP_USER, LAND_INT3, false },
	{ OP_IRETQ, PAD_U, SEL_USER_CS, SEL_KERNEL_DS | 3,   RSP_USER, LAND_INT3, false },
	{ OP_IRETQ, PAD_U, SEL_USER_CS, SEL_USER_CS,         RSP_USER, LAND_INT3, false },
	{ OP_IRETQ, PAD_U, SEL_USER_CS, 0x63,                RSP_USER, LAND_INT3, false },
	{ OP_IRETQ, PAD_U, SEL_USER_CS, SEL_TSS | 3,         RSP_USER, LAND_INT3, false },
	{ OP_IRETQ, PAD_U, SEL_USER_CS, 0x03,                RSP_USER, LAND_INT3, false },
	{ OP_IRETQ, PAD_U, SEL_KERNEL_CS | 3, SEL_USER_DS,   RSP_USER, LAND_INT3, false },
	/* the controls: a good SS to CPL 3; a NULL SS back to CPL 0 */
	{ OP_IRETQ, PAD_U, SEL_USER_CS, SEL_USER_DS,         RSP_USER, LAND_INT3, false },
	{ OP_IRETQ, PAD_S, SEL_KERNEL_CS, 0x00,              RSP_KERNEL, LAND_INT3, false },
	/* bad RSPs: loaded unchecked, the first push faults (at CPL 3 on
	 * RSP0; at CPL 0 on IST4, or without IST a #DF) */
	{ OP_IRETQ, PAD_U + PUSH_OFF, SEL_USER_CS, SEL_USER_DS, NONCANON, LAND_PUSH_INT3, false },
	{ OP_IRETQ, PAD_U + PUSH_OFF, SEL_USER_CS, SEL_USER_DS, LOW_END,  LAND_PUSH_INT3, false },
	{ OP_IRETQ, PAD_U,            SEL_USER_CS, SEL_USER_DS, NONCANON, LAND_INT3, false },
	{ OP_IRETQ, PAD_S + PUSH_OFF, SEL_KERNEL_CS, SEL_KERNEL_DS, NONCANON, LAND_PUSH_INT3, true },
	{ OP_IRETQ, PAD_S + PUSH_OFF, SEL_KERNEL_CS, SEL_KERNEL_DS, NONCANON, LAND_PUSH_INT3, false },
};

/* int3 at +0, push %rax; int3 at +PUSH_OFF (the landings, enum landing). */
static void fill_pad(uint8_t *p)
{
	p[0] = 0xcc;
	p[PUSH_OFF] = 0x50;
	p[PUSH_OFF + 1] = 0xcc;
}

void run_sysret(const struct run_ctx *ctx)
{
	char buf[160];
	struct strbuf sb;
	struct ctx c = { .env = ctx->env };

	if (ctx->env->paging_levels != 4) {
		report_note("sysret: skipped (its addresses are chosen for 4-level paging)");
		return;
	}
	uint8_t *pu = scratch_map(PAD_U, PTE_U);
	uint8_t *ps = scratch_map(PAD_S, 0);
	void *st = scratch_map(USTACK_PG, PTE_U | PTE_W | (ctx->env->efer_nxe ? PTE_NX : 0));
	if (!pu || !ps || !st) {
		report_note("sysret: skipped (could not map the scratch pages)");
		scratch_unmap(PAD_U);
		scratch_unmap(PAD_S);
		scratch_unmap(USTACK_PG);
		return;
	}
	fill_pad(pu);
	fill_pad(ps);
	read_gdtr(&c.gdtr);

	/* SYSRET's selectors and enable bit, for this family only. */
	uint64_t efer = rdmsr(MSR_EFER), star = rdmsr(MSR_STAR);
	wrmsr(MSR_STAR, ((uint64_t)STAR_SYSRET_BASE << 48) | ((uint64_t)SEL_KERNEL_CS << 32));
	wrmsr(MSR_EFER, efer | EFER_SCE);

	report_set_begin("sysret", "SYSRET and IRETQ to non-canonical RIPs, bad selectors and bad "
			 "stacks: the fault's CPL, frame and stack");
	for (unsigned i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		run_cell(&c, &cells[i]);

	wrmsr(MSR_EFER, efer);
	wrmsr(MSR_STAR, star);
	scratch_unmap(PAD_U);
	scratch_unmap(PAD_S);
	scratch_unmap(USTACK_PG);

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "sysret: ");
	sb_dec(&sb, c.probes);
	sb_puts(&sb, " returns (vendor ");
	sb_puts(&sb, cpu_vendor_name(ctx->env->vendor));
	sb_puts(&sb, "), ");
	sb_dec(&sb, c.disagree);
	sb_puts(&sb, " disagree with the manuals' rule");
	report_note(buf);
	report_finding(buf);
}
