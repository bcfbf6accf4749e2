/* faultprobe-user: the kernel's families at CPL 3 as a Linux x86-64
 * program.  The families, the probe record, the report and the model are
 * linked unchanged; this folder supplies what the kernel's lower layers
 * supply there: the executor (exec_user.c: a signal handler in place of the
 * IDT, resuming through the same .extable), the probe environment
 * (env_user.c: mincore and /proc/self/maps in place of the page tables),
 * the console (stdout/stderr) and the exit. */
#ifndef FP_USER_H
#define FP_USER_H

#include <stdbool.h>
#include <stdint.h>
#include "../../probes/probe.h"
#include "../../report/facts.h"

struct user_env {
	unsigned paging_levels;    /* 4, or 5 when Linux runs with LA57      */
	bool nxe, smep, smap, lass, pti;
	uint64_t vsyscall_lo, vsyscall_hi;  /* [vsyscall] from /proc/self/maps */
};
extern struct user_env user_env;

/* env_user.c: reads /proc/cpuinfo and /proc/self/maps, fills the probe
 * environment (platform linux-user, everything at CPL 3). */
void user_env_init(struct probe_env *env, const struct run_facts *facts, bool quiet);
/* The "host kernel=..." line and the hypervisor note. */
void user_env_header(const struct run_facts *facts);

/* exec_user.c: alternate stack + signal handlers; -1 on error. */
int user_signals_init(void);

/* console_user.c: the human table (con_write) goes to stderr, or nowhere. */
void user_console_init(bool table);
/* exit_user.c: false when stdout could not be written (then the exit
 * status says so). */
bool user_output_ok(void);

#endif
