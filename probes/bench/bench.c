/* sets=bench (not in the default run): what faultprobe itself costs.
 *
 *   bench name=fault-roundtrip   TSC ticks from a faulting load to its resume
 *                                through faultprobe's path (exec_run() arms
 *                                the fast fixup; idt/isr.asm resumes)
 *   bench name=fault-roundtrip-full   the same through the full path
 *                                (registers wanted: trap_dispatch() and the
 *                                executor's handler in C)
 *   bench name=bare-in-exec      the same load, the stub run by exec_run()
 *                                the same way, with #GP pointed at a bare
 *                                handler that only moves RIP and returns
 *                                (IRETQ): the same surroundings, so the
 *                                ratio is the path's alone
 *   bench name=bare-handler      that bare handler in a tight loop of its
 *                                own (no executor code between faults: its
 *                                translated blocks and caches stay hot)
 *   bench name=matrix            the whole matrix run through the executor
 *                                without reporting: ticks per probe, and
 *                                probes per second of guest time (TSC
 *                                calibrated against the PIT)
 *
 * tests/bench.sh boots it under every platform present and prints the
 * table with the ratio faultprobe/bare. */
#include "../options.h"
#include "../probe.h"
#include "../matrix/matrix_stubs.h"
#include "../model/vectors.h"
#include "../../idt/cpu.h"
#include "../../idt/idt.h"
#include "../../report/report.h"

#define RUNS 257
#define NONCANON 0x0072006900560338ull   /* r.. base: #GP(0) */

void bench_fault_roundtrip(uint64_t addr, uint64_t rsp_adjust);
uint64_t bench_bare_roundtrip(uint64_t addr);
void bench_bare_gp(void);
void bench_bare_in_exec(uint64_t addr, uint64_t rsp_adjust);
void bench_bare_exec_gp(void);

static uint64_t tsc(void)
{
	return tsc_serialized();
}

