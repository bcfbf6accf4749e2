/* sets=matrix: walks the matrix described in probes/model/matrix_desc.c,
 * runs every probe through the executor at CPL 0 or CPL 3, prints one
 * `probe` record per probe on serial, and on screen only a per-slice
 * summary (counts by vector, disagreements with the manuals' rule).
 * faultprobe-user runs the same file with every probe at CPL 3. */
#include "matrix_stubs.h"
#include "../options.h"
#include "../probe.h"
#include "../model/vectors.h"
#include "../../report/report.h"

#define LINE 160

/* ------------------------------------------------------------ summary */

#define MAX_PAIRS 6

struct slice_tally {
	unsigned probes, none, ss, gp, pf, other, disagree, skipped, r3bad;
	unsigned npairs;
	struct { int rule, seen; unsigned n; } pairs[MAX_PAIRS];
	unsigned pairs_dropped;
};

static void tally_add(struct slice_tally *t, const struct probe_result *r, bool kernel_view)
{
	if (r->skipped) {
		t->skipped++;
		return;
	}
	t->probes++;
	switch (r->vector) {
	case VEC_NONE: t->none++; break;
	case VEC_SS: t->ss++; break;
	case VEC_GP: t->gp++; break;
	case VEC_PF: t->pf++; break;
	default: t->other++; break;
	}
	if (kernel_view && r->cpl == 3 && r->x.faulted && !r->x.ring3_frame_ok)
		t->r3bad++;
	if (r->agrees)
		return;
	t->disagree++;
	for (unsigned i = 0; i < t->npairs; i++)
		if (t->pairs[i].rule == r->rule.vector && t->pairs[i].seen == r->vector) {
			t->pairs[i].n++;
			return;
		}
	if (t->npairs < MAX_PAIRS) {
		t->pairs[t->npairs].rule = r->rule.vector;
		t->pairs[t->npairs].seen = r->vector;
		t->pairs[t->npairs].n = 1;
		t->npairs++;
	} else {
		t->pairs_dropped++;
	}
}

/* Right-aligned so the number ends at column `end`. */
static void put_col(struct strbuf *sb, size_t end, unsigned v)
{
	size_t digits = 1;
	for (unsigned x = v; x >= 10; x /= 10)
		digits++;
	sb_pad_to(sb, end > digits ? end - digits : 0);
	sb_dec(sb, v);
}

#define TALLY_HEADER "  slice          probes   none   #SS   #GP   #PF other disagree"

static void tally_print(const struct matrix_slice *s, const struct slice_tally *t,
			bool kernel_view)
{
	char buf[LINE];
	struct strbuf sb;

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "  ");
	sb_puts(&sb, s->name);
	put_col(&sb, 23, t->probes);
	put_col(&sb, 30, t->none);
	put_col(&sb, 36, t->ss);
	put_col(&sb, 42, t->gp);
	put_col(&sb, 48, t->pf);
	put_col(&sb, 54, t->other);
	put_col(&sb, 63, t->disagree);
	if (t->skipped) {
		sb_puts(&sb, "  skipped ");
		sb_dec(&sb, t->skipped);
	}
	if (kernel_view && (s->cpls & MATRIX_CPL3)) {
		sb_puts(&sb, t->r3bad ? "  ring3 frames BAD " : "  ring3 frames ok");
		if (t->r3bad)
			sb_dec(&sb, t->r3bad);
	}
	report_note(buf);
	for (unsigned i = 0; i < t->npairs; i++) {
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "      rule ");
		vector_put(&sb, t->pairs[i].rule);
		sb_puts(&sb, " but saw ");
		vector_put(&sb, t->pairs[i].seen);
		sb_puts(&sb, ": ");
		sb_dec(&sb, t->pairs[i].n);
		report_note(buf);
	}
	if (t->pairs_dropped) {
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "      other rule/seen pairs: ");
		sb_dec(&sb, t->pairs_dropped);
		report_note(buf);
	}
}

/* ------------------------------------------------------------ the set */

static void note2(const char *a, const char *b)
{
	char buf[LINE];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, a);
	sb_puts(&sb, b);
	report_note(buf);
}

/* matrix=FILTER: narrow *f to that sub-matrix.  boot/cmdline.c and
 * faultprobe-user's argument check have already refused a filter that does
 * not parse (with the error line); should one get here anyway, the whole
 * matrix runs and a note says why. */
static void apply_cmdline_filter(const struct options *opts, struct matrix_filter *f)
{
	char err[160], buf[2 * LINE + 200];
	struct strbuf sb;

	if (!opts || !opts->matrix_filter[0])
		return;
	if (matrix_filter_parse(opts->matrix_filter, f, err, sizeof(err))) {
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "matrix: sub-matrix matrix=");
		sb_puts(&sb, opts->matrix_filter);
		sb_puts(&sb, " (boot option)");
		report_note(buf);
		return;
	}
	matrix_filter_all(f);  /* the parser may have applied earlier items */
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "matrix: the filter matrix=");
	sb_puts(&sb, opts->matrix_filter);  /* printable: boot/cmdline.c checked */
	sb_puts(&sb, " does not parse (");
	sb_puts(&sb, err);
	sb_puts(&sb, "): the whole matrix runs");
	report_note(buf);
}

