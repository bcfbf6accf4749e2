/* Zydis wrapper (decode.h).  Zydis decodes; this file only maps Zydis's
 * operands onto the rule model's access kinds and dresses Zydis's AT&T
 * text the way objdump prints it (no blank after commas, "0x0(" for an
 * encoded zero displacement, "*" on indirect branches, movz/movs suffixes,
 * explicit string operands). */
#include "decode.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <Zydis/Zydis.h>

static ZydisDecoder decoder;
static ZydisFormatter formatter;
static bool ready;

static bool init(void)
{
	if (ready)
		return true;
	if (!ZYAN_SUCCESS(ZydisDecoderInit(&decoder, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64)) ||
	    !ZYAN_SUCCESS(ZydisFormatterInit(&formatter, ZYDIS_FORMATTER_STYLE_ATT)))
		return false;
	ZydisFormatterSetProperty(&formatter, ZYDIS_FORMATTER_PROP_HEX_UPPERCASE, ZYAN_FALSE);
	ZydisFormatterSetProperty(&formatter, ZYDIS_FORMATTER_PROP_DISP_PADDING, ZYDIS_PADDING_DISABLED);
	ZydisFormatterSetProperty(&formatter, ZYDIS_FORMATTER_PROP_IMM_PADDING, ZYDIS_PADDING_DISABLED);
	ZydisFormatterSetProperty(&formatter, ZYDIS_FORMATTER_PROP_ADDR_PADDING_ABSOLUTE, ZYDIS_PADDING_DISABLED);
	ZydisFormatterSetProperty(&formatter, ZYDIS_FORMATTER_PROP_ADDR_PADDING_RELATIVE, ZYDIS_PADDING_DISABLED);
	ZydisFormatterSetProperty(&formatter, ZYDIS_FORMATTER_PROP_IMM_SIGNEDNESS, ZYDIS_SIGNEDNESS_UNSIGNED);
	ZydisFormatterSetProperty(&formatter, ZYDIS_FORMATTER_PROP_FORCE_RELATIVE_RIPREL, ZYAN_TRUE);
	ready = true;
	return true;
}

/* Zydis 64-bit GPRs are in encoding order RAX..R15, like enum gpr. */
static int gpr_of(ZydisRegister reg)
{
	ZydisRegister big;

	if (reg == ZYDIS_REGISTER_NONE)
		return GPR_NONE;
	big = ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64, reg);
	if (big >= ZYDIS_REGISTER_RAX && big <= ZYDIS_REGISTER_R15)
		return (int)(big - ZYDIS_REGISTER_RAX);
	return GPR_NONE;
}

/* The segment override written on the instruction, ignored or not: Zydis
 * drops an ES/CS/SS/DS override from its attributes in 64-bit mode, the raw
 * prefix bytes keep it (the last one counts, SDM Vol.2 2.1.1).  Whether it
 * applies is the rule model's business (effective_segment). */
static enum seg_prefix prefix_of(const ZydisDecodedInstruction *ins)
{
	enum seg_prefix p = SEGP_NONE;

	for (unsigned i = 0; i < ins->raw.prefix_count && i < ZYDIS_MAX_INSTRUCTION_LENGTH; i++)
		switch (ins->raw.prefixes[i].value) {
		case 0x26: p = SEGP_ES; break;
		case 0x2e: p = SEGP_CS; break;
		case 0x36: p = SEGP_SS; break;
		case 0x3e: p = SEGP_DS; break;
		case 0x64: p = SEGP_FS; break;
		case 0x65: p = SEGP_GS; break;
		default: break;
		}
	return p;
}

/* SDM Vol.2A 2.4 (Instruction Exception Specification): Type 1 requires
 * the operand aligned to its size (legacy SSE 16, VEX.128 16, VEX.256 32);
 * Types 2 and 4 require 16-byte alignment of a 16-byte operand for legacy
 * SSE only, except the unaligned moves (Vol.3 6.15 int17 names MOVUPS,
 * MOVUPD, MOVDQU, LDDQU) and the SSE4.2 string compares; EVEX Type E1
 * (explicitly aligned moves) requires the full vector size. */
