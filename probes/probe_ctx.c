/* probe_ctx (exec.h): what the executor, the stubs (probes/probe.inc) and
 * the ring-3 thunk (probes/ring3.asm) share while a probe runs.  Its own
 * file so that each of them depends on it and none on another's code. */
#include "exec.h"

/* On a page of its own (linker.ld): ring-3 probes map this page
 * user-accessible while they run, and nothing else may be exposed with it. */
struct probe_ctx probe_ctx __attribute__((aligned(4096), section(".bss.probe_ctx")));

/* probes/probe.inc and probes/ring3.asm use these offsets. */
_Static_assert(__builtin_offsetof(struct probe_ctx, pre_rsp) == 0, "PCTX_PRE_RSP");
_Static_assert(__builtin_offsetof(struct probe_ctx, restore_rsp) == 8, "PCTX_RESTORE_RSP");
_Static_assert(__builtin_offsetof(struct probe_ctx, value) == 16, "PCTX_VALUE");
_Static_assert(__builtin_offsetof(struct probe_ctx, armed) == 24, "PCTX_ARMED");
_Static_assert(__builtin_offsetof(struct probe_ctx, wildcard_resume) == 32, "PCTX_WILDCARD");
_Static_assert(__builtin_offsetof(struct probe_ctx, faulted) == 48, "PCTX_FAULTED");
_Static_assert(__builtin_offsetof(struct probe_ctx, arg2) == 56, "PCTX_ARG2");
_Static_assert(__builtin_offsetof(struct probe_ctx, arg3) == 64, "PCTX_ARG3");
