; The seed's two instructions, byte for byte (BRIEF.md; seeds 000/001):
;   get_freepointer in __kmalloc:        mov 0x0(%rbp,%rax,1),%rbx  48 8b 5c 05 00
;   kmem_cache_alloc_trace (case 5645):  mov (%r15,%rax,1),%rbx     49 8b 1c 07
; with rax = 0 and the base register = the probed address.
%include "probes/probe.inc"

bits 64
section .probetext

PROBE_BEGIN probe_seed_load_rbp
	mov rbp, rdi
	xor eax, eax
	PROBE_INSN mov rbx, [rbp + rax*1 + 0]
	mov [rel probe_ctx + PCTX_VALUE], rbx
PROBE_END

PROBE_BEGIN probe_seed_load_r15
	mov r15, rdi
	xor eax, eax
	PROBE_INSN mov rbx, [r15 + rax*1]
	mov [rel probe_ctx + PCTX_VALUE], rbx
PROBE_END
