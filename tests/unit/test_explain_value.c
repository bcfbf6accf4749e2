/* fpexplain's value decoder: text, poison, KASAN shadow, hardened freelist.
 * Expected values worked out by hand from include/linux/poison.h, the
 * KASAN shadow mapping and mm/slub.c freelist_ptr(). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "tools/fpexplain/valdecode.h"

static bool has_line(const struct fx_value *v, const char *needle)
{
	for (unsigned i = 0; i < v->nlines; i++)
		if (strstr(v->lines[i], needle))
			return true;
	return false;
}

/* The seed's freelist word: bytes 38 03 56 00 69 00 72 00 = UTF-16LE
 * U+0338 'V' 'i' 'r'; bLength 0x38, bDescriptorType 3 (USB string). */
static void test_seed_text(void **state)
{
	struct fx_value v;

	(void)state;
	fx_value_decode(0x0072006900560338ull, 4, NULL, &v);
	assert_string_equal(v.hex, "38:03:56:00:69:00:72:00");
	assert_true(v.text_utf16);
	assert_string_equal(v.kind, "utf16-text");
	assert_true(v.usb_string);
	assert_true(has_line(&v, "\\u0338Vir"));
	assert_false(v.kasan);
}

static void test_poison(void **state)
{
	struct fx_value v;

	(void)state;
	fx_value_decode(0x6b6b6b6b6b6b6b73ull, 4, NULL, &v);   /* POISON_FREE + 8 */
	assert_non_null(v.poison);
	assert_true(v.poison_off == 8);
	assert_string_equal(v.kind, "poison");
	fx_value_decode(0xdead000000000122ull, 4, NULL, &v);   /* LIST_POISON2 */
	assert_non_null(strstr(v.poison, "LIST_POISON2"));
	fx_value_decode(0xccccccccccccccccull, 4, NULL, &v);
	assert_non_null(strstr(v.poison, "0xcc"));
	fx_value_decode(0x5a5a5a5a5a5a5a5aull, 4, NULL, &v);
	assert_non_null(strstr(v.poison, "POISON_INUSE"));
	fx_value_decode(0xffff888100000000ull, 4, NULL, &v);   /* an ordinary pointer */
	assert_null(v.poison);
	assert_false(v.kasan);
	assert_string_equal(v.kind, "-");
}

/* KASAN: shadow(a) = (a >> 3) + 0xdffffc0000000000.  The syzbot jfs oops
 * accessed 0xfbd59c0000000021 = shadow(0xdead000000000108), and a NULL
 * dereference's shadow is 0xdffffc0000000001 = shadow(8..15). */
static void test_kasan(void **state)
{
	struct fx_value v;

	(void)state;
	fx_value_decode(0xfbd59c0000000021ull, 4, NULL, &v);
	assert_true(v.kasan && v.kasan_addr == 0xdead000000000108ull);
	assert_true(has_line(&v, "LIST_POISON1"));
	fx_value_decode(0xdffffc0000000001ull, 4, NULL, &v);
	assert_true(v.kasan && v.kasan_addr == 8);
	assert_true(has_line(&v, "NULL pointer"));
	/* a canonical kernel address outside the shadow region is not shadow */
	fx_value_decode(0xffff8801381b1bc8ull, 4, NULL, &v);
	assert_false(v.kasan);
	/* 5-level paging: ffa0... is canonical and not 4-level shadow */
	fx_value_decode(0xffa00000048efbb8ull, 5, NULL, &v);
	assert_false(v.kasan);
}

/* freelist_ptr(): stored = ptr ^ s->random ^ swab(ptr_addr) (5.7+), or
 * ^ ptr_addr before; undone with the same XOR. */
static void test_freelist(void **state)
{
	struct fx_value v;
	struct fx_freelist_in fl = { true, true, 0x1234, 0xffff888100000010ull };

	(void)state;
	fx_value_decode(0x6b6b6b6b6b6b6b6bull, 4, &fl, &v);
	assert_true(has_line(&v, "0x7b6b6b6beae386a0"));     /* swab(ptr_addr) = 0x100000008188ffff */
	assert_true(has_line(&v, "0x9494e3ea6b6b794f"));
	fl.have_addr = false;
	fx_value_decode(0x6b6b6b6b6b6b6b6bull, 4, &fl, &v);
	assert_false(has_line(&v, "undone"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_text),
		cmocka_unit_test(test_poison),
		cmocka_unit_test(test_kasan),
		cmocka_unit_test(test_freelist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
