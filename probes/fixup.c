#include "probe.h"
#include "model/vectors.h"
#include "../boot/gdt.h"

extern const struct extable_entry __start_extable[], __stop_extable[];
extern char __kernel_start[], __kernel_end[];

/* On a page of its own (linker.ld): ring-3 probes map this page
 * user-accessible while they run, and nothing else may be exposed with it. */
struct probe_ctx probe_ctx __attribute__((aligned(4096), section(".bss.probe_ctx")));

const struct extable_entry *extable_find(uint64_t rip)
{
	for (const struct extable_entry *e = __start_extable; e < __stop_extable; e++)
		if (e->fault_rip == rip)
			return e;
	return 0;
}

static void snapshot_stack(uint64_t frame_addr)
{
	uint64_t lo = (uint64_t)(uintptr_t)__kernel_start;
	uint64_t hi = (uint64_t)(uintptr_t)__kernel_end;
	probe_ctx.stack_words_valid = 0;
	for (unsigned i = 0; i < 12; i++) {
		uint64_t a = frame_addr + 8 * i;
		if (a < lo || a + 8 > hi)
			break;
		probe_ctx.stack_words[i] = *(const uint64_t *)(uintptr_t)a;
		probe_ctx.stack_words_valid = i + 1;
	}
}

bool probe_handle_fault(struct exc_frame *f)
{
	if (!probe_ctx.armed)
		return false;
	/* An NMI or machine check that happens to arrive during a probe is
	 * not the probe's result (it can only happen on metal or KVM). */
	if (f->vector == VEC_NMI || f->vector == VEC_MC)
		return false;
	const struct extable_entry *e = extable_find(f->rip);
	uint64_t resume;
	if (e) {
		resume = e->resume_rip;
		probe_ctx.fault_insn = e->fault_rip;
	} else if (probe_ctx.wildcard_resume) {
		resume = probe_ctx.wildcard_resume;
	} else {
		return false;
	}
	probe_ctx.frame = *f;
	probe_ctx.frame_addr = (uint64_t)(uintptr_t)&f->rip;
	snapshot_stack(probe_ctx.frame_addr);
	probe_ctx.faulted = 1;
	probe_ctx.armed = 0;

	/* Resume in the stub, in ring 0, on the stub's own stack. */
	f->rip = resume;
	f->rsp = probe_ctx.restore_rsp;
	f->cs = SEL_KERNEL_CS;
	f->ss = SEL_KERNEL_DS;
	/* The kernel runs with IF=0; a software-built frame (probes/softframe.c,
	 * KVM's `orl $0x200`) may carry IF=1, which IRETQ would restore. */
	f->rflags &= ~(uint64_t)0x200;
	return true;
}
