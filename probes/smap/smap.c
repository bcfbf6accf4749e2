/* sets=smap: SMAP and SMEP (issue 11, family 5).  Kernel only.
 *
 * With CR4.SMAP = 1 an explicit supervisor-mode data access to a user-mode
 * address (U/S = 1 at every level) faults unless RFLAGS.AC = 1 (STAC); with
 * CR4.SMEP = 1 a supervisor-mode instruction fetch from a user-mode address
 * faults (SDM Vol. 3 4.6.1; APM Vol. 2 5.6.x).  Both are protection faults:
 * #PF with P = 1, U/S = 0 (a supervisor-mode access), W/R = write, I/D = 1
 * for the fetch, CR2 = the address (SDM Vol. 3 4.7).
 *
 * Page U = 0x0000200000000000 (user, writable; a `ret` at offset 0 for the
 * fetches), page S = U + 0x1000 (supervisor) as the control.  Every probe
 * runs at CPL 0 with the CR4 bits its row asks for, set by the executor
 * just around the stub and put back after (exec_req.cr4_set).  Skipped,
 * with a note saying why, when CPUID.(7,0):EBX lacks SMEP or SMAP. */
#include "../options.h"
#include "../probe.h"
#include "../scratch.h"
#include "../matrix/matrix_stubs.h"
#include "../model/page_desc.h"
#include "../model/vectors.h"
#include "../../idt/cpu.h"
#include "../../idt/paging.h"
#include "../../report/rec.h"
#include "../../report/report.h"

#define PAGE_U 0x0000200000000000ull
#define PAGE_S (PAGE_U + 0x1000)

void smap_stac_load(uint64_t, uint64_t);
void smap_stac_store(uint64_t, uint64_t);

struct ctx {
	const struct probe_env *env;
	char map[96];
	unsigned probes, disagree;
};

static void run_one(struct ctx *c, struct probe_def *d, uint64_t addr)
{
	struct probe_result r;

	struct rec rec;

	if (probe_run_build(c->env, d, addr, 0, &r, &rec)) {
		probe_record_ctl_key(&rec, d);
	}
	probe_report_rec(&rec, c->env, d, &r);
	if (!r.skipped) {
		c->probes++;
		c->disagree += !r.agrees;
	}
}

static bool def_for(struct probe_def *d, enum matrix_kind kind, enum probe_op op, const char *slice,
		    const char *map)
{
	int idx = matrix_stub_index(kind, op, kind == MK_MEM ? GPR_RAX : MF_IMPLIED, SEGP_NONE, 8, -1);
	if (idx < 0)
		return false;
	*d = (struct probe_def){
		.set = "smap", .slice = slice, .compact = true,
		.stub_name = "matrix", .stub = matrix_stub_table[idx].fn,
		.op = op, .base = kind == MK_MEM ? GPR_RAX : GPR_NONE, .index = GPR_NONE,
		.prefix = SEGP_NONE, .width = 8, .map = map,
	};
	return true;
}

static void smap_slice(struct ctx *c)
{
	static const enum probe_op ops[] = { OP_LOAD, OP_STORE };
	struct probe_def d;

	for (unsigned o = 0; o < 2; o++) {
		if (!def_for(&d, MK_MEM, ops[o], "smap", c->map))
			continue;
		run_one(c, &d, PAGE_U + 0x100);     /* SMAP off: control */
		d.smap = true;
		run_one(c, &d, PAGE_U + 0x100);     /* #PF P=1, W/R */
		run_one(c, &d, PAGE_S + 0x100);     /* supervisor page: control */
		d.wp_off = true;                    /* SMAP does not depend on WP */
		run_one(c, &d, PAGE_U + 0x100);
		d.wp_off = false;
		/* STAC: RFLAGS.AC = 1 lifts SMAP for explicit accesses */
		d.stub = ops[o] == OP_LOAD ? smap_stac_load : smap_stac_store;
		d.stub_name = d.insn = ops[o] == OP_LOAD ? "stac;mov-load" : "stac;mov-store";
		d.ac = true;
		run_one(c, &d, PAGE_U + 0x100);
	}
}

static void smep_slice(struct ctx *c)
{
	static const enum probe_op ops[] = { OP_CALL, OP_JMP };
	struct probe_def d;

	for (unsigned o = 0; o < 2; o++) {
		if (!def_for(&d, MK_BRANCH, ops[o], "smep", c->map))
			continue;
		if (ops[o] == OP_CALL)
			run_one(c, &d, PAGE_U);     /* SMEP off: runs the ret there */
		d.smep = true;
		run_one(c, &d, PAGE_U);             /* #PF P=1, I/D=1 */
		if (ops[o] == OP_CALL)
			run_one(c, &d, PAGE_S);     /* supervisor page: control */
		d.smap = true;                      /* SMAP is about data only */
		run_one(c, &d, PAGE_U);
		/* ... and a data load from the page SMEP forbids running */
		if (ops[o] == OP_CALL && def_for(&d, MK_MEM, OP_LOAD, "smep", c->map)) {
			d.smep = true;
			run_one(c, &d, PAGE_U);
		}
	}
}

static void desc(char *buf, size_t cap, const uint64_t *vas, unsigned n)
{
	struct strbuf sb;
	sb_init(&sb, buf, cap);
	for (unsigned i = 0; i < n; i++) {
		struct page_info pi;
		paging_query(0, vas[i], &pi);
		if (i)
			sb_putc(&sb, ',');
		page_desc_put(&sb, vas[i], &pi);
	}
}

void run_smap(const struct run_ctx *ctx)
{
	char buf[160];
	struct strbuf sb;
	struct ctx c = { .env = ctx->env };
	uint32_t ebx = cpuid(0, 0).eax >= 7 ? cpuid(7, 0).ebx : 0;

	if (!(ebx & CPUID7_EBX_SMEP) || !(ebx & CPUID7_EBX_SMAP)) {
		bool smep = ebx & CPUID7_EBX_SMEP, smap = ebx & CPUID7_EBX_SMAP;
		probe_family_skipped(ctx->env, "smap", 0,
				     !smep && !smap ? "cpuid-no-smep-smap" : !smep ? "cpuid-no-smep"
										   : "cpuid-no-smap",
				     "CPUID.(7,0):EBX has no SMEP[7] or no SMAP[20]: nothing to probe");
		return;
	}
	uint8_t *u = scratch_map(PAGE_U, PTE_W | PTE_U);
	uint8_t *s = scratch_map(PAGE_S, PTE_W);
	if (!u || !s) {
		probe_family_skipped(ctx->env, "smap", 0, "no-scratch-page",
				     "could not map the scratch pages");
		scratch_unmap(PAGE_U);
		scratch_unmap(PAGE_S);
		return;
	}
	u[0] = 0xc3;   /* ret */
	s[0] = 0xc3;
	const uint64_t vas[] = { PAGE_U, PAGE_S };
	desc(c.map, sizeof(c.map), vas, 2);
	report_set_begin("smap", "SMAP and SMEP: supervisor data access to and fetch from a user page");
	smap_slice(&c);
	smep_slice(&c);
	scratch_unmap(PAGE_U);
	scratch_unmap(PAGE_S);

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "smap: ");
	sb_dec(&sb, c.probes);
	sb_puts(&sb, " probes, ");
	sb_dec(&sb, c.disagree);
	sb_puts(&sb, " disagree with the manuals' rule");
	report_note(buf);
	report_finding(buf);
}
