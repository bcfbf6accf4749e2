/* The kernel's facts and probe environment (facts.h). */
#include "facts.h"
#include "scratch.h"
#include "model/platform_id.h"
#include "seed_stubs.h"
#include "model/fmt.h"
#include "model/vectors.h"
#include "../idt/cpu.h"
#include "../idt/cpufeat.h"
#include "../idt/paging.h"
#include "../report/report.h"

void probe_msr_read(uint64_t msr, uint64_t rsp_adjust);
void probe_msr_write_zero(uint64_t msr, uint64_t rsp_adjust);

/* ------------------------------------------------------------ microcode */

static struct {
	bool read;             /* attempted (Intel/AMD)                 */
	bool ok;
	uint64_t rev;
	int vector;            /* of the faulting access, when !ok */
	uint64_t err;
	const char *insn;      /* "rdmsr" / "wrmsr" that faulted */
	char text[24];
} ucode;

/* One guarded MSR access; false when it faulted (vector and error code
 * kept for the header line). */
static bool msr_access(probe_stub_fn stub, uint64_t msr, const char *insn, uint64_t *value)
{
	struct exec_req req = { .stub = stub, .arg = msr };
	struct exec_result x;

	exec_run(&req, &x);
	if (x.faulted) {
		ucode.vector = (int)x.frame.vector;
		ucode.err = x.frame.error_code;
		ucode.insn = insn;
		return false;
	}
	*value = x.value;
	return true;
}

/* SDM Vol. 3 9.11.7.1, "Determining the Signature": on Intel write 0 to
 * IA32_BIOS_SIGN_ID (MSR 0x8B), execute CPUID(1), then RDMSR 0x8B: the
 * revision is in EDX (bits 63:32).  On AMD, MSR 0x8B is PATCH_LEVEL and
 * the revision is in EAX (read only; no write). */
static void read_microcode(const struct run_facts *f)
{
	bool intel = f->cpu.vendor_id == VENDOR_INTEL;
	uint64_t v = 0;

	ucode.read = f->cpu.vendor_id != VENDOR_OTHER;
	if (ucode.read) {
		bool ok = true;
		if (intel) {
			ok = msr_access(probe_msr_write_zero, MSR_BIOS_SIGN_ID, "wrmsr", &v);
			if (ok)
				(void)cpuid(1, 0);   /* loads the revision into the MSR */
		}
		ucode.ok = ok && msr_access(probe_msr_read, MSR_BIOS_SIGN_ID, "rdmsr", &v);
		if (ucode.ok)
			ucode.rev = intel ? v >> 32 : (uint32_t)v;
	}
	struct strbuf sb;
	sb_init(&sb, ucode.text, sizeof(ucode.text));
	if (ucode.ok)
		sb_hexmin(&sb, ucode.rev);
	else
		sb_puts(&sb, ucode.read ? "unreadable" : "n/a");
}

void facts_microcode_line(const struct run_facts *f)
{
	char buf[256];
	struct strbuf sb;

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "cpu microcode=");
	sb_puts(&sb, ucode.text);
	if (!ucode.read) {
		sb_kv_str(&sb, "source", "none");
		sb_puts(&sb, " (MSR 0x8B is Intel/AMD only)");
	} else {
		sb_kv_str(&sb, "source", "msr-0x8b");
		if (!ucode.ok) {
			sb_putc(&sb, ' ');
			sb_puts(&sb, ucode.insn);
			sb_putc(&sb, '=');
			vector_put(&sb, ucode.vector);
			sb_kv_hexmin(&sb, "err", ucode.err);
		}
	}
	sb_kv_dec(&sb, "hypervisor_bit", f->cpu.hypervisor_bit);
	report_note(buf);
}

/* ------------------------------------------------------------ signs */

/* Fewest TSC ticks a CPUID(1) took over a few tries, minus the cost of the
 * timing itself: about a hundred on silicon, thousands when it exits to a
 * hypervisor, a handful where the TSC counts instructions (Bochs). */
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

