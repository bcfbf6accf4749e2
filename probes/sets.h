/* Probe sets the kernel can run (selected by the boot command line). */
#ifndef FP_SETS_H
#define FP_SETS_H
#include <stdint.h>
struct options;
void run_seed_set(const struct options *opts);
void run_extra_addrs(const struct options *opts);
/* probes/matrix.c: the probe matrix, CPL 0 and CPL 3 (issue 3). */
void run_matrix_set(const struct options *opts);
/* boot/prot32_report.c: print the 32-bit protected-mode records taken at boot. */
void run_prot32_report(const struct options *opts);
/* boot/la57_set.c: 5-level paging canonical edges (skips without LA57). */
struct mb2_info;
void run_la57_set(const struct options *opts, const struct mb2_info *mb);
/* probes/frame_set.c, softframe.c, vmcore.c: frame forensics (issue 4). */
void run_frame_set(const struct options *opts);
void run_softframe_set(const struct options *opts);
void run_vmcore_scenario(const struct options *opts);
#endif
