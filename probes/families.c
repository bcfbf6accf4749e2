/* The portable half of the registry: names and flags from families.def. */
#include "registry.h"

const struct family_info family_table[FAMILY_COUNT] = {
#define FAMILY(id, name, flags, what) [FAMILY_IDX_##id] = { name, flags, what },
#include "families.def"
#undef FAMILY
};

uint32_t family_default_mask(void)
{
	uint32_t m = 0;
	for (unsigned i = 0; i < FAMILY_COUNT; i++)
		if (family_table[i].flags & FAM_DEFAULT)
			m |= 1u << i;
	return m;
}

int family_find(const char *name, unsigned len)
{
	for (unsigned i = 0; i < FAMILY_COUNT; i++) {
		const char *n = family_table[i].name;
		unsigned k = 0;
		if (family_table[i].flags & FAM_ALWAYS)
			continue;
		while (k < len && n[k] && n[k] == name[k])
			k++;
		if (k == len && !n[k])
			return (int)i;
	}
	return -1;
}
