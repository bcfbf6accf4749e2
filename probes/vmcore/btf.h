/* A stack printed the way `crash> bt -f` prints it (seed 001), every saved
 * slot labelled as the seed's author labelled it by hand (the vmcore
 * replay's view).  Portable; the host unit tests cover it. */
#ifndef FP_BTF_H
#define FP_BTF_H

#include <stdbool.h>
#include <stdint.h>
#include "../model/fmt.h"
#include "../../report/oops.h"     /* line_sink_fn */

/* A frame header " #N [addr] name at pc": `slot` is the index of the word
 * holding the frame's pc (crash prints that slot's address in brackets). */
struct btf_frame {
	unsigned slot;
	const char *name;
};

struct btf_stack {
	uint64_t base;                 /* address of words[0]                    */
	const uint64_t *words;
	const char *const *labels;     /* per word: "[r15]" etc., or NULL        */
	const char *const *notes;      /* per word: comment for its row, or NULL */
	unsigned nwords;
	const struct btf_frame *frames;
	unsigned nframes;
	unsigned first_frame_no;       /* number of frames[0] ("#6" in the seed) */
	unsigned end;                  /* print words up to this index (excl.)   */
};

/* One frame header per frame, then rows "    <addr>: <q>[lbl] <q>[lbl]"
 * with two qwords a row, from the word after the frame's pc slot up to and
 * including the next frame's pc slot (which crash prints as the last word
 * of the frame below, often alone on its row). */
void btf_format(const struct btf_stack *s, line_sink_fn sink, void *ctx);
/* One row (exposed for the unit tests): words [i, i+n), n = 1 or 2. */
void btf_format_row(struct strbuf *sb, const struct btf_stack *s, unsigned i, unsigned n);

#endif
