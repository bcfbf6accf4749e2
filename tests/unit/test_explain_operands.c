/* Unit tests of fpexplain's operand / effective address / segment logic and
 * the verdict, on small oopses written for each rule.  Every expected value
 * is worked out by hand from the manual text cited beside it (the bytes are
 * encoded by hand too: opcode, ModRM, SIB as in SDM Vol.2 chapter 2). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tools/fpexplain/explain.h"
#include "tools/fpexplain/run.h"
#include "probes/model/vectors.h"
#include "probes/model/x86.h"

#define VMCORE 0x0072006900560338ull

/* A minimal x86-64 oops: title, RIP, Code, the given register lines. */
static void explain(const char *title, const char *rip, const char *code, const char *regs,
		    struct fx_expl *x)
{
	char text[2048];
	struct fx_reports rs;
	struct fx_options opt = { 0 };

	snprintf(text, sizeof(text), "%s\nRIP: %s\nCode: %s\n%s\n", title, rip, code, regs);
	assert_true(fx_collect(text, strlen(text), &rs, NULL));
	assert_int_equal(rs.n, 1);
	fx_explain(&rs.v[0], &opt, x);
	fx_reports_free(&rs);
}

#define SS_TITLE "stack segment: 0000 [#1] SMP"
#define GP_TITLE "general protection fault: 0000 [#1] SMP"
#define CR4_4    "CR2: 0000000000000000 CR3: 0000000001000000 CR4: 00000000003506f0"
#define CR4_5    "CR2: 0000000000000000 CR3: 0000000001000000 CR4: 00000000003516f0"

static const struct fx_eval *prim(const struct fx_expl *x)
{
	assert_true(x->primary >= 0);
	return &x->ev[x->primary];
}

/* 48 8b 5c 05 00: REX.W 8B /r, ModRM 5c (mod 01, reg rbx, rm SIB), SIB 05
 * (scale 1, index rax, base rbp), disp8 0 -- the seed's get_freepointer.
 * RBP base -> SS (SDM Vol.1 3.7.4 Table 3-5); 0x0072006900560338 is not
 * canonical with 4-level paging (bits 63:47) but is with 5-level (63:56):
 * #SS(0) (Vol.3 6.15 int12) vs. a page walk. */
static void test_seed_rbp(void **state)
{
	struct fx_expl x;

	(void)state;
	explain(SS_TITLE, "0010:__kmalloc+0xab/0x1b0", "90 <48> 8b 5c 05 00 48",
		"RAX: 0000000000000000 RBX: 0000000000000001 RCX: 0000000000000002\n"
		"RBP: 0072006900560338\n" CR4_4, &x);
	assert_string_equal(x.insn.att, "mov 0x0(%rbp,%rax,1),%rbx");
	const struct fx_eval *e = prim(&x);
	assert_int_equal(e->seg, SEG_SS);
	assert_int_equal(e->m.op, OP_LOAD);
	assert_int_equal(e->m.width, 8);
	assert_true(e->ea == VMCORE && e->len == 8);
	assert_false(e->canon4);
	assert_true(e->canon5);
	assert_int_equal(e->v4.vector, VEC_SS);
	assert_int_equal(e->v5.vector, VEC_NONE);
	assert_int_equal(x.paging, 4);
	assert_int_equal(x.rule, VEC_SS);
	assert_int_equal(x.agrees, FX_AGREE_YES);
}

/* 49 8b 1c 07: REX.WB 8B /r, ModRM 1c (mod 00, reg rbx, SIB), SIB 07
 * (scale 1, index rax, base 111 + REX.B = r15): DS -> #GP(0) (int13).  The
 * report says #SS: the rule disagrees. */
