/* The kernel's probe executor (exec.h): arms probe_ctx, runs the stub,
 * and takes the fault from the trap path (idt/trap.h) through the fixup
 * table (idt/extable.h); CPL-3 runs go through the ring-3 thunk
 * (probes/ring3.asm). */
#include "exec.h"
#include "model/vectors.h"
#include "../idt/cpu.h"
#include "../idt/extable.h"
#include "../idt/gdt.h"
#include "../idt/idt.h"
#include "../idt/paging.h"
#include "../idt/trap.h"

extern char __kernel_start[], __kernel_end[];
extern char __probe_text_start[], __probe_text_end[];

/* ------------------------------------------------------------ the fault */

/* The words from the frame up, as far as they lie inside the kernel image
 * (every stack a probe's frame can land on does). */
static void snapshot_stack(uint64_t frame_addr)
{
	uint64_t lo = (uint64_t)(uintptr_t)__kernel_start;
	uint64_t hi = (uint64_t)(uintptr_t)__kernel_end;
	unsigned n = 0;
	if (frame_addr >= lo && frame_addr < hi) {
		n = (unsigned)((hi - frame_addr) / 8);
		if (n > EXEC_STACK_WORDS)
			n = EXEC_STACK_WORDS;
	}
	const uint64_t *w = (const uint64_t *)(uintptr_t)frame_addr;
	for (unsigned i = 0; i < n; i++)
		probe_ctx.stack_words[i] = w[i];
	probe_ctx.stack_words_valid = n;
}

/* The trap-path handler: a fault while a probe is armed, at an
 * instruction listed in .extable (or anywhere, for a branch probe), is
 * recorded and resumed in the stub.
 *
 * A double fault while a probe is armed is the probe's result too (a fault
 * whose frame could not be pushed, SDM Vol. 3 6.15 int 8).  It arrives on
 * its own stack (IST_DF, idt/idt.c), but it is an abort: "the saved
 * contents of CS and EIP registers are undefined", so its RIP is not used
 * to find the way back; the stub is resumed at its own resume point
 * (expect_resume, its .extable entry), on the stub's own stack
 * (restore_rsp), like any other fault.  The frame is kept as it came (its
 * RIP informational: an .extable match is still noted).  A #DF whose saved
 * RIP happens to be the stub's instruction is taken by the trap path's
 * fast fixup instead (idt/isr.asm), which resumes at the same point on the
 * same stack.  Outside a probe a #DF stays a crash (boot/crash.c). */
static bool exec_fault(struct exc_frame *f)
{
	if (!probe_ctx.armed)
		return false;
	/* An NMI or machine check that happens to arrive during a probe is
	 * not the probe's result (it can only happen on metal or KVM). */
	if (f->vector == VEC_NMI || f->vector == VEC_MC)
		return false;
	const struct extable_entry *e = 0;
	uint64_t resume;
	if (f->vector == VEC_DF) {
		if (!probe_ctx.expect_resume)
			return false;
		resume = probe_ctx.expect_resume;
		probe_ctx.fault_insn = f->rip == probe_ctx.expect_rip ? probe_ctx.expect_rip
				     : (e = extable_find(f->rip)) ? e->fault_rip : 0;
	} else if (f->rip == probe_ctx.expect_rip) {
		resume = probe_ctx.expect_resume;
		probe_ctx.fault_insn = probe_ctx.expect_rip;
	} else if ((e = extable_find(f->rip))) {
		resume = e->resume_rip;
		probe_ctx.fault_insn = e->fault_rip;
	} else if (probe_ctx.wildcard_resume) {
		resume = probe_ctx.wildcard_resume;
	} else {
		return false;
	}
	probe_ctx.frame = *f;
	probe_ctx.frame_addr = (uint64_t)(uintptr_t)&f->rip;
	if (probe_ctx.want_stack)
		snapshot_stack(probe_ctx.frame_addr);
	else
		probe_ctx.stack_words_valid = 0;
	probe_ctx.faulted = 1;
	probe_ctx.armed = 0;

	/* Resume in the stub, in ring 0, on the stub's own stack. */
	f->rip = resume;
	f->rsp = probe_ctx.restore_rsp;
	f->cs = SEL_KERNEL_CS;
	f->ss = SEL_KERNEL_DS;
	/* The kernel runs with IF=0; a software-built frame (softframe, KVM's
	 * `orl $0x200`) may carry IF=1, which IRETQ would restore.  DF must be
	 * 0 in C code (a `std; rep stos` probe faults with DF=1). */
	f->rflags &= ~(uint64_t)(RFLAGS_IF | RFLAGS_DF);
	/* AC too: a probe may run with it (exec_req.rflags_ac); the kernel
	 * does not (with SMAP on it would lift SMAP). */
	f->rflags &= ~(uint64_t)RFLAGS_AC;
	return true;
}

