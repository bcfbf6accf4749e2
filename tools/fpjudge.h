/* fpjudge — judge the records of a faultprobe log against a platform model
 * (probes/model/platform.h), cell by cell.  Host C with libc; used by
 * fpcheck --platform, build/fpmodel, tools/truth.c and the unit tests.
 *
 * Inputs: a serial log of the kernel, the stdout of faultprobe-user, or an
 * expectation file (docs/testing.md: `<type> <identity> | <asserted>`, each
 * row read as the record it describes: identity and asserted keys
 * together); plain or gzip-compressed (`.gz`).
 *
 * What is judged (a "record" is one line; a "cell" is one key of it):
 *   probe   vector, err (under the model's error mask; "-" when the vector
 *           has none), cr2 ("-" unless #PF, or a #DF after a #PF), and,
 *           where the record has them: rip_at, saved_rsp, stack, cs, ss,
 *           handler_ss, and RF (bit 16) of rflags (rip_at, cs and RF only
 *           where the model predicts them: not for a #DF under the
 *           manuals).  The sysret and badstack families' records carry
 *           their gates, stacks and returns (fpj_delivery_keys).
 *   frame   (joined to the `probe` record with the same set, base, addr and
 *           adjust) vector, rf, stack, from, pad, frame_rel, pad_slot,
 *           aligned, saved_rsp, rip, cs_hi, ss_hi, cs, ss.
 *   vmcore kind=fault   (the seed's two instructions, probes/vmcore.c)
 *           vector, err, rip_at, rf, pad, frame_rel, aligned, saved_rsp,
 *           cs, ss.
 *   prot32  vector, err, cr2, rf, eip_at, frame_slots, ss_esp_pushed, gap,
 *           aligned16, frame_at, below, and cs_hi where the model knows it.
 * A value "-" in a record whose model outcome is a fault means "not
 * observable here" (e.g. stack=- from user space): that key is not a cell.
 * Other record types (fingerprint, softframe, la57, vmcore kind=decode,
 * summary) carry no access: counted as "not modelled", left to the
 * expectation files.
 *
 * A record the model cannot place (unknown dimensions, an access outside
 * the model's knowledge, a frame record without its probe) is "unknown":
 * reported with the reason, and counted against the file, never as a
 * match. */
#ifndef FP_FPJUDGE_H
#define FP_FPJUDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "logparse.h"
#include "../probes/model/platform.h"

enum fpj_pages {
	FPJ_PAGES_KERNEL,       /* the kernel's first page 0x100000 is mapped
	                           (present, supervisor, writable); nothing
	                           else a probe touches is                     */
	FPJ_PAGES_LINUX_USER,   /* nothing probed exists; P unknown at and
	                           above 0x7ffffffff000 (arch/x86/mm/fault.c) */
};

struct fpj_rec {
	char *text;             /* owned, parsed in place                      */
	struct log_line line;
	unsigned lineno;
};

/* One input file and what its header says about where it was made. */
struct fpj_file {
	char name[512];
	struct fpj_rec *recs;
	size_t nrecs, cap;
	bool expectation;       /* expectation rows, not a serial log          */
	bool has_done;          /* a `faultprobe: done` line                   */
	char platform[64];      /* records' / header's platform=, "" if none   */
	bool mixed_platforms;
	char verdict[64];       /* fingerprint verdict=, "" if none            */
	enum cpu_vendor vendor;
	bool vendor_known;
	int nxe;                /* EFER.NXE: 0, 1, or -1 when not stated       */
	enum fpj_pages pages;
	unsigned bad_lines;     /* record lines that did not parse or break
	                           the record contract (malformed)         */
	char first_bad[800];    /* the first such, "file:line: why"            */
};

/* Loads path (gzip-compressed when it ends in .gz).  0, or -1 with a
 * message in f->first_bad when the file cannot be read. */
int fpj_load(struct fpj_file *f, const char *path);
void fpj_free(struct fpj_file *f);

/* The model a file's platform calls for.  The platform must be one the
 * kernel or faultprobe-user prints (tcg, kvm, metal, hv, linux-user; bochs):
 * tcg -> tcg, bochs -> bochs, linux-user -> silicon, metal -> silicon
 * unless the fingerprint verdict unmasks an emulator (emulator-bochs,
 * emulator-tcg, kvm-emulator), kvm and hv -> what the verdict says
 * (kvm-emulator; silicon-like or kvm-hardware: faults delivered by the
 * CPU; "unknown" says nothing).  False
 * with the reason in why when the file names no platform, an unknown one,
 * several, or contradicts itself. */
bool fpj_platform_auto(const struct fpj_file *f, enum platform_model *m, char *why,
		       size_t n);

enum fpj_status {
	FPJ_MATCH,              /* every cell as the model says                */
	FPJ_MISMATCH,           /* at least one cell differs                   */
	FPJ_UNKNOWN,            /* the model cannot place the record           */
	FPJ_NOT_MODELLED,       /* a record type without an access             */
	FPJ_NO_OBSERVATION,     /* an expectation row asserting no outcome, or
	                           a prot32 probe whose set-up faulted         */
};

#define FPJ_MAX_CELLS 24
#define FPJ_MAX_MAP 4

/* A record's map= pages (fpjudge.c, mapped_pages): the page model of the
 * record's context with these pages laid over it. */
struct fpj_map {
	void (*base)(void *ctx, uint64_t linear, struct page_info *out);
	void *base_ctx;         /* what base is called with                   */
	unsigned n;
	struct { uint64_t va; struct page_info pi; } page[FPJ_MAX_MAP];
};

