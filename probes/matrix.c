/* The probe matrix in the kernel (issue 3, section 1): walks the matrix
 * described in probes/matrix_desc.c, runs every probe through probe_run()
 * at CPL 0 or CPL 3, prints one `probe` record per probe on serial, and on
 * screen only a per-slice summary (counts by vector, disagreements with the
 * manuals' rule).
 *
 * CPL 3: the stub pages (probes/matrix_stubs.asm), the ring-3 trampoline
 * (probes/matrix_ring3.asm), the page(s) holding probe_ctx and a small user
 * stack are made user-accessible while the ring-3 probes run, and only then;
 * CR4.SMEP/SMAP are cleared meanwhile (the fault fixup resumes the stub in
 * ring 0 on its user stack).  Every ring-3 fault's frame is checked by
 * probe_run() (runner.c; record key ring3_frame). */
#include "model/matrix_desc.h"
#include "probe.h"
#include "sets.h"
#include "../boot/cmdline.h"
#include "../boot/cpu.h"
#include "../boot/paging.h"
#include "../idt/idt.h"
#include "model/vectors.h"
#include "model/fmt.h"
#include "../report/report.h"
#include "../report/summary_screen.h"

#define LINE 160

/* probes/matrix_ring3.asm */
void matrix_ring3_thunk(uint64_t addr, uint64_t rsp_adjust);
_Static_assert(__builtin_offsetof(struct probe_ctx, faulted) == 48,
	       "PCTX_FAULTED in probes/matrix_ring3.asm");
extern char matrix_ring3_start[], matrix_ring3_end[];
extern char matrix_stubs_start[], matrix_stubs_end[];
extern uint64_t matrix_ring3_stub, matrix_ring3_user_rsp;
uint64_t matrix_ring3_stub, matrix_ring3_user_rsp;

static uint8_t user_stack[2 * 4096] __attribute__((aligned(4096)));


/* ------------------------------------------------------------ AVX */

