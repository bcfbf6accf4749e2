/* sets=pgprot: page-level protection (issue 11, family 8).  Kernel only:
 * it sets CR0.WP, CR4.PKE and PKRU and writes page-table entries.
 *
 *   wp    a write to a read-only page at CPL 0 with CR0.WP = 1 (#PF P|W) and
 *         CR0.WP = 0 (no fault), and at CPL 3 (WP does not matter: P|W|U)
 *   rsvd  a leaf PTE with a reserved bit set: the lowest physical-address bit
 *         at or above MAXPHYADDR (CPUID.80000008H:EAX[7:0]) and bit 51;
 *         loads, stores, fetches at CPL 0 and 3: #PF with P = 1 and RSVD = 1
 *         whatever the access rights (SDM Vol. 3 4.5.4, 4.7)
 *   nx    a fetch from an XD page (EFER.NXE = 1): #PF P|I/D, at CPL 0 and 3;
 *         a load from it is a control
 *   pk    protection keys (CR4.PKE, PKRU via WRPKRU, key in PTE bits 62:59;
 *         SDM Vol. 3 4.6.2): AD and WD at CPL 3 and CPL 0 (with CR0.WP = 1
 *         and 0), a fetch (never checked), PKRU = 0 as the control, and a
 *         read-only page with WD set (both deny: is PK still reported?).
 *         Only when CPUID.(7,0):ECX.PKU = 1; otherwise a note says why.
 *
 * Every #PF error-code bit is compared (P, W/R, U/S, RSVD, I/D, PK; the rule
 * model predicts all of them, rules_pgprot.c), and CR2.  The pages are
 * scratch pages at 0x0000300000000000 + n * 0x1000; each record's map= key
 * says what the live page tables held for them (paging_query). */
#include "../options.h"
#include "../probe.h"
#include "../scratch.h"
#include "../matrix/matrix_stubs.h"
#include "../model/fmt.h"
#include "../model/page_desc.h"
#include "../model/vectors.h"
#include "../../idt/cpu.h"
#include "../../idt/paging.h"
#include "../../report/rec.h"
#include "../../report/report.h"

#define PG_BASE 0x0000300000000000ull
#define PAGE_RO   (PG_BASE + 0x0000)   /* read-only, supervisor          */
#define PAGE_ROU  (PG_BASE + 0x1000)   /* read-only, user                */
#define PAGE_RSV  (PG_BASE + 0x2000)   /* user, writable, a reserved bit  */
#define PAGE_RSV2 (PG_BASE + 0x3000)   /* the same with bit 51            */
#define PAGE_NX   (PG_BASE + 0x4000)   /* user, writable, XD              */
#define PAGE_PK   (PG_BASE + 0x5000)   /* user, writable, protection key 1 */
#define PAGE_ROK  (PG_BASE + 0x6000)   /* read-only, user, protection key 2 */
#define PKEY      1u
#define PKEY_RO   2u
/* Never key 0 in PKRU: every other user page has key 0 (the ring-3 stubs,
 * probe_ctx, the user stack while CPL-3 probes run), and PKRU applies to
 * supervisor accesses to user pages too: AD0 would fault the executor
 * itself. */
#define PKEY_OTHER 3u
#define PKRU_AD(k) (1u << (2 * (k)))
#define PKRU_WD(k) (1u << (2 * (k) + 1))

struct ctx {
	const struct probe_env *env;
	char map[128];
	unsigned rsvd_bit;         /* the reserved PTE bit the rsvd rows set */
	unsigned probes, disagree;
};

static void run_one(struct ctx *c, struct probe_def *d, uint64_t addr)
{
	struct probe_result r;

	struct rec rec;

	if (probe_run_build(c->env, d, addr, 0, &r, &rec)) {
		probe_record_ctl_key(&rec, d);
		if (fp_strcmp(d->slice, "rsvd") == 0)
			rec_dec(&rec, "rsvd_bit", c->rsvd_bit);
	}
	probe_report_rec(&rec, c->env, d, &r);
	if (!r.skipped) {
		c->probes++;
		c->disagree += !r.agrees;
	}
}

/* The page's description as the live tables have it, for map=. */
static void set_map(struct ctx *c, uint64_t va)
{
	struct page_info pi;
	struct strbuf sb;

	paging_query(0, va, &pi);
	sb_init(&sb, c->map, sizeof(c->map));
	page_desc_put(&sb, va, &pi);
}

