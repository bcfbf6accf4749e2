/* sets=fingerprint: emulator or silicon, by behaviour (the microcode
 * revision the header prints is read by probes/facts.c).
 *
 * Emulator or silicon, by behaviour.  Three things the CPU does on a fault,
 * each of which some platform gets wrong (docs/deviations.md has the
 * measurements and the emulators' source behind each):
 *
 *  straddle   The seed's `mov 0x0(%rbp,%rax,1),%rbx` with rbp =
 *             0x00007FFFFFFFFFF9 (5-level: 0x00FFFFFFFFFFFFF9): the first
 *             byte is canonical, the last is not, the first page is not
 *             mapped.  Silicon: #SS (the seed's table; the canonical check
 *             covers every byte, SDM Vol. 1 3.3.7.1, Vol. 3 6.15 int 12).
 *             QEMU TCG checks per page and raises #PF (tcg-straddle-pf);
 *             KVM's instruction emulator checks only the first byte and
 *             raises #PF too (kvm-straddle-pf).
 *  noncanon   The same load with rbp = 0x0000800000000000: a non-canonical
 *             reference through SS must be #SS(0) (SDM Vol. 3 6.15).  TCG
 *             raises #GP(0) (tcg-noncanonical-gp); KVM's emulator and
 *             silicon #SS(0).
 *  rf         RFLAGS.RF in the frame pushed for those faults: "for any
 *             fault-class exception except a debug exception generated in
 *             response to an instruction breakpoint, the value pushed for RF
 *             is 1" (SDM Vol. 3 17.3.1.1, 18.3.1.1 in recent editions).
 *             QEMU 7.2 TCG pushes RF=0 (tcg-rf-not-set); KVM sets RF when it
 *             injects a fault; silicon pushes 1.
 *
 * And two hints that a hypervisor is present at all: the CPUID hypervisor
 * bit (CPUID.1:ECX[31]) with the 0x40000000 signature, and how long CPUID
 * takes (it always exits to the hypervisor under VMX/SVM: thousands of TSC
 * ticks instead of about a hundred).
 *
 * Verdict: emulator-tcg when RF=0 or noncanon gives #GP (no silicon does
 * either); kvm-emulator when RF=1 and noncanon is #SS as on silicon but the
 * straddle gives #PF under a hypervisor (KVM emulated the access: on this
 * workplace's PVM-based KVM every run looks like that); silicon-like when
 * nothing emulator-like is seen, also under a hypervisor that lets the
 * hardware deliver the fault (VMX/SVM KVM with EPT/NPT); unknown when a
 * probe did not fault at all. */
#include "../options.h"
#include "../seed_stubs.h"
#include "../model/vectors.h"
#include "../../idt/cpu.h"
#include "../../idt/cpuinfo.h"
#include "../../report/report.h"

#define CPUID_TRAP_TICKS   1000u   /* above this, CPUID took a VM exit */
#define LINE 512

/* An exception vector as records print it (vector_put), in a buffer of
 * its own. */
struct vec_text {
	char s[16];
};
static struct vec_text vec_text(int vector)
{
	struct vec_text t;
	struct strbuf sb;
	sb_init(&sb, t.s, sizeof(t.s));
	vector_put(&sb, vector);
	return t;
}

/* ---------------------------------------------------------------- behaviour */