static unsigned alignment(const ZydisDecodedInstruction *ins, unsigned width, const char **why)
{
	static const char *const unaligned_ok[] = {
		"movups", "movupd", "movdqu", "lddqu", "pcmpestri", "pcmpestrm",
		"pcmpistri", "pcmpistrm",
	};
	const char *mn = ZydisMnemonicGetString(ins->mnemonic);

	/* Not SSE exception classes, but aligned all the same (SDM Vol.2A
	 * CMPXCHG8B/CMPXCHG16B: "#GP(0) If memory operand for CMPXCHG16B is
	 * not aligned on a 16-byte boundary"; Vol.2A FXSAVE/FXRSTOR: 16-byte
	 * boundary; Vol.2C XSAVE family: "#GP(0) If a memory operand is not
	 * aligned on a 64-byte boundary, regardless of segment"). */
	switch (ins->mnemonic) {
	case ZYDIS_MNEMONIC_CMPXCHG16B:
		*why = "SDM Vol.2A CMPXCHG8B/CMPXCHG16B: 16-byte boundary";
		return 16;
	case ZYDIS_MNEMONIC_FXSAVE:
	case ZYDIS_MNEMONIC_FXSAVE64:
	case ZYDIS_MNEMONIC_FXRSTOR:
	case ZYDIS_MNEMONIC_FXRSTOR64:
		*why = "SDM Vol.2A FXSAVE/FXRSTOR: 16-byte boundary";
		return 16;
	case ZYDIS_MNEMONIC_XSAVE:
	case ZYDIS_MNEMONIC_XSAVE64:
	case ZYDIS_MNEMONIC_XSAVEC:
	case ZYDIS_MNEMONIC_XSAVEC64:
	case ZYDIS_MNEMONIC_XSAVEOPT:
	case ZYDIS_MNEMONIC_XSAVEOPT64:
	case ZYDIS_MNEMONIC_XSAVES:
	case ZYDIS_MNEMONIC_XSAVES64:
	case ZYDIS_MNEMONIC_XRSTOR:
	case ZYDIS_MNEMONIC_XRSTOR64:
	case ZYDIS_MNEMONIC_XRSTORS:
	case ZYDIS_MNEMONIC_XRSTORS64:
		*why = "SDM Vol.2C XSAVE family: 64-byte boundary";
		return 64;
	default:
		break;
	}
	switch (ins->meta.exception_class) {
	case ZYDIS_EXCEPTION_CLASS_SSE1:
		*why = "SDM Vol.2A 2.4, Exceptions Type 1 (legacy SSE, explicitly aligned)";
		return width;
	case ZYDIS_EXCEPTION_CLASS_AVX1:
		*why = "SDM Vol.2A 2.4, Exceptions Type 1 (VEX, explicitly aligned)";
		return width;
	case ZYDIS_EXCEPTION_CLASS_E1:
	case ZYDIS_EXCEPTION_CLASS_E1NF:
		*why = "SDM Vol.2A 2.4, Exceptions Type E1 (EVEX, explicitly aligned)";
		return width;
	case ZYDIS_EXCEPTION_CLASS_SSE2:
	case ZYDIS_EXCEPTION_CLASS_SSE4:
		if (ins->encoding != ZYDIS_INSTRUCTION_ENCODING_LEGACY || width != 16)
			return 0;
		for (size_t i = 0; mn && i < sizeof(unaligned_ok) / sizeof(unaligned_ok[0]); i++)
			if (strcmp(mn, unaligned_ok[i]) == 0)
				return 0;
		*why = "SDM Vol.2A 2.4, Exceptions Type 2/4 (legacy SSE 16-byte operand)";
		return 16;
	default:
		return 0;
	}
}

static void insert_at(char *s, size_t cap, size_t pos, const char *ins)
{
	size_t n = strlen(s), k = strlen(ins);

	if (pos > n || n + k + 1 > cap)
		return;
	memmove(s + pos + k, s + pos, n - pos + 1);
	memcpy(s + pos, ins, k);
}

