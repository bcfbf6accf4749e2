/* Unit tests for report/summary_screen.c: the final page must fit the
 * screen without scrolling (the title stays on row 0, the closing lines at
 * the bottom), cut or wrap what is too wide, and count what does not fit.
 * The console is a fake text grid that scrolls like report/vga.c; the
 * kernel-only pieces (console, CPUID, microcode) are stubbed here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "report/summary_screen.c"   /* static state: one copy per test binary */

/* ------------------------------------------------------------ fake screen */

#define GRID_ROWS 64
#define GRID_COLS 200

static unsigned scols = 80, srows = 25, ccol, crow, scrolls, clears;
static char grid[GRID_ROWS][GRID_COLS + 1];
static bool fake_serial;

static void fake_newline(void)
{
	ccol = 0;
	if (++crow >= srows) {
		memmove(grid[0], grid[1], sizeof(grid[0]) * (srows - 1));
		memset(grid[srows - 1], ' ', scols);
		crow = srows - 1;
		scrolls++;
	}
}

void con_screen_clear(void)
{
	for (unsigned r = 0; r < GRID_ROWS; r++) {
		memset(grid[r], ' ', GRID_COLS);
		grid[r][GRID_COLS] = '\0';
	}
	ccol = crow = 0;
	clears++;
}

void con_screen_write(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n') {
			fake_newline();
			continue;
		}
		if (ccol >= scols)
			fake_newline();
		grid[crow][ccol++] = *s;
	}
}

unsigned con_screen_cols(void) { return scols; }
unsigned con_screen_rows(void) { return srows; }
bool console_has_serial(void) { return fake_serial; }
void console_log_names(struct strbuf *sb) { sb_puts(sb, fake_serial ? "com1" : "none"); }
const char *console_screen_kind(void) { return scols == 80 ? "vga-text" : "framebuffer"; }
static void fake_cpu(struct cpu_fingerprint *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->vendor, "GenuineIntel");
	strcpy(c->brand, "Intel(R) Xeon(R) Gold 6338N CPU @ 2.20GHz");
	c->family = 6;
	c->model = 0x6a;
	c->stepping = 6;
}

/* Row r of the screen as a string without trailing blanks. */
static const char *row_text(unsigned r)
{
	static char buf[GRID_COLS + 1];
	memcpy(buf, grid[r], scols);
	buf[scols] = '\0';
	for (int i = (int)scols - 1; i >= 0 && buf[i] == ' '; i--)
		buf[i] = '\0';
	return buf;
}

static int find_row(const char *needle)
{
	for (unsigned r = 0; r < srows; r++)
		if (strstr(row_text(r), needle))
			return (int)r;
	return -1;
}

/* ------------------------------------------------------------ fixtures */

static void reset(unsigned cols, unsigned rows)
{
	scols = cols;
	srows = rows;
	scrolls = clears = 0;
	fake_serial = false;
	nsets = sets_dropped = 0;
	nfindings = findings_dropped = 0;
	memset(sets, 0, sizeof(sets));
	con_screen_clear();
	clears = 0;
	/* what the scrolling log left on screen before the page */
	for (unsigned i = 0; i < rows + 5; i++)
		con_screen_write("probe id=1 set=seed op=load ... old log line\n");
	scrolls = 0;
	struct run_facts facts = {
		.platform = "metal", .microcode = "0xd000390", .firmware = "uefi",
		.cmdline = "sets=seed,matrix,frame,softframe,prot32,la57,fingerprint,"
			   "vmcore-freelist exit=halt repeat=3 addr=0x1234",
	};
	fake_cpu(&facts.cpu);
	summary_note_run(&facts);
}

static void add_sets(unsigned n)
{
	static const char *const names[] = { "seed", "matrix", "frame", "softframe", "prot32",
					     "la57", "fingerprint", "vmcore", "addr" };
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < (i == 1 ? 2463u : 10u); j++)
			summary_note_probe(names[i % 9], true, j % 3 != 0);
}

static void add_findings(unsigned n)
{
	char b[200];
	for (unsigned i = 0; i < n; i++) {
		snprintf(b, sizeof(b), "finding %u: a long finding line that goes on past the "
			 "eighty column limit of the VGA text screen, so it wraps", i);
		summary_add_finding(b);
	}
}

