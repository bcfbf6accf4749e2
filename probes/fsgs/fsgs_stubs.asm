; Stubs of the fsgs family (probes/fsgs/fsgs.c): loads of the FS/GS base.
; rdi = the value to load.  Each stub puts the base back to 0 after reading
; it back into probe_ctx.value (the kernel keeps both bases 0, probes/
; facts.c; faultprobe-user zeroes the base around the stub and restores
; glibc's TLS pointer afterwards, tools/user/exec_user.c).  A load that
; faults changes nothing (SDM Vol. 3 6.5: a fault leaves the state before
; the instruction).
%include "probes/probe.inc"

bits 64
default rel

section .probetext

; wrfsbase/wrgsbase rdi (F3 REX.W 0F AE /2, /3); #UD when CR4.FSGSBASE = 0
%macro FSGS_WRBASE 3               ; name, write, read
PROBE_BEGIN %1
	PROBE_INSN %2 rdi
	%3 rax
	mov [rel probe_ctx + PCTX_VALUE], rax
	xor eax, eax
	%2 rax
PROBE_END
%endmacro

FSGS_WRBASE probe_fsgs_wrfsbase, wrfsbase, rdfsbase
FSGS_WRBASE probe_fsgs_wrgsbase, wrgsbase, rdgsbase

; wrmsr MSR <- rdi, read back with rdmsr, then 0
%macro FSGS_WRMSR 2                ; name, MSR number
PROBE_BEGIN %1
	mov ecx, %2
	mov rax, rdi
	mov rdx, rdi
	shr rdx, 32
	PROBE_INSN wrmsr
	rdmsr
	shl rdx, 32
	mov eax, eax
	or rax, rdx
	mov [rel probe_ctx + PCTX_VALUE], rax
	xor eax, eax
	xor edx, edx
	wrmsr
PROBE_END
%endmacro

FSGS_WRMSR probe_fsgs_wrmsr_fs_base, 0xC0000100        ; IA32_FS_BASE
FSGS_WRMSR probe_fsgs_wrmsr_gs_base, 0xC0000101        ; IA32_GS_BASE
FSGS_WRMSR probe_fsgs_wrmsr_kernel_gs_base, 0xC0000102 ; IA32_KERNEL_GS_BASE