/* ", " -> "," (objdump prints no blank between operands). */
static void squeeze_commas(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		*w++ = *r;
		if (*r == ',' && r[1] == ' ')
			r++;
	}
	*w = '\0';
}

static const char *const reg_by_size[4][1] = { { "al" }, { "ax" }, { "eax" }, { "rax" } };

static void string_operands(const ZydisDecodedInstruction *ins, const struct fx_insn *o, char *att,
			    size_t cap)
{
	const char *si = o->addr_width == 32 ? "%esi" : "%rsi";
	const char *di = o->addr_width == 32 ? "%edi" : "%rdi";
	char src[32], dst[32], tail[80] = "";
	const char *seg = "ds";
	int sz = ins->operand_width == 8 ? 0 : ins->operand_width == 16 ? 1 :
		 ins->operand_width == 32 ? 2 : 3;

	switch (o->mem[0].prefix) {
	case SEGP_FS: seg = "fs"; break;
	case SEGP_GS: seg = "gs"; break;
	case SEGP_ES: seg = "es"; break;
	case SEGP_SS: seg = "ss"; break;
	case SEGP_CS: seg = "cs"; break;
	default: break;
	}
	snprintf(src, sizeof(src), "%%%s:(%s)", seg, si);
	snprintf(dst, sizeof(dst), "%%es:(%s)", di);
	switch (ins->mnemonic) {
	case ZYDIS_MNEMONIC_MOVSB: case ZYDIS_MNEMONIC_MOVSW: case ZYDIS_MNEMONIC_MOVSD:
	case ZYDIS_MNEMONIC_MOVSQ: case ZYDIS_MNEMONIC_OUTSB: case ZYDIS_MNEMONIC_OUTSW:
	case ZYDIS_MNEMONIC_OUTSD:
		snprintf(tail, sizeof(tail), " %s,%s", src, dst);
		break;
	case ZYDIS_MNEMONIC_CMPSB: case ZYDIS_MNEMONIC_CMPSW: case ZYDIS_MNEMONIC_CMPSD:
	case ZYDIS_MNEMONIC_CMPSQ:
		snprintf(tail, sizeof(tail), " %s,%s", dst, src);
		break;
	case ZYDIS_MNEMONIC_STOSB: case ZYDIS_MNEMONIC_STOSW: case ZYDIS_MNEMONIC_STOSD:
	case ZYDIS_MNEMONIC_STOSQ:
		snprintf(tail, sizeof(tail), " %%%s,%s", reg_by_size[sz][0], dst);
		break;
	case ZYDIS_MNEMONIC_LODSB: case ZYDIS_MNEMONIC_LODSW: case ZYDIS_MNEMONIC_LODSD:
	case ZYDIS_MNEMONIC_LODSQ:
		snprintf(tail, sizeof(tail), " %s,%%%s", src, reg_by_size[sz][0]);
		break;
	case ZYDIS_MNEMONIC_SCASB: case ZYDIS_MNEMONIC_SCASW: case ZYDIS_MNEMONIC_SCASD:
	case ZYDIS_MNEMONIC_SCASQ:
		snprintf(tail, sizeof(tail), " %s,%%%s", dst, reg_by_size[sz][0]);
		break;
	default:
		return;
	}
	/* objdump writes stos/lods/scas without the size letter */
	if (strstr(att, "stos") || strstr(att, "lods") || strstr(att, "scas")) {
		size_t n = strlen(att);
		if (n && strchr("bwlqd", att[n - 1]))
			att[n - 1] = '\0';
	}
	if (strlen(att) + strlen(tail) + 1 < cap)
		strcat(att, tail);
}