/* The SMBIOS type 0 (BIOS information) vendor string, from the entry point
 * the BIOS leaves in 0xF0000-0xFFFFF ("_SM_" at a 16-byte boundary; SMBIOS
 * 2.x, DSP0134 5.2.1: table address at offset 0x18, length at 0x16, number
 * of structures at 0x1C).  The pages are mapped read-only while they are
 * read and unmapped after.  NULL when there is none (UEFI puts it
 * elsewhere). */
static char firmware_vendor[40];

static bool map_ro(uint64_t start, uint64_t len)
{
	for (uint64_t p = start & ~0xfffull; p < start + len; p += 4096)
		if (paging_get_pte(p) & PTE_P)
			return false;   /* never touch a mapping that exists */
	for (uint64_t p = start & ~0xfffull; p < start + len; p += 4096)
		if (!paging_set_pte(p, p | PTE_P | PTE_NX))
			return false;
	return true;
}

static void unmap(uint64_t start, uint64_t len)
{
	for (uint64_t p = start & ~0xfffull; p < start + len; p += 4096)
		paging_set_pte(p, 0);
}

static const char *smbios_vendor(void)
{
	const uint64_t lo = 0xF0000, len = 0x10000;
	const volatile uint8_t *m = (const volatile uint8_t *)(uintptr_t)lo;
	uint64_t table = 0, tlen = 0;
	unsigned count = 0;

	if (!map_ro(lo, len))
		return 0;
	for (uint64_t off = 0; off + 0x20 <= len; off += 16)
		if (m[off] == '_' && m[off + 1] == 'S' && m[off + 2] == 'M' && m[off + 3] == '_') {
			table = m[off + 0x18] | (uint32_t)m[off + 0x19] << 8 |
				(uint32_t)m[off + 0x1a] << 16 | (uint32_t)m[off + 0x1b] << 24;
			tlen = m[off + 0x16] | (uint32_t)m[off + 0x17] << 8;
			count = m[off + 0x1c] | (unsigned)m[off + 0x1d] << 8;
			break;
		}
	unmap(lo, len);
	if (!table || !tlen || table + tlen > 0x100000000ull || !map_ro(table, tlen))
		return 0;
	/* type 0: header (type, length, handle), vendor = string 1 (offset 4) */
	const volatile uint8_t *t = (const volatile uint8_t *)(uintptr_t)table;
	const char *out = 0;
	if (count && t[0] == 0 && t[1] >= 5 && t[4] == 1 && t[1] < tlen) {
		const volatile uint8_t *str = t + t[1];
		unsigned n = 0;
		while (n + 1 < sizeof(firmware_vendor) && str + n < t + tlen && str[n] >= 0x20 &&
		       str[n] < 0x7f) {
			firmware_vendor[n] = (char)str[n];
			n++;
		}
		firmware_vendor[n] = 0;
		out = n ? firmware_vendor : 0;
	}
	unmap(table, tlen);
	return out;
}

static struct platform_obs obs;

const struct platform_obs *facts_platform_obs(void)
{
	return &obs;
}

void facts_read(struct run_facts *f)
{
	struct platform_id id;

	cpu_fingerprint_read(&f->cpu);
	read_microcode(f);
	f->microcode = ucode.text;
	obs = (struct platform_obs){
		.vendor = f->cpu.vendor,
		.hypervisor = f->cpu.hypervisor,
		.hypervisor_bit = f->cpu.hypervisor_bit,
		.cpuid_ticks_valid = true,
		.cpuid_ticks = cpuid_ticks(),
		.microcode = !ucode.read ? UCODE_NOT_READ : ucode.ok ? UCODE_READ : UCODE_FAULTED,
		.microcode_rev = (uint32_t)ucode.rev,
		.firmware_vendor = smbios_vendor(),
		/* Bochs' port_e9_hack echoes 0xE9; elsewhere the port floats */
		.port_e9_echo = inb(0xE9) == 0xE9,
		.straddle_vector = PLATFORM_ID_NO_FAULT,
		.noncanon_vector = PLATFORM_ID_NO_FAULT,
		.rf = -1,
	};
	platform_identify(&obs, &id);
	f->platform = id.platform;
}

/* ------------------------------------------------------------ environment */

