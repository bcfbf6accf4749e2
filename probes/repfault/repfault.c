/* sets=repfault: `rep stos` / `rep movs` faulting part-way (issue 11,
 * family 6) -- what Linux's copy_user fixups rely on: at the #PF, RCX is
 * the count of elements not done, RSI/RDI point at the faulting element,
 * the saved RIP is the rep instruction, and the elements before it are
 * stored (SDM Vol. 2 MOVS/STOS/REP "Operation"; Vol. 3 6.5; Vol. 3 8.2.4.1
 * (9.2.4.1 in recent editions): fast strings keep this for faults).
 *
 * Layout (scratch pages, probes/scratch.h; the same addresses in the kernel
 * and in faultprobe-user):
 *
 *   R+0x0000  absent      R = 0x00005a5a00000000, canonical, nothing there
 *   R+0x1000  page A      scratch, writable
 *   R+0x2000  absent      the hole A runs up into and B runs down into
 *   R+0x3000  page B      scratch, writable
 *   R+0x4000  absent
 *
 * Per width (movsb/w/d/q, stosb/w/d/q) and direction (DF = 0 up, DF = 1
 * down), count 8:
 *   aligned     4 elements fit, the 5th lies in the hole
 *   misaligned  (w > 1) 3 elements fit, the 4th straddles into the hole
 *   control     8 elements end exactly at the page end (no fault)
 * for `stos` (destination), `movs` with the source running into the hole
 * (movs-src), with the destination (movs-dst), and with both at the same
 * element (movs-both, aligned only: which does the CPU check first?).  In
 * the kernel a CPL-3 slice repeats the aligned qword cases with the pages
 * made user pages (the error code gains U/S); faultprobe-user runs
 * everything at CPL 3 anyway.
 *
 * Record keys after platform=: scratch= (the present pages, for fpcheck's
 * page model; scratch_user=1 when they are user pages), rep= df=, dst= (movs), rcx_left= rule_rcx_left=, rsi_adv=
 * rdi_adv= (bytes RSI/RDI moved from their start at the fault, signed),
 * written= (bytes of the destination page changed), progress=yes|no (RCX,
 * RSI, RDI and the bytes written are what the rule's count of completed
 * elements says).  agrees= judges vector, error code and CR2 as for every
 * probe. */
#include "../options.h"
#include "../probe.h"
#include "../scratch.h"
#include "../../idt/paging.h"
#include "../../report/report.h"

#define R        0x00005a5a00000000ull
#define PAGE_A   (R + 0x1000)
#define PAGE_B   (R + 0x3000)
#define HOLE_AB  (R + 0x2000)            /* A runs up into it          */
#define HOLE_TOP (R + 0x4000)            /* B runs up into it          */
#define COUNT    8
#define BACKGROUND 0x11                  /* destination page before    */
#define SOURCE     0xa5                  /* source page (movs)         */

enum kind { K_STOS, K_SRC, K_DST, K_BOTH, K_COUNT };
static const char *const kind_slice[K_COUNT] = { "stos", "movs-src", "movs-dst", "movs-both" };
enum variant { V_ALIGNED, V_MISALIGNED, V_CONTROL, V_COUNT };

#define STUBS(op) \
	void probe_repfault_##op##b(uint64_t, uint64_t); void probe_repfault_##op##b_down(uint64_t, uint64_t); \
	void probe_repfault_##op##w(uint64_t, uint64_t); void probe_repfault_##op##w_down(uint64_t, uint64_t); \
	void probe_repfault_##op##d(uint64_t, uint64_t); void probe_repfault_##op##d_down(uint64_t, uint64_t); \
	void probe_repfault_##op##q(uint64_t, uint64_t); void probe_repfault_##op##q_down(uint64_t, uint64_t);
STUBS(stos)
STUBS(movs)

