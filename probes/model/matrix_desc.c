/* The probe matrix: dimensions, address sets, slices, iterator, filter and
 * the stub index formula.  Portable C (see matrix_desc.h): no libc, no
 * kernel headers; freestanding-safe loops only.
 *
 * The canonical boundary (4-level paging, 48-bit linear addresses): bits
 * 63:47 of a canonical address are all equal (SDM Vol. 1 3.3.7.1, Vol. 3
 * 4.1.1), so 0x00007FFFFFFFFFFF is the last canonical address of the lower
 * half and 0xFFFF800000000000 the first of the upper half.  A non-canonical
 * reference through SS gives #SS(0), through any other segment #GP(0)
 * (SDM Vol. 3 6.15, interrupts 12 and 13; AMD APM Vol. 2 8.2.13/8.2.14);
 * a canonical but unmapped one gives #PF (SDM Vol. 3 4.7).
 */
#include "matrix_desc.h"
#include "fmt.h"

#define NELEM(x) (sizeof(x) / sizeof((x)[0]))

#define LOW_END   0x0000800000000000ull   /* first non-canonical (4-level) */
#define HIGH_BEG  0xFFFF800000000000ull   /* first canonical upper half    */
#define VMCORE    0x0072006900560338ull   /* the vmcore's freelist value   */

/* ------------------------------------------------------------ widths */

static const uint8_t wbytes[MW_COUNT] = { 1, 2, 4, 8, 16, 32 };

unsigned matrix_width_bytes(unsigned widx)
{
	return widx < MW_COUNT ? wbytes[widx] : 0;
}

