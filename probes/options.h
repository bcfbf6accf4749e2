/* What the boot options (boot/cmdline.c) or faultprobe-user's arguments
 * ask the families to do. */
#ifndef FP_OPTIONS_H
#define FP_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include "registry.h"
#include "../report/exit.h"

#define OPT_MAX_ADDRS 16
#define OPT_MAX_CONSOLES 4
#define OPT_MATRIX_FILTER_MAX 64  /* matrix=FILTER: at most 64 bytes of FILTER */
/* The accepted form of matrix=, for both of its error lines (a malformed
 * option here, a filter matrix_filter_parse() rejects in probes/matrix/matrix.c). */
#define CMDLINE_MATRIX_HINT \
	"(expected matrix=KEY=VALUE[+VALUE...][,KEY=...] with KEY one of slice op " \
	"form seg width cpl, or the word user; 1..64 printable characters, no " \
	"spaces, e.g. matrix=slice=edges+ring3,width=8)"



/* selftest=crash|df: deliberately break the kernel to prove a crash is
 * reported (oops, FAIL summary, QEMU status 37), never a silent reset. */
enum selftest {
	SELFTEST_NONE,
	SELFTEST_CRASH,  /* ud2 outside any probe: #UD oops             */
	SELFTEST_DF,     /* push with a non-canonical RSP, no IST for #SS:
	                    the #SS frame cannot be pushed -> #DF on IST1 */
};

struct options {
	uint32_t run;                    /* RUN() bits of the families to run     */
	uint64_t addrs[OPT_MAX_ADDRS];   /* addr=0x... (repeatable), extra probes */
	unsigned naddrs;
	unsigned repeat;                 /* repeat=N, 1..1000, default 1          */
	bool quiet;                      /* quiet: records only, no human table   */
	enum exit_mode exit_mode;
	enum selftest selftest;          /* selftest=crash|df|none                */
	/* matrix=FILTER: a sub-matrix in matrix_filter_parse() syntax
	 * (probes/model/matrix_desc.h), stored verbatim, NUL-terminated; "" =
	 * the whole matrix.  Checked and applied by the matrix family. */
	char matrix_filter[OPT_MATRIX_FILTER_MAX + 1];
	/* console=com1|com2|0xPORT|virtio|none (repeatable): the log's
	 * consoles; the first console= replaces the default (the virtio
	 * console when present, else COM1).  baud=N for the UARTs. */
	bool console_given;
	uint16_t console_ports[OPT_MAX_CONSOLES];
	unsigned nconsoles;
	bool console_virtio;
	unsigned baud;
};

#endif
