/* Host unit tests for boot/cmdline.c (cmocka). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/cmdline.h"
#include "probes/model/fmt.h"

/* ------------------------------------------------------------ helpers */

#define MAX_LINES 64
#define LINE_MAX_LEN 512

struct capture {
	unsigned n;       /* callback invocations (may exceed MAX_LINES) */
	char lines[MAX_LINES][LINE_MAX_LEN];
};

static struct capture cap;

static void on_err(void *ctx, const char *line)
{
	struct capture *c = ctx;
	size_t len;

	assert_ptr_equal(c, &cap);
	assert_non_null(line);
	len = strlen(line);
	/* Every line is complete: prefix, quoted text, a closing hint. */
	assert_true(len < LINE_MAX_LEN - 1);
	assert_int_equal(strncmp(line, "cmdline: ", 9), 0);
	assert_int_equal(line[len - 1], ')');
	assert_null(strchr(line, '\n'));
	if (c->n < MAX_LINES)
		snprintf(c->lines[c->n], LINE_MAX_LEN, "%s", line);
	c->n++;
}

/* Parse a NUL-terminated string; returns the error count and checks it
 * matches the number of callback calls. */
static unsigned parse(const char *s, struct options *o)
{
	unsigned errs;

	memset(&cap, 0, sizeof(cap));
	memset(o, 0xa5, sizeof(*o));  /* prove the parser sets every field */
	errs = cmdline_parse(s, strlen(s), o, on_err, &cap);
	assert_int_equal(errs, cap.n);
	return errs;
}

static void assert_defaults(const struct options *o)
{
	assert_int_equal(o->run, family_default_mask());
	assert_int_equal(o->naddrs, 0);
	assert_int_equal(o->repeat, 1);
	assert_false(o->quiet);
	assert_int_equal(o->exit_mode, EXIT_AUTO);
	assert_string_equal(o->matrix_filter, "");
}

/* One bad option: exactly one line, with the given exact text. */
static void expect_one_error(const char *s, const char *line)
{
	struct options o;

	assert_int_equal(parse(s, &o), 1);
	assert_string_equal(cap.lines[0], line);
	assert_defaults(&o);
}

/* One bad option: exactly one line containing the option text quoted and
 * the given hint; the options stay at their defaults. */
static void expect_bad_value(const char *s, const char *hint)
{
	struct options o;
	char quoted[256];

	assert_int_equal(parse(s, &o), 1);
	snprintf(quoted, sizeof(quoted), "cmdline: bad value '%s' ", s);
	assert_int_equal(strncmp(cap.lines[0], quoted, strlen(quoted)), 0);
	assert_non_null(strstr(cap.lines[0], hint));
	assert_defaults(&o);
}

#define ACCEPTED "(accepted: sets=LIST scenario=NAME addr=0xHEX repeat=N " \
		 "quiet exit=qemu|halt|reboot|auto selftest=crash|df matrix=FILTER " \
		 "console=com1|com2|0xPORT|virtio|none baud=N)"

/* ------------------------------------------------------------ defaults */

static void test_selftest_option(void **state)
{
	(void)state;
	struct options o;
	assert_int_equal(parse("selftest=crash", &o), 0);
	assert_int_equal(o.selftest, SELFTEST_CRASH);
	assert_int_equal(parse("selftest=df", &o), 0);
	assert_int_equal(o.selftest, SELFTEST_DF);
	assert_int_equal(parse("selftest=df selftest=none", &o), 0);
	assert_int_equal(o.selftest, SELFTEST_NONE);
	assert_int_equal(parse("selftest=boom", &o), 1);
	assert_int_equal(o.selftest, SELFTEST_NONE);
	assert_non_null(strstr(cap.lines[0], "'selftest=boom' (expected selftest=crash|df|none)"));
	assert_int_equal(parse("selftest", &o), 1);
}

static void test_defaults_function(void **state)
{
	struct options o;

	(void)state;
	memset(&o, 0xa5, sizeof(o));
	options_default(&o);
	assert_defaults(&o);
	for (unsigned i = 0; i < OPT_MAX_ADDRS; i++)
		assert_int_equal(o.addrs[i], 0);
	assert_int_equal(family_default_mask() & RUN(vmcore), RUN(vmcore));
}

static void test_empty_and_blank(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(parse("", &o), 0);
	assert_defaults(&o);
	assert_int_equal(parse("   ", &o), 0);
	assert_defaults(&o);
	assert_int_equal(parse(" \t \t\r\n ", &o), 0);
	assert_defaults(&o);
}

static void test_null_inputs(void **state)
{
	struct options o;

	(void)state;
	memset(&o, 0xa5, sizeof(o));
	assert_int_equal(cmdline_parse(NULL, 0, &o, on_err, &cap), 0);
	assert_defaults(&o);
	memset(&o, 0xa5, sizeof(o));
	assert_int_equal(cmdline_parse(NULL, 100, &o, on_err, &cap), 0);
	assert_defaults(&o);
	/* No output struct: nothing to fill, nothing reported. */
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(cmdline_parse("foo quiet", 9, NULL, on_err, &cap), 0);
	assert_int_equal(cap.n, 0);
	/* No callback: errors are still counted. */
	{
		const char *t = "foo bar=1 quiet repeat=0";

		assert_int_equal(cmdline_parse(t, strlen(t), &o, NULL, NULL), 3);
	}
	assert_true(o.quiet);
}

