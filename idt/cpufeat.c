#include "cpufeat.h"
#include "cpu.h"

static void xsetbv0(uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* SDM Vol. 3 13.3, "Enabling the XSAVE feature set"; APM Vol. 2 11.5.
 * Usable when CPUID.1:ECX.OSXSAVE = 1, XCR0[2:1] = 11b and CPUID.1:ECX.AVX
 * = 1 (SDM Vol. 1 14.3, "Detection of Intel AVX instructions"). */
bool cpu_enable_avx(const char **why)
{
	struct cpuid_regs r = cpuid(1, 0);

	if (!(r.ecx & CPUID1_ECX_AVX)) {
		*why = "CPUID.1:ECX.AVX=0";
		return false;
	}
	if (!(r.ecx & CPUID1_ECX_XSAVE)) {
		*why = "CPUID.1:ECX.XSAVE=0";
		return false;
	}
	if (!(cpuid(0xd, 0).eax & 0x4)) {
		*why = "CPUID.(0Dh,0):EAX[2]=0 (XCR0.AVX not supported)";
		return false;
	}
	write_cr4(read_cr4() | CR4_OSXSAVE);
	xsetbv0(0x7);
	/* Read back without XGETBV (the local KVM fails to emulate it and
	 * stops the guest): CPUID.(0Dh,0):EBX is the XSAVE area size for the
	 * features enabled in XCR0, 576 bytes for x87|SSE, more with AVX
	 * (SDM Vol. 1 13.2). */
	if (!(cpuid(1, 0).ecx & CPUID1_ECX_OSXSAVE) || cpuid(0xd, 0).ebx <= 576) {
		*why = "CR4.OSXSAVE/XCR0.AVX did not take effect";
		return false;
	}
	return true;
}
