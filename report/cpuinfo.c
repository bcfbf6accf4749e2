#include "cpuinfo.h"
#include "../boot/cpu.h"

static void put_regs(char *dst, const uint32_t *regs, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		for (unsigned b = 0; b < 4; b++)
			dst[i * 4 + b] = (char)(regs[i] >> (8 * b));
	dst[n * 4] = '\0';
}

void cpu_fingerprint_read(struct cpu_fingerprint *fp)
{
	struct cpuid_regs r = cpuid(0, 0);
	uint32_t max = r.eax;
	uint32_t v[3] = { r.ebx, r.edx, r.ecx };
	put_regs(fp->vendor, v, 3);

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
	fp->hypervisor_bit = (r.ecx >> 31) & 1;
	fp->xsave = (r.ecx >> 26) & 1;
	fp->avx = (r.ecx >> 28) & 1;
	fp->la57 = max >= 7 && ((cpuid(7, 0).ecx >> 16) & 1);

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