/* ------------------------------------------------------------ sets= */

static void test_sets_each_name(void **state)
{
	const struct { const char *s; uint32_t mask; } cases[] = {
		{ "sets=seed",            RUN(seed) },
		{ "sets=matrix",          RUN(matrix) },
		{ "sets=frame",           RUN(frame) },
		{ "sets=softframe",       RUN(softframe) },
		{ "sets=prot32",          RUN(prot32) },
		{ "sets=la57",            RUN(la57) },
		{ "sets=fingerprint",     RUN(fingerprint) },
		{ "sets=vmcore-freelist", RUN(vmcore) },
		{ "sets=all",             family_default_mask() },
		{ "sets=none",            0 },
	};
	struct options o;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(cases[i].s, &o), 0);
		assert_int_equal(o.run, cases[i].mask);
		assert_int_equal(o.repeat, 1);
		assert_int_equal(o.naddrs, 0);
	}
}

static void test_sets_lists(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(parse("sets=seed,matrix", &o), 0);
	assert_int_equal(o.run, RUN(seed) | RUN(matrix));
	assert_int_equal(parse("sets=frame,softframe,prot32,la57", &o), 0);
	assert_int_equal(o.run, RUN(frame) | RUN(softframe) | RUN(prot32) | RUN(la57));
	assert_int_equal(parse("sets=none,seed", &o), 0);
	assert_int_equal(o.run, RUN(seed));
	assert_int_equal(parse("sets=seed,all", &o), 0);
	assert_int_equal(o.run, family_default_mask());
	assert_int_equal(parse("sets=seed,seed", &o), 0);
	assert_int_equal(o.run, RUN(seed));
	assert_int_equal(parse("sets=fingerprint,vmcore-freelist", &o), 0);
	assert_int_equal(o.run, RUN(fingerprint) | RUN(vmcore));
	/* The last sets= wins. */
	assert_int_equal(parse("sets=seed sets=matrix", &o), 0);
	assert_int_equal(o.run, RUN(matrix));
	/* A bad sets= does not cancel an earlier good one. */
	assert_int_equal(parse("sets=seed sets=bogus", &o), 1);
	assert_int_equal(o.run, RUN(seed));
}

static void test_sets_errors(void **state)
{
	static const char *const bad[] = {
		"sets", "sets=", "sets=foo", "sets=seed,,matrix", "sets=seed,",
		",", "sets=,seed", "sets=,", "sets=SEED", "sets=seed matrix",
		"sets=seed;matrix", "sets==seed", "sets=seedx", "sets=see",
		"sets=vmcore", "sets=all,bogus",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct options o;
		unsigned errs = parse(bad[i], &o);

		/* "sets=seed matrix" is two words: the second is matrix=
		 * without its value. */
		if (strcmp(bad[i], "sets=seed matrix") == 0) {
			assert_int_equal(errs, 1);
			assert_int_equal(o.run, RUN(seed));
			assert_string_equal(cap.lines[0],
				"cmdline: bad value 'matrix' " CMDLINE_MATRIX_HINT);
			continue;
		}
		if (strcmp(bad[i], ",") == 0) {
			expect_one_error(",", "cmdline: unknown option ',' " ACCEPTED);
			continue;
		}
		/* the hint names every family of probes/families.def that
		 * sets= can name, in run order, then all and none */
		expect_bad_value(bad[i], "(expected sets=NAME[,NAME...] with NAME one of ");
		assert_non_null(strstr(cap.lines[0], " all none)"));
		const char *at = cap.lines[0];
		for (unsigned f = 0; f < FAMILY_COUNT; f++) {
			char word[40];
			if (family_table[f].flags & FAM_ALWAYS) {
				snprintf(word, sizeof(word), " %s ", family_table[f].name);
				assert_null(strstr(cap.lines[0], word));
				continue;
			}
			snprintf(word, sizeof(word), " %s ", family_table[f].name);
			const char *w = strstr(at, word);
			assert_non_null(w);
			at = w + 1;
		}
	}
}

/* ------------------------------------------------------------ scenario= */

static void test_scenario(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(parse("scenario=vmcore-freelist", &o), 0);
	assert_int_equal(o.run, family_default_mask());
	assert_int_equal(parse("scenario=none", &o), 0);
	assert_int_equal(o.run, family_default_mask() & ~RUN(vmcore));
	assert_int_equal(parse("sets=seed scenario=vmcore-freelist", &o), 0);
	assert_int_equal(o.run, RUN(seed) | RUN(vmcore));
	/* Applied after sets= whatever the order on the line. */
	assert_int_equal(parse("scenario=vmcore-freelist sets=seed", &o), 0);
	assert_int_equal(o.run, RUN(seed) | RUN(vmcore));
	assert_int_equal(parse("scenario=none sets=all", &o), 0);
	assert_int_equal(o.run, family_default_mask() & ~RUN(vmcore));
	assert_int_equal(parse("sets=vmcore-freelist,seed scenario=none", &o), 0);
	assert_int_equal(o.run, RUN(seed));
	assert_int_equal(parse("sets=none scenario=vmcore-freelist", &o), 0);
	assert_int_equal(o.run, RUN(vmcore));
	/* Last scenario= wins. */
	assert_int_equal(parse("scenario=none scenario=vmcore-freelist sets=seed", &o), 0);
	assert_int_equal(o.run, RUN(seed) | RUN(vmcore));
	assert_int_equal(parse("scenario=vmcore-freelist scenario=none", &o), 0);
	assert_int_equal(o.run, family_default_mask() & ~RUN(vmcore));
}

