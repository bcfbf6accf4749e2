/* Unit tests of fpexplain's input side: the scanner (prefixes, folds,
 * quoted-printable), the title recogniser (every form issue 8 lists), the
 * register, RIP and Code: field parsers, and crash rows/frames.  The inputs
 * are the shapes Linux, syslog, mailers and crash really print. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tools/fpexplain/fields.h"
#include "tools/fpexplain/parse.h"
#include "tools/fpexplain/run.h"
#include "tools/fpexplain/text.h"
#include "probes/model/vectors.h"

static void test_prefixes(void **state)
{
	(void)state;
	assert_string_equal(fx_strip_prefixes("<4>[  594.951623] RSP: 0018:x"), "RSP: 0018:x");
	assert_string_equal(fx_strip_prefixes("[  224.897239][ T1675] BUG: x"), "BUG: x");
	assert_string_equal(fx_strip_prefixes("<4> [61.713909] Code: 00"), "Code: 00");
	assert_string_equal(fx_strip_prefixes("Feb 15 12:56:31 t44 kernel: RIP: 0010:0x0"), "RIP: 0010:0x0");
	assert_string_equal(fx_strip_prefixes("2024-03-01T10:00:00.1+01:00 host kernel: [ 1.5] Oops: 0002 [#1]"),
			    "Oops: 0002 [#1]");
	assert_string_equal(fx_strip_prefixes("[Mon Jul 27 14:08:04 2021] RAX: 0"), "RAX: 0");
	assert_string_equal(fx_strip_prefixes("    [exception RIP: __kmalloc+171]"), "[exception RIP: __kmalloc+171]");
	assert_string_equal(fx_strip_prefixes("BUG: kernel NULL pointer dereference"), "BUG: kernel NULL pointer dereference");
	assert_string_equal(fx_strip_prefixes("[  C0] x"), "x");
}

static struct fx_text load(const char *s)
{
	struct fx_text t;

	assert_true(fx_text_load(s, strlen(s), &t));
	return t;
}

static void test_quotes_crlf_nul(void **state)
{
	static const char in[] = "> > [ 1.0] RIP: 0010:f+0x1/0x2\r\n>> RAX: 0000000000000001\rnext\0line\n";
	struct fx_text t;

	(void)state;
	assert_true(fx_text_load(in, sizeof(in) - 1, &t));
	assert_int_equal(t.n, 3);
	assert_string_equal(t.v[0].s, "RIP: 0010:f+0x1/0x2");
	assert_string_equal(t.v[1].s, "RAX: 0000000000000001");
	assert_string_equal(t.v[2].s, "next line");         /* NUL -> blank */
	assert_int_equal(t.nul_bytes, 1);
	assert_int_equal(t.v[2].no, 3);
	fx_text_free(&t);
}

/* Folded by a mailer: a register label at the end of a line, its value on
 * the next; a Code: line continued by bare hex bytes. */
static void test_folds(void **state)
{
	struct fx_text t = load("RAX: 0000000000000001 RBX: ffff9ea2d6bd7080 RCX:\n"
				"ffffb3f0028dc060\n"
				"Code: 30 48 83 ff\n"
				"49 03 56 38\n"
				"00 90 <e8> 2b 41 9f 00\n"
				"38 65 48\n"
				"RSP: 0018:ffffb3f0028dc000 EFLAGS: 00010246\n");

	(void)state;
	assert_string_equal(t.v[0].s, "RAX: 0000000000000001 RBX: ffff9ea2d6bd7080 RCX: ffffb3f0028dc060");
	assert_string_equal(t.v[1].s, "");
	assert_string_equal(t.v[2].s, "Code: 30 48 83 ff 49 03 56 38 00 90 <e8> 2b 41 9f 00 38 65 48");
	assert_string_equal(t.v[6].s, "RSP: 0018:ffffb3f0028dc000 EFLAGS: 00010246");
	fx_text_free(&t);
}

