#include "exit.h"
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

void fp_exit(unsigned code)
{
	if (mode == EXIT_QEMU || (mode == EXIT_AUTO && running_under_qemu()))
		outl(0xf4, code);
	if (mode == EXIT_REBOOT) {
		/* Pulse the keyboard controller's reset line (8042, command 0xFE). */
		outb(0x64, 0xFE);
	}
	halt_forever();
	__builtin_unreachable();
}