void exec_init(void)
{
	static bool done;
	if (!done) {
		trap_add_handler(exec_fault);
		done = true;
	}
}

/* ------------------------------------------------------------ ring 3 */

/* probes/ring3.asm */
void exec_ring3_thunk(uint64_t arg, uint64_t rsp_adjust);
extern uint64_t exec_ring3_stub, exec_ring3_user_rsp, exec_ring3_rflags;   /* ring3.asm */

static uint8_t user_stack[2 * 4096] __attribute__((aligned(4096)));

static struct {
	bool active;
	uint64_t cr4;
} r3;

/* Set or clear PTE_U on the live leaf entries of [start, end): on while
 * ring-3 probes run, off again after, so that CPL-0 code with CR4.SMEP or
 * SMAP on (exec_req.cr4_set) never runs from or touches a user page. */
static void map_pages(uint64_t start, uint64_t end, bool user)
{
	start &= ~0xfffull;
	end = (end + 0xfff) & ~0xfffull;
	for (uint64_t va = start; va < end; va += 0x1000) {
		uint64_t pte = paging_get_pte(va);
		if (pte & PTE_P)
			paging_set_pte(va, user ? pte | PTE_U : pte & ~PTE_U);
	}
}

/* The kernel image is identity-mapped PTE_W (idt/paging.c); these pages
 * get PTE_U on top while ring-3 probes run: every probe stub and the
 * thunk (.probetext, linker.ld), probe_ctx's page, a small user stack. */
static void map_ring3_pages(bool user)
{
	uint64_t ctx = (uint64_t)(uintptr_t)&probe_ctx;

	map_pages((uint64_t)(uintptr_t)__probe_text_start,
		  (uint64_t)(uintptr_t)__probe_text_end, user);
	map_pages(ctx, ctx + sizeof(probe_ctx), user);
	map_pages((uint64_t)(uintptr_t)user_stack,
		  (uint64_t)(uintptr_t)user_stack + sizeof(user_stack), user);
}

static void ring3_begin(void)
{
	if (r3.active)
		return;
	map_ring3_pages(true);
	r3.cr4 = read_cr4();
	write_cr4(r3.cr4 & ~(CR4_SMEP | CR4_SMAP));
	/* the way home from a probe that did not fault is INT3 from CPL 3:
	 * the #BP gate needs DPL 3 (SDM Vol. 3 6.12.1.1); idt.c sets it
	 * already, this makes sure */
	idt_set_dpl(VEC_BP, 3);
	exec_ring3_user_rsp = (uint64_t)(uintptr_t)&user_stack[sizeof(user_stack)];
	r3.active = true;
}

void exec_ring3_end(void)
{
	if (!r3.active)
		return;
	write_cr4(r3.cr4);
	map_ring3_pages(false);
	r3.active = false;
}

/* A fault from CPL 3 into a CPL-0 handler through a gate with IST 0 (SDM
 * Vol. 3 6.14.2, 6.14.4): the CPU switches to TSS.RSP0, aligns it to 16 and
 * pushes SS, RSP, RFLAGS, CS, RIP there (so the RIP slot is at RSP0 - 40);
 * the pushed SS and CS are the user selectors, zero-extended to 64 bits; the
 * handler runs with SS = NULL (RPL 0), "the new SS is set to NULL if there
 * is a change in CPL". */
static bool ring3_frame_ok(const struct exec_result *x)
{
	return x->frame_addr == (kernel_tss.rsp[0] & ~15ull) - 40 &&
	       x->frame.ss == SEL_USER_DS && x->frame.cs == SEL_USER_CS &&
	       x->frame.handler_ss == 0;
}

/* ------------------------------------------------------------ CR4 */

