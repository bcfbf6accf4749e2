/* How a run ends.  Under QEMU, isa-debug-exit at port 0xf4 makes QEMU exit
 * with status (code << 1) | 1; on real hardware the report stays on screen.
 *
 *   code  QEMU status  meaning
 *   0x10  33           run complete, no unexpected exception
 *   0x11  35           run complete, but some probe record is unusable
 *   0x12  37           crash: an exception no probe expected (oops printed)
 *   0x13  39           boot failure (no multiboot2 magic, no long mode)
 *   QEMU status 0 means the guest reset or shut down: a triple fault.
 * Under Bochs (no isa-debug-exit) the code goes out on port 0xE9 and Bochs
 * is shut down through port 0x8900; tools/run-bochs.sh exits with the same
 * statuses.
 */
#ifndef FP_EXIT_H
#define FP_EXIT_H

#include <stdbool.h>

#define EXIT_PASS          0x10
#define EXIT_INCOMPLETE    0x11
#define EXIT_CRASH         0x12
#define EXIT_BOOT_FAILURE  0x13

enum exit_mode {
	EXIT_AUTO,   /* isa-debug-exit under QEMU, the shutdown port under Bochs, else halt */
	EXIT_QEMU,   /* exit=qemu   */
	EXIT_HALT,   /* exit=halt   */
	EXIT_REBOOT, /* exit=reboot */
};
void exit_set_mode(enum exit_mode mode);
bool running_under_qemu(void);           /* fw_cfg signature "QEMU"            */
bool running_under_bochs(void);          /* port 0xE9 reads back 0xE9          */
__attribute__((noreturn)) void fp_exit(unsigned code);

#endif
