/* faultprobe-user: the kernel's probe stubs and probe sets, run at CPL 3
 * as a Linux x86-64 program.  The probe sets (probes/seed.c, and the matrix
 * once it exists) are linked unchanged; this directory supplies what they
 * call in the kernel: probe_run() (tools/user/uprobe.c: a SIGSEGV/SIGBUS
 * handler in place of the IDT, resuming through the same .extable) and
 * report_*() (tools/user/ureport.c: the same record lines on stdout). */
#ifndef FP_USER_H
#define FP_USER_H

#include <stdbool.h>
#include <stdint.h>
#include "../../probes/probe.h"

struct user_env {
	unsigned paging_levels;    /* 4, or 5 when Linux runs with LA57      */
	bool nxe, smep, smap, lass, pti;
	enum cpu_vendor vendor;
	uint64_t vsyscall_lo, vsyscall_hi;  /* [vsyscall] from /proc/self/maps */
};
extern struct user_env user_env;

/* uprobe.c */
void user_env_init(void);
int user_signals_init(void);        /* alternate stack + handlers; -1 on error */

/* Why the last probe_run() did not run its stub (NULL: it ran). */
extern const char *user_last_skip;

/* Which signal delivered the last fault, and its si_code. */
extern int user_last_signo, user_last_sicode;
/* The SS slot of the last fault's REG_CSGSFS is valid (UC_SIGCONTEXT_SS). */
int user_last_ss_valid(void);

/* umatrix.c: the probe matrix at CPL 3 (spec: matrix_filter_parse syntax,
 * or NULL for everything).  -1 when it cannot run. */
struct options;
int user_run_matrix(const struct options *opts, const char *spec);

/* ureport.c */
void user_report_init(bool table);
void user_report_header(void);
void user_report_summary(void);
unsigned user_report_failures(void);  /* records that overflowed */
bool user_report_table(void);         /* the human table goes to stderr */
/* From the signal handler, for a fault no probe expected: async-signal-safe
 * crash report and summary (unexpected=1) with write(2). */
void user_report_crash(int sig, uint64_t rip, uint64_t trapno, uint64_t err);

#endif
