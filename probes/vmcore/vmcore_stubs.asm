; scenario=vmcore-freelist: a replay of the seed's vmcore (seed 001, probes/vmcore.c).
;
; A miniature SLUB cache whose per-CPU freelist holds 0x0072006900560338,
; the value every vmcore in seed 001 had in kmem_cache_cpu->freelist, and an
; allocation path shaped like 4.18's __kmalloc (seed 000 `dis -l __kmalloc`):
;     push %r15; push %r14; push %r13; push %r12; push %rbp; push %rbx;
;     sub $0x8,%rsp
; that reaches the inlined get_freepointer and executes the seed's exact
; instruction  mov 0x0(%rbp,%rax,1),%rbx  (48 8b 5c 05 00) with rbp = the
; freelist and rax = s->offset = 0.  A second path does the same through
; r15 (seed 001, case ECS-5645: kmem_cache_alloc_trace+138,
; mov (%r15,%rax,1),%rbx, 49 8b 1c 07); its frame shape is assumed equal.
; The registers hold what the seed's `bt -f` shows them holding (r15/r14 =
; the cache, r13 = 0xfe, r12 = rbx = si = gfp 0x6080c0, r8 = the per-CPU
; struct, cx = tid+1, dx = tid, di = s->cpu_slab, r9 = r10 = 1, r11 = 0xfe).
;
; The caller aligns RSP so that it is 8 mod 16 at the fault, as in the seed
; (sp = ...dbcf8), poisons the stack below, and at the resume point copies
; the now-dead stack (handler frame, pad, __kmalloc's frame) before anything
; reuses it, so vmcore.c can print it the way `crash> bt -f` does.
%include "probes/probe.inc"

bits 64

%define FRAME_POISON     0x5ec0de5ec0de5ec0   ; probes/framecheck.h
%define VMC_COPY_QWORDS  48                   ; probes/vmcore.c
%define VMC_COPY_BELOW   256

section .data
align 64
global vmc_kmem_cache_cpu, vmc_kmem_cache
vmc_kmem_cache_cpu:               ; struct kmem_cache_cpu (4.18)
	dq 0x0072006900560338     ;   freelist  (seed 001: 0x72006900560338)
	dq 207514                 ;   tid       (seed 001: 207514 = 0x32a9a)
	dq 0                      ;   page
	dq 0                      ;   partial
align 64
vmc_kmem_cache:                   ; struct kmem_cache (4.18), fields read here
	dq vmc_kmem_cache_cpu     ; 0x00 cpu_slab (Linux: per-CPU offset 0x28120)
	dd 0x40000000             ; 0x08 flags   (seed: 1073741824)
	dd 0
	dq 5                      ; 0x10 min_partial
	dd 256                    ; 0x18 size
	dd 256                    ; 0x1c object_size
	dd 0                      ; 0x20 offset  <- mov 0x20(%r15),%eax

section .bss
alignb 16
global vmcore_stack_copy, vmcore_copy_base
vmcore_stack_copy: resq VMC_COPY_QWORDS
vmcore_copy_base:  resq 1

section .probetext

; struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags)
align 16
kmalloc_slab:
	lea rax, [rel vmc_kmem_cache]
	ret

; void *__kmalloc(size_t size, gfp_t flags)
align 16
global __kmalloc
__kmalloc:
	nop dword [rax + rax*1 + 0]      ; [FTRACE NOP] 0f 1f 44 00 00
	push r15
	push r14
	push r13
	push r12
	push rbp
	push rbx
	sub rsp, 8
	mov r13, rdi                     ; size
	mov r12d, esi                    ; flags
	mov ebx, esi
	call kmalloc_slab                ; (seed: __kmalloc+38)
	mov r14, rax
	mov r15, r14                     ; s   (seed: __kmalloc+109)
	mov r8, [r15]                    ; c = raw_cpu_ptr(s->cpu_slab)
	mov rdx, [r8 + 8]                ; tid = c->tid
	mov rbp, [r8]                    ; object = c->freelist (seed: __kmalloc+142)
	test rbp, rbp
	jz .empty
	mov eax, [r15 + 0x20]            ; s->offset          (seed: __kmalloc+160)
	mov rdi, [r15]                   ;                    (seed: __kmalloc+164)
	lea rcx, [rdx + 1]               ; next_tid(tid)      (seed: __kmalloc+167)
	mov [rel probe_ctx + PCTX_PRE_RSP], rsp
