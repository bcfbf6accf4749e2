/* fpmodel — replay the records of faultprobe logs (or expectation files
 * holding observed rows) through a platform model, cell by cell.
 *
 *   fpmodel [--platform auto|silicon|tcg|kvm-emulator|bochs] [-q] [-a] FILE...
 *
 * FILE: a serial log, faultprobe-user's output or an expectation file,
 * plain or .gz.  --platform auto (the default) reads the platform from
 * each file (tools/fpjudge.h, fpj_platform_auto).  Prints the records that
 * differ from the model or that it cannot place (the first 20 of each; -a:
 * all; -q: none), then one summary line per file.  Exit: 0 every judged
 * record matches and none is unknown; 1 a difference, an unknown record or
 * an unparsable record line; 2 usage, an unreadable file, a log without its
 * `faultprobe: done` line (truncated), or a platform that cannot be
 * determined. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpjudge.h"

const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

static void usage(FILE *f)
{
	fprintf(f, "usage: fpmodel [--platform auto|silicon|tcg|kvm-emulator|bochs] [-q] [-a] FILE...\n");
}

int main(int argc, char **argv)
{
	const char *platform = "auto";
	bool quiet = false, all = false;
	int i = 1, status = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--platform") == 0 && i + 1 < argc)
			platform = argv[++i];
		else if (strncmp(argv[i], "--platform=", 11) == 0)
			platform = argv[i] + 11;
		else if (strcmp(argv[i], "-q") == 0)
			quiet = true;
		else if (strcmp(argv[i], "-a") == 0)
			all = true;
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "fpmodel: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	for (; i < argc; i++) {
		struct fpj_summary s;
		int st = fpj_run("fpmodel", argv[i], platform, quiet ? NULL : stdout, all, true, &s);

		if (quiet && st != 2)
			printf("fpmodel: %s: %u judged (%u cells), %u differ, %u unknown\n", argv[i],
			       s.judged, s.cells, s.mismatched, s.unknown);
		if (st > status)
			status = st;
	}
	return status;
}
