/* fpexplain [--json] [--slab-random=HEX --freelist-ptr-addr=HEX] [FILE ...]
 *
 * Explains every crash report it finds in the text (Linux oopses, crash
 * `bt -f` sessions, faultprobe's own oops dumps): the faulting
 * instruction, its memory accesses, the manuals' verdict, what each known
 * platform would raise, and what the bad value is.  Exit status: 0 when
 * at least one report was explained, 1 when none was found, 2 when an
 * input could not be read. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "run.h"

#define MAX_INPUT (256u << 20)

static void usage(FILE *f)
{
	fputs("usage: fpexplain [--json] [--slab-random=HEX --freelist-ptr-addr=HEX] [FILE ...]\n"
	      "  explains x86-64 Linux oopses, crash `bt -f` output and faultprobe oops dumps;\n"
	      "  reads standard input when no FILE (or '-') is given.\n"
	      "  --json                one JSON object per report instead of the explanation\n"
	      "  --slab-random=HEX     kmem_cache.random, to undo a hardened SLUB freelist pointer\n"
	      "  --freelist-ptr-addr=HEX  the address the freelist pointer was read from\n"
	      "exit status: 0 explained at least one report, 1 found none, 2 unreadable input\n", f);
}

/* The whole input, up to MAX_INPUT bytes; NULL with errno set on failure. */
static char *slurp(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	for (;;) {
		if (n == cap) {
			if (cap >= MAX_INPUT) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			cap *= 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				int e = errno ? errno : EIO;
				free(buf);
				errno = e;
				return NULL;
			}
			break;
		}
	}
	*len = n;
	return buf;
}

static bool hexopt(const char *arg, const char *name, uint64_t *v)
{
	size_t n = strlen(name);
	unsigned d;
	const char *end;

	if (strncmp(arg, name, n) != 0)
		return false;
	if (!fx_hex(arg + n, v, &d, &end) || *end) {
		fprintf(stderr, "fpexplain: %s wants a hex number, got '%s'\n", name, arg + n);
		exit(2);
	}
	return true;
}

int main(int argc, char **argv)
{
	struct fx_run_opts o = { .first_no = 1 };
	const char *files[256];
	int nfiles = 0, rc = 0;
	long total = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--json"))
			o.json = true;
		else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (hexopt(a, "--slab-random=", &o.ex.slab_random))
			o.ex.have_slab_random = true;
		else if (hexopt(a, "--freelist-ptr-addr=", &o.ex.freelist_addr))
			o.ex.have_freelist_addr = true;
		else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "fpexplain: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		} else if (nfiles < 256)
			files[nfiles++] = a;
	}
	if (!nfiles)
		files[nfiles++] = "-";

	for (int i = 0; i < nfiles; i++) {
		bool std = !strcmp(files[i], "-");
		FILE *f = std ? stdin : fopen(files[i], "rb");
		size_t len = 0;
		char *data;

		if (!f) {
			fprintf(stderr, "fpexplain: cannot open %s: %s\n", files[i], strerror(errno));
			rc = 2;
			continue;
		}
		errno = 0;
		data = slurp(f, &len);
		if (!std)
			fclose(f);
		if (!data) {
			fprintf(stderr, "fpexplain: cannot read %s: %s\n", std ? "standard input" : files[i],
				errno == EFBIG ? "larger than 256 MiB" : strerror(errno ? errno : EIO));
			rc = 2;
			continue;
		}
		long n = fx_run(data, len, &o, stdout);
		free(data);
		if (n < 0) {
			fprintf(stderr, "fpexplain: out of memory on %s\n", files[i]);
			rc = 2;
			continue;
		}
		total += n;
		o.first_no += (unsigned)n;
	}
	fflush(stdout);
	if (rc)
		return rc;
	if (!total) {
		fprintf(stderr, "fpexplain: no crash report found: looked for an x86-64 oops title (\"stack "
			"segment:\", \"general protection fault\", \"BUG: unable to handle ...\", \"Oops: XXXX "
			"[#N]\", \"invalid opcode:\", \"double fault:\" ...) with its RIP/Code/register lines, "
			"faultprobe oops dumps, and crash `bt -f` stacks holding an exception frame\n");
		return 1;
	}
	return 0;
}
