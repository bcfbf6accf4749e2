/* Host unit tests for the platform models (probes/model/platform*.c).
 * Every expected value is worked out by hand: the silicon frame from SDM
 * Vol. 3 6.14 / 17.3.1.1, each emulator branch from the source passage its
 * model cites (QEMU 7.2 target/i386/tcg, accel/tcg/cputlb.c; Linux
 * arch/x86/kvm/emulate.c), never by running the model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "probes/model/platform.h"
#include "probes/model/rules.h"
#include "probes/model/vectors.h"

#define LOW_END 0x0000800000000000ull   /* first non-canonical, 4-level */
#define VMCORE  0x0072006900560338ull
#define UNMAPPED 0x0000100000000000ull  /* canonical, never mapped      */
#define PRESENT_PAGE 0x100000ull        /* the one present page below   */

/* Only PRESENT_PAGE is mapped (supervisor, writable), like the kernel. */
static void pages(void *ctx, uint64_t linear, struct page_info *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	out->state = (linear & ~0xfffull) == PRESENT_PAGE ? PAGE_PRESENT : PAGE_NOT_PRESENT;
	out->writable = true;
}

static struct access acc(enum probe_op op, int base, enum seg_prefix p, unsigned width,
			 uint64_t addr)
{
	struct access a;

	memset(&a, 0, sizeof(a));
	a.op = op;
	a.base = base;
	a.index = GPR_NONE;
	a.prefix = p;
	a.width = width;
	a.addr = addr;
	a.paging_levels = 4;
	a.efer_nxe = true;
	a.vendor = VENDOR_INTEL;
	a.page_query = pages;
	a.sel_cs = 0x10;
	a.sel_ss = 0x18;
	return a;
}

static struct platform_outcome predict(enum platform_model m, struct access a)
{
	struct platform_outcome o;

	memset(&o, 0xa5, sizeof(o));
	platform_predict(m, &a, &o);
	return o;
}

/* ------------------------------------------------------------ names */

static void test_names(void **state)
{
	enum platform_model m;

	(void)state;
	assert_string_equal(platform_model_name(PLATFORM_SILICON), "silicon");
	assert_string_equal(platform_model_name(PLATFORM_TCG), "tcg");
	assert_string_equal(platform_model_name(PLATFORM_KVM_EMULATOR), "kvm-emulator");
	assert_string_equal(platform_model_name(PLATFORM_BOCHS), "bochs");
	assert_true(platform_model_parse("kvm-emulator", &m));
	assert_int_equal(m, PLATFORM_KVM_EMULATOR);
	assert_false(platform_model_parse("kvm", &m));
	assert_false(platform_model_parse(NULL, &m));
}

/* ------------------------------------------------------------ silicon */

static void test_silicon_frame(void **state)
{
	(void)state;
	/* The seed's #SS: fault, current stack, SS kept, RF=1, aligned, SS:RSP
	 * pushed (SDM Vol. 3 6.14.2, 17.3.1.1). */
	struct platform_outcome o = predict(PLATFORM_SILICON, acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, VMCORE));
	assert_true(o.known);
	assert_int_equal(o.vector, VEC_SS);
	assert_string_equal(o.rip_at, "insn");
	assert_int_equal(o.rsp_delta, 0);
	assert_string_equal(o.stack, "cur");
	assert_int_equal(o.handler_ss, 0x18);
	assert_int_equal(o.frame_cs, 0x10);
	assert_int_equal(o.frame_ss, 0x18);
	assert_int_equal(o.rf, 1);
	assert_true(o.aligned16);
	assert_true(o.ss_sp_pushed);
	assert_int_equal(o.cs_slot_zero_ext, 1);
	assert_int_equal(o.ndev, 0);

	/* An IST gate without a CPL change: IST stack, SS unchanged (6.14.5). */
	struct access a = acc(OP_PUSH, GPR_NONE, SEGP_NONE, 8, LOW_END + 4);
	a.gate_ist = 4;
	o = predict(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_SS);   /* [0x7ffffffffffc, 0x800000000004) */
	assert_string_equal(o.stack, "ist4");
	assert_int_equal(o.handler_ss, 0x18);

	/* CPL 3 -> 0: RSP0 stack, NULL SS in the handler (6.14.4). */
	a = acc(OP_LOAD, GPR_R15, SEGP_NONE, 8, VMCORE);
	a.cpl = 3;
	a.sel_cs = 0x33;
	a.sel_ss = 0x2b;
	o = predict(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_string_equal(o.stack, "rsp0");
	assert_int_equal(o.handler_ss, 0);
	assert_int_equal(o.frame_cs, 0x33);

	/* Nothing faults on the present page: no frame. */
	o = predict(PLATFORM_SILICON, acc(OP_LOAD, GPR_RAX, SEGP_NONE, 8, PRESENT_PAGE));
	assert_int_equal(o.vector, VEC_NONE);
	assert_null(o.rip_at);
	assert_null(o.stack);
	assert_int_equal(o.rf, -1);
}