/* Zydis's "movzxw"/"movsxb"/"movsxd" -> objdump's "movzwl"/"movsbq"/"movslq". */
static void movx_name(const ZydisDecodedInstruction *ins, const ZydisDecodedOperand *ops, char *att,
		      size_t cap)
{
	const char *name;
	char src, dst, want[16];
	char *p;

	if (ins->mnemonic == ZYDIS_MNEMONIC_MOVZX)
		name = "movz";
	else if (ins->mnemonic == ZYDIS_MNEMONIC_MOVSX || ins->mnemonic == ZYDIS_MNEMONIC_MOVSXD)
		name = "movs";
	else
		return;
	src = ops[1].size == 8 ? 'b' : ops[1].size == 16 ? 'w' : 'l';
	dst = ops[0].size == 16 ? 'w' : ops[0].size == 32 ? 'l' : 'q';
	snprintf(want, sizeof(want), "%s%c%c", name, src, dst);
	p = strstr(att, ins->mnemonic == ZYDIS_MNEMONIC_MOVZX ? "movzx" : "movsx");
	if (!p)
		return;
	size_t len = strcspn(p, " ");
	char rest[192];
	snprintf(rest, sizeof(rest), "%s", p + len);
	*p = '\0';
	if (strlen(att) + strlen(want) + strlen(rest) + 1 < cap) {
		strcat(att, want);
		strcat(att, rest);
	}
}

