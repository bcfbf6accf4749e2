/* faultprobe-user's probe environment: what this process can see of the
 * machine (/proc/cpuinfo's flags, /proc/self/maps) and the page oracle the
 * rule model asks (mincore(2)). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <sys/auxv.h>

#include "user.h"
#include "../../probes/scratch.h"
#include "../../report/report.h"

#define PAGE 4096ull

struct user_env user_env;

/* ------------------------------------------------------------ environment */

static bool cpuinfo_has_flag(const char *flags, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = flags; (p = strstr(p, name)); p += n)
		if ((p == flags || p[-1] == ' ' || p[-1] == '\t' || p[-1] == ':') &&
		    (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static void read_proc(void)
{
	char line[8192];
	FILE *f;

	/* Linux clears the la57 flag unless it really runs 5-level paging
	 * (arch/x86/kernel/cpu/common.c: !pgtable_l5_enabled()). */
	user_env.paging_levels = 4;
	user_env.nxe = true;
	f = fopen("/proc/cpuinfo", "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			if (strncmp(line, "flags", 5) != 0)
				continue;
			if (cpuinfo_has_flag(line, "la57"))
				user_env.paging_levels = 5;
			user_env.nxe = cpuinfo_has_flag(line, "nx");
			user_env.smep = cpuinfo_has_flag(line, "smep");
			user_env.smap = cpuinfo_has_flag(line, "smap");
			user_env.lass = cpuinfo_has_flag(line, "lass");
			user_env.pti = cpuinfo_has_flag(line, "pti");
			break;
		}
		fclose(f);
	}

	/* Kernel-half mappings user space can see: [vsyscall]. */
	f = fopen("/proc/self/maps", "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			unsigned long long lo, hi;
			if (sscanf(line, "%llx-%llx", &lo, &hi) == 2 && lo >= canonical_limit(5)) {
				user_env.vsyscall_lo = lo;
				user_env.vsyscall_hi = hi;
			}
		}
		fclose(f);
	}
}

/* ------------------------------------------------------------ page oracle */

static bool user_half(uint64_t linear)
{
	return linear < canonical_limit(user_env.paging_levels);
}

static bool kernel_half(uint64_t linear)
{
	return linear >= (uint64_t)0 - canonical_limit(user_env.paging_levels);
}

/* Does the page at `page` exist in this process's address space? */
static bool page_exists(uint64_t page)
{
	unsigned char v;

	if (user_half(page)) {
		/* mincore(2): ENOMEM <=> not mapped (also above TASK_SIZE). */
		if (mincore((void *)(uintptr_t)page, PAGE, &v) == 0)
			return true;
		return errno != ENOMEM;   /* anything else: assume it exists */
	}
	if (kernel_half(page))
		return user_env.vsyscall_hi && page >= user_env.vsyscall_lo &&
		       page < user_env.vsyscall_hi;
	return false;                     /* non-canonical: nothing there */
}

/* Linux's TASK_SIZE_MAX: the user half minus its last page, a guard page
 * that is never mapped (arch/x86/include/asm/page_64_types.h). */
static uint64_t task_size_max(void)
{
	return canonical_limit(user_env.paging_levels) - PAGE;
}

/* The rule model's page oracle (rules.h): what a CPL-3 access to `linear`
 * sees.  Below TASK_SIZE_MAX: mincore says present or not.  At or above it
 * (the guard page and the kernel half) Linux reports every #PF with P=1
 * (arch/x86/mm/fault.c, set_signal_archinfo: "pretend that user-mode
 * accesses to kernel addresses are always protection faults"), and the
 * CPU's own P bit there depends on KPTI: PAGE_UNKNOWN, so the model masks
 * P.  Never called for non-canonical addresses (checked first). */
static void user_page_query(void *ctx, uint64_t linear, struct page_info *out)
{
	(void)ctx;
	out->writable = true;
	out->user = true;
	out->nx = false;
	if (linear < task_size_max())
		out->state = page_exists(linear & ~(PAGE - 1)) ? PAGE_PRESENT : PAGE_NOT_PRESENT;
	else
		out->state = PAGE_UNKNOWN;
}

