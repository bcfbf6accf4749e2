/* Host unit tests for probes/model/rules_ret.c: SYSRET and IRETQ to bad
 * places, with their delivery (rules_deliver.c).  Every expected value is
 * worked out by hand from the manuals' text cited beside it:
 *   SDM Vol. 2 SYSRET Operation: CPL ≠ 0 -> #GP(0); 64-bit and RCX not
 *     canonical -> #GP(0), before CS/SS/CPL change (so at CPL 0, on the
 *     current RSP unless #GP has an IST).
 *   APM Vol. 3 SYSRET: no RCX check; CPL 3, then the fetch at RCX faults
 *     (#GP(0) non-canonical), delivered through RSP0.
 *   SDM Vol. 2 IRET, IA-32e-MODE-RETURN: NULL CS, non-canonical RIP, NULL SS
 *     to CPL 3 -> #GP(0); outer return with SS RPL ≠ CS RPL, SS not a
 *     writable data segment, SS DPL ≠ CS RPL, SS beyond the limit ->
 *     #GP(SS & 0xfffc); SS not present -> #SS(SS & 0xfffc).  RSP unchecked.
 * The GDT is Linux's layout (idt/gdt.c): 0x10 64-bit code DPL 0, 0x18 data
 * DPL 0, 0x28 data DPL 3, 0x30 64-bit code DPL 3, 0x40 TSS, limit 0x4f. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "probes/model/rules.h"
#include "probes/model/vectors.h"

#define LOW_END   0x0000800000000000ull   /* first non-canonical           */
#define HIGH_BEG  0xffff800000000000ull   /* first canonical upper, absent */
#define PAD_U     0x00007f0000000000ull   /* user page, present            */
#define PAD_S     0x00007f0000002000ull   /* supervisor page, present      */
#define USTACK    0x00007f0000002000ull   /* top of the user stack page    */

static void pages(void *ctx, uint64_t linear, struct page_info *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	out->state = PAGE_NOT_PRESENT;
	uint64_t p = linear & ~0xfffull;
	if (p == PAD_U || p == USTACK - 0x1000) {
		out->state = PAGE_PRESENT;
		out->writable = true;
		out->user = true;
	} else if (p == PAD_S) {
		out->state = PAGE_PRESENT;
		out->writable = true;
	}
}

static struct seg_desc desc_of(uint16_t sel)
{
	struct seg_desc d = { .present = true };
	switch (sel & 0xfff8) {
	case 0x00: d.kind = SD_NULL; break;
	case 0x10: d.kind = SD_CODE64; d.dpl = 0; break;
	case 0x18: d.kind = SD_DATA_RW; d.dpl = 0; break;
	case 0x28: d.kind = SD_DATA_RW; d.dpl = 3; break;
	case 0x30: d.kind = SD_CODE64; d.dpl = 3; break;
	case 0x40: d.kind = SD_SYSTEM; d.dpl = 0; break;
	default:   d.kind = SD_LIMIT; break;
	}
	return d;
}

static struct access ret(enum probe_op op, uint64_t rip, uint16_t cs, uint16_t ss,
			 enum cpu_vendor vendor)
{
	struct access a;

	memset(&a, 0, sizeof(a));
	a.op = op;
	a.base = op == OP_SYSRET ? GPR_RCX : GPR_RSP;
	a.index = GPR_NONE;
	a.width = 8;
	a.addr = rip;
	a.paging_levels = 4;
	a.efer_nxe = true;
	a.vendor = vendor;
	a.page_query = pages;
	a.deliver = true;
	a.ist_df = 1;
	a.ret.cs = cs;
	a.ret.ss = ss;
	a.ret.cs_desc = desc_of(cs);
	a.ret.ss_desc = desc_of(ss);
	a.ret.land = LAND_INT3;
	return a;
}

static void expect(const struct access *a, int vector, uint32_t err, uint64_t cr2, int cpl,
		   const char *rip_at, const char *stack)
{
	struct rule_verdict v;

	rule_predict(a, &v);
	assert_int_equal(v.vector, vector);
	if (vector_has_error_code(vector))
		assert_int_equal(v.error_code, err);
	assert_int_equal(v.cr2, cr2);
	assert_int_equal(v.fault_cpl, cpl);
	if (rip_at)
		assert_string_equal(v.rip_at, rip_at);
	else
		assert_null(v.rip_at);
	assert_string_equal(v.stack, stack);
}

/* The vendors' split: Intel #GP at the sysret (CPL 0, current stack or the
 * #GP IST), AMD #GP at the target (CPL 3, RSP0 or the IST). */
static void test_sysret_noncanonical(void **state)
{
	(void)state;
	struct access i = ret(OP_SYSRET, LOW_END, 0x33, 0x2b, VENDOR_INTEL);
	struct access m = ret(OP_SYSRET, LOW_END, 0x33, 0x2b, VENDOR_AMD);
	expect(&i, VEC_GP, 0, 0, 0, "insn", "cur");
	expect(&m, VEC_GP, 0, 0, 3, "target", "rsp0");
	i.gate_ist = m.gate_ist = 4;
	expect(&i, VEC_GP, 0, 0, 0, "insn", "ist4");
	expect(&m, VEC_GP, 0, 0, 3, "target", "ist4");
	/* Other vendors follow the SDM. */
	i.vendor = VENDOR_OTHER;
	expect(&i, VEC_GP, 0, 0, 0, "insn", "ist4");
}

