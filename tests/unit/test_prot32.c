/* Host unit tests for boot/prot32_decode.c: the 32-bit frame decoder and
 * record printer.  The records are built by hand the way the SDM says the
 * CPU builds the frame (Vol. 3 6.12.1, Figure 6-4: EFLAGS, CS, EIP, error
 * code on the current stack, right below ESP, no SS:ESP without a privilege
 * change, no alignment), then bent one way at a time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "probes/prot32/prot32.h"
#include "probes/model/vectors.h"
#include "tools/logparse.h"

#define FAULT_EIP 0x00100399u
#define EFL       0x00000046u       /* ZF PF, bit 1 */
#define RF        (1u << 16)

/* A record for `probe` at ESP = 0x1f6fe0 + mod whose frame is what the
 * rule says: [err][eip][cs][eflags] at ESP-16, poison below, marker above. */
static struct prot32_raw make(unsigned probe, unsigned mod, int vector, uint32_t err)
{
	struct prot32_raw r;
	memset(&r, 0, sizeof(r));
	r.probe = probe;
	r.esp_mod16 = mod;
	r.pre_esp = 0x001f6fe0u + mod;
	r.fault_eip = FAULT_EIP;
	r.cs_sel = 0x08;
	r.ss_sel = 0x18;
	r.eflags_pre = EFL;
	r.addr = probe == P32_PF_READ || probe == P32_PF_WRITE ? P32_PF_ADDR : 0x1f7000u;
	r.seg_limit = 0x1f6fffu;
	r.setup_vector = P32_NO_VECTOR;
	for (unsigned i = 0; i < P32_WORDS_BELOW; i++)
		r.words[i] = P32_POISON_BELOW;
	for (unsigned i = P32_WORDS_BELOW; i < P32_WORDS; i++)
		r.words[i] = P32_POISON_ABOVE;
	if (vector == VEC_NONE) {
		r.vector = P32_NO_VECTOR;
		return r;
	}
	r.vector = (uint32_t)vector;
	r.handler_esp = r.pre_esp - 16;
	r.words[4] = err;
	r.words[5] = FAULT_EIP;
	r.words[6] = 0x00000008u;
	r.words[7] = EFL | RF;
	if (vector == VEC_PF)
		r.cr2 = r.addr;
	return r;
}

static void format(const struct prot32_raw *r, char *buf, size_t cap, struct p32_verdict *v)
{
	struct strbuf sb;
	p32_decode(r, v);
	struct rec rec;
	sb_init(&sb, buf, cap);
	p32_record(&rec, 7, r, v, "test");
	rec_format(&sb, &rec);
	assert_false(sb.overflow);
}

/* Value of `key` in a formatted record (parsed by the log parser, which
 * also proves the line has no duplicate keys and no blanks in values). */
static const char *field(char *line, struct log_line *l, const char *key)
{
	assert_int_equal(log_parse_line(line, l), LOG_OK);
	assert_string_equal(l->type, "prot32");
	return log_get(l, key);
}

static void test_rules(void **state)
{
	(void)state;
	struct prot32_raw r = make(P32_GP_SEL, 0, VEC_NONE, 0);
	int vec;
	uint32_t err;
	/* #GP(selector): index 0x1fff, TI = IDT = EXT = 0 (Vol. 3 6.13). */
	p32_rule(P32_GP_SEL, &r, &vec, &err);
	assert_int_equal(vec, VEC_GP);
	assert_int_equal(err, 0xfff8);
	p32_rule(P32_GP_NULL, &r, &vec, &err);
	assert_int_equal(vec, VEC_GP);
	assert_int_equal(err, 0);
	p32_rule(P32_GP_LIMIT, &r, &vec, &err);
	assert_int_equal(vec, VEC_GP);
	assert_int_equal(err, 0);
	/* EBP base -> SS (Vol. 1 3.7.4) -> #SS(0). */
	p32_rule(P32_SS_LIMIT, &r, &vec, &err);
	assert_int_equal(vec, VEC_SS);
	assert_int_equal(err, 0);
	/* Not present, supervisor: P=0 U/S=0; W/R=1 for the store (Vol. 3 4.7). */
	p32_rule(P32_PF_READ, &r, &vec, &err);
	assert_int_equal(vec, VEC_PF);
	assert_int_equal(err, 0);
	p32_rule(P32_PF_WRITE, &r, &vec, &err);
	assert_int_equal(vec, VEC_PF);
	assert_int_equal(err, 2);
	assert_string_equal(p32_probe_name(P32_SS_LIMIT), "ss-limit");
	assert_string_equal(p32_probe_name(99), "unknown");
}

