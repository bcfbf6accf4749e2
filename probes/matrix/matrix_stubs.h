/* The matrix's stub table, assembled by probes/matrix/matrix_stubs.asm in
 * the order of matrix_stub_index() (probes/model/matrix_desc.h). */
#ifndef FP_MATRIX_STUBS_H
#define FP_MATRIX_STUBS_H

#include "../model/matrix_desc.h"

extern const struct matrix_stub_entry matrix_stub_table[];
extern const uint32_t matrix_stub_table_count;

#endif