void run_matrix(const struct run_ctx *ctx)
{
	const struct options *opts = ctx->opts;
	const struct probe_env *env = ctx->env;
	struct matrix_filter f;
	struct matrix_iter it;
	struct matrix_probe p;
	struct slice_tally tally;
	unsigned cur_slice = ~0u, total = 0, disagree = 0, first_bad = 0, bad;
	char buf[LINE], name[48];
	struct strbuf sb;

	bad = matrix_stub_table_check(matrix_stub_table, matrix_stub_table_count, &first_bad);
	if (bad) {
		matrix_stub_name(first_bad, name, sizeof(name));
		note2("matrix: NOT RUN: matrix_stub_table disagrees with matrix_desc.c, first at ",
		      name);
		return;
	}

	matrix_filter_all(&f);
	f.as_cpl3 = env->force_cpl == 3;
	apply_cmdline_filter(opts, &f);
	f.as_cpl3 = env->force_cpl == 3;
	if (!env->sse) {
		f.widths &= (uint8_t)~MW_BIT(MW_16);
		note2("matrix: SSE not usable, width-16 (movups xmm) probes skipped: ", env->no_sse_why);
	}
	if (!env->avx) {
		f.widths &= (uint8_t)~MW_BIT(MW_32);
		note2("matrix: AVX not usable, width-32 (vmovups ymm) probes skipped: ", env->no_avx_why);
	} else if (fp_strcmp(env->platform, "kvm") == 0) {
		/* Measured on the local KVM: a vmovups that faults on an unmapped
		 * page ends the guest ("KVM internal error. Suberror: 1 ...
		 * emulation failure", the instruction emulator has no VEX
		 * support), so the 32-byte probes would lose the whole run. */
		f.widths &= (uint8_t)~MW_BIT(MW_32);
		report_note("matrix: width-32 (vmovups ymm) probes skipped under KVM: a faulting "
			    "VEX load stops the guest with a KVM emulation failure");
	}
	if ((f.cpls & MATRIX_CPL3) && !f.as_cpl3) {
		if (exec_ring3_selftest()) {
			report_note("matrix: ring 3 entry (IRETQ) and exit (INT3) self-test ok");
		} else {
			f.cpls &= (uint8_t)~MATRIX_CPL3;
			report_note("matrix: ring 3 self-test FAILED (a CPL-3 load of a user page did "
				    "not come back with its value): CPL-3 probes skipped");
		}
	}

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "== set matrix: ");
	sb_dec(&sb, matrix_count(&f));
	sb_puts(&sb, " probes in ");
	sb_dec(&sb, matrix_slice_count);
	sb_puts(&sb, " slices (records on serial; per-slice summary here)");
	report_note(buf);
	report_note(TALLY_HEADER);

	matrix_iter_init(&it, &f);
	for (;;) {
		bool more = matrix_iter_next(&it, &p);

		if (!more || p.slice != cur_slice) {
			if (cur_slice != ~0u)
				tally_print(&matrix_slices[cur_slice], &tally, env->kernel_view);
			if (!more)
				break;
			cur_slice = p.slice;
			for (unsigned i = 0; i < sizeof(tally); i++)
				((volatile uint8_t *)&tally)[i] = 0;
		}

		char stub_name[48];
		matrix_stub_name(p.stub, stub_name, sizeof(stub_name));
		struct probe_def d = {
			.set = "matrix",
			.slice = matrix_slices[p.slice].name,
			.compact = true,
			.stub_name = stub_name,
			.stub = matrix_stub_table[p.stub].fn,
			.op = p.op,
			.base = p.base,
			.index = p.index,
			.prefix = p.prefix,
			.width = p.width,
			.cpl = p.cpl,
			/* RSP = addr at CPL 0: the frame needs another stack
			 * (SDM Vol. 3 6.14.5).  At CPL 3 the CPU switches to
			 * RSP0 anyway, which is what the ring-3 rows check. */
			.on_ist = p.cpl == 0 && p.rsp_is_addr,
		};
		struct probe_result r;
		probe_run_report(env, &d, p.addr, 0, &r);
		tally_add(&tally, &r, env->kernel_view);
		if (r.skipped)
			continue;
		total++;
		if (!r.agrees)
			disagree++;
	}
	exec_ring3_end();

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "matrix: ");
	sb_dec(&sb, total);
	sb_puts(&sb, " probes, ");
	sb_dec(&sb, disagree);
	sb_puts(&sb, " disagree with the manuals' rule");
	report_note(buf);
	report_finding(buf);
}
