#include "exit.h"
#include "console.h"
#include "../idt/cpu.h"

static enum exit_mode mode = EXIT_AUTO;

void exit_set_mode(enum exit_mode m)
{
	mode = m;
}

/* QEMU's fw_cfg interface: selector 0x0000 (signature) written to port
 * 0x510, data read from port 0x511 (QEMU docs/specs/fw_cfg.rst). */
bool running_under_qemu(void)
{
	static int cached = -1;
	if (cached < 0) {
		const char want[4] = { 'Q', 'E', 'M', 'U' };
		outw(0x510, 0x0000);
		cached = 1;
		for (int i = 0; i < 4; i++)
			if (inb(0x511) != (uint8_t)want[i])
				cached = 0;
	}
	return cached == 1;
}

/* Bochs with `port_e9_hack: enabled=1` (tools/bochs/bochsrc.in): a read of
 * port 0xE9 returns 0xE9; elsewhere the port is unassigned and reads 0xFF
 * (Bochs 2.7 iodev/unmapped.cc, bx_unmapped_c::read). */
bool running_under_bochs(void)
{
	return inb(0xE9) == 0xE9;
}

/* Bochs has no isa-debug-exit.  The code goes to Bochs' stdout through port
 * 0xE9 as one line "faultprobe-exit code=0xNN" (tools/run-bochs.sh turns it
 * into QEMU's status (code << 1) | 1), then the string "Shutdown" written to
 * port 0x8900 ends Bochs (iodev/unmapped.cc, bx_unmapped_c::write: "Shutdown
 * port: shutdown requested").  boot/entry.asm does the same for 0x13. */
static void bochs_exit(unsigned code)
{
	const char *hex = "0123456789abcdef";
	const char *s = "faultprobe-exit code=0x";
	for (; *s; s++)
		outb(0xE9, (uint8_t)*s);
	outb(0xE9, (uint8_t)hex[(code >> 4) & 0xf]);
	outb(0xE9, (uint8_t)hex[code & 0xf]);
	outb(0xE9, '\n');
	for (s = "Shutdown"; *s; s++)
		outb(0x8900, (uint8_t)*s);
}

void fp_exit(unsigned code)
{
	con_flush();
	if (mode == EXIT_QEMU || (mode == EXIT_AUTO && running_under_qemu()))
		outl(0xf4, code);
	else if (mode == EXIT_AUTO && running_under_bochs())
		bochs_exit(code);
	if (mode == EXIT_REBOOT) {
		/* Pulse the keyboard controller's reset line (8042, command 0xFE). */
		outb(0x64, 0xFE);
	}
	halt_forever();
	__builtin_unreachable();
}
