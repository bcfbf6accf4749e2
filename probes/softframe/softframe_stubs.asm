; A software-built interrupt frame beside a hardware one (probes/softframe.c).
;
; probe_softframe_hw(_, rsp_adjust):       int 0xf0
; probe_softframe_sw(entry, rsp_adjust):   the sequence KVM used to hand an
;     external interrupt acknowledged on VM exit to the host's IDT handler
;     (seed 000; vmx_handle_external_intr, commit a547c6db4d2f), written
;     here from its description:
;         mov %rsp,tmp; and $-16,%rsp; push $ss; push tmp; pushf;
;         push $cs; call *entry
; probe_softframe_sw_orif: the same with `orl $0x200,(%rsp)` after the
;     pushf, as a547c6db did (a later commit, f2485b3e, dropped it).
;
; Both enter the vector's IDT stub; the dispatcher treats the event as a
; probe event because its saved RIP is in .extable.  INT n saves the address
; of the instruction after it (SDM Vol. 2, INT n operation: the return
; instruction pointer; Vol. 3 6.4.2); for the software frame the RIP slot is
; CALL's return address, also the instruction after it.
; Both stubs start from the same flags (xor eax,eax: ZF=PF=1) and record the
; RSP the sequence starts from as the pre-event RSP.
%include "probes/probe.inc"

bits 64
section .probetext

%define SF_VECTOR 0xf0
%define SEL_KERNEL_CS 0x10       ; boot/gdt.h
%define SEL_KERNEL_DS 0x18

; Record the pre-event RSP, run the instruction(s) and label the next one;
; .extable maps that "next" RIP (what the frame holds) to the resume point.
%macro EVENT_INSN 2+
	mov [rel probe_ctx + PCTX_PRE_RSP], rsp
	%2
global %1_next
%1_next:
[section .extable]
	dq %1_next, %$resume
__SECT__
%endmacro

PROBE_BEGIN probe_softframe_hw
	xor eax, eax
	EVENT_INSN softframe_hw, int SF_VECTOR
PROBE_END

%macro SOFT_FRAME 2        ; name, or_if
PROBE_BEGIN %1
	mov r11, rdi                       ; entry, read from the IDT gate by C
	xor eax, eax
	mov [rel probe_ctx + PCTX_PRE_RSP], rsp
	mov r10, rsp                       ; mov %rsp,tmp
	and rsp, -16                       ; and $0xfffffffffffffff0,%rsp
	push SEL_KERNEL_DS                 ; push $__KERNEL_DS
	push r10                           ; push tmp
	pushfq                             ; pushf (RF and VM read as 0: SDM Vol.2 PUSHF)
%if %2
	or dword [rsp], 0x200              ; orl $0x200,(%rsp)
%endif
	push SEL_KERNEL_CS                 ; push $__KERNEL_CS
	call r11                           ; call *entry
global %1_next
%1_next:
[section .extable]
	dq %1_next, %$resume
__SECT__
PROBE_END
%endmacro

SOFT_FRAME probe_softframe_sw, 0
SOFT_FRAME probe_softframe_sw_orif, 1
