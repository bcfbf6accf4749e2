/* Host unit tests of the report formatters: hex/decimal formatting, the
 * vector table, the `probe` record line (the machine-readable contract in
 * README.md), the human table row and the oops dump. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdio.h>

#include "probes/model/fmt.h"
#include "report/rec.h"
#include "report/table.h"
#include "probes/probe.h"
#include "report/oops.h"
#include "probes/model/vectors.h"

static void test_hex_formats(void **state)
{
	(void)state;
	char buf[64];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_hex64(&sb, 0x00007ffffffffff9ull);
	assert_string_equal(buf, "0x00007ffffffffff9");
	sb_init(&sb, buf, sizeof(buf));
	sb_hexmin(&sb, 0);
	sb_putc(&sb, ' ');
	sb_hexmin(&sb, 0x10046);
	sb_putc(&sb, ' ');
	sb_hexmin(&sb, 0xffffffffffffffffull);
	assert_string_equal(buf, "0x0 0x10046 0xffffffffffffffff");
	sb_init(&sb, buf, sizeof(buf));
	sb_hex(&sb, 0x18, 4);
	sb_putc(&sb, ':');
	sb_dec(&sb, 0);
	sb_putc(&sb, ':');
	sb_dec(&sb, 18446744073709551615ull);
	assert_string_equal(buf, "0018:0:18446744073709551615");
}

static void test_strbuf_overflow_is_bounded(void **state)
{
	(void)state;
	char buf[8];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "0123456789");
	assert_true(sb.overflow);
	assert_int_equal(sb.len, 7);
	assert_string_equal(buf, "0123456");
	sb_pad_to(&sb, 100);   /* must stop, not loop */
	assert_int_equal(sb.len, 7);
}

static void test_vector_table(void **state)
{
	(void)state;
	/* SDM Vol. 3 Table 6-1: error codes for 8, 10-14, 17, 21 only. */
	for (int v = 0; v < 32; v++) {
		int want = v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;
		assert_int_equal(vector_has_error_code(v), want);
	}
	assert_false(vector_has_error_code(0x80));
	assert_string_equal(vector_mnemonic(12), "#SS");
	assert_string_equal(vector_mnemonic(13), "#GP");
	assert_string_equal(vector_mnemonic(14), "#PF");
	assert_string_equal(vector_mnemonic(VEC_NONE), "none");
	assert_null(vector_mnemonic(15));
	assert_string_equal(vector_name(12), "stack segment");
	/* Every mnemonic of the contract parses back. */
	const char *contract[] = { "#DE", "#DB", "#NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF",
				   "#TS", "#NP", "#SS", "#GP", "#PF", "#MF", "#AC", "#MC", "#XM",
				   "#VE", "#CP", "none" };
	for (unsigned i = 0; i < sizeof(contract) / sizeof(contract[0]); i++) {
		int v;
		assert_true(vector_parse(contract[i], &v));
		assert_string_equal(vector_mnemonic(v), contract[i]);
	}
	int v;
	assert_false(vector_parse("#XX", &v));
}

/* The seed's #SS as the kernel sees it: an 8-byte load through rbp at
 * 0x00007ffffffffff9, frame on the current stack. */
static const struct probe_def ss_def = {
	.set = "seed", .op = OP_LOAD, .base = GPR_RBP, .index = GPR_RAX, .prefix = SEGP_NONE,
	.width = 8,
};
static const struct probe_env ss_env = { .platform = "metal", .paging_levels = 4,
					 .kernel_view = true };

static struct probe_result ss_result(void)
{
	struct probe_result r = {
		.vector = VEC_SS, .error_code = 0, .cpl = 0, .agrees = true,
		.rule = { .vector = VEC_SS, .error_code = 0 },
		.x = {
			.faulted = true, .cr2 = 0xc2c2c2c0, .cr2_changed = false,
			.frame = { .vector = VEC_SS, .rip = 0x106840, .cs = 0x10, .rflags = 0x10046,
				   .rsp = 0x1e3db8, .ss = 0x18, .handler_ss = 0x18 },
			.pre_rsp = 0x1e3db8, .frame_addr = 0x1e3d88, .fault_insn = 0x106840,
			.stack = "cur", .ss_valid = true,
		},
	};
	return r;
}

