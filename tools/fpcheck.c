/* fpcheck — check a faultprobe serial log against expectation files.
 *
 *   fpcheck [--strict] [--platform auto|NAME] LOG [EXPECT...]
 *                                           check LOG (and lint EXPECT)
 *   fpcheck --tap [--strict] [--platform auto|NAME] LOG [EXPECT...]
 *                                           the same, as TAP 13 on stdout
 *   fpcheck --lint EXPECT...                lint only
 *
 * --platform judges every probe/frame/prot32/vmcore record of LOG against
 * the platform model (tools/fpjudge.h; auto: the platform the log names,
 * NAME: silicon, tcg, kvm-emulator, bochs); with --strict those records
 * then need no expectation row.
 *
 * Expectation format: docs/testing.md.  Every `probe` expectation that
 * asserts rule= is recomputed with the rule model (probes/rules.c), and
 * every agrees=no must carry a `# DEVIATION name: why` comment, so an
 * expectation cannot silently encode a wrong rule.  Record lines that break
 * the record contract (README.md) are malformed: named, never compared.
 * The checking itself is tools/fpcheck_core.c.  Exit 0 when all pass,
 * 1 on a failure, 2 on a usage error or an unreadable log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpcheck_core.h"

/* Host tools are built with ASan; leak checking adds nothing here. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

static int usage(void)
{
	fprintf(stderr, "usage: fpcheck [--strict] [--platform auto|NAME] LOG [EXPECT...]\n"
			"       fpcheck --tap [--strict] [--platform auto|NAME] LOG [EXPECT...]   (TAP 13 on stdout)\n"
			"       fpcheck --lint EXPECT...\n");
	return 2;
}

int main(int argc, char **argv)
{
	bool lint_only = false, tap = false;
	struct fpc_options o = { .strict = false, .diag = stderr, .deviations_doc = "docs/deviations.md" };
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (strcmp(argv[i], "--lint") == 0)
			lint_only = true;
		else if (strcmp(argv[i], "--strict") == 0)
			o.strict = true;
		else if (strcmp(argv[i], "--tap") == 0)
			tap = true;
		else if (strcmp(argv[i], "--platform") == 0 && i + 1 < argc)
			o.platform = argv[++i];
		else
			return usage();
	}
	if ((lint_only && tap) || i >= argc || (!lint_only && !tap && !o.platform && i + 1 >= argc))
		return usage();
	if (getenv("FPCHECK_DEVIATIONS"))
		o.deviations_doc = getenv("FPCHECK_DEVIATIONS");

	struct fpc *c = fpc_new(&o);
	int model_failures = 0;
	const char *log = NULL;
	if (!lint_only) {
		log = argv[i++];
		if (fpc_load_log_file(c, log) < 0) {
			fpc_free(c);
			return 2;
		}
		model_failures = fpc_apply_model(c, log, tap ? stderr : stdout);
		if (model_failures < 0) {
			fpc_free(c);
			return 2;
		}
	}
	for (; i < argc; i++)
		fpc_expect_file(c, argv[i], !lint_only);
	fpc_finish(c);

	struct fpc_counts n;
	fpc_counts(c, &n);
	if (tap)
		fpc_write_tap(c, stdout);
	FILE *sum = tap ? stderr : stdout;
	if (lint_only)
		fprintf(sum, "fpcheck: lint: %u probe expectations linted, %u failures\n", n.linted, n.failures);
	else
		fprintf(sum, "fpcheck: %s: %u expectations checked (%u probe rows linted), %u records in log, "
			     "%u malformed, %u failures\n",
			log, n.checked, n.linted, n.records, n.malformed, n.failures + (unsigned)model_failures);
	fpc_free(c);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("fpcheck: stdout");
		return 2;
	}
	return n.failures || model_failures ? 1 : 0;
}
