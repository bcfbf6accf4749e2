/* Facts about one access that follow from the access alone: canonical
 * form, the segment, the bytes it touches, and the names used in records.
 * See access.h for the sources. */
#include "access.h"
#include "fmt.h"

#define NELEM(x) (sizeof(x) / sizeof((x)[0]))

/* 4-level paging: 48-bit linear addresses, 5-level (CR4.LA57): 57-bit
 * (SDM Vol.3 4.1.1; Vol.1 3.3.7.1). */
uint64_t canonical_limit(unsigned paging_levels)
{
	return paging_levels == 5 ? (uint64_t)1 << 56 : (uint64_t)1 << 47;
}

/* Bits 63:47 (63:56) all equal <=> linear lies in [-L, L) with L the limit;
 * adding L maps that interval onto [0, 2L) (SDM Vol.1 3.3.7.1). */
bool addr_is_canonical(uint64_t linear, unsigned paging_levels)
{
	uint64_t lim = canonical_limit(paging_levels);

	return linear + lim < 2 * lim;
}

/* The canonical set is one interval modulo 2^64, so every byte of
 * [start, start+width) is canonical iff the shifted range fits in [0, 2L).
 * A zero-width range touches nothing. */
bool range_is_canonical(uint64_t start, unsigned width, unsigned paging_levels)
{
	uint64_t lim = canonical_limit(paging_levels);
	uint64_t off = start + lim;

	if (width == 0)
		return true;
	return off < 2 * lim && (uint64_t)width - 1 <= 2 * lim - 1 - off;
}

/* SDM Vol.1 3.7.4, Table 3-5: RSP/RBP base -> SS, anything else (index
 * irrelevant, r12/r13 included) -> DS.  SDM Vol.1 3.3.7.1 says it outright
 * for 64-bit mode: the CS, DS, ES and SS segment overrides are ignored (FS
 * and GS apply), and a reference through RBP or RSP is a stack reference;
 * AMD APM Vol.3 1.2.4 likewise. */
enum segment effective_segment(int base, enum seg_prefix prefix)
{
	if (prefix == SEGP_FS)
		return SEG_FS;
	if (prefix == SEGP_GS)
		return SEG_GS;
	if (base == GPR_RSP || base == GPR_RBP)
		return SEG_SS;
	return SEG_DS;
}

void access_span(const struct access *a, struct access_span *out)
{
	*out = (struct access_span){ .known = true, .start = a->addr, .len = a->width,
				     .seg = SEG_DS };
	switch (a->op) {
	case OP_STORE:
		out->write = true;
		/* fall through */
	case OP_LOAD:
		out->seg = effective_segment(a->base, a->prefix);
		break;
	case OP_PUSH:   /* writes [addr-8, addr) */
		out->start = a->addr - 8;
		out->write = true;
		/* fall through */
	case OP_POP:    /* reads [addr, addr+8) */
		out->seg = SEG_SS;
		out->len = 8;
		break;
	case OP_CALL:
	case OP_JMP:
	case OP_RET:    /* the fetch at the target: its first byte, or the
			 * whole instruction when its length is known */
		out->seg = SEG_CS;
		out->fetch = true;
		out->len = a->fetch_len ? a->fetch_len : 1;
		break;
	case OP_LODS:
	case OP_MOVS:   /* only the [rsi] read; [rdi] is vouched good */
		out->seg = effective_segment(GPR_RSI, a->prefix);
		break;
	case OP_STOS:   /* [rdi] is always ES (SDM Vol. 1 3.7.4 Table 3-5) */
		out->seg = SEG_ES;
		out->write = true;
		break;
	case OP_SCAS:   /* [rdi] read: ES, not overridable (same table) */
		out->seg = SEG_ES;
		break;
	case OP_SYSRET:
	case OP_IRETQ:  /* the fetch at the return's target (its first byte) */
		out->seg = SEG_CS;
		out->fetch = true;
		out->len = 1;
		break;
	case OP_UD2:
	case OP_INT3:   /* no memory operand: touches nothing but the stack
			 * the exception frame goes to (rules_deliver.c) */
	case OP_WRFSBASE:
	case OP_WRGSBASE:
	case OP_WRMSR:  /* register loads: no memory */
		out->len = 0;
		break;
	default:
		out->known = false;
		break;
	}
	/* REP: RCX elements, each `width` bytes, upward from the address, or
	 * downward with DF = 1 (SDM Vol. 2 STOS/MOVS/LODS "Operation"). */
	if (out->known && a->rep > 1 && (a->op == OP_LODS || a->op == OP_MOVS || a->op == OP_STOS)) {
		uint64_t extra = (uint64_t)(a->rep - 1) * a->width;
		out->len += extra;
		if (a->df)
			out->start -= extra;
	}
	/* In 64-bit mode only FS and GS have a base: the linear address is
	 * base + offset, modulo 2^64 (SDM Vol. 3 3.4.4; Vol. 1 3.3.7.1). */
	if (out->known && (out->seg == SEG_FS || out->seg == SEG_GS))
		out->start += a->seg_base;
}

