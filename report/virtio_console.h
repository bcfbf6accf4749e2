/* A virtio console (QEMU's `-device virtio-serial-pci -device virtconsole`)
 * as the log's output: QEMU hands each buffer to its character device in
 * one write, where a 16550 costs one host write per byte.  Used for the
 * log when present (report/console.c); tests/boot/lib.sh attaches one. */
#ifndef FP_VIRTIO_CONSOLE_H
#define FP_VIRTIO_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

bool virtio_console_init(void);
bool virtio_console_present(void);
/* Stop using it (console= without virtio). */
void virtio_console_disable(void);
/* Buffered: the bytes go out when 4 KiB are waiting or at a flush. */
void virtio_console_write(const char *s, size_t n);
void virtio_console_flush(void);

#endif