static void test_r15_is_ds(void **state)
{
	struct fx_expl x;

	(void)state;
	explain(SS_TITLE, "0010:f+0x1/0x10", "<49> 8b 1c 07",
		"RAX: 0000000000000000\nR13: 0000000000000000 R14: 0000000000000000 R15: 0072006900560338\n" CR4_4, &x);
	assert_string_equal(x.insn.att, "mov (%r15,%rax,1),%rbx");
	assert_int_equal(prim(&x)->seg, SEG_DS);
	assert_int_equal(x.rule, VEC_GP);
	assert_int_equal(x.agrees, FX_AGREE_NO);
	assert_non_null(strstr(x.why, "#GP"));
}

/* In 64-bit mode the ES/CS/SS/DS overrides are ignored (SDM Vol.1 3.3.7.1;
 * APM Vol.3 1.2.4): 26 48 8b 45 00 (es: mov 0x0(%rbp),%rax) stays SS,
 * 36 49 8b 07 (ss: mov (%r15),%rax) stays DS. */
static void test_ignored_prefixes(void **state)
{
	struct fx_expl x;

	(void)state;
	explain(SS_TITLE, "0010:f+0x1/0x10", "<26> 48 8b 45 00", "RBP: 0072006900560338\n" CR4_4, &x);
	assert_int_equal(prim(&x)->m.prefix, SEGP_ES);
	assert_int_equal(prim(&x)->seg, SEG_SS);
	assert_int_equal(x.rule, VEC_SS);
	explain(GP_TITLE, "0010:f+0x1/0x10", "<36> 49 8b 07", "R15: 0072006900560338\n" CR4_4, &x);
	assert_int_equal(prim(&x)->m.prefix, SEGP_SS);
	assert_int_equal(prim(&x)->seg, SEG_DS);
	assert_int_equal(x.rule, VEC_GP);
	assert_int_equal(x.agrees, FX_AGREE_YES);
}

/* FS/GS prefixes apply, with the base from the dump (SDM Vol.1 3.7.4.1):
 * 64 48 8b 04 25 28 00 00 00 = mov %fs:0x28,%rax (ModRM 04 + SIB 25:
 * no base, no index, disp32).  The linear address is FS base + 0x28. */
static void test_fs_base(void **state)
{
	struct fx_expl x;

	(void)state;
	explain(GP_TITLE, "0010:f+0x1/0x10", "<64> 48 8b 04 25 28 00 00 00",
		"FS:  0000800000000000(0000) GS:ffff888100000000(0000) knlGS:0000000000000000\n" CR4_4, &x);
	assert_string_equal(x.insn.att, "mov %fs:0x28,%rax");
	const struct fx_eval *e = prim(&x);
	assert_int_equal(e->seg, SEG_FS);
	assert_true(e->have_seg_base && e->seg_base == 0x0000800000000000ull);
	assert_true(e->ea == 0x0000800000000028ull);
	assert_int_equal(x.rule, VEC_GP);                   /* non-canonical via FS */
	assert_int_equal(x.agrees, FX_AGREE_YES);

	/* a canonical FS base: the access breaks no rule; the #GP is not its doing */
	explain(GP_TITLE, "0010:f+0x1/0x10", "<64> 48 8b 04 25 28 00 00 00",
		"FS:  00007f1234560000(0000) GS:ffff888100000000(0000) knlGS:0000000000000000\n" CR4_4, &x);
	assert_true(prim(&x)->ea == 0x00007f1234560028ull);
	assert_int_equal(x.rule, VEC_NONE);
	assert_int_equal(x.agrees, FX_AGREE_NO);

	/* no FS: line: the address cannot be computed, and fpexplain says why */
	explain(GP_TITLE, "0010:f+0x1/0x10", "<64> 48 8b 04 25 28 00 00 00", CR4_4, &x);
	assert_false(x.ev[0].known);
	assert_int_equal(x.agrees, FX_AGREE_UNKNOWN);
	assert_non_null(strstr(x.why, "FS base"));
}

