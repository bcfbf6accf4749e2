/* Input scanner (text.h). */
#include "text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool ci_contains(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++) {
		size_t j = 0;
		while (j < k && tolower((unsigned char)hay[i + j]) == needle[j])
			j++;
		if (j == k)
			return true;
	}
	return false;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "[  224.897239]", "[ T1675]", "[  C0]", "[Mon Jul 27 14:08:04 2021]":
 * returns the length including the ']' (0 if not a timestamp). */
static size_t timestamp_len(const char *s)
{
	const char *p = s + 1;

	if (*s != '[')
		return 0;
	while (*p == ' ')
		p++;
	if (isdigit((unsigned char)*p)) {
		while (isdigit((unsigned char)*p))
			p++;
		if (*p != '.')
			return 0;
		p++;
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p))
			p++;
		return *p == ']' ? (size_t)(p - s + 1) : 0;
	}
	if ((*p == 'T' || *p == 'C') && isdigit((unsigned char)p[1])) {
		p++;
		while (isdigit((unsigned char)*p))
			p++;
		return *p == ']' ? (size_t)(p - s + 1) : 0;
	}
	/* dmesg -T: "[Www Mmm dd hh:mm:ss yyyy]" */
	if (isupper((unsigned char)p[0]) && islower((unsigned char)p[1]) &&
	    islower((unsigned char)p[2]) && p[3] == ' ') {
		const char *q = p;
		int colons = 0;
		while (*q && *q != ']' && q - p < 32) {
			if (*q == ':')
				colons++;
			else if (!isalnum((unsigned char)*q) && *q != ' ')
				return 0;
			q++;
		}
		return *q == ']' && colons == 2 ? (size_t)(q - s + 1) : 0;
	}
	return 0;
}

/* "Feb 15 12:56:31 t44 kernel: ", "2024-03-01T10:00:00+0100 host kernel: ":
 * the prefix starts with a letter or digit, contains a time (':') and ends
 * in " kernel: " within the first 120 characters. */
static size_t syslog_len(const char *s)
{
	const char *k;

	if (!isalnum((unsigned char)*s))
		return 0;
	k = strstr(s, " kernel: ");
	if (!k || k - s > 120)
		return 0;
	if (!memchr(s, ':', (size_t)(k - s)))
		return 0;
	return (size_t)(k - s) + 9;
}

const char *fx_strip_prefixes(const char *s)
{
	for (int iter = 0; iter < 16; iter++) {
		const char *p = s;
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '<' && isdigit((unsigned char)p[1])) {
			const char *q = p + 1;
			while (isdigit((unsigned char)*q) && q - p < 4)
				q++;
			if (*q == '>')
				p = q + 1;
		}
		if ((n = timestamp_len(p)) != 0)
			p += n;
		else if ((n = syslog_len(p)) != 0)
			p += n;
		if (p == s)
			break;
		s = p;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Mail quote markers: ">", "> > ", ">>" ... then one optional blank. */
static const char *strip_quotes(const char *s, const char *end)
{
	const char *p = s, *last = s;

	for (;;) {
		const char *q = p;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < end && *q == '>') {
			p = q + 1;
			last = p;
			continue;
		}
		break;
	}
	if (last != s && last < end && *last == ' ')
		last++;
	return last;
}

struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void buf_put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static bool push_line(struct fx_text *t, size_t *cap, char *s, unsigned no)
{
	if (t->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		struct fx_line *nv = realloc(t->v, nc * sizeof(*nv));
		if (!nv)
			return false;
		t->v = nv;
		*cap = nc;
	}
	t->v[t->n].s = s;
	t->v[t->n].no = no;
	t->n++;
	return true;
}