static struct probe_def def_for(struct ctx *c, enum probe_op op, const char *slice,
				unsigned cpl)
{
	bool mem = op == OP_LOAD || op == OP_STORE;
	int idx = matrix_stub_index(mem ? MK_MEM : MK_BRANCH, op, mem ? GPR_RAX : MF_IMPLIED,
				    SEGP_NONE, 8, -1);
	return (struct probe_def){
		.set = "pgprot", .slice = slice, .compact = true,
		.stub_name = "matrix", .stub = idx >= 0 ? matrix_stub_table[idx].fn : 0,
		.op = op, .base = mem ? GPR_RAX : GPR_NONE, .index = GPR_NONE,
		.prefix = SEGP_NONE, .width = 8, .cpl = cpl, .map = c->map,
	};
}

static void run_def(struct ctx *c, struct probe_def d, uint64_t addr)
{
	if (d.stub)
		run_one(c, &d, addr);
}

static void wp_slice(struct ctx *c)
{
	struct probe_def d;

	set_map(c, PAGE_RO);
	run_def(c, def_for(c, OP_LOAD, "wp", 0), PAGE_RO + 0x10);   /* control */
	d = def_for(c, OP_STORE, "wp", 0);
	run_def(c, d, PAGE_RO + 0x10);          /* WP = 1: #PF P|W      */
	d.wp_off = true;
	run_def(c, d, PAGE_RO + 0x10);          /* WP = 0: no fault     */
	set_map(c, PAGE_ROU);
	d = def_for(c, OP_STORE, "wp", 0);
	run_def(c, d, PAGE_ROU + 0x10);         /* user page, CPL 0, WP = 1 */
	d.wp_off = true;
	run_def(c, d, PAGE_ROU + 0x10);         /* ... WP = 0           */
	d = def_for(c, OP_STORE, "wp", 3);
	run_def(c, d, PAGE_ROU + 0x10);         /* CPL 3: P|W|U         */
	d.wp_off = true;
	run_def(c, d, PAGE_ROU + 0x10);         /* CPL 3 ignores WP     */
	set_map(c, PAGE_RO);
	run_def(c, def_for(c, OP_LOAD, "wp", 3), PAGE_RO + 0x10);    /* supervisor page: P|U */
}

static void rsvd_slice(struct ctx *c, uint64_t va, unsigned bit)
{
	static const enum probe_op ops[] = { OP_LOAD, OP_STORE, OP_CALL };
	c->rsvd_bit = bit;
	set_map(c, va);
	for (unsigned cpl = 0; cpl <= 3; cpl += 3)
		for (unsigned o = 0; o < 3; o++)
			run_def(c, def_for(c, ops[o], "rsvd", cpl), va + (ops[o] == OP_CALL ? 0 : 0x10));
}

static void nx_slice(struct ctx *c)
{
	set_map(c, PAGE_NX);
	for (unsigned cpl = 0; cpl <= 3; cpl += 3) {
		run_def(c, def_for(c, OP_CALL, "nx", cpl), PAGE_NX);
		run_def(c, def_for(c, OP_JMP, "nx", cpl), PAGE_NX);
		run_def(c, def_for(c, OP_LOAD, "nx", cpl), PAGE_NX + 0x10);  /* control */
	}
}

static void pk_slice(struct ctx *c)
{
	struct probe_def d;

	set_map(c, PAGE_PK);
	for (unsigned cpl = 0; cpl <= 3; cpl += 3) {
		d = def_for(c, OP_LOAD, "pk", cpl);
		d.pke = true;
		d.pkru = 0;
		run_def(c, d, PAGE_PK + 0x10);              /* PKRU = 0: control */
		d.pkru = PKRU_AD(PKEY);
		run_def(c, d, PAGE_PK + 0x10);              /* AD: #PF P|PK      */
		d.pkru = PKRU_WD(PKEY);
		run_def(c, d, PAGE_PK + 0x10);              /* WD, a read: none  */
		d.pkru = PKRU_AD(PKEY_OTHER) | PKRU_WD(PKEY_OTHER);
		run_def(c, d, PAGE_PK + 0x10);              /* other key: none   */
		d = def_for(c, OP_STORE, "pk", cpl);
		d.pke = true;
		d.pkru = PKRU_WD(PKEY);
		run_def(c, d, PAGE_PK + 0x10);              /* WD: #PF P|W|PK    */
		d.wp_off = true;
		run_def(c, d, PAGE_PK + 0x10);              /* WD, CR0.WP = 0    */
		d = def_for(c, OP_CALL, "pk", cpl);
		d.pke = true;
		d.pkru = PKRU_AD(PKEY) | PKRU_WD(PKEY);
		run_def(c, d, PAGE_PK);                     /* fetch: not checked */
	}
	/* a read-only user page with key 2 and WD2: both deny a CPL-3 write
	 * (SDM Vol. 3 4.7: PK is set whenever PKRU denies, whatever else does) */
	set_map(c, PAGE_ROK);
	d = def_for(c, OP_STORE, "pk", 3);
	d.pke = true;
	d.pkru = PKRU_WD(PKEY_RO);
	run_def(c, d, PAGE_ROK + 0x10);
}

