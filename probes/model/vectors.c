#include "vectors.h"
#include "fmt.h"

struct vector_info {
	const char *mnemonic;
	const char *name;
	bool error_code;
};

/* SDM Vol. 3 Table 6-1; #CP from CET, #HV/#VC/#SX from the AMD APM Vol. 2 8.2. */
static const struct vector_info vectors[32] = {
	[VEC_DE] = { "#DE", "divide error", false },
	[VEC_DB] = { "#DB", "debug", false },
	[VEC_NMI] = { "#NMI", "non-maskable interrupt", false },
	[VEC_BP] = { "#BP", "breakpoint", false },
	[VEC_OF] = { "#OF", "overflow", false },
	[VEC_BR] = { "#BR", "bound range", false },
	[VEC_UD] = { "#UD", "invalid opcode", false },
	[VEC_NM] = { "#NM", "device not available", false },
	[VEC_DF] = { "#DF", "double fault", true },
	[VEC_CSO] = { "#CSO", "coprocessor segment overrun", false },
	[VEC_TS] = { "#TS", "invalid TSS", true },
	[VEC_NP] = { "#NP", "segment not present", true },
	[VEC_SS] = { "#SS", "stack segment", true },
	[VEC_GP] = { "#GP", "general protection", true },
	[VEC_PF] = { "#PF", "page fault", true },
	[VEC_MF] = { "#MF", "x87 floating point", false },
	[VEC_AC] = { "#AC", "alignment check", true },
	[VEC_MC] = { "#MC", "machine check", false },
	[VEC_XM] = { "#XM", "SIMD floating point", false },
	[VEC_VE] = { "#VE", "virtualization", false },
	[VEC_CP] = { "#CP", "control protection", true },
	[VEC_HV] = { "#HV", "hypervisor injection", false },
	[VEC_VC] = { "#VC", "VMM communication", true },
	[VEC_SX] = { "#SX", "security", true },
};

const char *vector_mnemonic(int vector)
{
	if (vector == VEC_NONE)
		return "none";
	if (vector >= 0 && vector < 32 && vectors[vector].mnemonic)
		return vectors[vector].mnemonic;
	return 0;
}

const char *vector_name(int vector)
{
	if (vector == VEC_NONE)
		return "no fault";
	if (vector >= 0 && vector < 32 && vectors[vector].name)
		return vectors[vector].name;
	if (vector >= 32 && vector < 256)
		return "interrupt";
	return "reserved";
}

bool vector_has_error_code(int vector)
{
	return vector >= 0 && vector < 32 && vectors[vector].error_code;
}

void vector_put(struct strbuf *sb, int vector)
{
	const char *m = vector_mnemonic(vector);
	if (m) {
		sb_puts(sb, m);
	} else {
		sb_puts(sb, "vec");
		sb_dec(sb, (uint64_t)(uint32_t)vector);
	}
}

bool vector_parse(const char *s, int *vector)
{
	if (fp_strcmp(s, "none") == 0) {
		*vector = VEC_NONE;
		return true;
	}
	for (int v = 0; v < 32; v++) {
		if (vectors[v].mnemonic && fp_strcmp(s, vectors[v].mnemonic) == 0) {
			*vector = v;
			return true;
		}
	}
	return false;
}
