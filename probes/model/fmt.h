/* Bounded string building without libc: hex, decimal, key=value pairs.
 * Compiled into the kernel and into the host tools/tests alike. */
#ifndef FP_FMT_H
#define FP_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct strbuf {
	char *buf;
	size_t cap;   /* bytes available, including the terminating NUL */
	size_t len;   /* characters written so far (excluding NUL) */
	bool overflow;/* set once anything had to be dropped */
};

void sb_init(struct strbuf *sb, char *buf, size_t cap);
void sb_putc(struct strbuf *sb, char c);
void sb_puts(struct strbuf *sb, const char *s);
/* Exactly `digits` lowercase hex digits (1..16), no prefix. */
void sb_hex(struct strbuf *sb, uint64_t v, unsigned digits);
/* "0x" + 16 lowercase hex digits. */
void sb_hex64(struct strbuf *sb, uint64_t v);
/* "0x" + minimal lowercase hex digits ("0x0" for zero). */
void sb_hexmin(struct strbuf *sb, uint64_t v);
void sb_dec(struct strbuf *sb, uint64_t v);
/* Pad with spaces up to column `col` (no-op if already past). */
void sb_pad_to(struct strbuf *sb, size_t col);

/* " key=value" helpers for machine-readable record lines. */
void sb_kv_str(struct strbuf *sb, const char *key, const char *val);
void sb_kv_hex64(struct strbuf *sb, const char *key, uint64_t v);
void sb_kv_hexmin(struct strbuf *sb, const char *key, uint64_t v);
void sb_kv_dec(struct strbuf *sb, const char *key, uint64_t v);

/* Value of one hex digit (either case), or -1. */
int fp_hex_digit(char c);

size_t fp_strlen(const char *s);
int fp_strcmp(const char *a, const char *b);
/* a and b equal, both non-NULL */
bool fp_streq(const char *a, const char *b);
int fp_strncmp(const char *a, const char *b, size_t n);

#endif