/* SDM Vol. 3 2.5: CR4.FSGSBASE (bit 16) enables RDFSBASE/RDGSBASE/
 * WRFSBASE/WRGSBASE; setting a CR4 bit the CPU does not support is #GP, so
 * CPUID.(7,0):EBX[0] is checked first.  A ring-3 run keeps a copy of CR4 to
 * put back (ring3_begin): end it first. */
bool exec_fsgsbase(bool on)
{
	exec_ring3_end();
	uint64_t cr4 = read_cr4();
	if (on && !(cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ebx & CPUID7_EBX_FSGSBASE)))
		return (cr4 & CR4_FSGSBASE) != 0;
	write_cr4(on ? cr4 | CR4_FSGSBASE : cr4 & ~CR4_FSGSBASE);
	return (read_cr4() & CR4_FSGSBASE) != 0;
}

/* ------------------------------------------------------------ run */

/* What the fast fixup kept, as the full path would have kept it (no
 * general registers: the request did not want them). */
static void take_fast_fault(uint64_t fault_rip)
{
	struct exc_frame *f = &probe_ctx.frame;
	*f = (struct exc_frame){
		/* CR2 still holds what the fault wrote: no #PF since */
		.cr2 = read_cr2(), .handler_ss = trap_fast.handler_ss,
		.vector = trap_fast.vector, .error_code = trap_fast.error_code,
		/* the fast fixup is taken only at expect_rip */
		.rip = fault_rip, .cs = trap_fast.cs, .rflags = trap_fast.rflags,
		.rsp = trap_fast.rsp, .ss = trap_fast.ss,
	};
	probe_ctx.frame_addr = trap_fast.frame_addr;
	probe_ctx.fault_insn = fault_rip;
	probe_ctx.stack_words_valid = 0;
	probe_ctx.faulted = 1;
}

