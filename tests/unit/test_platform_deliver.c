/* Host unit tests for the platform models of event delivery (the sysret
 * and badstack families: probes/model/platform.c platform_from_delivery,
 * the deliver branches of platform_tcg.c and platform_bochs.c) and for
 * fpjudge reading those records.  Every expected value is worked out by
 * hand from the passage the model cites: the manuals (SDM Vol. 2 IRET and
 * SYSRET Operation, Vol. 3 6.14, 6.15 int 8 and Table 6-5, 17.3.1.1), QEMU
 * 7.2 (seg_helper.c helper_ret_protected()/do_interrupt64(),
 * excp_helper.c get_physical_address()/check_exception()) and Bochs 2.7
 * (proc_ctrl.cc SYSRET(), exception.cc exceptions_info[]), never by
 * running the model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probes/model/platform.h"
#include "probes/model/rules.h"
#include "probes/model/vectors.h"
#include "tools/fpjudge.h"

#define LOW_END  0x0000800000000000ull   /* first non-canonical, 4-level  */
#define NONCANON 0x0000800000000040ull   /* a non-canonical RSP            */
#define ABSENT   0x0000100000001808ull   /* an absent page, RSP = 8 mod 16 */
#define PAD_U    0x00007f0000000000ull   /* user code page: int3           */
#define KSTACK   0x0000000000200000ull   /* a good kernel stack            */

/* Present: the user pad (user, read-only, executable) and the kernel's
 * first page; everything else absent. */
static void pages(void *ctx, uint64_t linear, struct page_info *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	out->state = PAGE_NOT_PRESENT;
	out->writable = true;
	if ((linear >> 12) == (PAD_U >> 12)) {
		out->state = PAGE_PRESENT;
		out->user = true;
		out->writable = false;
	}
}

/* A CPL-0 probe with delivery modelled: #DF on IST1, #SS/#GP/#PF on `ist`,
 * the kernel's selectors 0x10/0x18. */
static struct access deliver(enum probe_op op, uint64_t addr, enum cpu_vendor vendor,
			     unsigned ist)
{
	struct access a;

	memset(&a, 0, sizeof(a));
	a.op = op;
	a.base = op == OP_SYSRET ? GPR_RCX : op == OP_PUSH || op == OP_IRETQ ? GPR_RSP : GPR_NONE;
	a.index = GPR_NONE;
	a.prefix = SEGP_NONE;
	a.width = op == OP_UD2 || op == OP_INT3 ? 0 : 8;
	a.addr = addr;
	a.paging_levels = 4;
	a.efer_nxe = true;
	a.vendor = vendor;
	a.page_query = pages;
	a.sel_cs = 0x10;
	a.sel_ss = 0x18;
	a.deliver = true;
	a.gate_ist = ist;
	a.ist_df = 1;
	return a;
}

/* A return to CPL 3 (IRETQ images / SYSRET's STAR selectors): 64-bit user
 * code 0x33 and data 0x2b, int3 at the target. */
static void to_user(struct access *a)
{
	a->ret.cs = 0x33;
	a->ret.ss = 0x2b;
	a->ret.cs_desc = (struct seg_desc){ .kind = SD_CODE64, .dpl = 3, .present = true };
	a->ret.ss_desc = (struct seg_desc){ .kind = SD_DATA_RW, .dpl = 3, .present = true };
	a->ret.land = LAND_INT3;
}

static void bad_rsp(struct access *a, uint64_t rsp)
{
	a->rsp_bad = true;
	a->rsp = rsp;
	a->ret.rsp_bad = true;
	a->ret.rsp = rsp;
}

static struct platform_outcome predict(enum platform_model m, struct access a)
{
	struct platform_outcome o;

	memset(&o, 0xa5, sizeof(o));
	platform_predict(m, &a, &o);
	return o;
}

/* ------------------------------------------------------------ #DF */