/* 65 48 8b 05 10 00 00 00 = mov %gs:0x10(%rip),%rax: RIP-relative, so the
 * address is GS base + (RIP of the next instruction) + 0x10 (SDM Vol.2
 * 2.2.1.6).  At CPL 0 the kernel's GS base is the "GS:" value; for a user
 * context it is "knlGS:" (the kernel swapped them: __show_regs prints
 * MSR_GS_BASE and MSR_KERNEL_GS_BASE). */
static void test_gs_riprel_and_cpl3(void **state)
{
	struct fx_expl x;

	(void)state;
	explain(GP_TITLE, "0010:[<ffffffff81000000>] f+0x0/0x10", "<65> 48 8b 05 10 00 00 00",
		"FS:  0000000000000000(0000) GS:ffff888100000000(0000) knlGS:0000000000000000\n" CR4_4, &x);
	assert_true(prim(&x)->m.rip_rel);
	assert_int_equal(prim(&x)->seg, SEG_GS);
	/* 0xffff888100000000 + 0xffffffff81000000 + 8 + 0x10, modulo 2^64 */
	assert_true(prim(&x)->ea == 0xffff888081000018ull);

	/* RIP given only as a symbol: not computable */
	explain(GP_TITLE, "0010:f+0x0/0x10", "<65> 48 8b 05 10 00 00 00",
		"FS:  0000000000000000(0000) GS:ffff888100000000(0000) knlGS:0000000000000000\n" CR4_4, &x);
	assert_false(x.ev[0].known);
	assert_non_null(strstr(x.ev[0].why, "RIP-relative"));

	/* CPL 3 (CS 0x33): 65 48 8b 04 25 10 00 00 00 = mov %gs:0x10,%rax uses knlGS */
	explain(GP_TITLE, "0033:0x401000", "<65> 48 8b 04 25 10 00 00 00",
		"FS:  0000000000000000(0000) GS:ffff888100000000(0000) knlGS:00007f0000001000\n" CR4_4, &x);
	assert_int_equal(x.cpl, 3);
	assert_true(prim(&x)->ea == 0x00007f0000001010ull);
}

/* Stack operations always use SS (SDM Vol.1 3.7.4 Table 3-5).  push (50)
 * writes [RSP-8, RSP); with RSP = 0x8000000000000000 those bytes are
 * non-canonical -> #SS(0).  pop (5d) reads [RSP, RSP+8): from
 * 0x7ffffffffff9 it reaches 0x800000000000 -> #SS under 4-level paging
 * (every byte is checked, Vol.1 3.3.7.1), fine under 5-level. */
static void test_push_pop(void **state)
{
	struct fx_expl x;

	(void)state;
	explain(SS_TITLE, "0010:f+0x1/0x10", "<50> c3",
		"RSP: 0018:8000000000000000 EFLAGS: 00010046\n" CR4_4, &x);
	assert_string_equal(x.insn.att, "push %rax");
	assert_int_equal(prim(&x)->m.op, OP_PUSH);
	assert_int_equal(prim(&x)->seg, SEG_SS);
	assert_true(prim(&x)->ea == 0x7ffffffffffffff8ull && prim(&x)->len == 8);
	assert_int_equal(x.rule, VEC_SS);
	assert_int_equal(x.agrees, FX_AGREE_YES);

	explain(SS_TITLE, "0010:f+0x1/0x10", "<5d> c3",
		"RSP: 0018:00007ffffffffff9 EFLAGS: 00010046\n" CR4_4, &x);
	assert_int_equal(prim(&x)->m.op, OP_POP);
	assert_true(prim(&x)->ea == 0x00007ffffffffff9ull);
	assert_int_equal(prim(&x)->v4.vector, VEC_SS);
	assert_int_equal(prim(&x)->v5.vector, VEC_NONE);

	/* ret (c3) pops the return address from [RSP] */
	explain(SS_TITLE, "0010:f+0x1/0x10", "<c3>", "RSP: 0018:0072006900560338 EFLAGS: 00010046\n" CR4_4, &x);
	assert_string_equal(x.insn.att, "ret");
	assert_int_equal(prim(&x)->m.op, OP_POP);
	assert_int_equal(x.rule, VEC_SS);

	/* leave (c9) = mov %rbp,%rsp; pop %rbp: reads [RBP] through SS */
	explain(SS_TITLE, "0010:f+0x1/0x10", "<c9> c3", "RBP: 6b6b6b6b6b6b6b6b\n" CR4_4, &x);
	assert_int_equal(prim(&x)->m.op, OP_POP);
	assert_true(prim(&x)->ea == 0x6b6b6b6b6b6b6b6bull);
	assert_int_equal(x.rule, VEC_SS);
}

