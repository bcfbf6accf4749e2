/* The fsgs family's stubs (fsgs_stubs.asm), also used by la57ops: loads of
 * the FS/GS base, value in the first argument, read back into
 * probe_ctx.value, the base put back to 0. */
#ifndef FP_FSGS_STUBS_H
#define FP_FSGS_STUBS_H

#include <stdint.h>

void probe_fsgs_wrfsbase(uint64_t value, uint64_t rsp_adjust);
void probe_fsgs_wrgsbase(uint64_t value, uint64_t rsp_adjust);
void probe_fsgs_wrmsr_fs_base(uint64_t value, uint64_t rsp_adjust);
void probe_fsgs_wrmsr_gs_base(uint64_t value, uint64_t rsp_adjust);
void probe_fsgs_wrmsr_kernel_gs_base(uint64_t value, uint64_t rsp_adjust);

#endif
