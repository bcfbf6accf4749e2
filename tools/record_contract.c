/* The record contract (see record_contract.h). */
#include "record_contract.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../probes/model/vectors.h"

static const char *reason(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static const char *reason(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return buf;
}

static bool is_lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Number of lowercase hex digits after "0x" when s is 0x<digits> with
 * nothing else, or -1. */
static int hex_digits(const char *s)
{
	if (s[0] != '0' || s[1] != 'x')
		return -1;
	int n = 0;
	for (s += 2; *s; s++, n++)
		if (!is_lower_hex(*s) || n > 64)
			return -1;
	return n;
}

static bool is_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '+' ||
		      *s == '-'))
			return false;
	return true;
}

/* Decimal without leading zeros (or "0"), at most 10 digits. */
static bool is_decimal(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 10 || (n > 1 && s[0] == '0'))
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* "#SS", "none", or the formatter's "vec<n>" (report/record.c). */
static bool parse_vector(const char *s, int *v)
{
	if (vector_parse(s, v))
		return true;
	if (strncmp(s, "vec", 3) != 0 || !is_decimal(s + 3) || strlen(s + 3) > 3)
		return false;
	int n = 0;
	for (s += 3; *s; s++)
		n = n * 10 + (*s - '0');
	if (n > 255 || vector_mnemonic(n))
		return false;       /* architectural vectors print their mnemonic */
	*v = n;
	return true;
}

struct checker {
	const struct log_line *l;
	char *buf;
	size_t n;
	const char *why;
};

static const char *need(struct checker *c, const char *key)
{
	if (c->why)
		return NULL;
	const char *v = log_get(c->l, key);
	if (!v)
		c->why = reason(c->buf, c->n, "%s= missing", key);
	return v;
}

static void word(struct checker *c, const char *key, bool required)
{
	const char *v = required ? need(c, key) : log_get(c->l, key);
	if (!c->why && v && !is_word(v))
		c->why = reason(c->buf, c->n, "%s=%.40s is not a word of [a-z0-9_+-]", key, v);
}

static void decimal(struct checker *c, const char *key)
{
	const char *v = need(c, key);
	if (!c->why && !is_decimal(v))
		c->why = reason(c->buf, c->n, "%s=%.40s is not a decimal number", key, v);
}

/* 0x + 16 digits; "-" too when dash_ok. */
static void hex64(struct checker *c, const char *key, bool dash_ok)
{
	const char *v = need(c, key);
	if (c->why || (dash_ok && strcmp(v, "-") == 0))
		return;
	int d = hex_digits(v);
	if (d < 0)
		c->why = reason(c->buf, c->n, "%s=%.40s is not 0x<lowercase hex>%s", key, v,
				dash_ok ? " or -" : "");
	else if (d != 16)
		c->why = reason(c->buf, c->n, "%s=%.40s has %d hex digits, want 16", key, v, d);
}

/* 0x + 1..16 digits, no leading zero; "-" too when dash_ok. */
static void hexmin(struct checker *c, const char *key, bool dash_ok, bool required)
{
	const char *v = required ? need(c, key) : log_get(c->l, key);
	if (c->why || !v || (dash_ok && strcmp(v, "-") == 0))
		return;
	int d = hex_digits(v);
	if (d < 1 || d > 16)
		c->why = reason(c->buf, c->n, "%s=%.40s is not 0x<1-16 lowercase hex digits>%s", key, v,
				dash_ok ? " or -" : "");
	else if (d > 1 && v[2] == '0')
		c->why = reason(c->buf, c->n, "%s=%.40s has a leading zero (corrupt?)", key, v);
}

static void vector_key(struct checker *c, const char *key, int *out)
{
	const char *v = need(c, key);
	if (!c->why && !parse_vector(v, out))
		c->why = reason(c->buf, c->n, "%s=%.40s is not a vector (#SS, none, vec<n>)", key, v);
}

static bool is_dash(const struct log_line *l, const char *key)
{
	const char *v = log_get(l, key);
	return v && strcmp(v, "-") == 0;
}

/* err-like key: present as a number exactly when `vector` pushes an error
 * code (SDM Vol. 3 6.13). */
static void error_code(struct checker *c, const char *key, int vector, const char *vkey)
{
	if (c->why)
		return;
	bool want = vector != VEC_NONE && vector_has_error_code(vector);
	if (want && is_dash(c->l, key))
		c->why = reason(c->buf, c->n, "%s=- but %s=%s pushes an error code", key, vkey,
				log_get(c->l, vkey));
	else if (!want && !is_dash(c->l, key))
		c->why = reason(c->buf, c->n, "%s=%.40s but %s=%s pushes no error code", key,
				log_get(c->l, key), vkey, log_get(c->l, vkey));
}

