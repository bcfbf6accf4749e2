/* The final summary page (see summary_screen.h). */
#include "summary_screen.h"
#include "console.h"
#include "../probes/model/fmt.h"

#define MAX_SETS     16
#define FINDING_LEN  160
#define PAGE_LINES   64
#define LINE_LEN     160   /* widest line kept; cut to the screen's width */

static struct {
	const char *name;
	unsigned probes, faults, disagree;
} sets[MAX_SETS];
static unsigned nsets, sets_dropped;

static char findings[SUMMARY_MAX_FINDINGS][FINDING_LEN];
static unsigned nfindings, findings_dropped;

static const char *firmware = "?";
static char cmdline[66];   /* "cmdline: \"...\"" fits 80 columns */
static char microcode[24] = "n/a";
static struct cpu_fingerprint cpu;

static void copy_cut(char *dst, unsigned cap, const char *src)
{
	unsigned i = 0;
	for (; src[i] && i + 1 < cap; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	if (src[i] && cap > 4) {   /* cut: mark it */
		dst[cap - 4] = '.';
		dst[cap - 3] = '.';
		dst[cap - 2] = '.';
	}
}

void summary_note_run(const struct run_facts *facts)
{
	cpu = facts->cpu;
	firmware = facts->firmware ? facts->firmware : "-";
	copy_cut(cmdline, sizeof(cmdline), facts->cmdline ? facts->cmdline : "");
	copy_cut(microcode, sizeof(microcode), facts->microcode ? facts->microcode : "n/a");
}

void summary_note_probe(const char *set, bool faulted, bool agrees)
{
	unsigned i = 0;
	for (; i < nsets; i++)
		if (sets[i].name == set || fp_strcmp(sets[i].name, set) == 0)
			break;
	if (i == nsets) {
		if (nsets == MAX_SETS) {
			sets_dropped++;
			return;
		}
		sets[nsets++].name = set;
	}
	sets[i].probes++;
	sets[i].faults += faulted;
	sets[i].disagree += !agrees;
}

void summary_add_finding(const char *line)
{
	if (nfindings == SUMMARY_MAX_FINDINGS) {
		findings_dropped++;
		return;
	}
	copy_cut(findings[nfindings++], FINDING_LEN, line);
}

/* ---------------------------------------------------------------- page */

static char page[PAGE_LINES][LINE_LEN];
static unsigned npage;

static struct strbuf *page_line(struct strbuf *sb)
{
	if (npage == PAGE_LINES)
		npage--;   /* never happens with the limits above; stay in bounds */
	sb_init(sb, page[npage++], LINE_LEN);
	return sb;
}

static void page_text(const char *s)
{
	struct strbuf sb;
	sb_puts(page_line(&sb), s);
}

/* Decimal, right-aligned in `width` columns. */
static void sb_dec_right(struct strbuf *sb, uint64_t v, unsigned width)
{
	unsigned digits = 1;
	for (uint64_t x = v; x >= 10; x /= 10)
		digits++;
	for (; digits < width; digits++)
		sb_putc(sb, ' ');
	sb_dec(sb, v);
}

/* Lays out one finding in rows of at most `width` columns: the first row
 * indented by 2, continuation rows by 6, broken after a space or a comma
 * when one is in the second half of the row, else mid-word.  Returns the
 * number of rows; adds them to the page when `emit`. */
static unsigned wrap_finding(const char *f, unsigned width, bool emit)
{
	const unsigned indent = 2, cont = 6;
	unsigned rows = 0;
	size_t pos = 0, len = fp_strlen(f);
	do {
		unsigned pad = rows ? cont : indent;
		size_t take = width > pad ? width - pad : 1;
		if (len - pos > take) {
			size_t cut = take;
			while (cut > take / 2 && f[pos + cut - 1] != ' ' && f[pos + cut - 1] != ',')
				cut--;
			if (cut > take / 2)
				take = cut;
		} else {
			take = len - pos;
		}
		if (emit) {
			struct strbuf sb;
			page_line(&sb);
			for (unsigned k = 0; k < pad; k++)
				sb_putc(&sb, ' ');
			for (size_t k = 0; k < take; k++)
				sb_putc(&sb, f[pos + k]);
		}
		pos += take;
		while (pos < len && f[pos] == ' ')   /* no leading blanks on the next row */
			pos++;
		rows++;
	} while (pos < len);
	return rows;
}

void summary_screen_show(const struct summary_totals *t)
{
	unsigned cols = con_screen_cols(), rows = con_screen_rows();
	if (!cols || !rows)
		return;
	if (cols > LINE_LEN - 1)
		cols = LINE_LEN - 1;

	struct strbuf sb;
	npage = 0;

	sb_puts(page_line(&sb), "=== faultprobe summary ");
	if (console_has_serial()) {
		sb_puts(&sb, "(full log on ");
		console_log_names(&sb);
		sb_puts(&sb, ") ");
	} else {
		sb_puts(&sb, "(no serial port: this page is the report) ");
	}
	while (sb.len < cols - 1 && !sb.overflow)
		sb_putc(&sb, '=');

	page_line(&sb);
	sb_puts(&sb, "cpu: ");
	sb_puts(&sb, cpu.vendor);
	sb_puts(&sb, " family ");
	sb_hexmin(&sb, cpu.family);
	sb_puts(&sb, " model ");
	sb_hexmin(&sb, cpu.model);
	sb_puts(&sb, " stepping ");
	sb_dec(&sb, cpu.stepping);
	sb_puts(&sb, " microcode ");
	sb_puts(&sb, microcode);
	page_line(&sb);
	sb_puts(&sb, "     \"");
	sb_puts(&sb, cpu.brand);
	sb_puts(&sb, "\"");

	page_line(&sb);
	sb_puts(&sb, "platform=");
	sb_puts(&sb, t->platform);
	sb_puts(&sb, " firmware=");
	sb_puts(&sb, firmware);
	sb_puts(&sb, " hypervisor=");
	sb_puts(&sb, cpu.hypervisor[0] ? cpu.hypervisor : "none");
	sb_puts(&sb, " screen=");
	sb_puts(&sb, console_screen_kind());
	sb_puts(&sb, " serial=");
	console_log_names(&sb);
	page_line(&sb);
	sb_puts(&sb, "cmdline: \"");
	sb_puts(&sb, cmdline);
	sb_puts(&sb, "\"");

	page_line(&sb);
	sb_puts(&sb, "probes=");
	sb_dec(&sb, t->probes);
	sb_puts(&sb, " faults=");
	sb_dec(&sb, t->faults);
	sb_puts(&sb, " unexpected=");
	sb_dec(&sb, t->unexpected);
	page_line(&sb);
	sb_puts(&sb, "disagreements with the manuals' rules: ");
	sb_dec(&sb, t->disagreements);
	sb_puts(&sb, " of ");
	sb_dec(&sb, t->probes);
	sb_puts(&sb, " probes");

	/* Per set: "name  N probes  M disagree", as many cells per line as fit
	 * (two on an 80-column VGA screen). */
	const unsigned cell = 39;
	unsigned per_line = cols >= 2 + 2 * cell ? (cols - 2) / cell : 1;
	if (nsets)
		page_text("per set:");
	for (unsigned i = 0; i < nsets; i += per_line) {
		page_line(&sb);
		sb_puts(&sb, " ");
		for (unsigned j = i; j < nsets && j < i + per_line; j++) {
			size_t start = sb.len;
			sb_putc(&sb, ' ');
			sb_puts(&sb, sets[j].name);
			sb_putc(&sb, ' ');
			sb_pad_to(&sb, start + 13);
			sb_dec_right(&sb, sets[j].probes, 5);
			sb_puts(&sb, " probes ");
			sb_dec_right(&sb, sets[j].disagree, 4);
			sb_puts(&sb, " disagree");
			if (j + 1 < i + per_line)
				sb_pad_to(&sb, start + cell);
		}
	}
	if (sets_dropped) {
		page_line(&sb);
		sb_puts(&sb, "  (+");
		sb_dec(&sb, sets_dropped);
		sb_puts(&sb, " probes in further sets)");
	}

	/* Findings take what is left, keeping the two closing lines; a long
	 * finding wraps onto indented continuation rows. */
	const unsigned tail = 2;
	unsigned room = rows > npage + tail + 1 ? rows - npage - tail - 1 : 0;
	if (nfindings && room) {
		page_text("findings:");
		unsigned width = cols - 1;   /* a full row would wrap by itself */
		unsigned i = 0;
		for (; i < nfindings; i++) {
			unsigned need = wrap_finding(findings[i], width, false);
			/* keep one row for "... more" unless this is the last one */
			unsigned reserve = i + 1 < nfindings || findings_dropped ? 1 : 0;
			if (need + reserve > room)
				break;
			room -= need;
			wrap_finding(findings[i], width, true);
		}
		unsigned more = nfindings - i + findings_dropped;
		if (more) {
			page_line(&sb);
			sb_puts(&sb, "  ... +");
			sb_dec(&sb, more);
			sb_puts(&sb, " more findings in the serial log");
		}
	}


	page_line(&sb);
	sb_puts(&sb, "faultprobe: done");
	sb_kv_dec(&sb, "probes", t->probes);
	sb_kv_dec(&sb, "faults", t->faults);
	sb_kv_dec(&sb, "unexpected", t->unexpected);
	page_text("Run complete. Power off or reset when you have read this page.");

	/* Draw: cut every line at the screen's width; no newline after the
	 * last line so an exactly full screen does not scroll. */
	con_screen_clear();
	unsigned first = npage > rows ? npage - rows : 0;
	for (unsigned i = first; i < npage; i++) {
		char *l = page[i];
		if (fp_strlen(l) >= cols)
			l[cols - 1] = '\0';   /* cols-1: a full row would wrap */
		con_screen_write(l);
		if (i + 1 < npage)
			con_screen_write("\n");
	}
}
