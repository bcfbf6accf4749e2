/* Host unit tests for boot/mb2.c: the multiboot2 command-line tag is taken
 * whole or not at all (issue 14 #1: a line over 511 bytes used to be cut
 * inside a word, so addr=0x00007ffffffffff9 became addr=0x00). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/mman.h>

#include "boot/mb1.h"
#include "boot/mb2.h"

/* A boot information structure with one command-line tag holding `line`
 * (NUL included, as GRUB writes it) and the end tag (Multiboot2 spec 3.6). */
static uint64_t build_mbi(uint8_t *buf, size_t cap, const char *line)
{
	size_t n = strlen(line) + 1, off = 8;
	uint32_t *w;

	assert_true(8 + 8 + n + 7 + 8 <= cap);
	memset(buf, 0, cap);
	w = (uint32_t *)(buf + off);
	w[0] = 1;                       /* type: command line */
	w[1] = (uint32_t)(8 + n);
	memcpy(buf + off + 8, line, n);
	off = (off + 8 + n + 7) & ~(size_t)7;
	w = (uint32_t *)(buf + off);
	w[0] = 0;                       /* end tag */
	w[1] = 8;
	off += 8;
	((uint32_t *)buf)[0] = (uint32_t)off;
	return (uint64_t)(uintptr_t)buf;
}

static _Alignas(8) uint8_t mbi[16384];
static char line[8192];
static struct mb2_info info;

/* "sets=seed quiet quiet ... addr=0x00007ffffffffff9", n bytes long. */
static void long_line(size_t n)
{
	const char *tail = " addr=0x00007ffffffffff9";
	size_t t = strlen(tail), i = 0;

	assert_true(n > t + 9 && n < sizeof(line));
	memcpy(line, "sets=seed", 9);
	i = 9;
	for (; i + 6 + t <= n; i += 6)
		memcpy(line + i, " quiet", 6);
	for (size_t r = n - t - i, j = 0; j < r; j++)   /* pad: " q", " qq", ... */
		line[i + j] = j ? 'q' : ' ';
	i = n - t;
	memcpy(line + i, tail, t + 1);
	assert_int_equal(strlen(line), n);
}

static void test_long_line_taken_whole(void **state)
{
	(void)state;
	/* the reproducer is 9 + 82*6 + 24 = 525 bytes; and up to the limit */
	size_t sizes[] = { 525, 1000, CMDLINE_MAX };
	for (unsigned k = 0; k < 3; k++) {
		long_line(sizes[k]);
		memset(&info, 0xa5, sizeof(info));
		mb2_parse(build_mbi(mbi, sizeof(mbi), line), &info);
		assert_int_equal(info.cmdline_len, sizes[k]);
		assert_string_equal(info.cmdline, line);
		assert_non_null(strstr(info.cmdline, " addr=0x00007ffffffffff9"));
	}
}

static void test_over_limit_refused_whole(void **state)
{
	(void)state;
	long_line(CMDLINE_MAX + 1);
	memset(&info, 0xa5, sizeof(info));
	mb2_parse(build_mbi(mbi, sizeof(mbi), line), &info);
	assert_int_equal(info.cmdline_len, CMDLINE_MAX + 1);
	assert_string_equal(info.cmdline, "");   /* nothing of it kept */
	long_line(5000);
	mb2_parse(build_mbi(mbi, sizeof(mbi), line), &info);
	assert_int_equal(info.cmdline_len, 5000);
	assert_string_equal(info.cmdline, "");
}

static void test_unterminated_tag(void **state)
{
	(void)state;
	/* a tag whose string has no NUL: its length is the tag body's */
	build_mbi(mbi, sizeof(mbi), "sets=seed quiet");
	mbi[8 + 8 + 15] = 'x';                    /* overwrite the NUL */
	memset(&info, 0xa5, sizeof(info));
	mb2_parse((uint64_t)(uintptr_t)mbi, &info);
	assert_int_equal(info.cmdline_len, 16);
	assert_string_equal(info.cmdline, "sets=seed quietx");
}

/* Multiboot 1 as QEMU's -kernel writes it (hw/i386/multiboot.c): flags
 * with MEMORY, CMDLINE and BOOTLOADER; the command line is the kernel's
 * path, a space, then -append's text.  32-bit pointers: the strings live
 * in a page below 4 GiB (MAP_32BIT). */
static uint8_t *low_page(void)
{
	void *p = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	assert_true(p != MAP_FAILED);
	return p;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void test_mb1_qemu(void **state)
{
	(void)state;
	uint8_t *low = low_page();
	uint8_t *info1 = low;
	char *cmd = (char *)low + 512, *name = (char *)low + 256;
	strcpy(cmd, "build/faultprobe.elf sets=seed addr=0x00007ffffffffff9");
	strcpy(name, "qemu");
	memset(info1, 0, 120);
	put32(info1, (1u << 0) | (1u << 2) | (1u << 9));
	put32(info1 + 4, 639);
	put32(info1 + 8, 261120);
	put32(info1 + 16, (uint32_t)(uintptr_t)cmd);
	put32(info1 + 64, (uint32_t)(uintptr_t)name);
	memset(&info, 0, sizeof(info));
	mb1_parse((uint64_t)(uintptr_t)info1, &info);
	assert_string_equal(info.cmdline, "sets=seed addr=0x00007ffffffffff9");
	assert_int_equal(info.cmdline_len, strlen("sets=seed addr=0x00007ffffffffff9"));
	assert_string_equal(info.loader, "qemu");
	assert_int_equal(info.mem_upper_kb, 261120);
	assert_false(info.have_fb);
	/* -append "": only the path */
	strcpy(cmd, "build/faultprobe.elf ");
	mb1_parse((uint64_t)(uintptr_t)info1, &info);
	assert_string_equal(info.cmdline, "");
	/* the same whole-or-nothing limit as multiboot2 */
	memcpy(cmd, "k ", 2);
	memset(cmd + 2, 'q', CMDLINE_MAX + 1);
	cmd[2 + CMDLINE_MAX + 1] = '\0';
	mb1_parse((uint64_t)(uintptr_t)info1, &info);
	assert_int_equal(info.cmdline_len, CMDLINE_MAX + 1);
	assert_string_equal(info.cmdline, "");
	/* no CMDLINE flag: nothing read from the (garbage) pointer */
	put32(info1, 1u << 9);
	put32(info1 + 16, 0xdeadbeef);
	mb1_parse((uint64_t)(uintptr_t)info1, &info);
	assert_string_equal(info.cmdline, "");
	munmap(low, 65536);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_line_taken_whole),
		cmocka_unit_test(test_over_limit_refused_whole),
		cmocka_unit_test(test_unterminated_tag),
		cmocka_unit_test(test_mb1_qemu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