static void test_silicon_branches(void **state)
{
	(void)state;
	/* Canonical unmapped target: the branch completes, the fetch faults
	 * at the target; the call pushed, the ret popped. */
	struct platform_outcome o = predict(PLATFORM_SILICON, acc(OP_CALL, GPR_NONE, SEGP_NONE, 8, UNMAPPED));
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.error_code, PF_ERR_ID);
	assert_int_equal(o.cr2, UNMAPPED);
	assert_string_equal(o.rip_at, "target");
	assert_int_equal(o.rsp_delta, -8);
	o = predict(PLATFORM_SILICON, acc(OP_RET, GPR_NONE, SEGP_NONE, 8, UNMAPPED));
	assert_int_equal(o.rsp_delta, 8);
	o = predict(PLATFORM_SILICON, acc(OP_JMP, GPR_NONE, SEGP_NONE, 8, UNMAPPED));
	assert_int_equal(o.rsp_delta, 0);
	assert_string_equal(o.rip_at, "target");
	/* Non-canonical target: #GP(0) of the branch itself (SDM Vol. 2). */
	o = predict(PLATFORM_SILICON, acc(OP_CALL, GPR_NONE, SEGP_NONE, 8, LOW_END));
	assert_int_equal(o.vector, VEC_GP);
	assert_string_equal(o.rip_at, "insn");
	assert_int_equal(o.rsp_delta, 0);
	/* Canonical target whose code runs into the hole (the straddle
	 * family's fetch slice): the jmp completed; #GP(0) at the instruction
	 * that crosses, the target's own (5-byte mov at LOW_END - 3) or the
	 * next one after a 2-byte nop at LOW_END - 2 (SDM Vol. 1 3.3.7.1). */
	struct access a = acc(OP_JMP, GPR_NONE, SEGP_NONE, 8, LOW_END - 3);
	a.fetch_len = 5;
	o = predict(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_int_equal(o.error_code, 0);
	assert_string_equal(o.rip_at, "target");
	a = acc(OP_JMP, GPR_NONE, SEGP_NONE, 8, LOW_END - 2);
	a.fetch_len = 3;
	a.fetch_insn_off = 2;
	o = predict(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_string_equal(o.rip_at, "other");
	/* ... and TCG agrees: its branch deviation is for non-canonical
	 * targets only. */
	o = predict(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_string_equal(o.rip_at, "other");
}

/* ------------------------------------------------------------ segment-blind */

/* Issue 11: TCG raises #GP for any non-canonical address, so its #GP on the
 * seed's r15 load (rule: #GP, DS) would also be its answer through RBP
 * (rule: #SS): an agreement that is no evidence.  Silicon and Bochs follow
 * the rule through both segments; where the rule does not depend on the
 * segment (a #PF on an unmapped canonical page) nothing is blind. */
static void test_segment_blind(void **state)
{
	(void)state;
	struct access r15 = acc(OP_LOAD, GPR_R15, SEGP_NONE, 8, VMCORE);
	struct access rbp = acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, VMCORE);
	assert_true(platform_segment_blind(PLATFORM_TCG, &r15));
	assert_true(platform_segment_blind(PLATFORM_TCG, &rbp));   /* TCG disagrees there anyway */
	assert_false(platform_segment_blind(PLATFORM_SILICON, &r15));
	assert_false(platform_segment_blind(PLATFORM_BOCHS, &r15));
	struct access pf = acc(OP_LOAD, GPR_R15, SEGP_NONE, 8, UNMAPPED);
	assert_false(platform_segment_blind(PLATFORM_TCG, &pf));
	/* FS/GS prefixes and stack operations have no "other segment" */
	struct access fs = acc(OP_LOAD, GPR_R15, SEGP_FS, 8, VMCORE);
	assert_false(platform_segment_blind(PLATFORM_TCG, &fs));
	struct access push = acc(OP_PUSH, GPR_RSP, SEGP_NONE, 8, VMCORE);
	assert_false(platform_segment_blind(PLATFORM_TCG, &push));
}

/* ------------------------------------------------------------ tcg */

static void test_tcg_noncanonical_gp(void **state)
{
	(void)state;
	/* get_physical_address(): #GP whatever the segment. */
	struct platform_outcome o = predict(PLATFORM_TCG, acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, VMCORE));
	assert_true(o.known);
	assert_int_equal(o.vector, VEC_GP);
	assert_int_equal(o.error_code, 0);
	assert_true(platform_has_deviation(&o, "tcg-noncanonical-gp"));
	assert_true(platform_has_deviation(&o, "tcg-rf-not-set"));
	assert_int_equal(o.rf, 0);
	/* Through DS the vector is the rule's: no vector deviation. */
	o = predict(PLATFORM_TCG, acc(OP_LOAD, GPR_R15, SEGP_NONE, 8, VMCORE));
	assert_int_equal(o.vector, VEC_GP);
	assert_false(platform_has_deviation(&o, "tcg-noncanonical-gp"));
	/* 5-level paging: the test is sext = addr >> 56. */
	struct access a = acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, 0x0100000000000000ull);
	a.paging_levels = 5;
	o = predict(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_GP);
	a.addr = VMCORE;   /* canonical under LA57: an ordinary #PF */
	o = predict(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.cr2, VMCORE);
}