/* The record line as report sends it: id first. */
static void record_line(char *buf, size_t cap, const struct probe_result *r, unsigned id,
			const struct probe_env *env)
{
	struct rec rec;
	struct strbuf sb;
	probe_record_build(&rec, env, &ss_def, 0x00007ffffffffff9ull, 0, r);
	rec_insert_dec(&rec, 0, "id", id);
	sb_init(&sb, buf, cap);
	rec_format(&sb, &rec);
	assert_false(sb.overflow);
}

static void test_record_line_contract(void **state)
{
	(void)state;
	char buf[512];
	struct probe_result r = ss_result();
	record_line(buf, sizeof(buf), &r, 10, &ss_env);
	assert_string_equal(buf,
		"probe id=10 set=seed op=load base=rbp index=rax seg=none width=8 cpl=0 paging=4 "
		"adjust=0 addr=0x00007ffffffffff9 vector=#SS err=0x0 cr2=- rip=0x0000000000106840 "
		"cs=0x10 rflags=0x10046 rsp=0x00000000001e3db8 ss=0x18 pre_rsp=0x00000000001e3db8 "
		"frame=0x00000000001e3d88 stack=cur rip_at=insn saved_rsp=pre handler_ss=0x18 "
		"rule=#SS rule_err=0x0 agrees=yes platform=metal");
}

static void test_record_line_pf_and_none(void **state)
{
	(void)state;
	char buf[512];
	struct probe_result r = ss_result();
	r.vector = VEC_PF;
	r.x.frame.vector = VEC_PF;
	r.x.cr2 = 0x0000100000000000ull;
	r.x.cr2_changed = true;
	r.agrees = false;
	record_line(buf, sizeof(buf), &r, 10, &ss_env);
	assert_non_null(strstr(buf, " vector=#PF err=0x0 cr2=0x0000100000000000 "));
	assert_non_null(strstr(buf, " agrees=no"));

	r.vector = VEC_NONE;
	r.x.faulted = false;
	r.x.value = 0x1122334455667788ull;
	r.rule.vector = VEC_NONE;
	record_line(buf, sizeof(buf), &r, 10, &ss_env);
	assert_non_null(strstr(buf, " vector=none err=- cr2=- rip=- cs=- rflags=- rsp=- ss=- "));
	assert_non_null(strstr(buf, " value=0x1122334455667788 rule=none rule_err=- "));
	assert_null(strstr(buf, "frame="));
}

/* faultprobe-user's view: the frame and the handler's SS are the kernel's,
 * SS is shown only when the signal context says it is valid. */
static void test_record_line_user_view(void **state)
{
	(void)state;
	char buf[512];
	struct probe_env env = ss_env;
	struct probe_result r = ss_result();
	env.platform = "linux-user";
	env.kernel_view = false;
	r.cpl = 3;
	r.x.stack = "-";
	r.x.ss_valid = false;
	record_line(buf, sizeof(buf), &r, 3, &env);
	assert_non_null(strstr(buf, " cpl=3 "));
	assert_non_null(strstr(buf, " ss=- pre_rsp=0x00000000001e3db8 frame=- stack=- rip_at=insn "
				    "saved_rsp=pre rule=#SS "));
	assert_null(strstr(buf, "handler_ss="));
	assert_null(strstr(buf, "ring3_frame="));
	assert_non_null(strstr(buf, "platform=linux-user"));
}

static void test_table_row_fits_80_columns(void **state)
{
	(void)state;
	char buf[256];
	struct strbuf sb;
	struct rec rec;
	struct probe_result r = ss_result();
	r.vector = VEC_PF;
	r.x.frame.vector = VEC_PF;
	r.x.cr2 = 0xffffffffffffffffull;
	probe_record_build(&rec, &ss_env, &ss_def, 0x00007ffffffffff9ull, 0, &r);
	rec_insert_dec(&rec, 0, "id", 999);
	sb_init(&sb, buf, sizeof(buf));
	table_format_row(&sb, &rec);
	assert_true(strlen(buf) <= 79);
	assert_string_equal(buf, "999  0x00007ffffffffff9  rbp  8  #PF    0x0  0xffffffffffffffff  #SS  yes");
	sb_init(&sb, buf, sizeof(buf));
	table_format_header(&sb);
	assert_true(strlen(buf) <= 79);
}

