/* GDT and TSS.  Selectors follow Linux's x86-64 layout so the dumps read
 * like the oopses kernel engineers know ("RIP: 0010:", "RSP: 0018:"). */
#ifndef FP_GDT_H
#define FP_GDT_H

#include <stdint.h>

#define SEL_KERNEL32_CS 0x08
#define SEL_KERNEL_CS   0x10
#define SEL_KERNEL_DS   0x18
#define SEL_USER32_CS   0x23
#define SEL_USER_DS     0x2b
#define SEL_USER_CS     0x33
#define SEL_TSS         0x40

/* Interrupt stack table slots (SDM Vol. 3 6.14.5). */
#define IST_DF     1   /* double fault                        */
#define IST_NMI    2   /* NMI                                 */
#define IST_MC     3   /* machine check                       */
#define IST_PROBE  4   /* #SS/#GP/#PF when a probe breaks RSP */
#define IST_DB     5   /* debug                               */
#define IST_COUNT  7

#define IST_STACK_SIZE 8192

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iopb_offset;
} __attribute__((packed));

extern struct tss64 kernel_tss;
extern uint64_t gdt_table[];

void gdt_init(void);
/* Top (initial RSP) of IST stack `n` (1..7). */
uint64_t ist_stack_top(unsigned n);
/* Bottom (lowest address) of IST stack `n`. */
uint64_t ist_stack_base(unsigned n);
/* Top of the stack the CPU switches to on a CPL change (TSS.RSP0). */
uint64_t rsp0_stack_top(void);
/* Which stack an address is on: "ist1".."ist7", "rsp0", else "cur". */
const char *stack_name_of(uint64_t addr);

#endif
