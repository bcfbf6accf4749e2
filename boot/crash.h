/* The kernel's fatal-exception hook (idt/trap.h): an exception nobody
 * expected becomes an oops on log and screen and exit status "crash";
 * an NMI is noted and ignored. */
#ifndef FP_CRASH_H
#define FP_CRASH_H

void crash_init(void);

#endif
