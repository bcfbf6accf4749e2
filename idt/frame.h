/* The register frame the common exception stub builds (idt/isr.asm).
 * Lowest address first: what the stub pushed, then the stub's vector and
 * (possibly dummy) error code, then the hardware-pushed 64-bit frame
 * (SDM Vol. 3 6.14.2, Figure 6-9): RIP, CS, RFLAGS, RSP, SS. */
#ifndef FP_FRAME_H
#define FP_FRAME_H

#include <stdint.h>

struct exc_frame {
	uint64_t cr2;          /* read first thing in the stub           */
	uint64_t handler_ss;   /* SS selector while the handler runs     */
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rdi, rsi, rbp, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code;   /* dummy 0 where the CPU pushes none      */
	/* hardware-pushed */
	uint64_t rip, cs, rflags, rsp, ss;
};

#endif
