#include "gdt.h"
#include "../probes/model/frame_rules.h"

/* Flat descriptors, SDM Vol. 3 3.4.5; the 64-bit code segments set L=1
 * and D=0 (SDM Vol. 3 5.2.1). */
uint64_t gdt_table[10] __attribute__((aligned(16))) = {
	[0] = 0,
	[SEL_KERNEL32_CS >> 3] = 0x00cf9b000000ffffull,
	[SEL_KERNEL_CS >> 3]   = 0x00af9b000000ffffull,
	[SEL_KERNEL_DS >> 3]   = 0x00cf93000000ffffull,
	[SEL_USER32_CS >> 3]   = 0x00cffb000000ffffull,
	[SEL_USER_DS >> 3]     = 0x00cff3000000ffffull,
	[SEL_USER_CS >> 3]     = 0x00affb000000ffffull,
	/* [SEL_TSS >> 3] and the next slot: 16-byte TSS descriptor, set below */
};
const uint32_t gdt_table_size = sizeof(gdt_table);

struct tss64 kernel_tss __attribute__((aligned(16)));
static uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t rsp0_stack[IST_STACK_SIZE] __attribute__((aligned(16)));

uint64_t ist_stack_top(unsigned n)
{
	return (uint64_t)(uintptr_t)&ist_stacks[n - 1][IST_STACK_SIZE];
}

uint64_t ist_stack_base(unsigned n)
{
	return (uint64_t)(uintptr_t)&ist_stacks[n - 1][0];
}

uint64_t rsp0_stack_top(void)
{
	return (uint64_t)(uintptr_t)&rsp0_stack[IST_STACK_SIZE];
}

const char *stack_name_of(uint64_t addr)
{
	for (unsigned n = 1; n <= IST_COUNT; n++)
		if (addr >= ist_stack_base(n) && addr < ist_stack_top(n))
			return stack_name(n);
	if (addr < rsp0_stack_top() && addr >= rsp0_stack_top() - IST_STACK_SIZE)
		return "rsp0";
	return "cur";
}

struct __attribute__((packed)) gdt_pointer {
	uint16_t limit;
	uint64_t base;
};

void gdt_init(void)
{
	for (unsigned i = 1; i <= IST_COUNT; i++)
		kernel_tss.ist[i - 1] = ist_stack_top(i);
	kernel_tss.rsp[0] = rsp0_stack_top();
	kernel_tss.iopb_offset = sizeof(kernel_tss);   /* no I/O bitmap */

	/* 64-bit TSS descriptor, type 9 (available), SDM Vol. 3 8.2.3. */
	uint64_t base = (uint64_t)(uintptr_t)&kernel_tss;
	uint64_t limit = sizeof(kernel_tss) - 1;
	gdt_table[SEL_TSS >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
				  (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
				  (((base >> 24) & 0xff) << 56);
	gdt_table[(SEL_TSS >> 3) + 1] = base >> 32;

	struct gdt_pointer ptr = { sizeof(gdt_table) - 1, (uint64_t)(uintptr_t)gdt_table };
	__asm__ volatile("lgdt %0" : : "m"(ptr));
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)SEL_TSS));
}
