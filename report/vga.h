#ifndef FP_VGA_H
#define FP_VGA_H
#include <stdint.h>
/* 80x25 VGA text mode at 0xB8000 (BIOS boots only). */
void vga_init(uint64_t base, unsigned cols, unsigned rows);
void vga_write(const char *s);
void vga_clear(void);
unsigned vga_cols(void);   /* 0 before vga_init */
unsigned vga_rows(void);
#endif
