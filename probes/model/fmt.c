#include "fmt.h"

static const char hexdigits[] = "0123456789abcdef";

void sb_init(struct strbuf *sb, char *buf, size_t cap)
{
	sb->buf = buf;
	sb->cap = cap;
	sb->len = 0;
	sb->overflow = false;
	if (cap)
		buf[0] = '\0';
}

void sb_putc(struct strbuf *sb, char c)
{
	if (sb->len + 1 >= sb->cap) {
		sb->overflow = true;
		return;
	}
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

void sb_puts(struct strbuf *sb, const char *s)
{
	while (*s)
		sb_putc(sb, *s++);
}

void sb_hex(struct strbuf *sb, uint64_t v, unsigned digits)
{
	if (digits < 1)
		digits = 1;
	if (digits > 16)
		digits = 16;
	for (unsigned i = digits; i-- > 0;)
		sb_putc(sb, hexdigits[(v >> (i * 4)) & 0xf]);
}

void sb_hex64(struct strbuf *sb, uint64_t v)
{
	sb_puts(sb, "0x");
	sb_hex(sb, v, 16);
}

void sb_hexmin(struct strbuf *sb, uint64_t v)
{
	unsigned digits = 1;
	while (digits < 16 && (v >> (digits * 4)) != 0)
		digits++;
	sb_puts(sb, "0x");
	sb_hex(sb, v, digits);
}

void sb_dec(struct strbuf *sb, uint64_t v)
{
	char tmp[21];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n--)
		sb_putc(sb, tmp[n]);
}

void sb_pad_to(struct strbuf *sb, size_t col)
{
	while (sb->len < col && !sb->overflow)
		sb_putc(sb, ' ');
}

static void kv_key(struct strbuf *sb, const char *key)
{
	sb_putc(sb, ' ');
	sb_puts(sb, key);
	sb_putc(sb, '=');
}

void sb_kv_str(struct strbuf *sb, const char *key, const char *val)
{
	kv_key(sb, key);
	sb_puts(sb, val);
}

void sb_kv_hex64(struct strbuf *sb, const char *key, uint64_t v)
{
	kv_key(sb, key);
	sb_hex64(sb, v);
}

void sb_kv_hexmin(struct strbuf *sb, const char *key, uint64_t v)
{
	kv_key(sb, key);
	sb_hexmin(sb, v);
}

void sb_kv_dec(struct strbuf *sb, const char *key, uint64_t v)
{
	kv_key(sb, key);
	sb_dec(sb, v);
}

int fp_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t fp_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int fp_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

bool fp_streq(const char *a, const char *b)
{
	return a && b && fp_strcmp(a, b) == 0;
}

int fp_strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || !a[i])
			return (unsigned char)a[i] - (unsigned char)b[i];
	}
	return 0;
}