/* Decode the =XX escapes of a quoted-printable line in place. */
static void qp_decode(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		int hi, lo;
		if (*r == '=' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0) {
			*w++ = (char)(hi * 16 + lo);
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* Finish one raw line (already joined across QP soft breaks): strip, sanitize,
 * cap, store. */
static bool finish_line(struct fx_text *t, size_t *cap, struct buf *raw, unsigned no)
{
	const char *s;
	char *out;
	size_t n, i;

	if (raw->oom)
		return false;
	if (!raw->p)
		buf_put(raw, "", 0);
	if (raw->oom)
		return false;
	/* Control characters (NUL included) become blanks before any matching. */
	for (i = 0; i < raw->len; i++)
		if ((unsigned char)raw->p[i] < 0x20 || raw->p[i] == 0x7f)
			raw->p[i] = ' ';
	if (t->quoted_printable)
		qp_decode(raw->p);
	s = fx_strip_prefixes(raw->p);
	n = strlen(s);
	while (n && (s[n - 1] == ' '))
		n--;
	if (n > FX_LINE_MAX) {
		n = FX_LINE_MAX;
		t->cut_lines++;
	}
	out = malloc(n + 1);
	if (!out)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	if (!push_line(t, cap, out, no)) {
		free(out);
		return false;
	}
	return true;
}

/* Labels whose value the kernel prints right after them: a line that ends
 * with one was folded (mail) and continues on the next line. */
static bool ends_with_label(const char *s)
{
	static const char *const labels[] = {
		"RAX:", "RBX:", "RCX:", "RDX:", "RSI:", "RDI:", "RBP:", "RSP:",
		"R08:", "R09:", "R8:", "R9:", "R10:", "R11:", "R12:", "R13:", "R14:",
		"R15:", "CR0:", "CR2:", "CR3:", "CR4:", "DR0:", "DR1:", "DR2:", "DR3:",
		"DR6:", "DR7:", "ORIG_RAX:", "EFLAGS:", "RFLAGS:", "FS:", "GS:",
		"knlGS:", "RIP:",
	};
	size_t n = strlen(s);

	if (!n || s[n - 1] != ':')
		return false;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		size_t k = strlen(labels[i]);
		if (n >= k && strcmp(s + n - k, labels[i]) == 0 &&
		    (n == k || s[n - k - 1] == ' '))
			return true;
	}
	return false;
}

/* A line of bare code bytes: "49 03 56 38", "00 00 00 90 <e8> 2b". */
static bool hex_bytes_only(const char *s)
{
	int tokens = 0;

	while (*s) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (*s == '<' || *s == '(') {
			char close = *s == '<' ? '>' : ')';
			if (hexval(s[1]) < 0 || hexval(s[2]) < 0 || s[3] != close)
				return false;
			s += 4;
		} else {
			if (hexval(s[0]) < 0 || hexval(s[1]) < 0)
				return false;
			s += 2;
		}
		if (*s && *s != ' ')
			return false;
		tokens++;
	}
	return tokens > 0;
}

static char *concat(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = malloc(na + nb + 2);

	if (!s)
		return NULL;
	memcpy(s, a, na);
	s[na] = ' ';
	memcpy(s + na + 1, b, nb + 1);
	return s;
}

/* Join folded lines (see text.h); a joined-away line is left empty. */
static bool join_folds(struct fx_text *t)
{
	for (size_t i = 0; i < t->n; i++) {
		size_t k = i + 1;

		while (k < t->n) {
			char *s = t->v[i].s, *j;
			const char *nx = t->v[k].s;
			bool code_open = strncmp(s, "Code: ", 6) == 0 && hex_bytes_only(s + 6);

			if (!((ends_with_label(s) && isxdigit((unsigned char)nx[0])) ||
			      (code_open && hex_bytes_only(nx))))
				break;
			j = concat(s, nx);
			if (!j)
				return false;
			if (strlen(j) > FX_LINE_MAX) {
				j[FX_LINE_MAX] = '\0';
				t->cut_lines++;
			}
			free(s);
			t->v[i].s = j;
			t->v[k].s[0] = '\0';
			k++;
		}
		i = k - 1;
	}
	return true;
}

bool fx_text_load(const char *data, size_t len, struct fx_text *t)
{
	size_t cap = 0, i = 0;
	unsigned no = 1;

	memset(t, 0, sizeof(*t));
	for (size_t k = 0; k < len; k++)
		if (data[k] == '\0')
			t->nul_bytes++;
	t->quoted_printable = ci_contains(data, len, "quoted-printable");

	while (i < len) {
		struct buf raw = { 0 };
		unsigned first = no;
		for (;;) {
			size_t start = i;
			while (i < len && data[i] != '\n' && data[i] != '\r')
				i++;
			const char *end = data + i;
			const char *body = strip_quotes(data + start, end);
			size_t n = (size_t)(end - body);
			bool soft = t->quoted_printable && n > 0 && body[n - 1] == '=';
			/* keep raw lines bounded even before the cap */
			if (raw.len + n > 4 * FX_LINE_MAX)
				n = raw.len < 4 * FX_LINE_MAX ? 4 * FX_LINE_MAX - raw.len : 0;
			buf_put(&raw, body, soft ? n - 1 : n);
			if (i < len && data[i] == '\r')
				i++;
			if (i < len && data[i] == '\n')
				i++;
			no++;
			if (!soft || i >= len)
				break;
		}
		if (!finish_line(t, &cap, &raw, first)) {
			free(raw.p);
			fx_text_free(t);
			return false;
		}
		free(raw.p);
	}
	if (!join_folds(t)) {
		fx_text_free(t);
		return false;
	}
	return true;
}

void fx_text_free(struct fx_text *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].s);
	free(t->v);
	memset(t, 0, sizeof(*t));
}
