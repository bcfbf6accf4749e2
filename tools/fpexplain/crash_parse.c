/* crash session parser (parse.h).  Formats: crash(8) `bt` frame headers
 * " #7 [ffffabfa4b0ebc08] __kmalloc at ffffffff84287f8b [module]", `bt -f`
 * rows "    ffffabfa4b0ebc10: 0000000000000010 0000000000010202", the
 * exception frame block "[exception RIP: sym+off]" followed by
 * "RIP: ...  RSP: ...  RFLAGS: ..." lines, and `dis` lines
 * "0xffffffff84287f8b <__kmalloc+171>:     mov    0x0(%rbp,%rax,1),%rbx". */
#include "parse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "frame.h"
#include "probes/model/vectors.h"

static bool hex16(const char *p, uint64_t *v, const char **end)
{
	unsigned d;

	return fx_hex(p, v, &d, end) && d == 16;
}

bool fx_parse_stack_row(const char *line, struct fx_stack *s)
{
	const char *p = line, *end;
	uint64_t addr, v;
	int n = 0;

	if (!hex16(p, &addr, &end) || *end != ':')
		return false;
	p = end + 1;
	while (*p == ' ')
		p++;
	while (hex16(p, &v, &end)) {
		char given[24] = "";
		p = end;
		if (*p == '[' || *p == '{' || (p[0] == ' ' && p[1] == '[')) {
			/* a label already written after the value ("...338[rbp]",
			 * faultprobe's "0000000000000000 [Error Code]") */
			const char *q = *p == ' ' ? p + 1 : p;
			char close = *q == '[' ? ']' : '}';
			const char *c = strchr(q, close);
			if (c && c - q < (long)sizeof(given) - 1) {
				memcpy(given, q, (size_t)(c - q + 1));
				given[c - q + 1] = '\0';
				p = c + 1;
			}
		}
		if (*p && *p != ' ')
			break;
		if (!fx_stack_slot(s, addr + 8ull * (unsigned)n, v, given))
			return true;
		n++;
		while (*p == ' ')
			p++;
	}
	return n > 0;
}

/* " #7 [ffffabfa4b0ebc08] __kmalloc at ffffffff84287f8b" ("# 7" too). */
static bool frame_header(const char *s, struct fx_bt_frame *f)
{
	const char *p = s, *end;

	if (*p != '#')
		return false;
	p++;
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	f->no = 0;
	while (isdigit((unsigned char)*p) && f->no < 100000)
		f->no = f->no * 10 + (*p++ - '0');
	while (*p == ' ')
		p++;
	if (*p != '[' || !fx_hex(p + 1, &f->addr, NULL, &end) || *end != ']')
		return false;
	p = end + 1;
	while (*p == ' ')
		p++;
	size_t n = 0;
	while (p[n] && p[n] != ' ' && n + 1 < sizeof(f->func))
		n++;
	if (!n)
		return false;
	memcpy(f->func, p, n);
	f->func[n] = '\0';
	p += n;
	if (strncmp(p, " at ", 4) != 0 || !fx_hex(p + 4, &f->pc, NULL, NULL))
		return false;
	return true;
}

/* "0xffffffff84287f8b <__kmalloc+171>:     mov    0x0(%rbp,%rax,1),%rbx" */
static bool dis_line(const char *s, struct fx_dis *d)
{
	const char *end, *gt;

	if (strncmp(s, "0x", 2) != 0 || !fx_hex(s, &d->addr, NULL, &end) || end[0] != ' ')
		return false;
	while (*end == ' ')
		end++;
	if (*end != '<' || !(gt = strchr(end, '>')) || gt[1] != ':')
		return false;
	snprintf(d->sym, sizeof(d->sym), "%.*s", (int)(gt - end - 1), end + 1);
	gt += 2;
	while (*gt == ' ' || *gt == '\t')
		gt++;
	snprintf(d->text, sizeof(d->text), "%s", gt);
	return true;
}

/* A session: one task's stack (lines before the first "PID:" and every
 * "PID:" header start one). */
struct session {
	struct fx_stack st;
	unsigned first_line;
	long pid;
	bool used;
};

static bool flush(struct session *ss, struct fx_reports *out)
{
	if (ss->used && !fx_crash_reports(&ss->st, ss->first_line, out)) {
		fx_stack_free(&ss->st);
		return false;
	}
	fx_stack_free(&ss->st);
	memset(ss, 0, sizeof(*ss));
	return true;
}

bool fx_parse_crash(const struct fx_text *t, struct fx_reports *out)
{
	struct session ss;
	bool in_exc = false;

	memset(&ss, 0, sizeof(ss));
	for (size_t i = 0; i < t->n; i++) {
		const char *s = t->v[i].s;
		struct fx_bt_frame f;
		struct fx_dis d;

		if (strncmp(s, "crash> ", 7) == 0) {
			in_exc = false;
			continue;
		}
		if (strncmp(s, "PID: ", 5) == 0 && strstr(s, "TASK: ")) {
			long pid = strtol(s + 5, NULL, 10);
			if (pid != ss.pid && !flush(&ss, out))
				return false;
			ss.pid = pid;
			in_exc = false;
			continue;
		}
		memset(&f, 0, sizeof(f));
		if (frame_header(s, &f)) {
			f.line = t->v[i].no;
			if (!ss.used) {
				ss.used = true;
				ss.first_line = f.line;
			}
			fx_stack_frame(&ss.st, &f);
			in_exc = false;
			continue;
		}
		if (strncmp(s, "[exception RIP: ", 16) == 0) {
			ss.used = true;
			if (!ss.first_line)
				ss.first_line = t->v[i].no;
			ss.st.have_exc = true;
			snprintf(ss.st.exc_sym, sizeof(ss.st.exc_sym), "%.*s",
				 (int)strcspn(s + 16, "]"), s + 16);
			in_exc = true;
			continue;
		}
		if (in_exc) {
			if (strncmp(s, "RIP: ", 5) == 0) {
				char func[8];
				bool inl;
				fx_parse_rip(s, &ss.st.exc_regs, func, sizeof(func), &inl);
			}
			if (fx_parse_regs(s, &ss.st.exc_regs, NULL))
				continue;
			in_exc = false;
		}
		if (strncmp(s, "random = ", 9) == 0) {
			/* crash prints unsigned long fields in decimal, or 0x... */
			char *end;
			unsigned long long v = strtoull(s + 9, &end, 0);
			if (end != s + 9) {
				ss.st.have_slab_random = true;
				ss.st.slab_random = v;
			}
			continue;
		}
		memset(&d, 0, sizeof(d));
		if (dis_line(s, &d)) {
			fx_stack_dis(&ss.st, &d);
			continue;
		}
		if (fx_parse_stack_row(s, &ss.st) && !ss.used) {
			ss.used = true;
			ss.first_line = t->v[i].no;
		}
	}
	return flush(&ss, out);
}