static void test_scenario_errors(void **state)
{
	static const char *const bad[] = {
		"scenario", "scenario=", "scenario=vmcore", "scenario=NONE",
		"scenario=all", "scenario=vmcore-freelist,none",
		"scenario=vmcore-freelistx",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad_value(bad[i], "(expected scenario=vmcore-freelist|none)");
	expect_one_error("scenario=foo",
		"cmdline: bad value 'scenario=foo' (expected scenario=vmcore-freelist|none)");
}

/* ------------------------------------------------------------ addr= */

static void test_addr(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(parse("addr=0x1000", &o), 0);
	assert_int_equal(o.naddrs, 1);
	assert_int_equal(o.addrs[0], 0x1000);
	assert_int_equal(o.run, family_default_mask());

	assert_int_equal(parse("addr=0xffffffffffffffff addr=0X0 addr=0xDeadBeef "
			       "addr=0x8000000000000000 addr=0x0000000000000001", &o), 0);
	assert_int_equal(o.naddrs, 5);
	assert_true(o.addrs[0] == UINT64_MAX);
	assert_int_equal(o.addrs[1], 0);
	assert_int_equal(o.addrs[2], 0xdeadbeef);
	assert_true(o.addrs[3] == 0x8000000000000000ull);
	assert_int_equal(o.addrs[4], 1);

	/* Duplicates are kept, order preserved. */
	assert_int_equal(parse("addr=0x5 addr=0x5 addr=0x4", &o), 0);
	assert_int_equal(o.naddrs, 3);
	assert_int_equal(o.addrs[0], 5);
	assert_int_equal(o.addrs[1], 5);
	assert_int_equal(o.addrs[2], 4);
}

static void test_addr_limit(void **state)
{
	char line[1024];
	struct options o;
	size_t n = 0;

	(void)state;
	/* Exactly 16: fine. */
	for (unsigned i = 0; i < OPT_MAX_ADDRS; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "addr=0x%x ", i + 1);
	assert_int_equal(parse(line, &o), 0);
	assert_int_equal(o.naddrs, OPT_MAX_ADDRS);
	for (unsigned i = 0; i < OPT_MAX_ADDRS; i++)
		assert_int_equal(o.addrs[i], i + 1);

	/* 17th: one error naming the limit and the offending option. */
	snprintf(line + n, sizeof(line) - n, "addr=0xabc");
	assert_int_equal(parse(line, &o), 1);
	assert_string_equal(cap.lines[0],
		"cmdline: too many addresses 'addr=0xabc' (at most 16 addr= options)");
	assert_int_equal(o.naddrs, OPT_MAX_ADDRS);
	assert_int_equal(o.addrs[15], 16);

	/* 20 in total: one error per extra one, other options still applied. */
	n = strlen(line);
	snprintf(line + n, sizeof(line) - n, " addr=0x11 quiet addr=0x12\taddr=0x13");
	assert_int_equal(parse(line, &o), 4);
	assert_true(o.quiet);
	assert_int_equal(o.naddrs, OPT_MAX_ADDRS);
	assert_non_null(strstr(cap.lines[3], "'addr=0x13'"));
	assert_non_null(strstr(cap.lines[3], "at most 16"));

	/* A bad addr among them does not take a slot. */
	assert_int_equal(parse("addr=0xg addr=0x2", &o), 1);
	assert_int_equal(o.naddrs, 1);
	assert_int_equal(o.addrs[0], 2);
}

static void test_addr_errors(void **state)
{
	static const char *const bad[] = {
		"addr", "addr=", "addr=0x", "addr=0X", "addr=1000", "addr=4096",
		"addr=x10", "addr=0x12g", "addr=0x-1", "addr=-0x1", "addr=+0x1",
		"addr=0x 1", "addr=0x1,0x2", "addr=00x1", "addr=0xx1",
		"addr=0x10000000000000000",   /* 17 digits: would wrap */
		"addr=0x00000000000000001",   /* 17 digits even if value fits */
		"addr=0xffffffffffffffffffffffffffffffff",
		"addr==0x1", "addr=0x1=",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (strcmp(bad[i], "addr=0x 1") == 0) {
			struct options o;
			/* two words: "addr=0x" bad value, "1" unknown */
			assert_int_equal(parse(bad[i], &o), 2);
			assert_non_null(strstr(cap.lines[0], "bad value 'addr=0x'"));
			assert_non_null(strstr(cap.lines[1], "unknown option '1'"));
			continue;
		}
		expect_bad_value(bad[i],
			"(expected addr=0x followed by 1..16 hex digits)");
	}
}

/* ------------------------------------------------------------ repeat= */

static void test_repeat(void **state)
{
	static const struct { const char *s; unsigned v; } ok[] = {
		{ "repeat=1", 1 }, { "repeat=2", 2 }, { "repeat=10", 10 },
		{ "repeat=999", 999 }, { "repeat=1000", 1000 },
		{ "repeat=0001", 1 }, { "repeat=0000000000000000000000007", 7 },
		{ "repeat=5 repeat=6", 6 },
	};
	struct options o;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(parse(ok[i].s, &o), 0);
		assert_int_equal(o.repeat, ok[i].v);
		assert_int_equal(o.run, family_default_mask());
	}
	/* A bad repeat= keeps the previous good one. */
	assert_int_equal(parse("repeat=7 repeat=0", &o), 1);
	assert_int_equal(o.repeat, 7);
}