/* [movs?][width index][df] */
static const probe_stub_fn stubs[2][4][2] = {
	{ { probe_repfault_stosb, probe_repfault_stosb_down },
	  { probe_repfault_stosw, probe_repfault_stosw_down },
	  { probe_repfault_stosd, probe_repfault_stosd_down },
	  { probe_repfault_stosq, probe_repfault_stosq_down } },
	{ { probe_repfault_movsb, probe_repfault_movsb_down },
	  { probe_repfault_movsw, probe_repfault_movsw_down },
	  { probe_repfault_movsd, probe_repfault_movsd_down },
	  { probe_repfault_movsq, probe_repfault_movsq_down } },
};

struct ctx {
	const struct probe_env *env;
	uint8_t *page[2];                    /* A, B as the family writes them */
	unsigned probes, disagree, progress_bad;
};

/* The address where `count` elements of width w run from a page into the
 * hole: upward from below HOLE_AB, downward from above PAGE_B (the hole
 * below B).  aligned: 4 elements fit; misaligned: the 4th straddles;
 * control: all 8 fit. */
static uint64_t run_start(bool df, unsigned w, enum variant v)
{
	unsigned fit = v == V_CONTROL ? COUNT : 4;
	if (!df)
		return HOLE_AB - fit * w + (v == V_MISALIGNED);
	return PAGE_B + (fit - 1) * w - (v == V_MISALIGNED);
}

static uint8_t *page_of(struct ctx *c, uint64_t va)
{
	return (va & ~0xfffull) == PAGE_A ? c->page[0] : c->page[1];
}

static unsigned changed_bytes(const uint8_t *p)
{
	unsigned n = 0;
	for (unsigned i = 0; i < 4096; i++)
		n += ((const volatile uint8_t *)p)[i] != BACKGROUND;
	return n;
}

static void run_one(struct ctx *c, struct probe_def *d, uint64_t addr)
{
	struct probe_result r;
	struct rec rec;
	uint64_t dst = d->op == OP_MOVS ? d->dst : addr;
	uint8_t *dpage = page_of(c, dst);

	/* the destination page reads BACKGROUND, the other one SOURCE */
	for (unsigned i = 0; i < 4096; i++) {
		((volatile uint8_t *)c->page[0])[i] = c->page[0] == dpage ? BACKGROUND : SOURCE;
		((volatile uint8_t *)c->page[1])[i] = c->page[1] == dpage ? BACKGROUND : SOURCE;
	}
	if (!probe_run_build(c->env, d, addr, 0, &r, &rec)) {
		probe_report_rec(&rec, c->env, d, &r);
		return;
	}

	unsigned done = r.rule.rep_done;
	int64_t rule_adv = (int64_t)done * d->width * (d->df ? -1 : 1);
	uint64_t left = r.x.faulted ? r.x.frame.rcx : r.x.value;
	unsigned written = changed_bytes(dpage);
	bool ok = left == d->rep - done && written == done * d->width;

	struct strbuf *sb = rec_text_begin(&rec);
	sb_hexmin(sb, PAGE_A);
	sb_putc(sb, '+');
	sb_hexmin(sb, PAGE_B);
	rec_text_end(&rec, "scratch");
	if (d->cpl == 3)
		rec_dec(&rec, "scratch_user", 1);   /* the pages are user pages */
	rec_dec(&rec, "rep", d->rep);
	rec_dec(&rec, "df", d->df);
	if (d->op == OP_MOVS)
		rec_hexmin(&rec, "dst", d->dst);
	rec_dec(&rec, "rcx_left", left);
	rec_dec(&rec, "rule_rcx_left", d->rep - done);
	if (r.x.faulted) {
		int64_t rdi_adv = (int64_t)(r.x.frame.rdi - dst);
		if (d->op == OP_MOVS) {
			int64_t rsi_adv = (int64_t)(r.x.frame.rsi - addr);
			rec_sdec(&rec, "rsi_adv", rsi_adv);
			ok = ok && rsi_adv == rule_adv;
		}
		rec_sdec(&rec, "rdi_adv", rdi_adv);
		ok = ok && rdi_adv == rule_adv;
	}
	rec_dec(&rec, "written", written);
	rec_yesno(&rec, "progress", ok);
	c->probes++;
	c->disagree += !r.agrees;
	c->progress_bad += !ok;
	probe_report_rec(&rec, c->env, d, &r);
}

