/* Boot command-line parser (see cmdline.h).  Freestanding: no libc, only the
 * bounded string helpers of report/fmt.h.
 *
 * Grammar
 * -------
 *   cmdline   := sep* ( word ( sep+ word )* )? sep*
 *   sep       := ' ' | '\t' | '\r' | '\n'
 *   word      := any run of bytes other than sep and NUL
 *
 *   The line ends at the first NUL or after `len` bytes, whichever comes
 *   first.  Each word is one option, split at its first '=' into key and
 *   value.  Keys and values are case-sensitive, except the hex digits and the
 *   "0x"/"0X" prefix of addr=.
 *
 *   The first word is ignored silently when it starts with '/': GRUB passes
 *   the kernel's own path there in some configurations.  A later word
 *   starting with '/' is an unknown option like any other.
 *
 *   option    := "sets=" name ( "," name )*
 *              | "scenario=" ( "vmcore-freelist" | "none" )
 *              | "addr=" ( "0x" | "0X" ) hexdigit{1,16}
 *              | "repeat=" digit+            value 1..1000 (leading zeros ok)
 *              | "quiet"                     no value, not even "quiet="
 *              | "exit=" ( "qemu" | "halt" | "reboot" | "auto" )
 *              | "selftest=" ( "crash" | "df" | "none" )
 *              | "matrix=" fchar{1,64}      fchar: printable ASCII ('!'..'~')
 *              | "console=" ( "com1" | "com2" | "virtio" | "none" | "0x" hexdigit{1,4}
 *                             | "ttyS0" | "ttyS1" ) [ "," baud ]   (ttyS: Linux's names)
 *              | "baud=" digit+             115200 / value a whole number, value >= 2
 *   name      := "seed" | "matrix" | "frame" | "softframe" | "prot32" | "la57"
 *              | "fingerprint" | "vmcore-freelist" | "all" | "none"
 *
 * Semantics
 * ---------
 *   sets=      replaces the default mask with the union of the named sets
 *              (probes/families.def; "all" = the default ones, "none" =
 *              nothing).  When given more than once, the last valid one
 *              wins.
 *   scenario=  applied after sets= regardless of order on the line:
 *              vmcore-freelist adds RUN(vmcore), none removes it; the last
 *              valid scenario= wins.
 *   addr=      appends to out->addrs (duplicates kept) up to OPT_MAX_ADDRS;
 *              each further addr= is an error and is dropped.
 *   repeat=, exit=, baud=: the last valid one wins.  quiet: sets out->quiet.
 *   console=   repeatable: the first valid one replaces the default log
 *              consoles, each adds one (at most 4 UARTs, plus virtio);
 *              console=none alone leaves only the screen.
 *   matrix=    copies FILTER into out->matrix_filter; the last valid one
 *              wins.  Its length, its bytes and its syntax
 *              (matrix_filter_parse(), probes/model/matrix_desc.h; docs/
 *              matrix.md, e.g. matrix=slice=edges+ring3,width=8) are all
 *              checked here, whether or not the matrix set runs.
 *
 * Errors
 * ------
 *   Each bad word produces exactly one on_error() line and is otherwise
 *   ignored (what it would have changed keeps its previous value); parsing
 *   continues with the next word.  Forms:
 *     cmdline: unknown option 'TEXT' (accepted: ...)
 *     cmdline: bad value 'TEXT' (expected ...)
 *     cmdline: too many addresses 'TEXT' (at most 16 addr= options)
 *     cmdline: bad value 'matrix=TEXT' (matrix filter: WHY) (expected
 *       matrix=...)                                 [CMDLINE_MATRIX_HINT]
 *   TEXT is the word as written, cut after 64 bytes with "..." and with
 *   bytes outside printable ASCII shown as \xNN.  Numbers never wrap: 17 or
 *   more hex digits, or a repeat= above 1000 of any length, is a bad value.
 */
#include "cmdline.h"
#include "../probes/model/fmt.h"
#include "../probes/model/matrix_desc.h"

