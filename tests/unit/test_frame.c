/* Host unit tests for the frame forensics (issue 4): probes/framecheck.c
 * (frame rules, software-vs-hardware frame comparison) and
 * probes/vmcore_fmt.c (the `crash> bt -f` rows, the bad-pointer decoder).
 * Expected values come from the SDM text cited in probes/framecheck.h and
 * from the seeds' own listings, never from running the code. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "probes/frame/frame.h"
#include "probes/softframe/softframe.h"
#include "probes/vmcore/btf.h"
#include "probes/model/ptr_decode.h"
#include "probes/model/vectors.h"

#define INSN 0x106b70ull

/* ------------------------------------------------------------ sink */


/* The records through the one record formatter (report/rec.c). */
static void frame_format_line(struct strbuf *sb, const struct frame_obs *o,
			      const struct frame_verdict *v)
{
	struct rec rec;
	frame_record(&rec, o, v);
	rec_format(sb, &rec);
}

static void sf_format_line(struct strbuf *sb, const struct sf_case *c, enum sf_slot s,
			   const struct sf_diff *d, const char *platform)
{
	struct rec rec;
	sf_record(&rec, c, s, d, platform);
	rec_format(sb, &rec);
}

static char lines[64][256];
static unsigned nlines;

static void sink(void *ctx, const char *line)
{
	(void)ctx;
	if (nlines < 64)
		snprintf(lines[nlines++], sizeof(lines[0]), "%s", line);
}

/* ------------------------------------------------------------ frame_check */

/* The TCG observation in the brief: pre-fault RSP ...db8 (8 mod 16), frame
 * at ...d88: aligned down to ...db0, five slots below, one pad slot. */
static void obs_init(struct frame_obs *o, uint64_t *w, uint64_t pre, uint64_t frame)
{
	memset(o, 0, sizeof(*o));
	o->probe_id = 7;
	o->set = "frame";
	o->base = "rbp";
	o->addr = 0x0072006900560338ull;
	o->adjust = 0;
	o->vector = VEC_SS;
	o->pre_rsp = pre;
	o->frame_addr = frame;
	o->fault_insn = INSN;
	o->insn_len = 5;
	w[0] = INSN;
	w[1] = 0x10;
	w[2] = 0x10046;             /* RF=1 as the SDM prescribes for faults */
	w[3] = pre;
	w[4] = 0x18;
	w[5] = FRAME_POISON;
	o->words = w;
	o->nwords = 6;
	o->stack = "cur";
	o->platform = "tcg";
}

static void test_frame_pad8_agrees(void **state)
{
	(void)state;
	uint64_t w[6];
	struct frame_obs o;
	struct frame_verdict v;
	obs_init(&o, w, 0x1e3db8, 0x1e3d88);
	frame_check(&o, &v);
	assert_int_equal(v.pad, 8);
	assert_string_equal(v.pad_slot, "poison");
	assert_true(v.frame_rel == -48);
	assert_true(v.aligned);
	assert_true(v.saved_rsp_pre);
	assert_string_equal(v.rip_at, "insn");
	assert_int_equal(v.rf, 1);
	assert_int_equal(v.rf_rule, 1);
	assert_true(v.bit1);
	assert_int_equal(v.cs_hi, 0);
	assert_int_equal(v.ss_hi, 0);
	assert_true(v.stack_ok);
	assert_true(v.agrees);
}

static void test_frame_pad0(void **state)
{
	(void)state;
	uint64_t w[6];
	struct frame_obs o;
	struct frame_verdict v;
	/* RSP already 16-aligned: the frame sits right below it. */
	obs_init(&o, w, 0x1e3db0, 0x1e3d88);
	frame_check(&o, &v);
	assert_int_equal(v.pad, 0);
	assert_string_equal(v.pad_slot, "-");
	assert_true(v.aligned);
	assert_true(v.agrees);
}

