/* 16550 UARTs: COM1 (0x3F8), COM2 (0x2F8) or any I/O port, 8N1 at a chosen
 * baud rate.  Each is tested before use (scratch register and loopback),
 * and every wait for a transmitter is bounded, so a machine without a
 * serial port still completes the run on screen. */
#ifndef FP_SERIAL_H
#define FP_SERIAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SERIAL_COM1 0x3F8
#define SERIAL_COM2 0x2F8
#define SERIAL_MAX  4

/* Detect and program the UART at `port` (divisor 115200/baud, 8N1, FIFO
 * on); false when nothing answers there. */
bool serial_add(uint16_t port, unsigned baud);
/* Forget every UART (a console= option replaces the default). */
void serial_clear(void);
unsigned serial_count(void);
uint16_t serial_port(unsigned i);
void serial_write(const char *s, size_t n);
/* A UART stopped draining and was given up on: what it did not take is
 * missing from the log. */
bool serial_lost_output(void);
#endif