#define ERR_TEXT_MAX   64   /* option bytes echoed in an error line */
#define ERR_LINE_SIZE  512  /* fits prefix + 64 escaped bytes + longest hint */
#define REPEAT_MAX     1000u

static const char accepted_hint[] =
	"(accepted: sets=LIST scenario=NAME addr=0xHEX repeat=N quiet "
	"exit=qemu|halt|reboot|auto selftest=crash|df matrix=FILTER "
	"console=com1|com2|0xPORT|virtio|none baud=N)";

/* "(expected sets=NAME[,NAME...] with NAME one of seed matrix ... all
 * none)", from the family registry (probes/families.def). */
static const char *sets_hint(void)
{
	static char hint[400];
	struct strbuf sb;

	if (hint[0])
		return hint;
	sb_init(&sb, hint, sizeof(hint));
	sb_puts(&sb, "(expected sets=NAME[,NAME...] with NAME one of");
	for (unsigned i = 0; i < FAMILY_COUNT; i++) {
		if (family_table[i].flags & FAM_ALWAYS)
			continue;
		sb_putc(&sb, ' ');
		sb_puts(&sb, family_table[i].name);
	}
	sb_puts(&sb, " all none)");
	return hint;
}

enum scenario_req { SCEN_UNSET, SCEN_ADD, SCEN_REMOVE };

struct parse_state {
	struct options *out;
	cmdline_error_fn on_error;
	void *ctx;
	unsigned errors;
	bool sets_given;
	uint32_t sets_mask;
	enum scenario_req scenario;
};

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Does the n-byte slice s equal the NUL-terminated literal lit? */
static bool slice_eq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (lit[i] == '\0' || s[i] != lit[i])
			return false;
	}
	return lit[i] == '\0';
}

void cmdline_echo(struct strbuf *sb, const char *s, size_t len, size_t max_shown)
{
	size_t n = 0;

	while (n < len && s[n])
		n++;
	sb_puts(sb, "cmdline=\"");
	for (size_t i = 0; i < n && i < max_shown; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			sb_putc(sb, '\\');
			sb_putc(sb, (char)c);
		} else if (c >= 0x20 && c < 0x7f) {
			sb_putc(sb, (char)c);
		} else {
			sb_puts(sb, "\\x");
			sb_putc(sb, "0123456789abcdef"[c >> 4]);
			sb_putc(sb, "0123456789abcdef"[c & 15]);
		}
	}
	sb_puts(sb, n > max_shown ? "...\" (" : "\"");
	if (n > max_shown) {
		sb_dec(sb, n);
		sb_puts(sb, " bytes)");
	}
}

void cmdline_too_long(size_t total, cmdline_error_fn on_error, void *ctx)
{
	char line[ERR_LINE_SIZE];
	struct strbuf sb;

	sb_init(&sb, line, sizeof(line));
	sb_puts(&sb, "cmdline: the command line is ");
	sb_dec(&sb, total);
	sb_puts(&sb, " bytes, over the limit of ");
	sb_dec(&sb, CMDLINE_MAX);
	sb_puts(&sb, ": none of it is used and no probe runs (sets=none)");
	if (on_error)
		on_error(ctx, line);
}

/* Echo up to ERR_TEXT_MAX bytes of the word, escaping non-printables. */
static void put_option_text(struct strbuf *sb, const char *s, size_t n)
{
	size_t shown = n > ERR_TEXT_MAX ? ERR_TEXT_MAX : n;

	for (size_t i = 0; i < shown; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f) {
			sb_putc(sb, (char)c);
		} else {
			sb_puts(sb, "\\x");
			sb_hex(sb, c, 2);
		}
	}
	if (n > shown)
		sb_puts(sb, "...");
}

static void report(struct parse_state *st, const char *what,
		   const char *word, size_t n, const char *hint)
{
	char line[ERR_LINE_SIZE];
	struct strbuf sb;

	st->errors++;
	if (!st->on_error)
		return;
	sb_init(&sb, line, sizeof(line));
	sb_puts(&sb, "cmdline: ");
	sb_puts(&sb, what);
	sb_puts(&sb, " '");
	put_option_text(&sb, word, n);
	sb_puts(&sb, "' ");
	sb_puts(&sb, hint);
	st->on_error(st->ctx, line);
}

