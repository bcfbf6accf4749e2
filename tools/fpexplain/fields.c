/* Field parsers (fields.h).  The formats are the ones Linux prints in
 * arch/x86/kernel/process_64.c __show_regs() and dumpstack.c
 * show_ip()/show_opcodes(), crash prints in its `bt` exception frames, and
 * faultprobe prints in report/oops.c. */
#include "fields.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool fx_hex(const char *s, uint64_t *v, unsigned *digits, const char **end)
{
	uint64_t x = 0;
	unsigned n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isxdigit((unsigned char)s[2]))
		s += 2;
	while (isxdigit((unsigned char)*s)) {
		if (n == 16)
			return false;
		int d = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
		x = x << 4 | (uint64_t)d;
		n++;
		s++;
	}
	if (!n)
		return false;
	*v = x;
	if (digits)
		*digits = n;
	if (end)
		*end = s;
	return true;
}

enum kind { K_GPR, K_RSP, K_FLAGS, K_CS, K_SS, K_FS, K_GS, K_KGS, K_CR0, K_CR2, K_CR3, K_CR4, K_ORIG };

static const struct {
	const char *name;
	enum kind kind;
	int gpr;
} names[] = {
	{ "RAX", K_GPR, GPR_RAX }, { "RBX", K_GPR, GPR_RBX }, { "RCX", K_GPR, GPR_RCX },
	{ "RDX", K_GPR, GPR_RDX }, { "RSI", K_GPR, GPR_RSI }, { "RDI", K_GPR, GPR_RDI },
	{ "RBP", K_GPR, GPR_RBP }, { "RSP", K_RSP, GPR_RSP },
	{ "R08", K_GPR, GPR_R8 }, { "R8", K_GPR, GPR_R8 }, { "R09", K_GPR, GPR_R9 },
	{ "R9", K_GPR, GPR_R9 }, { "R10", K_GPR, GPR_R10 }, { "R11", K_GPR, GPR_R11 },
	{ "R12", K_GPR, GPR_R12 }, { "R13", K_GPR, GPR_R13 }, { "R14", K_GPR, GPR_R14 },
	{ "R15", K_GPR, GPR_R15 },
	{ "EFLAGS", K_FLAGS, -1 }, { "RFLAGS", K_FLAGS, -1 },
	{ "CS", K_CS, -1 }, { "SS", K_SS, -1 },
	{ "FS", K_FS, -1 }, { "GS", K_GS, -1 }, { "knlGS", K_KGS, -1 },
	{ "CR0", K_CR0, -1 }, { "CR2", K_CR2, -1 }, { "CR3", K_CR3, -1 }, { "CR4", K_CR4, -1 },
	{ "ORIG_RAX", K_ORIG, -1 },
};

static void bad(struct fx_report *rep, const char *name, const char *v, unsigned digits, unsigned want)
{
	char tok[24];
	size_t n = 0;

	if (!rep)
		return;
	while (v[n] && v[n] != ' ' && n + 1 < sizeof(tok))
		n++;
	memcpy(tok, v, n);
	tok[n] = '\0';
	if (digits)
		fx_note(rep, "%s: '%s' has %u hex digits, want %u: not used", name, tok, digits, want);
	else
		fx_note(rep, "%s: '%s' is not a hex value: not used", name, tok);
}

/* A 64-bit register value: exactly 16 digits (Linux "%016lx"). */
static bool val64(const char *p, uint64_t *v, const char **end, const char *name,
		  struct fx_report *rep)
{
	unsigned d = 0;

	if (!fx_hex(p, v, &d, end) || d != 16 || (**end && **end != ' ' && **end != '(')) {
		bad(rep, name, p, fx_hex(p, v, &d, end) ? d : 0, 16);
		return false;
	}
	return true;
}

int fx_parse_regs(const char *line, struct fx_regs *r, struct fx_report *rep)
{
	int taken = 0;

	for (size_t i = 0; line[i]; i++) {
		if (i && line[i - 1] != ' ' && line[i - 1] != '\t')
			continue;
		/* every register name starts with R, E, C, S, F, G, O or k */
		if (!strchr("RECSFGOk", line[i]))
			continue;
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			size_t n = strlen(names[k].name);
			const char *p, *end;
			uint64_t v;
			unsigned d;

			if (strncmp(line + i, names[k].name, n) != 0 || line[i + n] != ':')
				continue;
			p = line + i + n + 1;
			while (*p == ' ')
				p++;
			switch (names[k].kind) {
			case K_GPR:
				if (val64(p, &v, &end, names[k].name, rep)) {
					r->gpr[names[k].gpr] = v;
					r->have_gpr |= 1u << names[k].gpr;
					taken++;
				}
				break;
			case K_RSP:
				/* "RSP: 0018:ffffc9000..." (Linux) or "RSP: ffff..." (crash) */
				if (fx_hex(p, &v, &d, &end) && d == 4 && *end == ':') {
					r->ss = v;
					r->have_ss = true;
					p = end + 1;
				}
				if (val64(p, &v, &end, "RSP", rep)) {
					r->gpr[GPR_RSP] = v;
					r->have_gpr |= 1u << GPR_RSP;
					taken++;
				}
				break;
			case K_FLAGS:
				if (fx_hex(p, &v, &d, &end) && (d == 8 || d == 16)) {
					r->rflags = v;
					r->have_rflags = true;
					taken++;
				} else {
					bad(rep, names[k].name, p, fx_hex(p, &v, &d, &end) ? d : 0, 8);
				}
				break;
			case K_CS:
			case K_SS:
				if (fx_hex(p, &v, &d, &end) && d == 4) {
					if (names[k].kind == K_CS) {
						r->cs = v;
						r->have_cs = true;
					} else {
						r->ss = v;
						r->have_ss = true;
					}
					taken++;
				}
				break;
			case K_FS:
			case K_GS:
			case K_KGS:
				if (val64(p, &v, &end, names[k].name, rep)) {
					if (names[k].kind == K_FS) {
						r->fs_base = v;
						r->have_fs = true;
					} else if (names[k].kind == K_GS) {
						r->gs_base = v;
						r->have_gs = true;
					} else {
						r->kgs_base = v;
						r->have_kgs = true;
					}
					taken++;
				}
				break;
			case K_CR0:
			case K_CR2:
			case K_CR3:
			case K_CR4:
				if (val64(p, &v, &end, names[k].name, rep)) {
					enum kind kd = names[k].kind;
					if (kd == K_CR0) { r->cr0 = v; r->have_cr0 = true; }
					if (kd == K_CR2) { r->cr2 = v; r->have_cr2 = true; }
					if (kd == K_CR3) { r->cr3 = v; r->have_cr3 = true; }
					if (kd == K_CR4) { r->cr4 = v; r->have_cr4 = true; }
					taken++;
				}
				break;
			case K_ORIG:
				if (val64(p, &v, &end, "ORIG_RAX", rep)) {
					r->orig_ax = v;
					r->have_orig_ax = true;
					taken++;
				}
				break;
			}
			break;
		}
	}
	return taken;
}

