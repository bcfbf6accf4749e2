; Stubs of the repfault family (probes/repfault/repfault.c): a rep string
; instruction whose source or destination runs from a scratch page into an
; absent page.  rdi = the probed address (stos: RDI; movs: RSI), rcx =
; probe_ctx.arg2 (the count), movs: rdi = probe_ctx.arg3 (the destination).
; Stores go only to the family's scratch pages (or fault on the absent one).
;
; On a fault the frame keeps RCX/RSI/RDI as the CPU left them (how far the
; instruction got) and the saved RIP is the rep instruction (SDM Vol. 3 6.5,
; 8.2.4.1); without a fault the stub keeps the final RCX in probe_ctx.value.
; The *_down stubs run with DF = 1 (std); the fault path's frame has DF = 1
; and the executor clears it before resuming, the fall-through path cld's.
%include "probes/probe.inc"

bits 64
default rel

section .probetext

%macro REPFAULT_STOS 2           ; width suffix, instruction
PROBE_BEGIN probe_repfault_stos%1
	mov rcx, [rel probe_ctx + PCTX_ARG2]
	mov rax, 0x5a5a5a5a5a5a5a5a
	PROBE_INSN rep %2
	mov [rel probe_ctx + PCTX_VALUE], rcx
PROBE_END
PROBE_BEGIN probe_repfault_stos%1_down
	mov rcx, [rel probe_ctx + PCTX_ARG2]
	mov rax, 0x5a5a5a5a5a5a5a5a
	std
	PROBE_INSN rep %2
	cld
	mov [rel probe_ctx + PCTX_VALUE], rcx
PROBE_END
%endmacro

%macro REPFAULT_MOVS 2
PROBE_BEGIN probe_repfault_movs%1
	mov rsi, rdi
	mov rdi, [rel probe_ctx + PCTX_ARG3]
	mov rcx, [rel probe_ctx + PCTX_ARG2]
	PROBE_INSN rep %2
	mov [rel probe_ctx + PCTX_VALUE], rcx
PROBE_END
PROBE_BEGIN probe_repfault_movs%1_down
	mov rsi, rdi
	mov rdi, [rel probe_ctx + PCTX_ARG3]
	mov rcx, [rel probe_ctx + PCTX_ARG2]
	std
	PROBE_INSN rep %2
	cld
	mov [rel probe_ctx + PCTX_VALUE], rcx
PROBE_END
%endmacro

REPFAULT_STOS b, stosb
REPFAULT_STOS w, stosw
REPFAULT_STOS d, stosd
REPFAULT_STOS q, stosq
REPFAULT_MOVS b, movsb
REPFAULT_MOVS w, movsw
REPFAULT_MOVS d, movsd
REPFAULT_MOVS q, movsq
