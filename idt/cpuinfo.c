#include "cpuinfo.h"
#include "cpu.h"

static void put_regs(char *dst, const uint32_t *regs, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		for (unsigned b = 0; b < 4; b++)
			dst[i * 4 + b] = (char)(regs[i] >> (8 * b));
	dst[n * 4] = '\0';
}

static enum cpu_vendor vendor_of(uint32_t ebx)
{
	if (ebx == CPUID_VENDOR_EBX_INTEL)
		return VENDOR_INTEL;
	if (ebx == CPUID_VENDOR_EBX_AMD || ebx == CPUID_VENDOR_EBX_HYGON)
		return VENDOR_AMD;
	return VENDOR_OTHER;
}

enum cpu_vendor cpu_vendor_id(void)
{
	return vendor_of(cpuid(0, 0).ebx);
}

void cpu_fingerprint_read(struct cpu_fingerprint *fp)
{
	struct cpuid_regs r = cpuid(0, 0);
	uint32_t max = r.eax;
	uint32_t v[3] = { r.ebx, r.edx, r.ecx };
	put_regs(fp->vendor, v, 3);
	fp->vendor_id = vendor_of(r.ebx);

	r = cpuid(1, 0);
	/* Family/model/stepping with the extended fields (SDM Vol. 2 CPUID,
	 * "Feature Information"). */
	unsigned fam = (r.eax >> 8) & 0xf, mod = (r.eax >> 4) & 0xf;
	if (fam == 0xf)
		fam += (r.eax >> 20) & 0xff;
	if (fam == 0x6 || fam >= 0xf)
		mod += ((r.eax >> 16) & 0xf) << 4;
	fp->family = fam;
	fp->model = mod;
	fp->stepping = r.eax & 0xf;
	fp->hypervisor_bit = (r.ecx & CPUID1_ECX_HYPERVISOR) != 0;
	fp->xsave = (r.ecx & CPUID1_ECX_XSAVE) != 0;
	fp->avx = (r.ecx & CPUID1_ECX_AVX) != 0;
	fp->sse = (r.edx & CPUID1_EDX_SSE) != 0;
	fp->sse2 = (r.edx & CPUID1_EDX_SSE2) != 0;
	fp->fxsr = (r.edx & CPUID1_EDX_FXSR) != 0;
	fp->cx16 = (r.ecx & CPUID1_ECX_CX16) != 0;
	fp->la57 = max >= 7 && (cpuid(7, 0).ecx & CPUID7_ECX_LA57);
	fp->fsgsbase = max >= 7 && (cpuid(7, 0).ebx & CPUID7_EBX_FSGSBASE);

	fp->hypervisor[0] = '\0';
	r = cpuid(0x40000000, 0);
	if (fp->hypervisor_bit) {   /* leaf 0x40000000 is meaningless on metal */
		uint32_t h[3] = { r.ebx, r.ecx, r.edx };
		put_regs(fp->hypervisor, h, 3);
		for (unsigned i = 0; i < 12; i++)
			if ((unsigned char)fp->hypervisor[i] < 0x20 || (unsigned char)fp->hypervisor[i] > 0x7e)
				fp->hypervisor[i] = '\0';
	}

	fp->brand[0] = '\0';
	if (cpuid(0x80000000, 0).eax >= 0x80000004) {
		uint32_t b[12];
		for (unsigned i = 0; i < 3; i++) {
			r = cpuid(0x80000002 + i, 0);
			b[i * 4 + 0] = r.eax;
			b[i * 4 + 1] = r.ebx;
			b[i * 4 + 2] = r.ecx;
			b[i * 4 + 3] = r.edx;
		}
		put_regs(fp->brand, b, 12);
		/* trim leading spaces */
		unsigned s = 0;
		while (fp->brand[s] == ' ')
			s++;
		unsigned d = 0;
		while (fp->brand[s])
			fp->brand[d++] = fp->brand[s++];
		fp->brand[d] = '\0';
	}
}