static void test_quoted_printable(void **state)
{
	struct fx_text t = load("Content-Transfer-Encoding: quoted-printable\n"
				"[  177.519833] RAX: 0000000000000000 RBX: dead000000000100 RCX: =\n"
				"ffff95cf4bcfe800\n"
				"x=3Dy\n");

	(void)state;
	assert_string_equal(t.v[1].s, "RAX: 0000000000000000 RBX: dead000000000100 RCX: ffff95cf4bcfe800");
	assert_string_equal(t.v[2].s, "x=y");
	fx_text_free(&t);
}

static struct fx_title title(const char *s)
{
	struct fx_title t;

	fx_match_title(s, &t);
	return t;
}

/* Titles from arch/x86/kernel/traps.c, mm/fault.c, dumpstack.c and
 * faultprobe's report/oops.c. */
static void test_titles(void **state)
{
	struct fx_title t;

	(void)state;
	t = title("stack segment: 0000 [#1] SMP PTI");
	assert_int_equal(t.kind, FX_T_NAMED);
	assert_int_equal(t.vector, VEC_SS);
	assert_int_equal(t.err, 0);
	assert_int_equal(t.seq, 1);

	t = title("Oops: general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN");
	assert_int_equal(t.kind, FX_T_NAMED);
	assert_int_equal(t.vector, VEC_GP);
	assert_true(t.have_hint);
	assert_true(t.hint == 0xdffffc0000000001ull);

	t = title("general protection fault, maybe for address 0x1234: 0000 [#3] SMP");
	assert_int_equal(t.vector, VEC_GP);
	assert_int_equal(t.seq, 3);
	assert_true(t.hint == 0x1234);

	t = title("general protection fault: 0000 [#1] SMP NOPTI");
	assert_int_equal(t.vector, VEC_GP);
	assert_false(t.have_hint);

	t = title("BUG: unable to handle page fault for address: ffff888001000040");
	assert_int_equal(t.kind, FX_T_PF_BUG);
	assert_true(t.addr == 0xffff888001000040ull);
	t = title("BUG: kernel NULL pointer dereference, address: 0000000000000008");
	assert_int_equal(t.kind, FX_T_PF_BUG);
	assert_true(t.addr == 8);
	t = title("BUG: unable to handle kernel paging request at ffffc90000ffffe8");
	assert_true(t.kind == FX_T_PF_BUG && t.addr == 0xffffc90000ffffe8ull);
	t = title("BUG: unable to handle kernel NULL pointer dereference at           (null)");
	assert_true(t.kind == FX_T_PF_BUG && t.have_addr && t.addr == 0);

	t = title("Oops: 0002 [#1] SMP");
	assert_int_equal(t.kind, FX_T_OOPS);
	assert_int_equal(t.vector, VEC_PF);
	assert_int_equal(t.err, 2);
	t = title("Oops: Oops: 0011 [#2] SMP");           /* 6.11+ prefix on top */
	assert_int_equal(t.kind, FX_T_OOPS);
	assert_int_equal(t.err, 0x11);

	t = title("kernel stack overflow (double-fault): 0000 [#1] SMP");
	assert_int_equal(t.vector, VEC_DF);
	t = title("kernel stack overflow (page fault): 0000 [#1] SMP");
	assert_int_equal(t.vector, VEC_PF);
	t = title("BUG: stack guard page was hit at 000000006e7354a5 (stack is a..b)");
	assert_int_equal(t.kind, FX_T_GUARD);
	t = title("invalid opcode: 0000 [#1] PREEMPT SMP KASAN");
	assert_int_equal(t.vector, VEC_UD);
	t = title("double fault: 0000 [#1] SMP");
	assert_int_equal(t.vector, VEC_DF);

	/* faultprobe: vector_name() titles and the authoritative vector= */
	t = title("general protection: 0000 [#2] vector=13 #GP");
	assert_true(t.kind == FX_T_NAMED && t.faultprobe && t.vector == VEC_GP);
	t = title("invalid opcode: 0000 [#1] vector=6 #UD (no error code pushed)");
	assert_true(t.faultprobe && t.vector == VEC_UD);

	/* ends of reports, and things that are not titles */
	assert_int_equal(title("---[ end trace 0000000000000000 ]---").kind, FX_T_END);
	assert_int_equal(title("WARNING: CPU: 5 PID: 8308 at fs/x.c:151 f+0x1/0x2").kind, FX_T_END);
	assert_int_equal(title("BUG: KASAN: use-after-free in f+0x1/0x2").kind, FX_T_END);
	assert_int_equal(title("general protection fault in foo").kind, FX_T_NONE);
	assert_int_equal(title("stack segment: 000 [#1]").kind, FX_T_NONE);
	assert_int_equal(title("I saw a general protection fault: 0000 [#1]").kind, FX_T_NONE);
	assert_int_equal(title("kernel BUG at mm/memory.c:2216!").kind, FX_T_NONE);
}