static void copy_sym(char *dst, size_t dstsz, const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ' && s[n] != '\t' && n + 1 < dstsz)
		n++;
	memcpy(dst, s, n);
	dst[n] = '\0';
	/* "sym+0x3e/0x130" -> "sym+0x3e" */
	char *slash = strchr(dst, '/');
	if (slash && strstr(dst, "+0x"))
		*slash = '\0';
}

void fx_parse_rip(const char *line, struct fx_regs *r, char *func, size_t funcsz,
		  bool *inline_frame)
{
	const char *p = strchr(line, ':'), *end;
	uint64_t v;
	unsigned d;

	if (!p)
		return;
	p++;
	while (*p == ' ')
		p++;
	*inline_frame = strstr(line, "[inline]") != NULL;
	/* "0010:" selector */
	if (fx_hex(p, &v, &d, &end) && d == 4 && *end == ':') {
		r->cs = v;
		r->have_cs = true;
		p = end + 1;
	}
	if (strncmp(p, "[<", 2) == 0 && fx_hex(p + 2, &v, &d, &end) && *end == '>') {
		r->rip = v;
		r->have_rip = true;
		p = end + 1;                            /* past '>' */
		if (*p == ']')                          /* "[<x>]"; a line may end at '>' */
			p++;
		while (*p == ' ')
			p++;
		if (strncmp(p, "[<", 2) == 0) {         /* RIP: 0010:[<x>]  [<x>] sym */
			const char *q = strchr(p, ']');
			p = q ? q + 1 : p + strlen(p);
			while (*p == ' ')
				p++;
		}
		if (*p)
			copy_sym(func, funcsz, p);
		return;
	}
	if (p[0] == '0' && p[1] == 'x' && fx_hex(p, &v, &d, &end) && (!*end || *end == ' ')) {
		r->rip = v;                             /* "RIP: 0010:0x0" */
		r->have_rip = true;
		snprintf(func, funcsz, "0x%llx", (unsigned long long)v);
		return;
	}
	if (fx_hex(p, &v, &d, &end) && d == 16 && (!*end || *end == ' ')) {
		r->rip = v;                             /* crash, faultprobe */
		r->have_rip = true;
		return;
	}
	if (*p)
		copy_sym(func, funcsz, p);
}

static int hexdig(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

void fx_parse_code(const char *line, struct fx_report *r)
{
	const char *p = line + 5;       /* past "Code:" */
	unsigned n = 0;
	int marker = -1;

	while (*p == ' ')
		p++;
	if (strncmp(p, "Bad RIP value", 13) == 0) {
		r->code_state = FX_CODE_BAD_RIP;
		return;
	}
	if (strncmp(p, "Unable to access opcode bytes", 29) == 0) {
		r->code_state = FX_CODE_UNREADABLE;
		return;
	}
	while (*p) {
		int hi, lo, mark = 0;
		if (*p == '<' || *p == '(') {
			mark = *p == '<' ? '>' : ')';
			p++;
		}
		if ((hi = hexdig(p[0])) < 0 || (lo = hexdig(p[1])) < 0 ||
		    (mark && p[2] != mark) || (!mark && p[2] && p[2] != ' ')) {
			r->code_state = FX_CODE_MALFORMED;
			fx_note(r, "Code: line has something other than hex bytes at '%.20s'%s",
				mark ? p - 1 : p, n ? "" : " (no bytes before it)");
			r->code_len = n;
			r->code_marker = marker;
			return;
		}
		if (n == FX_CODE_MAX) {
			fx_note(r, "Code: line longer than %d bytes: cut", FX_CODE_MAX);
			break;
		}
		if (mark) {
			if (marker >= 0) {
				r->code_state = FX_CODE_MALFORMED;
				fx_note(r, "Code: line marks two faulting bytes");
				return;
			}
			marker = (int)n;
		}
		r->code[n++] = (uint8_t)(hi * 16 + lo);
		p += mark ? 3 : 2;
		while (*p == ' ')
			p++;
	}
	r->code_len = n;
	r->code_marker = marker;
	r->code_state = n == 0 ? FX_CODE_MALFORMED : marker < 0 ? FX_CODE_NO_MARKER : FX_CODE_OK;
}