static void xsetbv0(uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* Enable AVX state if the CPU has it: CR4.OSXSAVE, then XCR0 = x87|SSE|AVX
 * (SDM Vol. 3 13.3, "Enabling the XSAVE feature set"; APM Vol. 2 11.5).
 * Usable when CPUID.1:ECX.OSXSAVE = 1, XCR0[2:1] = 11b and CPUID.1:ECX.AVX
 * = 1 (SDM Vol. 1 14.3, "Detection of Intel AVX instructions").  Leaves a
 * reason in `why` when not. */
static bool avx_enable(const char **why)
{
	struct cpuid_regs r = cpuid(1, 0);

	if (!(r.ecx & (1u << 28))) {
		*why = "CPUID.1:ECX.AVX=0";
		return false;
	}
	if (!(r.ecx & (1u << 26))) {
		*why = "CPUID.1:ECX.XSAVE=0";
		return false;
	}
	if (!(cpuid(0xd, 0).eax & 0x4)) {
		*why = "CPUID.(0Dh,0):EAX[2]=0 (XCR0.AVX not supported)";
		return false;
	}
	write_cr4(read_cr4() | CR4_OSXSAVE);
	xsetbv0(0x7);
	/* Read back without XGETBV (the local KVM fails to emulate it and
	 * stops the guest): CPUID.(0Dh,0):EBX is the XSAVE area size for the
	 * features enabled in XCR0, 576 bytes for x87|SSE, more with AVX
	 * (SDM Vol. 1 13.2). */
	if (!(cpuid(1, 0).ecx & (1u << 27)) || cpuid(0xd, 0).ebx <= 576) {
		*why = "CR4.OSXSAVE/XCR0.AVX did not take effect";
		return false;
	}
	return true;
}

/* ------------------------------------------------------------ ring 3 */

static struct {
	bool active;
	uint64_t cr4;
} r3;

static void map_pages(uint64_t start, uint64_t end, uint64_t flags)
{
	start &= ~0xfffull;
	end = (end + 0xfff) & ~0xfffull;
	paging_map_range(start, start, end - start, flags);
}

/* The kernel image is identity-mapped PTE_W (boot/paging.c); these pages
 * get PTE_U on top while ring-3 probes run. */
static void map_ring3_pages(uint64_t flags)
{
	uint64_t ctx = (uint64_t)(uintptr_t)&probe_ctx;

	map_pages((uint64_t)(uintptr_t)matrix_stubs_start,
		  (uint64_t)(uintptr_t)matrix_stubs_end, flags);
	map_pages((uint64_t)(uintptr_t)matrix_ring3_start,
		  (uint64_t)(uintptr_t)matrix_ring3_end, flags);
	map_pages(ctx, ctx + sizeof(probe_ctx), flags);
	map_pages((uint64_t)(uintptr_t)user_stack,
		  (uint64_t)(uintptr_t)user_stack + sizeof(user_stack), flags);
}

static void ring3_begin(void)
{
	if (r3.active)
		return;
	map_ring3_pages(PTE_W | PTE_U);
	r3.cr4 = read_cr4();
	write_cr4(r3.cr4 & ~(CR4_SMEP | CR4_SMAP));
	/* the way home from a probe that did not fault is INT3 from CPL 3:
	 * the #BP gate needs DPL 3 (SDM Vol. 3 6.12.1.1); idt.c sets it
	 * already, this makes sure */
	idt_set_dpl(VEC_BP, 3);
	matrix_ring3_user_rsp = (uint64_t)(uintptr_t)&user_stack[sizeof(user_stack)];
	r3.active = true;
}

static void ring3_end(void)
{
	if (!r3.active)
		return;
	write_cr4(r3.cr4);
	map_ring3_pages(PTE_W);
	r3.active = false;
}

/* One CPL-3 load that must not fault (the lowest qword of the user stack,
 * which the stub's frame never reaches): proves the way into ring 3 and the
 * INT3 way back before the ring-3 slices rely on them.  Every ring-3
 * matrix probe faults and returns through the fault fixup instead. */
static bool ring3_selftest(void)
{
	volatile uint64_t *slot = (volatile uint64_t *)(uintptr_t)user_stack;
	const uint64_t pattern = 0x0033474e49520033ull;
	int idx = matrix_stub_index(MK_MEM, OP_LOAD, GPR_R15, SEGP_NONE, 8, -1);
	struct probe_def d = {
		.set = "matrix", .stub_name = "mx_load_r15_none_8", .stub = matrix_ring3_thunk,
		.op = OP_LOAD, .base = GPR_R15, .index = GPR_NONE, .prefix = SEGP_NONE,
		.width = 8, .cpl = 3, .compact = true,
	};
	struct probe_result r;

	if (idx < 0)
		return false;
	*slot = pattern;
	ring3_begin();
	matrix_ring3_stub = (uint64_t)(uintptr_t)matrix_stub_table[idx].fn;
	probe_run(&d, (uint64_t)(uintptr_t)user_stack, 0, &r);
	ring3_end();
	return !r.faulted && r.value == pattern;
}

/* ------------------------------------------------------------ safety */

/* Is any page of [start, start+len) present in the live tables?  The
 * description only stores to non-canonical addresses or canonical ones the
 * kernel never maps (unit-tested); this re-checks against the real tables
 * (a UEFI framebuffer may sit anywhere). */
static bool touches_present(uint64_t start, uint64_t len, bool need_user)
{
	uint64_t page = start & ~0xfffull;
	uint64_t last = (start + len - 1) & ~0xfffull;

	for (;;) {
		struct page_info pi;
		paging_query(0, page, &pi);
		if (pi.state == PAGE_PRESENT && (!need_user || pi.user))
			return true;
		if (page == last)
			return false;
		page += 0x1000;
	}
}

static const char *unsafe_reason(const struct matrix_probe *p)
{
	uint64_t start, len;

	if (matrix_probe_write_range(p, &start, &len) && touches_present(start, len, false))
		return "would write mapped memory";
	/* never execute whatever is there: ring 0 can run any present page,
	 * ring 3 only user pages */
	if (matrix_probe_branches(p) && touches_present(p->addr, 1, p->cpl == 3))
		return "branch target is mapped";
	return 0;
}

/* ------------------------------------------------------------ summary */

#define MAX_PAIRS 6

struct slice_tally {
	unsigned probes, none, ss, gp, pf, other, disagree, skipped, r3bad;
	unsigned npairs;
	struct { int rule, seen; unsigned n; } pairs[MAX_PAIRS];
	unsigned pairs_dropped;
};

static void tally_add(struct slice_tally *t, const struct probe_result *r,
		      const struct matrix_probe *p)
{
	t->probes++;
	switch (r->vector) {
	case VEC_NONE: t->none++; break;
	case VEC_SS: t->ss++; break;
	case VEC_GP: t->gp++; break;
	case VEC_PF: t->pf++; break;
	default: t->other++; break;
	}
	if (p->cpl == 3 && r->faulted && !(r->ring3_frame && r->ring3_frame[0] == 'o'))
		t->r3bad++;
	if (r->agrees)
		return;
	t->disagree++;
	for (unsigned i = 0; i < t->npairs; i++)
		if (t->pairs[i].rule == r->rule.vector && t->pairs[i].seen == r->vector) {
			t->pairs[i].n++;
			return;
		}
	if (t->npairs < MAX_PAIRS) {
		t->pairs[t->npairs].rule = r->rule.vector;
		t->pairs[t->npairs].seen = r->vector;
		t->pairs[t->npairs].n = 1;
		t->npairs++;
	} else {
		t->pairs_dropped++;
	}
}

static void put_vec(struct strbuf *sb, int v)
{
	const char *m = vector_mnemonic(v);
	if (m) {
		sb_puts(sb, m);
	} else {
		sb_puts(sb, "vec");
		sb_dec(sb, (uint64_t)v);
	}
}

/* Right-aligned so the number ends at column `end`. */
static void put_col(struct strbuf *sb, size_t end, unsigned v)
{
	size_t digits = 1;
	for (unsigned x = v; x >= 10; x /= 10)
		digits++;
	sb_pad_to(sb, end > digits ? end - digits : 0);
	sb_dec(sb, v);
}

#define TALLY_HEADER "  slice          probes   none   #SS   #GP   #PF other disagree"

static void tally_print(const struct matrix_slice *s, const struct slice_tally *t)
{
	char buf[LINE];
	struct strbuf sb;

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "  ");
	sb_puts(&sb, s->name);
	put_col(&sb, 23, t->probes);
	put_col(&sb, 30, t->none);
	put_col(&sb, 36, t->ss);
	put_col(&sb, 42, t->gp);
	put_col(&sb, 48, t->pf);
	put_col(&sb, 54, t->other);
	put_col(&sb, 63, t->disagree);
	if (t->skipped) {
		sb_puts(&sb, "  skipped ");
		sb_dec(&sb, t->skipped);
	}
	if (s->cpls & MATRIX_CPL3) {
		sb_puts(&sb, t->r3bad ? "  ring3 frames BAD " : "  ring3 frames ok");
		if (t->r3bad)
			sb_dec(&sb, t->r3bad);
	}
	report_note(buf);
	for (unsigned i = 0; i < t->npairs; i++) {
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "      rule ");
		put_vec(&sb, t->pairs[i].rule);
		sb_puts(&sb, " but saw ");
		put_vec(&sb, t->pairs[i].seen);
		sb_puts(&sb, ": ");
		sb_dec(&sb, t->pairs[i].n);
		report_note(buf);
	}
	if (t->pairs_dropped) {
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "      other rule/seen pairs: ");
		sb_dec(&sb, t->pairs_dropped);
		report_note(buf);
	}
}

