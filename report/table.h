/* The human table of probe results: one row per `probe` record, the
 * columns read from the record's fields. */
#ifndef FP_TABLE_H
#define FP_TABLE_H

#include "rec.h"

void table_format_header(struct strbuf *sb);
void table_format_row(struct strbuf *sb, const struct rec *r);

#endif
