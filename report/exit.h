/* How a run ends.  Under QEMU, isa-debug-exit at port 0xf4 makes QEMU exit
 * with status (code << 1) | 1; on real hardware the report stays on screen.
 *
 *   code  QEMU status  meaning
 *   0x10  33           run complete, no unexpected exception
 *   0x11  35           run complete, but some probe record is unusable
 *   0x12  37           crash: an exception no probe expected (oops printed)
 *   0x13  39           boot failure (no multiboot2 magic, no long mode)
 *   QEMU status 0 means the guest reset or shut down: a triple fault.
 */
#ifndef FP_EXIT_H
#define FP_EXIT_H

#include <stdbool.h>

#define EXIT_PASS          0x10
#define EXIT_INCOMPLETE    0x11
#define EXIT_CRASH         0x12
#define EXIT_BOOT_FAILURE  0x13

enum exit_mode {
	EXIT_AUTO,   /* isa-debug-exit when QEMU is detected, else halt */
	EXIT_QEMU,   /* exit=qemu   */
	EXIT_HALT,   /* exit=halt   */
	EXIT_REBOOT, /* exit=reboot */
};
void exit_set_mode(enum exit_mode mode);
bool running_under_qemu(void);           /* fw_cfg signature "QEMU"            */
__attribute__((noreturn)) void fp_exit(unsigned code);

#endif
