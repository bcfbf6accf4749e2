/* A memory probe: a row (struct probe_def) saying what the stub does, run
 * through the executor (probes/exec.h) for one address, judged by the rule
 * model (probes/model/rules.h), and turned into its `probe` record.  The
 * environment (struct probe_env) says where it runs — kernel or Linux
 * user space, paging mode, platform — and is handed in, never patched
 * afterwards.  Shared by the kernel and faultprobe-user. */
#ifndef FP_PROBE_H
#define FP_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include "exec.h"
#include "model/rules.h"

struct probe_def {
	const char *set;           /* "seed", ... (record key set=)              */
	const char *stub_name;     /* asm symbol, for dumps                      */
	probe_stub_fn stub;
	enum probe_op op;
	int base, index;           /* enum gpr or GPR_NONE                       */
	enum seg_prefix prefix;
	unsigned width;
	unsigned fetch_len;        /* branches: bytes of the instruction at the
	                              target, when the family put one there     */
	unsigned fetch_insn_off;   /* ... and where the instruction holding the
	                              last of those bytes starts, from the target */
	unsigned rep;              /* string ops with REP: the count (arg2)      */
	bool df;                   /* string ops run downward (std)              */
	uint64_t dst;              /* movs with dst_known: RDI (arg3)            */
	bool dst_known;            /* the [rdi] write is modelled and checked    */
	uint64_t seg_base;         /* fs:/gs: rows: the base set around the stub */
	uint32_t msr;              /* OP_WRMSR: the MSR the stub writes          */
	bool want_regs;            /* the family reads registers at the fault    */
	unsigned cpl;
	bool on_ist;               /* #SS/#GP/#PF use IST_PROBE during this probe */
	const char *slice;         /* matrix slice (record key slice=), or NULL  */
	bool compact;              /* record line only: no table row, no dump    */
	/* Issue 11 (families align, smap, pgprot): the instruction's alignment
	 * requirement and the control state the access runs under; zero is
	 * what every earlier row ran under.  Printed as record keys after
	 * platform= when set (probe_record.c). */
	const char *insn;          /* the instruction, when not plain mov (key insn=) */
	unsigned align;            /* #GP(0) unless addr % align == 0 (struct access) */
	bool align_ac;             /* ... or #AC with alignment checking on       */
	bool store_reads;          /* the store reads part of the area too (XSAVE) */
	bool ac;                   /* RFLAGS.AC = 1 (popf; or the stub's own stac) */
	bool am;                   /* CR0.AM = 1                                 */
	bool wp_off;               /* CR0.WP = 0                                 */
	bool smap, smep, pke;      /* CR4.SMAP / SMEP / PKE = 1                  */
	uint32_t pkru;             /* PKRU, with pke                             */
	const char *map;           /* the scratch page(s) as page_desc.h says them
	                              (key map=, for the lint), or NULL         */
	uint64_t arg2;             /* the stub's second operand (probe_ctx.arg2);
	                              0: the REP count                          */
	/* Event delivery modelled (struct access.deliver ...): the stack the
	 * probe hands the CPU, the IST slots its gates use, and for SYSRET/
	 * IRETQ where the return goes.  All zero for ordinary memory probes. */
	bool deliver;
	bool rsp_bad;
	uint64_t rsp;
	unsigned ist, ist_df;
	struct {
		uint16_t cs, ss;
		struct seg_desc cs_desc, ss_desc;
		bool rsp_bad;
		uint64_t rsp;
		enum landing land;
	} ret;
};

struct probe_env;
/* Why an access must not run here (a page it would write or execute
 * exists), or NULL. */
typedef const char *(*probe_unsafe_fn)(const struct probe_env *env, const struct access *a);

