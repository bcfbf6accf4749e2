/* fpmodel — replay the records of faultprobe logs (or expectation files
 * holding observed rows) through a platform model, cell by cell.
 *
 *   fpmodel [--platform auto|silicon|tcg|kvm-emulator|bochs] [-q] FILE...
 *
 * FILE: a serial log, faultprobe-user's output or an expectation file,
 * plain or .gz.  --platform auto (the default) reads the platform from
 * each file (tools/fpjudge.h, fpj_platform_auto).  Prints every record
 * that differs from the model or that the model cannot place, then one
 * summary line per file.  Exit: 0 every judged record matches and none is
 * unknown; 1 a difference, an unknown record or an unparsable record line;
 * 2 usage, an unreadable file, a log without its `faultprobe: done` line
 * (truncated), or a platform that cannot be determined. */
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
	fprintf(f, "usage: fpmodel [--platform auto|silicon|tcg|kvm-emulator|bochs] [-q] FILE...\n");
}

int main(int argc, char **argv)
{
	const char *platform = "auto";
	bool quiet = false;
	int i = 1, status = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--platform") == 0 && i + 1 < argc)
			platform = argv[++i];
		else if (strncmp(argv[i], "--platform=", 11) == 0)
			platform = argv[i] + 11;
		else if (strcmp(argv[i], "-q") == 0)
			quiet = true;
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "fpmodel: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	enum platform_model forced = PLATFORM_SILICON;
	bool auto_platform = strcmp(platform, "auto") == 0;
	if (!auto_platform && !platform_model_parse(platform, &forced)) {
		fprintf(stderr, "fpmodel: unknown model '%s' (silicon, tcg, kvm-emulator, bochs, auto)\n",
			platform);
		return 2;
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	for (; i < argc; i++) {
		static struct fpj_file f;
		struct fpj_summary s;
		enum platform_model m = forced;
		char why[240];

		if (fpj_load(&f, argv[i]) != 0) {
			fprintf(stderr, "fpmodel: error: %s\n", f.first_bad);
			status = 2;
			continue;
		}
		if (!f.expectation && !f.has_done) {
			fprintf(stderr, "fpmodel: error: %s: no 'faultprobe: done' line: the log is "
				"truncated or the run did not finish\n", argv[i]);
			status = 2;
			fpj_free(&f);
			continue;
		}
		if (auto_platform && !fpj_platform_auto(&f, &m, why, sizeof(why))) {
			fprintf(stderr, "fpmodel: error: %s: %s; give --platform NAME\n", argv[i], why);
			status = 2;
			fpj_free(&f);
			continue;
		}
		if (f.bad_lines)
			fprintf(stderr, "fpmodel: %s (%u unparsable record lines)\n", f.first_bad,
				f.bad_lines);
		int st = fpj_check_file(&f, m, "fpmodel", quiet ? NULL : stdout, 20, &s);
		fpj_print_summary(stdout, "fpmodel", &f, m, &s);
		if (!s.judged) {
			fprintf(stderr, "fpmodel: error: %s: no record the model could judge\n", argv[i]);
			st = 1;
		}
		if (st && !status)
			status = 1;
		fpj_free(&f);
	}
	return status;
}