static void test_tcg_straddle(void **state)
{
	(void)state;
	/* The first page (canonical, not present) is filled first: #PF at the
	 * start; the rule says #SS (rbp) / #GP (r15). */
	for (uint64_t k = 1; k <= 7; k++) {
		struct platform_outcome o =
			predict(PLATFORM_TCG, acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, LOW_END - k));
		assert_int_equal(o.vector, VEC_PF);
		assert_int_equal(o.error_code, 0);
		assert_int_equal(o.cr2, LOW_END - k);
		assert_true(platform_has_deviation(&o, "tcg-straddle-pf"));
	}
	/* A store: W/R=1. */
	struct platform_outcome o = predict(PLATFORM_TCG, acc(OP_STORE, GPR_R15, SEGP_NONE, 4, LOW_END - 2));
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.error_code, PF_ERR_WR);
	/* Push with RSP = 0x800000000004 writes [..fffc, ..0004): #PF at ..fffc. */
	o = predict(PLATFORM_TCG, acc(OP_PUSH, GPR_NONE, SEGP_NONE, 8, LOW_END + 4));
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.cr2, LOW_END - 4);
	assert_int_equal(o.error_code, PF_ERR_WR);
	/* Starting non-canonical below 0xffff800000000000: #GP on the first page. */
	o = predict(PLATFORM_TCG, acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, 0xFFFF7FFFFFFFFFF9ull));
	assert_int_equal(o.vector, VEC_GP);
	assert_true(platform_has_deviation(&o, "tcg-noncanonical-gp"));
}

static void test_tcg_unknown_second_page(void **state)
{
	(void)state;
	/* First page present, second not, a 16-byte access: CR2 depends on
	 * how TCG splits it into 8-byte operations. */
	struct platform_outcome o =
		predict(PLATFORM_TCG, acc(OP_LOAD, GPR_RAX, SEGP_NONE, 16, PRESENT_PAGE + 0xffc));
	assert_false(o.known);
	assert_non_null(o.unknown_why);
	/* An 8-byte one is one operation whose second page is filled at its
	 * start (accel/tcg/cputlb.c, load_helper()): #PF there, as the rule
	 * says -- which the silicon rule knows too. */
	o = predict(PLATFORM_TCG, acc(OP_LOAD, GPR_RAX, SEGP_NONE, 8, PRESENT_PAGE + 0xffc));
	assert_true(o.known);
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.cr2, PRESENT_PAGE + 0x1000);
	o = predict(PLATFORM_SILICON, acc(OP_LOAD, GPR_RAX, SEGP_NONE, 8, PRESENT_PAGE + 0xffc));
	assert_true(o.known);
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.cr2, PRESENT_PAGE + 0x1000);
}

