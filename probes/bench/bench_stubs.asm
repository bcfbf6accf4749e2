; What one fault costs (probes/bench/bench.c): the same faulting load,
; timed with a serialised RDTSC (SDM Vol. 2 RDTSC: LFENCE before and after
; so the read is not reordered) from just before the instruction to the
; resume point, once through faultprobe's path (idt/isr.asm -> trap_dispatch
; -> the executor's handler: .extable, snapshot, resume) and once through a
; bare #GP handler that only moves RIP to the resume point and returns.
%include "probes/probe.inc"

bits 64
default rel

%macro TSC 0                        ; rax = TSC; clobbers rdx
	lfence
	rdtsc
	lfence
	shl rdx, 32
	or rax, rdx
%endmacro

section .bss
alignb 8
bench_t0: resq 1
global bench_bare_resume_rsp
bench_bare_resume_rsp: resq 1

section .probetext

; void bench_fault_roundtrip(uint64_t addr, uint64_t rsp_adjust):
; probe_ctx.value = TSC ticks from the fault to the resume
global bench_fault_roundtrip
align 16
bench_fault_roundtrip:
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	mov [rel probe_ctx + PCTX_RESTORE_RSP], rsp
	mov rbx, rdi
	TSC
	mov [rel bench_t0], rax
	mov [rel probe_ctx + PCTX_PRE_RSP], rsp
.fault:
	mov rax, [rbx]
.resume:
	mov rsp, [rel probe_ctx + PCTX_RESTORE_RSP]
	TSC
	sub rax, [rel bench_t0]
	mov [rel probe_ctx + PCTX_VALUE], rax
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	ret
[section .extable]
	dq .fault, .resume
__SECT__

; uint64_t bench_bare_roundtrip(uint64_t addr): the same load with the #GP
; gate pointed at bench_bare_gp (probes/bench/bench.c does that); returns
; the ticks.
global bench_bare_roundtrip
align 16
bench_bare_roundtrip:
	push rbx
	mov rbx, rdi
	mov [rel bench_bare_resume_rsp], rsp
	TSC
	mov [rel bench_t0], rax
	mov rax, [rbx]
bench_bare_resume:
	TSC
	sub rax, [rel bench_t0]
	pop rbx
	ret

; void bench_bare_in_exec(uint64_t addr, uint64_t rsp_adjust): the same
; load as bench_bare_roundtrip, shaped as a probe stub so that it runs
; through exec_run() like bench_fault_roundtrip (the executor's code around
; it, nothing armed: the fault goes to bench_bare_exec_gp); probe_ctx.value
; = the ticks.
global bench_bare_in_exec
align 16
bench_bare_in_exec:
	push rbx
	mov rbx, rdi
	TSC
	mov [rel bench_t0], rax
	mov rax, [rbx]
bench_bare_in_exec_resume:
	TSC
	sub rax, [rel bench_t0]
	mov [rel probe_ctx + PCTX_VALUE], rax
	pop rbx
	ret

; The bare handler: #GP pushes an error code; drop it, send RIP to the
; resume point and return (SDM Vol. 3 6.14.2: the frame IRETQ pops).
global bench_bare_gp
align 16
bench_bare_gp:
	add rsp, 8
	lea rax, [rel bench_bare_resume]
	mov [rsp], rax
	iretq

; The same for bench_bare_in_exec.
global bench_bare_exec_gp
align 16
bench_bare_exec_gp:
	add rsp, 8
	lea rax, [rel bench_bare_in_exec_resume]
	mov [rsp], rax
	iretq
