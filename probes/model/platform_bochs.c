/* The Bochs 2.7 model.  Not written yet: no Bochs reference log exists in
 * this tree, so every access is "unknown" rather than a guess. */
#include "platform_impl.h"

void platform_bochs64(const struct access *a, struct platform_outcome *out)
{
	(void)a;
	platform_unknown(out, "no Bochs model yet: no Bochs reference log");
}

void platform_bochs32(const struct access32 *a, struct platform_outcome *out)
{
	(void)a;
	platform_unknown(out, "no Bochs model yet: no Bochs reference log");
}
