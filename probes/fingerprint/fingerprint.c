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
#include "../facts.h"
#include "../options.h"
#include "../model/platform_id.h"
#include "../seed_stubs.h"
#include "../model/vectors.h"
#include "../../idt/cpu.h"
#include "../../idt/cpuinfo.h"
#include "../../report/report.h"

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

static int platform_id_vector(const struct probe_result *r)
{
	return r->x.faulted ? r->vector : PLATFORM_ID_NO_FAULT;
}

void run_fingerprint(const struct run_ctx *ctx)
{
	const struct options *opts = ctx->opts;
	const struct probe_env *env = ctx->env;
	char buf[LINE], ticks_s[24], rf_s[8];
	struct strbuf sb;
	struct probe_result straddle, noncanon;
	bool la57 = env->paging_levels == 5;
	uint64_t a_straddle = la57 ? 0x00FFFFFFFFFFFFF9ull : 0x00007FFFFFFFFFF9ull;
	uint64_t a_noncanon = la57 ? 0x0100000000000000ull : 0x0000800000000000ull;

	report_set_begin("fingerprint", "emulator or silicon? the seed load at the canonical edge, RF, CPUID cost");
	probe_run_report(env, &fp_load_rbp, a_straddle, 0, &straddle);
	probe_run_report(env, &fp_load_rbp, a_noncanon, 0, &noncanon);

	const struct probe_result *rf_from = straddle.x.faulted ? &straddle
					   : noncanon.x.faulted ? &noncanon : 0;
	int rf = rf_from ? (rf_from->x.frame.rflags & RFLAGS_RF) != 0 : -1;

	/* The verdict: the platform's signs facts_read() saw (CPUID's cost,
	 * the microcode, the firmware, port 0xE9) and these faults
	 * (probes/model/platform_id.c says how they are weighed). */
	struct platform_obs obs = *facts_platform_obs();
	struct platform_id id;
	obs.straddle_vector = platform_id_vector(&straddle);
	obs.noncanon_vector = platform_id_vector(&noncanon);
	obs.rf = rf;
	platform_identify(&obs, &id);

	sb_init(&sb, rf_s, sizeof(rf_s));
	sb_puts(&sb, rf < 0 ? "-" : rf ? "1" : "0");
	sb_init(&sb, ticks_s, sizeof(ticks_s));
	sb_dec(&sb, obs.cpuid_ticks);

	if (!opts->quiet) {
		report_note("  straddle: 8-byte load through rbp whose last bytes are non-canonical;"
			 " the seed's silicon: #SS");
		report_note("  noncanonical-ss: non-canonical through SS (rbp base) is #SS(0),"
			 " SDM Vol.1 3.3.7.1, Vol.3 6.15 int 12");
		report_note("  rf: RFLAGS.RF in the frame pushed for a fault is 1 (SDM Vol.3 17.3.1.1/18.3.1.1)");
		report_note("  cpuid-ticks: TSC ticks per CPUID(1); 1000+ means it took a VM exit,"
			 " under 10 that the TSC counts instructions (Bochs)");
	}
	check_line("straddle", a_straddle, vec_text(straddle.vector).s,
		   vec_text(straddle.rule.vector).s, "#PF", "#PF");
	check_line("noncanonical-ss", a_noncanon, vec_text(noncanon.vector).s,
		   vec_text(noncanon.rule.vector).s, "#GP", "#SS");
	check_line("rf", 0, rf_s, "1", "0", "1");
	check_line("cpuid-ticks", 0, ticks_s, "n/a", "any", "1000+");

	/* evidence= keeps its first five items (straddle, noncanonical-ss,
	 * rf, cpuid-ticks, hypervisor); the platform's other signs follow in
	 * signs= (keys are added, never renamed). */
	char ev[PLATFORM_ID_EVIDENCE];
	const char *signs = "";
	{
		const char *src = id.evidence, *cut = 0;
		for (const char *p = src; *p; p++)
			if (fp_strncmp(p, ",microcode:", 11) == 0) {
				cut = p;
				break;
			}
		size_t n = cut ? (size_t)(cut - src) : fp_strlen(src);
		if (n >= sizeof(ev))
			n = sizeof(ev) - 1;
		for (size_t i = 0; i < n; i++)
			ev[i] = src[i];
		ev[n] = 0;
		if (cut)
			signs = cut + 1;
	}
	struct rec rec;
	rec_init(&rec, "fingerprint");
	rec_str(&rec, "verdict", id.verdict_name);
	rec_str(&rec, "evidence", ev);
	rec_str(&rec, "signs", signs);
	report_record_shown(&rec);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "  why: ");
	sb_puts(&sb, id.why);
	report_note(buf);

	/* For the summary page. */
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "fingerprint verdict=");
	sb_puts(&sb, id.verdict_name);
	report_finding(buf);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "  evidence=");
	sb_puts(&sb, ev);
	report_finding(buf);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "  ");
	sb_puts(&sb, id.why);
	report_finding(buf);
}
