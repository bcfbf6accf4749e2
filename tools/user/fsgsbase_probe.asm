; faultprobe-user: is RDFSBASE enabled at CPL 3 (CR4.FSGSBASE = 1)?  Run
; through the executor (tools/user/exec_user.c exec_fsgsbase): #UD when
; CR4.FSGSBASE = 0 (SDM Vol. 2 RDFSBASE/RDGSBASE), otherwise the FS base
; lands in probe_ctx.value.  Linux's AT_HWCAP2 says whether *Linux* enabled
; it; this says whether the CPU honours it here (a hypervisor below Linux
; may have set it).
%include "probes/probe.inc"

bits 64
section .probetext

PROBE_BEGIN user_rdfsbase_probe
	PROBE_INSN rdfsbase rax
	mov [rel probe_ctx + PCTX_VALUE], rax
PROBE_END