void run_pgprot(const struct run_ctx *ctx)
{
	char buf[200];
	struct strbuf sb;
	struct ctx c = { .env = ctx->env };
	unsigned maxphy = paging_maxphyaddr();
	bool pku = cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ecx & CPUID7_ECX_PKU);

	uint8_t *ro = scratch_map(PAGE_RO, 0);
	uint8_t *rou = scratch_map(PAGE_ROU, PTE_U);
	uint8_t *nx = scratch_map(PAGE_NX, PTE_W | PTE_U | PTE_NX);
	uint8_t *pk = scratch_map(PAGE_PK, PTE_W | PTE_U | ((uint64_t)PKEY << PTE_PKEY_SHIFT));
	uint8_t *rok = scratch_map(PAGE_ROK, PTE_U | ((uint64_t)PKEY_RO << PTE_PKEY_SHIFT));
	uint8_t *rsv = maxphy < 52 ? scratch_map(PAGE_RSV, PTE_W | PTE_U | (1ull << maxphy)) : 0;
	uint8_t *rsv2 = maxphy < 52 ? scratch_map(PAGE_RSV2, PTE_W | PTE_U | (1ull << 51)) : 0;
	if (!ro || !rou || !nx || !pk || !rok) {
		probe_family_skipped(c.env, "pgprot", 0, "no-scratch-page",
				     "could not map the scratch pages");
		goto out;
	}
	nx[0] = pk[0] = 0xc3;   /* ret: a fetch that is allowed returns */
	if (rsv)
		rsv[0] = 0xc3;
	if (rsv2)
		rsv2[0] = 0xc3;

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "pgprot: MAXPHYADDR=");
	sb_dec(&sb, maxphy);
	sb_puts(&sb, " (CPUID.80000008H:EAX[7:0]): reserved PTE bits ");
	sb_dec(&sb, maxphy);
	sb_puts(&sb, "..51; pku=");
	sb_dec(&sb, pku);
	report_set_begin("pgprot", "page-level protection: CR0.WP, reserved bits, NX, protection keys");
	report_note(buf);
	wp_slice(&c);
	if (rsv)
		rsvd_slice(&c, PAGE_RSV, maxphy);
	if (rsv2 && maxphy < 51)
		rsvd_slice(&c, PAGE_RSV2, 51);
	if (maxphy >= 52)
		probe_family_skipped(c.env, "pgprot", "rsvd", "maxphyaddr-52",
				     "MAXPHYADDR = 52: no reserved address bits");
	nx_slice(&c);
	if (pku)
		pk_slice(&c);
	else
		probe_family_skipped(c.env, "pgprot", "pk", "cpuid-no-pku",
				     "CPUID.(7,0):ECX.PKU[3] = 0: no protection keys");

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "pgprot: ");
	sb_dec(&sb, c.probes);
	sb_puts(&sb, " probes, ");
	sb_dec(&sb, c.disagree);
	sb_puts(&sb, " disagree with the manuals' rule");
	report_note(buf);
	report_finding(buf);
out:
	scratch_unmap(PAGE_RO);
	scratch_unmap(PAGE_ROU);
	scratch_unmap(PAGE_NX);
	scratch_unmap(PAGE_PK);
	scratch_unmap(PAGE_ROK);
	scratch_unmap(PAGE_RSV);
	scratch_unmap(PAGE_RSV2);
}