/* The pages a record's family mapped for its probes (scratch=): `lo`
 * 0x7ffffffff000 and `hi` 0xffff800000000000 (the straddle family),
 * `ro-stack` (badstack) and `pads` (sysret) with their own attributes
 * (tools/fpjudge.c scratch_pages), or page addresses in hex, joined by '+'
 * (repfault, fsgs, la57ops); present and
 * writable, supervisor pages unless scratch_user=1 (and always user pages
 * in faultprobe-user, which maps them with mmap). */
#define FPJ_SCRATCH_MAX 8
struct fpj_scratch {
	enum fpj_pages pages;   /* what the rest of the address space is       */
	bool user;              /* U/S = 1                                     */
	bool ro_stack;          /* scratch=ro-stack (badstack): RO_PAGE        */
	bool pads;              /* scratch=pads (sysret): its landing pads and
	                           user stack page                             */
	unsigned n;
	uint64_t page[FPJ_SCRATCH_MAX];
};

struct fpj_cell {
	const char *key;
	char want[48];
	char got[48];
	bool match;
};

struct fpj_result {
	enum fpj_status status;
	char why[240];          /* FPJ_UNKNOWN: the reason                     */
	unsigned ncells, nmismatch;
	struct fpj_cell cells[FPJ_MAX_CELLS];
	struct platform_outcome outcome;   /* the model's answer             */
	bool has_access;        /* access / access32 below are filled          */
	bool is32;
	struct access access;
	struct fpj_scratch scratch;        /* access.page_ctx points here   */
	struct access32 access32;
	struct fpj_map map;     /* access's map= pages (access.page_ctx)       */
};

/* The keys of a record whose event delivery is modelled (probes/
 * probe_record.c probe_record_delivery: vendor, ist, df_ist, bad_rsp; for
 * sysret/iretq also ret_cs, ret_ss, cs_desc, ss_desc, ret_rsp, land), read
 * through get(ctx, key) into *a (a->op set first).  0: the record has none
 * of them; 1: read, a->deliver set; -1: one is missing or does not parse,
 * *bad names the group.  fpjudge reads log records with it, fpcheck --lint
 * expectation rows. */
int fpj_delivery_keys(const char *(*get)(const void *ctx, const char *key), const void *ctx,
		      struct access *a, const char **bad);

/* Judges record i of f against model m. */
void fpj_judge(const struct fpj_file *f, size_t i, enum platform_model m,
	       struct fpj_result *res);

/* Whether fpj_judge judges records of this type (probe, frame, prot32,
 * vmcore kind=fault). */
bool fpj_judges_type(const struct log_line *l);
/* ... and whether this log record is one it compares (its probe ran: not a
 * prot32 probe whose set-up faulted).  fpcheck --strict --platform needs an
 * expectation row for every other record. */
bool fpj_judges_record(const struct log_line *l);

struct fpj_summary {
	unsigned records;       /* record lines read                           */
	unsigned judged;        /* records compared cell by cell               */
	unsigned cells;         /* key values compared                         */
	unsigned matched;       /* records with every cell as the model says  */
	unsigned mismatched;    /* records with a differing cell               */
	unsigned cells_differ;
	unsigned unknown;       /* records the model could not place           */
	unsigned not_modelled;  /* record types without an access              */
	unsigned no_observation;
	unsigned deviating;     /* judged records where the model departs from
	                           the manuals (carries a named deviation)     */
	unsigned ndevnames;
	struct { const char *name; unsigned count; } devs[16];
};

/* Judges every record of f, prints each mismatch and unknown record (at
 * most `max_report` of each, 0 = all) to `out` prefixed with `prog`, and
 * fills *s.  Returns 0 when every judged record matched, none was unknown
 * and none failed to parse; 1 otherwise. */
int fpj_check_file(const struct fpj_file *f, enum platform_model m, const char *prog,
		   FILE *out, unsigned max_report, struct fpj_summary *s);

/* One line: "N records, J judged (C cells): all match | M differ ...". */
void fpj_print_summary(FILE *out, const char *prog, const struct fpj_file *f,
		       enum platform_model m, const struct fpj_summary *s);

/* The whole check of one file, as fpcheck --platform and fpmodel run it:
 * load `path`; refuse a log without its `faultprobe: done` line
 * (truncated), a platform that cannot be determined (`platform` "auto") or
 * an unknown model name; judge every record; print the differing and
 * unknown records (up to 20 of each unless `all`) and the summary line to
 * `out`, errors to stderr.  Returns 0 (all judged records match, none
 * unknown or unparsable, and -- with need_records -- at least one judged),
 * 1 (they do not) or 2 (the file cannot be checked).  *s gets the counts
 * when non-NULL.  fpcheck passes need_records = false: a log of sets
 * without accesses (e.g. sets=la57 on a CPU without LA57) is left to its
 * expectation files. */
int fpj_run(const char *prog, const char *path, const char *platform, FILE *out, bool all,
	    bool need_records, struct fpj_summary *s);
/* fpj_run, calling each(ctx, line number, result) for every record judged
 * or not (fpcheck's per-record TAP verdicts). */
typedef void (*fpj_each_fn)(void *ctx, unsigned lineno, const struct fpj_result *r);
int fpj_run_each(const char *prog, const char *path, const char *platform, FILE *out, bool all,
		 bool need_records, struct fpj_summary *s, fpj_each_fn each, void *ctx);

#endif
