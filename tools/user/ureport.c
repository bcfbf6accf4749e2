/* The report for faultprobe-user: the kernel's report_* calls (report/report.h)
 * rendered with the same record_format_line(), so kernel and user lines have
 * the same shape.  stdout: header, `probe` lines, `skip` lines, summary.
 * stderr: the human table (unless `quiet`). */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "user.h"
#include "../../boot/cmdline.h"
#include "../../probes/model/vectors.h"
#include "../../report/cpuinfo.h"
#include "../../probes/model/fmt.h"
#include "../../report/record.h"
#include "../../report/report.h"

#define LINE 512
#define PLATFORM "linux-user"

static struct {
	unsigned ids, probes, faults, disagreements, skipped, unusable;
	bool table;
} run;

void user_report_init(bool table)
{
	run.table = table;
}

const char *report_platform(void)
{
	return PLATFORM;
}

void report_note(const char *line)
{
	printf("%s\n", line);
}

void user_report_header(void)
{
	struct cpu_fingerprint c;
	struct utsname u;

	cpu_fingerprint_read(&c);
	printf("faultprobe: what does this CPU do when a memory access faults? (Linux user space, CPL 3)\n");
	printf("cpu vendor=%s family=0x%x model=0x%x stepping=%u hypervisor=%s platform=%s\n",
	       c.vendor, c.family, c.model, c.stepping, c.hypervisor[0] ? c.hypervisor : "none",
	       PLATFORM);
	printf("cpu brand=\"%s\"\n", c.brand);
	if (uname(&u) != 0)
		strcpy(u.release, "?");
	printf("host kernel=\"%s\" paging=%u nxe=%d smep=%d smap=%d lass=%d pti=%d vsyscall=0x%016llx\n",
	       u.release, user_env.paging_levels, user_env.nxe, user_env.smep, user_env.smap,
	       user_env.lass, user_env.pti, (unsigned long long)user_env.vsyscall_lo);
	if (c.hypervisor[0])
		printf("note: this Linux runs under a hypervisor (%s); ring-3 loads and stores still "
		       "execute on the host CPU and #SS/#GP/#PF are delivered by it, unless the "
		       "hypervisor intercepts them\n", c.hypervisor);
}

void report_set_begin(const char *set, const char *description)
{
	printf("== set %s: %s\n", set, description);
	if (run.table) {
		char buf[LINE];
		struct strbuf sb;
		sb_init(&sb, buf, sizeof(buf));
		record_format_table_header(&sb);
		fprintf(stderr, "== set %s\n%s\n", set, buf);
	}
}

static void skip_line(const struct probe_def *d, uint64_t addr, uint64_t rsp_adjust,
		      const struct probe_result *r, unsigned id)
{
	char buf[LINE];
	struct strbuf sb;

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "skip");
	sb_kv_dec(&sb, "id", id);
	sb_kv_str(&sb, "set", d->set);
	if (d->slice)
		sb_kv_str(&sb, "slice", d->slice);
	sb_kv_str(&sb, "op", probe_op_name(d->op));
	sb_kv_str(&sb, "base", gpr_name(d->base));
	sb_kv_str(&sb, "index", gpr_name(d->index));
	sb_kv_str(&sb, "seg", seg_prefix_name(d->prefix));
	sb_kv_dec(&sb, "width", d->width);
	sb_kv_dec(&sb, "cpl", 3);
	sb_kv_dec(&sb, "paging", user_env.paging_levels);
	sb_kv_dec(&sb, "adjust", rsp_adjust);
	sb_kv_hex64(&sb, "addr", addr);
	sb_kv_str(&sb, "reason", user_last_skip);
	sb_puts(&sb, " rule=");
	record_put_vector(&sb, r->rule.vector);
	sb_kv_str(&sb, "platform", PLATFORM);
	printf("%s\n", buf);
	if (run.table)
		fprintf(stderr, "%3u  0x%016llx  skipped: a page it would touch exists in this process (%s)\n",
			id, (unsigned long long)addr, user_last_skip);
}

void report_probe(const struct probe_def *d, uint64_t addr, uint64_t rsp_adjust,
		  const struct probe_result *r)
{
	char buf[LINE];
	struct strbuf sb;
	unsigned id = ++run.ids;

	if (user_last_skip) {
		run.skipped++;
		skip_line(d, addr, rsp_adjust, r, id);
		return;
	}
	struct probe_record rec;
	probe_record_fill(&rec, d, addr, rsp_adjust, r);
	rec.id = id;
	rec.cpl = 3;
	rec.paging = user_env.paging_levels;
	/* Linux's REG_CR2 is thread.cr2, written only for #PF. */
	rec.cr2_print = r->vector == VEC_PF;
	/* The frame's address and SS in the handler are the kernel's. */
	rec.frame_addr = 0;
	rec.handler_ss_print = false;
	rec.ring3_frame = NULL;
	rec.platform = PLATFORM;
	rec.frame_hidden = true;
	rec.ss_hidden = !user_last_ss_valid();
	run.probes++;
	if (r->faulted)
		run.faults++;
	if (!r->agrees)
		run.disagreements++;

	sb_init(&sb, buf, sizeof(buf));
	record_format_line(&sb, &rec);
	if (sb.overflow)
		run.unusable++;
	printf("%s\n", buf);
	if (run.table && !d->compact) {
		sb_init(&sb, buf, sizeof(buf));
		record_format_table_row(&sb, &rec);
		fprintf(stderr, "%s\n", buf);
	}
}

void user_report_summary(void)
{
	printf("faultprobe: platform=%s disagreements with the manuals' rules: %u of %u\n",
	       PLATFORM, run.disagreements, run.probes);
	if (run.skipped)
		printf("faultprobe: skipped %u probes: a page they would touch exists in this "
		       "process (never probed)\n", run.skipped);
	printf("faultprobe: done probes=%u faults=%u unexpected=0\n", run.probes, run.faults);
	fflush(stdout);
}

bool user_report_table(void)
{
	return run.table;
}

unsigned user_report_failures(void)
{
	return run.unusable;
}

/* Async-signal-safe: formats with report/fmt.c into a stack buffer. */
void user_report_crash(int sig, uint64_t rip, uint64_t trapno, uint64_t err)
{
	char buf[LINE];
	struct strbuf sb;
	ssize_t n;

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "faultprobe: CRASH: signal ");
	sb_dec(&sb, (uint64_t)sig);
	sb_puts(&sb, " that no probe expected: rip=");
	sb_hex64(&sb, rip);
	sb_puts(&sb, " vector=");
	record_put_vector(&sb, (int)trapno);
	sb_puts(&sb, " err=");
	sb_hexmin(&sb, err);
	sb_puts(&sb, "\nfaultprobe: done");
	sb_kv_dec(&sb, "probes", run.probes);
	sb_kv_dec(&sb, "faults", run.faults);
	sb_kv_dec(&sb, "unexpected", 1);
	sb_putc(&sb, '\n');
	n = write(1, buf, sb.len);
	n = write(2, buf, sb.len);
	(void)n;
}
