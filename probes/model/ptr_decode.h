/* A bad pointer read as memory: its bytes, as ASCII and UTF-16LE text,
 * whether it is canonical, and whether it looks like a USB string
 * descriptor (the seed's freelist value 0x0072006900560338 does).  Used by
 * the vmcore replay and fpexplain. */
#ifndef FP_PTR_DECODE_H
#define FP_PTR_DECODE_H

#include <stdbool.h>
#include <stdint.h>

/* The bad pointer, read as memory (little-endian bytes). */
struct ptr_decode {
	uint8_t bytes[8];
	char hex[24];                  /* "38:03:56:00:69:00:72:00"             */
	char ascii[9];                 /* printable or '.'                       */
	char utf16[64];                /* UTF-16LE code units, printable ASCII as
	                                  is, others as \uXXXX (no spaces)       */
	char utf16_cps[48];            /* "U+0338,U+0056,U+0069,U+0072"          */
	bool canonical4, canonical5;   /* SDM Vol. 1 3.3.7.1, Vol. 3 4.1.1       */
	/* A USB string descriptor starts bLength, bDescriptorType = 3 (STRING),
	 * then UTF-16LE text (USB 2.0 9.6.7). */
	bool usb_string;
	unsigned usb_len;              /* bLength                                */
	char usb_text[32];             /* the text that follows, as utf16       */
};
void ptr_decode(uint64_t v, struct ptr_decode *d);

#endif