static void test_regs(void **state)
{
	struct fx_regs r;
	struct fx_reports rs = { 0 };
	struct fx_report *rep = fx_reports_add(&rs);

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(fx_parse_regs("RSP: 0018:ffffc9000215f7b8 EFLAGS: 00010082", &r, rep), 2);
	assert_true(r.have_ss && r.ss == 0x18);
	assert_true(r.gpr[GPR_RSP] == 0xffffc9000215f7b8ull);
	assert_true(r.have_rflags && r.rflags == 0x10082);
	assert_int_equal(fx_parse_regs("RBP: 6b6b6b6b6b6b6b6b R08: ffff88815349e898 R09: ffff88815349e8e8", &r, rep), 3);
	assert_true(fx_have_gpr(&r, GPR_RBP) && fx_have_gpr(&r, GPR_R8) && fx_have_gpr(&r, GPR_R9));
	/* crash's two-blank layout and short names */
	assert_int_equal(fx_parse_regs("RBP: 0000000000a56c20   R8: 0000000000000002   R9: 0000000000000038", &r, rep), 3);
	assert_true(r.gpr[GPR_R8] == 2);
	assert_int_equal(fx_parse_regs("ORIG_RAX: ffffffffffffffff  CS: 0010  SS: 0018", &r, rep), 3);
	assert_true(r.have_cs && r.cs == 0x10 && r.have_orig_ax);
	assert_int_equal(fx_parse_regs("FS:  0000555555ac7300(0000) GS:ffff8880b9a00000(0000) knlGS:0000000000000000", &r, rep), 3);
	assert_true(r.fs_base == 0x0000555555ac7300ull && r.gs_base == 0xffff8880b9a00000ull && r.have_kgs);
	assert_int_equal(fx_parse_regs("CR2: fffffbfff3ffffe0 CR3: 000000007dc79000 CR4: 00000000003506f0", &r, rep), 3);
	assert_true(r.have_cr4 && r.cr4 == 0x3506f0);
	/* wrong number of digits: not taken, and said so */
	memset(&r, 0, sizeof(r));
	assert_int_equal(fx_parse_regs("RAX: 00000000000001 RBX: 0000000000000002", &r, rep), 1);
	assert_false(fx_have_gpr(&r, GPR_RAX));
	assert_true(rep->nnotes >= 1);
	assert_non_null(strstr(rep->notes[0], "14 hex digits, want 16"));
	/* "GS:" inside "knlGS:" is not GS */
	memset(&r, 0, sizeof(r));
	fx_parse_regs("knlGS:0000000000000001", &r, NULL);
	assert_false(r.have_gs);
	assert_true(r.have_kgs);
	fx_reports_free(&rs);
}