/* ------------------------------------------------------------ the set */

static void note2(const char *a, const char *b)
{
	char buf[LINE];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, a);
	sb_puts(&sb, b);
	report_note(buf);
}

static void note_skip(const struct matrix_probe *p, const char *why)
{
	char buf[LINE];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "matrix: skipped op=");
	sb_puts(&sb, probe_op_name(p->op));
	sb_puts(&sb, " base=");
	sb_puts(&sb, gpr_name(p->base));
	sb_puts(&sb, " cpl=");
	sb_dec(&sb, p->cpl);
	sb_puts(&sb, " addr=");
	sb_hex64(&sb, p->addr);
	sb_puts(&sb, ": ");
	sb_puts(&sb, why);
	report_note(buf);
}

/* matrix=FILTER (boot/cmdline.c stores the text, unchecked): narrow *f to
 * that sub-matrix.  A filter matrix_filter_parse() rejects gives one
 * cmdline: error line naming it, its fault and the accepted form, and the
 * whole matrix runs. */
static void apply_cmdline_filter(const struct options *opts, struct matrix_filter *f)
{
	char err[160], buf[2 * LINE + 200];
	struct strbuf sb;

	if (!opts || !opts->matrix_filter[0])
		return;
	if (matrix_filter_parse(opts->matrix_filter, f, err, sizeof(err))) {
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "matrix: sub-matrix matrix=");
		sb_puts(&sb, opts->matrix_filter);
		sb_puts(&sb, " (boot option)");
		report_note(buf);
		return;
	}
	matrix_filter_all(f);  /* the parser may have applied earlier items */
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "cmdline: bad value 'matrix=");
	sb_puts(&sb, opts->matrix_filter);  /* printable: boot/cmdline.c checked */
	sb_puts(&sb, "' (");
	sb_puts(&sb, err);
	sb_puts(&sb, "; the whole matrix runs) " CMDLINE_MATRIX_HINT);
	report_note(buf);
}