/* rep stosq (f3 48 ab) writes [RDI] through ES, 8 bytes an iteration, RCX
 * iterations left; with DF = 1 RDI goes down (SDM Vol.2 STOS, REP). */
static void test_rep_stos(void **state)
{
	struct fx_expl x;

	(void)state;
	explain(GP_TITLE, "0010:f+0x1/0x10", "<f3> 48 ab",
		"RSP: 0018:ffffc90000003e00 EFLAGS: 00010246\n"
		"RAX: 0000000000000000 RBX: 0000000000000000 RCX: 0000000000000010\n"
		"RSI: 0000000000000000 RDI: 0000800000000000\n" CR4_4, &x);
	assert_string_equal(x.insn.att, "rep stos %rax,%es:(%rdi)");
	const struct fx_eval *e = prim(&x);
	assert_int_equal(e->m.op, OP_STOS);
	assert_int_equal(e->seg, SEG_ES);
	assert_int_equal(e->m.width, 8);
	assert_true(e->rep_known && e->rep_count == 0x10 && !e->backward);
	assert_true(e->rep_lo == 0x0000800000000000ull && e->rep_hi == 0x000080000000007full);
	assert_int_equal(x.rule, VEC_GP);                   /* ES, non-canonical */
	assert_int_equal(x.agrees, FX_AGREE_YES);

	explain(GP_TITLE, "0010:f+0x1/0x10", "<f3> 48 ab",
		"RSP: 0018:ffffc90000003e00 EFLAGS: 00010646\n"
		"RAX: 0000000000000000 RBX: 0000000000000000 RCX: 0000000000000010\n"
		"RSI: 0000000000000000 RDI: 0000800000000000\n" CR4_4, &x);
	e = prim(&x);
	assert_true(e->backward);                           /* EFLAGS.DF = bit 10 */
	assert_true(e->rep_lo == 0x0000800000000000ull - 0x78 && e->rep_hi == 0x0000800000000007ull);
}

/* cmpsb (a6) reads [RSI] through DS and [RDI] through ES (Table 3-5). */
static void test_cmps_two_operands(void **state)
{
	struct fx_expl x;

	(void)state;
	explain(GP_TITLE, "0010:f+0x1/0x10", "<a6>",
		"RSI: 0000000000001000 RDI: 0072006900560338\n" CR4_4, &x);
	assert_int_equal(x.nev, 2);
	int lods = x.ev[0].m.op == OP_LODS ? 0 : 1;
	assert_int_equal(x.ev[lods].m.op, OP_LODS);
	assert_int_equal(x.ev[lods].seg, SEG_DS);
	assert_int_equal(x.ev[1 - lods].m.op, OP_SCAS);
	assert_int_equal(x.ev[1 - lods].seg, SEG_ES);
	assert_false(x.ev[1 - lods].m.write);
	assert_int_equal(x.primary, 1 - lods);              /* the one that gives #GP */
	assert_int_equal(x.agrees, FX_AGREE_YES);
}

/* 67 8b 00 = mov (%eax),%eax: the 67h prefix makes the address 32 bits
 * wide, so only EAX counts (SDM Vol.1 3.3.7: the upper 32 bits are zero). */
