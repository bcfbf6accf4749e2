/* faultprobe-user — the probe kernel's stubs and probe sets at CPL 3 under
 * Linux: what does *this* CPU raise for these faulting accesses?
 *
 *   build/faultprobe-user [options]          records on stdout, table on stderr
 *
 * Options are the kernel's boot options (boot/cmdline.h), one per argument:
 *   sets=seed[,matrix]   which sets (kernel-only sets are ignored here)
 *   addr=0x...           extra addresses through the seed's two instructions
 *   repeat=N             run each set N times
 *   quiet                no human table on stderr
 * plus --matrix=SPEC, a sub-matrix in matrix_filter_parse() syntax.
 * Exit status: 0 run complete, 1 a record line overflowed, 2 usage or setup
 * error, killed by the signal if a fault hit outside any probe. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user.h"
#include "../../boot/cmdline.h"
#include "../../probes/sets.h"

static unsigned option_errors;

static void on_option_error(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "faultprobe-user: %s\n", line);
	option_errors++;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: faultprobe-user [sets=seed,matrix] [addr=0x...]... [repeat=N] [quiet]\n"
		   "                       [--matrix=SPEC]\n"
		   "Runs the probe stubs at CPL 3 and prints one `probe` record per probe on stdout\n"
		   "(same format as the kernel's serial log, cpl=3 platform=linux-user); the human\n"
		   "table goes to stderr unless `quiet`.  SPEC narrows the matrix, e.g.\n"
		   "--matrix=slice=edges,op=load,width=8 (probes/matrix_desc.h).\n"
		   "Probes whose pages exist in this process are skipped, never run.\n");
}

int main(int argc, char **argv)
{
	static char cmdline[4096];
	struct options opts;
	size_t len = 0;

	const char *matrix_spec = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strncmp(argv[i], "--matrix=", 9) == 0) {
			matrix_spec = argv[i] + 9;
			continue;
		}
		size_t n = strlen(argv[i]);
		if (len + n + 2 > sizeof(cmdline)) {
			fprintf(stderr, "faultprobe-user: arguments too long\n");
			return 2;
		}
		memcpy(cmdline + len, argv[i], n);
		len += n;
		cmdline[len++] = ' ';
	}
	cmdline[len] = '\0';

	setvbuf(stdout, NULL, _IOLBF, 0);
	options_default(&opts);
	cmdline_parse(cmdline, len, &opts, on_option_error, 0);
	if (option_errors) {
		usage(stderr);
		return 2;
	}

	user_env_init();
	user_report_init(!opts.quiet);
	user_report_header();
	printf("cmdline=\"%.*s\"\n", len ? (int)len - 1 : 0, cmdline);
	if (user_signals_init() != 0)
		return 2;

	if (opts.run & RUN_SEED)
		run_seed_set(&opts);
	if ((opts.run & RUN_MATRIX) && user_run_matrix(&opts, matrix_spec) != 0)
		return 2;
	run_extra_addrs(&opts);

	user_report_summary();
	return user_report_failures() ? 1 : 0;
}