.get_freepointer:                        ; slub.c:283 get_freepointer_safe()
	mov rbx, [rbp + rax*1 + 0]       ; 48 8b 5c 05 00     (seed: __kmalloc+171)
	mov rax, rbp                     ; (the real one goes on to cmpxchg_double)
	jmp .out
.empty:
	xor eax, eax
.out:
	add rsp, 8
	pop rbx
	pop rbp
	pop r12
	pop r13
	pop r14
	pop r15
	ret
.end:

; void *kmem_cache_alloc_trace(size_t size, gfp_t flags) -- the r15 case
align 16
global kmem_cache_alloc_trace
kmem_cache_alloc_trace:
	nop dword [rax + rax*1 + 0]
	push r15
	push r14
	push r13
	push r12
	push rbp
	push rbx
	sub rsp, 8
	mov r13, rdi
	mov r12d, esi
	mov ebx, esi
	call kmalloc_slab
	mov r14, rax
	mov rbp, r14                     ; s in rbp here
	mov r8, [rbp]
	mov rdx, [r8 + 8]
	mov r15, [r8]                    ; object = c->freelist, in r15
	test r15, r15
	jz .empty
	mov eax, [rbp + 0x20]
	mov rdi, [rbp]
	lea rcx, [rdx + 1]
	mov [rel probe_ctx + PCTX_PRE_RSP], rsp
.get_freepointer:
	mov rbx, [r15 + rax*1]           ; 49 8b 1c 07 (seed: kmem_cache_alloc_trace+138)
	mov rax, r15
	jmp .out
.empty:
	xor eax, eax
.out:
	add rsp, 8
	pop rbx
	pop rbp
	pop r12
	pop r13
	pop r14
	pop r15
	ret
.end:

; void vmcore_replay(uint64_t which): 0 = __kmalloc (rbp), 1 = the r15 path
align 16
global vmcore_replay
vmcore_replay:
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	mov [rel probe_ctx + PCTX_RESTORE_RSP], rsp
	mov rbx, rdi
	and rsp, -16
	sub rsp, 8                       ; 8 mod 16 here, and 64 bytes lower at the fault
	mov rax, FRAME_POISON            ; poison what the path and the frame will use
	mov rcx, -64
.fill:
	mov [rsp + rcx*8], rax
	inc rcx
	jnz .fill
	mov edi, 0xfe                    ; size  (seed: r13 = r11 = 0xfe)
	mov esi, 0x6080c0                ; gfp   (seed: si = 0x6080c0)
	mov r9d, 1                       ; seed: r9 = r10 = 1
	mov r10d, 1
	mov r11d, 0xfe
	test rbx, rbx
	jnz .trace
	call __kmalloc
	jmp .returned
.trace:
	call kmem_cache_alloc_trace
.returned:
	mov [rel probe_ctx + PCTX_VALUE], rax
.resume:
	; Nothing has written below this RSP since the fault: copy it now.
	cld
	mov rsi, [rel probe_ctx + PCTX_PRE_RSP]
	sub rsi, VMC_COPY_BELOW
	mov [rel vmcore_copy_base], rsi
	lea rdi, [rel vmcore_stack_copy]
	mov ecx, VMC_COPY_QWORDS
	rep movsq
	mov rsp, [rel probe_ctx + PCTX_RESTORE_RSP]
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	ret

[section .extable]
	dq __kmalloc.get_freepointer, vmcore_replay.resume
	dq kmem_cache_alloc_trace.get_freepointer, vmcore_replay.resume

section .rodata
align 8
global vmcore_sites
vmcore_sites:                            ; probes/vmcore.c: enum vmc_site
	dq __kmalloc, __kmalloc.get_freepointer, __kmalloc.end
	dq kmem_cache_alloc_trace, kmem_cache_alloc_trace.get_freepointer, kmem_cache_alloc_trace.end
	dq vmcore_replay, vmcore_replay.resume
