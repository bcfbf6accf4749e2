/* fpcheck's lint of expectation rows (see fpcheck_core.h): every probe
 * row's rule= and rule_err= recomputed with the rule model, agrees=
 * derived from them, every agrees=no naming a documented deviation; for the
 * sysret and badstack families also rule_cpl=, rule_rip_at=, rule_stack=,
 * rule_cr2= and the frame part of agrees= (cs= RPL, rip_at=, stack=). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpcheck_priv.h"
#include "fpjudge.h"
#include "../probes/model/page_desc.h"
#include "../probes/model/rules.h"
#include "../probes/model/vectors.h"

static const char *lookup_any(const struct expectation *e, const char *key)
{
	const char *v = log_get(&e->ident, key);
	return v ? v : log_get(&e->assert, key);
}

/* The lint recomputes rule= and rule_err= with the rule model, and checks
 * that agrees= is what that rule and the asserted vector/err/cr2 imply.
 * Pages, per expectation file (`# pages: kernel` or `# pages: linux-user`):
 *   kernel      the kernel maps its own first page 0x100000 (present,
 *               supervisor, writable); the probe sets touch nothing else
 *               that is mapped.  A row with scratch= also has these pages
 *               present, supervisor, writable: `lo` 0x7ffffffff000 and
 *               `hi` 0xffff800000000000 (the straddle family), or page
 *               addresses in hex, joined by '+'; user pages with
 *               scratch_user=1 (faultprobe-user's are user pages).
 *               scratch=ro-stack (badstack): the page 0x100000003000
 *               present, supervisor, read-only; scratch=pads (sysret)
 *               0x7f0000000000 user read-only, 0x7f0000001000 user
 *               writable, 0x7f0000004000 supervisor read-only.  A row
 *               with map= (align, smap, pgprot) has those pages with the
 *               flags map= gives, in either page model.
 *   linux-user  nothing the probes touch exists in the process (the program
 *               checks with mincore before probing); at and above Linux's
 *               user limit 0x7ffffffff000 the P bit is the kernel's choice
 *               (arch/x86/mm/fault.c), so it is unknown. */
static void lint_page_query(void *ctx, uint64_t linear, struct page_info *out)
{
	const struct fpc *c = ctx;
	bool scratch = false;
	out->state = PAGE_NOT_PRESENT;
	out->writable = true;
	out->user = true;
	out->nx = false;
	out->rsvd = false;
	out->pkey = 0;
	for (unsigned i = 0; i < c->lint_nmap; i++)
		if (c->lint_map[i].va == (linear & ~0xfffull)) {
			*out = c->lint_map[i].pi;
			return;
		}
	for (unsigned i = 0; i < c->lint_nscratch; i++)
		scratch = scratch || (linear & ~0xfffull) == c->lint_scratch[i];
	if (c->file_pages == PAGES_KERNEL && ((linear >= 0x100000 && linear < 0x101000) || scratch)) {
		out->state = PAGE_PRESENT;
		out->user = scratch && c->lint_scratch_user;
	} else if (c->file_pages == PAGES_LINUX_USER && scratch) {
		out->state = PAGE_PRESENT;   /* faultprobe-user's own scratch pages */
	} else if (c->file_pages == PAGES_KERNEL && c->lint_scratch_ro &&
		   (linear >> 12) == 0x100000003ull) {
		out->state = PAGE_PRESENT;
		out->user = false;
		out->writable = false;
	} else if (c->file_pages == PAGES_KERNEL && c->lint_scratch_pads &&
		   ((linear >> 12) == 0x7f0000000ull || (linear >> 12) == 0x7f0000001ull ||
		    (linear >> 12) == 0x7f0000004ull)) {
		out->state = PAGE_PRESENT;
		out->user = (linear >> 12) != 0x7f0000004ull;
		out->writable = (linear >> 12) == 0x7f0000001ull;
	} else if (c->file_pages == PAGES_LINUX_USER && linear >= 0x7ffffffff000ull) {
		out->state = PAGE_UNKNOWN;
	}
}

