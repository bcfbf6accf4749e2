/* probe_ctx (probes/exec.h) in faultprobe-user: what the executor
 * (exec_user.c) and the stubs (probes/probe.inc, fsgsbase_probe.asm) share
 * while a probe runs -- its own file, as probes/probe_ctx.c in the kernel,
 * so that neither depends on the other's code. */
#include "../../probes/exec.h"

struct probe_ctx probe_ctx;
