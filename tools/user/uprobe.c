/* probe_run() for Linux user space.  The kernel's probe_run (probes/runner.c)
 * arms probe_ctx, calls the stub and lets its IDT handler resume the stub
 * through .extable; here a SIGSEGV/SIGBUS/SIGILL handler does the same from
 * the signal context:
 *
 *   vector     = uc_mcontext.gregs[REG_TRAPNO]   (thread.trap_nr)
 *   error code = gregs[REG_ERR]                  (thread.error_code)
 *   CR2        = gregs[REG_CR2]                  (thread.cr2: only #PF sets it;
 *                                                 stale on #GP/#SS, not printed)
 *   RIP, RSP, RFLAGS, CS/SS = the hardware frame Linux saved on entry.
 *
 * Linux's delivery (arch/x86/kernel/traps.c, arch/x86/mm/fault.c):
 *   #SS -> exc_stack_segment -> do_error_trap(..., SIGBUS)
 *   #GP -> exc_general_protection -> gp_user_force_sig_segv -> SIGSEGV
 *   #PF -> do_user_addr_fault -> bad_area -> SIGSEGV; for addresses at or
 *          above TASK_SIZE_MAX the error code gets X86_PF_PROT (P=1) forced
 *          "to avoid leaking information about the kernel page table layout"
 *          -- so P is unknowable for kernel-half addresses (PAGE_UNKNOWN).
 *   #UD -> SIGILL.
 *
 * Never touch memory that exists: before each probe every page the access
 * can reach is checked (mincore(2) for the user half, /proc/self/maps for
 * the vsyscall page in the kernel half); if one exists the probe is skipped
 * and reported as such. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "user.h"
#include "../../probes/model/vectors.h"
#include "../../report/cpuinfo.h"
#include "../../probes/model/fmt.h"

/* uc_flags bit: the SS slot of REG_CSGSFS is valid (Linux >= 4.6,
 * arch/x86/include/uapi/asm/ucontext.h). */
#ifndef UC_SIGCONTEXT_SS
#define UC_SIGCONTEXT_SS 0x2
#endif

#define PAGE 4096ull

struct probe_ctx probe_ctx;
struct user_env user_env;
const char *user_last_skip;
int user_last_signo, user_last_sicode;
/* Set by the handler: the SS slot of REG_CSGSFS is valid. */
static volatile int last_ss_valid;

int user_last_ss_valid(void)
{
	return last_ss_valid;
}

/* tools/user/extable.ld brackets the stubs' .extable section. */
extern const struct extable_entry __start_extable[], __stop_extable[];

const struct extable_entry *extable_find(uint64_t rip)
{
	for (const struct extable_entry *e = __start_extable; e < __stop_extable; e++)
		if (e->fault_rip == rip)
			return e;
	return 0;
}

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

void user_env_init(void)
{
	struct cpu_fingerprint fp;
	char line[8192];
	FILE *f;

	cpu_fingerprint_read(&fp);
	if (strcmp(fp.vendor, "GenuineIntel") == 0)
		user_env.vendor = VENDOR_INTEL;
	else if (strcmp(fp.vendor, "AuthenticAMD") == 0)
		user_env.vendor = VENDOR_AMD;
	else
		user_env.vendor = VENDOR_OTHER;

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

void probe_access(const struct probe_def *d, uint64_t addr, struct access *a)
{
	a->op = d->op;
	a->base = d->base;
	a->index = d->index;
	a->prefix = d->prefix;
	a->width = d->width;
	a->addr = addr;
	a->cpl = 3;                      /* everything here runs in ring 3 */
	a->paging_levels = user_env.paging_levels;
	a->efer_nxe = user_env.nxe;
	a->cr4_smep = user_env.smep;
	a->vendor = user_env.vendor;
	a->align = 0;                    /* the stubs use unaligned moves (movups/vmovups) */
	a->page_query = user_page_query;
	a->page_ctx = 0;
}

/* The bytes an access can touch (rules.h enum probe_op), for the safety
 * check.  Branches: the target byte (if it existed we would run it). */
static const char *unsafe_reason(const struct access *a)
{
	uint64_t start = a->addr, len = a->width ? a->width : 1;

	switch (a->op) {
	case OP_LOAD: case OP_STORE: case OP_LODS: case OP_MOVS: case OP_STOS:
		break;
	case OP_PUSH:
		start = a->addr - 8;
		len = 8;
		break;
	case OP_POP:
		len = 8;
		break;
	case OP_CALL: case OP_JMP: case OP_RET:
		len = 1;
		break;
	default:
		return "unknown-op";
	}
	uint64_t first = start & ~(PAGE - 1), last = (start + len - 1) & ~(PAGE - 1);
	for (uint64_t p = first;; p += PAGE) {   /* wraps modulo 2^64, ends at last */
		if (page_exists(p))
			return "mapped";
		if (p == last)
			break;
	}
	return 0;
}

/* ------------------------------------------------------------ FS/GS bases */

/* fs:/gs: prefixed probes add the segment base (SDM Vol.3 3.4.4); the
 * matrix assumes both bases are 0, as the kernel sets them.  In user space
 * FS is glibc's TLS pointer, so it is zeroed only around the stub and put
 * back with raw system calls (no libc, no TLS, no errno in between). */
#define SYS_ARCH_PRCTL 158
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

static long raw_arch_prctl(long code, unsigned long arg)
{
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"((long)SYS_ARCH_PRCTL), "D"(code), "S"(arg)
			 : "rcx", "r11", "memory");
	return ret;
}

