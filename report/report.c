#include "report.h"
#include "console.h"
#include "cpuinfo.h"
#include "exit.h"
#include "../probes/model/fmt.h"
#include "oops.h"
#include "record.h"
#include "fingerprint.h"
#include "summary_screen.h"
#include "../boot/cmdline.h"
#include "../boot/cpu.h"
#include "../boot/mb2.h"
#include "../boot/paging.h"
#include "../probes/model/vectors.h"

static struct {
	unsigned probes, faults, disagreements, unusable, oopses;
	bool quiet;
	const char *platform;
	struct cpu_fingerprint cpu;
} run;

#define LINE 512

void report_configure(const struct options *opts)
{
	run.quiet = opts->quiet;
}

unsigned report_probe_count(void)
{
	return run.probes;
}

const char *report_platform(void)
{
	return run.platform ? run.platform : "metal";
}

static void log_sink(void *ctx, const char *line)
{
	(void)ctx;
	con_log_line(line);
}

static void screen_sink(void *ctx, const char *line)
{
	(void)ctx;
	con_line(line);
}

void report_note(const char *line)
{
	con_line(line);
}

void report_header(const struct mb2_info *mb)
{
	char buf[LINE];
	struct strbuf sb;
	struct cpu_fingerprint *c = &run.cpu;

	cpu_fingerprint_read(c);
	if (!c->hypervisor[0])
		run.platform = "metal";
	else if (fp_strcmp(c->hypervisor, "TCGTCGTCGTCG") == 0)
		run.platform = "tcg";
	else if (fp_strcmp(c->hypervisor, "KVMKVMKVM") == 0)
		run.platform = "kvm";
	else
		run.platform = "hv";

	con_line("faultprobe: what does this CPU do when a memory access faults?");
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "cpu vendor=");
	sb_puts(&sb, c->vendor);
	sb_puts(&sb, " family=");
	sb_hexmin(&sb, c->family);
	sb_puts(&sb, " model=");
	sb_hexmin(&sb, c->model);
	sb_puts(&sb, " stepping=");
	sb_dec(&sb, c->stepping);
	sb_puts(&sb, " hypervisor=");
	sb_puts(&sb, c->hypervisor[0] ? c->hypervisor : "none");
	sb_puts(&sb, " platform=");
	sb_puts(&sb, run.platform);
	con_line(buf);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "cpu brand=\"");
	sb_puts(&sb, c->brand);
	sb_puts(&sb, "\"");
	con_line(buf);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "boot loader=\"");
	sb_puts(&sb, mb->loader);
	sb_puts(&sb, "\" firmware=");
	sb_puts(&sb, mb->uefi ? "uefi" : "bios");
	sb_puts(&sb, " screen=");
	sb_puts(&sb, console_screen_kind());
	if (mb->have_fb) {
		sb_puts(&sb, " fb=");
		sb_dec(&sb, mb->fb_width);
		sb_putc(&sb, 'x');
		sb_dec(&sb, mb->fb_height);
		sb_putc(&sb, 'x');
		sb_dec(&sb, mb->fb_bpp);
		sb_puts(&sb, mb->fb_type == 2 ? "/text" : mb->fb_type == 1 ? "/rgb" : "/indexed");
	}
	sb_puts(&sb, " serial=");
	sb_puts(&sb, console_has_serial() ? "com1" : "none");
	sb_puts(&sb, " paging=");
	sb_dec(&sb, paging_levels());
	sb_puts(&sb, " nxe=");
	sb_puts(&sb, (rdmsr(MSR_EFER) & EFER_NXE) ? "1" : "0");
	con_line(buf);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "cmdline=\"");
	sb_puts(&sb, mb->cmdline);
	sb_puts(&sb, "\"");
	con_line(buf);
	summary_note_boot(mb);
	fingerprint_header();
}

void report_set_begin(const char *set, const char *description)
{
	char buf[LINE];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "== set ");
	sb_puts(&sb, set);
	sb_puts(&sb, ": ");
	sb_puts(&sb, description);
	con_line(buf);
	if (!run.quiet) {
		sb_init(&sb, buf, sizeof(buf));
		record_format_table_header(&sb);
		con_line(buf);
	}
}

