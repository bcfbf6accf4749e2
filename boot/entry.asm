; Multiboot2 entry: GRUB leaves us in 32-bit protected mode with paging off
; (Multiboot2 spec 3.3, "I386 machine state").  A Multiboot 1 loader (QEMU's
; -kernel, the fast boot path of the tests) leaves the same state with its
; own magic in EAX (Multiboot spec 3.2); kmain() reads either information
; structure.  We check the magic and
; long-mode support, identity-map the first 4 GiB with 2 MiB pages (a
; temporary map: boot/paging.c replaces it with one that maps only what the
; kernel uses), enable PAE + EFER.LME + PG (SDM Vol. 3 10.8.5, "Initializing
; IA-32e Mode") and far-jump into 64-bit code.

%define MB2_MAGIC        0xE85250D6
%define MB2_ARCH_I386    0
%define MB2_BOOT_MAGIC   0x36d76289
%define MB1_MAGIC        0x1BADB002
%define MB1_BOOT_MAGIC   0x2BADB002
; Flags: bit 1, memory information wanted; bit 16, the load addresses are
; in the header (the "a.out kludge"): QEMU loads an ELF64 only this way
; (hw/i386/multiboot.c refuses EM_X86_64 otherwise), copying the file from
; the header's offset back to load_addr.  The image is one contiguous run
; in the file (file offset - address is the same for every segment: the
; Makefile checks it after linking).
%define MB1_FLAGS        0x00010002

%define KERNEL_CS   0x10           ; boot/gdt.h (Linux's layout)
%define KERNEL_DS   0x18

%define EXIT_BOOT_FAILURE 0x13     ; report/exit.h

section .multiboot2
align 8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	; Framebuffer request, flagged optional so GRUB never refuses to boot.
	; Under BIOS grub.cfg keeps VGA text (gfxpayload=text); under UEFI
	; GRUB hands over a linear framebuffer.
	align 8
	dw 5, 1
	dd 20
	dd 1024, 768, 32
	align 8
	dw 0, 0                        ; end tag
	dd 8
mb2_header_end:

extern __kernel_start, __load_end, __kernel_end
section .multiboot1
align 4
mb1_header:
	dd MB1_MAGIC
	dd MB1_FLAGS
	dd -(MB1_MAGIC + MB1_FLAGS)
	dd mb1_header                  ; header_addr
	dd __kernel_start              ; load_addr: the image's first byte
	dd __load_end                  ; load_end_addr: end of .data
	dd __kernel_end                ; bss_end_addr: zeroed by the loader
	dd _start                      ; entry_addr

section .bss
align 16
boot_stack:   resb 4096
boot_stack_top:
global kernel_stack, kernel_stack_top
alignb 16
kernel_stack: resb 16384           ; the kernel's (and the probes') stack
kernel_stack_top:
global mb2_magic, mb2_info
mb2_magic:    resd 1
mb2_info:     resd 1
alignb 4096
boot_pml4:    resb 4096
boot_pdpt:    resb 4096
boot_pd:      resb 4096 * 4

section .data
align 8
gdt32_ptr:
	dw 0                           ; limit, filled from gdt_table_size
	dd 0                           ; base

section .boot.text
bits 32
global _start
extern gdt_table, gdt_table_size
extern prot32_run
_start:
	cli
	cld
	mov esp, boot_stack_top
	mov [mb2_magic], eax
	mov [mb2_info], ebx

	cmp eax, MB2_BOOT_MAGIC
	je .magic_ok
	cmp eax, MB1_BOOT_MAGIC
	mov esi, msg_no_mb2
	jne boot_fail
.magic_ok:

	; CPUID leaf 0x80000001 EDX bit 29 = long mode (SDM Vol. 2 CPUID).
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	mov esi, msg_no_lm
	jb boot_fail
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz boot_fail
	mov [ext_edx], edx

	; 32-bit protected-mode probes (probes/prot32/prot32_probes.asm): run now, while still
	; in GRUB's state with paging off; printed later by the 64-bit kernel.
	; prot32_run gives back everything it changed.
	call prot32_run

	; Page tables: PML4[0] -> PDPT, PDPT[0..3] -> 4 PDs of 2 MiB pages.
	mov eax, boot_pdpt
	or eax, 0x3                    ; present, writable
	mov [boot_pml4], eax
	xor ecx, ecx
.pdpt:
	mov eax, ecx
	shl eax, 12
	add eax, boot_pd
	or eax, 0x3
	mov [boot_pdpt + ecx * 8], eax
	inc ecx
	cmp ecx, 4
	jb .pdpt
	xor ecx, ecx
.pd:
	mov eax, ecx
	shl eax, 21                    ; 2 MiB * index (low 32 bits)
	or eax, 0x83                   ; present, writable, PS
	mov [boot_pd + ecx * 8], eax
	mov eax, ecx
	shr eax, 11                    ; high bits of physical address
	mov [boot_pd + ecx * 8 + 4], eax
	inc ecx
	cmp ecx, 2048
	jb .pd

	; GDT (boot/gdt.c owns the table; the TSS descriptor is filled later).
	mov eax, gdt_table_size
	dec eax
	mov [gdt32_ptr], ax
	mov dword [gdt32_ptr + 2], gdt_table
	lgdt [gdt32_ptr]

	; CR4 = PAE (bit 5) | OSFXSR (9) | OSXMMEXCPT (10), written whole: the
	; Multiboot2 spec (3.3) leaves other CR4 bits undefined, and a stray
	; LA57, SMEP, SMAP, PKE or CET would change what the probes measure.
	; LA57 may only change while paging is off, as it is here (SDM Vol. 3 4.1.2).
	mov eax, (1 << 5) | (1 << 9) | (1 << 10)
	mov cr4, eax
	mov eax, boot_pml4
	mov cr3, eax
	; EFER (MSR 0xC0000080): LME (bit 8); NXE (bit 11) when CPUID says so,
	; so that #PF reports the I/D bit for instruction fetches (SDM Vol. 3 4.7).
	mov ecx, 0xC0000080
	rdmsr
	or eax, 1 << 8
	test dword [ext_edx], 1 << 20
	jz .no_nx
	or eax, 1 << 11
.no_nx:
	wrmsr
	; CR0 = PG (31) | WP (16) | NE (5) | ET (4) | MP (1) | PE (0), written
	; whole: EM and TS clear so SSE probes don't raise #NM, AM clear so no
	; #AC, CD/NW clear so caching is normal (SDM Vol. 3 2.5).
	mov eax, (1 << 31) | (1 << 16) | (1 << 5) | (1 << 4) | (1 << 1) | 1
	mov cr0, eax
	jmp KERNEL_CS:long_entry

; esi = message.  Say it on COM1 and on the VGA text screen, ask QEMU to
; exit, then halt for good.
boot_fail:
	mov edi, 0xB8000
	mov ebx, esi
.vga:
	mov al, [ebx]
	test al, al
	jz .uart
	mov ah, 0x4f
	mov [edi], ax
	add edi, 2
	inc ebx
	jmp .vga
.uart:
	; COM1 at 115200 8N1 (as report/serial.c): nobody set the UART up yet,
	; and a UART left at 5-bit words (Bochs' reset state) mangles the text.
	mov dx, 0x3FB
	mov al, 0x80            ; LCR: DLAB
	out dx, al
	mov dx, 0x3F8
	mov al, 1               ; divisor 1
	out dx, al
	inc dx
	xor al, al
	out dx, al
	mov dx, 0x3FB
	mov al, 0x03            ; LCR: 8N1
	out dx, al
.serial:
	; Wait (bounded: no UART reads 0xFF) until the line status register
	; says the transmit holding register is empty (LSR bit 5, 16550): an
	; emulated UART that models transmit time (Bochs) drops bytes written
	; while it is busy.
	mov ecx, 100000
	mov dx, 0x3FD
.thre:
	in al, dx
	test al, 0x20
	jnz .send
	loop .thre
.send:
	mov dx, 0x3F8
	mov al, [esi]
	test al, al
	jz .exit
	out dx, al
	inc esi
	jmp .serial
.exit:
	mov dx, 0xf4
	mov eax, EXIT_BOOT_FAILURE
	out dx, eax
	; Bochs (port 0xE9 reads back 0xE9): the exit line on port 0xE9, then
	; "Shutdown" on port 0x8900, as report/exit.c does.
	mov dx, 0xE9
	in al, dx
	cmp al, 0xE9
	jne .halt
	mov esi, msg_bochs_exit
	call .out_string
	mov dx, 0x8900
	mov esi, msg_shutdown
	call .out_string
.halt:
	hlt
	jmp .halt
; Writes the NUL-terminated string at esi to port dx, byte by byte.
.out_string:
	mov al, [esi]
	test al, al
	jz .out_done
	out dx, al
	inc esi
	jmp .out_string
.out_done:
	ret

section .rodata
msg_no_mb2: db "faultprobe: FAIL not loaded by a multiboot2 or multiboot loader (bad magic in EAX)", 13, 10, 0
msg_no_lm:  db "faultprobe: FAIL this CPU does not support long mode (CPUID 80000001h EDX.LM=0)", 13, 10, 0
msg_bochs_exit: db "faultprobe-exit code=0x13", 10, 0   ; EXIT_BOOT_FAILURE
msg_shutdown:   db "Shutdown", 0
section .bss
ext_edx: resd 1

section .text
bits 64
extern kmain
long_entry:
	mov ax, KERNEL_DS
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rsp, kernel_stack_top
	xor ebp, ebp
	mov edi, [mb2_magic]
	mov esi, [mb2_info]
	call kmain
.hang:
	cli
	hlt
	jmp .hang
