/* One page as a record key says it: `map=0x<16 hex>:p+w+u+nx+rsvd+pk<N>`
 * (the flags of struct page_info that are set; `np` for not present).
 * Families that map scratch pages print it so the lint (tools/fpcheck.c)
 * can give the rule model the same page tables the probe ran against. */
#ifndef FP_PAGE_DESC_H
#define FP_PAGE_DESC_H

#include <stdbool.h>
#include <stdint.h>
#include "access.h"
#include "fmt.h"

void page_desc_put(struct strbuf *sb, uint64_t va, const struct page_info *pi);
/* Parses one "0xVA:flags" (up to the end of s or a ','); false if malformed. */
bool page_desc_parse(const char *s, uint64_t *va, struct page_info *pi);

#endif