static void test_addr32(void **state)
{
	struct fx_expl x;

	(void)state;
	explain(GP_TITLE, "0010:f+0x1/0x10", "<67> 8b 00", "RAX: ffffffff00001000\n" CR4_4, &x);
	assert_int_equal(x.insn.addr_width, 32);
	assert_true(prim(&x)->ea == 0x1000);
}

/* Alignment: MOVAPS (0f 29 07, movaps %xmm0,(%rdi)) is Exceptions Type 1:
 * a misaligned 16-byte operand is #GP(0) (SDM Vol.2A 2.4); MOVUPS
 * (0f 11 07) has no such requirement; VMOVAPS zmm (62 f1 7c 48 29 07,
 * EVEX.512) needs 64-byte alignment (Type E1). */
static void test_alignment(void **state)
{
	struct fx_expl x;

	(void)state;
	explain(GP_TITLE, "0010:f+0x1/0x10", "<0f> 29 07", "RDI: ffff888100000008\n" CR4_4, &x);
	assert_int_equal(prim(&x)->m.align, 16);
	assert_true(prim(&x)->misaligned);
	assert_int_equal(prim(&x)->m.op, OP_STORE);
	assert_int_equal(x.rule, VEC_GP);
	assert_int_equal(x.agrees, FX_AGREE_YES);

	explain(GP_TITLE, "0010:f+0x1/0x10", "<0f> 11 07", "RDI: ffff888100000008\n" CR4_4, &x);
	assert_int_equal(prim(&x)->m.align, 0);
	assert_int_equal(x.rule, VEC_NONE);
	assert_int_equal(x.agrees, FX_AGREE_NO);

	explain(GP_TITLE, "0010:f+0x1/0x10", "<62> f1 7c 48 29 07", "RDI: ffff888100000020\n" CR4_4, &x);
	assert_string_equal(x.insn.att, "vmovaps %zmm0,(%rdi)");
	assert_int_equal(prim(&x)->m.width, 64);
	assert_int_equal(prim(&x)->m.align, 64);
	assert_true(prim(&x)->misaligned);
	assert_true(prim(&x)->ea + prim(&x)->len - 1 == 0xffff88810000005full);
}

/* Aligned operands outside the SSE exception classes: CMPXCHG16B (48 0f
 * c7 0f, cmpxchg16b (%rdi)) and FXSAVE (0f ae 07) need a 16-byte boundary,
 * XSAVE (0f ae 27) a 64-byte one, each "#GP(0)" otherwise (SDM Vol.2A
 * CMPXCHG8B/CMPXCHG16B, FXSAVE; Vol.2C XSAVE).  Before, fpexplain gave
 * them no alignment and answered rule=none, agrees=no for the #GP. */
static void test_alignment_save_areas(void **state)
{
	struct fx_expl x;

	(void)state;
	explain(GP_TITLE, "0010:f+0x1/0x10", "<48> 0f c7 0f", "RDI: ffff888100000008\n" CR4_4, &x);
	assert_string_equal(x.insn.att, "cmpxchg16b (%rdi)");
	assert_int_equal(prim(&x)->m.align, 16);
	assert_true(prim(&x)->misaligned);
	assert_int_equal(x.rule, VEC_GP);
	assert_int_equal(x.agrees, FX_AGREE_YES);

	explain(GP_TITLE, "0010:f+0x1/0x10", "<0f> ae 07", "RDI: ffff888100000008\n" CR4_4, &x);
	assert_int_equal(prim(&x)->m.align, 16);
	assert_true(prim(&x)->misaligned);
	assert_int_equal(x.rule, VEC_GP);
	assert_int_equal(x.agrees, FX_AGREE_YES);

	explain(GP_TITLE, "0010:f+0x1/0x10", "<0f> ae 27", "RDI: ffff888100000020\n" CR4_4, &x);
	assert_int_equal(prim(&x)->m.align, 64);
	assert_true(prim(&x)->misaligned);
	assert_int_equal(x.rule, VEC_GP);
	assert_int_equal(x.agrees, FX_AGREE_YES);

	explain(GP_TITLE, "0010:f+0x1/0x10", "<0f> ae 27", "RDI: ffff888100000040\n" CR4_4, &x);
	assert_int_equal(prim(&x)->m.align, 64);
	assert_false(prim(&x)->misaligned);
	assert_int_equal(x.rule, VEC_NONE);
}