static void test_tcg_branch_and_ist(void **state)
{
	(void)state;
	/* call to a non-canonical target: #GP(0) with RIP = the target, after
	 * the push. */
	struct platform_outcome o = predict(PLATFORM_TCG, acc(OP_CALL, GPR_NONE, SEGP_NONE, 8, VMCORE));
	assert_int_equal(o.vector, VEC_GP);
	assert_string_equal(o.rip_at, "target");
	assert_int_equal(o.rsp_delta, -8);
	assert_true(platform_has_deviation(&o, "tcg-branch-gp-at-target"));
	o = predict(PLATFORM_TCG, acc(OP_RET, GPR_NONE, SEGP_NONE, 8, VMCORE));
	assert_int_equal(o.rsp_delta, 8);
	/* An unmapped canonical target: as the rule. */
	o = predict(PLATFORM_TCG, acc(OP_JMP, GPR_NONE, SEGP_NONE, 8, UNMAPPED));
	assert_int_equal(o.vector, VEC_PF);
	assert_false(platform_has_deviation(&o, "tcg-branch-gp-at-target"));
	/* IST gate at CPL 0: NULL SS in the handler (do_interrupt64 new_stack). */
	struct access a = acc(OP_LOAD, GPR_RSP, SEGP_NONE, 8, UNMAPPED);
	a.gate_ist = 4;
	o = predict(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_PF);
	assert_string_equal(o.stack, "ist4");
	assert_int_equal(o.handler_ss, 0);
	assert_true(platform_has_deviation(&o, "tcg-ist-null-ss"));
	/* No IST: SS kept. */
	a.gate_ist = 0;
	o = predict(PLATFORM_TCG, a);
	assert_int_equal(o.handler_ss, 0x18);
	assert_false(platform_has_deviation(&o, "tcg-ist-null-ss"));
}

/* ------------------------------------------------------------ kvm */

static void test_kvm_segment_override(void **state)
{
	(void)state;
	/* ss: on an r15 base: the rule ignores it (#GP), KVM's emulator
	 * honours it (#SS). */
	struct platform_outcome o = predict(PLATFORM_KVM_EMULATOR, acc(OP_LOAD, GPR_R15, SEGP_SS, 8, VMCORE));
	assert_true(o.known);
	assert_int_equal(o.vector, VEC_SS);
	assert_true(platform_has_deviation(&o, "kvm-seg-override-not-ignored"));
	/* es: on an rbp base: #GP instead of #SS. */
	o = predict(PLATFORM_KVM_EMULATOR, acc(OP_LOAD, GPR_RBP, SEGP_ES, 8, VMCORE));
	assert_int_equal(o.vector, VEC_GP);
	assert_true(platform_has_deviation(&o, "kvm-seg-override-not-ignored"));
	/* fs: is honoured by everyone: no deviation. */
	o = predict(PLATFORM_KVM_EMULATOR, acc(OP_LOAD, GPR_RBP, SEGP_FS, 8, VMCORE));
	assert_int_equal(o.vector, VEC_GP);
	assert_int_equal(o.ndev, 0);
	/* lods with ss: -> #SS; stos writes through ES whatever the prefix. */
	o = predict(PLATFORM_KVM_EMULATOR, acc(OP_LODS, GPR_RSI, SEGP_SS, 8, VMCORE));
	assert_int_equal(o.vector, VEC_SS);
	o = predict(PLATFORM_KVM_EMULATOR, acc(OP_STOS, GPR_RDI, SEGP_SS, 8, VMCORE));
	assert_int_equal(o.vector, VEC_GP);
	assert_int_equal(o.ndev, 0);
	/* The delivery is the CPU's: RF=1. */
	assert_int_equal(o.rf, 1);
}

