/* The probe executor: the one mechanism that runs code which may fault.
 * Arm, run the stub, snapshot what the fault left, disarm.  Every family
 * uses it: the probe sets, the fingerprint's guarded MSR reads, the soft
 * frame, the vmcore replay.  The kernel's executor (probes/exec.c) resumes
 * a fault through the fixup table from the trap path; faultprobe-user's
 * (tools/user/exec_user.c) does the same from a signal handler and fills
 * the same result.
 *
 * A stub is written with the macros of probes/probe.inc: it runs exactly
 * one instruction that may fault and lists { fault RIP, resume RIP } in
 * .extable (idt/extable.h).  Branch stubs (call/jmp/ret to a bad target)
 * may fault at the target instead: they set probe_ctx.wildcard_resume just
 * before the branch, and a fault at any RIP resumes there.  A #DF (an
 * abort: its saved RIP is undefined) while a stub runs resumes at the
 * stub's own resume point (probe_ctx.expect_resume, from its .extable
 * entry). */
#ifndef FP_EXEC_H
#define FP_EXEC_H

#include <stdbool.h>
#include <stdint.h>
#include "../idt/frame.h"

typedef void (*probe_stub_fn)(uint64_t arg, uint64_t rsp_adjust);

/* Shared with asm (probes/probe.inc, probes/ring3.asm): keep the offsets
 * there in step (checked by _Static_assert in probes/exec.c). */
struct probe_ctx {
	uint64_t pre_rsp;          /* 0:  RSP right before the probed instruction */
	uint64_t restore_rsp;      /* 8:  the stub's own good RSP                */
	uint64_t value;            /* 16: what a non-faulting load produced      */
	uint64_t armed;            /* 24: a probe is running                     */
	uint64_t wildcard_resume;  /* 32: resume here for a fault at any RIP     */
	uint64_t fault_insn;       /* 40: extable's fault RIP that matched       */
	uint64_t faulted;          /* 48: set by the fault path                  */
	uint64_t arg2;             /* 56: a stub's second operand (exec_req.arg2) */
	uint64_t arg3;             /* 64: a stub's third operand (exec_req.arg3)  */
	uint64_t want_stack;       /* copy the stack words at the fault         */
	uint64_t expect_rip;       /* the running stub's own .extable entry,     */
	uint64_t expect_resume;    /* found before it runs (no search on a fault) */
	struct exc_frame frame;    /* copy of the whole frame at the fault      */
	uint64_t frame_addr;       /* address of the hardware frame (RIP slot)  */
	uint64_t stack_words[12];  /* raw qwords from frame_addr upwards         */
	unsigned stack_words_valid;
};
extern struct probe_ctx probe_ctx;

#define CR2_SENTINEL 0x00000000c2c2c2c0ull
#define EXEC_STACK_WORDS 12
#define EXEC_CODE_BYTES  8

struct exec_req {
	probe_stub_fn stub;
	uint64_t arg;
	uint64_t rsp_adjust;       /* lower RSP by 0 or 8 before the insn     */
	uint64_t arg2;             /* probe_ctx.arg2 for stubs that take a second
	                              operand (a count, a value)              */
	unsigned cpl;              /* 0, or 3: enter ring 3 around the stub   */
	bool on_ist;               /* #SS/#GP/#PF on their own IST stack      */
	bool want_code;            /* copy the bytes at the saved RIP         */
	uint64_t arg3;             /* probe_ctx.arg3: a third operand (the other
	                              address of a movs)                      */
	bool want_stack;           /* copy the stack words above the frame    */
	bool want_regs;            /* the general registers at the fault      */
	uint8_t zero_bases;        /* EXEC_ZERO_FS/GS: the stub's fs:/gs: prefix
	                              expects base 0 (the kernel keeps both 0;
	                              user space zeroes it around the stub)   */
	/* Control state the stub runs under, put back afterwards (issue 11):
	 * CR0/CR4 bits to set and clear, RFLAGS.AC, PKRU (with CR4.PKE).  All
	 * zero: the state every probe ran under before.  Kernel only, except
	 * rflags_ac (user space can set AC with popf); a request user space
	 * cannot honour comes back `unrunnable`. */
	uint64_t cr0_set, cr0_clear, cr4_set, cr4_clear;
	bool rflags_ac;
	bool set_pkru;
	uint32_t pkru;
	uint8_t set_bases;         /* EXEC_ZERO_FS/GS bits: FS/GS base =
	                              fs_base/gs_base while the stub runs, and
	                              as before afterwards.  Kernel: WRMSR at
	                              CPL 0 only (the caller vouches that the
	                              value is canonical for this CPU; the
	                              ring-3 thunk's selector loads would zero
	                              it: unrunnable at CPL 3).  User space:
	                              arch_prctl, unrunnable when refused.   */
	uint64_t fs_base, gs_base;
};
#define EXEC_ZERO_FS 1u
#define EXEC_ZERO_GS 2u

struct exec_result {
	const char *unrunnable;    /* non-NULL: the stub was not run, and why  */
	bool faulted;
	struct exc_frame frame;    /* the frame the fault pushed (and regs)   */
	uint64_t frame_addr;       /* where its RIP slot was; 0 when unknown  */
	uint64_t pre_rsp;
	uint64_t fault_insn;       /* the .extable entry that matched, or 0   */
	uint64_t value;            /* no fault: what the stub kept            */
	uint64_t cr2;              /* #PF: CR2; otherwise what CR2 held       */
	bool cr2_changed;          /* CR2 moved off the sentinel              */
	const char *stack;         /* "cur", "ist1".."ist7", "rsp0"; "-" when
	                              unknown                                 */
	bool ring3_frame_ok;       /* CPL-3 fault: frame on RSP0, user selectors,
	                              NULL SS in the handler                  */
	bool ss_valid;             /* the frame's SS slot was observed        */
	uint64_t words[EXEC_STACK_WORDS];   /* stack from frame_addr upwards  */
	unsigned nwords;
	uint8_t code[EXEC_CODE_BYTES];      /* bytes at the saved RIP         */
	unsigned code_len;
};

/* Kernel: register the executor's fault handler with the trap path (first,
 * so a probe's fault costs one handler call). */
void exec_init(void);
void exec_run(const struct exec_req *req, struct exec_result *out);
/* Leave ring-3 mode if a CPL-3 run entered it (kernel; no-op elsewhere). */
void exec_ring3_end(void);
/* Ask for CR4.FSGSBASE on or off for the probes that follow and return
 * what it now is.  Kernel: changes CR4 (only on when CPUID.(7,0):EBX[0]
 * says the instructions exist).  Linux user space cannot change it: returns
 * Linux's setting (AT_HWCAP2 HWCAP2_FSGSBASE). */
bool exec_fsgsbase(bool on);
/* Kernel: one CPL-3 load of a user page must come back with its value
 * (the way into ring 3 and back works).  Always true in user space. */
bool exec_ring3_selftest(void);

#endif
