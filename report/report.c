#include "report.h"
#include "console.h"
#include "exit.h"
#include "summary_screen.h"
#include "table.h"
#include "../probes/model/fmt.h"

static struct {
	unsigned ids, probes, faults, disagreements, skipped, unusable, oopses, segment_blind;
	bool quiet;
	const char *platform;
} run;

/* One record line: the probe records of the families that model delivery
 * (sysret, badstack) run to about 750 characters. */
#define LINE 1024

void report_configure(bool quiet)
{
	run.quiet = quiet;
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

void report_log(const char *line)
{
	con_log_line(line);
}

void report_finding(const char *line)
{
	summary_add_finding(line);
}

void report_update_facts(const struct run_facts *facts)
{
	run.platform = facts->platform;
	summary_note_run(facts);
}

void report_header(const struct run_facts *facts)
{
	char buf[LINE];
	struct strbuf sb;
	const struct cpu_fingerprint *c = &facts->cpu;

	report_update_facts(facts);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "faultprobe: what does this CPU do when a memory access faults?");
	if (facts->where) {
		sb_puts(&sb, " (");
		sb_puts(&sb, facts->where);
		sb_putc(&sb, ')');
	}
	con_line(buf);
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
	sb_puts(&sb, facts->platform);
	con_line(buf);
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "cpu brand=\"");
	sb_puts(&sb, c->brand);
	sb_puts(&sb, "\"");
	con_line(buf);
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
		table_format_header(&sb);
		con_write(buf);
		con_write("\n");
	}
}

static void send_record(const struct rec *r, bool shown)
{
	char buf[LINE];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	rec_format(&sb, r);
	if (sb.overflow)
		run.unusable++;
	if (shown)
		con_line(buf);
	else
		con_log_line(buf);
}

void report_record(const struct rec *r)
{
	send_record(r, false);
}

void report_record_shown(const struct rec *r)
{
	send_record(r, true);
}

unsigned report_probe(struct rec *r, const struct probe_view *v)
{
	char buf[LINE];
	struct strbuf sb;
	unsigned id = ++run.ids;

	rec_insert_dec(r, 0, "id", id);
	run.probes++;
	if (v->faulted)
		run.faults++;
	if (!v->agrees)
		run.disagreements++;
	run.segment_blind += v->segment_blind;
	summary_note_probe(v->set, v->faulted, v->agrees);
	send_record(r, false);
	if (!run.quiet && !v->compact) {
		sb_init(&sb, buf, sizeof(buf));
		table_format_row(&sb, r);
		con_write(buf);
		con_write("\n");
		if (v->dump) {
			struct oops_info o = *v->dump;
			o.seq = id;
			oops_format(&o, log_sink, 0);
		}
	}
	return id;
}

unsigned report_skip(struct rec *r)
{
	unsigned id = ++run.ids;
	rec_insert_dec(r, 0, "id", id);
	run.skipped++;
	send_record(r, false);
	return id;
}

static void summary_lines(unsigned unexpected)
{
	char buf[LINE];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "faultprobe: platform=");
	sb_puts(&sb, run.platform ? run.platform : "?");
	sb_puts(&sb, " disagreements with the manuals' rules: ");
	sb_dec(&sb, run.disagreements);
	sb_puts(&sb, " of ");
	sb_dec(&sb, run.probes);
	con_line(buf);
	if (run.segment_blind) {
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "faultprobe: ");
		sb_dec(&sb, run.segment_blind);
		sb_puts(&sb, " of the agreeing probes are segment-blind here (evidence=segment-blind, "
			     "yes* in the tables): this platform raises the same vector through SS and DS, "
			     "so their agreement is no evidence of the segment rule");
		con_line(buf);
	}
	if (run.skipped) {
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "faultprobe: skipped ");
		sb_dec(&sb, run.skipped);
		sb_puts(&sb, " probes, never run (their skip records say why: a page they would touch exists, a segment base that cannot be set)");
		con_line(buf);
	}
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
	if (console_lost_output())
		/* on screen: the log could not say it */
		con_line("faultprobe: a log console stopped taking output: the log is INCOMPLETE");
	/* The screen ends on one page with the verdict (report/summary_screen.c). */
	struct summary_totals t = {
		.platform = run.platform ? run.platform : "?", .probes = run.probes,
		.faults = run.faults, .unexpected = 0, .disagreements = run.disagreements,
	};
	summary_screen_show(&t);
	fp_exit(run.unusable || console_lost_output() ? EXIT_INCOMPLETE : EXIT_PASS);
}

void report_crash(const struct oops_info *o)
{
	struct oops_info copy = *o;
	copy.seq = ++run.oopses;
	con_line("faultprobe: CRASH: an exception no probe expected");
	oops_format(&copy, screen_sink, 0);
	summary_lines(1);
	fp_exit(EXIT_CRASH);
}

void report_crash_nested(void)
{
	con_line("faultprobe: fault inside the crash report");
	fp_exit(EXIT_CRASH);
}