void run_matrix_set(const struct options *opts)
{
	struct matrix_filter f;
	struct matrix_iter it;
	struct matrix_probe p;
	struct slice_tally tally;
	unsigned cur_slice = ~0u, total = 0, disagree = 0, first_bad = 0, bad;
	const char *why = 0;
	char buf[LINE], name[48];
	struct strbuf sb;

	bad = matrix_stub_table_check(matrix_stub_table, matrix_stub_table_count, &first_bad);
	if (bad) {
		matrix_stub_name(first_bad, name, sizeof(name));
		note2("matrix: NOT RUN: matrix_stub_table disagrees with matrix_desc.c, first at ",
		      name);
		return;
	}

	matrix_filter_all(&f);
	apply_cmdline_filter(opts, &f);
	if (!avx_enable(&why)) {
		f.widths &= (uint8_t)~MW_BIT(MW_32);
		note2("matrix: AVX not usable, width-32 (vmovups ymm) probes skipped: ", why);
	} else if (fp_strcmp(report_platform(), "kvm") == 0) {
		/* Measured on the local KVM: a vmovups that faults on an unmapped
		 * page ends the guest ("KVM internal error. Suberror: 1 ...
		 * emulation failure", the instruction emulator has no VEX
		 * support), so the 32-byte probes would lose the whole run. */
		f.widths &= (uint8_t)~MW_BIT(MW_32);
		report_note("matrix: width-32 (vmovups ymm) probes skipped under KVM: a faulting "
			    "VEX load stops the guest with a KVM emulation failure");
	}
	/* fs:/gs: prefixes add the segment base: 0 for the matrix, so the
	 * linear address is the probed one (SDM Vol. 3 3.4.4). */
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_GS_BASE, 0);
	if (f.cpls & MATRIX_CPL3) {
		if (ring3_selftest()) {
			report_note("matrix: ring 3 entry (IRETQ) and exit (INT3) self-test ok");
		} else {
			f.cpls &= (uint8_t)~MATRIX_CPL3;
			report_note("matrix: ring 3 self-test FAILED (a CPL-3 load of a user page did "
				    "not come back with its value): CPL-3 probes skipped");
		}
	}

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "== set matrix: ");
	sb_dec(&sb, matrix_count(&f));
	sb_puts(&sb, " probes in ");
	sb_dec(&sb, matrix_slice_count);
	sb_puts(&sb, " slices (records on serial; per-slice summary here)");
	report_note(buf);
	report_note(TALLY_HEADER);

	matrix_iter_init(&it, &f);
	for (;;) {
		bool more = matrix_iter_next(&it, &p);

		if (!more || p.slice != cur_slice) {
			if (cur_slice != ~0u)
				tally_print(&matrix_slices[cur_slice], &tally);
			if (!more)
				break;
			cur_slice = p.slice;
			for (unsigned i = 0; i < sizeof(tally); i++)
				((volatile uint8_t *)&tally)[i] = 0;
		}
		const char *unsafe = unsafe_reason(&p);
		if (unsafe) {
			tally.skipped++;
			note_skip(&p, unsafe);
			continue;
		}

		char stub_name[48];
		matrix_stub_name(p.stub, stub_name, sizeof(stub_name));
		struct probe_def d = {
			.set = "matrix",
			.slice = matrix_slices[p.slice].name,
			.compact = true,
			.stub_name = stub_name,
			.stub = matrix_stub_table[p.stub].fn,
			.op = p.op,
			.base = p.base,
			.index = p.index,
			.prefix = p.prefix,
			.width = p.width,
			.cpl = p.cpl,
			/* RSP = addr at CPL 0: the frame needs another stack
			 * (SDM Vol. 3 6.14.5).  At CPL 3 the CPU switches to
			 * RSP0 anyway, which is what the ring-3 rows check. */
			.on_ist = p.cpl == 0 && p.rsp_is_addr,
		};
		if (p.cpl == 3) {
			ring3_begin();
			matrix_ring3_stub = (uint64_t)(uintptr_t)d.stub;
			d.stub = matrix_ring3_thunk;
		}
		struct probe_result r;
		probe_run(&d, p.addr, 0, &r);
		probe_ctx.wildcard_resume = 0;
		report_probe(&d, p.addr, 0, &r);
		tally_add(&tally, &r, &p);
		total++;
		if (!r.agrees)
			disagree++;
	}
	ring3_end();

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "matrix: ");
	sb_dec(&sb, total);
	sb_puts(&sb, " probes, ");
	sb_dec(&sb, disagree);
	sb_puts(&sb, " disagree with the manuals' rule");
	report_note(buf);
	summary_add_finding(buf);
}
