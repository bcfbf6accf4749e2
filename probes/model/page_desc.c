#include "page_desc.h"

void page_desc_put(struct strbuf *sb, uint64_t va, const struct page_info *pi)
{
	bool first = true;
	const char *flags[6];
	unsigned n = 0;

	sb_hex64(sb, va);
	sb_putc(sb, ':');
	if (pi->state != PAGE_PRESENT) {
		sb_puts(sb, "np");
		return;
	}
	flags[n++] = "p";
	if (pi->writable)
		flags[n++] = "w";
	if (pi->user)
		flags[n++] = "u";
	if (pi->nx)
		flags[n++] = "nx";
	if (pi->rsvd)
		flags[n++] = "rsvd";
	for (unsigned i = 0; i < n; i++) {
		if (!first)
			sb_putc(sb, '+');
		sb_puts(sb, flags[i]);
		first = false;
	}
	if (pi->pkey) {
		sb_puts(sb, "+pk");
		sb_dec(sb, pi->pkey);
	}
}

static bool word_is(const char *s, unsigned n, const char *w)
{
	unsigned i = 0;
	for (; i < n && w[i]; i++)
		if (s[i] != w[i])
			return false;
	return i == n && !w[i];
}

bool page_desc_parse(const char *s, uint64_t *va, struct page_info *pi)
{
	uint64_t v = 0;
	unsigned digits = 0;

	*pi = (struct page_info){ PAGE_NOT_PRESENT, false, false, false, false, 0 };
	if (s[0] != '0' || s[1] != 'x')
		return false;
	for (s += 2; *s && *s != ':'; s++, digits++) {
		int d = fp_hex_digit(*s);
		if (d < 0 || digits >= 16)
			return false;
		v = v << 4 | (unsigned)d;
	}
	if (*s != ':' || !digits)
		return false;
	*va = v;
	s++;
	while (*s && *s != ',') {
		unsigned n = 0;
		while (s[n] && s[n] != '+' && s[n] != ',')
			n++;
		if (word_is(s, n, "np"))
			pi->state = PAGE_NOT_PRESENT;
		else if (word_is(s, n, "p"))
			pi->state = PAGE_PRESENT;
		else if (word_is(s, n, "w"))
			pi->writable = true;
		else if (word_is(s, n, "u"))
			pi->user = true;
		else if (word_is(s, n, "nx"))
			pi->nx = true;
		else if (word_is(s, n, "rsvd"))
			pi->rsvd = true;
		else if (n == 3 && s[0] == 'p' && s[1] == 'k' && s[2] >= '0' && s[2] <= '9')
			pi->pkey = (unsigned)(s[2] - '0');
		else if (n == 4 && s[0] == 'p' && s[1] == 'k' && s[2] == '1' && s[3] >= '0' && s[3] <= '5')
			pi->pkey = 10u + (unsigned)(s[3] - '0');
		else
			return false;
		s += n;
		if (*s == '+')
			s++;
	}
	return true;
}
