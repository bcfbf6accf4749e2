/* One memory access as the model sees it: which instruction kind, which
 * registers and prefix, how wide, where, at which privilege and paging
 * mode; and the facts derived from that alone: the segment it goes
 * through, the bytes it touches, canonical form.  Pure C that depends on
 * nothing: the kernel, faultprobe-user and the host tools share it.
 *
 * Sources: Intel SDM Vol. 1 3.3.7.1 (canonical addressing; in 64-bit mode
 * the ES/CS/SS/DS overrides are ignored and a reference through RSP/RBP is
 * a stack reference), 3.7.4 (implied segment, Table 3-5); SDM Vol. 3 4.1.1
 * (4-/5-level linear-address width); AMD APM Vol. 3 1.2.4. */
#ifndef FP_ACCESS_H
#define FP_ACCESS_H

#include <stdbool.h>
#include <stdint.h>
#include "x86.h"

/* General registers in ModRM/REX encoding order. */
enum gpr {
	GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
	GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15,
	GPR_COUNT,
	GPR_NONE = -1,
};

/* Segment override prefix written on the instruction (SEGP_NONE: none). */
enum seg_prefix { SEGP_NONE, SEGP_ES, SEGP_CS, SEGP_SS, SEGP_DS, SEGP_FS, SEGP_GS, SEGP_COUNT };

/* The segment an access is finally made through. */
enum segment { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS };

enum probe_op {
	OP_LOAD,   /* mov/movups/vmovups reg <- [mem]                         */
	OP_STORE,  /* mov/movups/vmovups [mem] <- reg                         */
	OP_PUSH,   /* push with RSP = addr: writes [addr-8, addr)  (SS)       */
	OP_POP,    /* pop  with RSP = addr: reads  [addr, addr+8)  (SS)       */
	OP_CALL,   /* near call to target addr (pushes to a good stack first) */
	OP_RET,    /* near ret whose return address on the stack is addr      */
	OP_JMP,    /* near jmp to target addr                                 */
	OP_LODS,   /* lods: reads [rsi] (DS, overridable), width bytes        */
	OP_MOVS,   /* movs: reads [rsi] (DS, overridable), writes [rdi] (ES); */
	           /* the probe puts addr in rsi and a good address in rdi   */
	OP_STOS,   /* stos: writes [rdi] (ES, not overridable)                */
	OP_SCAS,   /* scas, and the [rdi] operand of cmps: reads [rdi] (ES,   */
	           /* not overridable); host-side only (fpexplain), no stub    */
	OP_SYSRET, /* sysretq at CPL 0 with RCX = addr (rules_ret.c)          */
	OP_IRETQ,  /* iretq at CPL 0 to RIP = addr with access.ret (rules_ret.c) */
	OP_UD2,    /* ud2: #UD, a benign fault (rules_deliver.c)              */
	OP_INT3,   /* int3: #BP, a benign software trap (rules_deliver.c)     */
	/* Register loads that touch no memory (issue 11 family 7): addr is
	 * the value loaded (rules_regload.c). */
	OP_WRFSBASE, /* wrfsbase: FS.base <- addr                             */
	OP_WRGSBASE, /* wrgsbase: GS.base <- addr                             */
	OP_WRMSR,    /* wrmsr: MSR[msr] <- addr                               */
	OP_COUNT,
};

/* What the page tables say about one linear page. */
enum page_state { PAGE_NOT_PRESENT, PAGE_PRESENT, PAGE_UNKNOWN };
struct page_info {
	enum page_state state;
	bool writable;
	bool user;
	bool nx;
	bool rsvd;              /* an entry of the walk has a reserved bit set
	                           (SDM Vol.3 4.5.4, Table 4-14..4-20: bits
	                           MAXPHYADDR..51, bit 63 without EFER.NXE) */
	unsigned pkey;          /* the leaf's protection key, bits 62:59
	                           (SDM Vol.3 4.6.2); 0 when none            */
};
/* A segment descriptor as the rules need it (SDM Vol. 3 3.4.5, 5.2.1):
 * the one a selector names, decoded from the descriptor table by whoever
 * runs the probe (the kernel: its live GDT) and printed in the record, so
 * the lint can recompute the rule from the record alone. */
enum seg_desc_kind {
	SD_NULL,      /* selector index 0 with TI = 0                        */
	SD_LIMIT,     /* beyond the table limit                              */
	SD_CODE64,    /* code, L = 1, D = 0                                  */
	SD_CODE,      /* other code segment                                  */
	SD_DATA_RW,   /* writable data                                       */
	SD_DATA_RO,   /* read-only data                                      */
	SD_SYSTEM,    /* S = 0: TSS, LDT, gates                              */
	SD_COUNT,
};
struct seg_desc {
	enum seg_desc_kind kind;
	unsigned dpl;
	bool present;
};
/* Decode a legacy 8-byte GDT/LDT descriptor (SDM Vol. 3 3.4.5, Figure 3-8). */
void seg_desc_decode(uint64_t raw, struct seg_desc *out);
/* "null", "limit", "code64-dpl3", "data-rw-dpl0", "sys-dpl0", ... with
 * "-np" when not present; the parser reads the same back. */