static void report_too_many(struct parse_state *st, const char *word, size_t n)
{
	char hint[48];
	struct strbuf sb;

	sb_init(&sb, hint, sizeof(hint));
	sb_puts(&sb, "(at most ");
	sb_dec(&sb, OPT_MAX_ADDRS);
	sb_puts(&sb, " addr= options)");
	report(st, "too many addresses", word, n, hint);
}

static bool parse_sets(const char *v, size_t n, uint32_t *mask)
{
	uint32_t m = 0;
	size_t start = 0;

	if (n == 0)
		return false;
	while (start <= n) {
		size_t end = start;
		bool found = false;

		while (end < n && v[end] != ',')
			end++;
		int fam = family_find(v + start, (unsigned)(end - start));
		if (fam >= 0) {
			m |= RUN_BIT(fam);
			found = true;
		} else if (slice_eq(v + start, end - start, "all")) {
			m |= family_default_mask();
			found = true;
		} else if (slice_eq(v + start, end - start, "none")) {
			found = true;
		}
		if (!found)
			return false;  /* unknown or empty name */
		start = end + 1;   /* past the comma, or past the end */
	}
	*mask = m;
	return true;
}

static bool parse_hex(const char *v, size_t n, uint64_t *val)
{
	uint64_t x = 0;

	if (n < 3 || n > 2 + 16 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X'))
		return false;
	for (size_t i = 2; i < n; i++) {
		int d = fp_hex_digit(v[i]);

		if (d < 0)
			return false;
		x = (x << 4) | (uint64_t)d;
	}
	*val = x;
	return true;
}

/* A decimal 1..max (leading zeros ok); never wraps. */
static bool parse_repeat_range(const char *v, size_t n, unsigned max, unsigned *val)
{
	unsigned x = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		x = x * 10 + (unsigned)(v[i] - '0');
		if (x > max)
			return false;  /* checked every digit: cannot wrap */
	}
	if (x < 1)
		return false;
	*val = x;
	return true;
}

static bool parse_repeat(const char *v, size_t n, unsigned *val)
{
	return parse_repeat_range(v, n, REPEAT_MAX, val);
}

