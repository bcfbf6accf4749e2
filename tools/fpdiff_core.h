/* fpdiff core: load two faultprobe logs and compare them cell by cell.
 * Host C with libc; the command-line tool is tools/fpdiff.c, the unit tests
 * tests/unit/test_fpdiff.c.
 *
 * A cell is one probe: the `probe` record identified by
 *     set op base index seg width cpl paging adjust addr
 * (cpl left out when the runs are at different privilege levels, see
 * enum fpd_cpl_mode).  For each cell present in both logs the compared
 * fields are the vector, the error code and CR2 (plus, with --frame, the
 * RF bit of the saved RFLAGS, rip_at and saved_rsp):
 *   - err is compared only when both vectors are equal and carry an error
 *     code; for #PF the U/S bit (bit 2) is masked (it only says which ring
 *     the probe ran in), and the P bit (bit 0) is masked when either side
 *     ran at CPL 3 and the faulting address is at or above Linux's
 *     TASK_SIZE_MAX (the last user page, 0x7ffffffff000 with 4-level paging,
 *     and the whole kernel half): Linux forces P=1 in what it reports there
 *     (arch/x86/mm/fault.c: "pretend that user-mode accesses to kernel
 *     addresses are always protection faults"), and the CPU's own P bit in
 *     the kernel half depends on KPTI.
 *   - cr2 is compared only when both vectors are #PF.
 * Malformed input never crashes the loader: each bad line becomes a warning
 * naming the file and line, and the line is ignored.  A `probe` record that
 * breaks the record contract (tools/record_contract.h: a key missing, a
 * value of the wrong shape or digit count) is malformed: counted in
 * `malformed`, never compared — serial corruption is not a finding.  Line
 * ends: '\n' with any number of '\r' before it (tools/logparse.h). */
#ifndef FP_FPDIFF_CORE_H
#define FP_FPDIFF_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "logparse.h"


/* Warnings kept per log: the first FPD_KEEP_LINE_WARNINGS about single
 * lines, and up to FPD_KEEP_FILE_WARNINGS about the whole file; the rest
 * are only counted (a log of garbage must not cost memory per line). */
#define FPD_KEEP_LINE_WARNINGS 32
#define FPD_KEEP_FILE_WARNINGS 8

struct fpd_warning {
	unsigned lineno;          /* 0: about the whole file */
	bool whole_file;          /* a summary (about the file), even with a lineno */
	char text[160];
};

struct fpd_record {
	char *text;               /* owned, parsed in place */
	struct log_line line;
	unsigned lineno;
	/* decoded */
	const char *set, *op, *base, *index, *seg, *width, *paging, *adjust;
	unsigned cpl;             /* 0 or 3; ~0u when absent */
	uint64_t addr;
	int vector;               /* VEC_NONE for none */
	bool has_err, has_cr2, has_rflags;
	uint64_t err, cr2, rflags;
	const char *rule, *rip_at, *saved_rsp, *platform;
	bool shadowed;            /* a duplicate identity: ignored in matching */
};

struct fpd_log {
	char name[256];
	struct fpd_record *recs;
	size_t nrecs, cap;
	struct fpd_warning warns[FPD_KEEP_LINE_WARNINGS + FPD_KEEP_FILE_WARNINGS];
	size_t nwarns;
	size_t line_warns;        /* line warnings, kept or not */
	size_t warns_dropped;     /* warnings counted but not kept */
	size_t malformed;         /* record lines that broke the contract (cut,
	                             garbled, binary, interleaved, too long) */
	unsigned lines;
	char platform[32];        /* from the records' platform=, "" if none */
	bool mixed_platforms;
	bool cpl3_only;           /* every record ran at CPL 3 */
	bool has_summary;         /* a `faultprobe: done` line */
};

enum fpd_cpl_mode {
	FPD_CPL_AUTO,   /* match cpl unless one log is entirely CPL 3 and the
	                   other is not (a linux-user run against a kernel run) */
	FPD_CPL_MATCH,  /* cpl is part of the identity                         */
	FPD_CPL_IGNORE, /* cpl is not part of the identity                     */
};

struct fpd_options {
	enum fpd_cpl_mode cpl_mode;
	bool frame;               /* also compare rf, rip_at, saved_rsp */
};

enum fpd_field {
	FPD_F_VECTOR = 1u << 0,
	FPD_F_ERR = 1u << 1,
	FPD_F_CR2 = 1u << 2,
	FPD_F_RF = 1u << 3,
	FPD_F_RIP_AT = 1u << 4,
	FPD_F_SAVED_RSP = 1u << 5,
};

struct fpd_diff {
	const struct fpd_record *a, *b;
	unsigned fields;          /* enum fpd_field bits that differ */
};

struct fpd_result {
	bool cpl_ignored;
	unsigned compared, differ, only_a, only_b;
	unsigned shadowed_a, shadowed_b;   /* duplicate identities left out */
	struct fpd_diff *diffs;
	size_t ndiffs;
	const struct fpd_record **only_in_a, **only_in_b;
};

/* Loaders: 0 on success (even with warnings), -1 when the file cannot be
 * read (the reason is in log->warns[0] with lineno 0). */
int fpd_log_load_mem(struct fpd_log *log, const char *name, const char *data, size_t len);
int fpd_log_load_file(struct fpd_log *log, const char *path);
void fpd_log_free(struct fpd_log *log);

/* NULL when the log can be compared; else why not (tools/fpdiff_input.c):
 * no `faultprobe: done` line (truncated), no or an unknown platform, mixed
 * platforms, or record lines that could not be read.  buf holds the text
 * when one is formatted. */
const char *fpd_log_unusable(const struct fpd_log *l, char *buf, size_t n);

/* Whether the comparison would leave cpl out of the identity. */
bool fpd_cpl_ignored(const struct fpd_log *a, const struct fpd_log *b, enum fpd_cpl_mode m);

/* Compares a and b; the result points into both logs. 0 or -1 (no memory). */
int fpd_compare(struct fpd_log *a, struct fpd_log *b, const struct fpd_options *o,
		struct fpd_result *res);
void fpd_result_free(struct fpd_result *res);

/* The compared value of a field as text ("#SS", "0x4", "0x00007f...", "-"). */
void fpd_field_text(const struct fpd_record *r, enum fpd_field f, char *buf, size_t n);
const char *fpd_field_name(enum fpd_field f);

#endif
