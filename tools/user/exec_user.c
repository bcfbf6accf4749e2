/* The executor (probes/exec.h) for Linux user space.  The kernel's
 * executor arms probe_ctx, calls the stub and lets its trap handler resume
 * the stub through .extable; here a SIGSEGV/SIGBUS/SIGILL handler does the
 * same from the signal context and fills the same struct exec_result:
 *
 *   vector     = uc_mcontext.gregs[REG_TRAPNO]   (thread.trap_nr)
 *   error code = gregs[REG_ERR]                  (thread.error_code)
 *   CR2        = gregs[REG_CR2]                  (thread.cr2: only #PF sets it;
 *                                                 stale on #GP/#SS, not reported)
 *   RIP, RSP, RFLAGS, CS/SS = the hardware frame Linux saved on entry.
 *
 * Linux's delivery (arch/x86/kernel/traps.c, arch/x86/mm/fault.c):
 *   #SS -> exc_stack_segment -> do_error_trap(..., SIGBUS)
 *   #GP -> exc_general_protection -> gp_user_force_sig_segv -> SIGSEGV
 *   #PF -> do_user_addr_fault -> bad_area -> SIGSEGV; for addresses at or
 *          above TASK_SIZE_MAX the error code gets X86_PF_PROT (P=1) forced
 *          "to avoid leaking information about the kernel page table layout"
 *          -- so P is unknowable for kernel-half addresses (env_user.c).
 *   #UD -> SIGILL.
 *
 * The frame itself was on the kernel's stack: its address, the handler's
 * SS and the stack name are not observable here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "user.h"
#include "../../idt/extable.h"
#include "../../probes/model/fmt.h"
#include "../../probes/model/vectors.h"
#include "../../report/report.h"

/* uc_flags bit: the SS slot of REG_CSGSFS is valid (Linux >= 4.6,
 * arch/x86/include/uapi/asm/ucontext.h). */
#ifndef UC_SIGCONTEXT_SS
#define UC_SIGCONTEXT_SS 0x2
#endif

#define PAGE 4096ull

/* Set by the handler for the last fault. */
static volatile int last_ss_valid;

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

/* While a base is changed around a stub: the value to put back. */
struct saved_base {
	volatile int saved;
	volatile uint64_t value;
};
static struct saved_base fs_saved, gs_saved;

static void bases_restore(void)
{
	if (fs_saved.saved) {
		raw_arch_prctl(ARCH_SET_FS, fs_saved.value);
		fs_saved.saved = 0;
	}
	if (gs_saved.saved) {
		raw_arch_prctl(ARCH_SET_GS, gs_saved.value);
		gs_saved.saved = 0;
	}
}

/* Give one base the value the stub's fs:/gs: prefix expects (0, or a
 * family's base); -1 if Linux refuses (ARCH_SET_FS/GS take only values
 * below TASK_SIZE_MAX, arch/x86/kernel/process_64.c do_arch_prctl_64). */
static int base_set(int get, int set, uint64_t want, struct saved_base *b)
{
	unsigned long v = 0;

	if (raw_arch_prctl(get, (unsigned long)&v) != 0)
		return -1;
	if (v == want)
		return 0;
	if (raw_arch_prctl(set, want) != 0)
		return -1;
	b->value = v;
	b->saved = 1;
	return 0;
}

