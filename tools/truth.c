/* truth — where the platforms differ, from the reference logs.
 *
 *   truth REFERENCES OUT.md OUT.svg      (make truth)
 *
 * REFERENCES is tests/ref/references (COLUMN MODEL FILE [AUTO] per line).
 * Every record of every file is read with tools/fpjudge.c; a "cell" is one
 * probe as the project identifies it (docs/testing.md):
 *     probe   set op base index seg width cpl paging adjust addr (and, in
 *             the sysret and badstack families, ist bad_rsp ret_cs
 *             ret_ss ret_rsp land)
 *     prot32  probe esp_mod16
 * and its value on a platform is what the platform did: the vector, the
 * error code (when the vector has one) and CR2 when it is not the address
 * probed.  OUT.md gets every cell probed by two or more platforms whose
 * values differ, one column per platform (COLUMN), with the manuals' rule
 * beside it; the #PF P bit is left out of the comparison in rows a
 * linux-user column probed (Linux forces P=1 at and above TASK_SIZE_MAX,
 * and its address space is not the kernel's: page tables, not platforms).
 * A second table gives the frame facts per platform (RF, SS in an IST
 * handler, saved RIP after a non-canonical branch, the 32-bit CS slot).
 * OUT.svg draws the matrix's canonical-edge loads per platform: one panel
 * per column, the address edge - k on the x axis (both edges), width and
 * base on the y axis, colour = vector, with a legend (plain SVG, no
 * scripts).  Both outputs are deterministic: same references, same bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpjudge.h"
#include "../probes/model/vectors.h"

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

#define MAX_COLS 12

struct column {
	char name[64];
	char model[64];
	char files[1024];
	unsigned records;
	bool linux_user;
	/* frame facts: distinct values seen */
	char rf[32], ist_ss[32], branch_rip[32], cs_hi32[32], iret_rip[32], sysret_cpl[32];
};

struct cell {
	char *id;               /* identity text                           */
	char *label[8];         /* set op base index seg width cpl addr    */
	char *rule;             /* the manuals (rule= of the first record) */
	char *val[MAX_COLS];    /* what each column did, NULL: not probed  */
	unsigned err[MAX_COLS];
	int vector[MAX_COLS];
	bool has_err[MAX_COLS];
	char *extra[MAX_COLS];  /* "cr2=..." when CR2 is not the address   */
	uint64_t addr;
	bool is_prot32;
};

static struct column cols[MAX_COLS];
static unsigned ncols;
static struct cell *cells;
static size_t ncells, capcells;
static size_t *hash;
static size_t hashcap;

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d) {
		perror("truth");
		exit(2);
	}
	return d;
}