static void test_repeat_errors(void **state)
{
	static const char *const bad[] = {
		"repeat", "repeat=", "repeat=0", "repeat=00", "repeat=1001",
		"repeat=4294967296", "repeat=4294967297",
		"repeat=99999999999999999999", "repeat=18446744073709551617",
		"repeat=-1", "repeat=+5", "repeat=1a", "repeat=0x10", "repeat= ",
		"repeat=1.5", "repeat=1e3", "repeat==1",
	};
	(void)state;
	expect_one_error("repeat=0",
		"cmdline: bad value 'repeat=0' (expected repeat=1..1000)");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (strcmp(bad[i], "repeat= ") == 0) {
			struct options o;
			assert_int_equal(parse(bad[i], &o), 1);
			assert_string_equal(cap.lines[0],
				"cmdline: bad value 'repeat=' (expected repeat=1..1000)");
			continue;
		}
		expect_bad_value(bad[i], "(expected repeat=1..1000)");
	}
}

/* ------------------------------------------------------------ quiet */

static void test_quiet(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(parse("quiet", &o), 0);
	assert_true(o.quiet);
	assert_int_equal(o.run, family_default_mask());
	assert_int_equal(parse("quiet quiet", &o), 0);
	assert_true(o.quiet);
	expect_bad_value("quiet=1", "(expected quiet, with no value)");
	expect_bad_value("quiet=", "(expected quiet, with no value)");
	expect_bad_value("quiet=yes", "(expected quiet, with no value)");
	expect_one_error("QUIET", "cmdline: unknown option 'QUIET' " ACCEPTED);
	expect_one_error("quieter", "cmdline: unknown option 'quieter' " ACCEPTED);
}

/* ------------------------------------------------------------ exit= */

static void test_exit(void **state)
{
	static const struct { const char *s; enum exit_mode m; } ok[] = {
		{ "exit=qemu", EXIT_QEMU }, { "exit=halt", EXIT_HALT },
		{ "exit=reboot", EXIT_REBOOT }, { "exit=auto", EXIT_AUTO },
		{ "exit=halt exit=qemu", EXIT_QEMU },
		{ "exit=qemu exit=auto", EXIT_AUTO },
	};
	struct options o;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(parse(ok[i].s, &o), 0);
		assert_int_equal(o.exit_mode, ok[i].m);
	}
	assert_int_equal(parse("exit=reboot exit=poweroff", &o), 1);
	assert_int_equal(o.exit_mode, EXIT_REBOOT);
}

static void test_exit_errors(void **state)
{
	static const char *const bad[] = {
		"exit", "exit=", "exit=QEMU", "exit=poweroff", "exit=qemu,halt",
		"exit=qem", "exit=qemux", "exit=1",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad_value(bad[i], "(expected exit=qemu|halt|reboot|auto)");
	expect_one_error("exit=off",
		"cmdline: bad value 'exit=off' (expected exit=qemu|halt|reboot|auto)");
}

/* ------------------------------------------------------------ unknown */

static void test_unknown(void **state)
{
	(void)state;
	expect_one_error("foo=1", "cmdline: unknown option 'foo=1' " ACCEPTED);
	expect_one_error("foo", "cmdline: unknown option 'foo' " ACCEPTED);
	expect_one_error("=", "cmdline: unknown option '=' " ACCEPTED);
	expect_one_error("=seed", "cmdline: unknown option '=seed' " ACCEPTED);
	expect_one_error("SETS=seed", "cmdline: unknown option 'SETS=seed' " ACCEPTED);
	expect_one_error("set=seed", "cmdline: unknown option 'set=seed' " ACCEPTED);
	expect_one_error("sets.seed", "cmdline: unknown option 'sets.seed' " ACCEPTED);
	expect_one_error("console=tty0", "cmdline: bad value 'console=tty0' (expected console=com1|"
			 "com2|virtio|none|0xPORT, PORT an I/O port 0x1..0xfff8)");
	expect_one_error("--", "cmdline: unknown option '--' " ACCEPTED);
	expect_one_error("'", "cmdline: unknown option ''' " ACCEPTED);
}

static void test_nonprintable_escaped(void **state)
{
	(void)state;
	expect_one_error("foo\x01\x7f\xff",
		"cmdline: unknown option 'foo\\x01\\x7f\\xff' " ACCEPTED);
	expect_one_error("repeat=\x1b[2J",
		"cmdline: bad value 'repeat=\\x1b[2J' (expected repeat=1..1000)");
	/* \v and \f are not separators: part of the word, escaped. */
	expect_one_error("a\vb\fc",
		"cmdline: unknown option 'a\\x0bb\\x0cc' " ACCEPTED);
}

/* ------------------------------------------------------------ kernel path */

static void test_kernel_path(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(parse("/boot/faultprobe.elf", &o), 0);
	assert_defaults(&o);
	assert_int_equal(parse("/boot/faultprobe.elf quiet repeat=3", &o), 0);
	assert_true(o.quiet);
	assert_int_equal(o.repeat, 3);
	assert_int_equal(parse(" \t /faultprobe.elf\tsets=seed ", &o), 0);
	assert_int_equal(o.run, RUN(seed));
	assert_int_equal(parse("/", &o), 0);
	/* Only the first word may be the path. */
	assert_int_equal(parse("quiet /boot/faultprobe.elf", &o), 1);
	assert_string_equal(cap.lines[0],
		"cmdline: unknown option '/boot/faultprobe.elf' " ACCEPTED);
	assert_true(o.quiet);
	assert_int_equal(parse("/a /b", &o), 1);
	assert_non_null(strstr(cap.lines[0], "'/b'"));
	/* A first word that is not a path is parsed normally. */
	assert_int_equal(parse("boot/faultprobe.elf quiet", &o), 1);
	assert_non_null(strstr(cap.lines[0], "unknown option 'boot/faultprobe.elf'"));
}

/* ------------------------------------------------------------ whitespace */

static void test_whitespace(void **state)
{
	static const char *const lines[] = {
		"quiet repeat=5 exit=halt",
		"   quiet repeat=5 exit=halt",
		"quiet repeat=5 exit=halt   ",
		"quiet     repeat=5  exit=halt",
		"\tquiet\trepeat=5\t\texit=halt\t",
		" \t quiet \t repeat=5 \t exit=halt \t ",
		"quiet\r\nrepeat=5\nexit=halt\r\n",
		"/boot/k   quiet \t repeat=5   exit=halt    ",
	};
	struct options o;

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		assert_int_equal(parse(lines[i], &o), 0);
		assert_true(o.quiet);
		assert_int_equal(o.repeat, 5);
		assert_int_equal(o.exit_mode, EXIT_HALT);
		assert_int_equal(o.run, family_default_mask());
	}
	/* Spaces around '=' split the option: each part judged alone. */
	assert_int_equal(parse("repeat = 5", &o), 3);
	assert_int_equal(o.repeat, 1);
}

