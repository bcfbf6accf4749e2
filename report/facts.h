/* What the run is on, found out by the layers that can (CPUID, the boot
 * loader, the platform fingerprint) and handed to report for the header
 * lines, the records' platform= key and the summary page. */
#ifndef FP_FACTS_H
#define FP_FACTS_H

#include "../idt/cpuinfo.h"

struct run_facts {
	struct cpu_fingerprint cpu;
	const char *platform;      /* records' platform=: tcg, kvm, metal, ...  */
	const char *microcode;     /* "0x...", "unreadable", "n/a"              */
	const char *firmware;      /* "bios", "uefi"; NULL in user space        */
	const char *cmdline;       /* the options as given                      */
	const char *where;         /* NULL on the machine itself; "Linux user
	                              space, CPL 3" for faultprobe-user          */
};

#endif