static void test_sdm_frame_agrees(void **state)
{
	(void)state;
	for (unsigned mod = 0; mod < 16; mod += 4) {
		struct prot32_raw r = make(P32_GP_SEL, mod, VEC_GP, 0xfff8);
		struct p32_verdict v;
		char buf[600];
		struct log_line l;
		format(&r, buf, sizeof(buf), &v);
		assert_true(v.agrees);
		assert_true(v.faulted);
		assert_true(v.has_err);
		assert_int_equal(v.frame_off, -16);
		assert_int_equal(v.pushed, 4);
		assert_int_equal(v.gap, 0);
		assert_false(v.ss_esp_pushed);
		assert_string_equal(v.aligned16, mod ? "no" : "n/a");
		assert_string_equal(v.cs_hi, "zero");
		assert_string_equal(v.below, "poison");
		assert_string_equal(field(buf, &l, "vector"), "#GP");
		assert_string_equal(log_get(&l, "err"), "0xfff8");
		assert_string_equal(log_get(&l, "rule"), "#GP");
		assert_string_equal(log_get(&l, "rule_err"), "0xfff8");
		assert_string_equal(log_get(&l, "frame_at"), "esp-16");
		assert_string_equal(log_get(&l, "frame_slots"), "3+err");
		assert_string_equal(log_get(&l, "ss_esp_pushed"), "no");
		assert_string_equal(log_get(&l, "eip_at"), "insn");
		assert_string_equal(log_get(&l, "rf"), "1");
		assert_string_equal(log_get(&l, "cs"), "0x0008");
		assert_string_equal(log_get(&l, "cr2"), "-");
		assert_string_equal(log_get(&l, "agrees"), "yes");
		assert_string_equal(log_get(&l, "fails"), "-");
		assert_string_equal(log_get(&l, "mode"), "prot32");
		assert_string_equal(log_get(&l, "platform"), "test");
		assert_string_equal(log_get(&l, "setup"), "ok");
		assert_null(log_get(&l, "seg_limit"));
	}
}

/* Seed 002: the CS slot's upper half may keep the old stack contents.
 * The manuals allow both, so it is reported, not judged. */
static void test_cs_poison_kept_still_agrees(void **state)
{
	(void)state;
	struct prot32_raw r = make(P32_PF_WRITE, 4, VEC_PF, 2);
	r.words[6] = 0xdead0008u;
	struct p32_verdict v;
	char buf[600];
	struct log_line l;
	format(&r, buf, sizeof(buf), &v);
	assert_string_equal(v.cs_hi, "poison");
	assert_true(v.agrees);
	assert_string_equal(field(buf, &l, "cs_slot"), "0xdead0008");
	assert_string_equal(log_get(&l, "cs_hi"), "poison");
	assert_string_equal(log_get(&l, "cr2"), "0x40000000");
	assert_string_equal(log_get(&l, "err"), "0x2");

	r.words[6] = 0x12340008u;
	p32_decode(&r, &v);
	assert_string_equal(v.cs_hi, "other");
	assert_true(v.agrees);
	/* ...but the selector half must be CS. */
	r.words[6] = 0x00000010u;
	p32_decode(&r, &v);
	assert_false(v.cs_ok);
	assert_false(v.agrees);
}

