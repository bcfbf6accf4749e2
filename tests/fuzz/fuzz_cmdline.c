/* libFuzzer target for boot/cmdline.c.
 *
 *   clang -fsanitize=fuzzer,address,undefined -I. tests/fuzz/fuzz_cmdline.c \
 *         boot/cmdline.c report/fmt.c
 * (tests/fuzz/run-fuzz.sh does this and runs it.)
 *
 * The input bytes are the command line, passed with len = size and no NUL
 * terminator, so ASan flags any read past `len`.  Besides memory safety the
 * target checks the documented contract and aborts on any violation:
 *   - the return value equals the number of on_error() calls;
 *   - every error line is non-empty, starts with "cmdline: ", is short,
 *     printable ASCII only, and ends with the ')' of its hint;
 *   - *out stays within range (naddrs <= OPT_MAX_ADDRS, repeat 1..1000,
 *     a known exit mode, only RUN_* bits set, matrix_filter a NUL-terminated
 *     string of at most OPT_MATRIX_FILTER_MAX printable non-blank bytes);
 *   - stopping at len and stopping at a NUL give the same result, and a
 *     second parse of the same bytes gives the same result.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

#define RUN_ALL_BITS (family_default_mask() | RUN(vmcore))

struct counter {
	unsigned calls;
};

static void on_err(void *ctx, const char *line)
{
	struct counter *c = ctx;
	size_t n;

	CHECK(line != NULL);
	n = strlen(line);
	CHECK(n > 9 && n < 511);
	CHECK(memcmp(line, "cmdline: ", 9) == 0);
	CHECK(line[n - 1] == ')');
	for (size_t i = 0; i < n; i++)
		CHECK(line[i] >= 0x20 && line[i] < 0x7f);
	c->calls++;
}

static void check_options(const struct options *o)
{
	CHECK(o->naddrs <= OPT_MAX_ADDRS);
	CHECK(o->repeat >= 1 && o->repeat <= 1000);
	CHECK(o->exit_mode == EXIT_AUTO || o->exit_mode == EXIT_QEMU ||
	      o->exit_mode == EXIT_HALT || o->exit_mode == EXIT_REBOOT);
	CHECK((o->run & ~(uint32_t)RUN_ALL_BITS) == 0);
	CHECK(o->quiet == false || o->quiet == true);
	size_t n = 0;
	while (n < sizeof(o->matrix_filter) && o->matrix_filter[n])
		n++;
	CHECK(n <= OPT_MATRIX_FILTER_MAX);
	for (size_t i = 0; i < n; i++)
		CHECK(o->matrix_filter[i] > 0x20 && o->matrix_filter[i] < 0x7f);
}

static int same_options(const struct options *a, const struct options *b)
{
	if (a->run != b->run || a->naddrs != b->naddrs || a->repeat != b->repeat ||
	    a->quiet != b->quiet || a->exit_mode != b->exit_mode ||
	    strcmp(a->matrix_filter, b->matrix_filter) != 0)
		return 0;
	for (unsigned i = 0; i < a->naddrs; i++)
		if (a->addrs[i] != b->addrs[i])
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct options o1, o2;
	struct counter c1 = { 0 }, c2 = { 0 };
	unsigned e1, e2;
	char *copy;

	/* 1: exactly `size` bytes, no terminator. */
	memset(&o1, 0x5a, sizeof(o1));
	e1 = cmdline_parse((const char *)data, size, &o1, on_err, &c1);
	CHECK(e1 == c1.calls);
	check_options(&o1);

	/* 2: same bytes NUL-terminated, len unbounded: must stop at the
	 * first NUL and agree with run 1 up to there. */
	copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	memset(&o2, 0xa5, sizeof(o2));
	e2 = cmdline_parse(copy, SIZE_MAX, &o2, on_err, &c2);
	CHECK(e2 == c2.calls);
	check_options(&o2);
	CHECK(e1 == e2);
	CHECK(same_options(&o1, &o2));

	/* 3: no callback: same count, same result. */
	e2 = cmdline_parse(copy, size, &o2, NULL, NULL);
	CHECK(e1 == e2);
	CHECK(same_options(&o1, &o2));
	free(copy);
	return 0;
}