static void test_frame_rf_clear_disagrees(void **state)
{
	(void)state;
	uint64_t w[6];
	struct frame_obs o;
	struct frame_verdict v;
	obs_init(&o, w, 0x1e3db8, 0x1e3d88);
	w[2] = 0x46;                /* TCG: RF not set */
	frame_check(&o, &v);
	assert_int_equal(v.rf, 0);
	assert_false(v.agrees);
	assert_true(v.aligned && v.saved_rsp_pre && v.bit1);
}

static void test_frame_unaligned_push(void **state)
{
	(void)state;
	uint64_t w[6];
	struct frame_obs o;
	struct frame_verdict v;
	/* A legacy-style push straight below an RSP that is 8 mod 16. */
	obs_init(&o, w, 0x1e3db8, 0x1e3d90);
	frame_check(&o, &v);
	assert_int_equal(v.pad, 0);
	assert_false(v.aligned);
	assert_false(v.agrees);
}

static void test_frame_pad_written(void **state)
{
	(void)state;
	uint64_t w[6];
	struct frame_obs o;
	struct frame_verdict v;
	obs_init(&o, w, 0x1e3db8, 0x1e3d88);
	w[5] = 0x1234;
	frame_check(&o, &v);
	assert_string_equal(v.pad_slot, "other");
	assert_false(v.agrees);
}

static void test_frame_not_zero_extended(void **state)
{
	(void)state;
	uint64_t w[6];
	struct frame_obs o;
	struct frame_verdict v;
	obs_init(&o, w, 0x1e3db8, 0x1e3d88);
	w[1] = 0x5ec0de5ec0de0010ull;  /* a 16-bit store over the poison */
	frame_check(&o, &v);
	assert_int_equal(v.cs_hi, 0x5ec0de5ec0deull);
	assert_false(v.agrees);
	w[1] = 0x10;
	w[4] = 0x5ec0de5ec0de0018ull;
	frame_check(&o, &v);
	assert_int_equal(v.ss_hi, 0x5ec0de5ec0deull);
	assert_false(v.agrees);
}

static void test_frame_rip(void **state)
{
	(void)state;
	uint64_t w[6];
	struct frame_obs o;
	struct frame_verdict v;
	obs_init(&o, w, 0x1e3db8, 0x1e3d88);
	w[0] = INSN + 5;
	frame_check(&o, &v);
	assert_string_equal(v.rip_at, "next");
	assert_false(v.agrees);
	w[0] = INSN + 1;
	frame_check(&o, &v);
	assert_string_equal(v.rip_at, "other");
	w[0] = INSN;
	w[3] = 0x1e3db0;            /* the aligned RSP saved instead */
	frame_check(&o, &v);
	assert_false(v.saved_rsp_pre);
	assert_false(v.agrees);
	w[3] = 0x1e3db8;
	w[2] = 0x10044;             /* bit 1 clear */
	frame_check(&o, &v);
	assert_false(v.bit1);
	assert_false(v.agrees);
}

static void test_frame_ist(void **state)
{
	(void)state;
	uint64_t w[6];
	struct frame_obs o;
	struct frame_verdict v;
	obs_init(&o, w, 0x1e3db8, 0x153048);
	o.ist = 4;
	o.ist_top = 0x153070;
	o.stack = "ist4";
	frame_check(&o, &v);
	assert_string_equal(v.from, "ist4-top");
	assert_true(v.frame_rel == -40);
	assert_int_equal(v.pad, 0);
	assert_true(v.aligned);
	assert_true(v.saved_rsp_pre);
	assert_string_equal(v.stack_rule, "ist4");
	assert_true(v.agrees);
	o.stack = "cur";            /* the gate's IST was not honoured */
	frame_check(&o, &v);
	assert_false(v.stack_ok);
	assert_false(v.agrees);
}