static void sort(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static void line(const char *name, const uint64_t *v, unsigned n, const char *platform)
{
	struct rec rec;
	rec_init(&rec, "bench");
	rec_str(&rec, "name", name);
	rec_dec(&rec, "runs", n);
	rec_dec(&rec, "min_ticks", v[0]);
	rec_dec(&rec, "median_ticks", v[n / 2]);
	rec_str(&rec, "platform", platform);
	report_record_shown(&rec);
}

/* key=a/b with two decimals, e.g. 1.23 */
static void ratio(struct rec *rec, const char *key, uint64_t a, uint64_t b)
{
	uint64_t x = b ? a * 100 / b : 0;
	struct strbuf *sb = rec_text_begin(rec);
	sb_dec(sb, x / 100);
	sb_putc(sb, '.');
	sb_putc(sb, (char)('0' + (x / 10) % 10));
	sb_putc(sb, (char)('0' + x % 10));
	rec_text_end(rec, key);
}

/* TSC ticks per second, from PIT channel 2 counting 50 ms (1193182 Hz;
 * the 8254's one-shot mode with the gate in port 0x61, OUT2 in bit 5). */
static uint64_t tsc_hz(void)
{
	const unsigned count = 59659;   /* 50 ms */
	uint8_t p61 = inb(0x61);
	outb(0x61, (uint8_t)((p61 & ~0x02) | 0x01));   /* gate on, speaker off */
	outb(0x43, 0xb0);                                /* ch2, lo/hi, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	uint64_t t0 = tsc();
	unsigned spins = 0;
	while (!(inb(0x61) & 0x20) && ++spins < 50000000u)
		;
	uint64_t t1 = tsc();
	outb(0x61, p61);
	return (t1 - t0) * 20;
}

static void matrix_rate(const struct probe_env *env)
{
	struct matrix_filter f;
	struct matrix_iter it;
	struct matrix_probe p;
	unsigned n = 0;

	matrix_filter_all(&f);
	f.cpls = MATRIX_CPL0;
	if (!env->avx)
		f.widths &= (uint8_t)~MW_BIT(MW_32);
	matrix_iter_init(&it, &f);
	uint64_t t0 = tsc();
	while (matrix_iter_next(&it, &p)) {
		struct probe_def d = {
			.set = "bench", .compact = true, .stub = matrix_stub_table[p.stub].fn,
			.op = p.op, .base = p.base, .index = p.index, .prefix = p.prefix,
			.width = p.width, .cpl = p.cpl, .on_ist = p.rsp_is_addr,
		};
		struct probe_result r;
		probe_run(env, &d, p.addr, 0, &r);
		n++;
	}
	uint64_t ticks = tsc() - t0;
	uint64_t hz = tsc_hz();
	struct rec rec;
	rec_init(&rec, "bench");
	rec_str(&rec, "name", "matrix");
	rec_dec(&rec, "probes", n);
	rec_dec(&rec, "ticks_per_probe", n ? ticks / n : 0);
	rec_dec(&rec, "tsc_mhz", hz / 1000000);
	rec_dec(&rec, "probes_per_s", ticks ? (uint64_t)n * hz / ticks : 0);
	rec_str(&rec, "platform", env->platform);
	report_record_shown(&rec);
}

void run_bench(const struct run_ctx *ctx)
{
	static uint64_t fp[RUNS], full[RUNS], bare[RUNS], bare_exec[RUNS];
	const struct probe_env *env = ctx->env;

	/* the stubs time with LFENCE; RDTSC: #UD without SSE2 (SDM Vol. 2A
	 * LFENCE, CPUID.01H:EDX.SSE2[bit 26]) */
	if (!(cpuid(1, 0).edx & CPUID1_EDX_SSE2)) {
		report_note("bench: skipped: LFENCE needs SSE2 (CPUID.1:EDX.SSE2[26]=0)");
		return;
	}
	report_set_begin("bench", "what a fault costs: faultprobe's path beside a bare handler");
	for (unsigned i = 0; i < RUNS; i++) {
		struct exec_req req = { .stub = bench_fault_roundtrip, .arg = NONCANON };
		struct exec_result x;
		exec_run(&req, &x);
		fp[i] = x.faulted ? x.value : 0;
	}
	/* The same fault through the full path: a probe that wants the
	 * registers (the seed set's dumps) is resolved by trap_dispatch()
	 * and the executor's handler in C, not by the fast fixup. */
	for (unsigned i = 0; i < RUNS; i++) {
		struct exec_req req = { .stub = bench_fault_roundtrip, .arg = NONCANON,
					.want_regs = true };
		struct exec_result x;
		exec_run(&req, &x);
		full[i] = x.faulted ? x.value : 0;
	}
	uint64_t old = idt_set_entry(VEC_GP, (uint64_t)(uintptr_t)bench_bare_gp);
	for (unsigned i = 0; i < RUNS; i++)
		bare[i] = bench_bare_roundtrip(NONCANON);
	idt_set_entry(VEC_GP, (uint64_t)(uintptr_t)bench_bare_exec_gp);
	for (unsigned i = 0; i < RUNS; i++) {
		struct exec_req req = { .stub = bench_bare_in_exec, .arg = NONCANON };
		struct exec_result x;
		exec_run(&req, &x);
		bare_exec[i] = x.value;
	}
	idt_set_entry(VEC_GP, old);
	sort(fp, RUNS);
	sort(full, RUNS);
	sort(bare, RUNS);
	sort(bare_exec, RUNS);
	line("fault-roundtrip", fp, RUNS, env->platform);
	line("fault-roundtrip-full", full, RUNS, env->platform);
	line("bare-handler", bare, RUNS, env->platform);
	line("bare-in-exec", bare_exec, RUNS, env->platform);

	struct rec rec;
	rec_init(&rec, "bench");
	rec_str(&rec, "name", "ratio");
	ratio(&rec, "median_over_bare", fp[RUNS / 2], bare_exec[RUNS / 2]);
	ratio(&rec, "min_over_bare", fp[0], bare_exec[0]);
	ratio(&rec, "median_over_bare_loop", fp[RUNS / 2], bare[RUNS / 2]);
	ratio(&rec, "full_median_over_bare", full[RUNS / 2], bare_exec[RUNS / 2]);
	rec_str(&rec, "platform", env->platform);
	report_record_shown(&rec);

	matrix_rate(env);
}