void exec_run(const struct exec_req *req, struct exec_result *x)
{
	static const unsigned probe_vectors[] = { VEC_SS, VEC_GP, VEC_PF };
	unsigned saved_ist[3];
	probe_stub_fn stub = req->stub;

	exec_init();
	if (req->set_bases && req->cpl == 3) {
		*x = (struct exec_result){ .unrunnable = "segment-base-at-cpl3", .stack = "-" };
		return;
	}
	if (req->cpl == 3) {
		ring3_begin();
		exec_ring3_stub = (uint64_t)(uintptr_t)stub;
		stub = exec_ring3_thunk;
	} else {
		exec_ring3_end();
	}
	for (unsigned i = 0; i < 3; i++)
		saved_ist[i] = idt_set_ist(probe_vectors[i], req->on_ist ? IST_PROBE : 0);

	probe_ctx.faulted = 0;
	probe_ctx.value = 0;
	probe_ctx.fault_insn = 0;
	probe_ctx.wildcard_resume = 0;
	probe_ctx.arg2 = req->arg2;
	probe_ctx.arg3 = req->arg3;
	/* A base for the stub's fs:/gs: accesses (SDM Vol. 3 3.4.4: in 64-bit
	 * mode the FS/GS base MSRs are the bases); 0 again right after. */
	if (req->set_bases & EXEC_ZERO_FS)
		wrmsr(MSR_FS_BASE, req->fs_base);
	if (req->set_bases & EXEC_ZERO_GS)
		wrmsr(MSR_GS_BASE, req->gs_base);

	/* The control state asked for, put back after the stub. */
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();
	uint32_t pkru = 0;
	bool ctl_cr = req->cr0_set || req->cr0_clear || req->cr4_set || req->cr4_clear;
	if (ctl_cr) {
		write_cr0((cr0 | req->cr0_set) & ~req->cr0_clear);
		write_cr4((cr4 | req->cr4_set) & ~req->cr4_clear);
	}
	if (req->set_pkru) {
		pkru = rdpkru();
		wrpkru(req->pkru);
	}
	exec_ring3_rflags = RFLAGS_BIT1 | (req->rflags_ac ? RFLAGS_AC : 0);

	probe_ctx.want_stack = req->want_stack;
	/* the stub's own entry: the first at or after its address */
	const struct extable_entry *own =
		extable_at_or_after((uint64_t)(uintptr_t)req->stub);
	probe_ctx.expect_rip = own ? own->fault_rip : 0;
	probe_ctx.expect_resume = own ? own->resume_rip : 0;
	/* A fault that needs no registers, stack words or code bytes is
	 * resolved by the trap path's fast fixup, before any register is
	 * saved (idt/trap.h); any other fault takes the full path. */
	bool light = own && !req->want_regs && !req->want_stack && !req->want_code;
	trap_fast.frame_addr = 0;
	if (light) {
		trap_fast.resume_rip = own->resume_rip;
		trap_fast.resume_rsp_at = (uint64_t)(uintptr_t)&probe_ctx.restore_rsp;
		trap_fast.expect_rip = own->fault_rip;   /* armed */
	}
	write_cr2(CR2_SENTINEL);
	probe_ctx.armed = 1;
	__asm__ volatile("" ::: "memory");
	if (req->rflags_ac && req->cpl != 3)
		rflags_set_ac(1);
	stub(req->arg, req->rsp_adjust);
	rflags_set_ac(0);
	__asm__ volatile("" ::: "memory");
	probe_ctx.armed = 0;
	probe_ctx.wildcard_resume = 0;
	if (req->set_bases & EXEC_ZERO_FS)
		wrmsr(MSR_FS_BASE, 0);
	if (req->set_bases & EXEC_ZERO_GS)
		wrmsr(MSR_GS_BASE, 0);
	trap_fast.expect_rip = 0;
	if (trap_fast.frame_addr)
		take_fast_fault(own->fault_rip);
	/* A stub that went to CPL 3 with IRETQ comes back through the fault
	 * path (either one) with DS/ES NULL ("FOR each of
	 * segment register (ES, FS, GS, and DS) ... SegmentSelector := 0",
	 * SDM Vol. 2 IRET): the kernel's data selectors back (FS/GS stay NULL,
	 * as the kernel runs). */
	__asm__ volatile("mov %0, %%ds\n\tmov %0, %%es" : : "r"((uint16_t)SEL_KERNEL_DS));
	uint64_t fault_cr2 = read_cr2();

	if (req->set_pkru)
		wrpkru(pkru);
	if (ctl_cr) {
		write_cr4(cr4);
		write_cr0(cr0);
	}

	for (unsigned i = 0; i < 3; i++)
		idt_set_ist(probe_vectors[i], saved_ist[i]);

	x->unrunnable = 0;
	x->faulted = probe_ctx.faulted != 0;
	x->pre_rsp = probe_ctx.pre_rsp;
	x->value = probe_ctx.value;
	x->ss_valid = true;
	x->code_len = 0;
	if (x->faulted) {
		x->frame = probe_ctx.frame;
		x->cr2 = probe_ctx.frame.cr2;
		x->frame_addr = probe_ctx.frame_addr;
		x->fault_insn = probe_ctx.fault_insn;
		x->stack = stack_name_of(probe_ctx.frame_addr);
		x->nwords = probe_ctx.stack_words_valid;
		for (unsigned i = 0; i < x->nwords; i++)
			x->words[i] = probe_ctx.stack_words[i];
		x->ring3_frame_ok = req->cpl == 3 && ring3_frame_ok(x);
		if (req->want_code)
			x->code_len = paging_read_mapped(x->frame.rip, x->code, EXEC_CODE_BYTES);
	} else {
		x->cr2 = fault_cr2;
		x->frame_addr = 0;
		x->fault_insn = 0;
		x->stack = "-";
		x->nwords = 0;
		x->ring3_frame_ok = false;
	}
	x->cr2_changed = x->cr2 != CR2_SENTINEL;
}

/* One CPL-3 load that must not fault (the lowest qword of the user stack,
 * which the stub's frame never reaches): proves the way into ring 3 and the
 * INT3 way back before CPL-3 probes rely on them.  Every CPL-3 probe that
 * faults returns through the fault fixup instead. */
void exec_ring3_selftest_load(uint64_t addr, uint64_t rsp_adjust);

bool exec_ring3_selftest(void)
{
	volatile uint64_t *slot = (volatile uint64_t *)(uintptr_t)user_stack;
	const uint64_t pattern = 0x0033474e49520033ull;
	struct exec_req req = {
		.stub = exec_ring3_selftest_load,
		.arg = (uint64_t)(uintptr_t)user_stack,
		.cpl = 3,
	};
	struct exec_result x;

	*slot = pattern;
	exec_run(&req, &x);
	exec_ring3_end();
	return !x.faulted && x.value == pattern;
}
