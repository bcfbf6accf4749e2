/* families — the family registry (probes/families.def) as documentation:
 * a Markdown table (sets= name, default run, faultprobe-user, what it
 * probes).  `make families-doc` writes it between the
 * <!-- families:begin --> and <!-- families:end --> markers of README.md;
 * tests/boot/case-docs.sh checks that README.md says what the registry says.
 *
 *   build/families            the table on stdout */
#include <stdio.h>

#include "../probes/registry.h"

int main(void)
{
	printf("| family (`sets=`) | default run | faultprobe-user | what it probes |\n");
	printf("|---|---|---|---|\n");
	for (unsigned i = 0; i < FAMILY_COUNT; i++) {
		const struct family_info *f = &family_table[i];
		printf("| `%s` | %s | %s | %s |\n", f->name,
		       (f->flags & FAM_ALWAYS) ? "when `addr=` is given" :
		       (f->flags & FAM_DEFAULT) ? "yes" : "no",
		       (f->flags & FAM_USER) ? "yes" : "no", f->what);
	}
	return 0;
}
