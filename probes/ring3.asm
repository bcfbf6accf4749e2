; Running a probe stub at CPL 3 (kernel only; the executor, probes/exec.c).
;
; exec_ring3_thunk has the probe_stub_fn signature, so exec_run() calls
; it like any stub.  It saves the callee-saved registers and its RSP, then
; IRETQs to ring 3 (SDM Vol. 3 6.14.3 / IRET: a return to an outer level
; pops RIP, CS, RFLAGS, RSP, SS) at ring3_entry, which calls the real stub
; (exec_ring3_stub) on the user stack.  Two ways back:
;
;  - the probed instruction faulted: the CPU switched to TSS.RSP0 (the gate
;    has IST 0 for ring-3 probes; SDM Vol. 3 6.14.4), the executor's fault handler
;    found the instruction in .extable and IRETQs to the stub's resume
;    label in ring 0 with RSP = probe_ctx.restore_rsp, the user-stack RSP
;    the stub saved in ring 3 (the user stack is ordinary identity-mapped
;    kernel memory, readable in ring 0 while CR4.SMAP = 0: exec.c clears
;    SMAP and SMEP for the duration).  The stub restores its registers from
;    that stack and returns to ring3_back, now in ring 0;
;  - nothing faulted: the stub returns to ring3_back in ring 3, which
;    executes INT3 through the #BP gate (DPL 3, idt/idt.c).  #BP is a trap
;    (SDM Vol. 3 6.5): the saved RIP is the next instruction, which .extable
;    sends to ring3_gate_back, in ring 0; that clears probe_ctx.faulted (the
;    #BP was the way home, not a result) and joins the other path.  (SYSCALL
;    would do too, but the local KVM returned from it still at CPL 3.)
;
; Both end at ring3_done: back on the saved kernel RSP, kernel data
; selectors, return to exec_run().  The code lives in .probetext with every
; probe stub (mapped user-accessible only while ring-3 probes run).

%define SEL_KERNEL_DS 0x18         ; boot/gdt.h
%define SEL_USER_DS   0x2b
%define SEL_USER_CS   0x33
%include "probes/probe.inc"

bits 64
default rel

; Set by probes/exec.c before each CPL-3 probe (kernel pages: the thunk
; reads them at CPL 0, before its IRETQ).
global exec_ring3_stub, exec_ring3_user_rsp, exec_ring3_rflags
section .bss
alignb 8
exec_ring3_stub: resq 1            ; uint64_t: the stub to run at CPL 3
exec_ring3_user_rsp: resq 1        ; uint64_t: top of the user stack (16-aligned)
exec_ring3_rflags: resq 1          ; uint64_t: RFLAGS at CPL 3 (0x2, | AC on request)
ring3_kernel_rsp: resq 1

section .probetext progbits alloc exec nowrite align=16
global exec_ring3_thunk

; void exec_ring3_thunk(uint64_t addr, uint64_t rsp_adjust)
exec_ring3_thunk:
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	mov [rel ring3_kernel_rsp], rsp
	; Data selectors usable at CPL 3, so IRET does not null them (SDM
	; Vol. 2 IRET: DS/ES/FS/GS with DPL < CPL are loaded with NULL on a
	; return to an outer level); this also sets the FS and GS bases to 0.
	mov ax, SEL_USER_DS
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov rax, [rel exec_ring3_stub]
	mov rdx, [rel exec_ring3_user_rsp]
	push SEL_USER_DS               ; SS
	push rdx                       ; RSP
	push qword [rel exec_ring3_rflags] ; RFLAGS: IF = 0, IOPL = 0, AC on request
	push SEL_USER_CS               ; CS
	lea rcx, [rel ring3_entry]
	push rcx                       ; RIP
	iretq

ring3_entry:                       ; CPL 3; rdi = addr, rsi = rsp_adjust
	call rax
ring3_back:
	mov cx, cs
	test cl, 3
	jz ring3_done                  ; resumed in ring 0 by the fault fixup
	int3                           ; no fault: still CPL 3
ring3_after_int3:
	ud2                            ; never reached
section .extable progbits alloc noexec nowrite align=16
	dq ring3_after_int3, ring3_gate_back
section .probetext

ring3_gate_back:                   ; CPL 0, through probe_handle_fault()
	mov qword [rel probe_ctx + PCTX_FAULTED], 0
ring3_done:
	mov rsp, [rel ring3_kernel_rsp]
	mov ax, SEL_KERNEL_DS
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax                   ; the kernel runs with NULL FS/GS
	mov fs, ax
	mov gs, ax
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	ret

; The executor's ring-3 self-test: one 8-byte load that must not fault.
PROBE_BEGIN exec_ring3_selftest_load
	mov r15, rdi
	PROBE_INSN mov rbx, [r15]
	mov [rel probe_ctx + PCTX_VALUE], rbx
PROBE_END
