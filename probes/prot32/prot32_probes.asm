; 32-bit protected-mode probes (issue 4, section 3; layout in probes/model/prot32_rules.h).
;
; boot/entry.asm calls prot32_run right after its multiboot2 and long-mode
; checks, while we are still in GRUB's 32-bit protected mode with paging off
; (Multiboot2 spec 3.3).  It always runs (a few microseconds): the boot
; command line is not parsed in 32-bit mode; `sets=` only decides whether the
; 64-bit kernel prints the records (probes/prot32/prot32.c).
;
; What it touches and gives back before returning:
;   GDTR, IDTR, CR0, CR2, CR3, CR4, IA32_EFER, EFLAGS and every general
;   register are saved on entry and restored on exit (EFLAGS is 0x2 plus
;   arithmetic flags meanwhile, whatever the firmware left).  The segment registers
;   are left holding our flat 32-bit selectors (CS=0x08, DS=ES=FS=GS=SS=0x18)
;   instead of GRUB's: the Multiboot2 spec forbids reloading GRUB's selectors
;   (its GDT may be invalid), and 0x08/0x18 are the same flat descriptors at
;   the same selectors in the kernel GDT that entry.asm loads next.
;
; The probes (CPL 0, no privilege change), each run with ESP ≡ 0, 4, 8, 12
; (mod 16) and the stack poisoned around ESP first (0xdeadbeef below ESP,
; 0x5a5a5a5a at/above):
;   gp-sel    mov %ax,%ds, selector 0xfff8 beyond the GDT limit -> #GP(0xfff8)
;   gp-null   DS = 0, mov (%ebx),%eax                           -> #GP(0)
;   gp-limit  DS limit L, mov (%ebx),%eax, ebx = L+1            -> #GP(0)
;   ss-limit  SS limit L, mov 0x0(%ebp),%eax, ebp = L+1         -> #SS(0)
;   pf-read   PAE paging (2 MiB pages), not-present page        -> #PF(0)
;   pf-write  same page, store                                  -> #PF(2)
; (SDM Vol. 2 MOV exceptions; Vol. 3 6.15, 4.4, 4.7.)  Paging is on only
; inside the two #PF probes: PAE paging, CR4 = PAE only, EFER.LME cleared
; meanwhile (Vol. 3 4.1.2).  (The KVM host this was tried on refuses legacy
; paging altogether, 32-bit or PAE: #GP(0) on the MOV to CR0; the records
; then say setup=#GP@<eip> instead of crashing.)
;
; A fault during a probe's set-up (before its probed instruction) is
; recorded in the record (setup_vector) and the probe is skipped: an
; emulator that cannot do the set-up must not stop the boot.
;
; The handler (32-bit interrupt gates, selector 0x08) snapshots the stack
; before it pushes anything, then jumps to the probe's resume point.  An
; exception nobody expected prints a FAIL line on COM1 and the VGA text
; screen and exits QEMU with status 37 (report/exit.h EXIT_CRASH).

%define SEL_CS    0x08                 ; P32_SEL_CS
%define SEL_DS    0x18                 ; P32_SEL_DS
%define SEL_LIM   0x20                 ; P32_SEL_LIM
%define BAD_SEL   0xfff8               ; P32_BAD_SELECTOR
%define PF_ADDR   0x40000000           ; P32_PF_ADDR
%define POISON_BELOW 0xdeadbeef
%define POISON_ABOVE 0x5a5a5a5a
%define NO_VECTOR 0xffffffff
%define NPROBES   6                    ; P32_PROBE_COUNT
%define NMODS     4
%define NRECORDS  (NPROBES * NMODS)
%define NWORDS    12                   ; P32_WORDS
%define EXIT_CRASH 0x12                ; report/exit.h

; struct prot32_raw offsets
%define R_PROBE    0
%define R_MOD      4
%define R_PRE_ESP  8
%define R_FAULT    12
%define R_VECTOR   16
%define R_HESP     20
%define R_CR2      24
%define R_CS       28
%define R_SS       32
%define R_ADDR     36
%define R_EFLAGS   40
%define R_SEGLIM   44
%define R_SETUP    96                  ; after words[12]: setup_vector
%define R_SETUP_W0 100                 ; the two dwords at the handler's ESP
%define R_SETUP_W1 104
%define R_WORDS    48
%define R_SIZE     112

%define CR0_PG     (1 << 31)
%define CR4_PAE    (1 << 5)
%define EFER_MSR   0xC0000080
%define EFER_LME   (1 << 8)

section .bss
global prot32_records, prot32_count, prot32_status
alignb 16
prot32_records: resb R_SIZE * NRECORDS
prot32_count:   resd 1
prot32_status:  resd 1
p32_saved_esp:  resd 1
p32_saved_cr0:  resd 1
p32_saved_cr2:  resd 1
p32_saved_cr3:  resd 1
p32_saved_cr4:  resd 1
p32_saved_efer: resd 2
p32_saved_gdtr: resb 8
p32_saved_idtr: resb 8
p32_i:          resd 1                 ; driver loop index
p32_cur:        resd 1                 ; record of the running probe
p32_ret_esp:    resd 1                 ; driver ESP while a probe runs
p32_resume:     resd 1                 ; where the handler jumps back to
p32_armed:      resd 1                 ; 2: set-up, 1: probe armed, 0: idle
p32_lim_bytes:  resd 1                 ; SEL_LIM's limit in bytes
alignb 8
p32_idt:        resq 32
alignb 4096
p32_pd0:        resb 4096              ; PAE page directories: 0-1 GiB
p32_pd1:        resb 4096              ;   and 1-2 GiB (PF_ADDR's PDE clear)
p32_pdpt:       resq 4                 ; PAE PDPT (32-byte aligned)
alignb 4096
p32_stack:      resb 4096              ; the probes' stack; its top is the
p32_stack_top:                         ; limit+1 of SEL_LIM (page aligned)
p32_after:      resb 64                ; what gp-limit/ss-limit read if the
                                       ; CPU ignores the limit

section .data
align 8
p32_gdt:
	dq 0                               ; 0x00 null
	dq 0x00cf9b000000ffff              ; 0x08 32-bit code, flat (= gdt.c)
	dq 0                               ; 0x10 (64-bit code in gdt.c) unused
	dq 0x00cf93000000ffff              ; 0x18 data, flat (= gdt.c)
p32_gdt_lim:
	dq 0                               ; 0x20 data, limit = p32_stack_top-1
p32_gdt_end:
align 8
p32_gdtr:
	dw p32_gdt_end - p32_gdt - 1
	dd p32_gdt
align 8
p32_idtr:
	dw 32 * 8 - 1
	dd p32_idt

section .rodata
align 4
p32_stub_table:
	dd p32_probe_gp_sel, p32_probe_gp_null, p32_probe_gp_limit
	dd p32_probe_ss_limit, p32_probe_pf_read, p32_probe_pf_write
p32_isr_table:
%assign v 0
%rep 32
	dd p32_isr_ %+ v
%assign v v+1
%endrep
p32_msg_fail: db 13, 10, "faultprobe: FAIL prot32: unexpected exception in 32-bit protected mode, vector 0x", 0
p32_msg_eip:  db " stack:", 0
p32_msg_end:  db 13, 10, 0

section .boot.text
bits 32
global prot32_run
prot32_run:
	pushfd
	pushad
	push dword 0x2                     ; known EFLAGS for the probes (GRUB
	popfd                              ; under UEFI leaves ID set): IF=DF=AC=0
	mov [p32_saved_esp], esp
	sgdt [p32_saved_gdtr]
	sidt [p32_saved_idtr]
	mov eax, cr0
	mov [p32_saved_cr0], eax
	mov eax, cr2
	mov [p32_saved_cr2], eax
	mov eax, cr3
	mov [p32_saved_cr3], eax
	mov eax, cr4
	mov [p32_saved_cr4], eax
	mov ecx, EFER_MSR                  ; exists: entry.asm checked CPUID.LM
	rdmsr
	mov [p32_saved_efer], eax
	mov [p32_saved_efer + 4], edx
	and eax, ~EFER_LME                 ; legal with PG=0 (Vol. 3 4.1.2)
	wrmsr

	; SEL_LIM: base 0, G=1, limit field = top/4K - 1, so the last byte
	; inside is p32_stack_top - 1 (SDM Vol. 3 3.4.5).
	mov eax, p32_stack_top
	shr eax, 12
	dec eax
	mov edx, eax
	and eax, 0xffff
	mov [p32_gdt_lim], eax
	and edx, 0xf0000
	or edx, 0x00c09300                 ; G=1 D/B=1, P=1 DPL0 data RW accessed
	mov [p32_gdt_lim + 4], edx
	mov ecx, [p32_gdt_lim]             ; byte limit = (field << 12) | 0xfff
	and ecx, 0xffff
	and edx, 0xf0000
	or ecx, edx
	shl ecx, 12
	or ecx, 0xfff
	mov [p32_lim_bytes], ecx

	lgdt [p32_gdtr]
	jmp SEL_CS:.cs_loaded
.cs_loaded:
	mov ax, SEL_DS
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax

	; 32 interrupt gates (type 0xE: 32-bit interrupt gate, P=1, DPL 0),
	; selector 0x08 (SDM Vol. 3 6.11, Figure 6-2).
	xor ecx, ecx
.gate:
	mov eax, [p32_isr_table + ecx * 4]
	mov edx, eax
	and eax, 0xffff
	or eax, SEL_CS << 16
	mov [p32_idt + ecx * 8], eax
	and edx, 0xffff0000
	or edx, 0x8e00
	mov [p32_idt + ecx * 8 + 4], edx
	inc ecx
	cmp ecx, 32
	jb .gate
	lidt [p32_idtr]

	; PAE tables for the #PF probes: identity map of 0-2 GiB with 2 MiB
	; pages, except the page at PF_ADDR; PDPTEs 2-3 not present (SDM
	; Vol. 3 4.4, Tables 4-8 and 4-9; a PDPTE holds only P and the address).
	xor ecx, ecx
.pde:
	mov eax, ecx
	shl eax, 21
	or eax, 0x83                       ; P, R/W, PS
	mov [p32_pd0 + ecx * 8], eax       ; p32_pd1 follows p32_pd0
	mov dword [p32_pd0 + ecx * 8 + 4], 0
	inc ecx
	cmp ecx, 1024
	jb .pde
	mov dword [p32_pd0 + (PF_ADDR >> 21) * 8], 0
	mov eax, p32_pd0
	or eax, 1
	mov [p32_pdpt], eax
	mov eax, p32_pd1
	or eax, 1
	mov [p32_pdpt + 8], eax
	xor eax, eax
	mov [p32_pdpt + 4], eax
	mov [p32_pdpt + 12], eax
	mov [p32_pdpt + 16], eax
	mov [p32_pdpt + 20], eax
	mov [p32_pdpt + 24], eax
	mov [p32_pdpt + 28], eax

	mov dword [prot32_count], 0
	mov dword [p32_i], 0
.next:
	mov eax, [p32_i]
	mov ecx, eax
	and ecx, NMODS - 1
	shl ecx, 2                         ; ESP mod 16: 0, 4, 8, 12
	imul ebx, eax, R_SIZE
	add ebx, prot32_records
	shr eax, 2                         ; probe index (NMODS = 4)
	call [p32_stub_table + eax * 4]
	inc dword [p32_i]
	mov eax, [p32_i]
	mov [prot32_count], eax
	cmp eax, NRECORDS
	jb .next
	mov dword [prot32_status], 1

	; Give everything back (paging is already off again).
	mov eax, [p32_saved_cr4]
	mov cr4, eax
	mov eax, [p32_saved_cr3]
	mov cr3, eax
	mov eax, [p32_saved_cr2]
	mov cr2, eax
	mov eax, [p32_saved_cr0]
	mov cr0, eax
	mov ecx, EFER_MSR
	mov eax, [p32_saved_efer]
	mov edx, [p32_saved_efer + 4]
	wrmsr
	lidt [p32_saved_idtr]
	lgdt [p32_saved_gdtr]
	mov esp, [p32_saved_esp]
	popad
	popfd
	ret

; p32_prepare: eax = probe, ebx = record, ecx = ESP mod 16.  Fills the
; record's static fields, poisons [esp-64, esp+16) around the probe ESP and
; returns it in edx.  Runs on the driver's stack (the stub's ESP after this
; returns is where p32_finish goes back to).  Enters the set-up phase.
; Clobbers eax, ecx, edi.
p32_prepare:
	lea edi, [esp + 4]
	mov [p32_ret_esp], edi
	mov dword [p32_armed], 2
	mov dword [ebx + R_SETUP], NO_VECTOR
	mov [ebx + R_PROBE], eax
	mov [ebx + R_MOD], ecx
	mov dword [ebx + R_VECTOR], NO_VECTOR
	mov dword [ebx + R_HESP], 0
	mov dword [ebx + R_CR2], 0
	mov [p32_cur], ebx
	xor eax, eax
	mov ax, cs
	mov [ebx + R_CS], eax
	mov ax, ss
	mov [ebx + R_SS], eax
	lea edx, [p32_stack_top - 32 + ecx]
	mov [ebx + R_PRE_ESP], edx
	lea edi, [edx - 64]
	mov ecx, 16
	mov eax, POISON_BELOW
	rep stosd
	mov ecx, 4
	mov eax, POISON_ABOVE
	rep stosd
	; SEL_LIM's byte limit, decoded back from the descriptor we built.
	; (Not LSL: KVM's instruction emulator, which runs this code on the
	; KVM tried here (PVM, docs/deviations.md), has no LSL: VM stops.)
	mov eax, [p32_lim_bytes]
	mov [ebx + R_SEGLIM], eax
	xor eax, eax
	mov cr2, eax                       ; sentinel: a non-#PF must leave it 0
	ret

; P32_ENTER: switch to the probe ESP (edx) and record EFLAGS as they will be
; at the probed instruction (nothing after this changes arithmetic flags:
; only MOVs and NOPs until the probed instruction).  The PUSHFD dword is
; re-poisoned.
%macro P32_ENTER 0
	mov esp, edx
	pushfd
	pop eax
	mov [ebx + R_EFLAGS], eax
	mov dword [esp - 4], POISON_BELOW
	mov dword [p32_armed], 1
%endmacro

; gp-sel: MOV to DS with a selector beyond the GDT limit.
p32_probe_gp_sel:
	call p32_prepare
	mov dword [ebx + R_ADDR], BAD_SEL
	mov dword [p32_resume], .resume
	P32_ENTER
	mov dword [ebx + R_FAULT], .fault
	mov ax, BAD_SEL
.fault:
	mov ds, ax
.resume:
	jmp p32_finish

; gp-null: a data access through DS holding the NULL selector.
p32_probe_gp_null:
	call p32_prepare
	mov eax, p32_stack
	mov [ebx + R_ADDR], eax
	mov dword [p32_resume], .resume
	P32_ENTER
	mov dword [ebx + R_FAULT], .fault
	mov ebx, [ebx + R_ADDR]
	mov eax, 0                         ; not XOR: keep the flags
	mov ds, ax
.fault:
	mov eax, [ebx]
.resume:
	jmp p32_finish

; gp-limit: DS = SEL_LIM, read the first byte past its limit.
p32_probe_gp_limit:
	call p32_prepare
	mov dword [ebx + R_ADDR], p32_stack_top
	mov dword [p32_resume], .resume
	P32_ENTER
	mov dword [ebx + R_FAULT], .fault
	mov ebx, p32_stack_top
	mov ax, SEL_LIM
	mov ds, ax
.fault:
	mov eax, [ebx]
.resume:
	jmp p32_finish

; ss-limit: SS = SEL_LIM (the probe stack lies inside it), read through
; EBP (implied SS, SDM Vol. 1 3.7.4) one byte past the limit.
p32_probe_ss_limit:
	call p32_prepare
	mov dword [ebx + R_ADDR], p32_stack_top
	mov dword [ebx + R_SS], SEL_LIM
	mov dword [p32_resume], .resume
	P32_ENTER
	mov dword [ebx + R_FAULT], .fault
	mov ebp, p32_stack_top
	mov ax, SEL_LIM
	mov ss, ax
	nop                                ; MOV SS shadow ends here
.fault:
	mov eax, [ebp + 0]
.resume:
	jmp p32_finish

; P32_PAGING_ON: PAE paging, identity map from p32_pdpt (SDM Vol. 3 4.4;
; CR3 bits 31:5 = the PDPT, whose 4 entries are loaded with CR3/CR0).
%macro P32_PAGING_ON 0
	mov eax, CR4_PAE
	mov cr4, eax
	mov eax, p32_pdpt
	mov cr3, eax
	mov eax, cr0
	or eax, CR0_PG
	mov cr0, eax
	jmp %%on
%%on:
%endmacro

p32_probe_pf_read:
	call p32_prepare
	mov dword [ebx + R_ADDR], PF_ADDR
	mov dword [p32_resume], .resume
	P32_PAGING_ON
	P32_ENTER
	mov dword [ebx + R_FAULT], .fault
	mov ebx, PF_ADDR
.fault:
	mov eax, [ebx]
.resume:
	jmp p32_finish

p32_probe_pf_write:
	call p32_prepare
	mov dword [ebx + R_ADDR], PF_ADDR
	mov dword [p32_resume], .resume
	P32_PAGING_ON
	P32_ENTER
	mov dword [ebx + R_FAULT], .fault
	mov ebx, PF_ADDR
.fault:
	mov [ebx], eax
.resume:
	jmp p32_finish

; Back from a probe (fault or not): flat segments, paging off, the driver's
; stack.  When nothing faulted, snapshot the stack here so the record still
; shows it untouched.
p32_finish:
	mov ax, SEL_DS
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov esp, [p32_ret_esp]
	mov eax, cr0
	and eax, ~CR0_PG
	mov cr0, eax
	jmp .off
.off:
	mov ebx, [p32_cur]
	cmp dword [p32_armed], 0
	je .done
	mov dword [p32_armed], 0
	mov esi, [ebx + R_PRE_ESP]
	sub esi, 32
	lea edi, [ebx + R_WORDS]
	mov ecx, NWORDS
	rep movsd
	mov eax, cr2
	mov [ebx + R_CR2], eax
.done:
	ret

; ---------------------------------------------------------------- handlers
%macro P32_ISR 1
p32_isr_%1:
	mov edx, %1
	jmp p32_isr_common
%endmacro
%assign v 0
%rep 32
P32_ISR v
%assign v v+1
%endrep

; edx = vector.  The probes declare every general register clobbered, so the
; handler uses them freely; it pushes nothing before the snapshot.
p32_isr_common:
	mov ax, SEL_DS
	mov ds, ax
	mov es, ax
	cmp dword [p32_armed], 0
	je p32_unexpected
	cmp dword [p32_armed], 2
	je .setup_fault
	cmp edx, 12                        ; #SS, #GP, #PF: the ones with an
	jb p32_unexpected                  ; error code that probes expect
	cmp edx, 14
	ja p32_unexpected
	mov dword [p32_armed], 0
	mov ebx, [p32_cur]
	mov [ebx + R_VECTOR], edx
	mov [ebx + R_HESP], esp
	mov eax, cr2
	mov [ebx + R_CR2], eax
	mov esi, [ebx + R_PRE_ESP]
	sub esi, 32
	lea edi, [ebx + R_WORDS]
	mov ecx, NWORDS
	cld
	rep movsd
	; Resume by jumping, not IRETD: p32_finish reloads SS:ESP and the data
	; segments anyway, the frame's layout is checked later rather than
	; assumed here, and KVM's instruction emulator (which runs this code
	; on the KVM tried here) has no protected-mode IRET.
	jmp [p32_resume]