bool fx_decode(const uint8_t *code, size_t n, bool have_rip, uint64_t rip, struct fx_insn *o)
{
	ZydisDecodedInstruction ins;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	ZyanStatus st;
	/* without a numeric RIP, branch targets are shown as objdump shows them
	 * for the bare Code: bytes: relative to the instruction at address 0 */
	ZyanU64 runtime = have_rip ? rip : 0;

	memset(o, 0, sizeof(*o));
	o->target_reg = GPR_NONE;
	if (!init()) {
		snprintf(o->why, sizeof(o->why), "Zydis did not initialise");
		return false;
	}
	if (n == 0) {
		snprintf(o->why, sizeof(o->why), "no code bytes at the faulting address");
		return false;
	}
	st = ZydisDecoderDecodeFull(&decoder, code, n, &ins, ops);
	if (!ZYAN_SUCCESS(st)) {
		snprintf(o->why, sizeof(o->why),
			 "the %zu byte%s from the <xx> marker do not decode as an x86-64 instruction "
			 "(Zydis status 0x%08x%s)", n, n == 1 ? "" : "s", (unsigned)st,
			 st == ZYDIS_STATUS_NO_MORE_DATA ? ": cut short" : "");
		return false;
	}
	o->ok = true;
	o->len = ins.length;
	memcpy(o->bytes, code, ins.length);
	snprintf(o->mnemonic, sizeof(o->mnemonic), "%s", ZydisMnemonicGetString(ins.mnemonic));
	o->vex = ins.encoding == ZYDIS_INSTRUCTION_ENCODING_VEX;
	o->evex = ins.encoding == ZYDIS_INSTRUCTION_ENCODING_EVEX;
	o->addr_width = ins.address_width;
	o->string_op = ins.meta.category == ZYDIS_CATEGORY_STRINGOP;
	o->rep = o->string_op &&
		 (ins.attributes & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE | ZYDIS_ATTRIB_HAS_REPNE));
	o->call = ins.meta.category == ZYDIS_CATEGORY_CALL;
	o->ret = ins.meta.category == ZYDIS_CATEGORY_RET;
	o->jmp = ins.meta.category == ZYDIS_CATEGORY_UNCOND_BR || ins.meta.category == ZYDIS_CATEGORY_COND_BR;
	o->branch = o->call || o->ret || o->jmp;
	o->ud = ins.mnemonic == ZYDIS_MNEMONIC_UD0 || ins.mnemonic == ZYDIS_MNEMONIC_UD1 ||
		ins.mnemonic == ZYDIS_MNEMONIC_UD2;
	o->no_fault = ins.meta.category == ZYDIS_CATEGORY_PREFETCH ||
		      ins.meta.category == ZYDIS_CATEGORY_PREFETCHWT1;

	for (unsigned i = 0; i < ins.operand_count; i++) {
		const ZydisDecodedOperand *op = &ops[i];
		bool expl = op->visibility == ZYDIS_OPERAND_VISIBILITY_EXPLICIT;

		if (o->branch && expl && i == 0) {
			if (op->type == ZYDIS_OPERAND_TYPE_REGISTER) {
				o->indirect = true;
				o->target_reg = gpr_of(op->reg.value);
			} else if (op->type == ZYDIS_OPERAND_TYPE_MEMORY) {
				o->indirect = true;
			} else if (op->type == ZYDIS_OPERAND_TYPE_IMMEDIATE && op->imm.is_relative) {
				o->rel = true;
				o->rel_disp = op->imm.value.s;
			}
		}
		/* the multi-byte NOP (0f 1f /0) names an address but never accesses it */
		if (op->type != ZYDIS_OPERAND_TYPE_MEMORY || op->mem.type != ZYDIS_MEMOP_TYPE_MEM ||
		    ins.mnemonic == ZYDIS_MNEMONIC_NOP)
			continue;
		bool rd = (op->actions & ZYDIS_OPERAND_ACTION_MASK_READ) != 0;
		bool wr = (op->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE) != 0;
		if (!rd && !wr)
			continue;
		if (o->nmem == FX_MAX_MEMOPS)
			break;
		struct fx_memop *m = &o->mem[o->nmem++];
		m->explicit_op = expl;
		m->rip_rel = op->mem.base == ZYDIS_REGISTER_RIP || op->mem.base == ZYDIS_REGISTER_EIP;
		m->base = m->rip_rel ? GPR_NONE : gpr_of(op->mem.base);
		m->index = gpr_of(op->mem.index);
		m->scale = op->mem.scale;
		m->disp = op->mem.disp.value;
		m->has_disp = op->mem.disp.has_displacement;
		m->prefix = prefix_of(&ins);
		m->width = op->size / 8;
		m->read = rd;
		m->write = wr;
		snprintf(m->zydis_seg, sizeof(m->zydis_seg), "%s",
			 op->mem.segment != ZYDIS_REGISTER_NONE ? ZydisRegisterGetString(op->mem.segment) : "-");
		if (!expl && m->base == GPR_RSP) {
			m->op = wr ? OP_PUSH : OP_POP;     /* push/call/pushf, pop/ret/popf */
			m->width = 8;
		} else if (!expl && m->base == GPR_RBP && ins.mnemonic == ZYDIS_MNEMONIC_LEAVE) {
			m->op = OP_POP;                     /* leave: pop from [rbp] */
			m->width = 8;
		} else if (o->string_op && m->base == GPR_RSI) {
			m->op = OP_LODS;
		} else if (o->string_op && m->base == GPR_RDI) {
			m->op = wr ? OP_STOS : OP_SCAS;
		} else {
			m->op = wr ? OP_STORE : OP_LOAD;
		}
		if (expl) {
			m->align = alignment(&ins, m->width, &m->align_why);
			ZydisFormatterFormatOperand(&formatter, &ins, op, m->text, sizeof(m->text),
						    runtime, NULL);
		}
	}

	if (!ZYAN_SUCCESS(ZydisFormatterFormatInstruction(&formatter, &ins, ops, ins.operand_count_visible,
							  o->att, sizeof(o->att), runtime, NULL)))
		snprintf(o->att, sizeof(o->att), "%s", o->mnemonic);
	/* VEX/EVEX: objdump prints the bare mnemonic (Zydis adds a size letter) */
	if ((o->vex || o->evex) && strchr(o->att, ' ')) {
		char tmp[256];
		size_t k = (size_t)snprintf(tmp, sizeof(tmp), "%s%s", o->mnemonic, strchr(o->att, ' '));
		if (k >= sizeof(o->att))
			k = sizeof(o->att) - 1;
		memcpy(o->att, tmp, k);
		o->att[k] = '\0';
	}
	movx_name(&ins, ops, o->att, sizeof(o->att));
	/* 0f 1f /0 "nop r/m": objdump prints nopw/nopl and the memory operand only */
	if (ins.mnemonic == ZYDIS_MNEMONIC_NOP && o->nmem == 0) {
		for (unsigned i = 0; i < ins.operand_count_visible; i++) {
			char mem[64];
			if (ops[i].type != ZYDIS_OPERAND_TYPE_MEMORY ||
			    !ZYAN_SUCCESS(ZydisFormatterFormatOperand(&formatter, &ins, &ops[i], mem,
								      sizeof(mem), runtime, NULL)))
				continue;
			char *paren = strchr(mem, '(');
			if (ops[i].mem.disp.has_displacement && ops[i].mem.disp.value == 0 && paren)
				insert_at(mem, sizeof(mem), (size_t)(paren - mem), "0x0");
			snprintf(o->att, sizeof(o->att), "nop%c %s", ops[i].size == 16 ? 'w' : 'l', mem);
			break;
		}
	}
	squeeze_commas(o->att);
	for (unsigned k = 0; k < o->nmem; k++) {
		struct fx_memop *m = &o->mem[k];
		char *at;
		if (!m->explicit_op || !m->has_disp || m->disp != 0 || m->rip_rel || !m->text[0] ||
		    (m->base == GPR_NONE && m->index == GPR_NONE))
			continue;
		at = strstr(o->att, m->text);
		if (at) {
			char *paren = strchr(at, '(');
			if (paren)
				insert_at(o->att, sizeof(o->att), (size_t)(paren - o->att), "0x0");
		}
		char *p = strchr(m->text, '(');
		if (p)
			insert_at(m->text, sizeof(m->text), (size_t)(p - m->text), "0x0");
	}
	if (o->indirect) {
		char *sp = strchr(o->att, ' ');
		if (sp)
			insert_at(o->att, sizeof(o->att), (size_t)(sp - o->att + 1), "*");
	}
	if (o->string_op && o->nmem)
		string_operands(&ins, o, o->att, sizeof(o->att));
	return true;
}

