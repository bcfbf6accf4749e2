; void la57_switch(uint32_t cr3, uint32_t cr4)   (boot/la57.h)
;
; Loads CR3 and CR4 through a window with paging off, which is the only way
; to change CR4.LA57: "CR4.PAE and CR4.LA57 cannot be modified while either
; 4-level paging or 5-level paging is in use (when CR0.PG = 1 and
; IA32_EFER.LME = 1). Attempts to do so using MOV to CR4 cause a
; general-protection exception" (SDM Vol. 3 4.1.2).  And CR0.PG can only be
; cleared outside 64-bit mode (SDM Vol. 2 MOV CR: #GP in 64-bit mode), so:
;
;   64-bit -> far return to compatibility mode (CS 0x08, 32-bit code)
;   CR0.PG = 0          IA-32e mode off, IA32_EFER.LMA = 0 (Vol. 3 10.8.5.4);
;                       this code and its data are identity-mapped
;   CR4 = new (LA57 set or clear), CR3 = new root (below 4 GiB)
;   CR0.PG = 1          LME is still 1: IA-32e mode again, LMA = 1
;                       (Vol. 3 10.8.5), still in compatibility mode
;   far jump to CS 0x10 (64-bit), reload SS/DS/ES, restore RSP.
;
; Interrupts stay off; no exception may happen in the window (the 64-bit IDT
; is useless without paging).  The caller checks CR4.PCIDE = 0 (clearing PG
; with PCIDE = 1 is #GP) and that both tables map this code and the stack.

%define SEL_CODE32  0x08
%define SEL_CODE64  0x10
%define SEL_DATA    0x18

section .bss
alignb 8
la57_saved_rsp: resq 1
la57_new_cr3:   resd 1
la57_new_cr4:   resd 1

section .text
bits 64
global la57_switch
la57_switch:
	push rbx
	push rbp
	push r12
	push r13
	push r14
	push r15
	pushfq
	cli
	; the upper halves of the GPRs do not survive a trip through 32-bit
	; code (SDM Vol. 1 3.4.1.1): keep everything in memory
	mov [rel la57_saved_rsp], rsp
	mov [rel la57_new_cr3], edi
	mov [rel la57_new_cr4], esi
	mov ax, SEL_DATA                   ; SS/DS must be usable in compat mode
	mov ss, ax
	mov ds, ax
	mov es, ax
	push SEL_CODE32
	lea rax, [rel .compat]
	push rax
	o64 retf

bits 32
.compat:
	mov eax, cr0
	and eax, ~(1 << 31)
	mov cr0, eax                       ; PG = 0: LMA = 0
	mov eax, [la57_new_cr4]
	mov cr4, eax                       ; LA57 may change now
	mov eax, [la57_new_cr3]
	mov cr3, eax
	mov eax, cr0
	or eax, 1 << 31
	mov cr0, eax                       ; PG = 1: LMA = 1 (compat mode)
	jmp SEL_CODE64:.long

bits 64
.long:
	mov ax, SEL_DATA
	mov ss, ax
	mov ds, ax
	mov es, ax
	mov rsp, [rel la57_saved_rsp]
	popfq
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	ret
