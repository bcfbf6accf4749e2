/* Platform fingerprint (see fingerprint.h).
 *
 * Microcode revision (SDM Vol. 3 9.11.7.1, "Determining the Signature"):
 * on Intel write 0 to IA32_BIOS_SIGN_ID (MSR 0x8B), execute CPUID(1), then
 * RDMSR 0x8B: the revision is in EDX (bits 63:32).  On AMD, MSR 0x8B is
 * PATCH_LEVEL and the revision is in EAX (read only; no write).  Both MSR
 * accesses go through probe stubs (probes/fingerprint_stubs.asm), so a
 * hypervisor that answers with #GP is recorded, not fatal.
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
#include "fingerprint.h"
#include "console.h"
#include "cpuinfo.h"
#include "fmt.h"
#include "report.h"
#include "summary_screen.h"
#include "../boot/cmdline.h"
#include "../boot/cpu.h"
#include "../boot/paging.h"
#include "../idt/vectors.h"
#include "../probes/probe.h"

/* Mnemonic of an exception vector; never NULL (an unnamed vector, which
 * the probes here should never see, prints as "vec?"). */
static const char *vec_name(int vector)
{
	const char *m = vector_mnemonic(vector);
	return m ? m : "vec?";
}

void probe_msr_read(uint64_t msr, uint64_t rsp_adjust);
void probe_msr_write_zero(uint64_t msr, uint64_t rsp_adjust);
void probe_seed_load_rbp(uint64_t addr, uint64_t rsp_adjust);   /* probes/seed_stubs.asm */

#define MSR_BIOS_SIGN_ID   0x8Bu
#define RFLAGS_RF          (1ull << 16)
#define CPUID_TRAP_TICKS   1000u   /* above this, CPUID took a VM exit */

#define LINE 512

static struct {
	bool read;             /* attempted */
	bool ok;
	uint64_t rev;
	int vector;            /* of the faulting access, when !ok */
	uint64_t err;
	const char *insn;      /* "rdmsr" / "wrmsr" that faulted */
	char text[24];
} ucode;

struct guarded {
	bool faulted;
	int vector;
	uint64_t err;
	uint64_t value;
};

/* Runs one MSR stub with the fixup armed, like probe_run without the rule
 * model (an MSR access is not a memory probe). */
static void run_guarded(probe_stub_fn stub, uint64_t arg, struct guarded *g)
{
	probe_ctx.faulted = 0;
	probe_ctx.value = 0;
	probe_ctx.fault_insn = 0;
	probe_ctx.wildcard_resume = 0;
	probe_ctx.armed = 1;
	__asm__ volatile("" ::: "memory");
	stub(arg, 0);
	__asm__ volatile("" ::: "memory");
	probe_ctx.armed = 0;
	g->faulted = probe_ctx.faulted != 0;
	g->vector = g->faulted ? (int)probe_ctx.frame.vector : VEC_NONE;
	g->err = g->faulted ? probe_ctx.frame.error_code : 0;
	g->value = g->faulted ? 0 : probe_ctx.value;
}

static void read_microcode(const struct cpu_fingerprint *c)
{
	struct guarded g;
	bool intel = fp_strcmp(c->vendor, "GenuineIntel") == 0;
	bool amd = fp_strcmp(c->vendor, "AuthenticAMD") == 0 ||
		   fp_strcmp(c->vendor, "HygonGenuine") == 0;

	ucode.read = intel || amd;
	if (!ucode.read)
		return;
	if (intel) {
		run_guarded(probe_msr_write_zero, MSR_BIOS_SIGN_ID, &g);
		if (g.faulted) {
			ucode.vector = g.vector;
			ucode.err = g.err;
			ucode.insn = "wrmsr";
			return;
		}
		(void)cpuid(1, 0);   /* loads the revision into the MSR */
	}
	run_guarded(probe_msr_read, MSR_BIOS_SIGN_ID, &g);
	if (g.faulted) {
		ucode.vector = g.vector;
		ucode.err = g.err;
		ucode.insn = "rdmsr";
		return;
	}
	ucode.ok = true;
	ucode.rev = intel ? g.value >> 32 : (uint32_t)g.value;
}

const char *fingerprint_microcode_text(void)
{
	if (!ucode.text[0]) {
		struct strbuf sb;
		sb_init(&sb, ucode.text, sizeof(ucode.text));
		if (ucode.ok)
			sb_hexmin(&sb, ucode.rev);
		else
			sb_puts(&sb, ucode.read ? "unreadable" : "n/a");
	}
	return ucode.text;
}

void fingerprint_header(void)
{
	char buf[LINE];
	struct strbuf sb;
	struct cpu_fingerprint c;

	cpu_fingerprint_read(&c);
	read_microcode(&c);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "cpu microcode=");
	sb_puts(&sb, fingerprint_microcode_text());
	if (!ucode.read) {
		sb_kv_str(&sb, "source", "none");
		sb_puts(&sb, " (MSR 0x8B is Intel/AMD only)");
	} else {
		sb_kv_str(&sb, "source", "msr-0x8b");
		if (!ucode.ok) {
			sb_kv_str(&sb, ucode.insn, vec_name(ucode.vector));
			sb_kv_hexmin(&sb, "err", ucode.err);
		}
	}
	sb_kv_dec(&sb, "hypervisor_bit", c.hypervisor_bit);
	con_line(buf);
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

