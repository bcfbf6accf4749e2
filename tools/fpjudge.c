/* fpjudge: records of a faultprobe log against a platform model, cell by
 * cell (fpjudge.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpjudge.h"
#include "record_contract.h"
#include "../probes/model/page_desc.h"
#include "../probes/model/rules.h"
#include "../probes/model/vectors.h"
#include "../probes/model/prot32_rules.h"

/* ------------------------------------------------------------ loading */

static const char *const record_types[] = {
	"probe", "frame", "softframe", "prot32", "vmcore", "fingerprint", "la57", "bt", "family",
	NULL,
};

static bool is_record_type(const char *w, size_t n)
{
	for (int i = 0; record_types[i]; i++)
		if (strlen(record_types[i]) == n && memcmp(record_types[i], w, n) == 0)
			return true;
	return false;
}

static void bad_line(struct fpj_file *f, unsigned lineno, const char *why)
{
	if (!f->bad_lines++)
		snprintf(f->first_bad, sizeof(f->first_bad), "%s:%u: %s", f->name, lineno, why);
}

static int add_rec(struct fpj_file *f, char *text, unsigned lineno, struct log_line *l)
{
	if (f->nrecs == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		struct fpj_rec *n = realloc(f->recs, cap * sizeof(*n));
		if (!n)
			return -1;
		f->recs = n;
		f->cap = cap;
	}
	f->recs[f->nrecs++] = (struct fpj_rec){ .text = text, .line = *l, .lineno = lineno };
	return 0;
}

/* Value of `key=` in free text (header lines hold quoted strings with
 * spaces, so they are not parsed as records): copies up to a space. */
static bool text_value(const char *s, const char *key, char *out, size_t n)
{
	size_t k = strlen(key);

	for (const char *p = s; (p = strstr(p, key)) != NULL; p++) {
		if ((p != s && p[-1] != ' ') || p[k] != '=')
			continue;
		p += k + 1;
		size_t i = 0;
		while (p[i] && p[i] != ' ' && p[i] != '\n' && p[i] != '\r' && i + 1 < n) {
			out[i] = p[i];
			i++;
		}
		out[i] = '\0';
		return true;
	}
	return false;
}

static void note_platform(struct fpj_file *f, const char *p)
{
	if (!p || !*p)
		return;
	if (!f->platform[0])
		snprintf(f->platform, sizeof(f->platform), "%s", p);
	else if (strcmp(f->platform, p) != 0)
		f->mixed_platforms = true;
}

static void note_vendor(struct fpj_file *f, const char *v)
{
	f->vendor_known = true;
	if (strcmp(v, "GenuineIntel") == 0)
		f->vendor = VENDOR_INTEL;
	else if (strcmp(v, "AuthenticAMD") == 0 || strcmp(v, "HygonGenuine") == 0)
		f->vendor = VENDOR_AMD;
	else
		f->vendor = VENDOR_OTHER;
}

/* Header facts: `cpu vendor=.. platform=..`, `... paging=4 nxe=1`, and in
 * expectation files the directive `# platform: NAME [verdict=..]
 * [vendor=..] [nxe=0|1]` and `# pages: linux-user`. */
static void header_line(struct fpj_file *f, const char *s)
{
	char v[64];

	if (strncmp(s, "# pages: linux-user", 19) == 0) {
		f->pages = FPJ_PAGES_LINUX_USER;
		return;
	}
	if (strncmp(s, "# platform: ", 12) == 0) {
		if (sscanf(s + 12, "%63s", f->platform) != 1)
			f->platform[0] = '\0';
		if (text_value(s, "verdict", v, sizeof(v)))
			snprintf(f->verdict, sizeof(f->verdict), "%s", v);
		if (text_value(s, "vendor", v, sizeof(v)))
			note_vendor(f, v);
		if (text_value(s, "nxe", v, sizeof(v)))
			f->nxe = strcmp(v, "1") == 0;
		if (strcmp(f->platform, "linux-user") == 0)
			f->pages = FPJ_PAGES_LINUX_USER;
		return;
	}
	if (s[0] == '#')
		return;
	if (strncmp(s, "cpu ", 4) == 0) {
		if (text_value(s, "vendor", v, sizeof(v)))
			note_vendor(f, v);
		if (text_value(s, "platform", v, sizeof(v)))
			note_platform(f, v);
	}
	if ((strncmp(s, "boot ", 5) == 0 || strncmp(s, "host ", 5) == 0) &&
	    text_value(s, "nxe", v, sizeof(v)))
		f->nxe = strcmp(v, "1") == 0;
}

/* An expectation row: drop the comment, join both sides into one record
 * line "<type> ident... asserted...".  A key on both sides (e.g.
 * `fingerprint verdict=X | verdict=X`) is kept once when the values agree;
 * NULL with *why when they do not. */