/* scratch=lo+hi or scratch=0x5a5a00001000+0x5a5a00003000: the pages. */
static void lint_parse_scratch(struct fpc *c, const char *s)
{
	c->lint_nscratch = 0;
	c->lint_scratch_ro = false;
	c->lint_scratch_pads = false;
	while (s && *s && c->lint_nscratch < sizeof(c->lint_scratch) / sizeof(c->lint_scratch[0])) {
		char *end;
		if (strncmp(s, "ro-stack", 8) == 0 && (s[8] == '+' || !s[8])) {
			c->lint_scratch_ro = true;
			end = (char *)s + 8;
		} else if (strncmp(s, "pads", 4) == 0 && (s[4] == '+' || !s[4])) {
			c->lint_scratch_pads = true;
			end = (char *)s + 4;
		} else if (strncmp(s, "lo", 2) == 0 && (s[2] == '+' || !s[2])) {
			c->lint_scratch[c->lint_nscratch++] = 0x00007ffffffff000ull;
			end = (char *)s + 2;
		} else if (strncmp(s, "hi", 2) == 0 && (s[2] == '+' || !s[2])) {
			c->lint_scratch[c->lint_nscratch++] = 0xffff800000000000ull;
			end = (char *)s + 2;
		} else {
			c->lint_scratch[c->lint_nscratch++] = strtoull(s, &end, 16) & ~0xfffull;
			if (end == s)
				break;
		}
		s = *end == '+' ? end + 1 : end;
	}
}

static void lint_deviation(struct fpc *c, const struct expectation *e)
{
	const char *d = e->comment ? strstr(e->comment, "DEVIATION ") : NULL;
	char name[64];
	if (!d || sscanf(d, "DEVIATION %63[a-z0-9-]:", name) != 1 ||
	    !strchr(d + 10 + strlen(name), ':')) {
		fpc_failf(c, e->file, e->lineno, "agrees=no without a '# DEVIATION name: why' comment", NULL);
		return;
	}
	char key[80];
	snprintf(key, sizeof(key), "\n%s\n", name);
	if (c->deviation_names[1] && !strstr(c->deviation_names, key))
		fpc_failf(c, e->file, e->lineno, "DEVIATION name is not a heading of docs/deviations.md", name);
}

static int parse_u64(const char *s, uint64_t *out)
{
	if (!s)
		return 0;
	if (strcmp(s, "-") == 0) {
		*out = 0;
		return 1;
	}
	char *end;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0';
}

static const char *expectation_get(const void *ctx, const char *key)
{
	return lookup_any(ctx, key);
}

/* rule_cpl= / rule_rip_at= / rule_stack= / rule_cr2= asserted (the sysret
 * and badstack families): the model's. */
static void lint_frame_rule(struct fpc *c, const struct expectation *e,
			    const struct rule_verdict *v)
{
	char want[32], msg[200];
	const char *got;

	if ((got = log_get(&e->assert, "rule_cpl"))) {
		if (v->fault_cpl >= 0)
			snprintf(want, sizeof(want), "%d", v->fault_cpl);
		else
			snprintf(want, sizeof(want), "-");
		if (strcmp(got, want) != 0) {
			snprintf(msg, sizeof(msg), "rule_cpl=%s, the rule model says %s", got, want);
			fpc_failf(c, e->file, e->lineno, "rule_cpl mismatch", msg);
		}
	}
	if ((got = log_get(&e->assert, "rule_rip_at")) &&
	    strcmp(got, v->rip_at ? v->rip_at : "-") != 0) {
		snprintf(msg, sizeof(msg), "rule_rip_at=%s, the rule model says %s", got,
			 v->rip_at ? v->rip_at : "-");
		fpc_failf(c, e->file, e->lineno, "rule_rip_at mismatch", msg);
	}
	if ((got = log_get(&e->assert, "rule_stack")) &&
	    strcmp(got, v->stack ? v->stack : "-") != 0) {
		snprintf(msg, sizeof(msg), "rule_stack=%s, the rule model says %s", got,
			 v->stack ? v->stack : "-");
		fpc_failf(c, e->file, e->lineno, "rule_stack mismatch", msg);
	}
	uint64_t cr2;
	bool model_cr2 = v->vector == VEC_DF && v->cr2;
	got = log_get(&e->assert, "rule_cr2");
	if ((got && (!model_cr2 || !parse_u64(got, &cr2) || cr2 != v->cr2)) ||
	    (!got && model_cr2 && log_get(&e->assert, "rule_stack"))) {
		snprintf(msg, sizeof(msg), "rule_cr2=%s, the rule model says 0x%016llx", got ? got : "(none)",
			 (unsigned long long)v->cr2);
		fpc_failf(c, e->file, e->lineno, "rule_cr2 mismatch", msg);
	}
}