/* Bytes at RIP for the "Code:" line, when that page is mapped. */
static unsigned code_bytes(uint64_t rip, uint8_t *out, unsigned max)
{
	unsigned n = 0;
	for (; n < max; n++) {
		struct page_info pi;
		paging_query(0, rip + n, &pi);
		if (pi.state != PAGE_PRESENT)
			break;
		out[n] = *(const volatile uint8_t *)(uintptr_t)(rip + n);
	}
	return n;
}

static void dump_fault(const struct probe_result *r, unsigned seq)
{
	uint8_t code[8];
	struct oops_info o = {
		.f = &r->frame,
		.seq = seq,
		.frame_addr = r->frame_addr,
		.words = probe_ctx.stack_words,
		.nwords = probe_ctx.stack_words_valid,
		.pre_rsp = r->pre_rsp,
		.hw_error_code = vector_has_error_code(r->vector),
		.code = code,
		.code_len = code_bytes(r->frame.rip, code, 8),
		.cr2_sentinel = CR2_SENTINEL,
		.stack = r->stack,
	};
	oops_format(&o, log_sink, 0);
}

void report_probe(const struct probe_def *d, uint64_t addr, uint64_t rsp_adjust,
		  const struct probe_result *r)
{
	char buf[LINE];
	struct strbuf sb;
	struct probe_record rec;
	probe_record_fill(&rec, d, addr, rsp_adjust, r);
	rec.id = ++run.probes;
	rec.paging = paging_levels();
	rec.platform = report_platform();
	if (r->faulted)
		run.faults++;
	if (!r->agrees)
		run.disagreements++;
	summary_note_probe(d->set, r->faulted, r->agrees);

	sb_init(&sb, buf, sizeof(buf));
	record_format_line(&sb, &rec);
	if (sb.overflow)
		run.unusable++;
	con_log_line(buf);
	/* compact sets (the matrix) print their own per-slice summary */
	if (!run.quiet && !d->compact) {
		sb_init(&sb, buf, sizeof(buf));
		record_format_table_row(&sb, &rec);
		con_write(buf);
		con_write("\n");
		if (r->faulted)
			dump_fault(r, rec.id);
	}
}

static void summary_lines(unsigned unexpected)
{
	char buf[LINE];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "faultprobe: platform=");
	sb_puts(&sb, report_platform());
	sb_puts(&sb, " disagreements with the manuals' rules: ");
	sb_dec(&sb, run.disagreements);
	sb_puts(&sb, " of ");
	sb_dec(&sb, run.probes);
	con_line(buf);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "faultprobe: done");
	sb_kv_dec(&sb, "probes", run.probes);
	sb_kv_dec(&sb, "faults", run.faults);
	sb_kv_dec(&sb, "unexpected", unexpected);
	con_line(buf);
}

void report_finish(void)
{
	summary_lines(0);
	/* The screen ends on one page with the verdict (report/summary_screen.c). */
	struct summary_totals t = {
		.platform = report_platform(), .probes = run.probes, .faults = run.faults,
		.unexpected = 0, .disagreements = run.disagreements,
	};
	summary_screen_show(&t);
	fp_exit(run.unusable ? EXIT_INCOMPLETE : EXIT_PASS);
}

void report_crash(const struct exc_frame *f)
{
	uint8_t code[8];
	uint64_t words[12];
	unsigned nwords = 0;
	struct page_info pi;
	for (; nwords < 12; nwords++) {
		uint64_t a = (uint64_t)(uintptr_t)&f->rip + 8 * nwords;
		paging_query(0, a, &pi);
		if (pi.state != PAGE_PRESENT)
			break;
		words[nwords] = *(const uint64_t *)(uintptr_t)a;
	}
	struct oops_info o = {
		.f = f,
		.seq = ++run.oopses,
		.frame_addr = (uint64_t)(uintptr_t)&f->rip,
		.words = words,
		.nwords = nwords < 5 ? nwords : 5,
		.hw_error_code = vector_has_error_code((int)f->vector),
		.code = code,
		.code_len = code_bytes(f->rip, code, 8),
		.cr2_sentinel = CR2_SENTINEL,
		.stack = classify_stack((uint64_t)(uintptr_t)&f->rip),
	};
	con_line("faultprobe: CRASH: an exception no probe expected");
	oops_format(&o, screen_sink, 0);
	summary_lines(1);
	fp_exit(EXIT_CRASH);
}