const char *probe_contract_check(const struct log_line *l, char *buf, size_t n)
{
	struct checker c = { .l = l, .buf = buf, .n = n, .why = NULL };
	int vector = VEC_NONE, rule = VEC_NONE;

	if (!l->type || strcmp(l->type, "probe") != 0)
		return reason(buf, n, "not a probe record");
	decimal(&c, "id");
	word(&c, "set", true);
	word(&c, "slice", false);
	word(&c, "op", true);
	word(&c, "base", true);
	word(&c, "index", true);
	word(&c, "seg", true);
	decimal(&c, "width");
	decimal(&c, "cpl");
	if (!c.why && (log_get(l, "cpl")[1] || log_get(l, "cpl")[0] > '3'))
		c.why = reason(buf, n, "cpl=%.20s is not 0..3", log_get(l, "cpl"));
	const char *paging = need(&c, "paging");
	if (!c.why && strcmp(paging, "4") != 0 && strcmp(paging, "5") != 0)
		c.why = reason(buf, n, "paging=%.20s is not 4 or 5", paging);
	decimal(&c, "adjust");
	hex64(&c, "addr", false);
	vector_key(&c, "vector", &vector);
	hexmin(&c, "err", true, true);
	hex64(&c, "cr2", true);
	hex64(&c, "rip", true);
	hexmin(&c, "cs", true, true);
	hexmin(&c, "rflags", true, true);
	hex64(&c, "rsp", true);
	hexmin(&c, "ss", true, true);
	hex64(&c, "pre_rsp", false);
	hexmin(&c, "handler_ss", false, false);
	word(&c, "ring3_frame", false);
	word(&c, "platform", false);
	vector_key(&c, "rule", &rule);
	hexmin(&c, "rule_err", true, true);
	const char *agrees = need(&c, "agrees");
	if (!c.why && strcmp(agrees, "yes") != 0 && strcmp(agrees, "no") != 0)
		c.why = reason(buf, n, "agrees=%.20s is not yes or no", agrees);
	if (c.why)
		return c.why;

	/* A fault pushed a frame; no fault pushed nothing (report/record.c). */
	if (vector != VEC_NONE) {
		static const char *const pushed[] = { "rip", "cs", "rflags", "rsp" };
		for (size_t i = 0; i < sizeof(pushed) / sizeof(pushed[0]); i++)
			if (is_dash(l, pushed[i]))
				return reason(buf, n, "%s=- but vector=%s faulted", pushed[i],
					      log_get(l, "vector"));
		hex64(&c, "frame", true);
		word(&c, "stack", true);
		word(&c, "rip_at", true);
		word(&c, "saved_rsp", true);
	} else {
		static const char *const pushed[] = { "rip", "cs", "rflags", "rsp", "ss" };
		for (size_t i = 0; i < sizeof(pushed) / sizeof(pushed[0]); i++)
			if (!is_dash(l, pushed[i]))
				return reason(buf, n, "%s=%.40s but vector=none", pushed[i],
					      log_get(l, pushed[i]));
		hex64(&c, "value", false);
	}
	error_code(&c, "err", vector, "vector");
	error_code(&c, "rule_err", rule, "rule");
	if (!c.why && vector == VEC_PF && is_dash(l, "cr2"))
		c.why = reason(buf, n, "cr2=- but vector=#PF (CR2 is the faulting address)");
	return c.why;
}

const char *record_text_check(const char *s, size_t len, char *buf, size_t n)
{
	if (len > RECORD_MAX_LINE)
		return reason(buf, n, "record line of %zu bytes (garbage?)", len);
	long bad = log_first_binary_byte(s, len);
	if (bad >= 0)
		return reason(buf, n, "binary byte 0x%02x at column %ld (corrupt log?)",
			      (unsigned char)s[bad], bad + 1);
	return NULL;
}

int record_text_embedded(const char *s, size_t len)
{
	static const char needle[] = "probe id=";
	size_t k = sizeof(needle) - 1;
	for (size_t i = 0; i + k <= len; i++)
		if (memcmp(s + i, needle, k) == 0)
			return 1;
	return 0;
}

const char *skip_contract_check(const struct log_line *l, char *buf, size_t n)
{
	struct checker c = { .l = l, .buf = buf, .n = n, .why = NULL };

	if (!l->type || strcmp(l->type, "skip") != 0)
		return reason(buf, n, "not a skip record");
	decimal(&c, "id");
	word(&c, "set", true);
	word(&c, "slice", false);
	word(&c, "op", true);
	word(&c, "base", true);
	word(&c, "index", false);
	word(&c, "seg", false);
	hex64(&c, "addr", false);
	word(&c, "reason", true);
	return c.why;
}
