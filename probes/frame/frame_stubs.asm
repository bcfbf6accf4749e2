; Frame-check probes (probes/frame/frame.c): the seed's two instructions
; (probes/seed/seed_stubs.asm, byte for byte), preceded by poisoning the stack
; below RSP so the frame check can tell untouched slots (the alignment pad,
; SDM Vol. 3 6.14.2) from written ones, and whether the CS/SS slots were
; written as zero-extended 8-byte stores (6.14).  The poisoning runs after
; PROBE_BEGIN has lowered RSP by rsp_adjust, so nothing live is touched and
; nothing touches the poisoned area before the probed instruction.
%include "probes/probe.inc"

bits 64
section .probetext

%define FRAME_POISON   0x5ec0de5ec0de5ec0   ; probes/model/frame_rules.h
%define POISON_QWORDS  32                   ; 256 bytes below RSP

; Fill [rsp - 8*POISON_QWORDS, rsp) with the poison; clobbers rax, rcx.
%macro POISON_BELOW_RSP 0
	mov rax, FRAME_POISON
	mov rcx, -POISON_QWORDS
%%fill:
	mov [rsp + rcx*8], rax
	inc rcx
	jnz %%fill
%endmacro

; Like PROBE_INSN, with global labels on the instruction and the next one
; so the check can tell "faulting insn" from "next insn" (SDM Vol. 3 6.5).
%macro FRAME_INSN 2+
	mov [rel probe_ctx + PCTX_PRE_RSP], rsp
global %1_insn, %1_next
%1_insn:
	%2
%1_next:
[section .extable]
	dq %1_insn, %$resume
__SECT__
%endmacro

PROBE_BEGIN probe_frame_load_rbp
	mov r12, rdi
	POISON_BELOW_RSP
	mov rbp, r12
	xor eax, eax
	FRAME_INSN probe_frame_load_rbp, mov rbx, [rbp + rax*1 + 0]   ; 48 8b 5c 05 00
	mov [rel probe_ctx + PCTX_VALUE], rbx
PROBE_END

PROBE_BEGIN probe_frame_load_r15
	mov r12, rdi
	POISON_BELOW_RSP
	mov r15, r12
	xor eax, eax
	FRAME_INSN probe_frame_load_r15, mov rbx, [r15 + rax*1]       ; 49 8b 1c 07
	mov [rel probe_ctx + PCTX_VALUE], rbx
PROBE_END