static char *expectation_to_record(const char *s, const char **why)
{
	char *t = strdup(s), *out = malloc(strlen(s) + 2);
	struct log_line left;
	if (!t || !out) {
		free(t);
		free(out);
		*why = "out of memory";
		return NULL;
	}
	for (char *p = t; *p; p++)
		if (*p == '#' && (p == t || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	char *bar = strstr(t, " | ");
	*bar = '\0';
	strcpy(out, t);
	enum log_parse_status st = log_parse_line(t, &left);
	char *rhs = bar + 3;
	for (char *w = strtok(rhs, " \t"); w && st == LOG_OK; w = strtok(NULL, " \t")) {
		char *eq = strchr(w, '=');
		if (eq) {
			*eq = '\0';
			const char *prev = log_get(&left, w);
			*eq = '=';
			if (prev && strcmp(prev, eq + 1) == 0)
				continue;
		}
		strcat(out, " ");
		strcat(out, w);
	}
	free(t);
	if (st != LOG_OK) {
		*why = log_status_text(st);
		free(out);
		return NULL;
	}
	return out;
}

static void load_line(struct fpj_file *f, const char *s, unsigned lineno)
{
	if (strncmp(s, "faultprobe: done", 16) == 0) {
		f->has_done = true;
		return;
	}
	size_t n = strcspn(s, " \t\r\n");
	if (!n || s[n] != ' ' || !is_record_type(s, n)) {
		header_line(f, s);
		return;
	}
	bool expect_row = strstr(s, " | ") != NULL;
	char cbuf[160];
	/* A log's record line that breaks the record contract is malformed
	 * (a dropped or flipped character on a serial line): counted, named,
	 * never judged -- a corrupted record must not read as a platform's
	 * finding (tools/record_contract.h, as fpcheck and fpdiff). */
	const char *bad_text = expect_row ? NULL : record_text_check(s, strlen(s), cbuf, sizeof(cbuf));
	if (bad_text) {
		bad_line(f, lineno, bad_text);
		return;
	}
	const char *why = "out of memory";
	char *text = expect_row ? expectation_to_record(s, &why) : strdup(s);
	if (!text) {
		bad_line(f, lineno, why);
		return;
	}
	if (expect_row)
		f->expectation = true;
	struct log_line l;
	enum log_parse_status st = log_parse_line(text, &l);
	if (st != LOG_OK) {
		char msg[120];
		snprintf(msg, sizeof(msg), "malformed record line: %s", log_status_text(st));
		bad_line(f, lineno, msg);
		free(text);
		return;
	}
	const char *bad_contract = NULL;
	if (!expect_row && strcmp(l.type, "probe") == 0)
		bad_contract = probe_contract_check(&l, cbuf, sizeof(cbuf));
	else if (!expect_row && strcmp(l.type, "skip") == 0)
		bad_contract = skip_contract_check(&l, cbuf, sizeof(cbuf));
	if (bad_contract) {
		char msg[200];
		snprintf(msg, sizeof(msg), "malformed record (not judged): %s", bad_contract);
		bad_line(f, lineno, msg);
		free(text);
		return;
	}
	note_platform(f, log_get(&l, "platform"));
	if (strcmp(l.type, "fingerprint") == 0 && log_get(&l, "verdict"))
		snprintf(f->verdict, sizeof(f->verdict), "%s", log_get(&l, "verdict"));
	if (add_rec(f, text, lineno, &l) != 0) {
		bad_line(f, lineno, "out of memory");
		free(text);
	}
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

int fpj_load(struct fpj_file *f, const char *path)
{
	memset(f, 0, sizeof(*f));
	f->nxe = -1;
	f->vendor = VENDOR_OTHER;
	snprintf(f->name, sizeof(f->name), "%s", path);

	FILE *in;
	bool piped = ends_with(path, ".gz");
	if (piped) {
		/* gzip -dc 'path', the path single-quoted for the shell. */
		size_t len = strlen(path);
		char *cmd = malloc(4 * len + 32);
		if (!cmd)
			return -1;
		char *c = cmd + sprintf(cmd, "gzip -dc -- '");
		for (const char *p = path; *p; p++) {
			if (*p == '\'') {
				memcpy(c, "'\\''", 4);
				c += 4;
			} else {
				*c++ = *p;
			}
		}
		strcpy(c, "' 2>/dev/null");
		in = popen(cmd, "r");
		free(cmd);
	} else {
		in = fopen(path, "rb");
	}
	if (!in) {
		snprintf(f->first_bad, sizeof(f->first_bad), "%s: cannot open: %s", path,
			 strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	unsigned lineno = 0;
	while ((got = getline(&line, &cap, in)) >= 0) {
		lineno++;
		if ((size_t)got != strlen(line)) {
			bad_line(f, lineno, "NUL byte in the line (binary or corrupt log)");
			continue;
		}
		while (got && (line[got - 1] == '\n' || line[got - 1] == '\r'))
			line[--got] = '\0';
		load_line(f, line, lineno);
	}
	free(line);
	int st = piped ? pclose(in) : fclose(in);
	if (piped && st != 0) {
		snprintf(f->first_bad, sizeof(f->first_bad), "%s: gzip -dc failed (not gzip data, or cut short)", path);
		return -1;
	}
	if (!lineno) {
		snprintf(f->first_bad, sizeof(f->first_bad), "%s: empty file", path);
		return -1;
	}
	if (strcmp(f->platform, "linux-user") == 0)
		f->pages = FPJ_PAGES_LINUX_USER;
	return 0;
}

void fpj_free(struct fpj_file *f)
{
	for (size_t i = 0; i < f->nrecs; i++)
		free(f->recs[i].text);
	free(f->recs);
	f->recs = NULL;
	f->nrecs = f->cap = 0;
}

/* ------------------------------------------------------------ platform */

bool fpj_platform_auto(const struct fpj_file *f, enum platform_model *m, char *why, size_t n)
{
	static const char *const known[] = { "tcg", "kvm", "metal", "hv", "linux-user", "bochs", NULL };
	const char *p = f->platform, *v = f->verdict;
	int from_verdict = -1, from_platform = -1;
	bool is_known = false;

	if (f->mixed_platforms) {
		snprintf(why, n, "records from more than one platform (concatenated logs?)");
		return false;
	}
	if (!p[0]) {
		snprintf(why, n, "the log names no platform (no platform= in its records or cpu line)");
		return false;
	}
	for (int i = 0; known[i]; i++)
		is_known = is_known || strcmp(p, known[i]) == 0;
	if (!is_known) {
		snprintf(why, n, "unknown platform '%s' (known: tcg, kvm, metal, hv, linux-user, bochs)", p);
		return false;
	}
	if (strcmp(v, "emulator-tcg") == 0)
		from_verdict = PLATFORM_TCG;
	else if (strcmp(v, "kvm-emulator") == 0)
		from_verdict = PLATFORM_KVM_EMULATOR;
	else if (strcmp(v, "emulator-bochs") == 0)
		from_verdict = PLATFORM_BOCHS;
	else if (strcmp(v, "silicon-like") == 0 || strcmp(v, "kvm-hardware") == 0)
		from_verdict = PLATFORM_SILICON;   /* the CPU (VMX/SVM) delivered the faults */
	else if (v[0] && strcmp(v, "unknown") != 0) {
		snprintf(why, n, "unknown fingerprint verdict '%s'", v);
		return false;
	}
	if (strcmp(p, "tcg") == 0)
		from_platform = PLATFORM_TCG;
	else if (strcmp(p, "bochs") == 0)
		from_platform = PLATFORM_BOCHS;
	else if (strcmp(p, "metal") == 0 || strcmp(p, "linux-user") == 0)
		from_platform = PLATFORM_SILICON;

	/* kvm and hv: the verdict says whether the CPU or an emulator
	 * delivered the faults.  metal: the verdict may unmask an emulator
	 * that hides the hypervisor bit (Bochs).  tcg, bochs, linux-user: the
	 * verdict, if any, must agree. */
	if (strcmp(p, "kvm") == 0 || strcmp(p, "hv") == 0) {
		if (from_verdict < 0) {
			snprintf(why, n, "platform=%s without a fingerprint verdict: cannot tell whether the "
				 "CPU or an emulator delivered the faults (run the fingerprint set)", p);
			return false;
		}
		*m = (enum platform_model)from_verdict;
		return true;
	}
	if (strcmp(p, "metal") == 0 && from_verdict >= 0) {
		*m = (enum platform_model)from_verdict;
		return true;
	}
	if (from_verdict >= 0 && from_verdict != from_platform) {
		snprintf(why, n, "platform=%s but the fingerprint verdict is %s", p, v);
		return false;
	}
	*m = (enum platform_model)from_platform;
	return true;
}

/* ------------------------------------------------------------ contexts */

/* The kernel's selectors (boot/gdt.h, Linux's x86-64 layout: __KERNEL_CS
 * 0x10, __KERNEL_DS 0x18, __USER_DS 0x2b, __USER_CS 0x33); faultprobe-user
 * runs with Linux's own __USER_CS/__USER_DS, the same values. */
#define SEL_CS0 0x10
#define SEL_SS0 0x18
#define SEL_CS3 0x33
#define SEL_SS3 0x2b
/* boot/gdt.h IST_PROBE: #SS/#GP/#PF go to IST 4 while a probe breaks RSP. */
#define IST_PROBE_SLOT 4

static void kernel_pages(void *ctx, uint64_t linear, struct page_info *out)
{
	(void)ctx;
	*out = (struct page_info){ PAGE_NOT_PRESENT, true, true, false, false, 0 };
	if (linear >= 0x100000 && linear < 0x101000) {
		out->state = PAGE_PRESENT;
		out->user = false;
	}
}

static void linux_user_pages(void *ctx, uint64_t linear, struct page_info *out)
{
	(void)ctx;
	*out = (struct page_info){ PAGE_NOT_PRESENT, true, true, false, false, 0 };
	if (linear >= 0x7ffffffff000ull)
		out->state = PAGE_UNKNOWN;
}

/* A record's scratch pages (struct fpj_scratch) on top of the kernel's or
 * faultprobe-user's address space: present, writable, executable; user
 * pages with scratch_user=1 (probes/repfault: the CPL-3 slice) and always
 * in faultprobe-user (tools/user/scratch_user.c maps them with mmap). */
static void scratch_pages(void *ctx, uint64_t linear, struct page_info *out)
{
	const struct fpj_scratch *s = ctx;
	bool user = s->pages == FPJ_PAGES_LINUX_USER;

	if (user)
		linux_user_pages(NULL, linear, out);
	else
		kernel_pages(NULL, linear, out);
	for (unsigned i = 0; i < s->n; i++)
		if ((linear & ~0xfffull) == s->page[i]) {
			*out = (struct page_info){ PAGE_PRESENT, true, user || s->user, false, false, 0 };
			break;
		}
	/* The badstack family's read-only stack page (probes/badstack/
	 * badstack.c RO_PAGE, scratch=ro-stack): present, supervisor,
	 * read-only. */
	if (s->ro_stack && (linear >> 12) == 0x100000003ull) {
		out->state = PAGE_PRESENT;
		out->user = false;
		out->writable = false;
	}
	/* The sysret family's pages (probes/sysret/sysret.c, scratch=pads):
	 * the user landing pad 0x7f0000000000 (user, read-only, executable),
	 * the user stack page 0x7f0000001000 (user, writable, NX when
	 * EFER.NXE) and the supervisor landing pad 0x7f0000004000 (read-only,
	 * executable). */
	uint64_t page = linear >> 12;
	if (s->pads && (page == 0x7f0000000ull || page == 0x7f0000001ull || page == 0x7f0000004ull)) {
		out->state = PAGE_PRESENT;
		out->user = page != 0x7f0000004ull;
		out->writable = page == 0x7f0000001ull;
		out->nx = page == 0x7f0000001ull;
	}
}

static bool scratch_word(const char *v, const char *w)
{
	size_t n = strlen(w);
	return strncmp(v, w, n) == 0 && (v[n] == '+' || !v[n]);
}

/* scratch=lo+hi (the straddle family: 0x7ffffffff000, 0xffff800000000000),
 * ro-stack (badstack), pads (sysret), or page addresses in hex joined by
 * '+' (0x5a5a00001000+0x5a5a00003000).  False when a part is none of them. */
static bool parse_scratch(const char *v, struct fpj_scratch *s)
{
	s->n = 0;
	while (*v) {
		uint64_t page;
		char *end;

		if (scratch_word(v, "ro-stack") || scratch_word(v, "pads")) {
			bool ro = v[0] == 'r';
			if (ro)
				s->ro_stack = true;
			else
				s->pads = true;
			v += ro ? 8 : 4;
			v += *v == '+';
			continue;
		}
		if (strncmp(v, "lo", 2) == 0 && (v[2] == '+' || !v[2])) {
			page = 0x00007ffffffff000ull;
			end = (char *)v + 2;
		} else if (strncmp(v, "hi", 2) == 0 && (v[2] == '+' || !v[2])) {
			page = 0xffff800000000000ull;
			end = (char *)v + 2;
		} else {
			if (v[0] != '0' || v[1] != 'x')
				return false;
			errno = 0;
			page = strtoull(v + 2, &end, 16);
			if (errno || end == v + 2 || (*end && *end != '+') || (page & 0xfff))
				return false;
		}
		if (s->n == FPJ_SCRATCH_MAX)
			return false;
		s->page[s->n++] = page;
		v = *end == '+' ? end + 1 : end;
	}
	return s->n > 0 || s->ro_stack || s->pads;
}

/* A record's map= pages (probes/model/page_desc.h: the scratch pages of the
 * align, smap and pgprot families with the flags they had when the probe
 * ran) over the page model the record's context gives. */
static void mapped_pages(void *ctx, uint64_t linear, struct page_info *out)
{
	const struct fpj_map *m = ctx;

	m->base(m->base_ctx, linear, out);
	for (unsigned i = 0; i < m->n; i++)
		if (m->page[i].va == (linear & ~0xfffull)) {
			*out = m->page[i].pi;
			return;
		}
}

static bool parse_hex(const char *s, uint64_t *v)
{
	char *end;
	if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2])
		return false;
	errno = 0;
	*v = strtoull(s + 2, &end, 16);
	return errno == 0 && *end == '\0';
}

static bool parse_uint(const char *s, unsigned *v)
{
	char *end;
	if (!s || !*s)
		return false;
	errno = 0;
	unsigned long x = strtoul(s, &end, 10);
	if (errno || *end || x > 0xffffffffu)
		return false;
	*v = (unsigned)x;
	return true;
}

/* A 0/1 key; absent = 0. */
static const char *flag_key(const struct log_line *l, const char *key, bool *out)
{
	const char *v = log_get(l, key);
	unsigned u;

	*out = false;
	if (!v)
		return NULL;
	if (!parse_uint(v, &u) || u > 1)
		return "a control key (align_ac, reads, ac, am, wp, smap, smep, pke) not 0/1";
	*out = u;
	return NULL;
}

/* The control state and pages of the align, smap and pgprot families
 * (probes/probe_record.c control_fields): align=, align_ac=1, reads=1,
 * ac=/am=, wp=0, smap=1, smep=1, pke=1 with pkru=, map=, and insn= for
 * CMPXCHG16B's read-modify-write. */
static const char *control_from(const struct log_line *l, struct access *a, struct fpj_map *map)
{
	const char *why, *v;
	bool wp_on = true, b;
	uint64_t x;

	if ((v = log_get(l, "align")) && (!parse_uint(v, &a->align) || a->align > 4096))
		return "align= not a byte count";
	if ((why = flag_key(l, "align_ac", &a->align_ac)) || (why = flag_key(l, "reads", &a->store_reads)) ||
	    (why = flag_key(l, "ac", &a->rflags_ac)) || (why = flag_key(l, "am", &a->cr0_am)) ||
	    (why = flag_key(l, "smap", &a->cr4_smap)) || (why = flag_key(l, "pke", &a->cr4_pke)) ||
	    (why = flag_key(l, "smep", &b)))
		return why;
	if (b)
		a->cr4_smep = true;
	if (log_get(l, "wp") && (why = flag_key(l, "wp", &wp_on)))
		return why;
	if (log_get(l, "wp"))
		a->cr0_wp_off = !wp_on;
	if ((v = log_get(l, "pkru"))) {
		if (!parse_hex(v, &x) || x > 0xffffffffull)
			return "pkru= not 0x<32-bit hex>";
		a->pkru = (uint32_t)x;
	}
	v = log_get(l, "insn");
	a->rmw = v && strcmp(v, "cmpxchg16b") == 0;
	map->n = 0;
	for (v = log_get(l, "map"); v && *v; ) {
		if (map->n >= FPJ_MAX_MAP)
			return "map= lists too many pages";
		if (!page_desc_parse(v, &map->page[map->n].va, &map->page[map->n].pi))
			return "map= not 0x<va>:<flags>[,...]";
		map->n++;
		v = strchr(v, ',');
		if (v)
			v++;
	}
	return NULL;
}

static const char *line_get(const void *ctx, const char *key)
{
	return log_get(ctx, key);
}

int fpj_delivery_keys(const char *(*get)(const void *ctx, const char *key), const void *ctx,
		      struct access *a, const char **bad)
{
	const char *ist = get(ctx, "ist"), *df_ist = get(ctx, "df_ist");
	const char *vendor = get(ctx, "vendor"), *bad_rsp = get(ctx, "bad_rsp");
	unsigned gate, gate_df;
	uint64_t v;

	if (!ist && !df_ist && !bad_rsp)
		return 0;
	*bad = "vendor/ist/df_ist/bad_rsp";
	if (!parse_uint(ist, &gate) || gate > 7 || !parse_uint(df_ist, &gate_df) || gate_df > 7 ||
	    !bad_rsp || !vendor || !cpu_vendor_parse(vendor, &a->vendor))
		return -1;
	a->deliver = true;
	a->gate_ist = gate;
	a->ist_df = gate_df;
	a->rsp_bad = strcmp(bad_rsp, "-") != 0;
	a->rsp = 0;
	if (a->rsp_bad && !parse_hex(bad_rsp, &a->rsp))
		return -1;
	if (a->op != OP_SYSRET && a->op != OP_IRETQ)
		return 1;
	const char *cs = get(ctx, "ret_cs"), *ss = get(ctx, "ret_ss");
	const char *csd = get(ctx, "cs_desc"), *ssd = get(ctx, "ss_desc");
	const char *rsp = get(ctx, "ret_rsp"), *land = get(ctx, "land");
	*bad = "ret_cs/ret_ss/cs_desc/ss_desc/ret_rsp/land";
	if (!rsp || !csd || !ssd || !land || !seg_desc_parse(csd, &a->ret.cs_desc) ||
	    !seg_desc_parse(ssd, &a->ret.ss_desc) || !landing_parse(land, &a->ret.land))
		return -1;
	if (!parse_hex(cs, &v) || v > 0xffff)
		return -1;
	a->ret.cs = (uint16_t)v;
	if (!parse_hex(ss, &v) || v > 0xffff)
		return -1;
	a->ret.ss = (uint16_t)v;
	a->ret.rsp_bad = strcmp(rsp, "-") != 0;
	a->ret.rsp = 0;
	if (a->ret.rsp_bad && !parse_hex(rsp, &a->ret.rsp))
		return -1;
	return 1;
}

/* Fills a from a probe-shaped record; NULL, or what is missing.  map holds
 * the record's map= pages while a is used. */
static const char *access_from(const struct fpj_file *f, const struct log_line *l,
			       struct access *a, struct fpj_scratch *sc, struct fpj_map *map)
{
	const char *op = log_get(l, "op"), *base = log_get(l, "base");
	const char *index = log_get(l, "index"), *seg = log_get(l, "seg");
	const char *set = log_get(l, "set");
	unsigned width, cpl, paging;
	enum probe_op pop;
	enum seg_prefix sp = SEGP_NONE;

	memset(a, 0, sizeof(*a));
	if (!op || !probe_op_parse(op, &pop))
		return "op= missing or unknown";
	if (!base || !gpr_parse(base, &a->base))
		return "base= missing or unknown";
	a->index = GPR_NONE;
	if (index && !gpr_parse(index, &a->index))
		return "index= unknown";
	if (seg && !seg_prefix_parse(seg, &sp))
		return "seg= unknown";
	/* ud2 and int3 (the badstack family) touch no memory: width=0; up to
	 * a save area (FXSAVE 512, XSAVE 576 bytes: the align set) */
	bool no_operand = pop == OP_UD2 || pop == OP_INT3;
	if (!parse_uint(log_get(l, "width"), &width) || (!width && !no_operand) || width > 4096)
		return "width= missing or not 1..4096";
	if (!parse_uint(log_get(l, "cpl"), &cpl) || (cpl != 0 && cpl != 3))
		return "cpl= missing or not 0/3";
	if (!parse_uint(log_get(l, "paging"), &paging) || (paging != 4 && paging != 5))
		return "paging= missing or not 4/5";
	if (!parse_hex(log_get(l, "addr"), &a->addr))
		return "addr= missing or not 0x<hex>";
	/* String and branch details (probes/probe.h: rep, df, fetch_len). */
	const char *rep = log_get(l, "rep"), *df = log_get(l, "df");
	const char *fetch_len = log_get(l, "fetch_len");
	unsigned v;
	if (rep && !parse_uint(rep, &a->rep))
		return "rep= not a count";
	if (df) {
		if (!parse_uint(df, &v) || v > 1)
			return "df= not 0/1";
		a->df = v;
	}
	if (fetch_len && (!parse_uint(fetch_len, &a->fetch_len) || a->fetch_len > 15))
		return "fetch_len= not 0..15";
	const char *insn_off = log_get(l, "fetch_insn_off");
	if (insn_off && (!parse_uint(insn_off, &a->fetch_insn_off) ||
			 a->fetch_insn_off >= a->fetch_len))
		return "fetch_insn_off= not below fetch_len";
	a->op = pop;
	a->prefix = sp;
	a->width = width;
	a->cpl = cpl;
	a->paging_levels = paging;
	a->efer_nxe = f->nxe != 0;
	a->cr4_smep = false;
	a->vendor = f->vendor;
	a->sel_cs = cpl ? SEL_CS3 : SEL_CS0;
	a->sel_ss = cpl ? SEL_SS3 : SEL_SS0;
	const char *why = control_from(l, a, map);
	if (why)
		return why;
	/* What the families add (probes/probe.h): a movs's [rdi] (dst=), an
	 * fs:/gs: access's base (seg_base=), a base load's MSR (msr=) and what
	 * its rule depends on (cr4_fsgsbase=, cpu_la57=). */
	const char *dst = log_get(l, "dst"), *seg_base = log_get(l, "seg_base");
	const char *msr = log_get(l, "msr");
	uint64_t x;
	if (dst) {
		if (pop != OP_MOVS || !parse_hex(dst, &a->dst))
			return "dst= not 0x<hex> on a movs";
		a->dst_known = true;
	}
	if (seg_base && !parse_hex(seg_base, &a->seg_base))
		return "seg_base= not 0x<hex>";
	if (pop == OP_WRMSR) {
		if (!parse_hex(msr, &x) || x > 0xffffffffu)
			return "msr= missing or not 0x<hex>";
		a->msr = (uint32_t)x;
	}
	if (pop == OP_WRFSBASE || pop == OP_WRGSBASE || pop == OP_WRMSR) {
		const char *fsgsbase = log_get(l, "cr4_fsgsbase"), *la57 = log_get(l, "cpu_la57");
		if (pop != OP_WRMSR) {
			if (!parse_uint(fsgsbase, &v) || v > 1)
				return "cr4_fsgsbase= missing or not 0/1";
			a->cr4_fsgsbase = v;
		}
		if (!parse_uint(la57, &v) || v > 1)
			return "cpu_la57= missing or not 0/1";
		a->cpu_la57 = v;
	}
	const char *scratch = log_get(l, "scratch"), *scratch_user = log_get(l, "scratch_user");
	*sc = (struct fpj_scratch){ .pages = f->pages };
	if (scratch && !parse_scratch(scratch, sc))
		return "scratch= not lo, hi, ro-stack, pads or 0x<page>, joined by '+'";
	if (scratch_user) {
		if (!parse_uint(scratch_user, &v) || v > 1)
			return "scratch_user= not 0/1";
		sc->user = v;
	}
	a->page_query = scratch_pages;
	a->page_ctx = sc;
	if (f->pages != FPJ_PAGES_LINUX_USER) {
		/* The kernel's gates (probes/matrix/matrix.c,
		 * probes/straddle/straddle.c and probes/la57ops/la57ops.c:
		 * .on_ist = cpl == 0 && rsp_is_addr; probes/frame: the
		 * frame-ist set). */
		bool rsp_is_addr = pop == OP_PUSH || pop == OP_POP ||
				   ((pop == OP_LOAD || pop == OP_STORE) && a->base == GPR_RSP);
		bool rsp_sets = set && (strcmp(set, "matrix") == 0 || strcmp(set, "straddle") == 0 ||
					strcmp(set, "la57ops") == 0);
		if ((set && strcmp(set, "frame-ist") == 0) || (rsp_sets && cpl == 0 && rsp_is_addr))
			a->gate_ist = IST_PROBE_SLOT;
		/* probes/align/align.c: its push/pop rows run with .on_ist
		 * (at CPL 3 too; only #SS/#GP/#PF use those gates) */
		if (set && strcmp(set, "align") == 0 && (pop == OP_PUSH || pop == OP_POP))
			a->gate_ist = IST_PROBE_SLOT;
	}
	if (map->n) {
		map->base = a->page_query;
		map->base_ctx = a->page_ctx;
		a->page_query = mapped_pages;
		a->page_ctx = map;
	}
	/* The sysret and badstack families print their gates, stacks and
	 * returns (probes/probe_record.c probe_record_delivery). */
	const char *bad = NULL;
	if (fpj_delivery_keys(line_get, l, a, &bad) < 0)
		return bad;
	return NULL;
}

/* The prot32 probes (boot/prot32.h) as 32-bit accesses.  The kernel's
 * 32-bit GDT (boot/prot32.asm) ends far below selector 0xfff8; its LIM
 * segment's limit is recorded as seg_limit= in logs (any value will do:
 * the probe uses limit + 1). */
static const char *access32_from(const struct log_line *l, struct access32 *a)
{
	const char *probe = log_get(l, "probe");
	uint64_t v;

	memset(a, 0, sizeof(*a));
	a->sel_cs = P32_SEL_CS;
	a->width = 4;
	a->base = GPR_RBX;
	a->seg_limit = 0xffffffffu;
	a->gdt_limit = 0x00ff;   /* any limit below 0xfff8 + 7 */
	a->vendor = VENDOR_OTHER;
	if (!probe)
		return "probe= missing";
	uint32_t limit = 0x00238fffu;
	if (parse_hex(log_get(l, "seg_limit"), &v))
		limit = (uint32_t)v;
	if (strcmp(probe, "gp-sel") == 0) {
		a->op = A32_LOAD_SREG;
		a->selector = P32_BAD_SELECTOR;
	} else if (strcmp(probe, "gp-null") == 0) {
		a->op = A32_LOAD;
		a->seg_null = true;
		a->offset = 0x00238000u;
		if (parse_hex(log_get(l, "addr"), &v))
			a->offset = (uint32_t)v;
	} else if (strcmp(probe, "gp-limit") == 0 || strcmp(probe, "ss-limit") == 0) {
		a->op = A32_LOAD;
		a->base = probe[0] == 's' ? GPR_RBP : GPR_RBX;
		a->seg_limit = limit;
		a->offset = limit + 1;
	} else if (strcmp(probe, "pf-read") == 0 || strcmp(probe, "pf-write") == 0) {
		a->op = probe[3] == 'w' ? A32_STORE : A32_LOAD;
		a->offset = P32_PF_ADDR;
		a->paging = true;
		a->page_query = kernel_pages;   /* only 0x100000 is probed-and-mapped */
	} else {
		return "unknown prot32 probe";
	}
	return NULL;
}

/* ------------------------------------------------------------ cells */

static void cell(struct fpj_result *r, const char *key, const char *want, const char *got,
		 bool match)
{
	if (r->ncells >= FPJ_MAX_CELLS)
		return;
	struct fpj_cell *c = &r->cells[r->ncells++];
	c->key = key;
	snprintf(c->want, sizeof(c->want), "%s", want);
	snprintf(c->got, sizeof(c->got), "%s", got ? got : "(missing)");
	c->match = match;
	if (!match)
		r->nmismatch++;
}

/* A string-valued cell; skipped when the record lacks the key, or has "-"
 * where the model says something happened (not observable there). */
static void cell_str(struct fpj_result *r, const struct log_line *l, const char *key,
		     const char *want)
{
	const char *got = log_get(l, key);
	if (!got)
		return;
	if (!want)
		want = "-";
	if (strcmp(got, "-") == 0 && strcmp(want, "-") != 0)
		return;
	cell(r, key, want, got, strcmp(got, want) == 0);
}

/* A numeric cell (hex in the record): compared under mask. */
static void cell_hex(struct fpj_result *r, const struct log_line *l, const char *key,
		     bool present, uint64_t want, uint64_t mask, bool skip_dash)
{
	const char *got = log_get(l, key);
	char w[48];
	uint64_t v;

	if (!got)
		return;
	if (!present) {
		cell(r, key, "-", got, strcmp(got, "-") == 0);
		return;
	}
	if (strcmp(got, "-") == 0 && skip_dash)
		return;
	if (mask == ~0ull)
		snprintf(w, sizeof(w), "0x%llx", (unsigned long long)want);
	else
		snprintf(w, sizeof(w), "0x%llx/mask 0x%llx", (unsigned long long)want,
			 (unsigned long long)mask);
	cell(r, key, w, got, parse_hex(got, &v) && ((v ^ want) & mask) == 0);
}

static const char *vec_text(int v)
{
	const char *m = vector_mnemonic(v);
	return m ? m : "?";
}

static void error_cells(struct fpj_result *r, const struct log_line *l,
			const struct platform_outcome *o, bool cr2_skip_dash)
{
	bool has_err = o->vector != VEC_NONE && vector_has_error_code(o->vector);
	uint64_t mask = o->error_mask;

	if (!has_err)
		cell_hex(r, l, "err", false, 0, 0, false);
	else
		cell_hex(r, l, "err", true, o->error_code, mask, false);
	uint64_t got;
	const char *g = log_get(l, "cr2");
	if (o->vector == VEC_PF && o->cr2_hi > o->cr2 && g && parse_hex(g, &got)) {
		/* a save area: any byte of it on the failing page */
		char w[48];
		snprintf(w, sizeof(w), "0x%llx..0x%llx", (unsigned long long)o->cr2,
			 (unsigned long long)o->cr2_hi);
		cell(r, "cr2", w, g, got >= o->cr2 && got <= o->cr2_hi);
		return;
	}
	/* CR2 is printed when a #PF wrote it: the #PF's own, or the last one
	 * before a #DF (platform.h). */
	cell_hex(r, l, "cr2", o->vector == VEC_PF || (o->vector == VEC_DF && o->cr2), o->cr2, ~0ull,
		 cr2_skip_dash);
}

static void rf_cell(struct fpj_result *r, const struct log_line *l, const char *key,
		    const struct platform_outcome *o, bool from_rflags)
{
	const char *got = log_get(l, key);
	uint64_t v;
	char w[16], g[16];

	if (!got || o->vector == VEC_NONE || o->rf < 0 || strcmp(got, "-") == 0)
		return;
	snprintf(w, sizeof(w), "%d", o->rf);
	if (from_rflags) {
		if (!parse_hex(got, &v)) {
			cell(r, "rf", w, got, false);
			return;
		}
		snprintf(g, sizeof(g), "%d", (int)((v >> 16) & 1));
		cell(r, "rf", w, g, ((v >> 16) & 1) == (uint64_t)o->rf);
	} else {
		cell(r, key, w, got, strcmp(got, w) == 0);
	}
}

static const char *rsp_relation(int delta)
{
	return delta == 0 ? "pre" : delta == -8 ? "pre-8" : delta == 8 ? "pre+8" : "other";
}

/* evidence=segment-blind (probes/probe_record.c): the kernel marks an
 * agreeing probe whose platform answers the same through SS and DS; the
 * model says which probes those are (platform_segment_blind), for the
 * emulators the kernel asks (tcg, bochs).  A log, not expectation rows. */
static void evidence_cell(struct fpj_result *r, const struct log_line *l, enum platform_model m)
{
	const char *agrees = log_get(l, "agrees"), *got = log_get(l, "evidence");
	bool blind = agrees && strcmp(agrees, "yes") == 0 &&
		     (m == PLATFORM_TCG || m == PLATFORM_BOCHS) &&
		     platform_segment_blind(m, &r->access);

	if (blind)
		cell(r, "evidence", "segment-blind", got ? got : "(none)",
		     got && strcmp(got, "segment-blind") == 0);
	else if (got)
		cell(r, "evidence", "(none)", got, false);
}

static void probe_cells(struct fpj_result *r, const struct log_line *l)
{
	const struct platform_outcome *o = &r->outcome;
	bool fault = o->vector != VEC_NONE;

	cell_str(r, l, "vector", vec_text(o->vector));
	error_cells(r, l, o, false);
	/* a fault whose saved RIP / CS the model leaves open (a #DF under
	 * the manuals): no cell */
	if (!fault || o->rip_at)
		cell_str(r, l, "rip_at", fault ? o->rip_at : NULL);
	cell_str(r, l, "saved_rsp", fault ? rsp_relation(o->rsp_delta) : NULL);
	cell_str(r, l, "stack", fault ? o->stack : NULL);
	if (!fault || !o->frame_cs_open)
		cell_hex(r, l, "cs", fault, o->frame_cs, ~0ull, true);
	cell_hex(r, l, "ss", fault, o->frame_ss, ~0ull, true);
	if (fault && o->handler_ss >= 0)
		cell_hex(r, l, "handler_ss", true, (uint64_t)o->handler_ss, ~0ull, true);
	else if (!fault)
		cell_hex(r, l, "handler_ss", false, 0, 0, false);
	if (fault)
		rf_cell(r, l, "rflags", o, true);
	else
		cell_str(r, l, "rflags", NULL);
}

/* The 64-bit frame facts a `frame` or `vmcore` record checks, from the
 * outcome and the record's configuration (rsp_mod16, the gate). */
static void frame64_cells(struct fpj_result *r, const struct log_line *l, unsigned ist,
			  bool vmcore)
{
	bool on_ist = ist != 0;
	const struct platform_outcome *o = &r->outcome;
	unsigned mod16 = 0;
	char buf[48];

	if (o->vector == VEC_NONE)
		return;
	if (!parse_uint(log_get(l, "rsp_mod16"), &mod16)) {
		cell(r, "rsp_mod16", "0..15", log_get(l, "rsp_mod16"), false);
		return;
	}
	/* The push starts at the pre-fault RSP or at the IST top (the
	 * kernel's IST tops are 16-byte aligned, boot/gdt.c); aligned down to
	 * 16 first when the platform aligns (SDM Vol. 3 6.14.2). */
	unsigned pad = on_ist || !o->aligned16 ? 0 : mod16 % 16;
	if (!vmcore) {
		if (on_ist)
			snprintf(buf, sizeof(buf), "ist%u-top", ist);
		else
			snprintf(buf, sizeof(buf), "pre-fault");
		cell_str(r, l, "from", buf);
		cell_str(r, l, "stack", o->stack);
	}
	snprintf(buf, sizeof(buf), "%u", pad);
	cell_str(r, l, "pad", buf);
	snprintf(buf, sizeof(buf), "%d", -(int)(40 + pad));
	cell_str(r, l, "frame_rel", buf);
	if (!vmcore)
		cell_str(r, l, "pad_slot", pad ? "poison" : "-");
	cell_str(r, l, "aligned", o->aligned16 ? "yes" : "no");
	cell_str(r, l, "saved_rsp", o->rsp_delta == 0 ? "pre-fault" : "other");
	cell_str(r, l, vmcore ? "rip_at" : "rip", o->rip_at);
	rf_cell(r, l, "rf", o, false);
	if (!vmcore && o->cs_slot_zero_ext == 1) {
		cell_hex(r, l, "cs_hi", true, 0, ~0ull, true);
		cell_hex(r, l, "ss_hi", true, 0, ~0ull, true);
	}
	cell_hex(r, l, "cs", true, o->frame_cs, ~0ull, true);
	cell_hex(r, l, "ss", true, o->frame_ss, ~0ull, true);
}

static void prot32_cells(struct fpj_result *r, const struct log_line *l)
{
	const struct platform_outcome *o = &r->outcome;
	bool fault = o->vector != VEC_NONE;
	unsigned mod16 = 0;
	char buf[48];

	cell_str(r, l, "vector", vec_text(o->vector));
	error_cells(r, l, o, false);
	cell_str(r, l, "eip_at", fault ? o->rip_at : NULL);
	if (!fault) {
		static const char *const keys[] = { "frame_at", "frame_slots", "ss_esp_pushed",
						    "gap", "aligned16", "cs_hi", "rf", "below" };
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			cell_str(r, l, keys[k], NULL);
		return;
	}
	bool err = vector_has_error_code(o->vector);
	unsigned slots = 3 + (o->ss_sp_pushed ? 2 : 0);
	snprintf(buf, sizeof(buf), "%u%s", slots, err ? "+err" : "");
	cell_str(r, l, "frame_slots", buf);
	cell_str(r, l, "ss_esp_pushed", o->ss_sp_pushed ? "yes" : "no");
	bool have_mod = parse_uint(log_get(l, "esp_mod16"), &mod16);
	unsigned gap = o->aligned16 && have_mod ? mod16 % 16 : 0;
	snprintf(buf, sizeof(buf), "%u", gap);
	cell_str(r, l, "gap", buf);
	if (have_mod)
		cell_str(r, l, "aligned16", mod16 % 16 == 0 ? "n/a" : o->aligned16 ? "yes" : "no");
	snprintf(buf, sizeof(buf), "esp-%u", 4 * (slots + (err ? 1 : 0)) + gap);
	cell_str(r, l, "frame_at", buf);
	cell_str(r, l, "below", "poison");
	if (o->cs_slot_zero_ext >= 0)
		cell_str(r, l, "cs_hi", o->cs_slot_zero_ext ? "zero" : "poison");
	rf_cell(r, l, "rf", o, false);
}

/* ------------------------------------------------------------ judging */

bool fpj_judges_type(const struct log_line *l)
{
	const char *k;

	if (strcmp(l->type, "probe") == 0 || strcmp(l->type, "frame") == 0 ||
	    strcmp(l->type, "prot32") == 0)
		return true;
	return strcmp(l->type, "vmcore") == 0 && (k = log_get(l, "kind")) && strcmp(k, "fault") == 0;
}

bool fpj_judges_record(const struct log_line *l)
{
	const char *setup = log_get(l, "setup");

	return fpj_judges_type(l) && (!setup || strcmp(setup, "ok") == 0);
}

static bool same_key(const struct log_line *a, const struct log_line *b, const char *key)
{
	const char *x = log_get(a, key), *y = log_get(b, key);
	return x && y && strcmp(x, y) == 0;
}

/* The `probe` record a `frame` record describes. */
static const struct log_line *frame_probe(const struct fpj_file *f, const struct log_line *fr)
{
	const struct log_line *hit = NULL;
	unsigned hits = 0;

	for (size_t i = 0; i < f->nrecs; i++) {
		const struct log_line *l = &f->recs[i].line;
		if (strcmp(l->type, "probe") != 0)
			continue;
		if (same_key(l, fr, "set") && same_key(l, fr, "base") && same_key(l, fr, "addr") &&
		    same_key(l, fr, "adjust")) {
			hit = l;
			hits++;
		}
	}
	return hits == 1 ? hit : NULL;
}

static void unknown(struct fpj_result *r, const char *what, const char *why)
{
	r->status = FPJ_UNKNOWN;
	snprintf(r->why, sizeof(r->why), "%s%s%s", what, why ? ": " : "", why ? why : "");
}

/* Expectation rows may assert nothing observed (only rule=), and a prot32
 * probe whose set-up faulted never ran (setup=#GP@<eip>: e.g. a host that
 * refuses legacy paging, docs/deviations.md "Platform limits"): no outcome
 * to compare. */
static bool observed(const struct fpj_file *f, const struct log_line *l)
{
	const char *setup = log_get(l, "setup");

	if (setup && strcmp(setup, "ok") != 0)
		return false;
	return !f->expectation || log_get(l, "vector") || log_get(l, "rf");
}

/* Which of the outcome's exceptions (0, or alternative 1..nalt) the
 * record's vector=, err= and cr2= show; 0 when none or no alternatives. */
static int observed_choice(const struct log_line *l, const struct platform_outcome *o)
{
	const char *vs = log_get(l, "vector"), *es = log_get(l, "err"), *cs = log_get(l, "cr2");
	int vector;
	uint64_t err = 0, cr2 = 0;

	if (!o->nalt || !vs || !vector_parse(vs, &vector))
		return 0;
	if (es && strcmp(es, "-") != 0 && !parse_hex(es, &err))
		return 0;
	if (cs && strcmp(cs, "-") != 0 && !parse_hex(cs, &cr2))
		return 0;
	int c = platform_outcome_choice(o, vector, (uint32_t)err, cr2);
	return c > 0 ? c : 0;
}

static void finish_outcome(const struct fpj_file *f, struct platform_outcome *o)
{
	/* EFER.NXE not stated: the #PF I/D bit cannot be predicted. */
	if (f->nxe < 0)
		o->error_mask &= ~PF_ERR_ID;
}

void fpj_judge(const struct fpj_file *f, size_t i, enum platform_model m,
	       struct fpj_result *res)
{
	const struct log_line *l = &f->recs[i].line;
	const char *why;

	memset(res, 0, sizeof(*res));
	if (!fpj_judges_type(l)) {
		res->status = FPJ_NOT_MODELLED;
		return;
	}
	if (!observed(f, l)) {
		res->status = FPJ_NO_OBSERVATION;
		return;
	}
	if (strcmp(l->type, "prot32") == 0) {
		if ((why = access32_from(l, &res->access32))) {
			unknown(res, "cannot place the prot32 record", why);
			return;
		}
		res->has_access = res->is32 = true;
		res->access32.vendor = f->vendor;
		platform_predict32(m, &res->access32, &res->outcome);
		finish_outcome(f, &res->outcome);
		if (!res->outcome.known) {
			unknown(res, platform_model_name(m), res->outcome.unknown_why);
			return;
		}
		prot32_cells(res, l);
	} else {
		const struct log_line *pl = l;
		struct log_line synth;
		bool vmcore = strcmp(l->type, "vmcore") == 0;

		if (strcmp(l->type, "frame") == 0 && !(pl = frame_probe(f, l))) {
			unknown(res, "cannot place the frame record",
				"no single probe record with the same set, base, addr and adjust");
			return;
		}
		if (vmcore) {
			/* probes/vmcore.c: the seed's two instructions, `mov
			 * 0x0(%rbp,%rax,1),%rbx` and `mov (%r15,%rax,1),%rbx`,
			 * 8-byte loads at CPL 0 under 4-level paging, on the
			 * current stack. */
			static char text[160];
			const char *variant = log_get(l, "variant"), *addr = log_get(l, "addr");
			/* probes/vmcore.c FREELIST: the seed's freelist value;
			 * expectation rows do not repeat it. */
			if (!addr)
				addr = "0x0072006900560338";
			snprintf(text, sizeof(text),
				 "probe set=vmcore op=load base=%s index=rax seg=none width=8 cpl=0 paging=4 addr=%s",
				 variant ? variant : "?", addr ? addr : "?");
			if (log_parse_line(text, &synth) != LOG_OK) {
				unknown(res, "cannot place the vmcore record", "bad variant/addr");
				return;
			}
			pl = &synth;
		}
		if ((why = access_from(f, pl, &res->access, &res->scratch, &res->map))) {
			unknown(res, "cannot place the record", why);
			return;
		}
		res->has_access = true;
		platform_predict(m, &res->access, &res->outcome);
		/* Where the model allows several exceptions (the manuals leave
		 * their order open, platform.h), the one the record shows is
		 * judged, with the frame that goes with it. */
		int choice = observed_choice(l, &res->outcome);
		if (choice > 0)
			platform_predict_choice(m, &res->access, (unsigned)choice, &res->outcome);
		finish_outcome(f, &res->outcome);
		if (!res->outcome.known) {
			unknown(res, platform_model_name(m), res->outcome.unknown_why);
			return;
		}
		if (strcmp(l->type, "probe") == 0) {
			probe_cells(res, l);
			if (!f->expectation)
				evidence_cell(res, l, m);
		} else {
			cell_str(res, l, "vector", vec_text(res->outcome.vector));
			if (vmcore)
				error_cells(res, l, &res->outcome, false);
			frame64_cells(res, l, res->access.gate_ist, vmcore);
		}
	}
	if (!res->ncells) {
		unknown(res, "nothing to compare", "the record has none of the judged keys");
		return;
	}
	res->status = res->nmismatch ? FPJ_MISMATCH : FPJ_MATCH;
}

/* ------------------------------------------------------------ files */

static void count_deviations(struct fpj_summary *s, const struct platform_outcome *o)
{
	if (o->ndev)
		s->deviating++;
	for (unsigned d = 0; d < o->ndev; d++) {
		unsigned k = 0;
		while (k < s->ndevnames && strcmp(s->devs[k].name, o->dev[d].name) != 0)
			k++;
		if (k == s->ndevnames) {
			if (k >= sizeof(s->devs) / sizeof(s->devs[0]))
				continue;
			s->devs[k].name = o->dev[d].name;
			s->devs[k].count = 0;
			s->ndevnames++;
		}
		s->devs[k].count++;
	}
}

static const char *ident_text(const struct log_line *l, char *buf, size_t n)
{
	static const char *const keys[] = { "set", "probe", "kind", "variant", "op", "base", "index",
					    "seg", "width", "cpl", "paging", "adjust", "esp_mod16",
					    "addr" };
	size_t len = 0;

	len += (size_t)snprintf(buf + len, n - len, "%s", l->type);
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]) && len < n; k++) {
		const char *v = log_get(l, keys[k]);
		if (v)
			len += (size_t)snprintf(buf + len, n - len, " %s=%s", keys[k], v);
	}
	return buf;
}