/* CVE-2012-0217: the user's RSP (here non-canonical) is live at the sysret.
 * Intel without a #GP IST pushes the #GP frame there: #SS(1), #DF on IST1.
 * AMD is at CPL 3 already: RSP0, the #GP itself. */
static void test_sysret_user_rsp(void **state)
{
	(void)state;
	struct access i = ret(OP_SYSRET, LOW_END, 0x33, 0x2b, VENDOR_INTEL);
	struct access m = ret(OP_SYSRET, LOW_END, 0x33, 0x2b, VENDOR_AMD);
	i.rsp_bad = m.rsp_bad = true;
	i.rsp = m.rsp = 0x8000000000000000ull;
	expect(&i, VEC_DF, 0, 0, 0, NULL, "ist1");
	expect(&m, VEC_GP, 0, 0, 3, "target", "rsp0");
	/* an absent user stack: #GP, #PF on the push (serial), #PF again: #DF */
	i.rsp = m.rsp = 0x0000100000000008ull;
	expect(&i, VEC_DF, 0, 0x00000ffffffffff8ull, 0, NULL, "ist1");
	expect(&m, VEC_GP, 0, 0, 3, "target", "rsp0");
}

/* A canonical kernel-half RCX: both vendors return to CPL 3 and the fetch
 * there is a #PF: U/S=1, I/D=1 (NXE), P=0 (absent), CR2 = RCX (4.7). */
static void test_sysret_kernel_half(void **state)
{
	(void)state;
	for (int v = VENDOR_INTEL; v <= VENDOR_AMD; v++) {
		struct access a = ret(OP_SYSRET, HIGH_BEG, 0x33, 0x2b, (enum cpu_vendor)v);
		expect(&a, VEC_PF, PF_ERR_US | PF_ERR_ID, HIGH_BEG, 3, "target", "rsp0");
	}
}

/* The control: a user page with int3: #BP (a trap) at CPL 3, RIP past it. */
static void test_sysret_control(void **state)
{
	(void)state;
	struct access a = ret(OP_SYSRET, PAD_U, 0x33, 0x2b, VENDOR_INTEL);
	expect(&a, VEC_BP, 0, 0, 3, "target+1", "rsp0");
	a.cpl = 3;   /* sysret itself needs CPL 0 */
	expect(&a, VEC_GP, 0, 0, 3, "insn", "rsp0");
}

/* IRETQ to a non-canonical RIP faults at the IRETQ on both vendors, at
 * CPL 0, whether it returns to CPL 0 or 3. */
static void test_iretq_noncanonical_rip(void **state)
{
	(void)state;
	for (int v = VENDOR_INTEL; v <= VENDOR_AMD; v++) {
		struct access k = ret(OP_IRETQ, LOW_END, 0x10, 0x18, (enum cpu_vendor)v);
		struct access u = ret(OP_IRETQ, 0x8000000000000000ull, 0x33, 0x2b, (enum cpu_vendor)v);
		expect(&k, VEC_GP, 0, 0, 0, "insn", "cur");
		expect(&u, VEC_GP, 0, 0, 0, "insn", "cur");
	}
}

/* Bad SS selectors on a return to CPL 3: #GP(selector & 0xfffc), NULL: #GP(0). */
static void test_iretq_bad_ss(void **state)
{
	(void)state;
	static const struct { uint16_t ss; uint32_t err; } cases[] = {
		{ 0x28, 0x28 },   /* RPL 0 ≠ CS RPL 3 */
		{ 0x1b, 0x18 },   /* DPL 0 ≠ 3 */
		{ 0x33, 0x30 },   /* a code segment */
		{ 0x63, 0x60 },   /* beyond the GDT limit */
		{ 0x43, 0x40 },   /* a system descriptor (the TSS) */
		{ 0x03, 0x00 },   /* NULL to CPL 3 */
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct access a = ret(OP_IRETQ, PAD_U, 0x33, cases[i].ss, VENDOR_INTEL);
		expect(&a, VEC_GP, cases[i].err, 0, 0, "insn", "cur");
	}
	/* CS 0x13: RPL 3 naming the DPL-0 code segment (non-conforming, DPL ≠
	 * RPL): #GP(0x10) */
	struct access cs = ret(OP_IRETQ, PAD_U, 0x13, 0x2b, VENDOR_INTEL);
	expect(&cs, VEC_GP, 0x10, 0, 0, "insn", "cur");
	/* a present-bit-clear stack segment: #SS(selector) */
	struct access np = ret(OP_IRETQ, PAD_U, 0x33, 0x2b, VENDOR_INTEL);
	np.ret.ss_desc.present = false;
	expect(&np, VEC_SS, 0x28, 0, 0, "insn", "cur");
	/* the control: a good SS, the int3 on the user page runs at CPL 3 */
	struct access ok = ret(OP_IRETQ, PAD_U, 0x33, 0x2b, VENDOR_INTEL);
	expect(&ok, VEC_BP, 0, 0, 3, "target+1", "rsp0");
	/* NULL SS with RPL 0 back to CPL 0 is allowed in 64-bit mode */
	struct access k = ret(OP_IRETQ, PAD_S, 0x10, 0x00, VENDOR_INTEL);
	expect(&k, VEC_BP, 0, 0, 0, "target+1", "cur");
}