static void test_frame_line(void **state)
{
	(void)state;
	uint64_t w[6];
	struct frame_obs o;
	struct frame_verdict v;
	char buf[512];
	struct strbuf sb;
	obs_init(&o, w, 0x1e3db8, 0x1e3d88);
	w[2] = 0x46;
	o.vector = VEC_GP;
	frame_check(&o, &v);
	sb_init(&sb, buf, sizeof(buf));
	frame_format_line(&sb, &o, &v);
	assert_false(sb.overflow);
	assert_string_equal(buf,
		"frame probe=7 set=frame base=rbp addr=0x0072006900560338 adjust=0 ist=0 vector=#GP"
		" rsp_mod16=8 from=pre-fault frame_rel=-48 pad=8 pad_slot=poison aligned=yes"
		" saved_rsp=pre-fault rip=insn rf=0 rf_rule=1 rf_agrees=no rflags_bit1=1"
		" rflags=0x46 cs_hi=0x0 ss_hi=0x0 cs=0x10 ss=0x18 stack=cur stack_rule=cur"
		" agrees=no fails=rf platform=tcg");
}

static void test_rflags_names(void **state)
{
	(void)state;
	char buf[128];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	rflags_names(&sb, 0);
	assert_string_equal(buf, "-");
	sb_init(&sb, buf, sizeof(buf));
	rflags_names(&sb, RFLAGS_ZF | RFLAGS_IF);
	assert_string_equal(buf, "IF,ZF");
	sb_init(&sb, buf, sizeof(buf));
	rflags_names(&sb, RFLAGS_RF | (1ull << 20));
	assert_string_equal(buf, "RF,b20");
}

/* ------------------------------------------------------------ softframe */

static void sf_pair(struct sf_frame *hw, struct sf_frame *sw)
{
	memset(hw, 0, sizeof(*hw));
	hw->rip = 0x13209f;
	hw->next_rip = 0x13209f;
	hw->cs = 0x10;
	hw->rflags = 0x46;
	hw->rsp = 0x228aa8;
	hw->ss = 0x18;
	hw->frame_addr = 0x228a78;
	hw->pre_rsp = 0x228aa8;
	hw->start = 0x228aa8;
	hw->stack = "cur";
	*sw = *hw;
	sw->rip = sw->next_rip = 0x132148;
}

static void test_softframe_compare(void **state)
{
	(void)state;
	struct sf_case c = { "a547c6-adj0", 0xf0, 0, 0, true };
	struct sf_frame hw, sw;
	struct sf_diff d;
	sf_pair(&hw, &sw);
	/* `and $-16,%rsp` ran after the flags were set (ZF cleared) and
	 * `orl $0x200,(%rsp)` set IF. */
	sw.rflags = 0x206;

	sf_compare(&c, &hw, &sw, SF_IP, &d);
	assert_false(d.same);
	assert_string_equal(d.why, "by-design-next-insn");
	sf_compare(&c, &hw, &sw, SF_CS, &d);
	assert_true(d.same);
	assert_string_equal(d.why, "-");
	sf_compare(&c, &hw, &sw, SF_RFLAGS, &d);
	assert_false(d.same);
	assert_int_equal(d.flag_diff, RFLAGS_IF | RFLAGS_ZF);
	assert_string_equal(d.why, "orl-0x200+and-before-pushf");
	sf_compare(&c, &hw, &sw, SF_PAD, &d);
	assert_true(d.same);
	assert_int_equal(d.hw, 8);
	sf_compare(&c, &hw, &sw, SF_STACK, &d);
	assert_true(d.same);

	c.or_if = false;
	sw.rflags = 0x06;
	sf_compare(&c, &hw, &sw, SF_RFLAGS, &d);
	assert_string_equal(d.why, "and-before-pushf");
	sw.rflags = 0x10046;
	sf_compare(&c, &hw, &sw, SF_RFLAGS, &d);
	assert_string_equal(d.why, "rf");
	sw.rflags = 0x246;          /* IF without the orl: not explained */
	sf_compare(&c, &hw, &sw, SF_RFLAGS, &d);
	assert_string_equal(d.why, "other-flags");

	sw.rip = 0x132150;
	sf_compare(&c, &hw, &sw, SF_IP, &d);
	assert_string_equal(d.why, "unexpected");
}