static unsigned long hstr(const char *s)
{
	unsigned long h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static void rehash(void)
{
	free(hash);
	hashcap = hashcap ? hashcap * 2 : 8192;
	hash = calloc(hashcap, sizeof(*hash));
	if (!hash)
		exit(2);
	for (size_t i = 0; i < ncells; i++) {
		size_t h = hstr(cells[i].id) & (hashcap - 1);
		while (hash[h])
			h = (h + 1) & (hashcap - 1);
		hash[h] = i + 1;
	}
}

static struct cell *find_or_add(const char *id)
{
	if (!hash || ncells * 2 >= hashcap)
		rehash();
	size_t h = hstr(id) & (hashcap - 1);
	while (hash[h]) {
		if (strcmp(cells[hash[h] - 1].id, id) == 0)
			return &cells[hash[h] - 1];
		h = (h + 1) & (hashcap - 1);
	}
	if (ncells == capcells) {
		capcells = capcells ? capcells * 2 : 4096;
		cells = realloc(cells, capcells * sizeof(*cells));
		if (!cells)
			exit(2);
	}
	struct cell *c = &cells[ncells];
	memset(c, 0, sizeof(*c));
	c->id = xstrdup(id);
	hash[h] = ++ncells;
	return c;
}

static const char *get(const struct log_line *l, const char *k, const char *dflt)
{
	const char *v = log_get(l, k);
	return v ? v : dflt;
}

static void add_fact(char *set, size_t n, const char *v)
{
	char tok[40];
	if (!v || !*v || strcmp(v, "-") == 0)
		return;
	snprintf(tok, sizeof(tok), "%s", v);
	/* set is "a, b, c": add tok unless present */
	const char *p = set;
	size_t tl = strlen(tok);
	while ((p = strstr(p, tok))) {
		if ((p == set || p[-1] == ' ') && (p[tl] == '\0' || p[tl] == ','))
			return;
		p += tl;
	}
	if (*set)
		strncat(set, ", ", n - strlen(set) - 1);
	strncat(set, tok, n - strlen(set) - 1);
}

static void record_facts(struct column *col, const struct log_line *l)
{
	const char *vec = log_get(l, "vector");
	bool fault = vec && strcmp(vec, "none") != 0;
	const char *v;

	if (strcmp(l->type, "prot32") == 0) {
		if (fault) {
			add_fact(col->rf, sizeof(col->rf), log_get(l, "rf"));
			add_fact(col->cs_hi32, sizeof(col->cs_hi32), log_get(l, "cs_hi"));
		}
		return;
	}
	if (strcmp(l->type, "probe") != 0 || !fault)
		return;
	/* RF of faults only: not the #BP trap (RF as it was), nor the #DF
	 * abort (the manuals say nothing), both in the sysret/badstack sets */
	if ((v = log_get(l, "rflags")) && strcmp(v, "-") != 0 && strcmp(vec, "#BP") != 0 &&
	    strcmp(vec, "#DF") != 0) {
		unsigned long long fl = strtoull(v, NULL, 16);
		add_fact(col->rf, sizeof(col->rf), (fl >> 16) & 1 ? "1" : "0");
	}
	/* taken at CPL 0 (the frame's CS RPL: a return's target may run at 3) */
	if ((v = log_get(l, "stack")) && strncmp(v, "ist", 3) == 0 &&
	    strcmp(get(l, "cpl", "0"), "0") == 0 && (strtoul(get(l, "cs", "0"), NULL, 16) & 3) == 0)
		add_fact(col->ist_ss, sizeof(col->ist_ss), log_get(l, "handler_ss"));
	/* Branches and returns to a non-canonical target (4-level paging: bits
	 * 63:47 not all equal; the straddle family's canonical targets whose
	 * bytes run into the hole are not this fact): where the #GP of a
	 * call/jmp/ret and of an IRETQ points, and the CPL a SYSRET's #GP (or
	 * the #DF it became) is taken at, by vendor. */
	const char *op = get(l, "op", "");
	unsigned long long addr = strtoull(get(l, "addr", "0"), NULL, 16);
	bool noncanon = (addr >> 47) != 0 && (addr >> 47) != 0x1ffff;
	if (noncanon && (strcmp(op, "call") == 0 || strcmp(op, "jmp") == 0 || strcmp(op, "ret") == 0) &&
	    strcmp(vec, "#GP") == 0)
		add_fact(col->branch_rip, sizeof(col->branch_rip), log_get(l, "rip_at"));
	if (noncanon && strcmp(op, "iretq") == 0 && strcmp(vec, "#GP") == 0)
		add_fact(col->iret_rip, sizeof(col->iret_rip), log_get(l, "rip_at"));
	if (noncanon && strcmp(op, "sysret") == 0 && (strcmp(vec, "#GP") == 0 || strcmp(vec, "#DF") == 0)) {
		char f[32];
		snprintf(f, sizeof(f), "%s: CPL %lu", get(l, "vendor", "?"),
			 strtoul(get(l, "cs", "0"), NULL, 16) & 3);
		add_fact(col->sysret_cpl, sizeof(col->sysret_cpl), f);
	}
}

static void add_record(unsigned ci, const struct log_line *l)
{
	char id[800], val[64], extra[64] = "";
	const char *vec = log_get(l, "vector");
	struct cell *c;
	int v;

	if (!vec || !vector_parse(vec, &v))
		return;      /* expectation rows asserting no outcome */
	record_facts(&cols[ci], l);
	if (strcmp(l->type, "probe") == 0) {
		/* What the families add to a probe's identity (probes/probe.h):
		 * a REP count and direction, a movs's [rdi], an FS/GS base, the
		 * MSR a wrmsr writes; the sysret and badstack families probe one
		 * address with several stacks, gates and returns.  Shown after
		 * the address. */
		static const char *const more[] = { "rep", "df", "dst", "seg_base", "msr",
						    "ist", "bad_rsp", "ret_cs", "ret_ss", "ret_rsp",
						    "land" };
		char tail[300] = "";
		size_t tl = 0;
		for (size_t k = 0; k < sizeof(more) / sizeof(more[0]) && tl < sizeof(tail); k++)
			if (log_get(l, more[k]))
				tl += (size_t)snprintf(tail + tl, sizeof(tail) - tl, " %s=%s", more[k],
						       log_get(l, more[k]));
		snprintf(id, sizeof(id), "probe %s %s %s %s %s %s %s %s %s %s%s", get(l, "set", "?"),
			 get(l, "op", "?"), get(l, "base", "?"), get(l, "index", "-"),
			 get(l, "seg", "none"), get(l, "width", "?"), get(l, "cpl", "?"),
			 get(l, "paging", "4"), get(l, "adjust", "0"), get(l, "addr", "?"), tail);
		/* The align, smap and pgprot families (records with ctl=) run the
		 * same access under different control state, instructions and
		 * page flags: those are part of the cell, and of its label. */
		char ctl[200] = "";
		if (log_get(l, "ctl")) {
			snprintf(ctl, sizeof(ctl), "%s/%s%s%s ctl=%s%s%s", get(l, "set", "?"),
				 get(l, "slice", "?"), log_get(l, "insn") ? " " : "",
				 get(l, "insn", ""), get(l, "ctl", "-"),
				 log_get(l, "pkru") ? " pkru=" : "", get(l, "pkru", ""));
			size_t n = strlen(id);
			if (n < sizeof(id))
				snprintf(id + n, sizeof(id) - n, " %s %s", ctl, get(l, "map", "-"));
		}
		c = find_or_add(id);
		if (!c->label[0]) {
			const char *keys[8] = { "set", "op", "base", "index", "seg", "width", "cpl", "addr" };
			char a[340];
			for (int k = 0; k < 7; k++)
				c->label[k] = xstrdup(get(l, keys[k], "-"));
			snprintf(a, sizeof(a), "%s%s", get(l, "addr", "-"), tail);
			c->label[7] = xstrdup(a);
			/* CR2 is shown against the linear address: offset + base */
			c->addr = strtoull(get(l, "addr", "0"), NULL, 16) +
				  strtoull(get(l, "seg_base", "0"), NULL, 16);
			if (ctl[0]) {
				free(c->label[0]);
				c->label[0] = xstrdup(ctl);
			}
		}
	} else if (strcmp(l->type, "prot32") == 0) {
		snprintf(id, sizeof(id), "prot32 %s %s", get(l, "probe", "?"), get(l, "esp_mod16", "?"));
		c = find_or_add(id);
		if (!c->label[0]) {
			c->is_prot32 = true;
			c->label[0] = xstrdup("prot32");
			c->label[1] = xstrdup(get(l, "probe", "?"));
			for (int k = 2; k < 7; k++)
				c->label[k] = xstrdup("-");
			c->label[5] = xstrdup("4");
			c->label[6] = xstrdup("0");
			char a[48];
			snprintf(a, sizeof(a), "esp%%16=%s", get(l, "esp_mod16", "?"));
			c->label[7] = xstrdup(a);
		}
	} else {
		return;
	}
	if (c->val[ci])
		return;      /* the same cell twice in one column: keep the first */
	const char *err = log_get(l, "err"), *cr2 = log_get(l, "cr2");
	c->vector[ci] = v;
	c->has_err[ci] = err && strcmp(err, "-") != 0;
	c->err[ci] = c->has_err[ci] ? (unsigned)strtoul(err, NULL, 16) : 0;
	if (v == VEC_NONE)
		snprintf(val, sizeof(val), "none");
	else if (c->has_err[ci] && (v == VEC_PF || c->err[ci]))
		snprintf(val, sizeof(val), "%s %s", vec, err);
	else
		snprintf(val, sizeof(val), "%s", vec);
	if (v == VEC_PF && cr2 && strcmp(cr2, "-") != 0 && !c->is_prot32) {
		unsigned long long x = strtoull(cr2, NULL, 16);
		if (x != c->addr)
			snprintf(extra, sizeof(extra), " cr2=addr%+lld", (long long)(x - c->addr));
	}
	c->val[ci] = xstrdup(val);
	c->extra[ci] = extra[0] ? xstrdup(extra) : NULL;
	if (!c->rule && log_get(l, "rule"))
		c->rule = xstrdup(log_get(l, "rule"));
}

/* Values compared: vector, error code (P masked in rows a linux-user
 * column probed), CR2 offset. */
static bool cell_differs(const struct cell *c, unsigned *probed)
{
	bool mask_p = false;
	int first = -1;

	*probed = 0;
	for (unsigned i = 0; i < ncols; i++)
		if (c->val[i]) {
			(*probed)++;
			mask_p = mask_p || cols[i].linux_user;
		}
	if (*probed < 2)
		return false;
	for (unsigned i = 0; i < ncols; i++) {
		if (!c->val[i])
			continue;
		if (first < 0) {
			first = (int)i;
			continue;
		}
		unsigned m = mask_p ? ~1u : ~0u;
		const char *e1 = c->extra[first] ? c->extra[first] : "";
		const char *e2 = c->extra[i] ? c->extra[i] : "";
		if (c->vector[i] != c->vector[first] || c->has_err[i] != c->has_err[first] ||
		    ((c->err[i] ^ c->err[first]) & m) || strcmp(e1, e2) != 0)
			return true;
	}
	return false;
}

static void read_references(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	if (!f) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		char col[64], model[64], file[512];
		if (line[0] == '#' || sscanf(line, "%63s %63s %511s", col, model, file) != 3)
			continue;
		unsigned ci = 0;
		while (ci < ncols && strcmp(cols[ci].name, col) != 0)
			ci++;
		if (ci == ncols) {
			if (ncols == MAX_COLS) {
				fprintf(stderr, "truth: more than %d columns\n", MAX_COLS);
				exit(2);
			}
			snprintf(cols[ci].name, sizeof(cols[ci].name), "%s", col);
			snprintf(cols[ci].model, sizeof(cols[ci].model), "%s", model);
			ncols++;
		}
		static struct fpj_file fj;
		if (fpj_load(&fj, file) != 0) {
			fprintf(stderr, "truth: %s\n", fj.first_bad);
			exit(2);
		}
		if (fj.pages == FPJ_PAGES_LINUX_USER)
			cols[ci].linux_user = true;
		if (cols[ci].files[0])
			strncat(cols[ci].files, ", ", sizeof(cols[ci].files) - strlen(cols[ci].files) - 1);
		strncat(cols[ci].files, file, sizeof(cols[ci].files) - strlen(cols[ci].files) - 1);
		for (size_t r = 0; r < fj.nrecs; r++)
			add_record(ci, &fj.recs[r].line);
		fpj_free(&fj);
	}
	fclose(f);
	for (size_t i = 0; i < ncells; i++)
		for (unsigned c = 0; c < ncols; c++)
			if (cells[i].val[c])
				cols[c].records++;
}

