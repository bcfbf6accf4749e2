#include "extable.h"

extern const struct extable_entry __start_extable[], __stop_extable[];

/* The linker lays .extable out in link order, which is the order the
 * stubs sit in .probetext, so the table is sorted by fault RIP: checked
 * once, then searched in O(log n) (the fault path runs thousands of times
 * per boot); a table that is not sorted is searched linearly. */
static int sorted = -1;

static bool check_sorted(void)
{
	for (const struct extable_entry *e = __start_extable; e + 1 < __stop_extable; e++)
		if (e[0].fault_rip >= e[1].fault_rip)
			return false;
	return true;
}

const struct extable_entry *extable_find(uint64_t rip)
{
	if (sorted < 0)
		sorted = check_sorted();
	if (sorted) {
		const struct extable_entry *lo = __start_extable, *hi = __stop_extable;
		while (lo < hi) {
			const struct extable_entry *mid = lo + (hi - lo) / 2;
			if (mid->fault_rip == rip)
				return mid;
			if (mid->fault_rip < rip)
				lo = mid + 1;
			else
				hi = mid;
		}
		return 0;
	}
	for (const struct extable_entry *e = __start_extable; e < __stop_extable; e++)
		if (e->fault_rip == rip)
			return e;
	return 0;
}

const struct extable_entry *extable_at_or_after(uint64_t rip)
{
	if (sorted < 0)
		sorted = check_sorted();
	if (!sorted)
		return 0;
	const struct extable_entry *lo = __start_extable, *hi = __stop_extable;
	while (lo < hi) {
		const struct extable_entry *mid = lo + (hi - lo) / 2;
		if (mid->fault_rip < rip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < __stop_extable ? lo : 0;
}

int extable_empty(void)
{
	return (uintptr_t)__stop_extable <= (uintptr_t)__start_extable;
}