/* push with RSP non-canonical, no IST for #SS: the push's #SS(0), its frame
 * pushed at (RSP & ~15) - 8, non-canonical again: #SS, contributory after
 * contributory: #DF (Table 6-5), on IST1, error code 0.  The manuals leave
 * the #DF's CS and RIP undefined (6.15 int 8) and say nothing of RF. */
static void test_df_silicon(void **state)
{
	(void)state;
	struct access a = deliver(OP_PUSH, NONCANON, VENDOR_INTEL, 0);
	bad_rsp(&a, NONCANON);
	struct platform_outcome o = predict(PLATFORM_SILICON, a);
	assert_true(o.known);
	assert_int_equal(o.vector, VEC_DF);
	assert_int_equal(o.error_code, 0);
	assert_int_equal(o.cr2, 0);
	assert_null(o.rip_at);
	assert_true(o.frame_cs_open);
	assert_string_equal(o.stack, "ist1");
	assert_int_equal(o.frame_ss, 0x18);
	assert_int_equal(o.handler_ss, 0x18);   /* IST without CPL change: SS kept */
	assert_int_equal(o.rsp_delta, 0);
	assert_int_equal(o.rf, -1);
	assert_int_equal(o.ndev, 0);

	/* ud2 on an absent stack: #UD's frame push is a #PF (W=1, CR2 = the
	 * SS slot at 0x...17f8); benign then page fault: serial; the #PF's own
	 * push faults the same way: #PF then #PF = #DF, CR2 still that of the
	 * last #PF. */
	a = deliver(OP_UD2, 0, VENDOR_INTEL, 0);
	bad_rsp(&a, ABSENT);
	o = predict(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_DF);
	assert_int_equal(o.cr2, 0x00001000000017f8ull);
}

/* QEMU: the same #DF (excp_helper.c check_exception(): #GP then #GP), but
 * do_interrupt64() pushes env->eip (the push) and the CS still loaded;
 * RF=0 as for every fault, and the IST switch loads SS = 0. */
static void test_df_tcg(void **state)
{
	(void)state;
	struct access a = deliver(OP_PUSH, NONCANON, VENDOR_AMD, 0);
	bad_rsp(&a, NONCANON);
	struct platform_outcome o = predict(PLATFORM_TCG, a);
	assert_true(o.known);
	assert_int_equal(o.vector, VEC_DF);
	assert_int_equal(o.error_code, 0);
	assert_string_equal(o.rip_at, "insn");
	assert_false(o.frame_cs_open);
	assert_int_equal(o.frame_cs, 0x10);
	assert_string_equal(o.stack, "ist1");
	assert_int_equal(o.handler_ss, 0);
	assert_int_equal(o.rf, 0);
	assert_true(platform_has_deviation(&o, "tcg-ist-null-ss"));
	/* The vector and error code are the manuals': no tcg-noncanonical-gp,
	 * and RF is open in the manuals: no tcg-rf-not-set. */
	assert_false(platform_has_deviation(&o, "tcg-noncanonical-gp"));
	assert_false(platform_has_deviation(&o, "tcg-rf-not-set"));
}

/* Bochs: exceptions_info[] makes #DF a fault class: RIP = prev_rip (the
 * push), RF asserted; SS kept on the IST switch at CPL 0. */
static void test_df_bochs(void **state)
{
	(void)state;
	struct access a = deliver(OP_PUSH, NONCANON, VENDOR_INTEL, 0);
	bad_rsp(&a, NONCANON);
	struct platform_outcome o = predict(PLATFORM_BOCHS, a);
	assert_int_equal(o.vector, VEC_DF);
	assert_string_equal(o.rip_at, "insn");
	assert_false(o.frame_cs_open);
	assert_int_equal(o.frame_cs, 0x10);
	assert_int_equal(o.handler_ss, 0x18);
	assert_int_equal(o.rf, 1);
	assert_int_equal(o.ndev, 0);
}

/* ------------------------------------------------------------ frame pushes */

/* ud2 with RSP non-canonical and #SS/#GP on IST4: the manuals: #UD's frame
 * push is #SS with EXT = 1 (an exception is being delivered), benign then
 * contributory: serial, the #SS goes to IST4.  TCG's push goes through the
 * TLB fill: #GP(0), on IST4 too. */
