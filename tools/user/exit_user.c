/* report/exit.h for faultprobe-user: the kernel's exit codes as process
 * exit statuses.  0: run complete; 1: a record line did not fit; 3: the
 * output could not be written (every record would be lost: ENOSPC, EPIPE,
 * a closed stdout); the crash path dies of its signal instead. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "user.h"
#include "../../report/exit.h"

void exit_set_mode(enum exit_mode m)
{
	(void)m;
}

bool running_under_qemu(void)
{
	return false;
}

bool user_output_ok(void)
{
	return fflush(stdout) == 0 && !ferror(stdout);
}

void fp_exit(unsigned code)
{
	if (!user_output_ok()) {
		fputs("faultprobe-user: cannot write the records to standard output\n", stderr);
		_exit(3);
	}
	exit(code == EXIT_PASS ? 0 : code == EXIT_INCOMPLETE ? 1 : 2);
}
