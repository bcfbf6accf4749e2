/* Linux and faultprobe oops parser (parse.h).  Title strings: Linux
 * arch/x86/kernel/traps.c (DO_ERROR names, "general protection fault",
 * "double fault", "kernel stack overflow (double-fault)"), arch/x86/mm/fault.c
 * (page_fault_oops: "BUG: unable to handle page fault for address:",
 * "BUG: kernel NULL pointer dereference, address:", "#PF: ..." lines, die("Oops");
 * older kernels: "BUG: unable to handle kernel paging request at",
 * "... NULL pointer dereference at", "IP: [<...>]"), dumpstack.c __die_header
 * ("%s: %04lx [#%d]", "Oops: " prefix since 6.11); faultprobe: report/oops.c
 * ("<vector_name>: %04x [#N] vector=N #XX"). */
#include "parse.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "probes/model/vectors.h"

#define REGION_MAX 400          /* lines a report may span */

static const struct {
	const char *name;
	int vector;
} linux_titles[] = {
	{ "kernel stack overflow (double-fault)", VEC_DF },
	{ "kernel stack overflow (page fault)", VEC_PF },
	{ "general protection fault", VEC_GP },
	{ "coprocessor segment overrun", VEC_CSO },
	{ "segment not present", VEC_NP },
	{ "alignment check", VEC_AC },
	{ "invalid opcode", VEC_UD },
	{ "stack segment", VEC_SS },
	{ "double fault", VEC_DF },
	{ "divide error", VEC_DE },
	{ "invalid TSS", VEC_TS },
	{ "overflow", VEC_OF },
	{ "bounds", VEC_BR },
	{ "int3", VEC_BP },
};

static bool hex4_seq(const char *p, struct fx_title *t, const char **end)
{
	uint64_t v;
	unsigned d;
	const char *e;

	if (!fx_hex(p, &v, &d, &e) || d != 4 || strncmp(e, " [#", 3) != 0)
		return false;
	p = e + 3;
	if (!isdigit((unsigned char)*p))
		return false;
	t->seq = 0;
	while (isdigit((unsigned char)*p) && t->seq < 1000000)
		t->seq = t->seq * 10 + (unsigned)(*p++ - '0');
	if (*p != ']')
		return false;
	t->err = (uint32_t)v;
	t->have_err = t->have_seq = true;
	*end = p + 1;
	return true;
}

/* After a name: optional ", probably for non-canonical address 0x..." /
 * ", maybe for address 0x...", then ": XXXX [#N]". */
static bool named_tail(const char *p, struct fx_title *t)
{
	const char *end;

	if (*p == ',') {
		const char *a = strstr(p, "address 0x");
		const char *colon = strstr(p, ": ");
		if (!a || !colon || a > colon)
			return false;
		if (fx_hex(a + 8, &t->hint, NULL, NULL))
			t->have_hint = true;
		p = colon;
	}
	if (strncmp(p, ": ", 2) != 0 || !hex4_seq(p + 2, t, &end))
		return false;
	/* faultprobe adds " vector=N #XX": the vector number is authoritative */
	if (strncmp(end, " vector=", 8) == 0 && isdigit((unsigned char)end[8])) {
		int v = 0;
		for (const char *q = end + 8; isdigit((unsigned char)*q) && v < 256; q++)
			v = v * 10 + (*q - '0');
		t->vector = v;
		t->faultprobe = true;
	}
	return true;
}

static bool pf_bug(const char *p, struct fx_title *t)
{
	static const char *const forms[] = {
		"BUG: unable to handle page fault for address: ",
		"BUG: kernel NULL pointer dereference, address: ",
		"BUG: unable to handle kernel NULL pointer dereference at ",
		"BUG: unable to handle kernel paging request at ",
		"BUG: unable to handle kernel ",
	};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t n = strlen(forms[i]);
		if (strncmp(p, forms[i], n) != 0)
			continue;
		const char *a = p + n;
		while (*a == ' ')
			a++;
		t->kind = FX_T_PF_BUG;
		t->vector = VEC_PF;
		if (strncmp(a, "(null)", 6) == 0) {
			t->addr = 0;
			t->have_addr = true;
		} else if (fx_hex(a, &t->addr, NULL, NULL)) {
			t->have_addr = true;
		}
		return true;
	}
	return false;
}

