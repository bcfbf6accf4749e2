/* fpcheck core: check a faultprobe serial log against expectation files, and
 * say per record whether it matches what its platform is known to do.
 * The command-line tool is tools/fpcheck.c; tests/fuzz/fuzz_fpcheck.c drives
 * the same code from memory.
 *
 * Order of use: fpc_new, fpc_load_log_* (unless lint only), fpc_expect_*
 * for every expectation file, fpc_finish, then fpc_write_tap / fpc_counts,
 * fpc_free.  Expectation format: docs/testing.md.  Log lines: a trailing
 * '\n' and any '\r' before it are dropped (tools/logparse.h); `probe` and
 * `skip` records must follow the record contract (tools/record_contract.h)
 * or they are malformed: named, counted as a failure, never compared. */
#ifndef FP_FPCHECK_CORE_H
#define FP_FPCHECK_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define FPC_MAX_EXPECT_LINE 8191 /* a longer expectation line is refused */
#define FPC_MAX_FILE (1ul << 30) /* larger logs are refused (1 GiB) */

struct fpc_options {
	bool strict;                 /* every record needs an expectation */
	FILE *diag;                  /* failure messages; NULL: silent */
	const char *deviations_doc;  /* DEVIATION names must be its ## headings; NULL: not checked */
	const char *platform;        /* judge records against this platform model
	                                ("auto": the one the log names; NULL: none) */
};

struct fpc_counts {
	unsigned records;            /* well-formed records of a known type */
	unsigned malformed;          /* record lines that broke the contract */
	unsigned skipped;            /* `skip` records (faultprobe-user) */
	unsigned checked;            /* expectations checked against the log */
	unsigned linted;             /* probe expectations linted */
	unsigned failures;           /* everything that makes fpcheck fail */
	bool have_summary;           /* a `faultprobe: done` line */
};

struct fpc;

struct fpc *fpc_new(const struct fpc_options *o);
void fpc_free(struct fpc *c);

/* Loads the log (once).  0, or -1 when it cannot be read (the reason is
 * printed to diag and counted as a failure). */
int fpc_load_log_mem(struct fpc *c, const char *name, const char *data, size_t len);
int fpc_load_log_file(struct fpc *c, const char *path);

/* With o.platform: judges every record of the log file at `path` (the one
 * loaded) against the platform model, cell by cell (tools/fpjudge.h),
 * printing differences and the model's summary to `out`; a record the model
 * judges needs no expectation row under strict, and its TAP verdict is the
 * model's.  Returns the number of failures to add (differing or unplaced
 * records), or -1 when the log cannot be judged (printed to stderr). */
int fpc_apply_model(struct fpc *c, const char *path, FILE *out);

/* Lints every expectation and, when `check`, checks it against the log. */
void fpc_expect_mem(struct fpc *c, const char *name, const char *data, size_t len, bool check);
int fpc_expect_file(struct fpc *c, const char *path, bool check);

/* After the last expectation file: the run as a whole (a `faultprobe: done`
 * line with unexpected=0, else a failure) and, in strict mode, records
 * without an expectation. */
void fpc_finish(struct fpc *c);

void fpc_counts(const struct fpc *c, struct fpc_counts *out);

/* TAP 13 (the shape kvm-unit-tests prints): one test per record in log
 * order (probe records named by their cell; `skip` records as # SKIP;
 * malformed record lines as failures), then one test for the run itself
 * (a `faultprobe: done` line with unexpected=0, no failure outside the
 * records).  Each test carries a YAML diagnostic: the record's rule=,
 * agrees= and, where the platform disagrees with the manuals, the
 * deviation's name — a finding, not a failure. */
void fpc_write_tap(const struct fpc *c, FILE *out);

#endif
