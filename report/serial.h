#ifndef FP_SERIAL_H
#define FP_SERIAL_H
#include <stdbool.h>
/* COM1 at 0x3F8, 115200 8N1.  Returns false when no UART answers (no
 * scratch register, loopback test fails): output then goes to screen only. */
bool serial_init(void);
bool serial_present(void);
void serial_write(const char *s);
#endif