/* Non-zero while a base is zeroed: the value to put back. */
static volatile uint64_t fs_restore, gs_restore;

static void bases_restore(void)
{
	if (fs_restore) {
		raw_arch_prctl(ARCH_SET_FS, fs_restore);
		fs_restore = 0;
	}
	if (gs_restore) {
		raw_arch_prctl(ARCH_SET_GS, gs_restore);
		gs_restore = 0;
	}
}

/* Zero the base the prefix adds; -1 if it cannot be done. */
static int bases_zero(enum seg_prefix prefix)
{
	unsigned long v = 0;

	if (prefix == SEGP_FS) {
		if (raw_arch_prctl(ARCH_GET_FS, (unsigned long)&v) != 0)
			return -1;
		if (v) {
			fs_restore = v;
			if (raw_arch_prctl(ARCH_SET_FS, 0) != 0) {
				fs_restore = 0;
				return -1;
			}
		}
	} else if (prefix == SEGP_GS) {
		if (raw_arch_prctl(ARCH_GET_GS, (unsigned long)&v) != 0)
			return -1;
		if (v) {
			gs_restore = v;
			if (raw_arch_prctl(ARCH_SET_GS, 0) != 0) {
				gs_restore = 0;
				return -1;
			}
		}
	}
	return 0;
}

/* ------------------------------------------------------------ signals */

static void write_str(int fd, const char *s)
{
	ssize_t n = write(fd, s, fp_strlen(s));
	(void)n;
}

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;
	uint64_t rip = (uint64_t)g[REG_RIP];
	const struct extable_entry *e = 0;
	uint64_t resume = 0;

	if (probe_ctx.armed) {
		e = extable_find(rip);
		if (e)
			resume = e->resume_rip;
		else
			resume = probe_ctx.wildcard_resume;
	}
	if (!resume) {
		/* Not a probe: report and die like the kernel's report_crash
		 * (TLS back first: libc's write() may look at it). */
		bases_restore();
		user_report_crash(sig, rip, (uint64_t)g[REG_TRAPNO], (uint64_t)g[REG_ERR]);
		signal(sig, SIG_DFL);
		raise(sig);              /* pending until we return: default action */
		return;                  /* (a real fault would also re-fault) */
	}
	probe_ctx.fault_insn = e ? e->fault_rip : 0;

	struct exc_frame *f = &probe_ctx.frame;
	uint64_t csgsfs = (uint64_t)g[REG_CSGSFS];
	f->vector = (uint64_t)g[REG_TRAPNO];
	f->error_code = (uint64_t)g[REG_ERR];
	f->cr2 = (uint64_t)g[REG_CR2];
	f->rip = rip;
	f->rsp = (uint64_t)g[REG_RSP];
	f->rflags = (uint64_t)g[REG_EFL];
	f->cs = csgsfs & 0xffff;
	f->ss = (csgsfs >> 48) & 0xffff;
	f->handler_ss = 0;
	f->rax = (uint64_t)g[REG_RAX]; f->rbx = (uint64_t)g[REG_RBX];
	f->rcx = (uint64_t)g[REG_RCX]; f->rdx = (uint64_t)g[REG_RDX];
	f->rsi = (uint64_t)g[REG_RSI]; f->rdi = (uint64_t)g[REG_RDI];
	f->rbp = (uint64_t)g[REG_RBP];
	f->r8 = (uint64_t)g[REG_R8];   f->r9 = (uint64_t)g[REG_R9];
	f->r10 = (uint64_t)g[REG_R10]; f->r11 = (uint64_t)g[REG_R11];
	f->r12 = (uint64_t)g[REG_R12]; f->r13 = (uint64_t)g[REG_R13];
	f->r14 = (uint64_t)g[REG_R14]; f->r15 = (uint64_t)g[REG_R15];
	last_ss_valid = (uc->uc_flags & UC_SIGCONTEXT_SS) != 0;
	user_last_signo = sig;
	user_last_sicode = si ? si->si_code : 0;
	probe_ctx.frame_addr = 0;        /* the frame was on the kernel stack */
	probe_ctx.stack_words_valid = 0;
	probe_ctx.faulted = 1;
	probe_ctx.armed = 0;

	/* Resume in the stub on its own stack (PROBE_END restores the rest). */
	g[REG_RIP] = (greg_t)resume;
	g[REG_RSP] = (greg_t)probe_ctx.restore_rsp;
}