struct probe_env {
	const char *platform;      /* records' platform=                         */
	unsigned paging_levels;    /* 4, or 5 with CR4.LA57                      */
	enum cpu_vendor vendor;
	bool efer_nxe;
	bool cr4_smep;             /* as CPL-0 probes run (CPL-3 ones run with
	                              SMEP/SMAP off: probes/exec.c)              */
	bool cr0_am;               /* CR0.AM as probes run (Linux sets it; the
	                              kernel only for rows that ask: def.am)    */
	page_query_fn page_query;  /* the page tables, as the rule model asks   */
	void *page_ctx;
	unsigned force_cpl;        /* 0: as the row says; 3: everything at CPL 3 */
	bool kernel_view;          /* the handler's view is visible: the frame's
	                              address, SS in the handler, the ring-3
	                              frame check (false in Linux user space)   */
	probe_unsafe_fn unsafe;
	bool sse;                  /* 16-byte (movups xmm) probes can run        */
	const char *no_sse_why;
	bool avx;                  /* 32-byte (vmovups ymm) probes can run       */
	bool sse2, fxsr, cx16;     /* MOVDQA, FXSAVE/FXRSTOR, CMPXCHG16B exist   */
	bool cpu_la57;             /* CPUID.(7,0):ECX[16] (register loads check
	                              57-bit canonical form on such a CPU)      */
	bool cr4_fsgsbase;         /* WRFSBASE/WRGSBASE enabled (kernel: CR4;
	                              Linux: HWCAP2_FSGSBASE)                    */
	const char *no_avx_why;
	bool quiet;
};

struct probe_result {
	const char *skipped;       /* non-NULL: not run, and why                 */
	struct exec_result x;      /* what the executor saw                      */
	int vector;                /* VEC_NONE when nothing faulted              */
	uint64_t error_code;
	unsigned cpl;              /* the privilege level it ran at              */
	struct access access;      /* as the rule model saw it                   */
	struct rule_verdict rule;
	bool agrees;
};

/* The access a row makes at `addr` in `env`. */
void probe_access(const struct probe_env *env, const struct probe_def *d, uint64_t addr,
		  struct access *a);
/* Run one probe (unless env->unsafe refuses it) and judge it. */
void probe_run(const struct probe_env *env, const struct probe_def *d, uint64_t addr,
	       uint64_t rsp_adjust, struct probe_result *r);
/* probe_run(), then its record into *rec: a `probe` record (true), or a
 * `skip` record when it was not run (false).  A family adds its own keys
 * and hands the record to probe_report_rec(). */
struct rec;
bool probe_run_build(const struct probe_env *env, const struct probe_def *d, uint64_t addr,
		     uint64_t rsp_adjust, struct probe_result *r, struct rec *rec);
/* Build its record (`probe`, or `skip` when it was not run) and hand it to
 * report.  Returns the record's id. */
unsigned probe_report(const struct probe_env *env, const struct probe_def *d, uint64_t addr,
		      uint64_t rsp_adjust, const struct probe_result *r);
/* Where the saved RIP of a fault points (record key rip_at=): "insn",
 * "target", "target+1", "target+2", "other" (probes/probe_record.c). */
const char *probe_rip_at(const struct probe_def *d, uint64_t addr, const struct exec_result *x);
/* Whether this probe's agreement is no evidence of the segment rule on
 * env's platform (record key evidence=segment-blind; probe_record.c). */
bool probe_segment_blind(const struct probe_env *env, const struct probe_result *r);
/* The records alone (probes/probe_record.c; portable). */
void probe_record_build(struct rec *rec, const struct probe_env *env, const struct probe_def *d,
			uint64_t addr, uint64_t rsp_adjust, const struct probe_result *r);
void probe_skip_record_build(struct rec *rec, const struct probe_env *env,
			     const struct probe_def *d, uint64_t addr, uint64_t rsp_adjust,
			     const struct probe_result *r);
/* Issue 11's families: `ctl=` naming the control state the row asked for
 * (ac, am, wp0, smap, smep, pke joined by '+', or '-'), always present so
 * an expectation can tell rows apart by it. */
void probe_record_ctl_key(struct rec *rec, const struct probe_def *d);
/* Keys added after platform= for a probe with d->deliver (the CPU vendor,
 * IST slots, the stacks and return selectors it hands the CPU, and the
 * rule's CPL, saved RIP and stack). */
void probe_record_delivery(struct rec *rec, const struct probe_env *env,
			   const struct probe_def *d, const struct probe_result *r);
/* Hand a record already built (a family may add keys of its own after
 * probe_record_build) to report, with the probe's view.  Returns the id. */
unsigned probe_report_rec(struct rec *rec, const struct probe_env *env,
			  const struct probe_def *d, const struct probe_result *r);
/* A family (or one slice of it) that cannot run here: a note saying why
 * and a `family set= slice= status=skipped reason=` record. */
void probe_family_skipped(const struct probe_env *env, const char *set, const char *slice,
			  const char *reason, const char *why);
/* Both. */
unsigned probe_run_report(const struct probe_env *env, const struct probe_def *d,
			  uint64_t addr, uint64_t rsp_adjust, struct probe_result *r);

#endif
