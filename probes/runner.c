#include "probe.h"
#include "../boot/cpu.h"
#include "../boot/gdt.h"
#include "../boot/paging.h"
#include "../idt/idt.h"
#include "model/vectors.h"
#include "model/fmt.h"

static enum cpu_vendor cpu_vendor(void)
{
	static int cached = -1;
	if (cached < 0) {
		struct cpuid_regs r = cpuid(0, 0);
		if (r.ebx == 0x756e6547)        /* "Genu" */
			cached = VENDOR_INTEL;
		else if (r.ebx == 0x68747541)   /* "Auth" */
			cached = VENDOR_AMD;
		else
			cached = VENDOR_OTHER;
	}
	return (enum cpu_vendor)cached;
}

void probe_access(const struct probe_def *d, uint64_t addr, struct access *a)
{
	a->op = d->op;
	a->base = d->base;
	a->index = d->index;
	a->prefix = d->prefix;
	a->width = d->width;
	a->addr = addr;
	a->cpl = d->cpl;
	a->paging_levels = paging_levels();
	/* EFER.NXE is set once in boot/entry.asm and never changes: read the
	 * MSR once, not once per probe (an exit per probe under a hypervisor).
	 * CR4 is read every time: the ring-3 probes toggle SMEP around them. */
	static int nxe = -1;
	if (nxe < 0)
		nxe = (rdmsr(MSR_EFER) & EFER_NXE) != 0;
	a->efer_nxe = nxe != 0;
	a->cr4_smep = (read_cr4() & CR4_SMEP) != 0;
	a->vendor = cpu_vendor();
	a->align = 0;                    /* the stubs use unaligned moves (movups/vmovups) */
	a->page_query = paging_query;
	a->page_ctx = 0;
}

static const char *stack_name(unsigned ist)
{
	static const char *const names[8] = { "cur", "ist1", "ist2", "ist3", "ist4", "ist5", "ist6", "ist7" };
	return names[ist & 7];
}

/* Which stack the hardware frame landed on. */
const char *classify_stack(uint64_t frame_addr)
{
	for (unsigned n = 1; n <= IST_COUNT; n++)
		if (frame_addr >= ist_stack_base(n) && frame_addr < ist_stack_top(n))
			return stack_name(n);
	if (frame_addr < kernel_tss.rsp[0] && frame_addr >= kernel_tss.rsp[0] - IST_STACK_SIZE)
		return "rsp0";
	return "cur";
}

/* A fault from CPL 3 into a CPL-0 handler through a gate with IST 0 (SDM
 * Vol. 3 6.14.2, 6.14.4): the CPU switches to TSS.RSP0, aligns it to 16 and
 * pushes SS, RSP, RFLAGS, CS, RIP there (so the RIP slot is at RSP0 - 40);
 * the pushed SS and CS are the user selectors, zero-extended to 64 bits; the
 * handler runs with SS = NULL (RPL 0), "the new SS is set to NULL if there
 * is a change in CPL". */
static const char *ring3_frame_check(const struct probe_result *r)
{
	bool ok = r->frame_addr == (kernel_tss.rsp[0] & ~15ull) - 40 &&
		  r->frame.ss == SEL_USER_DS && r->frame.cs == SEL_USER_CS &&
		  r->frame.handler_ss == 0;
	return ok ? "ok" : "bad";
}

void probe_run(const struct probe_def *d, uint64_t addr, uint64_t rsp_adjust,
	       struct probe_result *r)
{
	static const unsigned probe_vectors[] = { VEC_SS, VEC_GP, VEC_PF };
	unsigned saved_ist[3];
	for (unsigned i = 0; i < 3; i++)
		saved_ist[i] = idt_set_ist(probe_vectors[i], d->on_ist ? IST_PROBE : 0);

	probe_ctx.faulted = 0;
	probe_ctx.value = 0;
	probe_ctx.fault_insn = 0;
	probe_ctx.wildcard_resume = 0;
	write_cr2(CR2_SENTINEL);
	probe_ctx.armed = 1;
	__asm__ volatile("" ::: "memory");
	d->stub(addr, rsp_adjust);
	__asm__ volatile("" ::: "memory");
	probe_ctx.armed = 0;

	for (unsigned i = 0; i < 3; i++)
		idt_set_ist(probe_vectors[i], saved_ist[i]);

	r->faulted = probe_ctx.faulted != 0;
	r->pre_rsp = probe_ctx.pre_rsp;
	r->value = probe_ctx.value;
	if (r->faulted) {
		r->vector = (int)probe_ctx.frame.vector;
		r->error_code = probe_ctx.frame.error_code;
		r->cr2 = probe_ctx.frame.cr2;
		r->frame = probe_ctx.frame;
		r->frame_addr = probe_ctx.frame_addr;
		r->fault_insn = probe_ctx.fault_insn;
		r->stack = classify_stack(probe_ctx.frame_addr);
		r->ring3_frame = d->cpl == 3 ? ring3_frame_check(r) : 0;
	} else {
		r->vector = VEC_NONE;
		r->error_code = 0;
		r->cr2 = read_cr2();
		r->frame_addr = 0;
		r->fault_insn = 0;
		r->stack = "-";
		r->ring3_frame = 0;
	}
	r->cr2_changed = r->cr2 != CR2_SENTINEL;

	struct access a;
	probe_access(d, addr, &a);
	rule_predict(&a, &r->rule);
	r->agrees = rule_agrees(&r->rule, r->vector, r->error_code, r->cr2);
}