void fpc_lint_expectation(struct fpc *c, const struct expectation *e)
{
	const char *agrees = log_get(&e->assert, "agrees");
	if (agrees && strcmp(agrees, "no") == 0)
		lint_deviation(c, e);

	if (strcmp(e->ident.type, "probe") != 0)
		return;
	c->linted++;
	const char *rule = log_get(&e->assert, "rule");
	if (!rule) {
		if (agrees)
			fpc_failf(c, e->file, e->lineno, "agrees= asserted without rule=", NULL);
		return;
	}
	const char *op = lookup_any(e, "op"), *base = lookup_any(e, "base");
	const char *index = lookup_any(e, "index"), *seg = lookup_any(e, "seg");
	const char *width = lookup_any(e, "width"), *addr = lookup_any(e, "addr");
	const char *cpl = lookup_any(e, "cpl"), *paging = lookup_any(e, "paging");
	if (!op || !base || !width || !addr) {
		fpc_failf(c, e->file, e->lineno, "rule= asserted but op/base/width/addr missing", NULL);
		return;
	}
	struct access a = { 0 };
	enum probe_op pop;
	enum seg_prefix sp = SEGP_NONE;
	if (!probe_op_parse(op, &pop) || !gpr_parse(base, &a.base) ||
	    (index && !gpr_parse(index, &a.index)) || (seg && !seg_prefix_parse(seg, &sp))) {
		fpc_failf(c, e->file, e->lineno, "unparseable probe dimensions", NULL);
		return;
	}
	if (!index)
		a.index = GPR_NONE;
	a.op = pop;
	a.prefix = sp;
	a.width = (unsigned)strtoul(width, NULL, 10);
	a.addr = strtoull(addr, NULL, 16);
	a.cpl = cpl ? (unsigned)strtoul(cpl, NULL, 10) : 0;
	a.paging_levels = paging ? (unsigned)strtoul(paging, NULL, 10) : 4;
	a.efer_nxe = true;
	a.vendor = c->file_vendor;
	a.page_query = lint_page_query;
	a.page_ctx = c;
	/* string and branch details (probes/probe.h), and the scratch pages */
	const char *rep = lookup_any(e, "rep"), *fetch_len = lookup_any(e, "fetch_len");
	const char *scratch = lookup_any(e, "scratch"), *df = lookup_any(e, "df");
	const char *insn_off = lookup_any(e, "fetch_insn_off");
	a.rep = rep ? (unsigned)strtoul(rep, NULL, 10) : 0;
	a.df = df && strcmp(df, "1") == 0;
	a.fetch_len = fetch_len ? (unsigned)strtoul(fetch_len, NULL, 10) : 0;
	a.fetch_insn_off = insn_off ? (unsigned)strtoul(insn_off, NULL, 10) : 0;
	/* the align, smap and pgprot families' control keys
	 * (probes/probe_record.c control_fields) */
	const char *k;
	a.align = (k = lookup_any(e, "align")) ? (unsigned)strtoul(k, NULL, 10) : 0;
	a.align_ac = (k = lookup_any(e, "align_ac")) && strcmp(k, "1") == 0;
	a.store_reads = (k = lookup_any(e, "reads")) && strcmp(k, "1") == 0;
	a.rflags_ac = (k = lookup_any(e, "ac")) && strcmp(k, "1") == 0;
	a.cr0_am = (k = lookup_any(e, "am")) && strcmp(k, "1") == 0;
	a.cr0_wp_off = (k = lookup_any(e, "wp")) && strcmp(k, "0") == 0;
	a.cr4_smap = (k = lookup_any(e, "smap")) && strcmp(k, "1") == 0;
	a.cr4_smep = (k = lookup_any(e, "smep")) && strcmp(k, "1") == 0;
	a.cr4_pke = (k = lookup_any(e, "pke")) && strcmp(k, "1") == 0;
	a.pkru = (k = lookup_any(e, "pkru")) ? (uint32_t)strtoul(k, NULL, 0) : 0;
	c->lint_nmap = 0;
	for (k = lookup_any(e, "map"); k && *k && c->lint_nmap < 4; ) {
		if (!page_desc_parse(k, &c->lint_map[c->lint_nmap].va, &c->lint_map[c->lint_nmap].pi)) {
			fpc_failf(c, e->file, e->lineno, "unparseable map=", k);
			return;
		}
		c->lint_nmap++;
		k = strchr(k, ',');
		if (k)
			k++;
	}
	lint_parse_scratch(c, scratch);
	const char *scratch_user = lookup_any(e, "scratch_user");
	c->lint_scratch_user = scratch_user && strcmp(scratch_user, "1") == 0;
	/* the keys the families add for what their rule depends on */
	const char *dst = lookup_any(e, "dst"), *seg_base = lookup_any(e, "seg_base");
	const char *msr = lookup_any(e, "msr"), *fsgsbase = lookup_any(e, "cr4_fsgsbase");
	const char *la57 = lookup_any(e, "cpu_la57");
	a.dst_known = dst != NULL;
	a.dst = dst ? strtoull(dst, NULL, 16) : 0;
	a.seg_base = seg_base ? strtoull(seg_base, NULL, 16) : 0;
	a.msr = msr ? (uint32_t)strtoul(msr, NULL, 16) : 0;
	a.cr4_fsgsbase = fsgsbase && strcmp(fsgsbase, "1") == 0;
	a.cpu_la57 = la57 && strcmp(la57, "1") == 0;
	/* the sysret and badstack families' gates, stacks and returns
	 * (tools/fpjudge.c reads log records the same way) */
	const char *what = NULL;
	if (fpj_delivery_keys(expectation_get, e, &a, &what) < 0) {
		fpc_failf(c, e->file, e->lineno, "unparseable delivery keys", what);
		return;
	}
	struct rule_verdict v;
	rule_predict(&a, &v);
	lint_frame_rule(c, e, &v);
	int asserted;
	if (!vector_parse(rule, &asserted)) {
		fpc_failf(c, e->file, e->lineno, "rule= is not a vector mnemonic", rule);
		return;
	}
	char msg[200];
	if (asserted != v.vector) {
		snprintf(msg, sizeof(msg), "expectation says rule=%s, the rule model says %s (%s; %s)",
			 rule, vector_mnemonic(v.vector) ? vector_mnemonic(v.vector) : "?", v.reason, v.cite);
		fpc_failf(c, e->file, e->lineno, "rule mismatch", msg);
		return;
	}
	/* a REP string's count left, as the rule has it */
	const char *rule_left = log_get(&e->assert, "rule_rcx_left");
	if (rule_left && a.rep && strtoul(rule_left, NULL, 10) != a.rep - v.rep_done) {
		snprintf(msg, sizeof(msg), "expectation says rule_rcx_left=%s, the rule model says %u",
			 rule_left, a.rep - v.rep_done);
		fpc_failf(c, e->file, e->lineno, "rule_rcx_left mismatch", msg);
	}
	const char *rule_err = log_get(&e->assert, "rule_err");
	uint64_t re;
	if (rule_err && vector_has_error_code(v.vector) &&
	    (!parse_u64(rule_err, &re) || ((re ^ v.error_code) & v.error_mask) != 0)) {
		snprintf(msg, sizeof(msg), "expectation says rule_err=%s, the rule model says 0x%x (mask 0x%x)",
			 rule_err, v.error_code, v.error_mask);
		fpc_failf(c, e->file, e->lineno, "rule_err mismatch", msg);
	}
	/* agrees= must follow from the rule and what the row says happened. */
	const char *vec = log_get(&e->assert, "vector");
	int observed;
	uint64_t err = 0, cr2 = 0;
	if (agrees && vec && vector_parse(vec, &observed) &&
	    parse_u64(log_get(&e->assert, "err") ? log_get(&e->assert, "err") : "-", &err) &&
	    parse_u64(log_get(&e->assert, "cr2") ? log_get(&e->assert, "cr2") : "-", &cr2)) {
		/* and, where the rule says where the event is taken and
		 * delivered, the frame: cs= (its RPL), rip_at=, stack= */
		const char *cs = log_get(&e->assert, "cs");
		int want = rule_agrees(&v, observed, err, cr2) &&
			   (observed == VEC_NONE ||
			    rule_agrees_frame(&v, cs ? strtoull(cs, NULL, 16) : 0,
					      log_get(&e->assert, "rip_at"), log_get(&e->assert, "stack")));
		if (v.fault_cpl >= 0 && observed != VEC_NONE && !cs)
			fpc_failf(c, e->file, e->lineno, "the rule gives a CPL but cs= is not asserted", NULL);
		if (want != (strcmp(agrees, "yes") == 0)) {
			snprintf(msg, sizeof(msg), "agrees=%s, but vector=%s err=0x%llx against rule %s means agrees=%s",
				 agrees, vec, (unsigned long long)err, rule, want ? "yes" : "no");
			fpc_failf(c, e->file, e->lineno, "agrees inconsistent", msg);
		}
	}
}