/* matrix=: 1..OPT_MATRIX_FILTER_MAX printable, non-blank bytes. */
static bool parse_matrix_filter(const char *v, size_t n, char *out)
{
	volatile char *dst = out;  /* no memcpy() from the compiler */

	if (n == 0 || n > OPT_MATRIX_FILTER_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (v[i] <= ' ' || v[i] > '~')
			return false;
	for (size_t i = 0; i < n; i++)
		dst[i] = v[i];
	dst[n] = '\0';
	return true;
}

static void parse_word(struct parse_state *st, const char *w, size_t n)
{
	struct options *out = st->out;
	size_t klen = 0;
	const char *v;
	size_t vlen;
	bool has_value;

	while (klen < n && w[klen] != '=')
		klen++;
	has_value = klen < n;
	v = w + klen + (has_value ? 1 : 0);
	vlen = has_value ? n - klen - 1 : 0;

	if (slice_eq(w, klen, "quiet")) {
		if (has_value)
			report(st, "bad value", w, n, "(expected quiet, with no value)");
		else
			out->quiet = true;
		return;
	}
	if (slice_eq(w, klen, "sets")) {
		uint32_t mask;

		if (has_value && parse_sets(v, vlen, &mask)) {
			st->sets_given = true;
			st->sets_mask = mask;
		} else {
			report(st, "bad value", w, n, sets_hint());
		}
		return;
	}
	if (slice_eq(w, klen, "scenario")) {
		if (has_value && slice_eq(v, vlen, "vmcore-freelist"))
			st->scenario = SCEN_ADD;
		else if (has_value && slice_eq(v, vlen, "none"))
			st->scenario = SCEN_REMOVE;
		else
			report(st, "bad value", w, n,
			       "(expected scenario=vmcore-freelist|none)");
		return;
	}
	if (slice_eq(w, klen, "addr")) {
		uint64_t a;

		if (!has_value || !parse_hex(v, vlen, &a))
			report(st, "bad value", w, n,
			       "(expected addr=0x followed by 1..16 hex digits)");
		else if (out->naddrs >= OPT_MAX_ADDRS)
			report_too_many(st, w, n);
		else
			out->addrs[out->naddrs++] = a;
		return;
	}
	if (slice_eq(w, klen, "repeat")) {
		unsigned r;

		if (has_value && parse_repeat(v, vlen, &r))
			out->repeat = r;
		else
			report(st, "bad value", w, n, "(expected repeat=1..1000)");
		return;
	}
	if (slice_eq(w, klen, "exit")) {
		if (has_value && slice_eq(v, vlen, "qemu"))
			out->exit_mode = EXIT_QEMU;
		else if (has_value && slice_eq(v, vlen, "halt"))
			out->exit_mode = EXIT_HALT;
		else if (has_value && slice_eq(v, vlen, "reboot"))
			out->exit_mode = EXIT_REBOOT;
		else if (has_value && slice_eq(v, vlen, "auto"))
			out->exit_mode = EXIT_AUTO;
		else
			report(st, "bad value", w, n,
			       "(expected exit=qemu|halt|reboot|auto)");
		return;
	}
	if (slice_eq(w, klen, "selftest")) {
		if (has_value && slice_eq(v, vlen, "crash"))
			out->selftest = SELFTEST_CRASH;
		else if (has_value && slice_eq(v, vlen, "df"))
			out->selftest = SELFTEST_DF;
		else if (has_value && slice_eq(v, vlen, "none"))
			out->selftest = SELFTEST_NONE;
		else
			report(st, "bad value", w, n, "(expected selftest=crash|df|none)");
		return;
	}
	if (slice_eq(w, klen, "matrix")) {
		char text[OPT_MATRIX_FILTER_MAX + 1], why[120], hint[ERR_LINE_SIZE];
		struct matrix_filter f;
		struct strbuf sb;

		if (!has_value || !parse_matrix_filter(v, vlen, text)) {
			report(st, "bad value", w, n, CMDLINE_MATRIX_HINT);
			return;
		}
		/* Checked here, as it is read: a bad filter gets its error line
		 * even when sets= leaves the matrix out or a later matrix=
		 * replaces it (issue 14 #6). */
		matrix_filter_all(&f);
		if (!matrix_filter_parse(text, &f, why, sizeof(why))) {
			sb_init(&sb, hint, sizeof(hint));
			sb_putc(&sb, '(');
			sb_puts(&sb, why);
			sb_puts(&sb, ") " CMDLINE_MATRIX_HINT);
			report(st, "bad value", w, n, hint);
			return;
		}
		for (unsigned i = 0; i <= vlen; i++)
			out->matrix_filter[i] = text[i];
		return;
	}
	if (slice_eq(w, klen, "console")) {
		uint64_t port = 0;
		unsigned baud = 0;
		/* Linux's spelling too: ttyS0 = COM1, ttyS1 = COM2, ",BAUD" */
		size_t comma = 0;
		while (has_value && comma < vlen && v[comma] != ',')
			comma++;
		if (has_value && comma < vlen && (slice_eq(v, comma, "ttyS0") || slice_eq(v, comma, "ttyS1"))) {
			if (!parse_repeat_range(v + comma + 1, vlen - comma - 1, 115200, &baud) ||
			    baud < 2 || 115200 % baud) {
				report(st, "bad value", w, n,
				       "(expected console=ttyS0,BAUD with 115200/BAUD a whole number)");
				return;
			}
			vlen = comma;
		}
		bool virtio = has_value && slice_eq(v, vlen, "virtio");
		bool none = has_value && slice_eq(v, vlen, "none");
		if (has_value && (slice_eq(v, vlen, "com1") || slice_eq(v, vlen, "ttyS0")))
			port = 0x3F8;
		else if (has_value && (slice_eq(v, vlen, "com2") || slice_eq(v, vlen, "ttyS1")))
			port = 0x2F8;
		else if (has_value && !virtio && !none &&
			 (!parse_hex(v, vlen, &port) || port == 0 || port > 0xFFF8))
			port = ~0ull;
		if (!has_value || port == ~0ull) {
			report(st, "bad value", w, n,
			       "(expected console=com1|com2|virtio|none|0xPORT, PORT an I/O port"
			       " 0x1..0xfff8)");
			return;
		}
		if (!out->console_given) {
			out->console_given = true;
			out->nconsoles = 0;
			out->console_virtio = false;
		}
		if (baud)
			out->baud = baud;
		if (virtio) {
			out->console_virtio = true;
		} else if (port) {
			/* the same UART twice would write every line twice */
			for (unsigned i = 0; i < out->nconsoles; i++)
				if (out->console_ports[i] == port) {
					report(st, "duplicate console", w, n,
					       "(each UART takes the log once)");
					return;
				}
			if (out->nconsoles >= OPT_MAX_CONSOLES)
				report(st, "too many consoles", w, n, "(at most 4 UARTs)");
			else
				out->console_ports[out->nconsoles++] = (uint16_t)port;
		}
		return;
	}
	if (slice_eq(w, klen, "baud")) {
		unsigned b;
		/* 115200 / N must be a whole 16-bit divisor (16550 DLL/DLM) */
		if (has_value && parse_repeat_range(v, vlen, 115200, &b) && b >= 2 && 115200 % b == 0)
			out->baud = b;
		else
			report(st, "bad value", w, n,
			       "(expected baud=N with 115200/N a whole number, N >= 2: e.g. 9600, 57600, 115200)");
		return;
	}
	report(st, "unknown option", w, n, accepted_hint);
}

void options_default(struct options *out)
{
	out->run = family_default_mask();
	/* volatile: keep the compiler from turning this loop into a memset()
	 * call, which the freestanding kernel does not provide. */
	for (volatile unsigned i = 0; i < OPT_MAX_ADDRS; i++)
		out->addrs[i] = 0;
	out->naddrs = 0;
	out->repeat = 1;
	out->quiet = false;
	out->exit_mode = EXIT_AUTO;
	out->selftest = SELFTEST_NONE;
	for (volatile unsigned i = 0; i < sizeof(out->matrix_filter); i++)
		out->matrix_filter[i] = '\0';
	out->console_given = false;
	for (volatile unsigned i = 0; i < OPT_MAX_CONSOLES; i++)
		out->console_ports[i] = 0;
	out->nconsoles = 0;
	out->console_virtio = false;
	out->baud = 115200;
}

unsigned cmdline_parse(const char *cmdline, size_t len, struct options *out,
		       cmdline_error_fn on_error, void *ctx)
{
	struct parse_state st = {
		.out = out,
		.on_error = on_error,
		.ctx = ctx,
		.errors = 0,
		.sets_given = false,
		.sets_mask = 0,
		.scenario = SCEN_UNSET,
	};
	size_t i = 0;
	bool first = true;

	if (!out)
		return 0;
	options_default(out);
	if (!cmdline)
		len = 0;

	for (;;) {
		size_t start;

		while (i < len && cmdline[i] != '\0' && is_sep(cmdline[i]))
			i++;
		if (i >= len || cmdline[i] == '\0')
			break;
		start = i;
		while (i < len && cmdline[i] != '\0' && !is_sep(cmdline[i]))
			i++;
		if (!(first && cmdline[start] == '/'))
			parse_word(&st, cmdline + start, i - start);
		first = false;
	}

	if (st.sets_given)
		out->run = st.sets_mask;
	if (st.scenario == SCEN_ADD)
		out->run |= RUN(vmcore);
	else if (st.scenario == SCEN_REMOVE)
		out->run &= ~RUN(vmcore);
	return st.errors;
}
