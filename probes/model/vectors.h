/* The architectural exception vectors (SDM Vol. 3 6.3.1, Table 6-1). */
#ifndef FP_VECTORS_H
#define FP_VECTORS_H

#include <stdbool.h>

enum {
	VEC_DE = 0, VEC_DB = 1, VEC_NMI = 2, VEC_BP = 3, VEC_OF = 4, VEC_BR = 5,
	VEC_UD = 6, VEC_NM = 7, VEC_DF = 8, VEC_CSO = 9, VEC_TS = 10, VEC_NP = 11,
	VEC_SS = 12, VEC_GP = 13, VEC_PF = 14, VEC_MF = 16, VEC_AC = 17,
	VEC_MC = 18, VEC_XM = 19, VEC_VE = 20, VEC_CP = 21, VEC_HV = 28,
	VEC_VC = 29, VEC_SX = 30,
	VEC_NONE = -1,
};

/* "#SS", "#GP", ... for architectural vectors, "none" for VEC_NONE,
 * "#V<n>" style is not used: other vectors give "int<n>" (static buffer-free:
 * returns NULL and callers print the number). */
const char *vector_mnemonic(int vector);
/* Long human name, e.g. "stack segment" for 12, "general protection" for 13. */
const char *vector_name(int vector);
/* Whether the CPU pushes an error code for this vector (SDM Vol. 3 6.13). */
bool vector_has_error_code(int vector);
/* The one vector printer: "#SS", "none", or "vec<n>" for a vector
 * without a mnemonic (records, notes, tools). */
struct strbuf;
void vector_put(struct strbuf *sb, int vector);
/* Parse "#SS" / "none" back; returns true on success. */
bool vector_parse(const char *s, int *vector);

#endif
