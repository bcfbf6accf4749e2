; SMAP probes with STAC (probes/smap/smap.c): STAC sets RFLAGS.AC, which
; lets an explicit supervisor-mode data access reach a user page with
; CR4.SMAP = 1 (SDM Vol. 3 4.6.1; Vol. 2 STAC).  CLAC after; if the access
; faults, the executor resumes with AC clear (probes/exec.c).
%include "probes/probe.inc"

bits 64
default rel

PROBE_BEGIN smap_stac_load
	mov rax, rdi
	stac
	PROBE_INSN mov rbx, [rax]
	clac
	mov [rel probe_ctx + PCTX_VALUE], rbx
PROBE_END

PROBE_BEGIN smap_stac_store
	mov rax, rdi
	xor ebx, ebx
	stac
	PROBE_INSN mov [rax], rbx
	clac
PROBE_END
