#ifndef FP_IDT_H
#define FP_IDT_H

#include <stdint.h>

/* Install all 256 gates (interrupt gates, DPL 0 except the few user mode may
 * raise with INT n) and load IDTR. */
void idt_init(void);
/* Set a gate's IST index (0: stay on the current stack or switch to RSP0
 * on a CPL change, SDM Vol. 3 6.14.4/6.14.5). Returns the previous value. */
unsigned idt_set_ist(unsigned vector, unsigned ist);
unsigned idt_get_ist(unsigned vector);
/* Point a gate at another entry (a bare handler for a measurement);
 * returns the previous entry so it can be put back. */
uint64_t idt_set_entry(unsigned vector, uint64_t handler);
/* Set a gate's DPL (3 lets ring 3 use INT n on it). */
void idt_set_dpl(unsigned vector, unsigned dpl);

#endif
