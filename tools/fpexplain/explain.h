/* The explainer: from one parsed report to the manuals' verdict.  Every
 * memory access of the faulting instruction gets its effective address
 * from the dumped registers, its segment from the rule model
 * (effective_segment: RSP/RBP base -> SS, FS/GS prefixes with the dumped
 * bases, ES/CS/SS/DS prefixes ignored), its width, canonical form under
 * 4- and 5-level paging and its alignment requirement; then rule_predict()
 * — the same model the kernel's probes are checked against — says what
 * the CPU must raise, and platform_predict() what each known platform
 * would.  The verdict is compared with the report's title. */
#ifndef FX_EXPLAIN_H
#define FX_EXPLAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "report.h"
#include "probes/model/platform.h"
#include "probes/model/rules.h"

struct fx_eval {
	struct fx_memop m;              /* the operand (copied)               */
	bool fetch;                     /* an instruction fetch, not a memop  */
	bool known;                     /* every register it needs was dumped */
	char why[160];                  /* when !known                        */
	uint64_t ea;                    /* first byte (linear, with FS/GS base) */
	uint64_t len;                   /* bytes the rule model checks        */
	enum segment seg;
	bool have_seg_base;
	uint64_t seg_base;
	bool rep_known;
	uint64_t rep_count;             /* remaining iterations (RCX)         */
	bool backward;                  /* RFLAGS.DF = 1                      */
	uint64_t rep_lo, rep_hi;        /* bytes the rest of the string spans */
	bool canon4, canon5;
	bool misaligned;
	struct access acc;
	struct rule_verdict v4, v5;     /* under 4- and 5-level paging        */
	bool holds_fault_addr;          /* #PF: the fault address is inside   */
};

enum fx_agree { FX_AGREE_UNKNOWN, FX_AGREE_YES, FX_AGREE_NO };

struct fx_options {
	bool have_slab_random, have_freelist_addr;
	uint64_t slab_random, freelist_addr;
};

struct fx_expl {
	struct fx_insn insn;
	bool have_insn;
	char insn_why[200];
	struct fx_eval ev[FX_MAX_MEMOPS + 1];
	unsigned nev;
	int primary;                    /* index into ev, -1: none            */
	int paging;                     /* 4 or 5 (chosen), 0: unknown        */
	const char *paging_from;        /* "cr4", "inferred", "none"          */
	int cpl;
	bool cpl_known;
	bool have_fault_addr;           /* #PF: the address that faulted      */
	uint64_t fault_addr;
	const char *fault_addr_from;
	int rule;                       /* VEC_*, VEC_NONE, or -3: unknown    */
	int rule_first;                 /* #DF: the exception that could not be delivered */
	uint32_t rule_err, rule_mask;
	uint64_t rule_cr2;
	const char *rule_reason, *rule_cite;
	enum fx_agree agrees;
	char why[240];
	struct platform_outcome plat[PLATFORM_COUNT];
	bool have_plat;
	bool have_value;                /* the value worth decoding           */
	uint64_t value;
	const char *value_what;
	char notes[8][200];
	unsigned nnotes;
};

#define FX_RULE_UNKNOWN (-3)

void fx_explain(const struct fx_report *r, const struct fx_options *opt, struct fx_expl *x);

#endif