unsigned access_spans(const struct access *a, struct access_span out[ACCESS_SPANS_MAX])
{
	access_span(a, &out[0]);
	if (!out[0].known || a->op != OP_MOVS || !a->dst_known)
		return 1;
	/* movs writes [rdi] through ES (no override, no base), element by
	 * element after each [rsi] read (SDM Vol. 2 MOVS "Operation"). */
	uint64_t n = a->rep > 1 ? a->rep : 1;
	uint64_t extra = (n - 1) * a->width;
	out[1] = (struct access_span){ .known = true, .start = a->df ? a->dst - extra : a->dst,
				       .len = n * a->width, .write = true, .seg = SEG_ES };
	return 2;
}

static void stack_span(uint64_t rsp, struct access_span *out)
{
	uint64_t low = (rsp & ~15ull) - 48;

	*out = (struct access_span){ .known = true, .start = low, .len = rsp - low,
				     .write = true, .seg = SEG_SS };
}

unsigned access_stack_spans(const struct access *a, struct access_span out[2])
{
	unsigned n = 0;

	if (a->rsp_bad)
		stack_span(a->rsp, &out[n++]);
	if ((a->op == OP_SYSRET || a->op == OP_IRETQ) && a->ret.rsp_bad)
		stack_span(a->ret.rsp, &out[n++]);
	return n;
}

/* ------------------------------------------------------------ names */

static const char *const gpr_names[GPR_COUNT] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const segp_names[SEGP_COUNT] = {
	"none", "es", "cs", "ss", "ds", "fs", "gs",
};
static const char *const seg_names[] = { "es", "cs", "ss", "ds", "fs", "gs" };
static const char *const op_names[OP_COUNT] = {
	"load", "store", "push", "pop", "call", "ret", "jmp", "lods", "movs", "stos",
	"scas",
	"sysret", "iretq", "ud2", "int3",
	"wrfsbase", "wrgsbase", "wrmsr",
};

static const char *const vendor_names[] = { "intel", "amd", "other" };

static const char *name_of(const char *const *tab, size_t n, int i)
{
	return i >= 0 && (size_t)i < n ? tab[i] : "?";
}

static int index_of(const char *const *tab, size_t n, const char *s)
{
	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (fp_strcmp(tab[i], s) == 0)
			return (int)i;
	return -1;
}

const char *gpr_name(int gpr)
{
	return gpr == GPR_NONE ? "-" : name_of(gpr_names, NELEM(gpr_names), gpr);
}

const char *seg_prefix_name(enum seg_prefix p)
{
	return name_of(segp_names, NELEM(segp_names), (int)p);
}

const char *segment_name(enum segment s)
{
	return name_of(seg_names, NELEM(seg_names), (int)s);
}

const char *probe_op_name(enum probe_op op)
{
	return name_of(op_names, NELEM(op_names), (int)op);
}

const char *cpu_vendor_name(enum cpu_vendor v)
{
	return name_of(vendor_names, NELEM(vendor_names), (int)v);
}

bool cpu_vendor_parse(const char *s, enum cpu_vendor *v)
{
	int i = index_of(vendor_names, NELEM(vendor_names), s);

	if (i < 0)
		return false;
	*v = (enum cpu_vendor)i;
	return true;
}

