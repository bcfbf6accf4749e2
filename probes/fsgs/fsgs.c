/* sets=fsgs: FS and GS with a non-zero base (issue 11, family 7).
 *
 * In 64-bit mode FS and GS are the only segments with a base, and an
 * fs:/gs: access goes to base + offset modulo 2^64; the canonical check
 * applies to that linear address, not to the offset (SDM Vol. 3 3.4.4;
 * Vol. 1 3.3.7.1).  The bases are loaded by WRFSBASE/WRGSBASE (when
 * CR4.FSGSBASE = 1) and WRMSR of IA32_FS_BASE/IA32_GS_BASE/
 * IA32_KERNEL_GS_BASE, which raise #GP(0) for a non-canonical value --
 * canonical against the processor's linear-address width, 57 bits on a CPU
 * with LA57 even under 4-level paging (probes/model/rules_regload.c).
 *
 * Slices:
 *   wrbase   wrfsbase/wrgsbase of values across both canonical widths,
 *            with CR4.FSGSBASE = 1, and two with CR4.FSGSBASE = 0 (#UD);
 *            the value read back (rdfsbase) when it did not fault
 *   wrmsr    wrmsr of the three base MSRs, value read back (rdmsr)
 *   access   8-byte loads (rax and rbp base) and stores (rax) through fs:
 *            and gs: with a base set around the stub: canonical offset
 *            with a non-canonical sum, a sum straddling the hole, a
 *            canonical absent sum (#PF, CR2 = base + offset), a
 *            non-canonical offset whose sum is canonical (a scratch page:
 *            no fault), a sum that wraps past 2^64 onto it, and a base
 *            that only a CPU with LA57 loads (at 4-level every access
 *            through it is non-canonical)
 *   ring3    (kernel) wrmsr and wrfsbase at CPL 3
 *
 * Every base is put back to 0 after each probe (the stubs and the
 * executor), and CR4.FSGSBASE as it was: every other probe relies on base 0
 * (probes/facts.c).  faultprobe-user runs what Linux lets it: wrfsbase
 * (#UD unless Linux enabled FSGSBASE), wrmsr (#GP(0) at CPL 3), accesses
 * through bases below TASK_SIZE_MAX (arch_prctl refuses the others: those
 * are skip records). */
#include "../options.h"
#include "../probe.h"
#include "../scratch.h"
#include "fsgs_stubs.h"
#include "../matrix/matrix_stubs.h"
#include "../model/rules_regload.h"
#include "../../idt/paging.h"
#include "../../report/report.h"

#define SCRATCH_VA 0x00005a5a00010000ull   /* where the canonical sums land */

/* Values on both sides of the 48- and 57-bit canonical edges. */
static const uint64_t base_values[] = {
	0x0000000000000000ull, 0x00007fffffffffffull, 0x0000800000000000ull,
	0x00ffffffffffffffull, 0x0100000000000000ull, 0xfeffffffffffffffull,
	0xff00000000000000ull, 0xffff7fffffffffffull, 0xffff800000000000ull,
	0x0072006900560338ull, 0x8000000000000000ull,
};
static const uint64_t msr_values[] = {
	0x00007fffffffffffull, 0x0000800000000000ull, 0x0100000000000000ull,
	0xffff7fffffffffffull, 0xffff800000000000ull, 0x0072006900560338ull,
	0x8000000000000000ull,
};

static const struct {
	uint32_t msr;
	probe_stub_fn stub;
} msrs[] = {
	{ MSR_FS_BASE, probe_fsgs_wrmsr_fs_base },
	{ MSR_GS_BASE, probe_fsgs_wrmsr_gs_base },
	{ MSR_KERNEL_GS_BASE, probe_fsgs_wrmsr_kernel_gs_base },
};