void fx_match_title(const char *line, struct fx_title *t)
{
	const char *p = line, *end;

	memset(t, 0, sizeof(*t));
	t->vector = VEC_NONE;
	/* every title and end marker starts with one of these */
	if (!*p || !strchr("-=WKBOSVabcdghikmnopsvx", *p))
		return;
	if (strncmp(p, "---[ end ", 9) == 0 || strncmp(p, "------------[ cut here", 22) == 0 ||
	    strncmp(p, "WARNING:", 8) == 0 || strncmp(p, "Kernel panic", 12) == 0 ||
	    strncmp(p, "=================================", 33) == 0) {
		t->kind = FX_T_END;
		return;
	}
	if (pf_bug(p, t))
		return;
	if (strncmp(p, "BUG: stack guard page was hit at ", 33) == 0) {
		t->kind = FX_T_GUARD;
		return;
	}
	if (strncmp(p, "BUG:", 4) == 0 || strncmp(p, "kernel BUG at", 13) == 0) {
		/* "kernel BUG at x.c:N!" is followed by its own "invalid opcode" title */
		t->kind = strncmp(p, "BUG:", 4) == 0 ? FX_T_END : FX_T_NONE;
		return;
	}
	while (strncmp(p, "Oops: ", 6) == 0) {
		p += 6;
		if (hex4_seq(p, t, &end)) {
			t->kind = FX_T_OOPS;
			t->vector = VEC_PF;
			return;
		}
	}
	for (size_t i = 0; i < sizeof(linux_titles) / sizeof(linux_titles[0]); i++) {
		size_t n = strlen(linux_titles[i].name);
		if (strncmp(p, linux_titles[i].name, n) == 0 && named_tail(p + n, t)) {
			if (!t->faultprobe)
				t->vector = linux_titles[i].vector;
			t->kind = FX_T_NAMED;
			return;
		}
	}
	/* faultprobe's titles use the vector table's names (vectors.c) */
	for (int v = 0; v < 32; v++) {
		const char *name = vector_mnemonic(v) ? vector_name(v) : NULL;
		size_t n = name ? strlen(name) : 0;
		if (n && strncmp(p, name, n) == 0 && named_tail(p + n, t)) {
			if (!t->faultprobe)
				t->vector = v;
			t->kind = FX_T_NAMED;
			return;
		}
	}
	memset(t, 0, sizeof(*t));
	t->vector = VEC_NONE;
}

/* ------------------------------------------------------------ fields */

static void take_line(struct fx_report *r, const char *s)
{
	struct fx_regs tmp;

	if (strncmp(s, "#PF: error_code(", 16) == 0) {
		uint64_t v;
		if (fx_hex(s + 16, &v, NULL, NULL)) {
			r->err = (uint32_t)v;
			r->have_err = true;
		}
		return;
	}
	if (strncmp(s, "#PF: ", 5) == 0) {
		snprintf(r->pf_desc, sizeof(r->pf_desc), "%s", s + 5);
		return;
	}
	if (strncmp(s, "KASAN: ", 7) == 0 && strstr(s, " in range [")) {
		const char *a = strstr(s, " in range [") + 11, *e;
		if (fx_hex(a, &r->kasan_lo, NULL, &e) && *e == '-' &&
		    fx_hex(e + 1, &r->kasan_hi, NULL, NULL))
			r->have_kasan = true;
		return;
	}
	if (strncmp(s, "Call Trace:", 11) == 0 || strcmp(s, "<TASK>") == 0 ||
	    strcmp(s, "<IRQ>") == 0) {
		r->after_trace = true;
		return;
	}
	if (strncmp(s, "Code:", 5) == 0) {
		if (r->code_state == FX_CODE_NONE)
			fx_parse_code(s, r);
		return;
	}
	if (r->after_trace)
		return;
	if (strncmp(s, "RIP:", 4) == 0 || strncmp(s, "IP: [<", 6) == 0) {
		char func[sizeof(r->func)] = "";
		bool inl = false;
		/* first RIP line wins, except that syzbot's "[inline]" frames give
		 * way to the line with the real function+offset */
		if (r->saw_rip && !(r->func_inline && !r->saw_rsp))
			return;
		memset(&tmp, 0, sizeof(tmp));
		fx_parse_rip(s, &tmp, func, sizeof(func), &inl);
		if (r->saw_rip && inl)
			return;
		if (tmp.have_rip) {
			r->regs.rip = tmp.rip;
			r->regs.have_rip = true;
		}
		if (tmp.have_cs) {
			r->regs.cs = tmp.cs;
			r->regs.have_cs = true;
		}
		if (func[0])
			snprintf(r->func, sizeof(r->func), "%s", func);
		r->func_inline = inl;
		/* the old "IP: [<...>]" line comes before "Oops: XXXX [#N]" */
		if (strncmp(s, "IP:", 3) != 0)
			r->saw_rip = true;
		/* "RIP: 0010:0x0" etc. may carry RSP on the same line (old trailers) */
		return;
	}
	if (strncmp(s, "EIP:", 4) == 0 || strncmp(s, "EAX:", 4) == 0) {
		r->is32 = true;
		return;
	}
	/* faultprobe: "hardware frame at X on stack S, pre-fault RSP Y" and rows */
	if (fx_parse_stack_row(s, &r->stack))
		return;
	memset(&tmp, 0, sizeof(tmp));
	if (fx_parse_regs(s, &tmp, r)) {
		struct fx_regs *g = &r->regs;
		/* first value wins for each register */
		for (int i = 0; i < GPR_COUNT; i++)
			if (fx_have_gpr(&tmp, i) && !fx_have_gpr(g, i)) {
				g->gpr[i] = tmp.gpr[i];
				g->have_gpr |= 1u << i;
			}
		if (fx_have_gpr(&tmp, GPR_RSP))
			r->saw_rsp = true;
#define TAKE(f) do { if (tmp.have_##f && !g->have_##f) { g->f = tmp.f; g->have_##f = true; } } while (0)
		TAKE(rflags);
		TAKE(cs);
		TAKE(ss);
		TAKE(cr0);
		TAKE(cr2);
		TAKE(cr3);
		TAKE(cr4);
		TAKE(orig_ax);
#undef TAKE
		if (tmp.have_fs && !g->have_fs) { g->fs_base = tmp.fs_base; g->have_fs = true; }
		if (tmp.have_gs && !g->have_gs) { g->gs_base = tmp.gs_base; g->have_gs = true; }
		if (tmp.have_kgs && !g->have_kgs) { g->kgs_base = tmp.kgs_base; g->have_kgs = true; }
	}
}

