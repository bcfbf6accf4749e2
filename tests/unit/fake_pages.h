/* A fake page oracle for the rule model's host tests (tests/unit/
 * test_rules_*.c): the pages listed are present with the given rights,
 * everything else is absent.  Header-only, for test files. */
#ifndef FP_TEST_FAKE_PAGES_H
#define FP_TEST_FAKE_PAGES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "probes/model/access.h"

struct fake_page {
	uint64_t page;
	struct page_info info;
};
struct fake_pages {
	const struct fake_page *pages;
	size_t n;
};

static inline void fake_pages_query(void *ctx, uint64_t linear, struct page_info *out)
{
	const struct fake_pages *m = ctx;

	memset(out, 0, sizeof(*out));
	out->state = PAGE_NOT_PRESENT;
	for (size_t i = 0; i < m->n; i++)
		if (m->pages[i].page == (linear & ~0xFFFull))
			*out = m->pages[i].info;
}

#define FAKE_RW_SUPER { PAGE_PRESENT, true, false, false, false, 0 }
#define FAKE_RW_USER  { PAGE_PRESENT, true, true, false, false, 0 }

/* An access at CPL 0, 4-level paging, Intel, no REP, over `m`. */
static inline struct access fake_access(enum probe_op op, int base, enum seg_prefix p,
					unsigned width, uint64_t addr, struct fake_pages *m)
{
	struct access a;

	memset(&a, 0, sizeof(a));
	a.op = op;
	a.base = base;
	a.index = GPR_NONE;
	a.prefix = p;
	a.width = width;
	a.addr = addr;
	a.paging_levels = 4;
	a.vendor = VENDOR_INTEL;
	a.efer_nxe = true;
	a.page_query = m ? fake_pages_query : 0;
	a.page_ctx = m;
	return a;
}

#endif