/* ------------------------------------------------------------ markdown */

static void write_md(const char *refs, const char *path, const char *svg)
{
	FILE *o = fopen(path, "w");
	size_t ndiff = 0;
	unsigned probed;

	if (!o) {
		perror(path);
		exit(2);
	}
	for (size_t i = 0; i < ncells; i++)
		if (cell_differs(&cells[i], &probed))
			ndiff++;
	fprintf(o, "# Where the platforms differ\n\n");
	(void)path;
	fprintf(o, "Generated by `make truth` (`build/truth tests/ref/references docs/platforms.md "
		   "docs/platforms.svg`) from the reference logs listed in `%s`; do not edit by "
		   "hand.\n\n", refs);
	fprintf(o, "A cell is one probe (`set op base index seg width cpl paging adjust addr`, with "
		   "`rep df dst seg_base msr` where the record has them, "
		   "`ist bad_rsp ret_cs ret_ss ret_rsp land` in the sysret and badstack families, or a "
		   "`prot32` probe and its ESP alignment); its value on a platform is what the platform "
		   "did: the vector, the error code, and CR2 when it is not the address probed "
		   "(offset + seg_base).  The manuals' rule for a base load depends on the CPU's "
		   "linear-address width (cpu_la57): where platforms with and without LA57 differ "
		   "there, each did what the manuals say for its CPU.  "
		   "Listed: every cell that two or more platforms probed and that they did not all "
		   "answer alike (the #PF P bit is not compared in rows a linux-user column probed: "
		   "Linux forces it at and above TASK_SIZE_MAX and its address space is not the "
		   "kernel's).  `·`: not probed there.  `manuals`: the rule the records carry.  "
		   "Every value here is reproduced by that platform's model "
		   "(`probes/model/platform_*.c`, tests/boot/case-models.sh); the names of the "
		   "departures are the headings of `docs/deviations.md`.\n\n");
	fprintf(o, "![the canonical-edge loads per platform](%s)\n\n",
		strrchr(svg, '/') ? strrchr(svg, '/') + 1 : svg);
	fprintf(o, "| platform | model | cells probed | reference |\n|---|---|---|---|\n");
	for (unsigned c = 0; c < ncols; c++)
		fprintf(o, "| %s | %s | %u | %s |\n", cols[c].name, cols[c].model, cols[c].records,
			cols[c].files);
	fprintf(o, "\nCells where two platforms differ, pair by pair (cells both probed / cells "
		   "that differ):\n\n|  |");
	for (unsigned c = 0; c < ncols; c++)
		fprintf(o, " %s |", cols[c].name);
	fprintf(o, "\n|---|");
	for (unsigned c = 0; c < ncols; c++)
		fprintf(o, "---|");
	fprintf(o, "\n");
	for (unsigned a = 0; a < ncols; a++) {
		fprintf(o, "| %s |", cols[a].name);
		for (unsigned b = 0; b < ncols; b++) {
			unsigned both = 0, differ = 0;
			for (size_t i = 0; i < ncells; i++) {
				const struct cell *c = &cells[i];
				if (!c->val[a] || !c->val[b])
					continue;
				both++;
				unsigned m = cols[a].linux_user || cols[b].linux_user ? ~1u : ~0u;
				const char *e1 = c->extra[a] ? c->extra[a] : "", *e2 = c->extra[b] ? c->extra[b] : "";
				if (c->vector[a] != c->vector[b] || ((c->err[a] ^ c->err[b]) & m) ||
				    strcmp(e1, e2) != 0)
					differ++;
			}
			if (a == b)
				fprintf(o, " %u |", both);
			else
				fprintf(o, " %u / %u |", both, differ);
		}
		fprintf(o, "\n");
	}
	fprintf(o, "\n## Frame facts\n\nWhat each platform pushed, over every faulting record of "
		   "its references (`·`: not seen there).\n\n| fact | manuals |");
	for (unsigned c = 0; c < ncols; c++)
		fprintf(o, " %s |", cols[c].name);
	fprintf(o, "\n|---|---|");
	for (unsigned c = 0; c < ncols; c++)
		fprintf(o, "---|");
	fprintf(o, "\n");
	static const struct {
		const char *what, *manuals;
		size_t off;
	} facts[] = {
		{ "RF in the pushed (E/R)FLAGS of a fault", "1 (SDM Vol.3 17.3.1.1)",
		  offsetof(struct column, rf) },
		{ "SS in a CPL-0 handler reached through an IST gate", "0x18, unchanged (6.14.4)",
		  offsetof(struct column, ist_ss) },
		{ "saved RIP after call/jmp/ret to a non-canonical target", "insn: the branch (SDM Vol.2)",
		  offsetof(struct column, branch_rip) },
		{ "upper half of the 32-bit frame's CS slot", "either (SDM Vol.2 PUSH)",
		  offsetof(struct column, cs_hi32) },
		{ "saved RIP of IRETQ's #GP for a non-canonical RIP", "insn: the IRETQ (SDM Vol.2 IRET)",
		  offsetof(struct column, iret_rip) },
		{ "CPL of SYSRET's #GP for a non-canonical RCX", "intel: CPL 0; amd: CPL 3 (SDM/APM SYSRET)",
		  offsetof(struct column, sysret_cpl) },
	};
	for (size_t f = 0; f < sizeof(facts) / sizeof(facts[0]); f++) {
		fprintf(o, "| %s | %s |", facts[f].what, facts[f].manuals);
		for (unsigned c = 0; c < ncols; c++) {
			const char *v = (const char *)&cols[c] + facts[f].off;
			fprintf(o, " %s |", *v ? v : "·");
		}
		fprintf(o, "\n");
	}
	fprintf(o, "\n## Every cell where platforms differ (%zu)\n\n", ndiff);
	fprintf(o, "| set | op | base | index | seg | width | cpl | addr | manuals |");
	for (unsigned c = 0; c < ncols; c++)
		fprintf(o, " %s |", cols[c].name);
	fprintf(o, "\n|---|---|---|---|---|---|---|---|---|");
	for (unsigned c = 0; c < ncols; c++)
		fprintf(o, "---|");
	fprintf(o, "\n");
	for (size_t i = 0; i < ncells; i++) {
		const struct cell *c = &cells[i];
		if (!cell_differs(c, &probed))
			continue;
		fprintf(o, "|");
		for (int k = 0; k < 8; k++)
			fprintf(o, " %s |", c->label[k]);
		fprintf(o, " %s |", c->rule ? c->rule : "?");
		for (unsigned col = 0; col < ncols; col++)
			fprintf(o, " %s%s |", c->val[col] ? c->val[col] : "·",
				c->extra[col] ? c->extra[col] : "");
		fprintf(o, "\n");
	}
	fclose(o);
	printf("truth: %s: %zu cells, %zu where platforms differ, %u platforms\n", path, ncells,
	       ndiff, ncols);
}

