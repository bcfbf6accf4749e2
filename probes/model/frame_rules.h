/* Frame forensics (issue 4, parts 1 and 2): check a 64-bit exception frame
 * against the SDM's rules, and compare a hardware-delivered interrupt frame
 * with a software-built one (KVM's vmx_handle_external_intr sequence).
 * Portable: no kernel dependencies; the host unit tests cover it.
 *
 * Rules checked (SDM Vol. 3 6.14 "Exception and interrupt handling in 64-bit
 * mode" and 6.14.2 "64-bit mode stack frame"):
 *  - RSP is aligned down to 16 before the frame is pushed, so the RIP slot
 *    lands at (start & ~15) - 40 (start = pre-fault RSP, or the IST entry);
 *  - SS:RSP are pushed unconditionally; the saved RSP is the pre-fault one;
 *  - pushes are 8 bytes, zero-extended (CS/SS slots: bits 63:16 zero);
 *  - #SS/#GP/#PF are faults: the saved RIP is the faulting instruction
 *    (Vol. 3 6.5, 6.15);
 *  - RFLAGS bit 1 is reserved as 1 (Vol. 1 3.4.3);
 *  - RF: "for any fault-class exception except a debug exception generated
 *    in response to an instruction breakpoint, the value pushed for RF is 1";
 *    for software interrupts (INT n) RF is pushed as 0 (Vol. 3 17.3.1.1,
 *    numbered 18.3.1.1 in recent editions);
 *  - an IST gate switches stacks unconditionally (Vol. 3 6.14.5).
 */
#ifndef FP_FRAME_RULES_H
#define FP_FRAME_RULES_H

#include <stdbool.h>
#include <stdint.h>
#include "fmt.h"
#include "x86.h"

/* Written below RSP before a frame probe; an untouched slot still holds it. */
#define FRAME_POISON 0x5ec0de5ec0de5ec0ull


/* What one frame probe observed. */
struct frame_obs {
	/* identity (configuration) */
	unsigned probe_id;         /* id of the `probe` record, 0: none     */
	const char *set;           /* "frame", "frame-ist"                  */
	const char *base;          /* base register of the probed insn      */
	uint64_t addr;             /* probed address                        */
	unsigned adjust;           /* rsp_adjust: 0 or 8                    */
	unsigned ist;              /* IST index configured in the gate      */
	/* observation */
	int vector;
	uint64_t pre_rsp;          /* RSP right before the probed insn      */
	uint64_t ist_top;          /* IST entry when ist != 0               */
	uint64_t frame_addr;       /* address of the RIP slot               */
	uint64_t fault_insn;       /* address of the probed instruction     */
	unsigned insn_len;
	const uint64_t *words;     /* stack qwords from frame_addr upward   */
	unsigned nwords;           /* >= 5; words[5] is the slot above SS   */
	const char *stack;         /* observed: "cur", "ist4", ...          */
	const char *platform;
};

struct frame_verdict {
	uint64_t start;            /* RSP the push started from (pre or IST) */
	const char *from;          /* "pre-fault" or "ist<n>-top"           */
	int64_t frame_rel;         /* frame_addr - start                    */
	uint64_t pad;              /* start - (frame_addr + 40)             */
	const char *pad_slot;      /* "poison", "other" or "-" (no pad)     */
	bool aligned;              /* frame_addr + 40 == start & ~15        */
	bool saved_rsp_pre;        /* saved RSP == pre-fault RSP            */
	const char *rip_at;        /* "insn", "next" or "other"             */
	unsigned rf, rf_rule;
	bool bit1;
	uint64_t cs_hi, ss_hi;     /* bits 63:16 of the CS and SS slots     */
	const char *stack_rule;    /* "cur" or "ist<n>"                     */
	bool stack_ok;
	bool agrees;               /* every rule above, RF included         */
};

/* Fault-class vectors as far as RF goes (the probes raise #SS/#GP/#PF). */
void frame_check(const struct frame_obs *o, struct frame_verdict *v);
/* Which rules failed: "aligned,rf" etc., "-" when none. */
void frame_fails(struct strbuf *sb, const struct frame_verdict *v);
/* The one stack-name table: "cur" for 0, "ist1".."ist7" for an IST index
 * (records' stack= and stack_rule=). */
const char *stack_name(unsigned ist);
/* "pre-fault" for 0, "ist1-top".."ist7-top" for an IST index. */
const char *frame_start_name(unsigned ist);

/* Names of the RFLAGS bits set in `mask`, comma-separated ("IF,ZF,PF");
 * "-" when mask is 0.  Unnamed bits print as "b<n>". */
void rflags_names(struct strbuf *sb, uint64_t mask);

/* ---- software-built frame beside a hardware one (part 2) ---------------- */

struct sf_frame {
	uint64_t rip, cs, rflags, rsp, ss;   /* the five slots, raw       */
	uint64_t frame_addr;                 /* address of the RIP slot   */
	uint64_t pre_rsp;                    /* RSP before the sequence   */
	uint64_t start;                      /* RSP the pushes started from:
	                                        pre_rsp, or the IST entry  */
	uint64_t next_rip;                   /* insn after int / call     */
	const char *stack;                   /* "cur", "ist4", ...        */
};

enum sf_slot { SF_IP, SF_CS, SF_RFLAGS, SF_SP, SF_SS, SF_FRAME, SF_PAD, SF_STACK, SF_NSLOTS };

struct sf_case {
	const char *name;          /* e.g. "a547c6-adj8"                    */
	unsigned vector;
	unsigned adjust;
	unsigned gate_ist;
	bool or_if;                /* software side ORs 0x200 into RFLAGS   */
};

struct sf_diff {
	bool same;
	uint64_t hw, sw;           /* SF_STACK: unused (see hw_str/sw_str)  */
	const char *hw_str, *sw_str;
	const char *why;           /* short token; "-" when same            */
	uint64_t flag_diff;        /* SF_RFLAGS: hw ^ sw                    */
};

const char *sf_slot_name(enum sf_slot s);
/* Compare slot `s` of the two frames. */
void sf_compare(const struct sf_case *c, const struct sf_frame *hw,
		const struct sf_frame *sw, enum sf_slot s, struct sf_diff *d);

#endif