void seg_desc_format(const struct seg_desc *d, char *buf, unsigned cap);
bool seg_desc_parse(const char *s, struct seg_desc *out);

/* What the code at a return's target does once it runs (OP_SYSRET,
 * OP_IRETQ; the family puts these bytes there). */
enum landing { LAND_INT3, LAND_PUSH_INT3, LAND_COUNT };  /* cc | 50 cc */
const char *landing_name(enum landing l);
bool landing_parse(const char *s, enum landing *l);

/* Oracle supplied by the caller (kernel: walks its own tables; host tests:
 * a fake; linux-user: PAGE_UNKNOWN for kernel space). */
typedef void (*page_query_fn)(void *ctx, uint64_t linear, struct page_info *out);

struct access {
	enum probe_op op;
	int base;               /* enum gpr, or GPR_NONE (absolute moffs64) */
	int index;              /* enum gpr, or GPR_NONE                    */
	enum seg_prefix prefix;
	unsigned width;         /* bytes: 1, 2, 4, 8, 16, 32, 64 (or a string
	                           operation's whole remaining length)      */
	unsigned fetch_len;     /* call/jmp/ret: bytes of the instruction at
	                           the target (0: only its first byte known) */
	unsigned fetch_insn_off;/* with fetch_len: where, counted from the
	                           target, the instruction holding the last
	                           fetched byte starts (0: the target's own) */
	unsigned rep;           /* lods/movs/stos with a REP prefix: RCX, the
	                           number of elements (0: no REP, one element) */
	bool df;                /* RFLAGS.DF: string addresses decrement     */
	uint64_t addr;          /* see enum probe_op for what it means      */
	uint64_t dst;           /* OP_MOVS with dst_known: RDI, the [rdi]
	                           operand of the first element              */
	bool dst_known;         /* false: the stub's own good buffer, not
	                           modelled (only the [rsi] read is)        */
	uint64_t seg_base;      /* FS/GS base an fs:/gs: access adds to its
	                           offset (SDM Vol. 3 3.4.4); 0 otherwise    */
	uint32_t msr;           /* OP_WRMSR: ECX                             */
	bool cr4_fsgsbase;      /* CR4.FSGSBASE: WRFSBASE/WRGSBASE enabled   */
	bool cpu_la57;          /* CPUID.(7,0):ECX[16]: the processor's linear
	                           addresses are 57 bits wide (whatever
	                           CR4.LA57 is): register loads check it     */
	unsigned cpl;           /* 0 or 3                                   */
	unsigned paging_levels; /* 4 or 5 (CR4.LA57)                        */
	bool efer_nxe;          /* #PF I/D bit is only reported with NXE or SMEP */
	bool cr4_smep;
	enum cpu_vendor vendor;
	page_query_fn page_query;
	void *page_ctx;
	/* Issue 11's inputs (probes/model/rules_align.c, rules_pgprot.c).  Zero
	 * is the state every earlier probe ran under (CR0.WP = 1, SMAP and
	 * PKE off, no alignment checking, no alignment requirement), so rows
	 * that do not set them are judged exactly as before. */
	unsigned align;         /* #GP(0) unless addr is a multiple of this:
	                           movaps/movdqa 16, vmovaps ymm 32, cmpxchg16b
	                           16, fxsave/fxrstor 16, xsave 64; 0: none   */
	bool align_ac;          /* that misalignment may raise #AC instead of
	                           #GP when alignment checking is on (FXSAVE/
	                           XSAVE, SDM Vol.3 6.15 int 17)              */
	bool store_reads;       /* a store that also reads the area (XSAVE's
	                           header: SDM Vol.2 XSAVE Operation, "OLD_BV
	                           <- XSTATE_BV field from XSAVE header"): a
	                           #PF may come from the read (W/R = 0)      */
	bool rmw;               /* a locked read-modify-write (CMPXCHG16B, op
	                           store): the manuals make it a write (W/R =
	                           1); emulators may fault on its read first */
	bool cr0_am, rflags_ac; /* alignment checking: CR0.AM && RFLAGS.AC at
	                           CPL 3; at CPL 0 RFLAGS.AC (stac) lifts SMAP */
	bool cr0_wp_off;        /* CR0.WP = 0: supervisor writes ignore R/W   */
	bool cr4_smap;
	bool cr4_pke;
	uint32_t pkru;          /* with CR4.PKE: AD/WD bits per key (4.6.2)   */
	/* How a fault is delivered.  Read by the platform models
	 * (platform.h); rule_predict reads gate_ist only for an access with
	 * `deliver` set (rules_deliver.c).  Callers of platform_predict set
	 * them (zero-initialise the struct). */
	unsigned gate_ist;      /* IST index in the gates of #SS/#GP/#PF while
	                           the probe runs (SDM Vol. 3 6.14.5); 0: none */
	uint16_t sel_cs;        /* CS selector while the probe runs          */
	uint16_t sel_ss;        /* SS selector while the probe runs          */