static void test_frame_push_noncanonical(void **state)
{
	(void)state;
	struct access a = deliver(OP_UD2, 0, VENDOR_INTEL, 4);
	bad_rsp(&a, NONCANON);
	struct platform_outcome o = predict(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_SS);
	assert_int_equal(o.error_code, 1);
	assert_int_equal(o.error_mask & 1, 1);
	assert_string_equal(o.rip_at, "insn");
	assert_string_equal(o.stack, "ist4");
	assert_int_equal(o.handler_ss, 0x18);
	assert_int_equal(o.rf, 1);

	/* AMD: the APM does not settle EXT here: bit 0 not predicted. */
	a.vendor = VENDOR_AMD;
	o = predict(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_SS);
	assert_int_equal(o.error_mask & 1, 0);

	o = predict(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_int_equal(o.error_code, 0);
	assert_string_equal(o.rip_at, "insn");
	assert_string_equal(o.stack, "ist4");
	assert_int_equal(o.handler_ss, 0);
	assert_int_equal(o.rf, 0);
	assert_true(platform_has_deviation(&o, "tcg-noncanonical-gp"));
	assert_true(platform_has_deviation(&o, "tcg-rf-not-set"));
	assert_true(platform_has_deviation(&o, "tcg-ist-null-ss"));

	/* Bochs: as the manuals (EXT set, like Intel). */
	a.vendor = VENDOR_INTEL;
	o = predict(PLATFORM_BOCHS, a);
	assert_int_equal(o.vector, VEC_SS);
	assert_int_equal(o.error_code, 1);
	assert_int_equal(o.ndev, 0);
}

/* ------------------------------------------------------------ returns */

/* IRETQ to RIP 0x800000000000, CS 0x33 / SS 0x2b: the manuals: #GP(0) of
 * the IRETQ itself, at CPL 0, on the current stack, RSP restored.  QEMU's
 * helper_ret_protected() loads the RIP: #GP(0) on the fetch at the target,
 * at CPL 3, through RSP0, with the user selectors in the frame and an RSP
 * unrelated to the IRETQ's. */
static void test_iretq_noncanonical(void **state)
{
	(void)state;
	struct access a = deliver(OP_IRETQ, LOW_END, VENDOR_AMD, 0);
	to_user(&a);
	struct platform_outcome o = predict(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_int_equal(o.error_code, 0);
	assert_string_equal(o.rip_at, "insn");
	assert_string_equal(o.stack, "cur");
	assert_int_equal(o.frame_cs, 0x10);
	assert_int_equal(o.frame_ss, 0x18);
	assert_int_equal(o.handler_ss, 0x18);
	assert_int_equal(o.rsp_delta, 0);

	o = predict(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_int_equal(o.error_code, 0);
	assert_string_equal(o.rip_at, "target");
	assert_string_equal(o.stack, "rsp0");
	assert_int_equal(o.frame_cs, 0x33);
	assert_int_equal(o.frame_ss, 0x2b);
	assert_int_equal(o.handler_ss, 0);
	assert_int_equal(o.rsp_delta, RSP_DELTA_NONE);
	assert_true(platform_has_deviation(&o, "tcg-iret-noncanonical-rip"));

	/* The same to a canonical target: the int3 there, a trap at CPL 3
	 * (saved RIP past it, RF as it was: 0), on every model. */
	a.addr = PAD_U;
	o = predict(PLATFORM_TCG, a);
	assert_int_equal(o.vector, VEC_BP);
	assert_string_equal(o.rip_at, "target+1");
	assert_string_equal(o.stack, "rsp0");
	assert_int_equal(o.rf, 0);
	assert_false(platform_has_deviation(&o, "tcg-iret-noncanonical-rip"));
	assert_false(platform_has_deviation(&o, "tcg-rf-not-set"));
}

/* SYSRET with RCX = 0x800000000000: Intel checks RCX at CPL 0 (#GP(0) at
 * the SYSRET, on the current stack); AMD returns to CPL 3 and the fetch
 * faults there (through RSP0).  Bochs' SYSRET() checks RCX first for
 * every CPU model. */
static void test_sysret_bochs(void **state)
{
	(void)state;
	struct access a = deliver(OP_SYSRET, LOW_END, VENDOR_AMD, 0);
	to_user(&a);
	struct platform_outcome o = predict(PLATFORM_SILICON, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_string_equal(o.rip_at, "target");
	assert_string_equal(o.stack, "rsp0");
	assert_int_equal(o.frame_cs, 0x33);
	assert_int_equal(o.handler_ss, 0);
	assert_int_equal(o.rsp_delta, 0);       /* SYSRET keeps RSP */

	o = predict(PLATFORM_BOCHS, a);
	assert_int_equal(o.vector, VEC_GP);
	assert_int_equal(o.error_code, 0);
	assert_string_equal(o.rip_at, "insn");
	assert_string_equal(o.stack, "cur");
	assert_int_equal(o.frame_cs, 0x10);
	assert_int_equal(o.frame_ss, 0x18);
	assert_int_equal(o.handler_ss, 0x18);
	assert_true(platform_has_deviation(&o, "bochs-sysret-canonical-check"));

	/* With the user RSP on an absent page and no IST: the #GP's frame push
	 * is a #PF (CR2 = 0x...17f8), contributory then page fault: serial;
	 * the #PF's push faults again: #DF on IST1 -- CVE-2012-0217's crash,
	 * on Bochs' AMD model too. */
	bad_rsp(&a, ABSENT);
	o = predict(PLATFORM_BOCHS, a);
	assert_int_equal(o.vector, VEC_DF);
	assert_int_equal(o.cr2, 0x00001000000017f8ull);
	assert_string_equal(o.stack, "ist1");
	assert_string_equal(o.rip_at, "insn");
	assert_true(platform_has_deviation(&o, "bochs-sysret-canonical-check"));

	/* An Intel model: the rule, no deviation. */
	a = deliver(OP_SYSRET, LOW_END, VENDOR_INTEL, 0);
	to_user(&a);
	o = predict(PLATFORM_BOCHS, a);
	assert_string_equal(o.rip_at, "insn");
	assert_int_equal(o.ndev, 0);
	/* KVM's emulator was never run on these families. */
	o = predict(PLATFORM_KVM_EMULATOR, a);
	assert_false(o.known);
}

/* ------------------------------------------------------------ fpjudge */

/* A TCG badstack record (push, RSP on an absent page, IST4) as the kernel
 * prints it: the push's #PF (W, CR2 = RSP - 8) on IST4. */
#define HEADER "cpu vendor=AuthenticAMD family=0xf model=0x6b stepping=1 hypervisor=TCGTCGTCGTCG platform=tcg\nboot loader=\"GRUB 2.06\" firmware=bios paging=4 nxe=1\n"
#define PF_IST4 "probe id=42 set=badstack slice=absent op=push base=rsp index=- seg=none width=8 cpl=0 paging=4 adjust=0 addr=0x0000100000001808 vector=#PF err=0x2 cr2=0x0000100000001800 rip=0x00000000001a1000 cs=0x10 rflags=0x2 rsp=0x0000100000001808 ss=0x18 pre_rsp=0x0000100000001808 frame=0x000000000015f6a0 stack=ist4 rip_at=insn saved_rsp=pre handler_ss=0x0 rule=#PF rule_err=0x2 agrees=yes platform=tcg scratch=ro-stack vendor=amd ist=4 df_ist=1 bad_rsp=0x0000100000001808 rule_cpl=0 rule_rip_at=insn rule_stack=ist4"
#define DF_ABSENT "probe id=41 set=badstack slice=absent op=push base=rsp index=- seg=none width=8 cpl=0 paging=4 adjust=0 addr=0x0000100000001808 vector=#DF err=0x0 cr2=0x00001000000017f8 rip=0x00000000001a1000 cs=0x10 rflags=0x2 rsp=0x0000100000001808 ss=0x18 pre_rsp=0x0000100000001808 frame=0x0000000000163fd8 stack=ist1 rip_at=insn saved_rsp=pre handler_ss=0x0 rule=#DF rule_err=0x0 agrees=yes platform=tcg scratch=ro-stack vendor=amd ist=0 df_ist=1 bad_rsp=0x0000100000001808 rule_cpl=0 rule_rip_at=- rule_stack=ist1 rule_cr2=0x00001000000017f8"

static const char *write_file(const char *text, char *path, size_t n)
{
	snprintf(path, n, "/tmp/test_platform_deliver.%d.log", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void judge(const char *text, enum platform_model m, struct fpj_result *r)
{
	struct fpj_file f;
	char path[64];

	assert_int_equal(fpj_load(&f, write_file(text, path, sizeof(path))), 0);
	unlink(path);
	assert_int_equal(f.nrecs, 1);
	fpj_judge(&f, 0, m, r);
	fpj_free(&f);
}

static const struct fpj_cell *cell_of(const struct fpj_result *r, const char *key)
{
	for (unsigned c = 0; c < r->ncells; c++)
		if (strcmp(r->cells[c].key, key) == 0)
			return &r->cells[c];
	return NULL;
}

static void test_fpjudge_delivery_records(void **state)
{
	struct fpj_result r;

	(void)state;
	/* The ro-stack page is not where the push goes (0x...1800 is absent):
	 * #PF W=1, supervisor, not present = 0x2; IST4; TCG's SS = 0. */
	judge(HEADER PF_IST4 "\n", PLATFORM_TCG, &r);
	assert_int_equal(r.status, FPJ_MATCH);
	assert_true(r.access.deliver);
	assert_int_equal(r.access.gate_ist, 4);
	assert_true(r.access.rsp_bad);
	/* vector err cr2 rip_at saved_rsp stack cs ss handler_ss rf */
	assert_int_equal(r.ncells, 10);

	/* The #DF: CR2 is the last #PF's, a cell; under the manuals its rip_at
	 * and cs are not cells (undefined), nor is RF (open); TCG settles them. */
	judge(HEADER DF_ABSENT "\n", PLATFORM_TCG, &r);
	assert_int_equal(r.status, FPJ_MATCH);
	assert_non_null(cell_of(&r, "cr2"));
	assert_string_equal(cell_of(&r, "cr2")->want, "0x1000000017f8");
	assert_non_null(cell_of(&r, "rip_at"));
	judge(HEADER DF_ABSENT "\n", PLATFORM_SILICON, &r);
	assert_null(cell_of(&r, "rip_at"));
	assert_null(cell_of(&r, "cs"));
	assert_null(cell_of(&r, "rf"));
	/* silicon keeps SS on the IST switch: handler_ss=0x0 differs */
	assert_int_equal(r.status, FPJ_MISMATCH);
	assert_int_equal(r.nmismatch, 1);
	assert_false(cell_of(&r, "handler_ss")->match);

	/* A record that names a stack it was not on is caught. */
	char text[2048];
	snprintf(text, sizeof(text), "%s%s\n", HEADER, PF_IST4);
	memcpy(strstr(text, "stack=ist4"), "stack=cur ", 10);
	judge(text, PLATFORM_TCG, &r);
	assert_int_equal(r.status, FPJ_MISMATCH);

	/* Delivery keys that do not parse: the record is unknown, not judged. */
	snprintf(text, sizeof(text), "%s%s\n", HEADER, PF_IST4);
	memcpy(strstr(text, "ist=4"), "ist=x", 5);
	judge(text, PLATFORM_TCG, &r);
	assert_int_equal(r.status, FPJ_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_df_silicon),
		cmocka_unit_test(test_df_tcg),
		cmocka_unit_test(test_df_bochs),
		cmocka_unit_test(test_frame_push_noncanonical),
		cmocka_unit_test(test_iretq_noncanonical),
		cmocka_unit_test(test_sysret_bochs),
		cmocka_unit_test(test_fpjudge_delivery_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
