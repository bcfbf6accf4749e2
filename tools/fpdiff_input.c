/* fpdiff: whether a loaded log can be compared at all (fpdiff_core.h).
 * A comparison of a truncated log, of records from an unnamed or unknown
 * platform, or of a log whose record lines could not all be read would
 * pass or fail for the wrong reason: fpdiff refuses it with the reason
 * (exit 2) instead.  Malformed record lines are fpdiff_core's: counted,
 * named, never compared. */
#include <stdio.h>
#include <string.h>

#include "fpdiff_core.h"

/* The platform names the kernel and faultprobe-user print (README.md,
 * `platform` key) and Bochs's. */
static const char *const known_platforms[] = {
	"tcg", "kvm", "metal", "hv", "linux-user", "bochs", NULL,
};

const char *fpd_log_unusable(const struct fpd_log *l, char *buf, size_t n)
{
	if (!l->has_summary)
		return "no 'faultprobe: done' line: the log is truncated or the run did not finish";
	if (l->mixed_platforms)
		return "records from more than one platform (concatenated logs?)";
	if (!l->platform[0])
		return "its records name no platform (no platform= key): not a faultprobe log?";
	bool known = false;
	for (int i = 0; known_platforms[i]; i++)
		known = known || strcmp(l->platform, known_platforms[i]) == 0;
	if (!known) {
		snprintf(buf, n, "unknown platform '%s' (known: tcg, kvm, metal, hv, linux-user, bochs)",
			 l->platform);
		return buf;
	}
	/* record lines that break the contract are malformed: counted and
	 * named by fpdiff (exit 1), never compared (fpdiff_core.h) */
	return NULL;
}