/* ------------------------------------------------------------ matrix= */

static void test_matrix_filter(void **state)
{
	struct options o;
	char s[96], want[80];

	(void)state;
	assert_int_equal(parse("sets=matrix matrix=slice=edges+ring3,width=8", &o), 0);
	assert_int_equal(o.run, RUN(matrix));
	assert_string_equal(o.matrix_filter, "slice=edges+ring3,width=8");
	/* Stored verbatim once matrix_filter_parse() accepts it. */
	assert_int_equal(parse("matrix=cpl=0,width=1+2+4+8", &o), 0);
	assert_string_equal(o.matrix_filter, "cpl=0,width=1+2+4+8");
	assert_int_equal(o.run, family_default_mask());
	assert_int_equal(parse("matrix=user", &o), 0);
	assert_string_equal(o.matrix_filter, "user");
	/* The last valid one wins; '=' inside the value is part of it. */
	assert_int_equal(parse("matrix=width=8 matrix=cpl=3 quiet", &o), 0);
	assert_string_equal(o.matrix_filter, "cpl=3");
	assert_true(o.quiet);

	/* Exactly 64 bytes of filter: kept whole. */
	snprintf(want, sizeof(want), "%s", "width=2+4+8+16+32,cpl=0+3,op=load+store,seg=none+fs,form=rbp+r15");
	assert_int_equal(strlen(want), 64);
	snprintf(s, sizeof(s), "matrix=%s", want);
	assert_int_equal(parse(s, &o), 0);
	assert_string_equal(o.matrix_filter, want);
	assert_int_equal(strlen(o.matrix_filter), OPT_MATRIX_FILTER_MAX);
}

static void test_matrix_filter_errors(void **state)
{
	static const char *const bad[] = {
		"matrix", "matrix=", "matrix=width=8\x01", "matrix=slice=\x7f",
		"matrix=\xc3\xa9", "matrix=\"\x1b[2J\"",
	};
	struct options o;
	char s[128], want[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i], &o), 1);
		assert_non_null(strstr(cap.lines[0], "' " CMDLINE_MATRIX_HINT));
		assert_int_equal(strncmp(cap.lines[0], "cmdline: bad value 'matrix", 26), 0);
		assert_defaults(&o);
	}
	assert_string_equal(cap.lines[0] + strlen("cmdline: bad value '"),
			    "matrix=\"\\x1b[2J\"' " CMDLINE_MATRIX_HINT);

	/* 65 bytes of filter: too long, one error, nothing stored; the word
	 * (72 bytes) is echoed cut after 64 with "...". */
	memcpy(s, "matrix=", 7);
	memset(s + 7, 'w', 65);
	s[72] = '\0';
	assert_int_equal(parse(s, &o), 1);
	snprintf(want, sizeof(want), "cmdline: bad value '%.64s...' " CMDLINE_MATRIX_HINT, s);
	assert_string_equal(cap.lines[0], want);
	assert_defaults(&o);

	/* A bad matrix= keeps an earlier good one. */
	assert_int_equal(parse("matrix=cpl=0 matrix=", &o), 1);
	assert_string_equal(o.matrix_filter, "cpl=0");
	memcpy(s, "matrix=width=8 ", 15);
	memcpy(s + 15, "matrix=", 7);
	memset(s + 22, 'w', 65);
	s[87] = '\0';
	assert_int_equal(parse(s, &o), 1);
	assert_string_equal(o.matrix_filter, "width=8");
	/* A filter that does not parse is refused as it is read (issue 14 #6:
	 * it went unreported when sets= left the matrix out or a later
	 * matrix= replaced it), with matrix_filter_parse()'s reason. */
	assert_int_equal(parse("sets=seed matrix=slice=nope", &o), 1);
	assert_string_equal(cap.lines[0], "cmdline: bad value 'matrix=slice=nope' (matrix filter: bad value in "
			    "slice=nope) " CMDLINE_MATRIX_HINT);
	assert_string_equal(o.matrix_filter, "");
	assert_int_equal(o.run, RUN(seed));
	assert_int_equal(parse("matrix=slice=nope matrix=width=8", &o), 1);
	assert_string_equal(o.matrix_filter, "width=8");
	assert_int_equal(parse("matrix=width=8 matrix=colour=blue", &o), 1);
	assert_non_null(strstr(cap.lines[0], "(matrix filter: unknown key"));
	assert_string_equal(o.matrix_filter, "width=8");
	/* The hint fits one line and names the form and the limit. */
	assert_non_null(strstr(CMDLINE_MATRIX_HINT, "matrix=KEY=VALUE"));
	assert_non_null(strstr(CMDLINE_MATRIX_HINT, "1..64"));
}

