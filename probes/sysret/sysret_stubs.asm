; Stubs of the sysret family (probes/sysret/sysret.c).  rdi = the return's
; target (RCX for SYSRET, the RIP image for IRETQ); probe_ctx.arg2 points
; at a struct ret_image (sysret.c): { rip, cs, rflags, rsp, ss, use_rsp }.
;
; The return either faults itself (.extable: resume at PROBE_END), or
; completes and something at the target faults or traps, possibly at CPL 3
; and on RSP0: the wildcard resume brings that back to PROBE_END too (the
; executor resumes in ring 0 on the stub's own stack, probes/exec.c).  A
; #DF resumes at the stub's own resume point (probe_ctx.expect_resume).
%include "probes/probe.inc"

bits 64
default rel

%define IMG_CS      8
%define IMG_RFLAGS  16
%define IMG_RSP     24
%define IMG_SS      32
%define IMG_USE_RSP 40

section .probetext

%macro ARM_ANY 0
	lea rax, [rel %$resume]
	mov [rel probe_ctx + PCTX_WILDCARD], rax
%endmacro

; sysretq: RIP := RCX = rdi, RFLAGS := R11, CS/SS from IA32_STAR; RSP is
; not touched, so the stub loads the image's RSP first when use_rsp is set
; (the user stack an OS loads before SYSRET).
PROBE_BEGIN probe_sysret
	ARM_ANY
	mov rdx, [rel probe_ctx + PCTX_ARG2]
	mov rcx, rdi
	mov r11, [rdx + IMG_RFLAGS]
	cmp qword [rdx + IMG_USE_RSP], 0
	je .go
	mov rsp, [rdx + IMG_RSP]
.go:
	PROBE_INSN o64 sysret
PROBE_END

; iretq with the frame SS, RSP, RFLAGS, CS, RIP built on the stub's stack;
; RSP is the image's when use_rsp is set, else the stub's own stack.
PROBE_BEGIN probe_iretq
	ARM_ANY
	mov rdx, [rel probe_ctx + PCTX_ARG2]
	mov rax, rsp
	cmp qword [rdx + IMG_USE_RSP], 0
	je .frame
	mov rax, [rdx + IMG_RSP]
.frame:
	push qword [rdx + IMG_SS]
	push rax
	push qword [rdx + IMG_RFLAGS]
	push qword [rdx + IMG_CS]
	push rdi
	PROBE_INSN iretq
PROBE_END