static void test_rip(void **state)
{
	struct fx_regs r;
	char f[64];
	bool inl;

	(void)state;
	memset(&r, 0, sizeof(r));
	fx_parse_rip("RIP: 0010:__kmalloc+0xab/0x1b0 mm/slub.c:283", &r, f, sizeof(f), &inl);
	assert_true(r.have_cs && r.cs == 0x10 && !r.have_rip);
	assert_string_equal(f, "__kmalloc+0xab");
	memset(&r, 0, sizeof(r));
	fx_parse_rip("RIP: 0010:0x0", &r, f, sizeof(f), &inl);
	assert_true(r.have_rip && r.rip == 0);
	memset(&r, 0, sizeof(r));
	fx_parse_rip("RIP: 0010:[<ffffffff8113f8a4>]  [<ffffffff8113f8a4>] kmem_cache_alloc+0x54/0x1a0", &r, f, sizeof(f), &inl);
	assert_true(r.have_rip && r.rip == 0xffffffff8113f8a4ull);
	assert_string_equal(f, "kmem_cache_alloc+0x54");
	/* A line that ends at the '>' (a cut capture; found by the fpexplain
	 * fuzzer: the parser stepped over the "]" it assumed and read past
	 * the end).  Heap-allocated to the byte, so ASan sees any overread. */
	static const char cut[] = "RIP: 0010:[<ffffffff8113f8a4>";
	char *line = malloc(sizeof(cut));
	assert_non_null(line);
	memcpy(line, cut, sizeof(cut));
	memset(&r, 0, sizeof(r));
	fx_parse_rip(line, &r, f, sizeof(f), &inl);
	assert_true(r.have_rip && r.rip == 0xffffffff8113f8a4ull);
	free(line);
	memset(&r, 0, sizeof(r));
	fx_parse_rip("RIP: ffffffff84287f8b  RSP: ffffabfa4b0ebc38  RFLAGS: 00010202", &r, f, sizeof(f), &inl);
	assert_true(r.have_rip && r.rip == 0xffffffff84287f8bull && !r.have_cs);
	memset(&r, 0, sizeof(r));
	fx_parse_rip("RIP: 0010:00000000001036e2", &r, f, sizeof(f), &inl);      /* faultprobe */
	assert_true(r.have_rip && r.rip == 0x1036e2);
	memset(&r, 0, sizeof(r));
	fx_parse_rip("RIP: e030:xen_9pfs_front_free+0x1d/0x150", &r, f, sizeof(f), &inl);
	assert_true(r.cs == 0xe030);
	fx_parse_rip("RIP: 0010:PageTail include/linux/page-flags.h:281 [inline]", &r, f, sizeof(f), &inl);
	assert_true(inl);
}

static void test_code(void **state)
{
	struct fx_reports rs = { 0 };
	struct fx_report *r = fx_reports_add(&rs);

	(void)state;
	fx_parse_code("Code: 48 89 fb <48> 8b 5c 05 00 c3", r);
	assert_int_equal(r->code_state, FX_CODE_OK);
	assert_int_equal(r->code_len, 9);
	assert_int_equal(r->code_marker, 3);
	assert_int_equal(r->code[4], 0x8b);
	r = fx_reports_add(&rs);
	fx_parse_code("Code: 48 89 fb 48 8b 5c 05 00", r);
	assert_int_equal(r->code_state, FX_CODE_NO_MARKER);
	r = fx_reports_add(&rs);
	fx_parse_code("Code: Bad RIP value.", r);
	assert_int_equal(r->code_state, FX_CODE_BAD_RIP);
	r = fx_reports_add(&rs);
	fx_parse_code("Code: Unable to access opcode bytes at RIP 0xffffffffffffffd6.", r);
	assert_int_equal(r->code_state, FX_CODE_UNREADABLE);
	r = fx_reports_add(&rs);
	fx_parse_code("Code: c0 74 19 (...)", r);
	assert_int_equal(r->code_state, FX_CODE_MALFORMED);
	r = fx_reports_add(&rs);
	fx_parse_code("Code: <0f> 0b <48>", r);
	assert_int_equal(r->code_state, FX_CODE_MALFORMED);         /* two markers */
	r = fx_reports_add(&rs);
	fx_parse_code("Code: 0f 0b 4", r);
	assert_int_equal(r->code_state, FX_CODE_MALFORMED);         /* a lone digit */
	fx_reports_free(&rs);
}

