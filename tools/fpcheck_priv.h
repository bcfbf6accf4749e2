/* fpcheck's internals, shared by tools/fpcheck_core.c (log, matching,
 * expectations), tools/fpcheck_lint.c (the rule lint) and
 * tools/fpcheck_tap.c (verdicts and TAP).  Not an interface: use
 * fpcheck_core.h. */
#ifndef FP_FPCHECK_PRIV_H
#define FP_FPCHECK_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "fpcheck_core.h"
#include "logparse.h"
#include "../probes/model/access.h"

#define KEEP_GLOBAL_FAILURES 5   /* quoted in the run test's diagnostic */

/* One record line of the log (in log order).  Malformed lines are kept too,
 * with the reason, so that TAP names them where they were. */
struct record {
	struct log_line line;        /* points into fpc->log */
	unsigned lineno;
	const char *malformed;       /* owned reason, or NULL */
	bool is_skip;                /* faultprobe-user's `skip` line */
	unsigned matched;            /* expectations whose identity selected it */
	unsigned mismatches;         /* asserted keys that differed */
	char *first_mismatch;        /* owned */
	const struct expectation *expect;
	signed char model;           /* platform model: 1 match, -1 differs or
	                                cannot place it, 0 not judged */
	char *model_why;             /* owned: the differing cells, or why not placed */
	char *model_dev;             /* owned: the model's deviation names, or NULL */
};

/* Expectation: type, identity pairs, asserted pairs, comment. */
struct expectation {
	char *text, *rhs;            /* owned; the pairs point into them */
	struct log_line ident, assert;
	const char *comment;
	const char *file;            /* points into fpc->files */
	unsigned lineno;
	bool is_summary;
};

/* Records sorted by the value of one key: finds an expectation's
 * candidates without scanning the whole log (issue 14 #3). */
struct key_index {
	char *key;
	struct { const char *val; unsigned rec; } *ents;
	size_t n;
};

enum page_model { PAGES_KERNEL, PAGES_LINUX_USER };

struct fpc {
	struct fpc_options o;
	char *log;                   /* owned copy, parsed in place */
	const char *log_name;
	bool log_loaded;
	struct record *recs;
	size_t nrecs, caprecs;
	char *summary;               /* the part after "faultprobe: done" */
	char *run_why;               /* why the run as a whole failed, or NULL */
	unsigned summary_lineno;
	struct expectation **exps;
	size_t nexps, capexps;
	char **files;
	size_t nfiles;
	struct key_index **idx;      /* pointers: an index never moves */
	size_t nidx;
	unsigned failures, checked, linted, malformed, skipped, nknown;
	unsigned global_failures;    /* failures not tied to one record */
	char *global_why[KEEP_GLOBAL_FAILURES];
	enum page_model file_pages;
	uint64_t lint_scratch[8];    /* the linted row's scratch= pages       */
	unsigned lint_nscratch;
	bool lint_scratch_user;      /* ... user pages (scratch_user=1)       */
	bool lint_scratch_ro, lint_scratch_pads; /* scratch=ro-stack / pads    */
	/* The linted row's map= pages (probes/model/page_desc.h: the scratch
	 * pages of the align, smap and pgprot families with the flags they
	 * had when the probe ran). */
	struct { uint64_t va; struct page_info pi; } lint_map[4];
	unsigned lint_nmap;
	/* `# vendor: amd` in an expectation file: the rule model's vendor for
	 * its rows (vendor-specific rules, probes/model/rules_align.c);
	 * Intel otherwise. */
	enum cpu_vendor file_vendor;
	char *deviation_names;       /* "\nname\nname\n" from the doc's headings */
};

void *fpc_xrealloc(void *p, size_t n);
char *fpc_xstrdup(const char *s);
/* A failure not tied to one record (an expectation, the summary, ...). */
void fpc_failf(struct fpc *c, const char *file, unsigned lineno, const char *msg, const char *detail);
/* Lints one parsed expectation (fpcheck_lint.c). */
void fpc_lint_expectation(struct fpc *c, const struct expectation *e);

#endif
