/* Output (output.h). */
#include "output.h"

#include <stdarg.h>
#include <string.h>

#include "probes/model/vectors.h"

/* ------------------------------------------------------------ key list */

struct kv {
	char key[24];
	char val[240];
	bool quote;
};

struct kvs {
	struct kv v[64];
	unsigned n;
};

static void add(struct kvs *k, const char *key, bool quote, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add(struct kvs *k, const char *key, bool quote, const char *fmt, ...)
{
	va_list ap;

	if (k->n >= sizeof(k->v) / sizeof(k->v[0]))
		return;
	snprintf(k->v[k->n].key, sizeof(k->v[0].key), "%s", key);
	va_start(ap, fmt);
	vsnprintf(k->v[k->n].val, sizeof(k->v[0].val), fmt, ap);
	va_end(ap);
	k->v[k->n].quote = quote;
	k->n++;
}

static const char *vec(int v)
{
	const char *m;

	if (v == FX_RULE_UNKNOWN)
		return "unknown";
	if (v == RULE_SHUTDOWN)
		return "shutdown";
	m = vector_mnemonic(v);
	return m ? m : "unknown";
}

static const char *src_name(enum fx_src s)
{
	return s == FX_SRC_CRASH ? "crash" : s == FX_SRC_FAULTPROBE ? "faultprobe" : "linux";
}

static const char *op_word(const struct fx_eval *ev)
{
	return ev->fetch ? "fetch" : probe_op_name(ev->m.op);
}

static void disp_str(char *b, size_t n, const struct fx_memop *m)
{
	if (!m->has_disp && m->base != GPR_NONE && !m->rip_rel)
		snprintf(b, n, "0x0");
	else if (m->disp < 0)
		snprintf(b, n, "-0x%llx", (unsigned long long)-(uint64_t)m->disp);
	else
		snprintf(b, n, "0x%llx", (unsigned long long)m->disp);
}

static const char *plat_str(const struct platform_outcome *p, char *b, size_t n)
{
	if (!p->known)
		return "unknown";
	snprintf(b, n, "%s", vec(p->vector));
	return b;
}

/* The platform's deviations from the manuals, "a, b" (probes/model/platform.h). */
static const char *deviation_names(const struct platform_outcome *p, char *b, size_t n)
{
	size_t used = 0;

	b[0] = '\0';
	for (unsigned i = 0; i < p->ndev && i < PLATFORM_MAX_DEV; i++) {
		int w = snprintf(b + used, n - used, "%s%s", i ? ", " : "", p->dev[i].name);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
	return b;
}

static void build(struct kvs *k, unsigned no, const struct fx_report *r, const struct fx_expl *x,
		  const struct fx_value *val)
{
	const struct fx_eval *ev = x->primary >= 0 ? &x->ev[x->primary] : NULL;
	char b[64];

	memset(k, 0, sizeof(*k));
	add(k, "oops", false, "%u", no);
	add(k, "title", false, "%s", r->vector == VEC_NONE ? "unknown" : vec(r->vector));
	if (r->have_err)
		add(k, "err", false, "0x%x", r->err);
	else
		add(k, "err", false, "-");
	add(k, "func", false, "%s", r->func[0] ? r->func : "-");
	add(k, "insn", true, "%s", x->have_insn ? x->insn.att : "unknown");
	add(k, "op", false, "%s", ev ? op_word(ev) : "-");
	if (ev && !ev->fetch) {
		add(k, "width", false, "%u", ev->m.width);
		add(k, "base", false, "%s", ev->m.rip_rel ? "rip" : gpr_name(ev->m.base));
		add(k, "index", false, "%s", gpr_name(ev->m.index));
		if (ev->m.index != GPR_NONE)
			add(k, "scale", false, "%u", ev->m.scale);
		else
			add(k, "scale", false, "-");
		if (ev->m.op == OP_PUSH || ev->m.op == OP_POP)
			add(k, "disp", false, "-");
		else {
			disp_str(b, sizeof(b), &ev->m);
			add(k, "disp", false, "%s", b);
		}
	} else {
		add(k, "width", false, "%s", ev ? "1" : "-");
		add(k, "base", false, "-");
		add(k, "index", false, "-");
		add(k, "scale", false, "-");
		add(k, "disp", false, "-");
	}
	add(k, "seg", false, "%s", ev ? segment_name(ev->seg) : "-");
	if (ev && ev->known) {
		add(k, "ea", false, "0x%016llx", (unsigned long long)ev->ea);
		add(k, "last", false, "0x%016llx", (unsigned long long)(ev->ea + ev->len - 1));
	} else {
		add(k, "ea", false, "-");
		add(k, "last", false, "-");
	}
	/* paging: from CR4.LA57, or inferred as the one mode that explains the
	 * title; otherwise unknown, and canonical form is given for both */
	bool paging_known = r->regs.have_cr4 ||
			    (x->paging_from && !strcmp(x->paging_from, "inferred"));
	if (paging_known)
		add(k, "paging", false, "%d", x->paging ? x->paging : 4);
	else
		add(k, "paging", false, "unknown");
	if (ev && ev->known && paging_known)
		add(k, "canonical", false, "%s", (x->paging == 5 ? ev->canon5 : ev->canon4) ? "yes" : "no");
	else if (ev && ev->known)
		add(k, "canonical", false, "4:%s,5:%s", ev->canon4 ? "yes" : "no", ev->canon5 ? "yes" : "no");
	else
		add(k, "canonical", false, "-");
	add(k, "rule", false, "%s", x->rule == FX_RULE_UNKNOWN ? "unknown" : vec(x->rule));
	if (x->rule == VEC_NONE || x->rule == FX_RULE_UNKNOWN || !vector_has_error_code(x->rule))
		add(k, "rule_err", false, "-");
	else
		add(k, "rule_err", false, "0x%x", x->rule_err);
	add(k, "agrees", false, "%s", x->agrees == FX_AGREE_YES ? "yes" :
	    x->agrees == FX_AGREE_NO ? "no" : "unknown");
	for (int m = 0; m < PLATFORM_COUNT; m++) {
		char pb[16];
		add(k, platform_model_name((enum platform_model)m), false, "%s",
		    x->have_plat ? plat_str(&x->plat[m], pb, sizeof(pb)) : "unknown");
	}
	/* ---- keys added to the list */
	add(k, "source", false, "%s", src_name(r->src));
	add(k, "line", false, "%u", r->line);
	add(k, "paging_from", false, "%s", x->paging_from ? x->paging_from : "none");
	add(k, "cpl", false, "%d", x->cpl);
	if (x->rule == VEC_PF)
		add(k, "rule_err_mask", false, "0x%x", x->rule_mask);
	if (x->rule_first != VEC_NONE && x->rule == VEC_DF)
		add(k, "rule_first", false, "%s", vec(x->rule_first));
	if (x->have_fault_addr && (r->vector == VEC_PF || x->rule_first == VEC_PF))
		add(k, "fault_addr", false, "0x%016llx", (unsigned long long)x->fault_addr);
	if (ev && ev->m.align > 1)
		add(k, "align", false, "%u", ev->m.align);
	if (ev && ev->m.align > 1 && ev->known)
		add(k, "misaligned", false, "%s", ev->misaligned ? "yes" : "no");
	if (ev && ev->rep_known)
		add(k, "rep_count", false, "0x%llx", (unsigned long long)ev->rep_count);
	if (r->frame.found) {
		add(k, "frame", false, "0x%016llx", (unsigned long long)r->frame.ip_slot);
		add(k, "frame_pad", false, "%d", r->frame.pad);
	}
	if (val)
		add(k, "value", false, "0x%016llx", (unsigned long long)val->v);
	if (val)
		add(k, "value_kind", false, "%s", val->kind);
	if (x->agrees != FX_AGREE_YES && x->why[0])
		add(k, "why", true, "%s", x->why);
}

static void put_quoted(FILE *out, const char *s, bool json)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, json ? "\\u%04x" : " ", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void fx_print_line(FILE *out, unsigned no, const struct fx_report *r, const struct fx_expl *x,
		   const struct fx_value *val)
{
	struct kvs k;

	build(&k, no, r, x, val);
	fputs("explain", out);
	for (unsigned i = 0; i < k.n; i++) {
		fprintf(out, " %s=", k.v[i].key);
		if (k.v[i].quote)
			put_quoted(out, k.v[i].val, false);
		else
			fputs(k.v[i].val, out);
	}
	fputc('\n', out);
}

void fx_print_json(FILE *out, unsigned no, const struct fx_report *r, const struct fx_expl *x,
		   const struct fx_value *val)
{
	struct kvs k;

	build(&k, no, r, x, val);
	fputc('{', out);
	for (unsigned i = 0; i < k.n; i++) {
		if (i)
			fputc(',', out);
		put_quoted(out, k.v[i].key, true);
		fputc(':', out);
		put_quoted(out, k.v[i].val, true);
	}
	fputs(",\"operands\":[", out);
	for (unsigned i = 0; i < x->nev; i++) {
		const struct fx_eval *ev = &x->ev[i];
		char d[32];
		disp_str(d, sizeof(d), &ev->m);
		fprintf(out, "%s{\"op\":\"%s\",\"explicit\":\"%s\",\"seg\":\"%s\",\"width\":\"%u\",",
			i ? "," : "", op_word(ev), ev->m.explicit_op ? "yes" : "no", segment_name(ev->seg),
			ev->fetch ? 1 : ev->m.width);
		fprintf(out, "\"base\":\"%s\",\"index\":\"%s\",\"disp\":\"%s\",", ev->m.rip_rel ? "rip" :
			gpr_name(ev->m.base), gpr_name(ev->m.index), d);
		if (ev->known)
			fprintf(out, "\"ea\":\"0x%016llx\",\"canonical4\":\"%s\",\"canonical5\":\"%s\","
				"\"rule4\":\"%s\",\"rule5\":\"%s\"}", (unsigned long long)ev->ea,
				ev->canon4 ? "yes" : "no", ev->canon5 ? "yes" : "no", vec(ev->v4.vector),
				vec(ev->v5.vector));
		else {
			fputs("\"ea\":\"-\",\"why\":", out);
			put_quoted(out, ev->why, true);
			fputc('}', out);
		}
	}
	fputs("],\"notes\":[", out);
	unsigned nn = 0;
	for (unsigned i = 0; i < x->nnotes; i++, nn++) {
		if (nn)
			fputc(',', out);
		put_quoted(out, x->notes[i], true);
	}
	for (unsigned i = 0; i < r->nnotes; i++, nn++) {
		if (nn)
			fputc(',', out);
		put_quoted(out, r->notes[i], true);
	}
	fputs("],\"value_lines\":[", out);
	for (unsigned i = 0; val && i < val->nlines; i++) {
		if (i)
			fputc(',', out);
		put_quoted(out, val->lines[i], true);
	}
	fputs("],\"stack\":[", out);
	bool first = true;
	for (size_t i = 0; i < r->stack.nslots; i++) {
		const struct fx_slot *s = &r->stack.slots[i];
		if (!s->label[0] && !s->note[0])
			continue;
		fprintf(out, "%s{\"addr\":\"0x%016llx\",\"value\":\"0x%016llx\",\"label\":", first ? "" : ",",
			(unsigned long long)s->addr, (unsigned long long)s->value);
		put_quoted(out, s->label, true);
		fputs(",\"note\":", out);
		put_quoted(out, s->note, true);
		fputc('}', out);
		first = false;
	}
	fputs("]}\n", out);
}

/* ------------------------------------------------------------ human */

static const char *seg_why(const struct fx_eval *ev)
{
	switch (ev->seg) {
	case SEG_SS:
		if (ev->m.op == OP_PUSH || ev->m.op == OP_POP)
			return "stack operation: always SS (SDM Vol.1 3.7.4, Table 3-5)";
		return ev->m.prefix != SEGP_NONE && ev->m.prefix != SEGP_SS ?
		       "RSP/RBP base implies SS; the ES/CS/DS prefix is ignored in 64-bit mode (SDM Vol.1 3.3.7.1)" :
		       "RSP/RBP base implies SS (SDM Vol.1 3.7.4, Table 3-5)";
	case SEG_DS:
		return ev->m.prefix == SEGP_SS ?
		       "the SS prefix is ignored in 64-bit mode: the base is not RSP/RBP, so DS (SDM Vol.1 3.3.7.1)" :
		       "not an RSP/RBP base: DS (SDM Vol.1 3.7.4, Table 3-5)";
	case SEG_ES:
		return "the [rdi] operand of a string instruction: ES, no override (SDM Vol.1 3.7.4, Table 3-5)";
	case SEG_FS:
	case SEG_GS:
		return "FS/GS prefix: its base is added (SDM Vol.1 3.3.7.1, 3.7.4.1)";
	case SEG_CS:
		return "instruction fetch: CS";
	}
	return "";
}

static void print_rows(FILE *out, const struct fx_report *r)
{
	const struct fx_stack *s = &r->stack;
	const struct fx_hwframe *f = &r->frame;
	uint64_t lo = f->ip_slot - (f->pt_regs ? 128 : 8), hi = f->ip_slot + 56;
	size_t i = 0;

	while (i < s->nslots && s->slots[i].addr < lo)
		i++;
	while (i < s->nslots && s->slots[i].addr <= hi) {
		const struct fx_slot *a = &s->slots[i], *b = NULL;
		const char *note = a->note[0] ? a->note : NULL;
		if (i + 1 < s->nslots && s->slots[i + 1].addr == a->addr + 8 && s->slots[i + 1].addr <= hi)
			b = &s->slots[i + 1];
		fprintf(out, "      %016llx: %016llx%s", (unsigned long long)a->addr,
			(unsigned long long)a->value, a->label);
		if (b) {
			fprintf(out, " %016llx%s", (unsigned long long)b->value, b->label);
			if (!note && b->note[0])
				note = b->note;
		}
		if (note)
			fprintf(out, " ; %s", note);
		fputc('\n', out);
		i += b ? 2 : 1;
	}
}

void fx_print_human(FILE *out, unsigned no, const struct fx_report *r, const struct fx_expl *x,
		    const struct fx_value *val)
{
	const struct fx_eval *ev = x->primary >= 0 ? &x->ev[x->primary] : NULL;

	fprintf(out, "== report %u (line %u, %s): %s\n", no, r->line,
		r->src == FX_SRC_CRASH ? "crash bt" : r->src == FX_SRC_FAULTPROBE ? "faultprobe oops" : "Linux oops",
		r->title);
	fprintf(out, "   exception %s (%s)", r->vector == VEC_NONE ? "unknown" : vec(r->vector),
		r->vector == VEC_NONE ? "not named" : vector_name(r->vector));
	if (r->have_err)
		fprintf(out, ", error code 0x%x", r->err);
	if (r->func[0])
		fprintf(out, ", at %s", r->func);
	fprintf(out, ", CPL %d%s\n", x->cpl, x->cpl_known ? "" : "?");
	if (r->vector == VEC_PF && r->have_err) {
		uint32_t e = r->err;
		fprintf(out, "   #PF error code: P=%u (%s) W/R=%u (%s) U/S=%u (%s) RSVD=%u I/D=%u PK=%u "
			"(SDM Vol.3 4.7)\n", e & 1, e & 1 ? "protection" : "not present", (e >> 1) & 1,
			(e >> 1) & 1 ? "write" : "read", (e >> 2) & 1, (e >> 2) & 1 ? "user" : "supervisor",
			(e >> 3) & 1, (e >> 4) & 1, (e >> 5) & 1);
	}
	if (x->have_insn) {
		fprintf(out, "   instruction  %s", x->insn.att);
		if (x->insn.from_text)
			fputs("   [from crash's dis text: no code bytes]\n", out);
		else {
			fputs("   [", out);
			for (unsigned i = 0; i < x->insn.len; i++)
				fprintf(out, "%s%02x", i ? " " : "", x->insn.bytes[i]);
			fputs(", decoded by Zydis]\n", out);
		}
	} else {
		fprintf(out, "   instruction  unknown: %s\n", x->insn_why);
	}
	for (unsigned i = 0; i < x->nev; i++) {
		const struct fx_eval *e = &x->ev[i];
		fprintf(out, "   %s access %u: %s, %u byte%s%s%s\n", (int)i == x->primary ? "*" : " ", i + 1,
			op_word(e), e->fetch ? 1 : e->m.width, (e->fetch ? 1 : e->m.width) == 1 ? "" : "s",
			e->fetch ? " (instruction fetch)" : e->m.explicit_op ? "" : " (implicit)",
			e->m.align > 1 ? "" : "");
		if (!e->known) {
			fprintf(out, "       not computable: %s\n", e->why);
			continue;
		}
		if (!e->fetch) {
			char d[32];
			disp_str(d, sizeof(d), &e->m);
			if (e->m.op == OP_PUSH || e->m.op == OP_POP)
				fprintf(out, "       %s = 0x%016llx\n", gpr_name(e->acc.base == GPR_NONE ? GPR_RSP : e->acc.base),
					(unsigned long long)e->acc.addr);
			else {
				fprintf(out, "       ");
				if (e->m.rip_rel)
					fprintf(out, "rip(next) + ");
				else if (e->m.base != GPR_NONE)
					fprintf(out, "%s = 0x%016llx + ", gpr_name(e->m.base),
						(unsigned long long)r->regs.gpr[e->m.base]);
				if (e->m.index != GPR_NONE)
					fprintf(out, "%s = 0x%llx * %u + ", gpr_name(e->m.index),
						(unsigned long long)r->regs.gpr[e->m.index], e->m.scale);
				fprintf(out, "disp %s", d);
				if (e->have_seg_base)
					fprintf(out, " + %s base 0x%016llx", segment_name(e->seg),
						(unsigned long long)e->seg_base);
				fputc('\n', out);
			}
		}
		fprintf(out, "       segment %s: %s\n", segment_name(e->seg), seg_why(e));
		fprintf(out, "       bytes 0x%016llx .. 0x%016llx; canonical under 4-level paging: %s, "
			"5-level: %s\n", (unsigned long long)e->ea, (unsigned long long)(e->ea + e->len - 1),
			e->canon4 ? "yes" : "no", e->canon5 ? "yes" : "no");
		if (e->rep_known)
			fprintf(out, "       rep: RCX = 0x%llx iterations left, DF=%d: the rest of the string is "
				"0x%016llx .. 0x%016llx\n", (unsigned long long)e->rep_count, e->backward,
				(unsigned long long)e->rep_lo, (unsigned long long)e->rep_hi);
		if (e->m.align > 1)
			fprintf(out, "       alignment: %u bytes required (%s): %s\n", e->m.align,
				e->m.align_why ? e->m.align_why : "", e->misaligned ? "MISALIGNED" : "aligned");
		if (e->holds_fault_addr)
			fprintf(out, "       the fault address 0x%016llx is in this access\n",
				(unsigned long long)x->fault_addr);
		fprintf(out, "       rule: 4-level %s (%s), 5-level %s (%s)\n", vec(e->v4.vector), e->v4.reason,
			vec(e->v5.vector), e->v5.reason);
	}
	if (x->rule != FX_RULE_UNKNOWN)
		fprintf(out, "   rule (%s paging%s): %s%s%s  [%s]\n",
			x->paging == 5 ? "5-level" : "4-level",
			x->paging_from && !strcmp(x->paging_from, "cr4") ? ", from CR4.LA57" :
			x->paging_from && !strcmp(x->paging_from, "inferred") ? ", inferred: no CR4 line" :
			", no CR4 line: both agree", vec(x->rule),
			x->rule_first != VEC_NONE && x->rule == VEC_DF ? " after " : "",
			x->rule_first != VEC_NONE && x->rule == VEC_DF ? vec(x->rule_first) : "",
			x->rule_cite ? x->rule_cite : "");
	if (x->rule_reason && x->rule != FX_RULE_UNKNOWN)
		fprintf(out, "        %s\n", x->rule_reason);
	fprintf(out, "   verdict: %s%s%s\n",
		x->agrees == FX_AGREE_YES ? "the report's exception is what the manuals prescribe" :
		x->agrees == FX_AGREE_NO ? "the report's exception is NOT what the rule gives" : "cannot tell",
		x->why[0] && x->agrees != FX_AGREE_YES ? ": " : "", x->agrees != FX_AGREE_YES ? x->why : "");
	char names[160];

	if (x->have_plat) {
		fputs("   platforms:", out);
		for (int m = 0; m < PLATFORM_COUNT; m++) {
			const struct platform_outcome *p = &x->plat[m];
			fprintf(out, "%s %s ", m ? " |" : "", platform_model_name((enum platform_model)m));
			if (!p->known)
				fprintf(out, "unknown (%s)", p->unknown_why ? p->unknown_why : "no model");
			else
				fprintf(out, "%s%s%s", vec(p->vector), p->ndev ? " -- " : "",
					deviation_names(p, names, sizeof(names)));
		}
		fputc('\n', out);
		if (x->have_plat && x->plat[PLATFORM_TCG].known && x->plat[PLATFORM_TCG].vector != r->vector &&
		    r->vector != VEC_NONE && r->vector != VEC_DF)
			fprintf(out, "   under QEMU TCG this access gives %s%s%s%s: a test in QEMU would not "
				"have reproduced your %s\n", vec(x->plat[PLATFORM_TCG].vector),
				x->plat[PLATFORM_TCG].ndev ? " (" : "",
				deviation_names(&x->plat[PLATFORM_TCG], names, sizeof(names)),
				x->plat[PLATFORM_TCG].ndev ? ")" : "",
				vec(r->vector));
	}
	if (val) {
		fprintf(out, "   value %s = 0x%016llx:\n", x->value_what, (unsigned long long)val->v);
		for (unsigned i = 0; i < val->nlines; i++)
			fprintf(out, "     %s\n", val->lines[i]);
	}
	if (r->frame.found) {
		const struct fx_hwframe *f = &r->frame;
		fprintf(out, "   hardware frame: [ip] at %016llx (%s)\n", (unsigned long long)f->ip_slot, f->how);
		print_rows(out, r);
		fprintf(out, "     SS:RSP pushed: yes (64-bit mode pushes them always, SDM Vol.3 6.14); "
			"CS/SS zero-extended: %s/%s; RFLAGS bit 1: %s; RF: %d%s\n",
			f->cs_zext ? "yes" : "NO", f->ss_zext ? "yes" : "NO", f->rflags_bit1 ? "yes" : "NO",
			f->rf, f->rf ? " (a fault: SDM Vol.3 17.3.1.1)" :
			" (a fault should push RF=1, SDM Vol.3 17.3.1.1; QEMU TCG 7.2 pushes 0: deviation tcg-rf-not-set)");
		if (f->pad >= 0)
			fprintf(out, "     RSP aligned down to 16 before the push (SDM Vol.3 6.14.2): frame ends at "
				"%016llx, pre-fault RSP %016llx, pad %d bytes%s\n",
				(unsigned long long)(f->ip_slot + 40), (unsigned long long)f->rsp, f->pad,
				f->aligned16 ? "" : " -- NOT 16-byte aligned");
		else
			fprintf(out, "     saved RSP %016llx is not next to the frame: the frame is on another stack "
				"(IST, or a privilege change)\n", (unsigned long long)f->rsp);
		if (r->dis_text[0])
			fprintf(out, "     saved RIP %016llx is the faulting instruction (faults save the "
				"instruction itself, SDM Vol.3 6.5): %s\n", (unsigned long long)f->rip, r->dis_text);
	}
	for (unsigned i = 0; i < x->nnotes; i++)
		fprintf(out, "   note: %s\n", x->notes[i]);
	for (unsigned i = 0; i < r->nnotes; i++)
		fprintf(out, "   note: %s\n", r->notes[i]);
	(void)ev;
}