static int check_file_each(const struct fpj_file *f, enum platform_model m, const char *prog,
			   FILE *out, unsigned max_report, struct fpj_summary *s,
			   fpj_each_fn each, void *ctx);

int fpj_check_file(const struct fpj_file *f, enum platform_model m, const char *prog,
		   FILE *out, unsigned max_report, struct fpj_summary *s)
{
	return check_file_each(f, m, prog, out, max_report, s, NULL, NULL);
}

static int check_file_each(const struct fpj_file *f, enum platform_model m, const char *prog,
			   FILE *out, unsigned max_report, struct fpj_summary *s,
			   fpj_each_fn each, void *ctx)
{
	unsigned shown_mis = 0, shown_unk = 0;
	char id[400];

	memset(s, 0, sizeof(*s));
	s->records = (unsigned)f->nrecs;
	for (size_t i = 0; i < f->nrecs; i++) {
		struct fpj_result r;
		const struct fpj_rec *rec = &f->recs[i];

		fpj_judge(f, i, m, &r);
		if (each)
			each(ctx, rec->lineno, &r);
		switch (r.status) {
		case FPJ_NOT_MODELLED:
			s->not_modelled++;
			continue;
		case FPJ_NO_OBSERVATION:
			s->no_observation++;
			continue;
		case FPJ_UNKNOWN:
			s->unknown++;
			if (out && (!max_report || shown_unk++ < max_report))
				fprintf(out, "%s: %s:%u: unknown: %s: %s\n", prog, f->name, rec->lineno,
					ident_text(&rec->line, id, sizeof(id)), r.why);
			continue;
		case FPJ_MATCH:
		case FPJ_MISMATCH:
			break;
		}
		s->judged++;
		s->cells += r.ncells;
		s->cells_differ += r.nmismatch;
		count_deviations(s, &r.outcome);
		if (r.status == FPJ_MATCH) {
			s->matched++;
			continue;
		}
		s->mismatched++;
		if (out && (!max_report || shown_mis++ < max_report)) {
			fprintf(out, "%s: %s:%u: differs from the %s model: %s:", prog, f->name,
				rec->lineno, platform_model_name(m),
				ident_text(&rec->line, id, sizeof(id)));
			for (unsigned c = 0; c < r.ncells; c++)
				if (!r.cells[c].match)
					fprintf(out, " %s=%s (model: %s)", r.cells[c].key, r.cells[c].got,
						r.cells[c].want);
			fputc('\n', out);
		}
	}
	if (out && max_report && shown_mis > max_report)
		fprintf(out, "%s: %s: ... and %u more records that differ\n", prog, f->name,
			s->mismatched - max_report);
	if (out && max_report && shown_unk > max_report)
		fprintf(out, "%s: %s: ... and %u more unknown records\n", prog, f->name,
			s->unknown - max_report);
	return s->mismatched || s->unknown || f->bad_lines ? 1 : 0;
}

