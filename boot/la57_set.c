/* 5-level paging (issue 4, section 4): switch to LA57, rerun the seed's two
 * instructions over the 57-bit canonical edges, switch back to 4-level.
 *
 * With CR4.LA57 = 1 a linear address is canonical when bits 63:57 equal
 * bit 56, so the lower half ends at 0x00FFFFFFFFFFFFFF and the upper half
 * starts at 0xFF00000000000000 (SDM Vol. 1 3.3.7.1, Vol. 3 4.5).  The old
 * 4-level holes (0x0000800000000000 ...) become canonical, unmapped: #PF. */
#include "la57.h"
#include "cpu.h"
#include "cmdline.h"
#include "mb2.h"
#include "paging.h"
#include "../probes/probe.h"
#include "../probes/sets.h"
#include "../report/console.h"
#include "../probes/model/fmt.h"
#include "../report/report.h"

void probe_seed_load_rbp(uint64_t addr, uint64_t rsp_adjust);
void probe_seed_load_r15(uint64_t addr, uint64_t rsp_adjust);

extern char __kernel_start[], __kernel_end[];


static const uint64_t la57_addresses[] = {
	/* 0x0100000000000000 - k, k = 8..1: the last canonical qword (k = 8)
	 * and seven 8-byte loads that run past the 57-bit boundary */
	0x00FFFFFFFFFFFFF8ull, 0x00FFFFFFFFFFFFF9ull, 0x00FFFFFFFFFFFFFAull,
	0x00FFFFFFFFFFFFFBull, 0x00FFFFFFFFFFFFFCull, 0x00FFFFFFFFFFFFFDull,
	0x00FFFFFFFFFFFFFEull, 0x00FFFFFFFFFFFFFFull,
	0x0100000000000000ull,   /* first non-canonical (bit 56 set, 63:57 clear) */
	0x0080000000000000ull,   /* bit 55: canonical under LA57                   */
	0xFEFFFFFFFFFFFFFFull,   /* last non-canonical below the upper half       */
	0xFF00000000000000ull,   /* first canonical upper-half address            */
	/* the 4-level edges, all canonical now */
	0x00007FFFFFFFFFF9ull, 0x00007FFFFFFFFFFFull, 0x0000800000000000ull,
	0x0000FFFFFFFFFFFFull, 0x0001000000000000ull, 0x0010000000000000ull,
	0xFFFF7FFFFFFFFFFFull, 0xFFFF800000000000ull,
	0x0072006900560338ull,   /* the vmcore's freelist: canonical under LA57   */
};

static const struct probe_def la57_probes[] = {
	{ .set = "la57", .stub_name = "probe_seed_load_rbp", .stub = probe_seed_load_rbp,
	  .op = OP_LOAD, .base = GPR_RBP, .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8 },
	{ .set = "la57", .stub_name = "probe_seed_load_r15", .stub = probe_seed_load_r15,
	  .op = OP_LOAD, .base = GPR_R15, .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8 },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

bool la57_supported(void)
{
	if (cpuid(0, 0).eax < 7)
		return false;
	return (cpuid(7, 0).ecx & CPUID7_ECX_LA57) != 0;
}

/* Is `va` mapped in the tables at `root`? (SDM Vol. 3 4.5, Figure 4-8.) */
static bool walk_present(uint64_t root, unsigned levels, uint64_t va)
{
	const uint64_t *table = (const uint64_t *)(uintptr_t)root;
	for (unsigned level = levels; level >= 1; level--) {
		uint64_t e = table[(va >> (12 + 9 * (level - 1))) & 511];
		if (!(e & PTE_P))
			return false;
		if (level == 1 || (e & PTE_PS))
			return true;
		table = (const uint64_t *)(uintptr_t)(e & 0x000ffffffffff000ull);
	}
	return false;
}

/* The new tables must map every page of the kernel image (code, stacks,
 * GDT/IDT/TSS, the tables themselves) before CR3 may point at them: a hole
 * there would triple-fault inside the switch.  paging_build() stops
 * silently when its pool runs out, so check rather than trust. */
bool la57_tables_cover_kernel(uint64_t root, unsigned levels)
{
	uint64_t ks = (uint64_t)(uintptr_t)__kernel_start & ~0xfffull;
	uint64_t ke = (uint64_t)(uintptr_t)__kernel_end;
	for (uint64_t p = ks; p < ke; p += PAGE_SIZE)
		if (!walk_present(root, levels, p))
			return false;
	return true;
}

static void la57_line(const char *status, const char *extra)
{
	char buf[256];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "la57");
	sb_kv_str(&sb, "status", status);
	if (extra) {
		sb_putc(&sb, ' ');
		sb_puts(&sb, extra);
	}
	sb_kv_dec(&sb, "paging", paging_levels());
	sb_kv_str(&sb, "cr4_la57", (read_cr4() & CR4_LA57) ? "1" : "0");
	sb_kv_str(&sb, "platform", report_platform());
	con_log_line(buf);
}