/* ------------------------------------------------------------ svg */

#define CELL 9
#define KMAX 32
#define GAP 18
#define LEFT 92
#define TOP 46

static const char *colour_of(int vector)
{
	switch (vector) {
	case VEC_SS: return "#d62728";
	case VEC_GP: return "#f5a623";
	case VEC_PF: return "#1f77b4";
	case VEC_NONE: return "#2ca02c";
	default: return "#7f7f7f";
	}
}

static const char *const base_rows[][3] = {
	/* label, base, index */
	{ "rbp", "rbp", "-" }, { "rsp", "rsp", "-" }, { "r15", "r15", "-" }, { "rax+rbp", "rax", "rbp" },
};
static const unsigned widths[] = { 1, 2, 4, 8, 16, 32 };
#define NBASE 4
#define NWIDTH 6

/* The cell for the edges probe (load, no prefix): at the lowest CPL the
 * column ran it (kernel: CPL 0; linux-user: CPL 3). */
static const struct cell *edge_cell(unsigned col, unsigned b, unsigned w, uint64_t addr)
{
	char id[400];
	for (int cpl = 0; cpl <= 3; cpl += 3) {
		snprintf(id, sizeof(id), "probe matrix load %s %s none %u %d 4 0 0x%016llx",
			 base_rows[b][1], base_rows[b][2], widths[w], cpl, (unsigned long long)addr);
		size_t h = hstr(id) & (hashcap - 1);
		while (hash[h]) {
			const struct cell *c = &cells[hash[h] - 1];
			if (strcmp(c->id, id) == 0) {
				if (c->val[col])
					return c;
				break;
			}
			h = (h + 1) & (hashcap - 1);
		}
	}
	return NULL;
}