static void test_kvm_straddle_and_limits(void **state)
{
	(void)state;
	/* __linearize checks only the first byte: #PF at the start. */
	struct platform_outcome o =
		predict(PLATFORM_KVM_EMULATOR, acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, LOW_END - 7));
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.cr2, LOW_END - 7);
	assert_true(platform_has_deviation(&o, "kvm-straddle-pf"));
	/* Non-canonical branch target: #GP at the branch, as the rule. */
	o = predict(PLATFORM_KVM_EMULATOR, acc(OP_CALL, GPR_NONE, SEGP_NONE, 8, LOW_END));
	assert_int_equal(o.vector, VEC_GP);
	assert_string_equal(o.rip_at, "insn");
	assert_int_equal(o.ndev, 0);
	/* Outside the references: CPL 3, 16/32-byte accesses. */
	struct access a = acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, VMCORE);
	a.cpl = 3;
	o = predict(PLATFORM_KVM_EMULATOR, a);
	assert_false(o.known);
	o = predict(PLATFORM_KVM_EMULATOR, acc(OP_LOAD, GPR_RBP, SEGP_NONE, 32, VMCORE));
	assert_false(o.known);
	o = predict(PLATFORM_KVM_EMULATOR, acc(OP_STORE, GPR_RBP, SEGP_NONE, 16, VMCORE));
	assert_false(o.known);
}

static void test_bochs(void **state)
{
	(void)state;
	/* paging.cc: both halves of a split access canonical-checked first:
	 * the straddle is #SS through RBP, as the rule says. */
	struct platform_outcome o = predict(PLATFORM_BOCHS, acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, LOW_END - 7));
	assert_true(o.known);
	assert_int_equal(o.vector, VEC_SS);
	assert_int_equal(o.ndev, 0);
	assert_int_equal(o.rf, 1);   /* exception(): assert_RF() for faults */
	/* An IST gate at CPL 0 keeps SS (long_mode_int same-privilege path). */
	struct access a = acc(OP_PUSH, GPR_NONE, SEGP_NONE, 8, VMCORE);
	a.gate_ist = 4;
	o = predict(PLATFORM_BOCHS, a);
	assert_int_equal(o.vector, VEC_SS);
	assert_int_equal(o.handler_ss, 0x18);
	/* A page split with a present first page: CR2 = the second page's
	 * first byte (page 1 then page 2 translated). */
	o = predict(PLATFORM_BOCHS, acc(OP_LOAD, GPR_RAX, SEGP_NONE, 8, PRESENT_PAGE + 0xffc));
	assert_true(o.known);
	assert_int_equal(o.cr2, PRESENT_PAGE + 0x1000);
	/* No 5-level paging in Bochs 2.7. */
	a = acc(OP_LOAD, GPR_RBP, SEGP_NONE, 8, VMCORE);
	a.paging_levels = 5;
	o = predict(PLATFORM_BOCHS, a);
	assert_false(o.known);
	assert_non_null(o.unknown_why);
}

/* ------------------------------------------------------------ prot32 */

static struct access32 acc32(enum access32_op op, int base)
{
	struct access32 a;

	memset(&a, 0, sizeof(a));
	a.op = op;
	a.base = base;
	a.width = 4;
	a.seg_limit = 0xffffffffu;
	a.gdt_limit = 0x47;
	a.sel_cs = 0x08;
	a.page_query = pages;
	return a;
}

static struct platform_outcome predict32(enum platform_model m, struct access32 a)
{
	struct platform_outcome o;

	memset(&o, 0xa5, sizeof(o));
	platform_predict32(m, &a, &o);
	return o;
}

