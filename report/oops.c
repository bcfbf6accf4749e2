#include "oops.h"
#include "../probes/model/fmt.h"
#include "../probes/model/vectors.h"

#define LINE 160

static void reg(struct strbuf *sb, const char *name, uint64_t v)
{
	sb_puts(sb, name);
	sb_puts(sb, ": ");
	sb_hex(sb, v, 16);
	sb_putc(sb, ' ');
}

static void slot(line_sink_fn sink, void *ctx, uint64_t addr, uint64_t v, const char *label)
{
	char buf[LINE];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "  ");
	sb_hex(&sb, addr, 16);
	sb_puts(&sb, ": ");
	sb_hex(&sb, v, 16);
	sb_puts(&sb, " ");
	sb_puts(&sb, label);
	sink(ctx, buf);
}

void oops_format(const struct oops_info *o, line_sink_fn sink, void *ctx)
{
	const struct exc_frame *f = o->f;
	char buf[LINE];
	struct strbuf sb;
	int vector = (int)f->vector;

	/* Title: "<name>: <error code, 4 hex digits> [#<count>]" */
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, vector_name(vector));
	sb_puts(&sb, ": ");
	sb_hex(&sb, o->hw_error_code ? f->error_code : 0, 4);
	sb_puts(&sb, " [#");
	sb_dec(&sb, o->seq);
	sb_puts(&sb, "] vector=");
	sb_dec(&sb, (uint64_t)vector);
	if (vector_mnemonic(vector)) {
		sb_putc(&sb, ' ');
		vector_put(&sb, vector);
	}
	if (!o->hw_error_code)
		sb_puts(&sb, " (no error code pushed)");
	sink(ctx, buf);

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "RIP: ");
	sb_hex(&sb, f->cs, 4);
	sb_putc(&sb, ':');
	sb_hex(&sb, f->rip, 16);
	sink(ctx, buf);

	if (o->code && o->code_len) {
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "Code:");
		for (unsigned i = 0; i < o->code_len; i++) {
			sb_putc(&sb, ' ');
			if (i == 0)
				sb_putc(&sb, '<');
			sb_hex(&sb, o->code[i], 2);
			if (i == 0)
				sb_putc(&sb, '>');
		}
		sink(ctx, buf);
	}

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "RSP: ");
	sb_hex(&sb, f->ss, 4);
	sb_putc(&sb, ':');
	sb_hex(&sb, f->rsp, 16);
	sb_puts(&sb, " EFLAGS: ");
	sb_hex(&sb, f->rflags, 8);
	sink(ctx, buf);

	const struct { const char *name; uint64_t v; } regs[] = {
		{ "RAX", f->rax }, { "RBX", f->rbx }, { "RCX", f->rcx },
		{ "RDX", f->rdx }, { "RSI", f->rsi }, { "RDI", f->rdi },
		{ "RBP", f->rbp }, { "R08", f->r8 }, { "R09", f->r9 },
		{ "R10", f->r10 }, { "R11", f->r11 }, { "R12", f->r12 },
		{ "R13", f->r13 }, { "R14", f->r14 }, { "R15", f->r15 },
	};
	for (unsigned i = 0; i < 15; i += 3) {
		sb_init(&sb, buf, sizeof(buf));
		for (unsigned j = i; j < i + 3; j++)
			reg(&sb, regs[j].name, regs[j].v);
		sb.len--;               /* drop the trailing space */
		sb.buf[sb.len] = '\0';
		sink(ctx, buf);
	}

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "CR2: ");
	sb_hex(&sb, f->cr2, 16);
	if (f->cr2 == o->cr2_sentinel)
		sb_puts(&sb, " (sentinel: not written by this fault)");
	sb_puts(&sb, " SS in handler: ");
	sb_hex(&sb, f->handler_ss, 4);
	sink(ctx, buf);

	/* The frame as it sits in memory, lowest address first. */
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "hardware frame at ");
	sb_hex(&sb, o->frame_addr, 16);
	sb_puts(&sb, " on stack ");
	sb_puts(&sb, o->stack ? o->stack : "?");
	sb_puts(&sb, ", pre-fault RSP ");
	sb_hex(&sb, o->pre_rsp, 16);
	sink(ctx, buf);

	slot(sink, ctx, o->frame_addr - 8, f->error_code,
	     o->hw_error_code ? "[Error Code]" : "[0, pushed by the stub: no error code]");
	static const char *const labels[5] = { "[ip]", "[CS]", "[RFLAGS]", "[sp]", "[ss]" };
	for (unsigned i = 0; i < o->nwords && i < 12; i++) {
		uint64_t addr = o->frame_addr + 8 * i;
		const char *label;
		if (i < 5)
			label = labels[i];
		else if (o->pre_rsp && addr < o->pre_rsp && o->pre_rsp - addr <= 8)
			/* at most one slot; a frame on another (IST) stack has none */
			label = "[pad: RSP aligned down to 16 before the push]";
		else if (o->pre_rsp && addr == o->pre_rsp)
			label = "<- pre-fault RSP";
		else
			break;
		slot(sink, ctx, addr, o->words[i], label);
	}
}