static void test_stack_rows(void **state)
{
	struct fx_stack s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_true(fx_parse_stack_row("ffffabfa4b0ebba8: 0072006900560338[rbp] 00000000006080c0", &s));
	assert_true(fx_parse_stack_row("ffffabfa4b0ebc08: ffffffff84287f8b", &s));
	assert_true(fx_parse_stack_row("000000000022bfb8: 00000000001036e2 [ip]", &s));
	assert_false(fx_parse_stack_row("ffff88806a1f7c00: 00 00 00 00 00 00 00 00", &s));  /* KASAN dump */
	assert_false(fx_parse_stack_row("RAX: 0000000000000000", &s));
	assert_int_equal(s.nslots, 4);
	assert_string_equal(fx_stack_find(&s, 0xffffabfa4b0ebba8ull)->given, "[rbp]");
	assert_true(fx_stack_find(&s, 0xffffabfa4b0ebbb0ull)->value == 0x6080c0);
	assert_string_equal(fx_stack_find(&s, 0x22bfb8)->given, "[ip]");
	fx_stack_free(&s);
}

/* Whole reports: the first register block after the title is the oops's;
 * the "RIP: 0033" block of an interrupted user context inside the call
 * trace, and the repeat after "end trace", are not taken. */
static void test_report_blocks(void **state)
{
	static const char in[] =
		"BUG: unable to handle page fault for address: 0000000000000008\n"
		"#PF: supervisor read access in kernel mode\n"
		"#PF: error_code(0x0000) - not-present page\n"
		"Oops: 0000 [#1] SMP\n"
		"RIP: 0010:f+0x1/0x10\n"
		"Code: 90 <48> 8b 40 08 90\n"
		"RSP: 0018:ffffc90000003e00 EFLAGS: 00010246\n"
		"RAX: 0000000000000000 RBX: 0000000000000001 RCX: 0000000000000002\n"
		"CR2: 0000000000000008 CR3: 0000000001000000 CR4: 00000000003506f0\n"
		"Call Trace:\n"
		" <TASK>\n"
		"RIP: 0033:0x7f0000001000\n"
		"RAX: ffffffffffffffda RBX: 0000000000000002\n"
		"---[ end trace 0000000000000000 ]---\n"
		"RIP: 0010:f+0x1/0x10\n";
	struct fx_reports rs;

	(void)state;
	assert_true(fx_collect(in, sizeof(in) - 1, &rs, NULL));
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.v[0].vector, VEC_PF);
	assert_true(rs.v[0].have_err && rs.v[0].err == 0);
	assert_int_equal(rs.v[0].seq, 1);
	assert_true(rs.v[0].fault_addr == 8);
	assert_true(rs.v[0].regs.gpr[GPR_RAX] == 0);
	assert_true(rs.v[0].regs.cs == 0x10);
	assert_string_equal(rs.v[0].func, "f+0x1");
	assert_string_equal(rs.v[0].pf_desc, "supervisor read access in kernel mode");
	fx_reports_free(&rs);
}

/* Old kernels (2.6 - 4.x): "BUG: unable to handle kernel NULL pointer
 * dereference at ...", "IP: [<...>] sym", then "Oops: XXXX [#N]", and the
 * RIP line with the numeric address. */