static void test_softframe_ist(void **state)
{
	(void)state;
	struct sf_case c = { "plain-ist4", 0xf0, 8, 4, false };
	struct sf_frame hw, sw;
	struct sf_diff d;
	sf_pair(&hw, &sw);
	hw.frame_addr = 0x153048;
	hw.start = 0x153070;
	hw.stack = "ist4";
	sf_compare(&c, &hw, &sw, SF_STACK, &d);
	assert_false(d.same);
	assert_string_equal(d.hw_str, "ist4");
	assert_string_equal(d.sw_str, "cur");
	assert_string_equal(d.why, "gate-ist-ignored-by-software");
	sf_compare(&c, &hw, &sw, SF_FRAME, &d);
	assert_false(d.same);
	assert_string_equal(d.why, "gate-ist-ignored-by-software");
	sf_compare(&c, &hw, &sw, SF_PAD, &d);
	assert_int_equal(d.hw, 0);
	assert_int_equal(d.sw, 8);
}

static void test_softframe_lines(void **state)
{
	(void)state;
	struct sf_case c = { "a547c6-adj0", 0xf0, 0, 0, true };
	struct sf_frame hw, sw;
	struct sf_diff d;
	char buf[256];
	struct strbuf sb;
	sf_pair(&hw, &sw);
	sw.rflags = 0x206;
	sf_compare(&c, &hw, &sw, SF_RFLAGS, &d);
	sb_init(&sb, buf, sizeof(buf));
	sf_format_line(&sb, &c, SF_RFLAGS, &d, "tcg");
	assert_string_equal(buf,
		"softframe case=a547c6-adj0 vector=0xf0 adjust=0 gate_ist=0 or_if=1 slot=rflags"
		" hw=0x46 sw=0x206 same=no diff=IF,ZF hw_rf=0 hw_rf_rule=0 sw_rf=0"
		" why=orl-0x200+and-before-pushf platform=tcg");
	sb_init(&sb, buf, sizeof(buf));
	sf_format_row(&sb, SF_RFLAGS, &d);
	assert_string_equal(buf,
		"  rflags: 0x0000000000000046  0x0000000000000206  NO    orl-0x200+and-before-pushf (IF,ZF)");
	sf_compare(&c, &hw, &sw, SF_SS, &d);
	sb_init(&sb, buf, sizeof(buf));
	sf_format_row(&sb, SF_SS, &d);
	assert_string_equal(buf, "  ss:     0x0000000000000018  0x0000000000000018  yes");
	sf_compare(&c, &hw, &sw, SF_STACK, &d);
	sb_init(&sb, buf, sizeof(buf));
	sf_format_line(&sb, &c, SF_STACK, &d, 0);
	assert_string_equal(buf,
		"softframe case=a547c6-adj0 vector=0xf0 adjust=0 gate_ist=0 or_if=1 slot=stack"
		" hw=cur sw=cur same=yes why=-");
	sf_compare(&c, &hw, &sw, SF_PAD, &d);
	sb_init(&sb, buf, sizeof(buf));
	sf_format_row(&sb, SF_PAD, &d);
	assert_string_equal(buf, "  pad:    8                   8                   yes");
}

/* ------------------------------------------------------------ bt -f */

