/* The run's report: header (platform fingerprint), one record line and one
 * table row per probe, oops-style dumps for faults, the summary line and
 * the exit status. */
#ifndef FP_REPORT_H
#define FP_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include "../probes/probe.h"

struct mb2_info;
struct options;

void report_configure(const struct options *opts);
void report_header(const struct mb2_info *mb);
/* Start a probe set: prints its title and the table header. */
void report_set_begin(const char *set, const char *description);
void report_probe(const struct probe_def *d, uint64_t addr, uint64_t rsp_adjust,
		  const struct probe_result *r);
/* A free-form line that belongs to the log and the screen. */
void report_note(const char *line);
__attribute__((noreturn)) void report_finish(void);
__attribute__((noreturn)) void report_crash(const struct exc_frame *f);
/* "tcg", "kvm", "hv-<signature>" or "metal". */
const char *report_platform(void);
/* Number of `probe` records so far (= the id of the last one). */
unsigned report_probe_count(void);

#endif