static void skipped(const char *why, const char *reason_key)
{
	char buf[256];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "la57: skipped (");
	sb_puts(&sb, why);
	sb_putc(&sb, ')');
	report_note(buf);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "reason=");
	sb_puts(&sb, reason_key);
	la57_line("skipped", buf);
}

void run_la57_set(const struct options *opts, const struct mb2_info *mb)
{
	if (!la57_supported()) {
		skipped("CPUID.7.0:ECX[16]=0: this CPU has no 5-level paging", "no-cpuid-la57");
		return;
	}
	uint64_t old_cr3 = read_cr3();
	uint64_t old_cr4 = read_cr4();
	unsigned old_levels = paging_levels();
	if (old_cr4 & CR4_LA57) {
		skipped("already in 5-level paging", "already-la57");
		return;
	}
	if (old_cr4 & CR4_PCIDE) {
		/* MOV to CR0 clearing PG with CR4.PCIDE = 1 is #GP (SDM Vol. 2 MOV CR). */
		skipped("CR4.PCIDE=1: paging cannot be turned off to change CR4.LA57", "pcide");
		return;
	}
	uint64_t root = paging_build(mb, 5);
	if (!root || root >= (1ull << 32) || (old_cr3 >> 32) ||
	    !la57_tables_cover_kernel(root, 5)) {
		skipped("could not build 5-level tables below 4 GiB that map the whole kernel", "tables");
		return;
	}

	la57_switch((uint32_t)root, (uint32_t)(old_cr4 | CR4_LA57));
	if (!(read_cr4() & CR4_LA57)) {
		report_note("la57: FAIL CR4.LA57 did not stick after the paging-off window");
		la57_line("failed", 0);
		return;
	}
	paging_set_active(root, 5);

	report_set_begin("la57", "5-level paging (CR4.LA57=1): the seed's rbp/r15 loads over the 57-bit canonical edges");
	char extra[64];
	struct strbuf sb;
	sb_init(&sb, extra, sizeof(extra));
	sb_kv_hex64(&sb, "root", root);
	la57_line("on", extra + 1);
	for (unsigned rep = 0; rep < opts->repeat; rep++)
		for (unsigned p = 0; p < COUNT(la57_probes); p++)
			for (unsigned i = 0; i < COUNT(la57_addresses); i++) {
				struct probe_result r;
				probe_run(&la57_probes[p], la57_addresses[i], 0, &r);
				report_probe(&la57_probes[p], la57_addresses[i], 0, &r);
			}

	/* Back to the 4-level tables we came from (not rebuilt: whatever other
	 * sets mapped into them stays), so later sets run as before. */
	la57_switch((uint32_t)old_cr3, (uint32_t)old_cr4);
	paging_set_active(old_cr3, old_levels);
	la57_line((read_cr4() & CR4_LA57) ? "restore-failed" : "restored", 0);
}