static void start(struct fx_report *r, const struct fx_title *t, const char *line,
		  unsigned no)
{
	r->src = t->faultprobe ? FX_SRC_FAULTPROBE : FX_SRC_LINUX;
	r->line = no;
	snprintf(r->title, sizeof(r->title), "%s", line);
	r->vector = t->vector;
	if (t->have_err) {
		r->have_err = true;
		r->err = t->err;
	}
	r->seq = t->seq;
	if (t->have_hint) {
		r->have_hint = true;
		r->hint = t->hint;
	}
	if (t->have_addr) {
		r->have_fault_addr = true;
		r->fault_addr = t->addr;
	}
}

bool fx_parse_oopses(const struct fx_text *t, struct fx_reports *out)
{
	long cur = -1;                  /* index of the open report */
	size_t opened_at = 0, guard_at = 0;
	bool pf_open = false, guard = false;

	for (size_t i = 0; i < t->n; i++) {
		const char *s = t->v[i].s;
		struct fx_title ti;

		if (!*s)
			continue;
		fx_match_title(s, &ti);
		if (ti.kind == FX_T_GUARD) {
			guard = true;
			guard_at = i;
			continue;
		}
		if (ti.kind == FX_T_END) {
			cur = -1;
			pf_open = false;
			continue;
		}
		if (ti.kind == FX_T_OOPS && cur >= 0 && pf_open && !out->v[cur].saw_rip) {
			/* "Oops: 0002 [#1]" completing a "BUG: unable to handle ..." */
			struct fx_report *r = &out->v[cur];
			if (!r->have_err) {
				r->have_err = true;
				r->err = ti.err;
			}
			r->seq = ti.seq;
			pf_open = false;
			continue;
		}
		if (ti.kind == FX_T_NAMED && cur >= 0 && pf_open && !out->v[cur].saw_rip &&
		    ti.vector == VEC_PF) {
			pf_open = false;        /* e.g. "kernel stack overflow (page fault)" */
			continue;
		}
		if (ti.kind == FX_T_NAMED || ti.kind == FX_T_OOPS || ti.kind == FX_T_PF_BUG) {
			struct fx_report *r = fx_reports_add(out);
			if (!r)
				return false;
			start(r, &ti, s, t->v[i].no);
			if (guard && i - guard_at <= 3)
				r->stack_overflow = true;
			guard = false;
			cur = (long)(out->n - 1);
			opened_at = i;
			pf_open = ti.kind == FX_T_PF_BUG;
			continue;
		}
		if (cur < 0)
			continue;
		if (i - opened_at > REGION_MAX) {
			cur = -1;
			continue;
		}
		take_line(&out->v[cur], s);
	}
	for (size_t k = 0; k < out->n; k++)
		if (out->v[k].is32)
			fx_note(&out->v[k], "EIP/EAX registers: this is a 32-bit (i386) oops; "
				"fpexplain explains x86-64 oopses only");
	return true;
}
