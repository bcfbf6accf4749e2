/* One mechanism for every probe.  A probe is a table row (struct probe_def)
 * plus a tiny asm stub written with the macros in probes/probe.inc.  The
 * stub puts the address in the register the row names and runs exactly one
 * instruction that may fault; the fault handler finds that instruction's
 * address in the fixup table (.extable: faulting RIP -> resume RIP, as in
 * XTF's extable), snapshots the frame into probe_ctx and resumes the stub,
 * which restores the registers and returns.  No handler guesses lengths. */
#ifndef FP_PROBE_H
#define FP_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include "model/rules.h"
#include "../idt/frame.h"

/* Shared with asm: keep the offsets in probes/probe.inc in step. */
struct probe_ctx {
	uint64_t pre_rsp;          /* 0:  RSP right before the probed instruction */
	uint64_t restore_rsp;      /* 8:  the stub's own good RSP                */
	uint64_t value;            /* 16: what a non-faulting load produced      */
	uint64_t armed;            /* 24: a probe is running                     */
	uint64_t wildcard_resume;  /* 32: resume here for a fault at any RIP
	                                  (branch probes fault at the target)    */
	uint64_t fault_insn;       /* 40: extable's fault RIP that matched       */
	/* filled by the handler */
	uint64_t faulted;
	struct exc_frame frame;    /* copy of the whole frame at the fault      */
	uint64_t frame_addr;       /* address of the hardware frame (its RIP slot) */
	uint64_t stack_words[12];  /* raw qwords from frame_addr upwards         */
	unsigned stack_words_valid;
};
extern struct probe_ctx probe_ctx;

typedef void (*probe_stub_fn)(uint64_t addr, uint64_t rsp_adjust);

struct probe_def {
	const char *set;           /* "seed", ...                                */
	const char *stub_name;     /* asm symbol, for dumps                      */
	probe_stub_fn stub;
	enum probe_op op;
	int base, index;           /* enum gpr or GPR_NONE                       */
	enum seg_prefix prefix;
	unsigned width;
	unsigned cpl;
	bool on_ist;               /* #SS/#GP/#PF use IST_PROBE during this probe */
	const char *slice;         /* matrix slice (record key slice=), or NULL  */
	bool compact;              /* record line only: no table row, no dump    */
};

#define CR2_SENTINEL 0x00000000c2c2c2c0ull

struct probe_result {
	bool faulted;
	int vector;
	uint64_t error_code;
	uint64_t cr2;
	bool cr2_changed;          /* CR2 differs from the sentinel written before */
	struct exc_frame frame;
	uint64_t frame_addr;
	uint64_t pre_rsp;
	uint64_t fault_insn;       /* address of the probed instruction          */
	uint64_t value;
	const char *stack;         /* "cur", "ist4", ...                         */
	const char *ring3_frame;   /* CPL-3 fault: "ok" if the frame is on RSP0
	                              with SS/CS slots 0x2b/0x33 and the handler's
	                              SS NULL, else "bad"; NULL otherwise       */
	struct rule_verdict rule;
	bool agrees;
};

/* Fixup table (linker.ld: __start_extable .. __stop_extable). */
struct extable_entry {
	uint64_t fault_rip;
	uint64_t resume_rip;
};
const struct extable_entry *extable_find(uint64_t rip);

/* Called from exception_dispatch; true when a running probe expected it. */
bool probe_handle_fault(struct exc_frame *f);

/* Runs one probe and fills *r (the rule verdict included). */
void probe_run(const struct probe_def *d, uint64_t addr, uint64_t rsp_adjust,
	       struct probe_result *r);

/* "cur", "ist1".."ist7" or "rsp0": the stack a frame at this address is on. */
const char *classify_stack(uint64_t frame_addr);

struct probe_record;
/* The record line's fields for this row and result (probes/result_record.c);
 * the caller adds id, paging and platform. */
void probe_record_fill(struct probe_record *rec, const struct probe_def *d, uint64_t addr,
		       uint64_t rsp_adjust, const struct probe_result *r);

/* The access a probe row makes for `addr`, as the rule model sees it. */
void probe_access(const struct probe_def *d, uint64_t addr, struct access *a);

#endif
