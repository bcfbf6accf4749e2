/* What fpexplain found in the input: one struct fx_report per crash report
 * (a Linux oops, faultprobe's own oops dump, or a crash `bt -f` session),
 * with the registers, code bytes and stack words the text gave, and notes
 * naming what it did not give.  Filled by the parsers (oops_parse.c,
 * crash_parse.c), read by the explainer. */
#ifndef FX_REPORT_H
#define FX_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probes/model/access.h"

#define FX_CODE_MAX 128
#define FX_NOTES    16
#define FX_NOTE_LEN 200

/* The registers of the interrupted context, as printed. */
struct fx_regs {
	uint64_t gpr[GPR_COUNT];
	uint32_t have_gpr;              /* bit per enum gpr */
	uint64_t rip, rflags, cs, ss;
	bool have_rip, have_rflags, have_cs, have_ss;
	uint64_t fs_base, gs_base, kgs_base;
	bool have_fs, have_gs, have_kgs;
	uint64_t cr0, cr2, cr3, cr4;
	bool have_cr0, have_cr2, have_cr3, have_cr4;
	uint64_t orig_ax;
	bool have_orig_ax;
};

static inline bool fx_have_gpr(const struct fx_regs *r, int g)
{
	return g >= 0 && g < GPR_COUNT && (r->have_gpr >> g) & 1;
}

/* ------------------------------------------------------------ stacks */

struct fx_slot {
	uint64_t addr, value;
	char label[24];                 /* "[ip]", "[rbp]" ... or ""          */
	char note[96];                  /* one remark for this slot, or ""   */
	char given[24];                 /* label already present in the text */
};

struct fx_bt_frame {
	int no;                         /* crash's #N                         */
	uint64_t addr;                  /* the bracketed stack address        */
	uint64_t pc;                    /* "at ..."                           */
	char func[96];
	unsigned line;
};

struct fx_dis {
	uint64_t addr;
	char sym[96];                   /* "__kmalloc+171"                    */
	char text[128];                 /* "mov    0x0(%rbp,%rax,1),%rbx"     */
};

struct fx_stack {
	struct fx_slot *slots;          /* sorted by address, unique          */
	size_t nslots, capslots;
	struct fx_bt_frame *frames;     /* in input order, unique (no, addr)  */
	size_t nframes, capframes;
	struct fx_dis *dis;
	size_t ndis, capdis;
	unsigned conflicts;             /* same slot printed with two values  */
	/* crash's "[exception RIP: sym+off]" and the registers after it */
	bool have_exc;
	char exc_sym[96];
	struct fx_regs exc_regs;
	/* crash `struct kmem_cache` output: "random = N," (hardened freelists) */
	bool have_slab_random;
	uint64_t slab_random;
};

bool fx_stack_slot(struct fx_stack *s, uint64_t addr, uint64_t value, const char *given);
struct fx_slot *fx_stack_find(struct fx_stack *s, uint64_t addr);
bool fx_stack_frame(struct fx_stack *s, const struct fx_bt_frame *f);
bool fx_stack_dis(struct fx_stack *s, const struct fx_dis *d);
void fx_stack_free(struct fx_stack *s);

/* The hardware exception frame located in a stack dump (frame.c). */
struct fx_hwframe {
	bool found;
	uint64_t ip_slot;               /* address of the [ip] slot           */
	uint64_t rip, cs, rflags, rsp, ss;
	bool have_err;
	uint64_t err_slot_value;
	int entry;                      /* index of the exception entry frame, -1 */
	int victim;                     /* index of the interrupted frame, -1 */
	int vector;                     /* from the entry function name       */
	int pad;                        /* alignment pad bytes; -1: another stack */
	bool pt_regs;                   /* Linux pt_regs slots labelled       */
	/* 64-bit frame checks (SDM Vol.3 6.14, 6.14.2, 17.3.1.1) */
	bool cs_zext, ss_zext, rflags_bit1, rf, aligned16;
	char how[320];                  /* how it was found                   */
};

/* ------------------------------------------------------------ reports */

enum fx_src { FX_SRC_LINUX, FX_SRC_FAULTPROBE, FX_SRC_CRASH };

enum fx_code_state {
	FX_CODE_NONE,           /* no Code: line                          */
	FX_CODE_OK,
	FX_CODE_NO_MARKER,      /* bytes but no <xx>                      */
	FX_CODE_BAD_RIP,        /* "Code: Bad RIP value."                 */
	FX_CODE_UNREADABLE,     /* "Unable to access opcode bytes at ..." */
	FX_CODE_MALFORMED,      /* something else after "Code:"           */
};

struct fx_report {
	enum fx_src src;
	unsigned line;                  /* input line of the title            */
	char title[320];
	int vector;                     /* VEC_* from the title, VEC_NONE     */
	bool have_err;
	uint32_t err;
	unsigned seq;                   /* [#N]                               */
	bool have_hint;                 /* "probably for non-canonical address" */
	uint64_t hint;
	bool have_fault_addr;           /* "BUG: unable to handle ... X"      */
	uint64_t fault_addr;
	char pf_desc[96];               /* "#PF: supervisor write access ..." */
	bool have_kasan;                /* "KASAN: ... in range [lo-hi]"     */
	uint64_t kasan_lo, kasan_hi;
	bool stack_overflow;            /* "BUG: stack guard page was hit"   */
	char func[128];                 /* "__kmalloc+0xab"                   */
	bool func_inline;
	struct fx_regs regs;
	uint8_t code[FX_CODE_MAX];
	unsigned code_len;
	int code_marker;                /* index of <xx>, -1 if none          */
	enum fx_code_state code_state;
	char dis_text[128];             /* crash `dis` line at RIP            */
	struct fx_stack stack;          /* crash session / faultprobe frame rows */
	struct fx_hwframe frame;
	char notes[FX_NOTES][FX_NOTE_LEN];
	unsigned nnotes;
	/* parser state */
	bool after_trace, saw_rip, saw_rsp, is32;
};

struct fx_reports {
	struct fx_report *v;
	size_t n, cap;
};

struct fx_report *fx_reports_add(struct fx_reports *rs);
void fx_reports_free(struct fx_reports *rs);
void fx_note(struct fx_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