.setup_fault:                          ; the set-up faulted: record, skip
	mov dword [p32_armed], 0
	mov ebx, [p32_cur]
	mov [ebx + R_SETUP], edx
	mov eax, [esp]
	mov [ebx + R_SETUP_W0], eax
	mov eax, [esp + 4]
	mov [ebx + R_SETUP_W1], eax
	jmp p32_finish

; Nobody expected this one: say so on COM1 and VGA, exit QEMU, halt.
p32_unexpected:
	mov ebx, esp
	mov esi, p32_msg_fail
	call p32_puts
	mov eax, edx
	mov ecx, 2
	call p32_puthex
	mov esi, p32_msg_eip
	call p32_puts
	mov edi, 0
.words:
	mov al, ' '
	call p32_putc
	mov eax, [ebx + edi * 4]
	mov ecx, 8
	call p32_puthex
	inc edi
	cmp edi, 6
	jb .words
	mov esi, p32_msg_end
	call p32_puts
	mov dx, 0xf4
	mov eax, EXIT_CRASH
	out dx, eax
.halt:
	cli
	hlt
	jmp .halt

; al -> COM1 (raw, as entry.asm's boot_fail does) and the VGA text screen.
p32_putc:
	push edx
	mov dx, 0x3F8
	out dx, al
	mov edx, [p32_vga]
	mov ah, 0x4f
	mov [edx], ax
	add dword [p32_vga], 2
	pop edx
	ret

p32_puts:
	lodsb
	test al, al
	jz .done
	cmp al, 13
	je p32_puts
	cmp al, 10
	jne .out
	push edx
	mov dx, 0x3F8
	mov al, 13
	out dx, al
	mov al, 10
	out dx, al
	pop edx
	jmp p32_puts
.out:
	call p32_putc
	jmp p32_puts
.done:
	ret

; eax = value, ecx = digits
p32_puthex:
	push ebx
	mov ebx, eax
	mov eax, ecx
	shl eax, 2
	neg eax
	add eax, 32
	xchg ecx, eax                      ; ecx = shift to drop the unused bits
	shl ebx, cl
	mov ecx, eax
.digit:
	rol ebx, 4
	mov eax, ebx
	and eax, 0xf
	cmp al, 10
	jb .dec
	add al, 'a' - 10
	jmp .put
.dec:
	add al, '0'
.put:
	call p32_putc
	loop .digit
	pop ebx
	ret

section .data
p32_vga: dd 0xB8000 + 160 * 2