int matrix_width_index(unsigned bytes)
{
	for (unsigned i = 0; i < MW_COUNT; i++)
		if (wbytes[i] == bytes)
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------ addresses */

/* The seed table as recorded (BRIEF.md: 8-byte load through RBP, 4-level
 * paging), then the vmcore's kmem_cache_cpu->freelist. */
const uint64_t seed_addresses[] = {
	0x0000100000000000ull, 0x0000400000000000ull, 0x0000700000000000ull,
	0x00007FFFFF000000ull, 0x00007FFFFFFFF000ull, 0x00007FFFFFFFFF00ull,
	0x00007FFFFFFFFFF0ull, 0x00007FFFFFFFFFF7ull, 0x00007FFFFFFFFFF8ull,
	0x00007FFFFFFFFFF9ull, 0x00007FFFFFFFFFFAull, 0x00007FFFFFFFFFFCull,
	0x00007FFFFFFFFFFEull, 0x00007FFFFFFFFFFFull, 0x0000800000000000ull,
	0x0000FFFFFFFFFFFFull, 0x0001000000000000ull, 0x0010000000000000ull,
	0xFFFF7FFFFFFFFFFFull, 0xFFFF800000000000ull, 0xFFFFFFFFFFFFFFFFull,
	VMCORE,
};
const unsigned seed_address_count = sizeof(seed_addresses) / sizeof(seed_addresses[0]);
#define a_seed seed_addresses

/* One address per outcome class: canonical unmapped (lower half), an
 * 8-byte straddle of the lower boundary, the vmcore value (non-canonical),
 * the last non-canonical address below the upper half, the first canonical
 * upper-half address (unmapped). */
static const uint64_t a_core_load[] = {
	0x0000100000000000ull, 0x00007FFFFFFFFFF9ull, VMCORE,
	0xFFFF7FFFFFFFFFFFull, HIGH_BEG,
};
static const uint64_t a_core_store[] = { 0x00007FFFFFFFFFF9ull, VMCORE };
static const uint64_t a_width_load[] = { 0x0000100000000000ull, VMCORE };
static const uint64_t a_width_store[] = { VMCORE };

/* Fill patterns and poison values that end up in corrupted pointers:
 * 0xAA../0x55../0xCC.. fills, ASCII "AAAA" and UTF-16 "AAAA" (like the
 * vmcore's UTF-16 text), Linux's slab POISON_FREE (0x6b) and LIST_POISON1,
 * then two canonical ones (upper and lower half, unmapped). */
static const uint64_t a_pattern[] = {
	0xAAAAAAAAAAAAAAAAull, 0x5555555555555555ull, 0xCCCCCCCCCCCCCCCCull,
	0x4141414141414141ull, 0x0041004100410041ull, 0x6B6B6B6B6B6B6B6Bull,
	0xDEAD000000000100ull,
	0xFFFFAAAAAAAAAAAAull, 0x00002AAAAAAAAAAAull,
};
#define PATTERN_NC 7   /* the first 7 are non-canonical */

/* call/jmp/ret targets: canonical unmapped (both halves, page starts and
 * the last lower-half byte), non-canonical ones. */
static const uint64_t a_branch[] = {
	0x0000100000000000ull, 0x00007FFFFFFFF000ull, 0x00007FFFFFFFFFFFull,
	LOW_END, VMCORE, 0xFFFF7FFFFFFFFFFFull, HIGH_BEG,
	0xFFFFFFFFFFFFF000ull, 0xAAAAAAAAAAAAAAAAull, 0xDEAD000000000100ull,
};
/* rsi/rdi for string ops: unmapped, a straddle for widths >= 4, vmcore. */
static const uint64_t a_string[] = {
	0x0000100000000000ull, 0x00007FFFFFFFFFFDull, VMCORE,
};
/* The kernel's first page (linker.ld: the image starts at 1 MiB).  Mapped
 * supervisor: a CPL-0 load reads it, a CPL-3 load is a protection #PF. */
static const uint64_t a_control[] = { 0x0000000000100000ull };
static const uint64_t a_ring3_load[] = {
	0x0000000000100000ull, 0x0000100000000000ull, 0x00007FFFFFFFFFF9ull,
	VMCORE, HIGH_BEG,
};
static const uint64_t a_ring3_store[] = {
	0x0000100000000000ull, 0x00007FFFFFFFFFF9ull, VMCORE, HIGH_BEG,
};
static const uint64_t a_ring3_stack[] = {
	0x0000100000000000ull, LOW_END + 4, VMCORE,
};
static const uint64_t a_ring3_branch[] = {
	0x0000100000000000ull, LOW_END, HIGH_BEG,
};

/* The moffs64 addresses, shared with probes/matrix_stubs.asm. */
static const uint64_t a_abs[] = {
#define MATRIX_ABS(a) (uint64_t)(a##ull),
#include "matrix_abs.inc"
#undef MATRIX_ABS
};

unsigned matrix_abs_count(void)
{
	return NELEM(a_abs);
}

uint64_t matrix_abs_addr(unsigned i)
{
	return i < NELEM(a_abs) ? a_abs[i] : 0;
}

int matrix_abs_index(uint64_t addr)
{
	for (unsigned i = 0; i < NELEM(a_abs); i++)
		if (a_abs[i] == addr)
			return (int)i;
	return -1;
}

struct addr_list {
	const char *name;
	const uint64_t *a;
	unsigned n;
};
#define LIST(n, arr) { n, arr, NELEM(arr) }
static const struct addr_list lists[MA_COUNT] = {
	[MA_SEED]         = LIST("seed", a_seed),
	[MA_CORE_LOAD]    = LIST("core-load", a_core_load),
	[MA_CORE_STORE]   = LIST("core-store", a_core_store),
	[MA_WIDTH_LOAD]   = LIST("width-load", a_width_load),
	[MA_WIDTH_STORE]  = LIST("width-store", a_width_store),
	[MA_EDGES]        = { "edges", 0, 0 },
	[MA_EDGE_LO]      = { "edge-lo", 0, 0 },
	[MA_ABS]          = LIST("abs", a_abs),
	[MA_PATTERN]      = LIST("pattern", a_pattern),
	[MA_PATTERN_NC]   = { "pattern-nc", a_pattern, PATTERN_NC },
	[MA_STACK]        = { "stack", 0, 0 },
	[MA_BRANCH]       = LIST("branch", a_branch),
	[MA_STRING]       = LIST("string", a_string),
	[MA_CONTROL]      = LIST("control", a_control),
	[MA_RING3_LOAD]   = LIST("ring3-load", a_ring3_load),
	[MA_RING3_STORE]  = LIST("ring3-store", a_ring3_store),
	[MA_RING3_STACK]  = LIST("ring3-stack", a_ring3_stack),
	[MA_RING3_BRANCH] = LIST("ring3-branch", a_ring3_branch),
};

/* MA_STACK: the seed table, then RSP = 0x800000000000 + k and
 * 0xFFFF800000000000 + k for k = 1..8: a push writes [RSP-8, RSP), so
 * k = 1..7 straddle the boundary from the canonical side (lower edge) or
 * from the non-canonical side (upper edge), k = 8 lies wholly on one side. */
#define STACK_EDGE 8

const char *matrix_addrset_name(enum matrix_addrset s)
{
	return (unsigned)s < MA_COUNT ? lists[s].name : "?";
}

unsigned matrix_addr_count(enum matrix_addrset s, unsigned width_bytes)
{
	switch (s) {
	case MA_EDGES:
		return 2 * width_bytes;
	case MA_EDGE_LO:
		return width_bytes;
	case MA_STACK:
		return NELEM(a_seed) + 2 * STACK_EDGE;
	default:
		return (unsigned)s < MA_COUNT ? lists[s].n : 0;
	}
}

/* For a w-byte access, 0x800000000000 - k (k = 1..w) are the last start
 * addresses below the boundary: k = w fits (all canonical), k < w straddles
 * into the non-canonical range.  0xFFFF800000000000 - k is the mirror: the
 * start is non-canonical and, for k < w, the access ends canonical. */
uint64_t matrix_addr_at(enum matrix_addrset s, unsigned width_bytes, unsigned i)
{
	if (i >= matrix_addr_count(s, width_bytes))
		return 0;
	switch (s) {
	case MA_EDGES:
		if (i < width_bytes)
			return LOW_END - (i + 1);
		return HIGH_BEG - (i - width_bytes + 1);
	case MA_EDGE_LO:
		return LOW_END - (i + 1);
	case MA_STACK:
		if (i < NELEM(a_seed))
			return a_seed[i];
		i -= NELEM(a_seed);
		if (i < STACK_EDGE)
			return LOW_END + i + 1;
		return HIGH_BEG + (i - STACK_EDGE) + 1;
	default:
		return lists[s].a[i];
	}
}

/* ------------------------------------------------------------ slices */

#define LOADS   OP_BIT(OP_LOAD)
#define STORES  OP_BIT(OP_STORE)
#define MEMF    (MF_GPRS | MF_BIT(MF_IDX))
#define F_RBP_R15      (MF_BIT(GPR_RBP) | MF_BIT(GPR_R15))
#define F_RBP_R15_RSP  (F_RBP_R15 | MF_BIT(GPR_RSP))
#define NONE    SEGP_BIT(SEGP_NONE)
#define W8      MW_BIT(MW_8)
#define C0      MATRIX_CPL0
#define C3      MATRIX_CPL3

/* The slices.  Not the full cross product (18 forms x 7 prefixes x 6 widths
 * x ~100 addresses x ops x 2 rings would be ~10^6 probes); each slice
 * varies the dimensions one question needs and holds the rest at the
 * seed's values (8-byte load, no prefix, CPL 0).  Probes an earlier slice
 * already ran are skipped by the iterator.  Counts with AVX (width 32):
 *
 *  slice          ops             forms                   seg   width    cpl addresses           probes
 *  seed           load            16 gprs + (rax,rbp,1)   none  8        0   seed table + vmcore   374
 *  base-seg       load            16 gprs + idx           all 7 8        0   core-load (5)         510
 *  base-seg-st    store           16 gprs + idx           all 7 8        0   core-store (2)        238
 *  width-seg      load            rbp r15                 all 7 all 6    0   width-load (2)        140
 *  width-seg-st   store           rbp r15                 all 7 all 6    0   vmcore                 70
 *  edges          load            rbp r15 rsp idx         none  all 6    0   both edges, k=1..w    476
 *  edges-st       store           rbp r15                 none  all 6    0   both edges, k=1..w    250
 *  abs            load            moffs64                 all 7 8        0   matrix_abs.inc (9)     63
 *  abs-width      load            moffs64                 none  1 2 4    0   matrix_abs.inc         27
 *  abs-st         store           moffs64                 none ss 8      0   matrix_abs.inc         18
 *  patterns       load            rbp r15 rsp idx         none  8        0   patterns (9)           36
 *  patterns-st    store           rbp r15                 none  8        0   non-canonical ones     14
 *  stack          push pop        RSP = addr              none  8        0   seed + RSP edges (38)  76
 *  branch         call jmp ret    target = addr           none  8        0   targets (10)           30
 *  string         lods movs stos  rsi / rdi = addr        all 7 8        0   string (3)             63
 *  string-width   lods movs stos  rsi / rdi = addr        none  1 2 4    0   string (3)             27
 *  control        load            rbp r15 rsp             none  8        0   0x100000 (mapped)       3
 *  ring3          load            16 gprs + idx           none  8        3   ring3-load (5)         85
 *  ring3-st       store           16 gprs + idx           none  8        3   ring3-store (4)        68
 *  ring3-seg      load            rbp r15 rsp             all 7 8        3   vmcore                 18
 *  ring3-edges    load            rbp r15                 none  all 6    3   lower edge, k=1..w    124
 *  ring3-stack    push pop        RSP = addr              none  8        3   ring3-stack (3)         6
 *  ring3-branch   call jmp ret    target = addr           none  8        3   ring3-branch (3)        9
 *                                                                                          total 2725
 * Without AVX the width-32 probes drop out (tests/unit/test_matrix.c pins
 * both totals).  Stores only ever target non-canonical addresses or
 * canonical ones at or above 4 GiB, which the kernel never maps (its image,
 * the multiboot2 information and the screen lie below 4 GiB); the kernel
 * re-checks every write range against its page tables before the probe.
 */
const struct matrix_slice matrix_slices[] = {
	{ "seed", "the seed addresses through every base register",
	  MK_MEM, LOADS, MEMF, NONE, W8, C0, MA_SEED },
	{ "base-seg", "every base register x every segment prefix, loads",
	  MK_MEM, LOADS, MEMF, SEGP_ALL, W8, C0, MA_CORE_LOAD },
	{ "base-seg-st", "every base register x every segment prefix, stores",
	  MK_MEM, STORES, MEMF, SEGP_ALL, W8, C0, MA_CORE_STORE },
	{ "width-seg", "every width x every prefix through rbp and r15, loads",
	  MK_MEM, LOADS, F_RBP_R15, SEGP_ALL, MW_ALL, C0, MA_WIDTH_LOAD },
	{ "width-seg-st", "every width x every prefix through rbp and r15, stores",
	  MK_MEM, STORES, F_RBP_R15, SEGP_ALL, MW_ALL, C0, MA_WIDTH_STORE },
	{ "edges", "canonical-boundary edges for every width, loads",
	  MK_MEM, LOADS, F_RBP_R15_RSP | MF_BIT(MF_IDX), NONE, MW_ALL, C0, MA_EDGES },
	{ "edges-st", "canonical-boundary edges for every width, stores",
	  MK_MEM, STORES, F_RBP_R15, NONE, MW_ALL, C0, MA_EDGES },
	{ "abs", "mov rax,[moffs64] (no base register) x every prefix",
	  MK_ABS, LOADS, 0, SEGP_ALL, W8, C0, MA_ABS },
	{ "abs-width", "mov al/ax/eax,[moffs64]",
	  MK_ABS, LOADS, 0, NONE, MW_BIT(MW_1) | MW_BIT(MW_2) | MW_BIT(MW_4), C0, MA_ABS },
	{ "abs-st", "mov [moffs64],rax, with and without ss:",
	  MK_ABS, STORES, 0, NONE | SEGP_BIT(SEGP_SS), W8, C0, MA_ABS },
	{ "patterns", "fill patterns and poison values, loads",
	  MK_MEM, LOADS, F_RBP_R15_RSP | MF_BIT(MF_IDX), NONE, W8, C0, MA_PATTERN },
	{ "patterns-st", "non-canonical patterns, stores",
	  MK_MEM, STORES, F_RBP_R15, NONE, W8, C0, MA_PATTERN_NC },
	{ "stack", "push/pop with RSP = the address",
	  MK_STACK, OP_BIT(OP_PUSH) | OP_BIT(OP_POP), 0, NONE, W8, C0, MA_STACK },
	{ "branch", "call/jmp/ret to the address",
	  MK_BRANCH, OP_BIT(OP_CALL) | OP_BIT(OP_JMP) | OP_BIT(OP_RET), 0, NONE, W8, C0, MA_BRANCH },
	{ "string", "lods/movs through rsi, stos through rdi, x every prefix",
	  MK_STRING, OP_BIT(OP_LODS) | OP_BIT(OP_MOVS) | OP_BIT(OP_STOS), 0, SEGP_ALL, W8, C0, MA_STRING },
	{ "string-width", "lods/movs/stos, byte/word/dword",
	  MK_STRING, OP_BIT(OP_LODS) | OP_BIT(OP_MOVS) | OP_BIT(OP_STOS), 0, NONE,
	  MW_BIT(MW_1) | MW_BIT(MW_2) | MW_BIT(MW_4), C0, MA_STRING },
	{ "control", "a load the kernel's own mapping satisfies (no fault)",
	  MK_MEM, LOADS, F_RBP_R15_RSP, NONE, W8, C0, MA_CONTROL },
	{ "ring3", "CPL 3: every base register, loads",
	  MK_MEM, LOADS, MEMF, NONE, W8, C3, MA_RING3_LOAD },
	{ "ring3-st", "CPL 3: every base register, stores",
	  MK_MEM, STORES, MEMF, NONE, W8, C3, MA_RING3_STORE },
	{ "ring3-seg", "CPL 3: every segment prefix through rbp, r15, rsp",
	  MK_MEM, LOADS, F_RBP_R15_RSP, SEGP_ALL, W8, C3, MA_WIDTH_STORE },
	{ "ring3-edges", "CPL 3: the lower canonical edge for every width",
	  MK_MEM, LOADS, F_RBP_R15, NONE, MW_ALL, C3, MA_EDGE_LO },
	{ "ring3-stack", "CPL 3: push/pop with RSP = the address",
	  MK_STACK, OP_BIT(OP_PUSH) | OP_BIT(OP_POP), 0, NONE, W8, C3, MA_RING3_STACK },
	{ "ring3-branch", "CPL 3: call/jmp/ret to the address",
	  MK_BRANCH, OP_BIT(OP_CALL) | OP_BIT(OP_JMP) | OP_BIT(OP_RET), 0, NONE, W8, C3,
	  MA_RING3_BRANCH },
};
const unsigned matrix_slice_count = NELEM(matrix_slices);

int matrix_slice_find(const char *name)
{
	for (unsigned i = 0; i < NELEM(matrix_slices); i++)
		if (fp_strcmp(matrix_slices[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------ stub index */

#define NPFX   SEGP_COUNT                       /* 7  */
#define MEM_N  (2 * MF_MEM_COUNT * NPFX * MW_COUNT)   /* 1428 */
#define ABS_N  (2 * (unsigned)NELEM(a_abs) * NPFX * 4)
#define STACK_N  2
#define BRANCH_N 3
#define STRING_N (3 * NPFX * 4)
#define ABS_BASE    MEM_N
#define STACK_BASE  (ABS_BASE + ABS_N)
#define BRANCH_BASE (STACK_BASE + STACK_N)
#define STRING_BASE (BRANCH_BASE + BRANCH_N)
#define STUB_N      (STRING_BASE + STRING_N)

unsigned matrix_stub_count(void)
{
	return STUB_N;
}

int matrix_stub_index(enum matrix_kind kind, enum probe_op op, unsigned form,
		      enum seg_prefix prefix, unsigned width_bytes, int abs_index)
{
	int w = matrix_width_index(width_bytes);
	unsigned p = (unsigned)prefix;

	if (w < 0 || p >= NPFX)
		return -1;
	switch (kind) {
	case MK_MEM:
		if ((op != OP_LOAD && op != OP_STORE) || form >= MF_MEM_COUNT)
			return -1;
		return (int)((((unsigned)(op == OP_STORE) * MF_MEM_COUNT + form) * NPFX + p) *
			     MW_COUNT + (unsigned)w);
	case MK_ABS:
		if ((op != OP_LOAD && op != OP_STORE) || form != MF_ABS || w > MW_8 ||
		    abs_index < 0 || (unsigned)abs_index >= NELEM(a_abs))
			return -1;
		return (int)(ABS_BASE + (((unsigned)(op == OP_STORE) * NELEM(a_abs) +
					  (unsigned)abs_index) * NPFX + p) * 4 + (unsigned)w);
	case MK_STACK:
		if (form != MF_IMPLIED || p != SEGP_NONE || w != MW_8)
			return -1;
		if (op == OP_PUSH)
			return STACK_BASE;
		if (op == OP_POP)
			return STACK_BASE + 1;
		return -1;
	case MK_BRANCH:
		if (form != MF_IMPLIED || p != SEGP_NONE || w != MW_8)
			return -1;
		if (op == OP_CALL)
			return BRANCH_BASE;
		if (op == OP_JMP)
			return BRANCH_BASE + 1;
		if (op == OP_RET)
			return BRANCH_BASE + 2;
		return -1;
	case MK_STRING: {
		unsigned s;
		if (form != MF_IMPLIED || w > MW_8)
			return -1;
		if (op == OP_LODS)
			s = 0;
		else if (op == OP_MOVS)
			s = 1;
		else if (op == OP_STOS)
			s = 2;
		else
			return -1;
		return (int)(STRING_BASE + (s * NPFX + p) * 4 + (unsigned)w);
	}
	default:
		return -1;
	}
}

/* The registers a probe is recorded with (record keys base= and index=). */
static void recorded_regs(enum matrix_kind kind, enum probe_op op, unsigned form,
			  int *base, int *index)
{
	*base = GPR_NONE;
	*index = GPR_NONE;
	switch (kind) {
	case MK_MEM:
		if (form == MF_IDX) {
			*base = GPR_RAX;
			*index = GPR_RBP;
		} else {
			*base = (int)form;
		}
		break;
	case MK_STACK:
		*base = GPR_RSP;
		break;
	case MK_STRING:
		*base = op == OP_STOS ? GPR_RDI : GPR_RSI;
		break;
	default:
		break;
	}
}

bool matrix_stub_expected(unsigned idx, struct matrix_stub_entry *out)
{
	enum matrix_kind kind;
	enum probe_op op;
	unsigned form = MF_IMPLIED, prefix = SEGP_NONE, widx = MW_8, abs = 0xff;
	int base, index;

	if (idx < ABS_BASE) {
		kind = MK_MEM;
		widx = idx % MW_COUNT;
		idx /= MW_COUNT;
		prefix = idx % NPFX;
		idx /= NPFX;
		form = idx % MF_MEM_COUNT;
		op = idx / MF_MEM_COUNT ? OP_STORE : OP_LOAD;
	} else if (idx < STACK_BASE) {
		idx -= ABS_BASE;
		kind = MK_ABS;
		form = MF_ABS;
		widx = idx % 4;
		idx /= 4;
		prefix = idx % NPFX;
		idx /= NPFX;
		abs = idx % NELEM(a_abs);
		op = idx / NELEM(a_abs) ? OP_STORE : OP_LOAD;
	} else if (idx < BRANCH_BASE) {
		kind = MK_STACK;
		op = idx == STACK_BASE ? OP_PUSH : OP_POP;
	} else if (idx < STRING_BASE) {
		static const enum probe_op bops[3] = { OP_CALL, OP_JMP, OP_RET };
		kind = MK_BRANCH;
		op = bops[idx - BRANCH_BASE];
	} else if (idx < STUB_N) {
		static const enum probe_op sops[3] = { OP_LODS, OP_MOVS, OP_STOS };
		idx -= STRING_BASE;
		kind = MK_STRING;
		widx = idx % 4;
		idx /= 4;
		prefix = idx % NPFX;
		op = sops[idx / NPFX];
	} else {
		return false;
	}
	recorded_regs(kind, op, form, &base, &index);
	out->fn = 0;
	out->kind = (uint8_t)kind;
	out->op = (uint8_t)op;
	out->base = (int8_t)base;
	out->index = (int8_t)index;
	out->prefix = (uint8_t)prefix;
	out->width = (uint8_t)matrix_width_bytes(widx);
	out->abs = (uint8_t)abs;
	out->pad = 0;
	return true;
}

unsigned matrix_stub_table_check(const struct matrix_stub_entry *tab, unsigned n,
				 unsigned *first_bad)
{
	unsigned bad = 0;

	if (n != STUB_N) {
		bad++;
		if (first_bad)
			*first_bad = n < STUB_N ? n : STUB_N;
	}
	for (unsigned i = 0; i < n && i < STUB_N; i++) {
		struct matrix_stub_entry e;
		matrix_stub_expected(i, &e);
		if (!tab[i].fn || tab[i].kind != e.kind || tab[i].op != e.op ||
		    tab[i].base != e.base || tab[i].index != e.index ||
		    tab[i].prefix != e.prefix || tab[i].width != e.width ||
		    tab[i].abs != e.abs) {
			if (!bad && first_bad)
				*first_bad = i;
			bad++;
		}
	}
	return bad;
}

void matrix_stub_name(unsigned idx, char *buf, size_t len)
{
	struct matrix_stub_entry e;
	struct strbuf sb;

	if (!len)
		return;
	sb_init(&sb, buf, len);
	if (!matrix_stub_expected(idx, &e)) {
		sb_puts(&sb, "mx_?");
		return;
	}
	sb_puts(&sb, "mx_");
	sb_puts(&sb, probe_op_name((enum probe_op)e.op));
	switch ((enum matrix_kind)e.kind) {
	case MK_MEM:
		sb_putc(&sb, '_');
		sb_puts(&sb, e.index == GPR_RBP ? "idx" : gpr_name(e.base));
		break;
	case MK_ABS:
		sb_puts(&sb, "_abs");
		sb_dec(&sb, e.abs);
		break;
	case MK_STRING:
		break;
	default:
		return;                /* mx_push, mx_call, ... */
	}
	sb_putc(&sb, '_');
	sb_puts(&sb, seg_prefix_name((enum seg_prefix)e.prefix));
	sb_putc(&sb, '_');
	sb_dec(&sb, e.width);
}

/* ------------------------------------------------------------ probes */

/* Both read the bytes off access_span(), the one description of what an
 * access touches. */
static void span_of(const struct matrix_probe *p, struct access_span *span)
{
	struct access a = {
		.op = p->op, .base = p->base, .index = p->index, .prefix = p->prefix,
		.width = p->width, .addr = p->addr, .cpl = p->cpl, .paging_levels = 4,
	};
	access_span(&a, span);
}

bool matrix_probe_write_range(const struct matrix_probe *p, uint64_t *start,
			      uint64_t *len)
{
	struct access_span span;

	span_of(p, &span);
	if (!span.write)
		return false;
	*start = span.start;
	*len = span.len;
	return true;
}

bool matrix_probe_branches(const struct matrix_probe *p)
{
	struct access_span span;

	span_of(p, &span);
	return span.fetch;
}

/* ------------------------------------------------------------ filter */

void matrix_filter_all(struct matrix_filter *f)
{
	f->slices = (uint32_t)((1ull << NELEM(matrix_slices)) - 1);
	f->ops = OP_ALL;
	f->forms = MF_ALL;
	f->prefixes = SEGP_ALL;
	f->widths = MW_ALL;
	f->cpls = MATRIX_CPL0 | MATRIX_CPL3;
	f->as_cpl3 = false;
}

static void err_msg(char *err, size_t errlen, const char *a, const char *b)
{
	struct strbuf sb;

	if (!errlen)
		return;
	sb_init(&sb, err, errlen);
	sb_puts(&sb, "matrix filter: ");
	sb_puts(&sb, a);
	sb_puts(&sb, b);
}

static bool parse_dec(const char *s, unsigned *out)
{
	unsigned v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000)
			return false;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*out = v;
	return true;
}

/* One value of key `key` into *mask; false if unknown. */
static bool parse_value(const char *key, const char *v, uint32_t *mask)
{
	unsigned n;
	int i;

	if (fp_strcmp(key, "slice") == 0) {
		if (fp_strcmp(v, "all") == 0) {
			*mask |= (uint32_t)((1ull << NELEM(matrix_slices)) - 1);
			return true;
		}
		i = matrix_slice_find(v);
		if (i < 0)
			return false;
		*mask |= 1u << i;
		return true;
	}
	if (fp_strcmp(key, "op") == 0) {
		enum probe_op op;
		if (fp_strcmp(v, "all") == 0) {
			*mask |= OP_ALL;
			return true;
		}
		if (!probe_op_parse(v, &op))
			return false;
		*mask |= OP_BIT(op);
		return true;
	}
	if (fp_strcmp(key, "form") == 0) {
		int g;
		if (fp_strcmp(v, "all") == 0)
			*mask |= MF_ALL;
		else if (fp_strcmp(v, "idx") == 0)
			*mask |= MF_BIT(MF_IDX);
		else if (fp_strcmp(v, "abs") == 0)
			*mask |= MF_BIT(MF_ABS);
		else if (fp_strcmp(v, "implied") == 0)
			*mask |= MF_BIT(MF_IMPLIED);
		else if (gpr_parse(v, &g) && g != GPR_NONE)
			*mask |= MF_BIT((unsigned)g);
		else
			return false;
		return true;
	}
	if (fp_strcmp(key, "seg") == 0) {
		enum seg_prefix p;
		if (fp_strcmp(v, "all") == 0) {
			*mask |= SEGP_ALL;
			return true;
		}
		if (!seg_prefix_parse(v, &p))
			return false;
		*mask |= SEGP_BIT(p);
		return true;
	}
	if (fp_strcmp(key, "width") == 0) {
		if (fp_strcmp(v, "all") == 0) {
			*mask |= MW_ALL;
			return true;
		}
		if (!parse_dec(v, &n) || (i = matrix_width_index(n)) < 0)
			return false;
		*mask |= MW_BIT((unsigned)i);
		return true;
	}
	if (fp_strcmp(key, "cpl") == 0) {
		if (fp_strcmp(v, "0") == 0)
			*mask |= MATRIX_CPL0;
		else if (fp_strcmp(v, "3") == 0)
			*mask |= MATRIX_CPL3;
		else
			return false;
		return true;
	}
	return false;
}

#define TOK_MAX 32

bool matrix_filter_parse(const char *spec, struct matrix_filter *f,
			 char *err, size_t errlen)
{
	const char *s = spec;

	if (errlen)
		err[0] = 0;
	if (!s)
		return true;
	while (*s) {
		char item[3 * TOK_MAX + 64], key[TOK_MAX], val[TOK_MAX];
		unsigned n = 0, k = 0;
		uint32_t mask = 0;
		const char *eq = 0, *v;

		while (*s == ',' || *s == ' ')
			s++;
		if (!*s)
			break;
		while (*s && *s != ',' && *s != ' ') {
			if (n + 1 >= sizeof(item)) {
				err_msg(err, errlen, "item too long", "");
				return false;
			}
			item[n++] = *s++;
		}
		item[n] = 0;
		if (fp_strcmp(item, "user") == 0) {
			f->as_cpl3 = true;
			continue;
		}
		for (unsigned i = 0; i < n; i++)
			if (item[i] == '=') {
				eq = &item[i];
				break;
			}
		if (!eq || eq == item || (unsigned)(eq - item) >= TOK_MAX) {
			err_msg(err, errlen, "expected key=value, got ", item);
			return false;
		}
		for (const char *c = item; c < eq; c++)
			key[k++] = *c;
		key[k] = 0;
		if (fp_strcmp(key, "slice") && fp_strcmp(key, "op") && fp_strcmp(key, "form") &&
		    fp_strcmp(key, "seg") && fp_strcmp(key, "width") && fp_strcmp(key, "cpl")) {
			err_msg(err, errlen, "unknown key (slice op form seg width cpl user): ", item);
			return false;
		}
		v = eq + 1;
		do {
			unsigned m = 0;
			while (*v && *v != '+') {
				if (m + 1 >= TOK_MAX) {
					err_msg(err, errlen, "value too long in ", item);
					return false;
				}
				val[m++] = *v++;
			}
			val[m] = 0;
			if (!m || !parse_value(key, val, &mask)) {
				err_msg(err, errlen, "bad value in ", item);
				return false;
			}
		} while (*v++ == '+');
		if (fp_strcmp(key, "slice") == 0)
			f->slices = mask;
		else if (fp_strcmp(key, "op") == 0)
			f->ops = mask;
		else if (fp_strcmp(key, "form") == 0)
			f->forms = mask;
		else if (fp_strcmp(key, "seg") == 0)
			f->prefixes = (uint8_t)mask;
		else if (fp_strcmp(key, "width") == 0)
			f->widths = (uint8_t)mask;
		else
			f->cpls = (uint8_t)mask;
	}
	return true;
}

/* ------------------------------------------------------------ iterator */

static unsigned slice_cpl_mask(const struct matrix_slice *s, const struct matrix_filter *f)
{
	if (f->as_cpl3)
		return s->cpls ? MATRIX_CPL3 : 0;
	return s->cpls;
}

static unsigned slice_form_mask(const struct matrix_slice *s)
{
	switch (s->kind) {
	case MK_MEM:
		return s->forms & ((1u << MF_MEM_COUNT) - 1);
	case MK_ABS:
		return MF_BIT(MF_ABS);
	default:
		return MF_BIT(MF_IMPLIED);
	}
}

static bool addrset_has(enum matrix_addrset s, unsigned width, uint64_t addr)
{
	unsigned n = matrix_addr_count(s, width);

	for (unsigned i = 0; i < n; i++)
		if (matrix_addr_at(s, width, i) == addr)
			return true;
	return false;
}

/* Would slice `s` (under the filter's cpl mapping) yield probe p? */
static bool slice_contains(const struct matrix_slice *s, const struct matrix_filter *f,
			   const struct matrix_probe *p)
{
	int w = matrix_width_index(p->width);

	return s->kind == p->kind && w >= 0 &&
	       (s->ops & OP_BIT(p->op)) &&
	       (slice_form_mask(s) & MF_BIT(p->form)) &&
	       (s->prefixes & SEGP_BIT(p->prefix)) &&
	       (s->widths & MW_BIT((unsigned)w)) &&
	       (slice_cpl_mask(s, f) & (p->cpl == 3 ? MATRIX_CPL3 : MATRIX_CPL0)) &&
	       addrset_has(s->addrs, p->width, p->addr);
}

static unsigned bits_to_list(uint32_t mask, unsigned limit, uint8_t *out)
{
	unsigned n = 0;

	for (unsigned i = 0; i < limit; i++)
		if (mask & (1u << i))
			out[n++] = (uint8_t)i;
	return n;
}

/* Load the dimension lists of it->slice; false if the slice is empty. */
static bool slice_load(struct matrix_iter *it)
{
	const struct matrix_slice *s = &matrix_slices[it->slice];
	const struct matrix_filter *f = &it->f;
	unsigned cpls = slice_cpl_mask(s, f) & f->cpls;

	if (!(f->slices & (1u << it->slice)))
		return false;
	it->ncpl = 0;
	if (cpls & MATRIX_CPL0)
		it->cpl[it->ncpl++] = 0;
	if (cpls & MATRIX_CPL3)
		it->cpl[it->ncpl++] = 3;
	it->nop = bits_to_list(s->ops & f->ops, OP_COUNT, it->op);
	it->nform = bits_to_list(slice_form_mask(s) & f->forms, MF_COUNT, it->form);
	it->nprefix = bits_to_list(s->prefixes & f->prefixes, SEGP_COUNT, it->prefix);
	it->nwidth = bits_to_list(s->widths & f->widths, MW_COUNT, it->width);
	it->i_cpl = it->i_op = it->i_form = it->i_prefix = it->i_width = it->i_addr = 0;
	return it->ncpl && it->nop && it->nform && it->nprefix && it->nwidth;
}

void matrix_iter_init(struct matrix_iter *it, const struct matrix_filter *f)
{
	it->f = *f;
	it->slice = 0;
	it->in_slice = false;
	it->yielded = 0;
}

/* Advance the odometer; false when the slice is exhausted. */
static bool odometer_step(struct matrix_iter *it)
{
	const struct matrix_slice *s = &matrix_slices[it->slice];

	if (++it->i_addr < matrix_addr_count(s->addrs, wbytes[it->width[it->i_width]]))
		return true;
	it->i_addr = 0;
	if (++it->i_width < it->nwidth)
		return true;
	it->i_width = 0;
	if (++it->i_prefix < it->nprefix)
		return true;
	it->i_prefix = 0;
	if (++it->i_form < it->nform)
		return true;
	it->i_form = 0;
	if (++it->i_op < it->nop)
		return true;
	it->i_op = 0;
	return ++it->i_cpl < it->ncpl;
}

bool matrix_iter_next(struct matrix_iter *it, struct matrix_probe *p)
{
	for (;;) {
		const struct matrix_slice *s;
		int stub;
		bool dup = false;

		if (!it->in_slice) {
			while (it->slice < NELEM(matrix_slices) && !slice_load(it))
				it->slice++;
			if (it->slice >= NELEM(matrix_slices))
				return false;
			it->in_slice = true;
			/* an address set can be empty for a width: start on a real one */
			if (!matrix_addr_count(matrix_slices[it->slice].addrs,
					       wbytes[it->width[0]]) && !odometer_step(it)) {
				it->in_slice = false;
				it->slice++;
				continue;
			}
		}
		s = &matrix_slices[it->slice];
		p->slice = it->slice;
		p->kind = s->kind;
		p->cpl = it->cpl[it->i_cpl];
		p->op = (enum probe_op)it->op[it->i_op];
		p->form = it->form[it->i_form];
		p->prefix = (enum seg_prefix)it->prefix[it->i_prefix];
		p->width = wbytes[it->width[it->i_width]];
		p->addr = matrix_addr_at(s->addrs, p->width, it->i_addr);
		recorded_regs(s->kind, p->op, p->form, &p->base, &p->index);
		p->rsp_is_addr = (s->kind == MK_MEM && p->form == GPR_RSP) || s->kind == MK_STACK;
		stub = matrix_stub_index(s->kind, p->op, p->form, p->prefix, p->width,
					 s->kind == MK_ABS ? matrix_abs_index(p->addr) : -1);

		if (!odometer_step(it)) {
			it->in_slice = false;
			it->slice++;
		}
		if (stub < 0)
			continue;          /* not in the stub table (unit-tested: never) */
		p->stub = (unsigned)stub;
		for (unsigned t = 0; t < p->slice && !dup; t++)
			if ((it->f.slices & (1u << t)) && slice_contains(&matrix_slices[t], &it->f, p))
				dup = true;
		if (dup)
			continue;
		it->yielded++;
		return true;
	}
}

unsigned matrix_count(const struct matrix_filter *f)
{
	struct matrix_iter it;
	struct matrix_probe p;
	unsigned n = 0;

	matrix_iter_init(&it, f);
	while (matrix_iter_next(&it, &p))
		n++;
	return n;
}
