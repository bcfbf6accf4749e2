/* The run's report: header, set banners, record lines, the human table
 * and oops-style dumps for probes, notes, the summary line, the crash
 * report and the exit status.  Report formats and sends what it is handed
 * (struct rec, struct oops_info, struct run_facts); it calls no probe. */
#ifndef FP_REPORT_H
#define FP_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include "facts.h"
#include "oops.h"
#include "rec.h"

/* quiet: records only, no human table, no per-probe dumps. */
void report_configure(bool quiet);
/* The run's first lines: the title, CPU vendor/model/hypervisor/platform,
 * brand.  Also hands the facts to the summary page. */
void report_header(const struct run_facts *facts);
/* Update the summary page's facts (e.g. the microcode, read later). */
void report_update_facts(const struct run_facts *facts);

/* Start a probe set: its title and, unless quiet, the table header. */
void report_set_begin(const char *set, const char *description);

/* What report needs besides a `probe` record to count it, show it and
 * dump it. */
struct probe_view {
	const char *set;           /* per-set counts (static storage)          */
	bool faulted;
	bool agrees;
	bool segment_blind;        /* agrees, but the platform answers the same
	                              through either segment: not evidence     */
	bool compact;              /* record line only: no table row, no dump  */
	const struct oops_info *dump;   /* the fault's dump, or NULL           */
};
/* Gives the record its id (inserted as the first field, `id=`), sends the
 * line, and unless compact or quiet a table row and the dump.  Returns
 * the id. */
unsigned report_probe(struct rec *r, const struct probe_view *v);
/* A probe that was not run (a page it would touch exists): its `skip`
 * record gets an id like a probe; counted apart. */
unsigned report_skip(struct rec *r);
/* Any other record type: the line goes to the log. */
void report_record(const struct rec *r);
/* The same, on the screen too (a record a reader should see). */
void report_record_shown(const struct rec *r);

void report_note(const char *line);     /* log and screen              */
void report_log(const char *line);      /* log only (serial, stdout)   */
void report_finding(const char *line);  /* a key line for the summary page */

/* The summary lines and the exit status (complete, or incomplete when a
 * record line did not fit). */
__attribute__((noreturn)) void report_finish(void);
/* An exception nobody expected: the oops on log and screen, the summary
 * with unexpected=1, exit status "crash". */
__attribute__((noreturn)) void report_crash(const struct oops_info *o);
/* A fault inside the crash report itself. */
__attribute__((noreturn)) void report_crash_nested(void);

#endif