static inline uint64_t tsc_serialized(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* Fewest TSC ticks a CPUID(1) took over a few tries, minus the cost of the
 * timing itself. */
static uint64_t cpuid_ticks(void)
{
	uint64_t best = ~0ull, base = ~0ull;
	for (unsigned i = 0; i < 64; i++) {
		uint64_t t0 = tsc_serialized();
		uint64_t t1 = tsc_serialized();
		if (t1 - t0 < base)
			base = t1 - t0;
		t0 = tsc_serialized();
		(void)cpuid(1, 0);
		t1 = tsc_serialized();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	return best > base ? best - base : 0;
}

static const struct probe_def fp_load_rbp = SEED_DEF_RBP("fingerprint");

/* One record line per check (log format: `type key=value ...`, values
 * without spaces; report/rec.h):
 *   fingerprint check=NAME [addr=A] observed=V manual=V tcg=V kvm=V
 * manual= is the rule (SDM/APM, via probes/model/rules.c where it applies); tcg=
 * and kvm= are what QEMU 7.2 TCG and the workplace's KVM (its instruction
 * emulator: PVM in a KVM guest, docs/deviations.md) did on the
 * development machine. */
static void check_line(const char *check, uint64_t addr, const char *observed,
		       const char *manual, const char *tcg, const char *kvm)
{
	struct rec rec;
	rec_init(&rec, "fingerprint");
	rec_str(&rec, "check", check);
	if (addr)
		rec_hex64(&rec, "addr", addr);
	rec_str(&rec, "observed", observed);
	rec_str(&rec, "manual", manual);
	rec_str(&rec, "tcg", tcg);
	rec_str(&rec, "kvm", kvm);
	report_record_shown(&rec);
}

/* A value for a record: spaces and '=' become '_' (hypervisor signatures
 * such as "Microsoft Hv" contain spaces). */
static void sb_token(struct strbuf *sb, const char *s)
{
	for (; *s; s++)
		sb_putc(sb, (*s == ' ' || *s == '=') ? '_' : *s);
}

void run_fingerprint(const struct run_ctx *ctx)
{
	const struct options *opts = ctx->opts;
	const struct probe_env *env = ctx->env;
	char buf[LINE], ticks_s[24], rf_s[8];
	struct strbuf sb;
	struct cpu_fingerprint c;
	struct probe_result straddle, noncanon;
	bool la57 = env->paging_levels == 5;
	uint64_t a_straddle = la57 ? 0x00FFFFFFFFFFFFF9ull : 0x00007FFFFFFFFFF9ull;
	uint64_t a_noncanon = la57 ? 0x0100000000000000ull : 0x0000800000000000ull;

	cpu_fingerprint_read(&c);
	report_set_begin("fingerprint", "emulator or silicon? the seed load at the canonical edge, RF, CPUID cost");
	probe_run_report(env, &fp_load_rbp, a_straddle, 0, &straddle);
	probe_run_report(env, &fp_load_rbp, a_noncanon, 0, &noncanon);

	const struct probe_result *rf_from = straddle.x.faulted ? &straddle
					   : noncanon.x.faulted ? &noncanon : 0;
	int rf = rf_from ? (rf_from->x.frame.rflags & RFLAGS_RF) != 0 : -1;
	uint64_t ticks = cpuid_ticks();
	bool traps = ticks >= CPUID_TRAP_TICKS;

	sb_init(&sb, rf_s, sizeof(rf_s));
	sb_puts(&sb, rf < 0 ? "-" : rf ? "1" : "0");
	sb_init(&sb, ticks_s, sizeof(ticks_s));
	sb_dec(&sb, ticks);

	if (!opts->quiet) {
		report_note("  straddle: 8-byte load through rbp whose last bytes are non-canonical;"
			 " the seed's silicon: #SS");
		report_note("  noncanonical-ss: non-canonical through SS (rbp base) is #SS(0),"
			 " SDM Vol.3 6.15 int 12");
		report_note("  rf: RFLAGS.RF in the frame pushed for a fault is 1 (SDM Vol.3 17.3.1.1/18.3.1.1)");
		report_note("  cpuid-ticks: TSC ticks per CPUID(1); 1000+ means it took a VM exit");
	}
	check_line("straddle", a_straddle, vec_text(straddle.vector).s,
		   vec_text(straddle.rule.vector).s, "#PF", "#PF");
	check_line("noncanonical-ss", a_noncanon, vec_text(noncanon.vector).s,
		   vec_text(noncanon.rule.vector).s, "#GP", "#SS");
	check_line("rf", 0, rf_s, "1", "0", "1");
	check_line("cpuid-ticks", 0, ticks_s, "n/a", "any", "1000+");

	const char *verdict;
	const char *why;
	bool virt = c.hypervisor_bit || traps;
	if (!straddle.x.faulted || !noncanon.x.faulted) {
		verdict = "unknown";
		why = "a fingerprint probe did not fault (is that page mapped?)";
	} else if (rf == 0 || noncanon.vector == VEC_GP) {
		verdict = "emulator-tcg";
		why = rf == 0 ? "RF=0 in a fault frame: no silicon pushes that (QEMU TCG does)"
			      : "#GP for a non-canonical SS reference: QEMU TCG's, not silicon's";
	} else if (straddle.vector == VEC_PF && virt) {
		verdict = "kvm-emulator";
		why = "#SS and RF=1 as on hardware, but #PF for the straddling load, under a hypervisor";
	} else if (straddle.vector == VEC_SS && noncanon.vector == VEC_SS) {
		verdict = "silicon-like";
		why = virt ? "faults as on silicon (delivered by hardware under a hypervisor)"
			   : "faults as on silicon, no hypervisor seen";
	} else {
		verdict = "silicon-like";
		why = "no emulator behaviour seen, but the straddling load did not give the seed's #SS";
	}

	/* evidence=straddle:#PF,noncanonical-ss:#GP,rf:0,cpuid-ticks:16,hypervisor:X */
	char ev[200];
	struct strbuf eb;
	sb_init(&eb, ev, sizeof(ev));
	sb_puts(&eb, "straddle:");
	sb_puts(&eb, vec_text(straddle.vector).s);
	sb_puts(&eb, ",noncanonical-ss:");
	sb_puts(&eb, vec_text(noncanon.vector).s);
	sb_puts(&eb, ",rf:");
	sb_puts(&eb, rf_s);
	sb_puts(&eb, ",cpuid-ticks:");
	sb_puts(&eb, ticks_s);
	sb_puts(&eb, ",hypervisor:");
	sb_token(&eb, c.hypervisor[0] ? c.hypervisor : c.hypervisor_bit ? "bit-only" : "none");

	struct rec rec;
	rec_init(&rec, "fingerprint");
	rec_str(&rec, "verdict", verdict);
	rec_str(&rec, "evidence", ev);
	report_record_shown(&rec);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "  why: ");
	sb_puts(&sb, why);
	report_note(buf);

	/* For the summary page. */
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "fingerprint verdict=");
	sb_puts(&sb, verdict);
	report_finding(buf);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "  evidence=");
	sb_puts(&sb, ev);
	report_finding(buf);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "  ");
	sb_puts(&sb, why);
	report_finding(buf);
}