static char oops_lines[40][200];
static unsigned oops_count;
static void oops_sink(void *ctx, const char *line)
{
	(void)ctx;
	if (oops_count < 40)
		snprintf(oops_lines[oops_count++], sizeof(oops_lines[0]), "%s", line);
}

static void test_oops_dump(void **state)
{
	(void)state;
	struct exc_frame f = { 0 };
	f.vector = 12;
	f.error_code = 0;
	f.rip = 0xffffffffb8687f8bull;
	f.cs = 0x10;
	f.rflags = 0x10206;
	f.rsp = 0xffffa269e37dbcf8ull;
	f.ss = 0x18;
	f.rbp = 0x0072006900560338ull;
	f.cr2 = 0xc2c2c2c0;
	f.handler_ss = 0x18;
	/* The seed's stack: frame at ...cc8, one pad slot at ...cf0, RSP ...cf8. */
	uint64_t words[7] = { f.rip, f.cs, f.rflags, f.rsp, f.ss, 0xffffffffb8688063ull,
			      0xffffffffc07258b3ull };
	const uint8_t code[5] = { 0x48, 0x8b, 0x5c, 0x05, 0x00 };
	struct oops_info o = {
		.f = &f, .seq = 1, .frame_addr = 0xffffa269e37dbcc8ull, .words = words, .nwords = 7,
		.pre_rsp = 0xffffa269e37dbcf8ull, .hw_error_code = true, .code = code, .code_len = 5,
		.cr2_sentinel = 0xc2c2c2c0, .stack = "cur",
	};
	oops_count = 0;
	oops_format(&o, oops_sink, NULL);
	assert_string_equal(oops_lines[0], "stack segment: 0000 [#1] vector=12 #SS");
	assert_string_equal(oops_lines[1], "RIP: 0010:ffffffffb8687f8b");
	assert_string_equal(oops_lines[2], "Code: <48> 8b 5c 05 00");
	assert_string_equal(oops_lines[3], "RSP: 0018:ffffa269e37dbcf8 EFLAGS: 00010206");
	assert_string_equal(oops_lines[6], "RBP: 0072006900560338 R08: 0000000000000000 R09: 0000000000000000");
	assert_non_null(strstr(oops_lines[9], "(sentinel: not written by this fault)"));
	/* The slots, labelled as the seed author did, the pad marked. */
	assert_string_equal(oops_lines[11], "  ffffa269e37dbcc0: 0000000000000000 [Error Code]");
	assert_string_equal(oops_lines[12], "  ffffa269e37dbcc8: ffffffffb8687f8b [ip]");
	assert_string_equal(oops_lines[13], "  ffffa269e37dbcd0: 0000000000000010 [CS]");
	assert_string_equal(oops_lines[14], "  ffffa269e37dbcd8: 0000000000010206 [RFLAGS]");
	assert_string_equal(oops_lines[15], "  ffffa269e37dbce0: ffffa269e37dbcf8 [sp]");
	assert_string_equal(oops_lines[16], "  ffffa269e37dbce8: 0000000000000018 [ss]");
	assert_string_equal(oops_lines[17], "  ffffa269e37dbcf0: ffffffffb8688063 [pad: RSP aligned down to 16 before the push]");
	assert_string_equal(oops_lines[18], "  ffffa269e37dbcf8: ffffffffc07258b3 <- pre-fault RSP");
	assert_int_equal(oops_count, 19);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_formats),
		cmocka_unit_test(test_strbuf_overflow_is_bounded),
		cmocka_unit_test(test_vector_table),
		cmocka_unit_test(test_record_line_contract),
		cmocka_unit_test(test_record_line_pf_and_none),
		cmocka_unit_test(test_record_line_user_view),
		cmocka_unit_test(test_table_row_fits_80_columns),
		cmocka_unit_test(test_oops_dump),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
