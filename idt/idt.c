#include "idt.h"
#include "../probes/model/vectors.h"
#include "gdt.h"

/* 64-bit IDT gate descriptor, SDM Vol. 3 6.14.1, Figure 6-8. */
struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;         /* bits 2:0 */
	uint8_t type_attr;   /* P | DPL | 0 | type (0xE: interrupt gate) */
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

struct __attribute__((packed)) idt_pointer {
	uint16_t limit;
	uint64_t base;
};

extern const uint64_t isr_stub_table[256];
static struct idt_gate idt[256] __attribute__((aligned(16)));

static void set_gate(unsigned vector, uint64_t handler, unsigned ist, unsigned dpl)
{
	struct idt_gate *g = &idt[vector];
	g->offset_low = handler & 0xffff;
	g->selector = SEL_KERNEL_CS;
	g->ist = ist & 7;
	g->type_attr = (uint8_t)(0x80 | ((dpl & 3) << 5) | 0x0e);
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_high = (uint32_t)(handler >> 32);
	g->reserved = 0;
}

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++)
		set_gate(v, isr_stub_table[v], 0, 0);
	/* The dangerous ones run on their own stacks whatever RSP was
	 * (SDM Vol. 3 6.14.5): a #DF after a broken stack, an NMI or #MC
	 * arriving anywhere, #DB from inside a probe. */
	idt[VEC_DF].ist = IST_DF;
	idt[VEC_NMI].ist = IST_NMI;
	idt[VEC_MC].ist = IST_MC;
	idt[VEC_DB].ist = IST_DB;
	/* INT3 and INTO may be used from ring 3 by tests. */
	idt_set_dpl(VEC_BP, 3);
	idt_set_dpl(VEC_OF, 3);

	struct idt_pointer ptr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	__asm__ volatile("lidt %0" : : "m"(ptr));
}

unsigned idt_set_ist(unsigned vector, unsigned ist)
{
	unsigned old = idt[vector & 255].ist & 7;
	idt[vector & 255].ist = ist & 7;
	return old;
}

unsigned idt_get_ist(unsigned vector)
{
	return idt[vector & 255].ist & 7;
}

uint64_t idt_set_entry(unsigned vector, uint64_t handler)
{
	struct idt_gate *g = &idt[vector & 255];
	uint64_t old = g->offset_low | (uint64_t)g->offset_mid << 16 |
		       (uint64_t)g->offset_high << 32;
	g->offset_low = handler & 0xffff;
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_high = (uint32_t)(handler >> 32);
	return old;
}

void idt_set_dpl(unsigned vector, unsigned dpl)
{
	struct idt_gate *g = &idt[vector & 255];
	g->type_attr = (uint8_t)((g->type_attr & ~0x60) | ((dpl & 3) << 5));
}