/* Seed 001, `crash> bt -f` frames #6 and #7, with the author's labels. */
static const uint64_t seed_words[] = {
	0xffffffff84a0108eull,                                   /* bb80 */
	0xffff8ef487c0e9c0ull, 0xffff8ef487c0e9c0ull,
	0x00000000000000feull, 0x00000000006080c0ull,
	0x0072006900560338ull, 0x00000000006080c0ull,
	0x00000000000000feull, 0x0000000000000001ull,
	0x0000000000000001ull, 0xffff8f03dfb28120ull,
	0x0000000000000000ull, 0x0000000000032a9bull,
	0x0000000000032a9aull, 0x00000000006080c0ull,
	0x0000000000028120ull, 0xffffffffffffffffull,
	0xffffffff84287f8bull,                                   /* bc08 */
	0x0000000000000010ull, 0x0000000000010202ull,
	0xffffabfa4b0ebc38ull, 0x0000000000000018ull,
	0xffffffff84288063ull, 0xffffffff845c5e52ull,
	0xffff8f03dee11380ull, 0xffff8efc0658e000ull,
	0xffffffff85cabf80ull, 0x00000000fffffff4ull,
	0x0000000000000000ull, 0x0000000000000000ull,
	0xffffffff845c5e52ull,                                   /* bc70 */
};

static void test_btf_seed001(void **state)
{
	(void)state;
	const char *labels[31] = { 0 };
	labels[1] = "[r15]";
	labels[5] = "[rbp]";
	labels[10] = "[r8]";
	labels[11] = "[ax]";
	labels[12] = "[cx]";
	labels[13] = "[dx]";
	labels[14] = "[si]";
	labels[15] = "[di]";
	labels[16] = "[Error Code]";
	labels[17] = "[ip]";
	labels[18] = "[CS]";
	labels[19] = "[RFLAGS]";
	labels[20] = "[sp]";
	labels[21] = "[ss]";
	const struct btf_frame frames[] = {
		{ 0, "stack_segment" }, { 17, "__kmalloc" }, { 30, "usb_hcd_submit_urb" },
	};
	struct btf_stack s = {
		.base = 0xffffabfa4b0ebb80ull, .words = seed_words, .labels = labels,
		.nwords = 31, .frames = frames, .nframes = 3, .first_frame_no = 6, .end = 31,
	};
	nlines = 0;
	btf_format(&s, sink, 0);
	/* The seed's own lines, labels where its author put them. */
	assert_int_equal(nlines, 19);
	assert_string_equal(lines[0], " #6 [ffffabfa4b0ebb80] stack_segment at ffffffff84a0108e");
	assert_string_equal(lines[1], "    ffffabfa4b0ebb88: ffff8ef487c0e9c0[r15] ffff8ef487c0e9c0");
	assert_string_equal(lines[3], "    ffffabfa4b0ebba8: 0072006900560338[rbp] 00000000006080c0");
	assert_string_equal(lines[5], "    ffffabfa4b0ebbc8: 0000000000000001 ffff8f03dfb28120[r8]");
	assert_string_equal(lines[6], "    ffffabfa4b0ebbd8: 0000000000000000[ax] 0000000000032a9b[cx]");
	assert_string_equal(lines[8], "    ffffabfa4b0ebbf8: 0000000000028120[di] ffffffffffffffff[Error Code]");
	assert_string_equal(lines[9], "    ffffabfa4b0ebc08: ffffffff84287f8b[ip]");
	assert_string_equal(lines[10], " #7 [ffffabfa4b0ebc08] __kmalloc at ffffffff84287f8b");
	assert_string_equal(lines[11], "    ffffabfa4b0ebc10: 0000000000000010[CS] 0000000000010202[RFLAGS]");
	assert_string_equal(lines[12], "    ffffabfa4b0ebc20: ffffabfa4b0ebc38[sp] 0000000000000018[ss]");
	assert_string_equal(lines[13], "    ffffabfa4b0ebc30: ffffffff84288063 ffffffff845c5e52");
	assert_string_equal(lines[17], "    ffffabfa4b0ebc70: ffffffff845c5e52");
	/* frame #8: its header only, no words left to print */
	assert_string_equal(lines[18], " #8 [ffffabfa4b0ebc70] usb_hcd_submit_urb at ffffffff845c5e52");
}