/* ------------------------------------------------------------ dis text */

static int att_reg(const char *s, size_t n, unsigned *size)
{
	static const char *const r64[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
	static const char *const r32[16] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
		"r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" };
	static const char *const r16[16] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
		"r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w" };
	static const char *const r8[16] = { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
		"r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b" };
	const char *const *tabs[4] = { r64, r32, r16, r8 };
	static const unsigned sizes[4] = { 8, 4, 2, 1 };

	for (int t = 0; t < 4; t++)
		for (int i = 0; i < 16; i++)
			if (strlen(tabs[t][i]) == n && strncmp(s, tabs[t][i], n) == 0) {
				*size = sizes[t];
				return i;
			}
	if (n >= 3 && (s[0] == 'x' || s[0] == 'y' || s[0] == 'z') && s[1] == 'm' && s[2] == 'm') {
		*size = s[0] == 'x' ? 16 : s[0] == 'y' ? 32 : 64;
		return -2;              /* a vector register: only its size matters */
	}
	return -3;
}

bool fx_parse_att(const char *text, struct fx_insn *o)
{
	const char *p = text, *ops;
	char mn[32];
	size_t n = 0;
	unsigned regsize = 0;

	memset(o, 0, sizeof(*o));
	o->target_reg = GPR_NONE;
	o->from_text = true;
	o->addr_width = 64;
	while (*p == ' ' || *p == '\t')
		p++;
	while (p[n] && !isspace((unsigned char)p[n]) && n + 1 < sizeof(mn))
		n++;
	if (!n) {
		snprintf(o->why, sizeof(o->why), "empty dis text");
		return false;
	}
	memcpy(mn, p, n);
	mn[n] = '\0';
	snprintf(o->mnemonic, sizeof(o->mnemonic), "%s", mn);
	ops = p + n;
	while (*ops == ' ' || *ops == '\t')
		ops++;
	snprintf(o->att, sizeof(o->att), "%s%s%s", mn, *ops ? " " : "", ops);
	o->ud = strncmp(mn, "ud2", 3) == 0;

	/* find the memory operand "[%seg:]disp(base,index,scale)" */
	const char *paren = strchr(ops, '(');
	if (!paren) {
		o->ok = true;           /* no memory operand in the text */
		return true;
	}
	struct fx_memop *m = &o->mem[o->nmem++];
	m->explicit_op = true;
	m->base = m->index = GPR_NONE;
	m->scale = 1;
	const char *q = paren;
	while (q > ops && q[-1] != ',' && q[-1] != ' ' && q[-1] != '*')
		q--;
	if (q[0] == '%' && q[3] == ':') {
		static const char *const segs[] = { "es", "cs", "ss", "ds", "fs", "gs" };
		for (int i = 0; i < 6; i++)
			if (strncmp(q + 1, segs[i], 2) == 0)
				m->prefix = (enum seg_prefix)(SEGP_ES + i);
		q += 4;
	}
	if (q < paren) {
		bool neg = *q == '-';
		uint64_t v = 0;
		const char *d = q + (neg || *q == '+');
		if (d[0] == '0' && d[1] == 'x')
			d += 2;
		while (isxdigit((unsigned char)*d)) {
			v = v * 16 + (uint64_t)(isdigit((unsigned char)*d) ? *d - '0' : tolower((unsigned char)*d) - 'a' + 10);
			d++;
		}
		m->disp = neg ? -(int64_t)v : (int64_t)v;
		m->has_disp = true;
	}
	const char *r = paren + 1;
	for (int field = 0; field < 3 && *r && *r != ')'; field++) {
		size_t k = strcspn(r, ",)");
		if (field < 2 && k > 1 && r[0] == '%') {
			unsigned sz;
			int g = att_reg(r + 1, k - 1, &sz);
			if (k - 1 == 3 && strncmp(r + 1, "rip", 3) == 0)
				m->rip_rel = true;
			else if (g >= 0 && field == 0)
				m->base = g;
			else if (g >= 0 && field == 1)
				m->index = g;
		} else if (field == 2) {
			m->scale = (unsigned)(r[0] - '0');
		}
		r += k;
		if (*r == ',')
			r++;
	}
	if (m->index != GPR_NONE && m->scale == 0)
		m->scale = 1;
	/* width: a register operand, else the size suffix */
	for (const char *s = ops; (s = strchr(s, '%')) != NULL; s++) {
		size_t k = strcspn(s + 1, ",)( ");
		if (s > paren && s < strchr(paren, ')'))
			continue;
		unsigned sz;
		if (att_reg(s + 1, k, &sz) != -3)
			regsize = sz;
	}
	char last = mn[strlen(mn) - 1];
	if (regsize)
		m->width = regsize;
	else if (strchr("bwlq", last) && strcmp(mn, "call") && strcmp(mn, "jmp"))
		m->width = last == 'b' ? 1 : last == 'w' ? 2 : last == 'l' ? 4 : 8;
	/* direction: AT&T puts the destination last */
	const char *after = strchr(paren, ')');
	bool mem_is_dest = after && !strchr(after, ',');
	bool reads_only = strncmp(mn, "cmp", 3) == 0 || strncmp(mn, "test", 4) == 0 ||
			  strncmp(mn, "push", 4) == 0 || strncmp(mn, "call", 4) == 0 ||
			  strncmp(mn, "jmp", 3) == 0;
	m->write = mem_is_dest && !reads_only && strncmp(mn, "nop", 3) != 0;
	m->read = !m->write || strncmp(mn, "mov", 3) != 0;
	m->op = m->write ? OP_STORE : OP_LOAD;
	if (strncmp(mn, "lea", 3) == 0 || strncmp(mn, "nop", 3) == 0 || strncmp(mn, "prefetch", 8) == 0)
		o->nmem = 0;            /* address generation / hints: no access */
	snprintf(m->text, sizeof(m->text), "%.*s", (int)(after ? after - q + 1 : 0), q);
	o->ok = true;
	return true;
}