/* QEMU TCG pushes RF=0 for faults; Vol. 3 17.3.1.1 says 1. */
static void test_rf_clear_disagrees(void **state)
{
	(void)state;
	struct prot32_raw r = make(P32_PF_READ, 8, VEC_PF, 0);
	r.words[7] = EFL;
	struct p32_verdict v;
	char buf[600];
	struct log_line l;
	format(&r, buf, sizeof(buf), &v);
	assert_false(v.agrees);
	assert_true(v.layout_ok);
	assert_true(v.eflags_ok);
	assert_false(v.rf_ok);
	assert_string_equal(field(buf, &l, "fails"), "rf");
	assert_string_equal(log_get(&l, "rf"), "0");
	assert_string_equal(log_get(&l, "agrees"), "no");
}

/* A 64-bit style frame (RSP aligned down to 16, SS:ESP pushed) must be
 * seen for what it is: ESP ≡ 4, aligned to ESP-4, then 6 dwords. */
static void test_aligned_frame_with_ss_esp_detected(void **state)
{
	(void)state;
	struct prot32_raw r = make(P32_GP_LIMIT, 4, VEC_NONE, 0);
	r.vector = VEC_GP;
	uint32_t top = r.pre_esp & ~15u;          /* pre_esp - 4 */
	r.handler_esp = top - 24;
	unsigned i = (r.handler_esp - (r.pre_esp - 32)) / 4;
	r.words[i + 0] = 0;                        /* err */
	r.words[i + 1] = FAULT_EIP;
	r.words[i + 2] = 0x08;
	r.words[i + 3] = EFL | RF;
	r.words[i + 4] = r.pre_esp;                /* ESP */
	r.words[i + 5] = 0x18;                     /* SS  */
	struct p32_verdict v;
	char buf[600];
	struct log_line l;
	format(&r, buf, sizeof(buf), &v);
	assert_true(v.ss_esp_pushed);
	assert_int_equal(v.pushed, 6);
	assert_int_equal(v.gap, 4);
	assert_string_equal(v.aligned16, "yes");
	assert_false(v.layout_ok);
	assert_false(v.agrees);
	assert_string_equal(field(buf, &l, "ss_esp_pushed"), "yes");
	assert_string_equal(log_get(&l, "frame_slots"), "5+err");
	assert_string_equal(log_get(&l, "frame_at"), "esp-28");
	assert_string_equal(log_get(&l, "gap"), "4");
	assert_string_equal(log_get(&l, "fails"), "layout");
	assert_string_equal(log_get(&l, "seg_limit"), "0x001f6fff");
}

/* TCG does not check segment limits or NULL selectors on data accesses. */
static void test_no_fault(void **state)
{
	(void)state;
	struct prot32_raw r = make(P32_SS_LIMIT, 12, VEC_NONE, 0);
	struct p32_verdict v;
	char buf[600];
	struct log_line l;
	format(&r, buf, sizeof(buf), &v);
	assert_false(v.faulted);
	assert_false(v.agrees);
	assert_string_equal(field(buf, &l, "vector"), "none");
	assert_string_equal(log_get(&l, "rule"), "#SS");
	assert_string_equal(log_get(&l, "fails"), "vector,err");
	assert_string_equal(log_get(&l, "frame_at"), "-");
	assert_string_equal(log_get(&l, "cs_hi"), "-");
	assert_string_equal(log_get(&l, "seg_limit"), "0x001f6fff");
}

static void test_wrong_cr2_eip_err(void **state)
{
	(void)state;
	struct prot32_raw r = make(P32_PF_WRITE, 0, VEC_PF, 0);   /* W/R missing */
	r.cr2 = 0x40000004u;
	r.words[5] = FAULT_EIP + 2;                              /* a trap-like EIP */
	struct p32_verdict v;
	char buf[600];
	struct log_line l;
	format(&r, buf, sizeof(buf), &v);
	assert_false(v.agrees);
	assert_string_equal(field(buf, &l, "fails"), "err,cr2,eip");
	assert_string_equal(log_get(&l, "eip_at"), "other");
	/* A non-#PF vector must leave the CR2 sentinel (0) alone. */
	r = make(P32_GP_SEL, 0, VEC_GP, 0xfff8);
	r.cr2 = 0x1234;
	p32_decode(&r, &v);
	assert_false(v.cr2_ok);
	format(&r, buf, sizeof(buf), &v);
	assert_string_equal(field(buf, &l, "cr2"), "0x00001234");
}

