/* The probe matrix in user space: the same description (probes/matrix_desc.c),
 * the same iterator and the same stubs (probes/matrix_stubs.asm) as the
 * kernel, walked with as_cpl3 (every probe at CPL 3, duplicates folded) and
 * run through the same probe_run()/report_probe() as the seed set.
 * Built only when probes/matrix_stubs.asm exists (Makefile: FP_HAVE_MATRIX). */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "user.h"
#include "../../boot/cmdline.h"
#include "../../report/report.h"

#if FP_HAVE_MATRIX
#include "../../probes/model/matrix_desc.h"
#include "../../probes/model/vectors.h"
#include "../../report/cpuinfo.h"

int user_run_matrix(const struct options *opts, const char *spec)
{
	struct matrix_filter f;
	struct matrix_iter it;
	struct matrix_probe p;
	struct cpu_fingerprint c;
	char err[160], title[200], name[64];
	unsigned bad = 0, first_bad = 0;

	(void)opts;
	bad = matrix_stub_table_check(matrix_stub_table, matrix_stub_table_count, &first_bad);
	if (bad) {
		matrix_stub_name(first_bad, name, sizeof(name));
		fprintf(stderr, "faultprobe-user: matrix_stub_table disagrees with matrix_desc.c "
			"in %u entries (first: %u, %s); matrix not run\n", bad, first_bad, name);
		return -1;
	}
	matrix_filter_all(&f);
	f.as_cpl3 = true;
	/* vmovups ymm needs AVX in CPUID and the OS's XCR0 (Linux sets it). */
	cpu_fingerprint_read(&c);
	if (!c.avx || !c.xsave)
		f.widths &= (uint8_t)~MW_BIT(MW_32);
	if (spec && !matrix_filter_parse(spec, &f, err, sizeof(err))) {
		fprintf(stderr, "faultprobe-user: matrix filter: %s\n", err);
		return -1;
	}
	f.as_cpl3 = true;

	snprintf(title, sizeof(title), "%u probes from %u slices, every one at CPL 3%s",
		 matrix_count(&f), matrix_slice_count,
		 (f.widths & MW_BIT(MW_32)) ? "" : " (no AVX: 32-byte probes left out)");
	printf("== set matrix: %s\n", title);   /* compact: no per-probe table */
	/* Per-slice summary on stderr, like the kernel's screen summary. */
	unsigned cur = ~0u, n = 0, none = 0, ss = 0, gp = 0, pf = 0, other = 0, dis = 0, skip = 0;
	bool table = user_report_table();
	if (table)
		fprintf(stderr, "== set matrix (CPL 3)\n  slice         probes   none   #SS   #GP   #PF other disagree skipped\n");
	matrix_iter_init(&it, &f);
	for (;;) {
		bool more = matrix_iter_next(&it, &p);
		if (table && (!more || p.slice != cur)) {
			if (cur != ~0u)
				fprintf(stderr, "  %-13s %6u %6u %5u %5u %5u %5u %8u %7u\n",
					matrix_slices[cur].name, n, none, ss, gp, pf, other, dis, skip);
			n = none = ss = gp = pf = other = dis = skip = 0;
			cur = more ? p.slice : ~0u;
		}
		if (!more)
			break;
		struct probe_def d = {
			.set = "matrix",
			.slice = matrix_slices[p.slice].name,
			.compact = true,
			.stub_name = "matrix",
			.stub = matrix_stub_table[p.stub].fn,
			.op = p.op,
			.base = p.base,
			.index = p.index,
			.prefix = p.prefix,
			.width = p.width,
			.cpl = 3,
			.on_ist = false,
		};
		struct probe_result r;
		probe_run(&d, p.addr, 0, &r);
		report_probe(&d, p.addr, 0, &r);
		if (user_last_skip) {
			skip++;
			continue;
		}
		n++;
		none += r.vector == VEC_NONE;
		ss += r.vector == VEC_SS;
		gp += r.vector == VEC_GP;
		pf += r.vector == VEC_PF;
		other += r.vector != VEC_NONE && r.vector != VEC_SS && r.vector != VEC_GP &&
			 r.vector != VEC_PF;
		dis += !r.agrees;
	}
	return 0;
}
#else
int user_run_matrix(const struct options *opts, const char *spec)
{
	(void)opts;
	(void)spec;
	printf("== set matrix: not built into this faultprobe-user "
	       "(probes/matrix_stubs.asm was missing at build time)\n");
	return 0;
}
#endif