	/* Event delivery (rules_deliver.c), modelled when `deliver` is set:
	 * which stack the handler gets, and what happens when pushing the
	 * frame faults (SDM Vol. 3 6.14, 6.15 int 8).  rule_deliver reads
	 * gate_ist (above) for the #SS/#GP/#PF gates. */
	bool deliver;
	bool rsp_bad;           /* RSP at the instruction is `rsp`, a value the
	                           probe chose (otherwise a good kernel stack) */
	uint64_t rsp;
	unsigned ist_df;        /* IST slot of the #DF gate, 0: none (the
	                           #SS/#GP/#PF gates: gate_ist above)          */

	/* OP_SYSRET / OP_IRETQ (rules_ret.c): where the return goes.  SYSRET
	 * takes CS/SS from IA32_STAR and keeps RSP; IRETQ pops them. */
	struct {
		uint16_t cs, ss;        /* selectors (IRETQ images)             */
		struct seg_desc cs_desc, ss_desc;  /* what they name            */
		bool rsp_bad;           /* new RSP is `rsp` (else a good stack) */
		uint64_t rsp;
		enum landing land;      /* the code at the target               */
	} ret;
};

/* The bytes an access touches and how (SDM Vol. 1 3.7.4, Table 3-5: stack
 * operations always go through SS, instruction fetches through CS, the
 * [rdi] operand of string instructions through ES; none takes an
 * override).  One description used by the rule model, the probe safety
 * checks and the platform models. */
struct access_span {
	bool known;             /* false: an op the model does not know     */
	uint64_t start;         /* first byte's linear address (mod 2^64):
	                           the offset plus the FS/GS base            */
	uint64_t len;           /* bytes; 1 for a fetch (the target byte);
	                           0: touches no memory (register loads)    */
	bool write, fetch;
	enum segment seg;       /* the segment the access goes through      */
};
void access_span(const struct access *a, struct access_span *out);
/* Every memory operand, in access order: the span above, then for OP_MOVS
 * with dst_known the [rdi] write (ES).  Returns how many (1 or 2). */
#define ACCESS_SPANS_MAX 2
unsigned access_spans(const struct access *a, struct access_span out[ACCESS_SPANS_MAX]);

/* The stack bytes the CPU may write at an RSP the probe chose (rsp_bad,
 * ret.rsp_bad): an exception frame, at most 48 bytes below that RSP
 * aligned down to 16 (SDM Vol. 3 6.14.2), and a push just below it.
 * Writes, through SS; at most two spans; returns how many. */
unsigned access_stack_spans(const struct access *a, struct access_span out[2]);

/* Canonical form: bits 63:47 (4-level) or 63:56 (5-level) all equal.
 * SDM Vol. 1 3.3.7.1, Vol. 3 4.1.1. */
bool addr_is_canonical(uint64_t linear, unsigned paging_levels);
/* Every byte of [start, start+width) canonical; addresses wrap modulo 2^64. */
bool range_is_canonical(uint64_t start, unsigned width, unsigned paging_levels);
/* First non-canonical address boundary above 0: 1<<47 or 1<<56. */
uint64_t canonical_limit(unsigned paging_levels);

/* The segment a memory operand uses in 64-bit mode: RSP/RBP base -> SS,
 * else DS (SDM Vol. 1 3.7.4); FS/GS prefixes override, ES/CS/SS/DS
 * prefixes are ignored (SDM Vol. 1 3.3.7.1; APM Vol. 3 1.2.4). */
enum segment effective_segment(int base, enum seg_prefix prefix);

const char *gpr_name(int gpr);                  /* "rax".."r15", "-" for NONE */
const char *seg_prefix_name(enum seg_prefix p); /* "none","es","cs",...       */
const char *segment_name(enum segment s);       /* "es","cs","ss","ds",...    */
const char *probe_op_name(enum probe_op op);    /* "load","store","push",...  */
const char *cpu_vendor_name(enum cpu_vendor v); /* "intel", "amd", "other"   */
bool cpu_vendor_parse(const char *s, enum cpu_vendor *v);

/* Inverses of the name functions, for the log parser: exact, lower-case
 * names as printed above ("-" parses as GPR_NONE).  False if unknown. */
bool gpr_parse(const char *s, int *gpr);
bool seg_prefix_parse(const char *s, enum seg_prefix *p);
bool probe_op_parse(const char *s, enum probe_op *op);

#endif
