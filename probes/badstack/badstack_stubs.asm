; Stubs of the badstack family (probes/badstack/badstack.c): one faulting
; instruction run with RSP pointing somewhere the exception frame cannot
; go.  rdi = the probed address, probe_ctx.arg2 = the RSP to run with.
;
; RSP is loaded last, right before the instruction, and nothing between
; touches the stack (PROBE_INSN's bookkeeping is a RIP-relative store).
; Whatever happens -- the fault itself on an IST stack, a serial second
; exception, a #DF on IST1 -- the executor resumes at PROBE_END, which
; takes the stub's own RSP back from probe_ctx.  The wildcard resume covers
; an event at an unexpected RIP (an int3 delivered as a trap would come
; back past the instruction); a #DF resumes at PROBE_END too
; (probe_ctx.expect_resume, the stub's own .extable entry).
%include "probes/probe.inc"

bits 64
default rel

section .probetext

%macro ARM_ANY 0
	lea rax, [rel %$resume]
	mov [rel probe_ctx + PCTX_WILDCARD], rax
%endmacro

; push rax with RSP = rdi: the push's own stack fault, then its frame.
PROBE_BEGIN probe_badstack_push
	ARM_ANY
	mov rsp, rdi
	PROBE_INSN push rax
PROBE_END

; mov rax, [r15] with r15 = rdi (DS: #GP when non-canonical, #PF when
; absent), RSP = arg2.
PROBE_BEGIN probe_badstack_load
	ARM_ANY
	mov r15, rdi
	mov rdx, [rel probe_ctx + PCTX_ARG2]
	mov rsp, rdx
	PROBE_INSN mov rax, [r15]
	mov [rel probe_ctx + PCTX_VALUE], rax
PROBE_END

; ud2 (#UD, benign) with RSP = arg2.
PROBE_BEGIN probe_badstack_ud2
	ARM_ANY
	mov rdx, [rel probe_ctx + PCTX_ARG2]
	mov rsp, rdx
	PROBE_INSN ud2
PROBE_END

; int3 (#BP, benign, a software interrupt) with RSP = arg2.
PROBE_BEGIN probe_badstack_int3
	ARM_ANY
	mov rdx, [rel probe_ctx + PCTX_ARG2]
	mov rsp, rdx
	PROBE_INSN int3
PROBE_END