/* base + offset: what each access case is about */
static const struct {
	uint64_t base, offset;
	const char *what;
} access_cases[] = {
	{ 0x00007fffffff0000ull, 0x10000, "canonical offset, sum 0x800000000000" },
	{ 0x00007fffffff0000ull, 0xfffc, "sum straddles 0x800000000000" },
	{ 0x00007fffffff0000ull, 0xfff8, "sum canonical, absent" },
	{ SCRATCH_VA - 0x0000800000000000ull, 0x0000800000000000ull, "non-canonical offset, canonical sum" },
	{ 0xffffffffffff0000ull, SCRATCH_VA + 0x10000, "sum wraps past 2^64" },
	{ 0x0000800000000000ull, 0x0, "base only a LA57 CPU loads" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct ctx {
	const struct probe_env *env;
	unsigned probes, disagree, skipped;
};

static void run_one(struct ctx *c, const struct probe_env *env, const struct probe_def *d,
		    uint64_t addr)
{
	struct probe_result r;
	struct rec rec;

	if (!probe_run_build(env, d, addr, 0, &r, &rec)) {
		c->skipped++;
	} else {
		c->probes++;
		c->disagree += !r.agrees;
	}
	/* what the rule depended on (fpcheck's lint reads these) */
	if (d->op == OP_WRMSR)
		rec_hexmin(&rec, "msr", d->msr);
	if (d->op == OP_WRFSBASE || d->op == OP_WRGSBASE)
		rec_dec(&rec, "cr4_fsgsbase", env->cr4_fsgsbase);
	if (d->op == OP_WRFSBASE || d->op == OP_WRGSBASE || d->op == OP_WRMSR)
		rec_dec(&rec, "cpu_la57", env->cpu_la57);
	if (d->seg_base || d->prefix == SEGP_FS || d->prefix == SEGP_GS) {
		if (d->op == OP_LOAD || d->op == OP_STORE) {
			rec_hex64(&rec, "seg_base", d->seg_base);
			rec_hex64(&rec, "linear", d->seg_base + addr);
			rec_str(&rec, "scratch", "0x5a5a00010000");
		}
	}
	probe_report_rec(&rec, env, d, &r);
}

static void wrbase_slice(struct ctx *c, const struct probe_env *env, const uint64_t *values,
			 unsigned n, unsigned cpl, const char *slice)
{
	for (unsigned g = 0; g < 2; g++)
		for (unsigned i = 0; i < n; i++) {
			struct probe_def d = {
				.set = "fsgs", .slice = slice, .compact = true,
				.stub_name = g ? "probe_fsgs_wrgsbase" : "probe_fsgs_wrfsbase",
				.stub = g ? probe_fsgs_wrgsbase : probe_fsgs_wrfsbase,
				.op = g ? OP_WRGSBASE : OP_WRFSBASE, .base = GPR_RDI, .index = GPR_NONE,
				/* seg= says which base; faultprobe-user zeroes it around the
				 * stub and puts glibc's TLS pointer back */
				.prefix = g ? SEGP_GS : SEGP_FS, .width = 8, .cpl = cpl,
			};
			run_one(c, env, &d, values[i]);
		}
}

static void wrmsr_slice(struct ctx *c, const uint64_t *values, unsigned n, unsigned cpl,
			const char *slice)
{
	for (unsigned m = 0; m < COUNT(msrs); m++)
		for (unsigned i = 0; i < n; i++) {
			struct probe_def d = {
				.set = "fsgs", .slice = slice, .compact = true,
				.stub_name = "probe_fsgs_wrmsr", .stub = msrs[m].stub,
				.op = OP_WRMSR, .base = GPR_RDI, .index = GPR_NONE,
				.prefix = SEGP_NONE, .width = 8, .msr = msrs[m].msr, .cpl = cpl,
			};
			run_one(c, c->env, &d, values[i]);
		}
}

/* Loads through rax and rbp, stores through rax, 8 bytes, fs: and gs:.
 * A base this CPU cannot load (not canonical at its width) is never set
 * (the executor's WRMSR would #GP outside any probe): a skip record. */
static void access_slice(struct ctx *c)
{
	static const struct { enum probe_op op; unsigned form; } forms[] = {
		{ OP_LOAD, GPR_RAX }, { OP_LOAD, GPR_RBP }, { OP_STORE, GPR_RAX },
	};
	static const enum seg_prefix segs[] = { SEGP_FS, SEGP_GS };
	/* which bases this CPU loads: the rule's width for base loads */
	struct access cpu = { .cpu_la57 = c->env->cpu_la57 };
	unsigned levels = regload_canonical_levels(&cpu);

	for (unsigned s = 0; s < 2; s++)
		for (unsigned i = 0; i < COUNT(access_cases); i++)
			for (unsigned f = 0; f < COUNT(forms); f++) {
				int idx = matrix_stub_index(MK_MEM, forms[f].op, forms[f].form, segs[s], 8, -1);
				if (idx < 0)
					continue;
				struct probe_def d = {
					.set = "fsgs", .slice = "access", .compact = true,
					.stub_name = "matrix", .stub = matrix_stub_table[idx].fn,
					.op = forms[f].op, .base = (int)forms[f].form, .index = GPR_NONE,
					.prefix = segs[s], .width = 8, .seg_base = access_cases[i].base,
				};
				if (!addr_is_canonical(d.seg_base, levels)) {
					struct probe_result r = { .skipped = "base-not-loadable" };
					struct rec rec;
					probe_access(c->env, &d, access_cases[i].offset, &r.access);
					r.cpl = r.access.cpl;
					rule_predict(&r.access, &r.rule);
					probe_skip_record_build(&rec, c->env, &d, access_cases[i].offset, 0, &r);
					rec_hex64(&rec, "seg_base", d.seg_base);
					probe_report_rec(&rec, c->env, &d, &r);
					c->skipped++;
					continue;
				}
				run_one(c, c->env, &d, access_cases[i].offset);
			}
}

void run_fsgs(const struct run_ctx *ctx)
{
	static const uint64_t ud_values[] = { 0x0000000000001000ull, 0x8000000000000000ull };
	static const uint64_t ring3_values[] = { 0x00007fffffff0000ull, 0x8000000000000000ull };
	char buf[200];
	struct strbuf sb;
	struct ctx c = { .env = ctx->env };
	struct probe_env env = *ctx->env;
	bool was = env.cr4_fsgsbase;

	uint8_t *page = scratch_map(SCRATCH_VA, PTE_W);
	if (!page) {
		report_note("fsgs: skipped (could not map the scratch page at 0x5a5a00010000)");
		return;
	}
	for (unsigned i = 0; i < 4096; i++)
		((volatile uint8_t *)page)[i] = 0x6b;
	report_set_begin("fsgs", "FS/GS with a non-zero base: wrfsbase/wrgsbase, wrmsr of the base MSRs, "
			 "accesses whose offset and linear address differ in canonical form");

	env.cr4_fsgsbase = exec_fsgsbase(true);
	wrbase_slice(&c, &env, base_values, COUNT(base_values), 0, "wrbase");
	/* CR4.FSGSBASE = 0, where it can be changed: #UD whatever the value */
	if (!ctx->env->force_cpl) {
		env.cr4_fsgsbase = exec_fsgsbase(false);
		wrbase_slice(&c, &env, ud_values, COUNT(ud_values), 0, "wrbase-off");
	}
	wrmsr_slice(&c, msr_values, COUNT(msr_values), 0, "wrmsr");
	access_slice(&c);
	if (!ctx->env->force_cpl) {
		/* CPL 3 in the kernel: WRMSR is privileged; WRFSBASE is not */
		env.cr4_fsgsbase = exec_fsgsbase(true);
		wrmsr_slice(&c, ring3_values, COUNT(ring3_values), 3, "ring3");
		wrbase_slice(&c, &env, ring3_values, COUNT(ring3_values), 3, "ring3");
	}
	exec_ring3_end();
	exec_fsgsbase(was);
	scratch_unmap(SCRATCH_VA);

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "fsgs: ");
	sb_dec(&sb, c.probes);
	sb_puts(&sb, " base loads and accesses through a base, ");
	sb_dec(&sb, c.disagree);
	sb_puts(&sb, " disagree with the manuals' rule, ");
	sb_dec(&sb, c.skipped);
	sb_puts(&sb, " skipped");
	report_note(buf);
	report_finding(buf);
}
