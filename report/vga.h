#ifndef FP_VGA_H
#define FP_VGA_H
#include <stdbool.h>
#include <stdint.h>
/* 80x25 VGA text mode at 0xB8000 (BIOS boots only). */
void vga_init(uint64_t base, unsigned cols, unsigned rows);
/* A VGA answers at the colour CRTC's index port (0x3D4): what is written
 * there reads back.  With no VGA (QEMU -vga none) the port floats (0xFF). */
bool vga_present(void);
void vga_write(const char *s);
void vga_clear(void);
unsigned vga_cols(void);   /* 0 before vga_init */
unsigned vga_rows(void);
#endif