/* ------------------------------------------------------------ combinations */

static void test_combination(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(parse("/boot/faultprobe.elf sets=seed,matrix "
			       "scenario=vmcore-freelist addr=0xffff800000000000 "
			       "addr=0x1 repeat=20 quiet exit=qemu", &o), 0);
	assert_int_equal(o.run, RUN(seed) | RUN(matrix) | RUN(vmcore));
	assert_int_equal(o.naddrs, 2);
	assert_true(o.addrs[0] == 0xffff800000000000ull);
	assert_int_equal(o.addrs[1], 1);
	assert_int_equal(o.repeat, 20);
	assert_true(o.quiet);
	assert_int_equal(o.exit_mode, EXIT_QEMU);
}

static void test_mixed_errors_continue(void **state)
{
	struct options o;

	(void)state;
	assert_int_equal(parse("foo=1 sets=seed repeat=0 quiet addr=xyz "
			       "exit=qemu bar exit=never repeat=3", &o), 5);
	assert_string_equal(cap.lines[0], "cmdline: unknown option 'foo=1' " ACCEPTED);
	assert_string_equal(cap.lines[1],
		"cmdline: bad value 'repeat=0' (expected repeat=1..1000)");
	assert_string_equal(cap.lines[2],
		"cmdline: bad value 'addr=xyz' (expected addr=0x followed by 1..16 hex digits)");
	assert_string_equal(cap.lines[3], "cmdline: unknown option 'bar' " ACCEPTED);
	assert_string_equal(cap.lines[4],
		"cmdline: bad value 'exit=never' (expected exit=qemu|halt|reboot|auto)");
	/* The good ones all applied. */
	assert_int_equal(o.run, RUN(seed));
	assert_true(o.quiet);
	assert_int_equal(o.exit_mode, EXIT_QEMU);
	assert_int_equal(o.repeat, 3);
	assert_int_equal(o.naddrs, 0);
}

/* ------------------------------------------------------------ len / NUL */

static void test_len_limit(void **state)
{
	struct options o;
	char *buf;

	(void)state;
	/* len cuts a word short: only "quiet" is seen. */
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(cmdline_parse("quietXXXX", 5, &o, on_err, &cap), 0);
	assert_true(o.quiet);
	/* "repeat=12" cut to "repeat=1". */
	assert_int_equal(cmdline_parse("repeat=12", 8, &o, on_err, &cap), 0);
	assert_int_equal(o.repeat, 1);
	assert_int_equal(cmdline_parse("repeat=12 quiet", 9, &o, on_err, &cap), 0);
	assert_int_equal(o.repeat, 12);
	assert_false(o.quiet);
	/* len 0: nothing at all. */
	assert_int_equal(cmdline_parse("foo", 0, &o, on_err, &cap), 0);
	assert_defaults(&o);
	/* Cut in the middle of "addr=" leaves a bad value. */
	assert_int_equal(cmdline_parse("addr=0x1234", 7, &o, on_err, &cap), 1);
	assert_non_null(strstr(cap.lines[0], "'addr=0x'"));
	assert_int_equal(o.naddrs, 0);

	/* A heap buffer with no NUL anywhere: ASan catches any overread. */
	static const char text[] = "sets=seed quiet repeat=42 addr=0xabcdef";
	size_t n = sizeof(text) - 1;
	buf = malloc(n);
	assert_non_null(buf);
	memcpy(buf, text, n);
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(cmdline_parse(buf, n, &o, on_err, &cap), 0);
	assert_int_equal(o.run, RUN(seed));
	assert_true(o.quiet);
	assert_int_equal(o.repeat, 42);
	assert_int_equal(o.naddrs, 1);
	assert_int_equal(o.addrs[0], 0xabcdef);
	/* Same, but ending in a bad word right at the edge. */
	memcpy(buf + n - 4, "zzzz", 4);
	assert_int_equal(cmdline_parse(buf, n, &o, on_err, &cap), 1);
	assert_non_null(strstr(cap.lines[0], "'addr=0xabzzzz'"));
	free(buf);
}

