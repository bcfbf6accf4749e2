/* faultprobe-user — the probe kernel's families at CPL 3 under Linux: what
 * does *this* CPU raise for these faulting accesses?
 *
 *   build/faultprobe-user [options]          records on stdout, table on stderr
 *
 * Options are the kernel's boot options (boot/cmdline.h), one per argument,
 * limited to what user space can do:
 *   sets=seed[,matrix]   the families flagged FAM_USER in probes/families.def
 *   addr=0x...           extra addresses through the seed's two instructions
 *   repeat=N             run the seed set N times
 *   matrix=SPEC          a sub-matrix (also spelt --matrix=SPEC)
 *   quiet                no human table on stderr
 * Exit status: 0 run complete, 1 a record line overflowed, 2 usage or setup
 * error, 3 the records could not be written, killed by the signal if a
 * fault hit outside any probe. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user.h"
#include "../../boot/cmdline.h"
#include "../../probes/model/matrix_desc.h"
#include "../../probes/registry.h"
#include "../../report/report.h"

static unsigned option_errors;

static void on_option_error(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "faultprobe-user: %s\n", line);
	option_errors++;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: faultprobe-user [sets=NAME[,NAME...]] [addr=0x...]... [repeat=N]\n"
		   "                       [matrix=SPEC] [quiet]\n"
		   "Runs the probe stubs at CPL 3 and prints one `probe` record per probe on stdout\n"
		   "(same format as the kernel's serial log, cpl=3 platform=linux-user); the human\n"
		   "table goes to stderr unless `quiet`.  NAME: one of");
	for (unsigned i = 0; i < FAMILY_COUNT; i++)
		if ((family_table[i].flags & FAM_USER) && !(family_table[i].flags & FAM_ALWAYS))
			fprintf(f, " %s", family_table[i].name);
	fprintf(f, ".  SPEC narrows the matrix, e.g.\n"
		   "matrix=slice=edges,op=load,width=8 (docs/matrix.md).\n"
		   "Probes whose pages exist in this process are skipped, never run.\n");
}

/* Boot options that mean nothing in user space are errors here, not
 * silently ignored. */
static void reject_kernel_only(const struct options *o)
{
	for (unsigned i = 0; i < FAMILY_COUNT; i++)
		if ((o->run & RUN_BIT(i)) && !(family_table[i].flags & FAM_USER)) {
			fprintf(stderr, "faultprobe-user: sets=%s runs only in the kernel "
				"(boot the ISO for it)\n", family_table[i].name);
			option_errors++;
		}
	if (o->selftest != SELFTEST_NONE) {
		fprintf(stderr, "faultprobe-user: selftest= is a kernel boot option\n");
		option_errors++;
	}
	if (o->exit_mode != EXIT_AUTO) {
		fprintf(stderr, "faultprobe-user: exit= is a kernel boot option\n");
		option_errors++;
	}
}

int main(int argc, char **argv)
{
	static char cmdline[4096];
	struct options opts;
	struct run_facts facts = { .platform = "linux-user", .where = "Linux user space, CPL 3" };
	struct probe_env env;
	size_t len = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strncmp(a, "--matrix=", 9) == 0)
			a += 2;   /* the same as matrix=SPEC */
		size_t n = strlen(a);
		if (len + n + 2 > sizeof(cmdline)) {
			fprintf(stderr, "faultprobe-user: arguments too long\n");
			return 2;
		}
		memcpy(cmdline + len, a, n);
		len += n;
		cmdline[len++] = ' ';
	}
	cmdline[len] = '\0';

	options_default(&opts);
	cmdline_parse(cmdline, len, &opts, on_option_error, 0);
	if (opts.run == family_default_mask()) {
		/* no sets= (or sets=all): every family user space can run */
		opts.run = 0;
		for (unsigned i = 0; i < FAMILY_COUNT; i++)
			if (family_table[i].flags & FAM_USER)
				opts.run |= RUN_BIT(i);
	}
	reject_kernel_only(&opts);
	if (opts.matrix_filter[0]) {
		struct matrix_filter f;
		char err[160];
		matrix_filter_all(&f);
		if (!matrix_filter_parse(opts.matrix_filter, &f, err, sizeof(err))) {
			fprintf(stderr, "faultprobe-user: bad value 'matrix=%s': %s\n",
				opts.matrix_filter, err);
			option_errors++;
		}
	}
	if (option_errors) {
		usage(stderr);
		return 2;
	}

	user_console_init(!opts.quiet);
	cpu_fingerprint_read(&facts.cpu);
	facts.cmdline = cmdline;
	user_env_init(&env, &facts, opts.quiet);
	report_configure(opts.quiet);
	report_header(&facts);
	user_env_header(&facts);
	{
		/* the kernel's header form: escaped, bounded (boot/cmdline.h) */
		char buf[512];
		struct strbuf sb;
		sb_init(&sb, buf, sizeof(buf));
		cmdline_echo(&sb, cmdline, len ? len - 1 : 0, 240);
		report_note(buf);
	}
	if (user_signals_init() != 0)
		return 2;

	struct run_ctx ctx = { .opts = &opts, .env = &env };
	registry_run(&ctx);
	report_finish();
}
