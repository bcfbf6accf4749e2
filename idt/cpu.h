/* Thin wrappers around privileged instructions.  Kernel only. */
#ifndef FP_CPU_H
#define FP_CPU_H

#include <stdint.h>
#include "../probes/model/x86.h"

struct cpuid_regs { uint32_t eax, ebx, ecx, edx; };

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;
	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); }
static inline void write_cr2(uint64_t v) { __asm__ volatile("mov %0, %%cr2" : : "r"(v) : "memory"); }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); }

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* RDPKRU/WRPKRU (SDM Vol. 2): #UD unless CR4.PKE = 1; ECX (and EDX for
 * WRPKRU) must be 0. */
static inline uint32_t rdpkru(void)
{
	uint32_t eax, edx;
	__asm__ volatile(".byte 0x0f, 0x01, 0xee" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}
static inline void wrpkru(uint32_t v)
{
	__asm__ volatile(".byte 0x0f, 0x01, 0xef" : : "a"(v), "c"(0), "d"(0) : "memory");
}

/* RFLAGS.AC by POPF: works at any CPL and without SMAP (STAC/CLAC are #UD
 * without CPUID.(7,0):EBX.SMAP and at CPL > 0; SDM Vol. 2 POPF, STAC). */
static inline void rflags_set_ac(int on)
{
	if (on)
		__asm__ volatile("pushfq; orq $0x40000, (%%rsp); popfq" : : : "memory", "cc");
	else
		__asm__ volatile("pushfq; andq $~0x40000, (%%rsp); popfq" : : : "memory", "cc");
}

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* The GDTR as SGDT stores it (SDM Vol. 2 SGDT: 64-bit mode, 2 + 8 bytes). */
struct gdtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));
static inline void read_gdtr(struct gdtr *g) { __asm__ volatile("sgdt %0" : "=m"(*g)); }

static inline void cpu_pause(void) { __asm__ volatile("pause"); }

/* RDTSC, not reordered with the instructions around it: LFENCE before and
 * after (SDM Vol. 2 RDTSC) where SSE2 has it (CPUID.1:EDX[26]); CPUID, a
 * serialising instruction (SDM Vol. 3 9.3), on a CPU without SSE2, where
 * LFENCE would be #UD. */
static inline uint64_t tsc_serialized(void)
{
	static int sse2 = -1;
	uint32_t lo, hi;

	if (sse2 < 0)
		sse2 = (cpuid(1, 0).edx & CPUID1_EDX_SSE2) != 0;
	if (sse2) {
		__asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
	} else {
		(void)cpuid(0, 0);
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
		(void)cpuid(0, 0);
	}
	return ((uint64_t)hi << 32) | lo;
}
static inline void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}


#endif