static void test_prot32_rule(void **state)
{
	(void)state;
	/* MOV DS, 0xfff8 beyond a 0x47-byte GDT: #GP(selector), SDM Vol. 2 MOV. */
	struct access32 a = acc32(A32_LOAD_SREG, GPR_NONE);
	a.selector = 0xfff8;
	struct platform_outcome o = predict32(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_int_equal(o.error_code, 0xfff8);
	assert_string_equal(o.rip_at, "insn");
	assert_int_equal(o.rf, 1);
	assert_false(o.aligned16);
	assert_false(o.ss_sp_pushed);
	assert_int_equal(o.cs_slot_zero_ext, -1);
	/* A selector inside the table is not modelled further. */
	a.selector = 0x18;
	o = predict32(PLATFORM_SILICON, a);
	assert_false(o.known);
	/* NULL DS: #GP(0). */
	a = acc32(A32_LOAD, GPR_RBX);
	a.seg_null = true;
	o = predict32(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_int_equal(o.error_code, 0);
	/* One past the DS limit: #GP(0); through EBP (SS): #SS(0). */
	a = acc32(A32_LOAD, GPR_RBX);
	a.seg_limit = 0xfff;
	a.offset = 0x1000;
	assert_int_equal(predict32(PLATFORM_SILICON, a).vector, VEC_GP);
	a.base = GPR_RBP;
	assert_int_equal(predict32(PLATFORM_SILICON, a).vector, VEC_SS);
	/* The last byte at the limit is fine; one byte over is not (5.3). */
	a.offset = 0xffc;
	assert_int_equal(predict32(PLATFORM_SILICON, a).vector, VEC_NONE);
	a.offset = 0xffd;
	assert_int_equal(predict32(PLATFORM_SILICON, a).vector, VEC_SS);
	/* Paging: a store to a not-present page: #PF, err W/R=1, CR2. */
	a = acc32(A32_STORE, GPR_RBX);
	a.offset = 0x40000000;
	a.paging = true;
	o = predict32(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_PF);
	assert_int_equal(o.error_code, 2);
	assert_int_equal(o.cr2, 0x40000000);
}

static void test_prot32_tcg(void **state)
{
	(void)state;
	/* gen_lea_v_seg(): no NULL or limit check; without paging the access
	 * simply happens. */
	struct access32 a = acc32(A32_LOAD, GPR_RBX);
	a.seg_null = true;
	a.offset = 0x00238000;
	struct platform_outcome o = predict32(PLATFORM_TCG, a);
	assert_true(o.known);
	assert_int_equal(o.vector, VEC_NONE);
	assert_true(platform_has_deviation(&o, "tcg-no-null-seg-check"));
	a = acc32(A32_LOAD, GPR_RBP);
	a.seg_limit = 0x00238fff;
	a.offset = 0x00239000;
	o = predict32(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_NONE);
	assert_true(platform_has_deviation(&o, "tcg-no-seg-limit-check"));
	/* The selector load is checked (load_segment_ra: index + 7 > limit),
	 * pushed with RF=0 and a zero-extended CS slot (PUSHL). */
	a = acc32(A32_LOAD_SREG, GPR_NONE);
	a.selector = 0xfff8;
	o = predict32(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_int_equal(o.error_code, 0xfff8);
	assert_int_equal(o.rf, 0);
	assert_int_equal(o.cs_slot_zero_ext, 1);
	assert_true(platform_has_deviation(&o, "tcg-rf-not-set"));
	/* Bochs pushes the CS selector with push_32: zero-extended. */
	a = acc32(A32_LOAD_SREG, GPR_NONE);
	a.selector = 0xfff8;
	o = predict32(PLATFORM_BOCHS, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_int_equal(o.rf, 1);
	assert_int_equal(o.cs_slot_zero_ext, 1);
	/* KVM makes every check (tests/expect/kvm-prot32). */
	a = acc32(A32_LOAD, GPR_RBP);
	a.seg_limit = 0x00238fff;
	a.offset = 0x00239000;
	o = predict32(PLATFORM_KVM_EMULATOR, a);
	assert_int_equal(o.vector, VEC_SS);
	assert_int_equal(o.rf, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segment_blind),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_silicon_frame),
		cmocka_unit_test(test_silicon_branches),
		cmocka_unit_test(test_tcg_noncanonical_gp),
		cmocka_unit_test(test_tcg_straddle),
		cmocka_unit_test(test_tcg_unknown_second_page),
		cmocka_unit_test(test_tcg_branch_and_ist),
		cmocka_unit_test(test_kvm_segment_override),
		cmocka_unit_test(test_kvm_straddle_and_limits),
		cmocka_unit_test(test_bochs),
		cmocka_unit_test(test_prot32_rule),
		cmocka_unit_test(test_prot32_tcg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