/* Never touch memory that exists: every page the access can reach is
 * checked first (mincore(2) for the user half, /proc/self/maps for the
 * vsyscall page in the kernel half); if one exists the probe is skipped
 * and reported as such.  The bytes come from access_span(), the model's
 * one description of what an access touches (a branch: its target byte). */
static const char *user_unsafe(const struct probe_env *env, const struct access *a)
{
	struct access_span span[ACCESS_SPANS_MAX];
	unsigned n = access_spans(a, span);

	(void)env;
	for (unsigned i = 0; i < n; i++) {
		if (!span[i].known)
			return "unknown-op";
		if (!span[i].len)
			continue;       /* a register load: no memory */
		uint64_t first = span[i].start & ~(PAGE - 1);
		uint64_t last = (span[i].start + span[i].len - 1) & ~(PAGE - 1);
		for (uint64_t p = first;; p += PAGE) {   /* wraps modulo 2^64, ends at last */
			/* our own scratch pages (scratch_user.c) may be touched */
			if (page_exists(p) && !scratch_contains(p))
				return "mapped";
			if (p == last)
				break;
		}
	}
	return 0;
}

void user_env_init(struct probe_env *env, const struct run_facts *facts, bool quiet)
{
	read_proc();
	/* vmovups ymm needs AVX in CPUID and the OS's XCR0 (Linux sets it). */
	bool avx = facts->cpu.avx && facts->cpu.xsave;
	*env = (struct probe_env){
		.platform = facts->platform,
		.paging_levels = user_env.paging_levels,
		.vendor = facts->cpu.vendor_id,
		.efer_nxe = user_env.nxe,
		.cr4_smep = user_env.smep,
		.cr0_am = true,            /* Linux: CR0_STATE has X86_CR0_AM */
		.page_query = user_page_query,
		.force_cpl = 3,               /* everything here runs in ring 3 */
		.kernel_view = false,
		.unsafe = user_unsafe,
		.sse = facts->cpu.sse,
		.no_sse_why = facts->cpu.sse ? 0 : "CPUID.1:EDX.SSE[25]=0",
		.avx = avx,
		.no_avx_why = avx ? 0 : "CPUID.1:ECX.AVX or XSAVE is 0",
		.sse2 = facts->cpu.sse && facts->cpu.sse2,
		.fxsr = facts->cpu.fxsr,
		.cx16 = facts->cpu.cx16,
		.quiet = quiet,
		.cpu_la57 = facts->cpu.la57,
		/* Linux sets CR4.FSGSBASE and says so in AT_HWCAP2 bit 1
		 * (HWCAP2_FSGSBASE, arch/x86/include/uapi/asm/hwcap2.h) */
		.cr4_fsgsbase = (getauxval(AT_HWCAP2) & 2) != 0,
	};
}

void user_env_header(const struct run_facts *facts)
{
	struct utsname u;
	char buf[512];

	if (uname(&u) != 0)
		strcpy(u.release, "?");
	snprintf(buf, sizeof(buf),
		 "host kernel=\"%s\" paging=%u nxe=%d smep=%d smap=%d lass=%d pti=%d vsyscall=0x%016llx",
		 u.release, user_env.paging_levels, user_env.nxe, user_env.smep, user_env.smap,
		 user_env.lass, user_env.pti, (unsigned long long)user_env.vsyscall_lo);
	report_note(buf);
	if (facts->cpu.hypervisor[0]) {
		snprintf(buf, sizeof(buf),
			 "note: this Linux runs under a hypervisor (%s); ring-3 loads and stores still "
			 "execute on the host CPU and #SS/#GP/#PF are delivered by it, unless the "
			 "hypervisor intercepts them", facts->cpu.hypervisor);
		report_note(buf);
	}
}