static const struct summary_totals totals = {
	.platform = "metal", .probes = 2553, .faults = 2553, .unexpected = 0, .disagreements = 851,
};

/* ------------------------------------------------------------ tests */

static void test_fits_vga_without_scrolling(void **state)
{
	(void)state;
	reset(80, 25);
	add_sets(9);
	add_findings(14);
	summary_screen_show(&totals);
	assert_int_equal(clears, 1);
	assert_int_equal(scrolls, 0);
	assert_non_null(strstr(row_text(0), "=== faultprobe summary (no serial port"));
	assert_int_equal(find_row("faultprobe: done probes=2553 faults=2553 unexpected=0"), 23);
	assert_int_equal(find_row("Run complete."), 24);
	assert_int_equal(find_row("disagreements with the manuals' rules: 851 of 2553"), 6);
	assert_true(find_row("matrix       2463 probes  821 disagree") > 0);
	assert_true(find_row("addr ") > 0);
	/* findings that do not fit are counted, not dropped silently */
	assert_true(find_row("more findings in the serial log") > 0);
	assert_int_equal(find_row("old log line"), -1);
	/* nothing reaches the last column (it would wrap on real VGA) */
	for (unsigned r = 0; r < 25; r++)
		assert_true(strlen(row_text(r)) <= 79);
}

static void test_wraps_at_word_boundaries(void **state)
{
	(void)state;
	reset(80, 25);
	add_sets(1);
	add_findings(1);
	summary_screen_show(&totals);
	int r = find_row("  finding 0: a long finding line");
	assert_true(r > 0);
	/* the continuation starts with a whole word, indented by 6 */
	assert_int_equal(strncmp(row_text((unsigned)r + 1), "      ", 6), 0);
	assert_true(row_text((unsigned)r + 1)[6] != ' ');
	assert_int_equal(find_row("more findings"), -1);
	assert_int_equal(scrolls, 0);
}

static void test_large_framebuffer_shows_more(void **state)
{
	(void)state;
	reset(128, 48);
	fake_serial = true;
	add_sets(9);
	add_findings(SUMMARY_MAX_FINDINGS + 2);
	summary_screen_show(&totals);
	assert_int_equal(scrolls, 0);
	assert_non_null(strstr(row_text(0), "(full log on com1)"));
	/* three set cells per row on 128 columns */
	assert_true(find_row("seed ") == find_row("matrix "));
	assert_true(find_row("finding 11:") > 0);
	assert_true(find_row("+2 more findings") > 0);
}

static void test_tiny_screen_keeps_the_verdict(void **state)
{
	(void)state;
	reset(40, 10);
	add_sets(9);
	add_findings(3);
	summary_screen_show(&totals);
	/* the page is longer than the screen: its end (the verdict) stays */
	assert_true(find_row("faultprobe: done probes=2553") >= 0);
	assert_true(find_row("Run complete.") == 9);
	assert_int_equal(scrolls, 0);
}

static void test_no_screen_is_a_no_op(void **state)
{
	(void)state;
	reset(80, 25);
	scols = 0;
	srows = 0;
	summary_screen_show(&totals);
	assert_int_equal(clears, 0);
	scols = 80;
	srows = 25;
}

static void test_set_table_overflow_is_counted(void **state)
{
	(void)state;
	reset(80, 25);
	char names[MAX_SETS + 3][8];
	for (unsigned i = 0; i < MAX_SETS + 3; i++) {
		snprintf(names[i], sizeof(names[i]), "s%u", i);
		summary_note_probe(names[i], false, true);
	}
	summary_screen_show(&totals);
	assert_true(find_row("(+3 probes in further sets)") > 0);
	assert_int_equal(scrolls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fits_vga_without_scrolling),
		cmocka_unit_test(test_wraps_at_word_boundaries),
		cmocka_unit_test(test_large_framebuffer_shows_more),
		cmocka_unit_test(test_tiny_screen_keeps_the_verdict),
		cmocka_unit_test(test_no_screen_is_a_no_op),
		cmocka_unit_test(test_set_table_overflow_is_counted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