static int bases_set(const struct exec_req *req)
{
	unsigned which = req->zero_bases | req->set_bases;

	if ((which & EXEC_ZERO_FS) &&
	    base_set(ARCH_GET_FS, ARCH_SET_FS, (req->set_bases & EXEC_ZERO_FS) ? req->fs_base : 0,
		     &fs_saved) != 0)
		return -1;
	if ((which & EXEC_ZERO_GS) &&
	    base_set(ARCH_GET_GS, ARCH_SET_GS, (req->set_bases & EXEC_ZERO_GS) ? req->gs_base : 0,
		     &gs_saved) != 0) {
		bases_restore();
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ signals */

static void write_str(int fd, const char *s)
{
	ssize_t n = write(fd, s, fp_strlen(s));
	(void)n;
}

/* Async-signal-safe: formats with the model's strbuf into a stack buffer
 * and writes with write(2).  The lines say what the kernel's crash report
 * says: no probe expected this, and the run is over (unexpected=1). */
static void crash_line(int sig, uint64_t rip, uint64_t trapno, uint64_t err)
{
	char buf[256];
	struct strbuf sb;

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "faultprobe: CRASH: signal ");
	sb_dec(&sb, (uint64_t)sig);
	sb_puts(&sb, " that no probe expected: rip=");
	sb_hex64(&sb, rip);
	sb_puts(&sb, " vector=");
	vector_put(&sb, (int)trapno);
	sb_puts(&sb, " err=");
	sb_hexmin(&sb, err);
	sb_puts(&sb, "\nfaultprobe: done unexpected=1\n");
	write_str(1, buf);
	write_str(2, buf);
}

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
	/* Linux delivers the signal with the interrupted RFLAGS.AC (it clears
	 * only DF, RF and TF: arch/x86/kernel/signal.c, handle_signal()); a
	 * probe that ran with AC = 1 must not leave the handler's C code
	 * under alignment checking. */
	__asm__ volatile("pushfq; andq $~0x40000, (%%rsp); popfq" : : : "memory", "cc");
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;
	uint64_t rip = (uint64_t)g[REG_RIP];
	const struct extable_entry *e = 0;
	uint64_t resume = 0;

	(void)si;
	if (probe_ctx.armed) {
		e = extable_find(rip);
		if (e)
			resume = e->resume_rip;
		else
			resume = probe_ctx.wildcard_resume;
	}
	if (!resume) {
		/* Not a probe: report and die like the kernel's crash path
		 * (TLS back first: libc's write() may look at it). */
		bases_restore();
		crash_line(sig, rip, (uint64_t)g[REG_TRAPNO], (uint64_t)g[REG_ERR]);
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
	probe_ctx.frame_addr = 0;        /* the frame was on the kernel stack */
	probe_ctx.stack_words_valid = 0;
	probe_ctx.faulted = 1;
	probe_ctx.armed = 0;

	/* Resume in the stub on its own stack (PROBE_END restores the rest),
	 * with DF clear as C code needs it. */
	g[REG_EFL] &= ~(greg_t)(0x400 | 0x40000);   /* DF, AC */
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
	if (extable_empty()) {
		write_str(2, "faultprobe-user: empty .extable (link with tools/user/extable.ld)\n");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ exec_run */

void exec_run(const struct exec_req *req, struct exec_result *x)
{
	*x = (struct exec_result){ .stack = "-" };
	probe_ctx.faulted = 0;
	probe_ctx.value = 0;
	probe_ctx.fault_insn = 0;
	probe_ctx.wildcard_resume = 0;
	probe_ctx.arg2 = req->arg2;
	probe_ctx.arg3 = req->arg3;
	last_ss_valid = 0;
	/* CR0/CR4/PKRU are the kernel's: a probe that needs them is kernel-only. */
	if (req->cr0_set || req->cr0_clear || req->cr4_set || req->cr4_clear || req->set_pkru) {
		x->unrunnable = "needs-cpl0-control";
		return;
	}
	if (bases_set(req) != 0) {
		x->unrunnable = "segment-base";
		return;
	}
	/* From here to bases_restore(): no libc (FS may be 0). */
	probe_ctx.armed = 1;
	__asm__ volatile("" ::: "memory");
	/* RFLAGS.AC by POPF (any CPL may change it; Linux keeps CR0.AM = 1,
	 * so this turns alignment checking on for the stub: SDM Vol. 3 6.15
	 * int 17).  The signal handler clears it before it runs any C. */
	if (req->rflags_ac)
		__asm__ volatile("pushfq; orq $0x40000, (%%rsp); popfq" : : : "memory", "cc");
	req->stub(req->arg, req->rsp_adjust);
	__asm__ volatile("pushfq; andq $~0x40000, (%%rsp); popfq" : : : "memory", "cc");
	__asm__ volatile("" ::: "memory");
	probe_ctx.armed = 0;
	probe_ctx.wildcard_resume = 0;
	bases_restore();

	x->faulted = probe_ctx.faulted != 0;
	x->pre_rsp = probe_ctx.pre_rsp;
	x->value = probe_ctx.value;
	if (x->faulted) {
		x->frame = probe_ctx.frame;
		/* Linux updates thread.cr2 only for #PF (set_signal_archinfo). */
		x->cr2 = x->frame.vector == VEC_PF ? probe_ctx.frame.cr2 : 0;
		x->fault_insn = probe_ctx.fault_insn;
		x->ss_valid = last_ss_valid != 0;
	}
}

/* Everything already runs at CPL 3. */
void exec_ring3_end(void)
{
}

/* CR4 is the kernel's and cannot be changed from here: say what it is.
 * Not from Linux's word alone (AT_HWCAP2 bit 1, HWCAP2_FSGSBASE,
 * arch/x86/include/uapi/asm/hwcap2.h), but from RDFSBASE itself, run once
 * through the executor: #UD <=> CR4.FSGSBASE = 0 (SDM Vol. 2 RDFSBASE).
 * When the two differ (a hypervisor below Linux set the bit: seen on a PVM
 * guest), a note says so. */
void user_rdfsbase_probe(uint64_t arg, uint64_t rsp_adjust);

bool exec_fsgsbase(bool on)
{
	static int state = -1;

	(void)on;
	if (state < 0) {
		struct exec_req req = { .stub = user_rdfsbase_probe };
		struct exec_result x;
		bool hwcap = (getauxval(AT_HWCAP2) & 2) != 0;

		exec_run(&req, &x);
		state = !x.faulted;
		if ((bool)state != hwcap)
			report_note(state ? "note: RDFSBASE runs at CPL 3 although AT_HWCAP2 lacks HWCAP2_FSGSBASE: "
					    "CR4.FSGSBASE is set below this Linux (a hypervisor's)"
					  : "note: AT_HWCAP2 has HWCAP2_FSGSBASE but RDFSBASE raised #UD at CPL 3");
	}
	return state != 0;
}

bool exec_ring3_selftest(void)
{
	return true;
}