/* Something wrote under the frame: not a clean 4-dword frame. */
static void test_below_written(void **state)
{
	(void)state;
	struct prot32_raw r = make(P32_GP_SEL, 4, VEC_GP, 0xfff8);
	r.words[3] = 0;
	struct p32_verdict v;
	p32_decode(&r, &v);
	assert_string_equal(v.below, "written");
	/* A frame outside the snapshot window is reported, not read. */
	r.handler_esp = r.pre_esp - 200;
	p32_decode(&r, &v);
	assert_false(v.frame_in_window);
	assert_false(v.agrees);
	char buf[600];
	struct log_line l;
	format(&r, buf, sizeof(buf), &v);
	assert_string_equal(field(buf, &l, "fails"), "frame-not-found");
}

/* The set-up (e.g. MOV to CR0 enabling paging) faulted: nothing was
 * probed; the record says which set-up instruction and which vector. */
static void test_setup_fault(void **state)
{
	(void)state;
	struct prot32_raw r = make(P32_PF_READ, 4, VEC_NONE, 0);
	r.setup_vector = VEC_GP;
	r.setup_words[0] = 0;              /* error code */
	r.setup_words[1] = 0x001004edu;    /* EIP        */
	struct p32_verdict v;
	char buf[600];
	struct log_line l;
	format(&r, buf, sizeof(buf), &v);
	assert_true(v.setup_failed);
	assert_false(v.agrees);
	assert_string_equal(field(buf, &l, "setup"), "#GP@0x001004ed");
	assert_string_equal(log_get(&l, "vector"), "none");
	assert_string_equal(log_get(&l, "fails"), "setup");
	/* #UD pushes no error code: the EIP is the first dword. */
	r.setup_vector = VEC_UD;
	r.setup_words[0] = 0x00100400u;
	format(&r, buf, sizeof(buf), &v);
	assert_string_equal(field(buf, &l, "setup"), "#UD@0x00100400");
}

struct lines {
	unsigned n;
	char text[P32_WORDS][160];
};

static void collect(void *ctx, const char *line)
{
	struct lines *ls = ctx;
	assert_true(ls->n < P32_WORDS);
	strncpy(ls->text[ls->n], line, sizeof(ls->text[0]) - 1);
	ls->text[ls->n][sizeof(ls->text[0]) - 1] = 0;
	ls->n++;
}

static void test_stack_dump_labels(void **state)
{
	(void)state;
	struct prot32_raw r = make(P32_GP_SEL, 4, VEC_GP, 0xfff8);
	r.words[6] = 0xdead0008u;
	struct p32_verdict v;
	struct lines ls = { 0 };
	p32_decode(&r, &v);
	p32_format_stack(&r, &v, collect, &ls);
	assert_int_equal(ls.n, P32_WORDS);
	assert_string_equal(ls.text[0], "    001f6fc4: deadbeef  poison (untouched)");
	assert_string_equal(ls.text[4], "    001f6fd4: 0000fff8  [Error Code]");
	assert_string_equal(ls.text[5], "    001f6fd8: 00100399  [eip] = the probed instruction");
	assert_string_equal(ls.text[6],
			    "    001f6fdc: dead0008  [CS] upper 16 bits dead (poison kept: 16-bit store)");
	assert_string_equal(ls.text[7], "    001f6fe0: 00010046  [EFLAGS] RF=1");
	assert_string_equal(ls.text[8],
			    "    001f6fe4: 5a5a5a5a  <- pre-fault ESP (frame right below it: no SS:ESP, no pad)");
	assert_string_equal(ls.text[9], "    001f6fe8: 5a5a5a5a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_sdm_frame_agrees),
		cmocka_unit_test(test_cs_poison_kept_still_agrees),
		cmocka_unit_test(test_rf_clear_disagrees),
		cmocka_unit_test(test_aligned_frame_with_ss_esp_detected),
		cmocka_unit_test(test_no_fault),
		cmocka_unit_test(test_wrong_cr2_eip_err),
		cmocka_unit_test(test_below_written),
		cmocka_unit_test(test_setup_fault),
		cmocka_unit_test(test_stack_dump_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