bool gpr_parse(const char *s, int *gpr)
{
	int i = index_of(gpr_names, NELEM(gpr_names), s);

	if (i < 0 && s && fp_strcmp(s, "-") == 0)
		i = GPR_NONE;
	else if (i < 0)
		return false;
	*gpr = i;
	return true;
}

bool seg_prefix_parse(const char *s, enum seg_prefix *p)
{
	int i = index_of(segp_names, NELEM(segp_names), s);

	if (i < 0)
		return false;
	*p = (enum seg_prefix)i;
	return true;
}

bool probe_op_parse(const char *s, enum probe_op *op)
{
	int i = index_of(op_names, NELEM(op_names), s);

	if (i < 0)
		return false;
	*op = (enum probe_op)i;
	return true;
}

/* ------------------------------------------------------------ descriptors */

/* SDM Vol. 3 3.4.5 (Figure 3-8): P = bit 47, DPL = bits 46:45, S = bit 44,
 * type = bits 43:40 (bit 43 = code; for data bit 41 = W), L = bit 53,
 * D/B = bit 54 (5.2.1: a 64-bit code segment has L = 1, D = 0). */
void seg_desc_decode(uint64_t raw, struct seg_desc *out)
{
	bool s = (raw >> 44) & 1, code = (raw >> 43) & 1, w = (raw >> 41) & 1;
	bool l = (raw >> 53) & 1, d = (raw >> 54) & 1;

	out->dpl = (unsigned)((raw >> 45) & 3);
	out->present = (raw >> 47) & 1;
	if (!s)
		out->kind = SD_SYSTEM;
	else if (code)
		out->kind = l && !d ? SD_CODE64 : SD_CODE;
	else
		out->kind = w ? SD_DATA_RW : SD_DATA_RO;
}

static const char *const sd_names[SD_COUNT] = {
	[SD_NULL] = "null", [SD_LIMIT] = "limit", [SD_CODE64] = "code64", [SD_CODE] = "code",
	[SD_DATA_RW] = "data-rw", [SD_DATA_RO] = "data-ro", [SD_SYSTEM] = "sys",
};

void seg_desc_format(const struct seg_desc *d, char *buf, unsigned cap)
{
	struct strbuf sb;

	sb_init(&sb, buf, cap);
	sb_puts(&sb, name_of(sd_names, NELEM(sd_names), (int)d->kind));
	if (d->kind == SD_NULL || d->kind == SD_LIMIT)
		return;
	sb_puts(&sb, "-dpl");
	sb_putc(&sb, (char)('0' + (d->dpl & 3)));
	if (!d->present)
		sb_puts(&sb, "-np");
}

bool seg_desc_parse(const char *s, struct seg_desc *out)
{
	for (unsigned k = 0; k < SD_COUNT; k++) {
		size_t n = fp_strlen(sd_names[k]);
		if (fp_strncmp(s, sd_names[k], n) != 0)
			continue;
		const char *t = s + n;
		if (k == SD_NULL || k == SD_LIMIT) {
			if (*t)
				continue;
			*out = (struct seg_desc){ .kind = (enum seg_desc_kind)k };
			return true;
		}
		if (fp_strncmp(t, "-dpl", 4) != 0 || t[4] < '0' || t[4] > '3')
			continue;
		bool present = true;
		if (t[5] && fp_strcmp(t + 5, "-np") == 0)
			present = false;
		else if (t[5])
			continue;
		*out = (struct seg_desc){ .kind = (enum seg_desc_kind)k,
					  .dpl = (unsigned)(t[4] - '0'), .present = present };
		return true;
	}
	return false;
}

static const char *const landing_names[LAND_COUNT] = { "int3", "push-int3" };

const char *landing_name(enum landing l)
{
	return name_of(landing_names, NELEM(landing_names), (int)l);
}

bool landing_parse(const char *s, enum landing *l)
{
	int i = index_of(landing_names, NELEM(landing_names), s);

	if (i < 0)
		return false;
	*l = (enum landing)i;
	return true;
}