/* A non-canonical RSP is loaded without a check; the push at the target
 * writes [RSP-8, RSP) (SDM Vol. 2 PUSH), non-canonical: #SS(0) at CPL 3
 * (RSP0).  An int3 there does not touch it.  RSP = 0x800000000000 exactly
 * is non-canonical too, but its push writes 0x7ffffffffff8..ff, canonical
 * and absent: #PF, W/R and U/S set. */
static void test_iretq_bad_rsp(void **state)
{
	(void)state;
	struct access a = ret(OP_IRETQ, PAD_U, 0x33, 0x2b, VENDOR_INTEL);
	a.ret.rsp_bad = true;
	a.ret.rsp = LOW_END;
	a.ret.land = LAND_PUSH_INT3;
	expect(&a, VEC_PF, PF_ERR_WR | PF_ERR_US, LOW_END - 8, 3, "target", "rsp0");
	a.ret.rsp = LOW_END + 0x40;
	a.ret.land = LAND_PUSH_INT3;
	expect(&a, VEC_SS, 0, 0, 3, "target", "rsp0");
	a.ret.land = LAND_INT3;
	expect(&a, VEC_BP, 0, 0, 3, "target+1", "rsp0");
	/* back to CPL 0 with that RSP: the push's #SS is delivered on the IST,
	 * or without one, pushed at the bad RSP: #SS(1), #DF */
	struct access k = ret(OP_IRETQ, PAD_S, 0x10, 0x18, VENDOR_INTEL);
	k.ret.rsp_bad = true;
	k.ret.rsp = LOW_END + 0x40;
	k.ret.land = LAND_PUSH_INT3;
	k.gate_ist = 4;
	expect(&k, VEC_SS, 0, 0, 0, "target", "ist4");
	k.gate_ist = 0;
	expect(&k, VEC_DF, 0, 0, 0, NULL, "ist1");
}

/* A canonical kernel-half RIP: the return completes, the fetch at CPL 3 is
 * a #PF (U/S, I/D). */
static void test_iretq_kernel_half(void **state)
{
	(void)state;
	struct access a = ret(OP_IRETQ, HIGH_BEG, 0x33, 0x2b, VENDOR_AMD);
	expect(&a, VEC_PF, PF_ERR_US | PF_ERR_ID, HIGH_BEG, 3, "target", "rsp0");
}

/* Selector descriptions print and parse back. */
static void test_seg_desc_names(void **state)
{
	(void)state;
	static const char *const names[] = {
		"null", "limit", "code64-dpl3", "code-dpl0", "data-rw-dpl0", "data-ro-dpl3",
		"sys-dpl0", "data-rw-dpl3-np",
	};
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct seg_desc d;
		char buf[32];
		assert_true(seg_desc_parse(names[i], &d));
		seg_desc_format(&d, buf, sizeof(buf));
		assert_string_equal(buf, names[i]);
	}
	struct seg_desc d;
	assert_false(seg_desc_parse("code64", &d));
	assert_false(seg_desc_parse("data-rw-dpl4", &d));
	assert_false(seg_desc_parse("nullx", &d));
	/* idt/gdt.c's raw descriptors (SDM Vol. 3 3.4.5) */
	seg_desc_decode(0x00af9b000000ffffull, &d);
	assert_int_equal(d.kind, SD_CODE64);
	assert_int_equal(d.dpl, 0);
	seg_desc_decode(0x00cff3000000ffffull, &d);
	assert_int_equal(d.kind, SD_DATA_RW);
	assert_int_equal(d.dpl, 3);
	seg_desc_decode(0x00cffb000000ffffull, &d);
	assert_int_equal(d.kind, SD_CODE);
	seg_desc_decode(0x0000890000000067ull, &d);
	assert_int_equal(d.kind, SD_SYSTEM);
	assert_true(d.present);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysret_noncanonical),
		cmocka_unit_test(test_sysret_user_rsp),
		cmocka_unit_test(test_sysret_kernel_half),
		cmocka_unit_test(test_sysret_control),
		cmocka_unit_test(test_iretq_noncanonical_rip),
		cmocka_unit_test(test_iretq_bad_ss),
		cmocka_unit_test(test_iretq_bad_rsp),
		cmocka_unit_test(test_iretq_kernel_half),
		cmocka_unit_test(test_seg_desc_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