/* 48 8b 45 f8 = mov -0x8(%rbp),%rax: disp8 0xf8 sign-extends to -8. */
static void test_negative_disp_and_hint(void **state)
{
	struct fx_expl x;

	(void)state;
	explain(SS_TITLE, "0010:f+0x1/0x10", "<48> 8b 45 f8", "RBP: 0072006900560340\n" CR4_4, &x);
	assert_string_equal(x.insn.att, "mov -0x8(%rbp),%rax");
	assert_true(prim(&x)->m.disp == -8);
	assert_true(prim(&x)->ea == VMCORE);

	/* The kernel's hint without the displacement (Linux 5.5-5.12):
	 * 48 8b 40 10 = mov 0x10(%rax),%rax, RAX = 0x6b6b6b6b6b6b6b6b. */
	explain("general protection fault, probably for non-canonical address 0x6b6b6b6b6b6b6b6b: 0000 [#1] SMP",
		"0010:f+0x1/0x10", "<48> 8b 40 10", "RAX: 6b6b6b6b6b6b6b6b\n" CR4_4, &x);
	assert_true(prim(&x)->ea == 0x6b6b6b6b6b6b6b7bull);
	bool said = false;
	for (unsigned i = 0; i < x.nnotes; i++)
		said |= strstr(x.notes[i], "lacks the displacement") != NULL;
	assert_true(said);
}

/* Paging mode: CR4.LA57 (bit 12) selects 5-level paging, where canonical
 * means bits 63:56 equal (SDM Vol.3 4.1.1).  Without a CR4 line the mode
 * that explains the title is kept and marked inferred. */
static void test_paging(void **state)
{
	struct fx_expl x;

	(void)state;
	/* 48 8b 03 = mov (%rbx),%rax */
	explain(GP_TITLE, "0010:f+0x1/0x10", "<48> 8b 03", "RBX: 0100000000000000\n" CR4_5, &x);
	assert_int_equal(x.paging, 5);
	assert_false(prim(&x)->canon5);
	assert_int_equal(x.rule, VEC_GP);
	explain(GP_TITLE, "0010:f+0x1/0x10", "<48> 8b 03", "RBX: 00ff000000000000\n" CR4_5, &x);
	assert_true(prim(&x)->canon5);
	assert_false(prim(&x)->canon4);
	assert_int_equal(x.rule, VEC_NONE);
	assert_int_equal(x.agrees, FX_AGREE_NO);
	/* no CR4: #GP is only explained by 4-level paging */
	explain(GP_TITLE, "0010:f+0x1/0x10", "<48> 8b 03", "RBX: 00ff000000000000", &x);
	assert_int_equal(x.paging, 4);
	assert_string_equal(x.paging_from, "inferred");
	assert_int_equal(x.agrees, FX_AGREE_YES);
}

/* An indirect jump to a non-canonical target: #GP(0) at the jump (SDM Vol.2
 * JMP, 64-bit mode exceptions).  ff e0 = jmp *%rax. */
static void test_branch_target(void **state)
{
	struct fx_expl x;

	(void)state;
	explain(GP_TITLE, "0010:f+0x1/0x10", "<ff> e0", "RAX: 4141414141414141\n" CR4_4, &x);
	assert_string_equal(x.insn.att, "jmp *%rax");
	assert_true(prim(&x)->fetch);
	assert_true(prim(&x)->ea == 0x4141414141414141ull);
	assert_int_equal(x.rule, VEC_GP);
	assert_int_equal(x.agrees, FX_AGREE_YES);
}