/* Does [start, start+len) touch a present page that is not a scratch page? */
static bool touches_present(uint64_t start, uint64_t len, bool need_user)
{
	uint64_t page = start & ~0xfffull;
	uint64_t last = (start + len - 1) & ~0xfffull;

	for (;;) {
		struct page_info pi;
		paging_query(0, page, &pi);
		if (pi.state == PAGE_PRESENT && (!need_user || pi.user) && !scratch_contains(page))
			return true;
		if (page == last)
			return false;
		page += 0x1000;
	}
}

/* Probes never write memory the kernel uses and never execute what is
 * there: a store into a present page, or a branch whose target is present
 * (ring 0 can run any present page, ring 3 only user pages), is refused,
 * unless the page is a scratch page a family mapped for it (scratch.h).
 * A probe that hands the CPU a stack of its choosing is refused too when
 * the frame or push the CPU may write there touches such a page.
 * Checked against the live tables (a UEFI framebuffer may sit anywhere). */
static const char *kernel_unsafe(const struct probe_env *env, const struct access *a)
{
	struct access_span span[ACCESS_SPANS_MAX], stacks[2];
	unsigned n = access_spans(a, span);

	(void)env;
	for (unsigned i = 0; i < n; i++) {
		if (!span[i].known)
			return "unknown-op";
		if (span[i].write && span[i].len && touches_present(span[i].start, span[i].len, false))
			return "would-write-mapped-memory";
	}
	for (unsigned i = 0, ns = access_stack_spans(a, stacks); i < ns; i++)
		if (touches_present(stacks[i].start, stacks[i].len, false))
			return "stack-on-mapped-memory";
	for (unsigned i = 0; i < n; i++)
		if (span[i].fetch && span[i].len &&
		    touches_present(span[i].start, span[i].len, a->cpl == 3))
			return "branch-target-mapped";
	return 0;
}

void facts_kernel_env(struct probe_env *env, const struct run_facts *f, bool quiet)
{
	const char *why = 0;
	bool avx = cpu_enable_avx(&why);

	/* fs:/gs: prefixes add the segment base: 0 for every probe, so the
	 * linear address is the probed one (SDM Vol. 3 3.4.4). */
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_GS_BASE, 0);
	*env = (struct probe_env){
		.platform = f->platform,
		.paging_levels = paging_levels(),
		.vendor = f->cpu.vendor_id,
		/* EFER.NXE is set once in boot/entry.asm and never changes */
		.efer_nxe = (rdmsr(MSR_EFER) & EFER_NXE) != 0,
		.cr4_smep = (read_cr4() & CR4_SMEP) != 0,
		.cr0_am = (read_cr0() & CR0_AM) != 0,
		.page_query = paging_query,
		.kernel_view = true,
		.unsafe = kernel_unsafe,
		/* MOVUPS: #UD if CPUID.01H:EDX.SSE[bit 25] = 0 or CR4.OSFXSR = 0
		 * (SDM Vol. 2B MOVUPS, Legacy SSE Exceptions; boot/entry.asm sets
		 * OSFXSR) */
		.sse = f->cpu.sse,
		.no_sse_why = f->cpu.sse ? 0 : "CPUID.1:EDX.SSE[25]=0",
		.avx = avx,
		.no_avx_why = why,
		.sse2 = f->cpu.sse && f->cpu.sse2,
		.fxsr = f->cpu.fxsr,
		.cx16 = f->cpu.cx16,
		.quiet = quiet,
		.cpu_la57 = f->cpu.la57,
		/* the kernel leaves CR4.FSGSBASE as it found it; a family that
		 * sets it hands its probes an environment saying so */
		.cr4_fsgsbase = (read_cr4() & CR4_FSGSBASE) != 0,
	};
}

bool facts_kvm_emulates_kernel(const struct probe_env *env)
{
	static const struct probe_def straddle = SEED_DEF_RBP("facts");
	static int cached = -1;
	struct probe_result r;

	if (fp_strcmp(env->platform, "kvm") != 0)
		return false;
	if (cached < 0) {
		probe_run(env, &straddle, 0x00007ffffffffff9ull, 0, &r);
		cached = r.x.faulted && r.vector == VEC_PF;
	}
	return cached != 0;
}