static void test_btf_notes_and_numbers(void **state)
{
	(void)state;
	const uint64_t w[4] = { 0x1000, 1, 2, 3 };
	const char *labels[4] = { 0, "[pad]", 0, 0 };
	const char *notes[4] = { 0, 0, "second", 0 };
	const struct btf_frame frames[] = { { 0, "f" } };
	struct btf_stack s = {
		.base = 0x10, .words = w, .labels = labels, .notes = notes,
		.nwords = 4, .frames = frames, .nframes = 1, .first_frame_no = 12, .end = 4,
	};
	nlines = 0;
	memset(lines, 0, sizeof(lines));
	btf_format(&s, sink, 0);
	assert_int_equal(nlines, 3);
	assert_string_equal(lines[0], "#12 [0000000000000010] f at 0000000000001000");
	assert_string_equal(lines[1], "    0000000000000018: 0000000000000001[pad] 0000000000000002   ; second");
	assert_string_equal(lines[2], "    0000000000000028: 0000000000000003");
}

/* ------------------------------------------------------------ decoder */

static void test_decode_vmcore(void **state)
{
	(void)state;
	struct ptr_decode d;
	ptr_decode(0x0072006900560338ull, &d);
	assert_memory_equal(d.bytes, "\x38\x03\x56\x00\x69\x00\x72\x00", 8);
	assert_string_equal(d.hex, "38:03:56:00:69:00:72:00");
	assert_string_equal(d.ascii, "8.V.i.r.");
	assert_string_equal(d.utf16, "\\u0338Vir");
	assert_string_equal(d.utf16_cps, "U+0338,U+0056,U+0069,U+0072");
	/* 4-level: bits 63:47 must be equal; 0x0072... has bits 54..48 set. */
	assert_false(d.canonical4);
	/* 5-level: bits 63:56 are all 0 (byte 7 is 0x00): canonical. */
	assert_true(d.canonical5);
	/* USB 2.0 9.6.7: bLength 0x38, bDescriptorType 3 = STRING. */
	assert_true(d.usb_string);
	assert_int_equal(d.usb_len, 56);
	assert_string_equal(d.usb_text, "Vir");
}

static void test_decode_other(void **state)
{
	(void)state;
	struct ptr_decode d;
	ptr_decode(0xffff800000000000ull, &d);
	assert_string_equal(d.ascii, "........");
	assert_true(d.canonical4);
	assert_true(d.canonical5);
	assert_false(d.usb_string);
	assert_string_equal(d.usb_text, "");
	/* space, backslash and quote are escaped: record values never hold them */
	ptr_decode(0x0022005c00200041ull, &d);
	assert_string_equal(d.utf16, "A\\u0020\\u005c\\u0022");
	assert_string_equal(d.ascii, "A...\\.\".");
	assert_false(d.usb_string);
	/* odd bLength is not a descriptor */
	ptr_decode(0x0000000000000337ull, &d);
	assert_false(d.usb_string);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_pad8_agrees),
		cmocka_unit_test(test_frame_pad0),
		cmocka_unit_test(test_frame_rf_clear_disagrees),
		cmocka_unit_test(test_frame_unaligned_push),
		cmocka_unit_test(test_frame_pad_written),
		cmocka_unit_test(test_frame_not_zero_extended),
		cmocka_unit_test(test_frame_rip),
		cmocka_unit_test(test_frame_ist),
		cmocka_unit_test(test_frame_line),
		cmocka_unit_test(test_rflags_names),
		cmocka_unit_test(test_softframe_compare),
		cmocka_unit_test(test_softframe_ist),
		cmocka_unit_test(test_softframe_lines),
		cmocka_unit_test(test_btf_seed001),
		cmocka_unit_test(test_btf_notes_and_numbers),
		cmocka_unit_test(test_decode_vmcore),
		cmocka_unit_test(test_decode_other),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