static const struct probe_def fp_load_rbp = {
	.set = "fingerprint", .stub_name = "probe_seed_load_rbp", .stub = probe_seed_load_rbp,
	.op = OP_LOAD, .base = GPR_RBP, .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8,
};

/* One record line per check (log format: `type key=value ...`, values
 * without spaces; see tools/logparse.h):
 *   fingerprint check=NAME [addr=A] observed=V manual=V tcg=V kvm=V
 * manual= is the rule (SDM/APM, via probes/rules.c where it applies); tcg=
 * and kvm= are what QEMU 7.2 TCG and the workplace's KVM (its instruction
 * emulator: PVM in a KVM guest, docs/deviations.md) did on the
 * development machine. */
static void check_line(const char *check, uint64_t addr, const char *observed,
		       const char *manual, const char *tcg, const char *kvm)
{
	char buf[LINE];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "fingerprint");
	sb_kv_str(&sb, "check", check);
	if (addr)
		sb_kv_hex64(&sb, "addr", addr);
	sb_kv_str(&sb, "observed", observed);
	sb_kv_str(&sb, "manual", manual);
	sb_kv_str(&sb, "tcg", tcg);
	sb_kv_str(&sb, "kvm", kvm);
	con_line(buf);
}

/* A value for a record: spaces and '=' become '_' (hypervisor signatures
 * such as "Microsoft Hv" contain spaces). */
static void sb_token(struct strbuf *sb, const char *s)
{
	for (; *s; s++)
		sb_putc(sb, (*s == ' ' || *s == '=') ? '_' : *s);
}

void run_fingerprint_set(const struct options *opts)
{
	char buf[LINE], ticks_s[24], rf_s[8];
	struct strbuf sb;
	struct cpu_fingerprint c;
	struct probe_result straddle, noncanon;
	bool la57 = paging_levels() == 5;
	uint64_t a_straddle = la57 ? 0x00FFFFFFFFFFFFF9ull : 0x00007FFFFFFFFFF9ull;
	uint64_t a_noncanon = la57 ? 0x0100000000000000ull : 0x0000800000000000ull;

	cpu_fingerprint_read(&c);
	report_set_begin("fingerprint", "emulator or silicon? the seed load at the canonical edge, RF, CPUID cost");
	probe_run(&fp_load_rbp, a_straddle, 0, &straddle);
	report_probe(&fp_load_rbp, a_straddle, 0, &straddle);
	probe_run(&fp_load_rbp, a_noncanon, 0, &noncanon);
	report_probe(&fp_load_rbp, a_noncanon, 0, &noncanon);

	const struct probe_result *rf_from = straddle.faulted ? &straddle : noncanon.faulted ? &noncanon : 0;
	int rf = rf_from ? (rf_from->frame.rflags & RFLAGS_RF) != 0 : -1;
	uint64_t ticks = cpuid_ticks();
	bool traps = ticks >= CPUID_TRAP_TICKS;

	sb_init(&sb, rf_s, sizeof(rf_s));
	sb_puts(&sb, rf < 0 ? "-" : rf ? "1" : "0");
	sb_init(&sb, ticks_s, sizeof(ticks_s));
	sb_dec(&sb, ticks);

	if (!opts->quiet) {
		con_line("  straddle: 8-byte load through rbp whose last bytes are non-canonical;"
			 " the seed's silicon: #SS");
		con_line("  noncanonical-ss: non-canonical through SS (rbp base) is #SS(0),"
			 " SDM Vol.3 6.15 int 12");
		con_line("  rf: RFLAGS.RF in the frame pushed for a fault is 1 (SDM Vol.3 17.3.1.1/18.3.1.1)");
		con_line("  cpuid-ticks: TSC ticks per CPUID(1); 1000+ means it took a VM exit");
	}
	check_line("straddle", a_straddle, vec_name(straddle.vector),
		   vec_name(straddle.rule.vector), "#PF", "#PF");
	check_line("noncanonical-ss", a_noncanon, vec_name(noncanon.vector),
		   vec_name(noncanon.rule.vector), "#GP", "#SS");
	check_line("rf", 0, rf_s, "1", "0", "1");
	check_line("cpuid-ticks", 0, ticks_s, "n/a", "any", "1000+");

	const char *verdict;
	const char *why;
	bool virt = c.hypervisor_bit || traps;
	if (!straddle.faulted || !noncanon.faulted) {
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
	sb_puts(&eb, vec_name(straddle.vector));
	sb_puts(&eb, ",noncanonical-ss:");
	sb_puts(&eb, vec_name(noncanon.vector));
	sb_puts(&eb, ",rf:");
	sb_puts(&eb, rf_s);
	sb_puts(&eb, ",cpuid-ticks:");
	sb_puts(&eb, ticks_s);
	sb_puts(&eb, ",hypervisor:");
	sb_token(&eb, c.hypervisor[0] ? c.hypervisor : c.hypervisor_bit ? "bit-only" : "none");

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "fingerprint");
	sb_kv_str(&sb, "verdict", verdict);
	sb_kv_str(&sb, "evidence", ev);
	con_line(buf);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "  why: ");
	sb_puts(&sb, why);
	con_line(buf);

	/* For the summary page. */
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "fingerprint verdict=");
	sb_puts(&sb, verdict);
	summary_add_finding(buf);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "  evidence=");
	sb_puts(&sb, ev);
	summary_add_finding(buf);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "  ");
	sb_puts(&sb, why);
	summary_add_finding(buf);
}
