/* A probe's outcome, flattened for printing, and its two renderings: the
 * machine-readable `probe k=v ...` line (the contract in README.md) and a
 * row of the human table.  Portable: host unit tests cover it. */
#ifndef FP_RECORD_H
#define FP_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include "../probes/model/fmt.h"

struct probe_record {
	unsigned id;
	const char *set, *op, *base, *index, *seg;
	unsigned width, cpl, paging;
	uint64_t addr;
	uint64_t rsp_adjust;
	int vector;               /* VEC_NONE when nothing faulted          */
	uint64_t err;             /* printed when the vector has one        */
	bool cr2_print;           /* #PF, or CR2 moved on another vector    */
	uint64_t cr2;
	uint64_t rip, cs, rflags, rsp, ss;   /* hardware-pushed slots, raw */
	uint64_t pre_rsp, frame_addr;
	const char *stack;        /* cur, ist4, rsp0                        */
	const char *rip_at;       /* insn: saved RIP is the probed instruction */
	const char *saved_rsp;    /* pre: saved RSP is the pre-fault RSP    */
	uint64_t value;           /* no fault: what was read                */
	int rule_vector;
	uint32_t rule_err;
	bool agrees;
	const char *platform;     /* tcg, kvm, metal, linux-user ...        */
	/* linux-user: slots user space cannot see print as "-" */
	bool frame_hidden;        /* frame= (the frame is on the kernel stack) */
	bool ss_hidden;           /* ss= (no UC_SIGCONTEXT_SS)              */
	/* optional keys, printed only when set */
	const char *slice;        /* slice=: the matrix slice               */
	bool handler_ss_print;    /* handler_ss=: SS while the handler ran  */
	uint64_t handler_ss;
	const char *ring3_frame;  /* ring3_frame=ok|bad (CPL-3 faults)      */
};

void record_format_line(struct strbuf *sb, const struct probe_record *r);
void record_format_table_header(struct strbuf *sb);
void record_format_table_row(struct strbuf *sb, const struct probe_record *r);
/* "#SS", "none", or "vec<n>" into sb. */
void record_put_vector(struct strbuf *sb, int vector);

#endif