static void test_nul_stops(void **state)
{
	static const char s[] = "quiet\0foo=1 repeat=0";
	struct options o;

	(void)state;
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(cmdline_parse(s, sizeof(s), &o, on_err, &cap), 0);
	assert_true(o.quiet);
	assert_int_equal(o.repeat, 1);
	assert_int_equal(cap.n, 0);
	/* len far larger than the string: stops at the NUL. */
	assert_int_equal(cmdline_parse("repeat=9", SIZE_MAX, &o, on_err, &cap), 0);
	assert_int_equal(o.repeat, 9);
	assert_int_equal(cmdline_parse("\0quiet", 6, &o, on_err, &cap), 0);
	assert_false(o.quiet);
}

/* ------------------------------------------------------------ long input */

static void test_long_word_truncated(void **state)
{
	struct options o;
	char *s;
	char expect[512];
	size_t n = 10000;

	(void)state;
	s = malloc(n + 1);
	assert_non_null(s);
	memset(s, 'A', n);
	s[n] = '\0';
	assert_int_equal(parse(s, &o), 1);
	snprintf(expect, sizeof(expect),
		 "cmdline: unknown option '%.64s...' " ACCEPTED, s);
	assert_string_equal(cap.lines[0], expect);

	/* Exactly 64 bytes: shown in full, no ellipsis. */
	s[64] = '\0';
	assert_int_equal(parse(s, &o), 1);
	snprintf(expect, sizeof(expect), "cmdline: unknown option '%s' " ACCEPTED, s);
	assert_string_equal(cap.lines[0], expect);
	/* 65: cut. */
	s[64] = 'A';
	s[65] = '\0';
	assert_int_equal(parse(s, &o), 1);
	assert_non_null(strstr(cap.lines[0], "AAAA...' (accepted"));

	/* A long bad value keeps its key visible and the right hint. */
	memcpy(s, "repeat=", 7);
	memset(s + 7, '9', n - 7);
	s[n] = '\0';
	assert_int_equal(parse(s, &o), 1);
	assert_int_equal(strncmp(cap.lines[0], "cmdline: bad value 'repeat=999", 30), 0);
	assert_non_null(strstr(cap.lines[0], "...' (expected repeat=1..1000)"));
	assert_int_equal(o.repeat, 1);

	/* Worst case for the line buffer: 64 escaped bytes + longest hint. */
	memcpy(s, "sets=", 5);
	memset(s + 5, '\x01', 200);
	s[205] = '\0';
	assert_int_equal(parse(s, &o), 1);
	assert_non_null(strstr(cap.lines[0], " all none)"));
	free(s);
}

static void test_long_garbage(void **state)
{
	struct options o;
	size_t n = 200000, words = 0;
	unsigned char *s;
	uint32_t x = 12345;
	bool in_word = false;

	(void)state;
	s = malloc(n);  /* no terminating NUL */
	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		s[i] = (unsigned char)(x >> 16);
		if (s[i] == '\0')
			s[i] = 'x';
	}
	/* Count the words: every one is garbage, so every one is an error
	 * (bar a leading '/' one, and astronomically unlikely valid ones). */
	for (size_t i = 0; i < n; i++) {
		bool sep = s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n';
		if (!sep && !in_word)
			words++;
		in_word = !sep;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
			continue;
		if (s[i] == '/')
			words--;  /* first word taken as the kernel path */
		break;
	}
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(cmdline_parse((const char *)s, n, &o, on_err, &cap), words);
	assert_int_equal(cap.n, words);
	assert_true(words > 100);
	assert_int_equal(o.naddrs, 0);
	assert_int_equal(o.repeat, 1);

	/* One giant word with separators nowhere: a single error. */
	for (size_t i = 0; i < n; i++)
		s[i] = (unsigned char)('a' + i % 26);
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(cmdline_parse((const char *)s, n, &o, on_err, &cap), 1);
	free(s);
}

/* ------------------------------------------------------------ console= baud= */

