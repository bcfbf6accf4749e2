/* Boot options from the multiboot2 command line (grub.cfg, or
 * `make iso CMDLINE='...'`).  Plain C with no kernel dependencies: the
 * kernel, the host unit tests and the host fuzzer all compile it.
 *
 * Grammar: options separated by spaces (one or more); each is `key` or
 * `key=value`.  Unknown keys and malformed values are reported through the
 * error callback with one line naming the offending text and the accepted
 * forms, and the option is ignored (the defaults stand).  The parser never
 * reads past the terminating NUL nor past `len` bytes, never writes outside
 * *out and never loops forever.
 */
#ifndef FP_CMDLINE_H
#define FP_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Probe sets and scenarios (bit masks). */
#define RUN_SEED     (1u << 0)  /* sets=seed:   the seed table, rbp and r15    */
#define RUN_MATRIX   (1u << 1)  /* sets=matrix: the full probe matrix          */
#define RUN_FRAME    (1u << 2)  /* sets=frame:  frame forensics (64-bit)       */
#define RUN_SOFTFRAME (1u << 3) /* sets=softframe: software vs hardware frame  */
#define RUN_PROT32   (1u << 4)  /* sets=prot32: 32-bit protected-mode probes   */
#define RUN_LA57     (1u << 5)  /* sets=la57:   5-level paging canonical edges */
#define RUN_VMCORE   (1u << 6)  /* scenario=vmcore-freelist                    */
#define RUN_FINGERPRINT (1u << 7) /* sets=fingerprint: emulator-vs-silicon check */
#define RUN_DEFAULT  (RUN_SEED | RUN_MATRIX | RUN_FRAME | RUN_SOFTFRAME | \
		      RUN_PROT32 | RUN_LA57 | RUN_VMCORE | RUN_FINGERPRINT)

#define OPT_MAX_ADDRS 16
#define OPT_MATRIX_FILTER_MAX 64  /* matrix=FILTER: at most 64 bytes of FILTER */
/* The accepted form of matrix=, for both of its error lines (a malformed
 * option here, a filter matrix_filter_parse() rejects in probes/matrix.c). */
#define CMDLINE_MATRIX_HINT \
	"(expected matrix=KEY=VALUE[+VALUE...][,KEY=...] with KEY one of slice op " \
	"form seg width cpl, or the word user; 1..64 printable characters, no " \
	"spaces, e.g. matrix=slice=edges+ring3,width=8)"

enum exit_mode {
	EXIT_AUTO,   /* isa-debug-exit under QEMU, the shutdown port under Bochs, else halt */
	EXIT_QEMU,   /* exit=qemu   */
	EXIT_HALT,   /* exit=halt   */
	EXIT_REBOOT, /* exit=reboot */
};

/* selftest=crash|df: deliberately break the kernel to prove a crash is
 * reported (oops, FAIL summary, QEMU status 37), never a silent reset. */
enum selftest {
	SELFTEST_NONE,
	SELFTEST_CRASH,  /* ud2 outside any probe: #UD oops             */
	SELFTEST_DF,     /* push with a non-canonical RSP, no IST for #SS:
	                    the #SS frame cannot be pushed -> #DF on IST1 */
};

struct options {
	uint32_t run;                    /* RUN_* mask                            */
	uint64_t addrs[OPT_MAX_ADDRS];   /* addr=0x... (repeatable), extra probes */
	unsigned naddrs;
	unsigned repeat;                 /* repeat=N, 1..1000, default 1          */
	bool quiet;                      /* quiet: records only, no human table   */
	enum exit_mode exit_mode;
	enum selftest selftest;          /* selftest=crash|df|none                */
	/* matrix=FILTER: a sub-matrix in matrix_filter_parse() syntax
	 * (probes/matrix_desc.h), stored verbatim, NUL-terminated; "" = the
	 * whole matrix.  Checked and applied by the matrix set
	 * (probes/matrix.c), not here: this parser has no matrix dependency. */
	char matrix_filter[OPT_MATRIX_FILTER_MAX + 1];
};

typedef void (*cmdline_error_fn)(void *ctx, const char *line);

void options_default(struct options *out);

/* Parses at most `len` bytes of `cmdline` (stops early at NUL).  Fills *out
 * (starting from the defaults).  Returns the number of errors reported. */
unsigned cmdline_parse(const char *cmdline, size_t len, struct options *out,
		       cmdline_error_fn on_error, void *ctx);

#endif
