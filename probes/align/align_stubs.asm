; Alignment probes (probes/align/align.c): instructions that require an
; aligned operand (SDM Vol. 2 MOVAPS, MOVDQA, VMOVAPS, VMOVDQA, CMPXCHG16B,
; FXSAVE, FXRSTOR, XSAVE).  void stub(uint64_t addr, uint64_t rsp_adjust):
; the operand address is addr, through the base register the name says
; (rax/rsi: DS; rbp: SS).  Stores write only scratch pages (the executor's
; safety rule refuses anything else).
%include "probes/probe.inc"

bits 64
default rel

%macro VEC_LOAD 2+                  ; name, instruction with [rax]
PROBE_BEGIN %1
	mov rax, rdi
	PROBE_INSN %2
PROBE_END
%endmacro

%macro VEC_LOAD_RBP 2+              ; name, instruction with [rbp]
PROBE_BEGIN %1
	mov rbp, rdi
	PROBE_INSN %2
PROBE_END
%endmacro

%macro VEC_STORE 2+                 ; name, instruction with [rax]
PROBE_BEGIN %1
	mov rax, rdi
	pxor xmm0, xmm0
	PROBE_INSN %2
PROBE_END
%endmacro

VEC_LOAD   align_movaps_load,      movaps xmm0, [rax]
VEC_STORE  align_movaps_store,     movaps [rax], xmm0
VEC_LOAD   align_movdqa_load,      movdqa xmm0, [rax]
VEC_STORE  align_movdqa_store,     movdqa [rax], xmm0
VEC_LOAD   align_vmovaps_x_load,   vmovaps xmm0, [rax]
VEC_STORE  align_vmovaps_x_store,  vmovaps [rax], xmm0
VEC_LOAD   align_vmovaps_y_load,   vmovaps ymm0, [rax]
VEC_STORE  align_vmovaps_y_store,  vmovaps [rax], ymm0
VEC_LOAD   align_vmovdqa_y_load,   vmovdqa ymm0, [rax]
VEC_LOAD_RBP align_movaps_load_rbp,    movaps xmm0, [rbp]
VEC_LOAD_RBP align_vmovaps_y_load_rbp, vmovaps ymm0, [rbp]

; CMPXCHG16B m128: compares RDX:RAX with the operand, writes RCX:RBX or
; (on a mismatch) the old value back: a write either way (SDM Vol. 2).
PROBE_BEGIN align_cmpxchg16b
	mov rsi, rdi
	xor eax, eax
	xor edx, edx
	xor ebx, ebx
	xor ecx, ecx
	PROBE_INSN lock cmpxchg16b [rsi]
PROBE_END

PROBE_BEGIN align_fxsave
	mov rsi, rdi
	PROBE_INSN fxsave [rsi]
PROBE_END

PROBE_BEGIN align_fxrstor
	mov rsi, rdi
	PROBE_INSN fxrstor [rsi]
PROBE_END

; XSAVE with EDX:EAX = 3 (x87 | SSE): the legacy region and the header,
; 576 bytes (SDM Vol. 1 13.4); needs CR4.OSXSAVE (idt/cpufeat.c).
PROBE_BEGIN align_xsave
	mov rsi, rdi
	mov eax, 3
	xor edx, edx
	PROBE_INSN xsave [rsi]
PROBE_END