static void run_case(struct ctx *c, enum kind k, unsigned wi, bool df, enum variant v, unsigned cpl)
{
	unsigned w = 1u << wi;
	uint64_t run = run_start(df, w, v);
	/* the other operand: room for 8 elements on the other page */
	uint64_t other = df ? PAGE_A + 0x800 : PAGE_B + 0x100;
	struct probe_def d = {
		.set = "repfault", .slice = kind_slice[k], .compact = true,
		.want_regs = true,   /* RCX, RSI, RDI at the fault */
		.stub_name = "repfault", .stub = stubs[k != K_STOS][wi][df],
		.op = k == K_STOS ? OP_STOS : OP_MOVS,
		.base = k == K_STOS ? GPR_RDI : GPR_RSI, .index = GPR_NONE,
		.prefix = SEGP_NONE, .width = w, .rep = COUNT, .df = df, .cpl = cpl,
	};
	uint64_t addr = run;

	switch (k) {
	case K_STOS:
		break;
	case K_SRC:
		d.dst = other;
		break;
	case K_DST:
		addr = other;
		d.dst = run;
		break;
	case K_BOTH:
		/* the source runs into the hole from A (up) / B (down), the
		 * destination from B into HOLE_TOP (up) / from A into the hole
		 * below it (down), both at element 4 */
		d.dst = df ? PAGE_A + 3 * w : HOLE_TOP - 4 * w;
		break;
	default:
		return;
	}
	d.dst_known = d.op == OP_MOVS;
	run_one(c, &d, addr);
}

void run_repfault(const struct run_ctx *ctx)
{
	char buf[160];
	struct strbuf sb;
	struct ctx c = { .env = ctx->env };

	c.page[0] = scratch_map(PAGE_A, PTE_W);
	c.page[1] = scratch_map(PAGE_B, PTE_W);
	if (!c.page[0] || !c.page[1]) {
		report_note("repfault: skipped (could not map the scratch pages at 0x5a5a00001000/0x5a5a00003000)");
		scratch_unmap(PAGE_A);
		scratch_unmap(PAGE_B);
		return;
	}
	report_set_begin("repfault", "rep stos/movs running from a present page into an absent one: "
			 "RCX/RSI/RDI, CR2, bytes stored at the #PF");
	for (unsigned k = 0; k < K_COUNT; k++)
		for (unsigned df = 0; df < 2; df++)
			for (unsigned wi = 0; wi < 4; wi++)
				for (unsigned v = 0; v < V_COUNT; v++) {
					if (v == V_MISALIGNED && wi == 0)
						continue;   /* bytes cannot straddle */
					if (k == K_BOTH && v != V_ALIGNED)
						continue;
					run_case(&c, (enum kind)k, wi, df, (enum variant)v, 0);
				}
	/* CPL 3 (kernel only; faultprobe-user runs everything there): the
	 * pages become user pages (the probes run with SMAP off) */
	if (!ctx->env->force_cpl && scratch_protect(PAGE_A, PTE_P | PTE_W | PTE_U) &&
	    scratch_protect(PAGE_B, PTE_P | PTE_W | PTE_U))
		for (unsigned k = 0; k < K_BOTH; k++)
			run_case(&c, (enum kind)k, 3, false, V_ALIGNED, 3);
	exec_ring3_end();
	scratch_unmap(PAGE_A);
	scratch_unmap(PAGE_B);

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "repfault: ");
	sb_dec(&sb, c.probes);
	sb_puts(&sb, " rep string probes, ");
	sb_dec(&sb, c.disagree);
	sb_puts(&sb, " disagree with the rule (vector/error/CR2), ");
	sb_dec(&sb, c.progress_bad);
	sb_puts(&sb, " with its progress (RCX/RSI/RDI/bytes)");
	report_note(buf);
	report_finding(buf);
}
