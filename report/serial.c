/* 16550 UARTs (serial.h).  Writes use the transmit FIFO: whenever the
 * line-status register says the transmitter holding register is empty
 * (THRE, LSR bit 5), up to 16 bytes go out before the next poll (16550D
 * data sheet, FCR bit 0 enables the 16-byte FIFOs).  A UART that does not
 * drain for about a second of TSC time is given up on, and the run says
 * so (serial_lost_output). */
#include "serial.h"
#include "../idt/cpu.h"

#define REG_DATA   0
#define REG_IER    1
#define REG_FCR    2
#define REG_LCR    3
#define REG_MCR    4
#define REG_LSR    5
#define REG_SCRATCH 7
#define LSR_DR     0x01
#define LSR_THRE   0x20
#define FIFO_BYTES 16
#define PROBE_SPINS 100000
/* Stalled: no THRE for this many TSC ticks (about 1 s at 2-3 GHz). */
#define STALL_TICKS 3000000000ull

static struct {
	uint16_t port;
	bool live;
} uarts[SERIAL_MAX];
static unsigned nuarts;
static bool lost;

bool serial_add(uint16_t port, unsigned baud)
{
	if (nuarts == SERIAL_MAX || !baud || 115200 % baud)
		return false;
	outb(port + REG_SCRATCH, 0x5a);
	if (inb(port + REG_SCRATCH) != 0x5a)
		return false;
	outb(port + REG_SCRATCH, 0xa5);
	if (inb(port + REG_SCRATCH) != 0xa5)
		return false;

	unsigned divisor = 115200 / baud;
	outb(port + REG_IER, 0x00);     /* no interrupts             */
	outb(port + REG_LCR, 0x80);     /* DLAB                      */
	outb(port + REG_DATA, (uint8_t)divisor);
	outb(port + REG_IER, (uint8_t)(divisor >> 8));
	outb(port + REG_LCR, 0x03);     /* 8N1                       */
	outb(port + REG_FCR, 0xC7);     /* FIFO on, cleared          */
	outb(port + REG_MCR, 0x1E);     /* loopback mode for the test */
	outb(port + REG_DATA, 0xAE);
	unsigned spins = 0;
	while (!(inb(port + REG_LSR) & LSR_DR) && spins++ < PROBE_SPINS)
		cpu_pause();
	if (inb(port + REG_DATA) != 0xAE)
		return false;
	outb(port + REG_MCR, 0x0F);     /* normal operation, OUT1/OUT2 */
	uarts[nuarts].port = port;
	uarts[nuarts].live = true;
	nuarts++;
	return true;
}

void serial_clear(void)
{
	nuarts = 0;
}

unsigned serial_count(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < nuarts; i++)
		n += uarts[i].live;
	return n;
}

uint16_t serial_port(unsigned i)
{
	return i < nuarts ? uarts[i].port : 0;
}

bool serial_lost_output(void)
{
	return lost;
}

/* Wait until the FIFO is empty; false (and the UART given up on) when it
 * does not drain. */
static bool wait_thre(unsigned u)
{
	uint16_t lsr = (uint16_t)(uarts[u].port + REG_LSR);
	if (inb(lsr) & LSR_THRE)
		return true;
	uint64_t t0 = tsc_serialized();
	while (!(inb(lsr) & LSR_THRE)) {
		if (tsc_serialized() - t0 > STALL_TICKS) {
			/* A UART that stops draining is given up on for the
			 * rest of the run: waiting per character would stretch
			 * a megabyte of log into hours.  The screen goes on,
			 * and the exit status says the log is incomplete. */
			uarts[u].live = false;
			lost = true;
			return false;
		}
		cpu_pause();
	}
	return true;
}

static void write_one(unsigned u, const char *s, size_t n)
{
	uint16_t data = uarts[u].port + REG_DATA;
	unsigned room = 0;
	bool cr = false;   /* the '\r' of a "\r\n" is out, the '\n' not yet */

	for (size_t i = 0; i < n;) {
		if (!room) {
			if (!wait_thre(u))
				return;
			room = FIFO_BYTES;
		}
		if (s[i] == '\n' && !cr) {
			outb(data, '\r');
			cr = true;
		} else {
			outb(data, (uint8_t)s[i]);
			cr = false;
			i++;
		}
		room--;
	}
}

void serial_write(const char *s, size_t n)
{
	for (unsigned u = 0; u < nuarts; u++)
		if (uarts[u].live)
			write_one(u, s, n);
}