static void test_console_and_baud(void **state)
{
	struct options o;

	(void)state;
	/* default: no console= given, 115200 */
	assert_int_equal(parse("", &o), 0);
	assert_false(o.console_given);
	assert_int_equal(o.baud, 115200);
	/* repeatable; the first replaces the default */
	assert_int_equal(parse("console=com2 console=com1 console=0x3e8", &o), 0);
	assert_true(o.console_given);
	assert_int_equal(o.nconsoles, 3);
	assert_int_equal(o.console_ports[0], 0x2f8);
	assert_int_equal(o.console_ports[1], 0x3f8);
	assert_int_equal(o.console_ports[2], 0x3e8);
	assert_false(o.console_virtio);
	assert_int_equal(parse("console=virtio", &o), 0);
	assert_true(o.console_virtio);
	assert_int_equal(o.nconsoles, 0);
	assert_int_equal(parse("console=none", &o), 0);
	assert_true(o.console_given);
	assert_int_equal(o.nconsoles, 0);
	assert_false(o.console_virtio);
	/* at most 4 UARTs: the fifth is one error, the four stay */
	assert_int_equal(parse("console=com1 console=com2 console=0x3e8 console=0x2e8 console=0x100", &o), 1);
	assert_int_equal(o.nconsoles, 4);
	/* the same UART twice (ttyS0 is com1): one error, the log goes there
	 * once (it was written as many times as named) */
	assert_int_equal(parse("console=com1 console=ttyS0 console=com2 console=0x3f8", &o), 2);
	assert_int_equal(o.nconsoles, 2);
	assert_int_equal(o.console_ports[0], 0x3f8);
	assert_int_equal(o.console_ports[1], 0x2f8);
	assert_string_equal(cap.lines[0], "cmdline: duplicate console 'console=ttyS0' (each UART takes the log once)");
	/* bad values: one error each, nothing changed */
	expect_bad_value("console=com3", "(expected console=com1|com2|virtio|none|0xPORT");
	expect_bad_value("console=0x0", "(expected console=");
	expect_bad_value("console=0x10000", "(expected console=");
	expect_bad_value("console=", "(expected console=");
	/* Linux's spelling: ttyS0 is COM1, ttyS1 COM2, with an optional rate */
	assert_int_equal(parse("console=ttyS0,57600 console=ttyS1", &o), 0);
	assert_int_equal(o.nconsoles, 2);
	assert_int_equal(o.console_ports[0], 0x3f8);
	assert_int_equal(o.console_ports[1], 0x2f8);
	assert_int_equal(o.baud, 57600);
	expect_bad_value("console=ttyS0,7", "(expected console=ttyS0,BAUD");
	/* baud: 115200/N whole, N >= 2 (a 16-bit divisor) */
	assert_int_equal(parse("baud=9600", &o), 0);
	assert_int_equal(o.baud, 9600);
	assert_int_equal(parse("baud=57600", &o), 0);
	assert_int_equal(o.baud, 57600);
	expect_bad_value("baud=1", "(expected baud=N with 115200/N a whole number");
	expect_bad_value("baud=10000", "(expected baud=N");
	expect_bad_value("baud=230400", "(expected baud=N");
	expect_bad_value("baud=x", "(expected baud=N");
}

/* The header's cmdline="..." (issue 14 #12: it echoed raw bytes, so an
 * escape sequence reached the terminal and a quote ended the value early). */
static void test_echo_escapes(void **state)
{
	char buf[512];
	struct strbuf sb;
	const char raw[] = "sets=seed x=\"a\\b\" \x1b[2J\x7f\xff";

	(void)state;
	sb_init(&sb, buf, sizeof(buf));
	cmdline_echo(&sb, raw, sizeof(raw), 240);
	assert_string_equal(buf, "cmdline=\"sets=seed x=\\\"a\\\\b\\\" \\x1b[2J\\x7f\\xff\"");
	/* the length bound: a line longer than shown says how long it was */
	char longl[600];
	memset(longl, 'a', sizeof(longl) - 1);
	longl[sizeof(longl) - 1] = '\0';
	sb_init(&sb, buf, sizeof(buf));
	cmdline_echo(&sb, longl, sizeof(longl), 240);
	assert_false(sb.overflow);
	assert_int_equal(strncmp(buf, "cmdline=\"aaaa", 13), 0);
	assert_non_null(strstr(buf, "a...\" (599 bytes)"));
	assert_int_equal(strlen(buf), strlen("cmdline=\"") + 240 + strlen("...\" (599 bytes)"));
	/* NUL ends the line before len */
	sb_init(&sb, buf, sizeof(buf));
	cmdline_echo(&sb, "quiet\0junk", 11, 240);
	assert_string_equal(buf, "cmdline=\"quiet\"");
}

/* issue 14 #1: a line over the limit gets one error line naming the limit. */
static void test_too_long_line(void **state)
{
	(void)state;
	memset(&cap, 0, sizeof(cap));
	cmdline_too_long(5000, on_err, &cap);
	assert_int_equal(cap.n, 1);
	assert_string_equal(cap.lines[0], "cmdline: the command line is 5000 bytes, over the limit of 4095: "
			    "none of it is used and no probe runs (sets=none)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_console_and_baud),
		cmocka_unit_test(test_echo_escapes),
		cmocka_unit_test(test_too_long_line),
		cmocka_unit_test(test_defaults_function),
		cmocka_unit_test(test_selftest_option),
		cmocka_unit_test(test_empty_and_blank),
		cmocka_unit_test(test_null_inputs),
		cmocka_unit_test(test_sets_each_name),
		cmocka_unit_test(test_sets_lists),
		cmocka_unit_test(test_sets_errors),
		cmocka_unit_test(test_scenario),
		cmocka_unit_test(test_scenario_errors),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_addr_limit),
		cmocka_unit_test(test_addr_errors),
		cmocka_unit_test(test_repeat),
		cmocka_unit_test(test_repeat_errors),
		cmocka_unit_test(test_quiet),
		cmocka_unit_test(test_exit),
		cmocka_unit_test(test_exit_errors),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_nonprintable_escaped),
		cmocka_unit_test(test_kernel_path),
		cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_matrix_filter),
		cmocka_unit_test(test_matrix_filter_errors),
		cmocka_unit_test(test_combination),
		cmocka_unit_test(test_mixed_errors_continue),
		cmocka_unit_test(test_len_limit),
		cmocka_unit_test(test_nul_stops),
		cmocka_unit_test(test_long_word_truncated),
		cmocka_unit_test(test_long_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