/* #PF: CR2 picks the operand, the error code is compared bit by bit (SDM
 * Vol.3 4.7).  48 89 07 = mov %rax,(%rdi): a write; a read error code (0)
 * does not fit it. */
static void test_pf_error_code(void **state)
{
	struct fx_expl x;
	static const char *regs = "RDI: 0000000000001000\n"
				  "CR2: 0000000000001000 CR3: 0000000001000000 CR4: 00000000003506f0";

	(void)state;
	explain("BUG: unable to handle page fault for address: 0000000000001000\n"
		"#PF: error_code(0x0002) - not-present page\nOops: 0002 [#1] SMP",
		"0010:f+0x1/0x10", "<48> 89 07", regs, &x);
	assert_true(prim(&x)->holds_fault_addr);
	assert_int_equal(x.rule, VEC_PF);
	assert_int_equal(x.rule_err & x.rule_mask, PF_ERR_WR);
	assert_int_equal(x.agrees, FX_AGREE_YES);
	explain("BUG: unable to handle page fault for address: 0000000000001000\n"
		"#PF: error_code(0x0000) - not-present page\nOops: 0000 [#1] SMP",
		"0010:f+0x1/0x10", "<48> 89 07", regs, &x);
	assert_int_equal(x.agrees, FX_AGREE_NO);
	/* CR2 outside the operand: the model's CR2 differs */
	explain("BUG: unable to handle page fault for address: 0000000000005000\n"
		"#PF: error_code(0x0002) - not-present page\nOops: 0002 [#1] SMP",
		"0010:f+0x1/0x10", "<48> 89 07", regs, &x);
	assert_int_equal(x.agrees, FX_AGREE_NO);
}

/* Bad input reaches the verdict as "unknown" with the reason, never as a
 * wrong answer: no marker, nothing decodable, a register missing. */
static void test_unknowns(void **state)
{
	struct fx_expl x;

	(void)state;
	explain(SS_TITLE, "0010:f+0x1/0x10", "48 8b 5c 05 00", "RBP: 0072006900560338\n" CR4_4, &x);
	assert_false(x.have_insn);
	assert_int_equal(x.agrees, FX_AGREE_UNKNOWN);
	assert_non_null(strstr(x.why, "no <xx> marker"));
	explain(SS_TITLE, "0010:f+0x1/0x10", "<0f>", "RBP: 0072006900560338\n" CR4_4, &x);
	assert_false(x.have_insn);
	assert_non_null(strstr(x.why, "do not decode"));
	explain(SS_TITLE, "0010:f+0x1/0x10", "<48> 8b 5c 05 00", "RBP: 0072006900560338\n" CR4_4, &x);
	assert_int_equal(x.agrees, FX_AGREE_UNKNOWN);      /* RAX (the index) missing */
	assert_non_null(strstr(x.why, "rax is not in the dump"));
	explain(SS_TITLE, "0010:f+0x1/0x10", "<48> 8b 5c 05 00",
		"RAX: 00000000000000 RBP: 0072006900560338\n" CR4_4, &x);
	assert_int_equal(x.agrees, FX_AGREE_UNKNOWN);      /* RAX has 14 digits: not used */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_rbp),
		cmocka_unit_test(test_r15_is_ds),
		cmocka_unit_test(test_ignored_prefixes),
		cmocka_unit_test(test_fs_base),
		cmocka_unit_test(test_gs_riprel_and_cpl3),
		cmocka_unit_test(test_push_pop),
		cmocka_unit_test(test_rep_stos),
		cmocka_unit_test(test_cmps_two_operands),
		cmocka_unit_test(test_addr32),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_alignment_save_areas),
		cmocka_unit_test(test_negative_disp_and_hint),
		cmocka_unit_test(test_paging),
		cmocka_unit_test(test_branch_target),
		cmocka_unit_test(test_pf_error_code),
		cmocka_unit_test(test_unknowns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
