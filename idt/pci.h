/* PCI configuration space through the legacy I/O mechanism (ports 0xCF8 /
 * 0xCFC; PCI Local Bus Specification 3.0, 3.2.2.3.2), bus 0 only. */
#ifndef FP_PCI_H
#define FP_PCI_H

#include <stdbool.h>
#include <stdint.h>

uint32_t pci_read32(unsigned dev, unsigned fn, unsigned reg);
void pci_write16(unsigned dev, unsigned fn, unsigned reg, uint16_t v);
/* The first function on bus 0 with this vendor and device ID; false when
 * there is none. */
bool pci_find(uint16_t vendor, uint16_t device, unsigned *dev, unsigned *fn);

#endif