static void write_svg(const char *path)
{
	FILE *o = fopen(path, "w");
	static const uint64_t edges[2] = { 0x0000800000000000ull, 0xffff800000000000ull };
	static const char *const edge_names[2] = { "0x0000800000000000", "0xffff800000000000" };
	const unsigned block_w = KMAX * CELL, rows = NBASE * NWIDTH;
	const unsigned panel_w = LEFT + 2 * block_w + GAP + 20, panel_h = TOP + rows * CELL + 44;
	const unsigned per_row = 2, npanels = ncols;
	const unsigned width = per_row * panel_w + 20;
	const unsigned height = 96 + ((npanels + per_row - 1) / per_row) * panel_h + 40;

	if (!o) {
		perror(path);
		exit(2);
	}
	fprintf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" "
		   "viewBox=\"0 0 %u %u\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n",
		width, height, width, height);
	fprintf(o, "<title>faultprobe: the vector each platform raised for loads at the canonical edges</title>\n");
	fprintf(o, "<rect width=\"%u\" height=\"%u\" fill=\"#ffffff\"/>\n", width, height);
	fprintf(o, "<text x=\"10\" y=\"24\" font-size=\"17\" font-weight=\"bold\">Loads at the "
		   "canonical edges: which vector each platform raised</text>\n");
	fprintf(o, "<text x=\"10\" y=\"44\" font-size=\"12\">One panel per platform.  Column: the "
		   "address edge − k (k = 32 … 1, the edge itself is non-canonical); row: access width "
		   "and base register (rbp/rsp: SS, r15/rax+rbp: DS).  An access from edge − k of width "
		   "w &gt; k runs into the edge.</text>\n");
	/* legend */
	static const struct { int v; const char *name; } legend[] = {
		{ VEC_SS, "#SS" }, { VEC_GP, "#GP" }, { VEC_PF, "#PF" }, { VEC_NONE, "no fault" },
	};
	unsigned lx = 10;
	for (size_t i = 0; i < sizeof(legend) / sizeof(legend[0]); i++) {
		fprintf(o, "<rect x=\"%u\" y=\"58\" width=\"16\" height=\"16\" fill=\"%s\"/>"
			   "<text x=\"%u\" y=\"71\" font-size=\"13\">%s</text>\n",
			lx, colour_of(legend[i].v), lx + 21, legend[i].name);
		lx += 100;
	}
	fprintf(o, "<rect x=\"%u\" y=\"58\" width=\"16\" height=\"16\" fill=\"#f0f0f0\" "
		   "stroke=\"#c8c8c8\"/><text x=\"%u\" y=\"71\" font-size=\"13\">not probed</text>\n",
		lx, lx + 21);

	for (unsigned p = 0; p < npanels; p++) {
		unsigned px = 10 + (p % per_row) * panel_w, py = 96 + (p / per_row) * panel_h;
		fprintf(o, "<g transform=\"translate(%u,%u)\">\n", px, py);
		fprintf(o, "<text x=\"0\" y=\"16\" font-size=\"15\" font-weight=\"bold\">%s</text>"
			   "<text x=\"%u\" y=\"16\" font-size=\"12\" fill=\"#555555\">(model: %s)</text>\n",
			cols[p].name, (unsigned)(10 * strlen(cols[p].name) + 16), cols[p].model);
		for (unsigned e = 0; e < 2; e++) {
			unsigned bx = LEFT + e * (block_w + GAP);
			fprintf(o, "<text x=\"%u\" y=\"%u\" font-size=\"11\">edge %s</text>\n", bx, TOP - 8,
				edge_names[e]);
			fprintf(o, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"#f0f0f0\"/>\n",
				bx, TOP, block_w - 1, rows * CELL - 1);
			for (unsigned b = 0; b < NBASE; b++)
				for (unsigned w = 0; w < NWIDTH; w++) {
					unsigned row = b * NWIDTH + w;
					for (unsigned k = KMAX; k >= 1; k--) {
						unsigned x = bx + (KMAX - k) * CELL, y = TOP + row * CELL;
						const struct cell *c = k <= widths[w] ?
							edge_cell(p, b, w, edges[e] - k) : NULL;
						if (c)
							fprintf(o, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"%s\"/>\n",
								x, y, CELL - 1, CELL - 1, colour_of(c->vector[p]));
					}
				}
			/* x ticks */
			static const unsigned ticks[] = { 32, 16, 8, 4, 1 };
			for (size_t t = 0; t < sizeof(ticks) / sizeof(ticks[0]); t++)
				fprintf(o, "<text x=\"%u\" y=\"%u\" font-size=\"10\" text-anchor=\"middle\">−%u</text>\n",
					bx + (KMAX - ticks[t]) * CELL + CELL / 2, TOP + rows * CELL + 13, ticks[t]);
		}
		/* y labels: base blocks and widths */
		for (unsigned b = 0; b < NBASE; b++) {
			unsigned y0 = TOP + b * NWIDTH * CELL;
			fprintf(o, "<text x=\"0\" y=\"%u\" font-size=\"11\" font-weight=\"bold\">%s</text>\n",
				y0 + 3 * CELL + 4, base_rows[b][0]);
			for (unsigned w = 0; w < NWIDTH; w++)
				fprintf(o, "<text x=\"%u\" y=\"%u\" font-size=\"8\" text-anchor=\"end\">%u</text>\n",
					LEFT - 4, y0 + w * CELL + CELL - 1, widths[w]);
			if (b)
				fprintf(o, "<line x1=\"0\" y1=\"%u\" x2=\"%u\" y2=\"%u\" stroke=\"#888888\" stroke-width=\"0.5\"/>\n",
					y0 - 1, LEFT + 2 * block_w + GAP, y0 - 1);
		}
		fprintf(o, "<text x=\"%u\" y=\"%u\" font-size=\"10\" fill=\"#555555\">k (address = edge − k) · "
			   "rows: width 1…32 bytes per base</text>\n", LEFT, TOP + rows * CELL + 28);
		fprintf(o, "</g>\n");
	}
	fprintf(o, "<text x=\"10\" y=\"%u\" font-size=\"11\" fill=\"#555555\">Generated by make truth "
		   "from tests/ref/references (docs/platforms.md).  Kernel runs: CPL 0; linux-user: CPL 3.</text>\n",
		height - 14);
	fprintf(o, "</svg>\n");
	fclose(o);
	printf("truth: %s: %u panels\n", path, npanels);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: truth REFERENCES OUT.md OUT.svg\n");
		return 2;
	}
	read_references(argv[1]);
	if (!ncols || !ncells) {
		fprintf(stderr, "truth: %s lists no readable reference\n", argv[1]);
		return 2;
	}
	write_md(argv[1], argv[2], argv[3]);
	write_svg(argv[3]);
	return 0;
}
