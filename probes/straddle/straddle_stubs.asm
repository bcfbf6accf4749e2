; String stubs of the straddle family (probes/straddle/straddle.c): a rep
; string instruction whose destination or source runs from the present
; page before the non-canonical hole into the hole (or, with DF = 1, from
; the first page after it down into it).  rdi/rsi = the probed address,
; rcx = probe_ctx.arg2 (the count).  Stores go only to the family's scratch
; pages (the address runs from one into the hole) or nowhere.
;
; A rep string instruction that faults part-way leaves RCX, RSI and RDI
; describing the remaining iterations, and the saved RIP is the instruction
; itself, so it can be restarted (SDM Vol. 2 REP/REPE/REPZ..., "Operation";
; Vol. 3 6.5: a fault).  The fault path keeps the registers in the frame;
; without a fault the stub leaves the final RCX in probe_ctx.value.
%include "probes/probe.inc"

bits 64
default rel

%define SCRATCH_LO_BASE 0x00007ffffffff000   ; probes/straddle/straddle.c

section .probetext

; rep stosb upward from rdi = addr
PROBE_BEGIN probe_straddle_rep_stosb
	mov rcx, [rel probe_ctx + PCTX_ARG2]
	mov al, 0x5a
	PROBE_INSN rep stosb
	mov [rel probe_ctx + PCTX_VALUE], rcx
PROBE_END

; std; rep stosb downward from rdi = addr (DF = 1: RDI decrements).  The
; fault path's frame has DF = 1; the executor clears it before resuming.
PROBE_BEGIN probe_straddle_rep_stosb_down
	mov rcx, [rel probe_ctx + PCTX_ARG2]
	mov al, 0x5a
	std
	PROBE_INSN rep stosb
	cld
	mov [rel probe_ctx + PCTX_VALUE], rcx
PROBE_END

; rep movsb from rsi = addr (the source runs into the hole) to the start
; of the low scratch page
PROBE_BEGIN probe_straddle_rep_movsb_src
	mov rsi, rdi
	mov rdi, SCRATCH_LO_BASE
	mov rcx, [rel probe_ctx + PCTX_ARG2]
	PROBE_INSN rep movsb
	mov [rel probe_ctx + PCTX_VALUE], rcx
PROBE_END
