/* Page-level protection in the rule model (issue 11 families 5 and 8):
 * which accesses a present page denies — R/W with CR0.WP, U/S with SMAP
 * and SMEP, NX, protection keys — and the #PF error code bits that say
 * why.  Called from rules.c's page walk. */
#ifndef FP_RULES_PGPROT_H
#define FP_RULES_PGPROT_H

#include <stdbool.h>
#include <stdint.h>
#include "access.h"

/* Does a present page `pi` deny this access?  *err gets the error-code bits
 * besides P, W/R, U/S and I/D (RSVD, PK) and *reason a short text. */
bool pgprot_denies(const struct access *a, const struct page_info *pi, bool write,
		   bool fetch, uint32_t *err, const char **reason);

#endif
