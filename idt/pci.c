#include "pci.h"
#include "cpu.h"

static uint32_t address(unsigned dev, unsigned fn, unsigned reg)
{
	return 0x80000000u | (dev & 31) << 11 | (fn & 7) << 8 | (reg & 0xfc);
}

uint32_t pci_read32(unsigned dev, unsigned fn, unsigned reg)
{
	outl(0xcf8, address(dev, fn, reg));
	return inl(0xcfc);
}

void pci_write16(unsigned dev, unsigned fn, unsigned reg, uint16_t v)
{
	outl(0xcf8, address(dev, fn, reg));
	outw((uint16_t)(0xcfc + (reg & 2)), v);
}

bool pci_find(uint16_t vendor, uint16_t device, unsigned *dev, unsigned *fn)
{
	for (unsigned d = 0; d < 32; d++)
		for (unsigned f = 0; f < 8; f++) {
			uint32_t id = pci_read32(d, f, 0);
			if ((id & 0xffff) == 0xffff) {
				if (f == 0)
					break;   /* no device here */
				continue;
			}
			if ((id & 0xffff) == vendor && (id >> 16) == device) {
				*dev = d;
				*fn = f;
				return true;
			}
			/* a single-function device: header type bit 7 clear */
			if (f == 0 && !(pci_read32(d, 0, 0x0c) & 0x00800000u))
				break;
		}
	return false;
}
