/* 16550 UART on COM1.  Presence is tested before use (scratch register and
 * loopback), and every wait for the transmitter is bounded, so a machine
 * without a serial port still completes the run on screen. */
#include "serial.h"
#include "../idt/cpu.h"

#define COM1 0x3F8
#define REG_DATA   0
#define REG_IER    1
#define REG_FCR    2
#define REG_LCR    3
#define REG_MCR    4
#define REG_LSR    5
#define REG_SCRATCH 7
#define LSR_THRE   0x20
#define TX_SPIN_LIMIT 100000

static bool present;

bool serial_init(void)
{
	outb(COM1 + REG_SCRATCH, 0x5a);
	if (inb(COM1 + REG_SCRATCH) != 0x5a)
		return present = false;
	outb(COM1 + REG_SCRATCH, 0xa5);
	if (inb(COM1 + REG_SCRATCH) != 0xa5)
		return present = false;

	outb(COM1 + REG_IER, 0x00);     /* no interrupts             */
	outb(COM1 + REG_LCR, 0x80);     /* DLAB                      */
	outb(COM1 + REG_DATA, 0x01);    /* divisor 1: 115200 baud    */
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, 0x03);     /* 8N1                       */
	outb(COM1 + REG_FCR, 0xC7);     /* FIFO on, cleared          */
	outb(COM1 + REG_MCR, 0x1E);     /* loopback mode for the test */
	outb(COM1 + REG_DATA, 0xAE);
	unsigned spins = 0;
	while (!(inb(COM1 + REG_LSR) & 0x01) && spins++ < TX_SPIN_LIMIT)
		cpu_pause();
	if (inb(COM1 + REG_DATA) != 0xAE)
		return present = false;
	outb(COM1 + REG_MCR, 0x0F);     /* normal operation, OUT1/OUT2 */
	return present = true;
}

bool serial_present(void)
{
	return present;
}

static void serial_putc(char c)
{
	unsigned spins = 0;
	while (!(inb(COM1 + REG_LSR) & LSR_THRE)) {
		if (++spins > TX_SPIN_LIMIT) {
			/* A UART that stops draining is given up on for the
			 * rest of the run: waiting per character would stretch
			 * a megabyte of log into hours.  The screen goes on. */
			present = false;
			return;
		}
		cpu_pause();
	}
	outb(COM1 + REG_DATA, (uint8_t)c);
}

void serial_write(const char *s)
{
	if (!present)
		return;
	for (; *s && present; s++) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s);
	}
}
