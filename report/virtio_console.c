/* Virtio console, legacy PCI interface (Virtual I/O Device (VIRTIO) 1.0,
 * 4.1.4.8 "Legacy Interfaces: A Note on PCI Device Layout" and 2.4 / 2.6
 * for the split virtqueue; the console device, 5.3).  One transmit queue,
 * no multiport: port 0's transmitq is queue 1 (5.3.2).  Writes collect in
 * a 4 KiB buffer; a flush puts it in the ring, notifies, and waits until
 * the device has used it (QEMU handles the notification before the OUT
 * instruction completes). */
#include "virtio_console.h"
#include "../idt/cpu.h"
#include "../idt/pci.h"

#define VIRTIO_VENDOR         0x1af4
#define VIRTIO_CONSOLE_LEGACY 0x1003     /* transitional device ID (4.1.2.1) */

/* legacy I/O registers */
#define REG_GUEST_FEATURES 0x04
#define REG_QUEUE_PFN      0x08
#define REG_QUEUE_NUM      0x0c
#define REG_QUEUE_SEL      0x0e
#define REG_QUEUE_NOTIFY   0x10
#define REG_STATUS         0x12
#define STATUS_ACK         1
#define STATUS_DRIVER      2
#define STATUS_DRIVER_OK   4

#define TXQ        1
#define QMAX       256        /* the most entries we lay out            */
#define BUF_BYTES  4096

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

/* The legacy layout: descriptors, then the available ring, then (at the
 * next 4096-byte boundary) the used ring (2.4.2). */
static uint8_t ring[3 * 4096] __attribute__((aligned(4096)));
static uint8_t buf[BUF_BYTES] __attribute__((aligned(64)));
static uint16_t io, qsize, avail_idx;
static bool present;

static struct desc *descs(void) { return (struct desc *)ring; }
static volatile uint16_t *avail(void) { return (volatile uint16_t *)(ring + 16u * qsize); }
static volatile uint16_t *used(void)
{
	uintptr_t a = (uintptr_t)ring + 16u * qsize + 6 + 2u * qsize;
	return (volatile uint16_t *)((a + 4095) & ~(uintptr_t)4095);
}

bool virtio_console_init(void)
{
	unsigned dev, fn;

	if (!pci_find(VIRTIO_VENDOR, VIRTIO_CONSOLE_LEGACY, &dev, &fn))
		return false;
	uint32_t bar0 = pci_read32(dev, fn, 0x10);
	if (!(bar0 & 1))
		return false;                       /* not an I/O BAR: no legacy */
	io = (uint16_t)(bar0 & ~3u);
	/* command: I/O space (bit 0) and bus master (bit 2): the device reads
	 * the rings and buffers by DMA */
	pci_write16(dev, fn, 0x04, (uint16_t)(pci_read32(dev, fn, 0x04) | 0x5));

	outb((uint16_t)(io + REG_STATUS), 0);     /* reset */
	outb((uint16_t)(io + REG_STATUS), STATUS_ACK);
	outb((uint16_t)(io + REG_STATUS), STATUS_ACK | STATUS_DRIVER);
	outl((uint16_t)(io + REG_GUEST_FEATURES), 0);   /* no multiport */
	outw((uint16_t)(io + REG_QUEUE_SEL), TXQ);
	qsize = inw((uint16_t)(io + REG_QUEUE_NUM));
	if (qsize == 0 || qsize > QMAX || (qsize & (qsize - 1))) {
		outb((uint16_t)(io + REG_STATUS), 0);
		return false;
	}
	volatile uint8_t *r = ring;
	for (unsigned i = 0; i < sizeof(ring); i++)
		r[i] = 0;
	outl((uint16_t)(io + REG_QUEUE_PFN), (uint32_t)((uintptr_t)ring >> 12));
	outb((uint16_t)(io + REG_STATUS), STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);
	avail_idx = 0;
	present = true;
	return true;
}

bool virtio_console_present(void)
{
	return present;
}

void virtio_console_disable(void)
{
	present = false;
}

/* One buffer: descriptor 0, the available ring's next slot, a notify, and
 * a bounded wait for the used ring to catch up. */
static void send(size_t n)
{
	struct desc *d = descs();
	d[0].addr = (uint64_t)(uintptr_t)buf;
	d[0].len = (uint32_t)n;
	d[0].flags = 0;
	d[0].next = 0;
	volatile uint16_t *a = avail();
	a[2 + avail_idx % qsize] = 0;               /* ring[]: descriptor 0 */
	__asm__ volatile("" ::: "memory");
	avail_idx++;
	a[1] = avail_idx;                            /* idx */
	__asm__ volatile("" ::: "memory");   /* x86 stores stay in order (TSO) */
	outw((uint16_t)(io + REG_QUEUE_NOTIFY), TXQ);
	volatile uint16_t *u = used();
	for (unsigned spins = 0; u[1] != avail_idx; spins++) {
		if (spins > 10000000u) {             /* a device that stopped */
			present = false;
			return;
		}
		cpu_pause();
	}
}

/* Bytes wait in buf until it is full or someone flushes: a few hundred
 * notifications for a megabyte of log instead of one per line. */
static size_t buffered;

void virtio_console_flush(void)
{
	if (present && buffered)
		send(buffered);
	buffered = 0;
}

void virtio_console_write(const char *s, size_t n)
{
	while (present && n) {
		size_t k = BUF_BYTES - buffered;
		if (k > n)
			k = n;
		for (size_t i = 0; i < k; i++)
			buf[buffered + i] = (uint8_t)s[i];
		buffered += k;
		s += k;
		n -= k;
		if (buffered == BUF_BYTES)
			virtio_console_flush();
	}
}
