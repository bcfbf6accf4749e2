#include "extable.h"

extern const struct extable_entry __start_extable[], __stop_extable[];

const struct extable_entry *extable_find(uint64_t rip)
{
	for (const struct extable_entry *e = __start_extable; e < __stop_extable; e++)
		if (e->fault_rip == rip)
			return e;
	return 0;
}

int extable_empty(void)
{
	return (uintptr_t)__stop_extable <= (uintptr_t)__start_extable;
}