void fpj_print_summary(FILE *out, const char *prog, const struct fpj_file *f,
		       enum platform_model m, const struct fpj_summary *s)
{
	fprintf(out, "%s: %s: model %s: %u records, %u judged (%u cells): %u match, %u differ (%u cells), "
		"%u unknown, %u not modelled, %u without an observation, %u unparsable lines; "
		"%u judged records deviate from the manuals",
		prog, f->name, platform_model_name(m), s->records, s->judged, s->cells, s->matched,
		s->mismatched, s->cells_differ, s->unknown, s->not_modelled, s->no_observation,
		f->bad_lines, s->deviating);
	for (unsigned k = 0; k < s->ndevnames; k++)
		fprintf(out, "%s%s x%u", k ? ", " : " (", s->devs[k].name, s->devs[k].count);
	fprintf(out, "%s\n", s->ndevnames ? ")" : "");
}

int fpj_run(const char *prog, const char *path, const char *platform, FILE *out, bool all,
	    bool need_records, struct fpj_summary *sum)
{
	return fpj_run_each(prog, path, platform, out, all, need_records, sum, NULL, NULL);
}

int fpj_run_each(const char *prog, const char *path, const char *platform, FILE *out, bool all,
		 bool need_records, struct fpj_summary *sum, fpj_each_fn each, void *ctx)
{
	static struct fpj_file f;
	struct fpj_summary s;
	enum platform_model m = PLATFORM_SILICON;
	char why[240];
	int st;

	memset(&s, 0, sizeof(s));
	if (sum)
		*sum = s;
	if (strcmp(platform, "auto") != 0 && !platform_model_parse(platform, &m)) {
		fprintf(stderr, "%s: error: unknown model '%s' (silicon, tcg, kvm-emulator, bochs, auto)\n",
			prog, platform);
		return 2;
	}
	if (fpj_load(&f, path) != 0) {
		fprintf(stderr, "%s: error: %s\n", prog, f.first_bad);
		fpj_free(&f);
		return 2;
	}
	if (!f.expectation && !f.has_done) {
		fprintf(stderr, "%s: error: %s: no 'faultprobe: done' line: the log is truncated "
			"or the run did not finish\n", prog, path);
		fpj_free(&f);
		return 2;
	}
	if (strcmp(platform, "auto") == 0 && !fpj_platform_auto(&f, &m, why, sizeof(why))) {
		fprintf(stderr, "%s: error: %s: %s; give --platform NAME\n", prog, path, why);
		fpj_free(&f);
		return 2;
	}
	if (f.bad_lines)
		fprintf(stderr, "%s: %s (%u unparsable record lines)\n", prog, f.first_bad,
			f.bad_lines);
	st = check_file_each(&f, m, prog, out, all ? 0 : 20, &s, each, ctx);
	if (out)
		fpj_print_summary(out, prog, &f, m, &s);
	if (!s.judged && need_records) {
		fprintf(stderr, "%s: error: %s: no record the %s model could judge\n", prog, path,
			platform_model_name(m));
		st = 1;
	}
	if (sum)
		*sum = s;
	fpj_free(&f);
	return st;
}