static void test_old_pf_form(void **state)
{
	static const char in[] =
		"[ 1234.567890] BUG: unable to handle kernel NULL pointer dereference at 0000000000000008\n"
		"[ 1234.567891] IP: [<ffffffff8113f8a4>] kmem_cache_alloc+0x54/0x1a0\n"
		"[ 1234.567892] PGD 0\n"
		"[ 1234.567893] Oops: 0000 [#1] SMP\n"
		"[ 1234.567894] RIP: 0010:[<ffffffff8113f8a4>]  [<ffffffff8113f8a4>] kmem_cache_alloc+0x54/0x1a0\n"
		"[ 1234.567895] RSP: 0018:ffff8800b7a0fcc8  EFLAGS: 00010246\n"
		"[ 1234.567896] RAX: 0000000000000000 RBX: ffff8800b7a0fd48 RCX: 0000000000000000\n"
		"[ 1234.567897] Code: 8b 45 c8 <48> 8b 40 08 5b\n";
	struct fx_reports rs;

	(void)state;
	assert_true(fx_collect(in, sizeof(in) - 1, &rs, NULL));
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.v[0].vector, VEC_PF);
	assert_true(rs.v[0].have_err && rs.v[0].err == 0 && rs.v[0].seq == 1);
	assert_true(rs.v[0].fault_addr == 8);
	assert_true(rs.v[0].regs.have_rip && rs.v[0].regs.rip == 0xffffffff8113f8a4ull);
	assert_string_equal(rs.v[0].func, "kmem_cache_alloc+0x54");
	assert_int_equal(rs.v[0].code_state, FX_CODE_OK);
	fx_reports_free(&rs);
}

/* crash's exception frame block: "[exception RIP: sym]" then registers. */
static void test_crash_exception_block(void **state)
{
	static const char in[] =
		"crash> bt\n"
		"PID: 1  TASK: ffff880139108040  CPU: 0  COMMAND: \"x\"\n"
		" #6 [ffffc90000003d00] general_protection at ffffffff8176b7e8\n"
		"    [exception RIP: kmem_cache_alloc+84]\n"
		"    RIP: ffffffff8113f8a4  RSP: ffffc90000003dc8  RFLAGS: 00010246\n"
		"    RAX: 0000000000000000  RBX: 6b6b6b6b6b6b6b6b  RCX: 0000000000000000\n"
		"    ORIG_RAX: ffffffffffffffff  CS: 0010  SS: 0018\n"
		" #7 [ffffc90000003e00] f at ffffffff81000000\n";
	struct fx_reports rs;

	(void)state;
	assert_true(fx_collect(in, sizeof(in) - 1, &rs, NULL));
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.v[0].src, FX_SRC_CRASH);
	assert_int_equal(rs.v[0].vector, VEC_GP);
	assert_string_equal(rs.v[0].func, "kmem_cache_alloc+84");
	assert_true(rs.v[0].regs.rip == 0xffffffff8113f8a4ull);
	assert_true(rs.v[0].regs.gpr[GPR_RBX] == 0x6b6b6b6b6b6b6b6bull);
	assert_true(rs.v[0].regs.have_cs && rs.v[0].regs.cs == 0x10);
	fx_reports_free(&rs);
}

static void test_nothing_found(void **state)
{
	static const char junk[] = "\x7f" "ELF\x02\x01\x01\0\0\0 stack segment: %s RIP: %04x:%016llx\n";
	struct fx_reports rs;

	(void)state;
	assert_true(fx_collect(junk, sizeof(junk) - 1, &rs, NULL));
	assert_int_equal(rs.n, 0);
	fx_reports_free(&rs);
	assert_true(fx_collect("", 0, &rs, NULL));
	assert_int_equal(rs.n, 0);
	fx_reports_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_quotes_crlf_nul),
		cmocka_unit_test(test_folds),
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_regs),
		cmocka_unit_test(test_rip),
		cmocka_unit_test(test_code),
		cmocka_unit_test(test_stack_rows),
		cmocka_unit_test(test_report_blocks),
		cmocka_unit_test(test_old_pf_form),
		cmocka_unit_test(test_crash_exception_block),
		cmocka_unit_test(test_nothing_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