int user_signals_init(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP };
	/* Probes with a bad RSP (push/pop, rsp/rbp bases) cannot take a signal
	 * frame on their own stack: SA_ONSTACK on a generous alternate stack
	 * (AVX-512 xsave state alone is ~2.7 KiB). */
	size_t size = 256 * 1024;
	stack_t ss = { .ss_sp = malloc(size), .ss_size = size, .ss_flags = 0 };
	struct sigaction sa;

	if (!ss.ss_sp || sigaltstack(&ss, 0) != 0) {
		perror("faultprobe-user: sigaltstack");
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, 0) != 0) {
			perror("faultprobe-user: sigaction");
			return -1;
		}
	if (&__stop_extable[0] <= &__start_extable[0]) {
		write_str(2, "faultprobe-user: empty .extable (link with tools/user/extable.ld)\n");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ probe_run */

void probe_run(const struct probe_def *d, uint64_t addr, uint64_t rsp_adjust,
	       struct probe_result *r)
{
	struct access a;

	memset(r, 0, sizeof(*r));
	probe_access(d, addr, &a);
	rule_predict(&a, &r->rule);
	r->stack = "-";
	r->vector = VEC_NONE;

	user_last_skip = unsafe_reason(&a);
	if (user_last_skip)
		return;

	probe_ctx.faulted = 0;
	probe_ctx.value = 0;
	probe_ctx.fault_insn = 0;
	probe_ctx.wildcard_resume = 0;
	user_last_signo = 0;
	last_ss_valid = 0;
	if (bases_zero(d->prefix) != 0) {
		user_last_skip = "segment-base";
		return;
	}
	/* From here to bases_restore(): no libc (FS may be 0). */
	probe_ctx.armed = 1;
	__asm__ volatile("" ::: "memory");
	d->stub(addr, rsp_adjust);
	__asm__ volatile("" ::: "memory");
	probe_ctx.armed = 0;
	probe_ctx.wildcard_resume = 0;
	bases_restore();

	r->faulted = probe_ctx.faulted != 0;
	r->pre_rsp = probe_ctx.pre_rsp;
	r->value = probe_ctx.value;
	if (r->faulted) {
		r->vector = (int)probe_ctx.frame.vector;
		r->error_code = probe_ctx.frame.error_code;
		/* Linux updates thread.cr2 only for #PF (set_signal_archinfo). */
		r->cr2 = r->vector == VEC_PF ? probe_ctx.frame.cr2 : 0;
		r->frame = probe_ctx.frame;
		r->frame_addr = 0;
		r->fault_insn = probe_ctx.fault_insn;
	}
	r->cr2_changed = false;
	r->agrees = rule_agrees(&r->rule, r->vector, r->error_code, r->cr2);
}
