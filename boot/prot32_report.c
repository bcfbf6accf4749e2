/* Prints the 32-bit protected-mode probe records that boot/prot32.asm left
 * in .bss at boot (issue 4, section 3).  The probes always run; `sets=`
 * (RUN_PROT32) only decides whether this prints them. */
#include "prot32.h"
#include "cmdline.h"
#include "../probes/sets.h"
#include "../report/console.h"
#include "../probes/model/fmt.h"
#include "../report/report.h"

static void log_sink(void *ctx, const char *line)
{
	(void)ctx;
	con_log_line(line);
}

void run_prot32_report(const struct options *opts)
{
	char buf[512];
	struct strbuf sb;

	report_note("== set prot32: 32-bit protected mode at boot, before long mode "
		    "(CPL 0, no privilege change; ESP = 0/4/8/12 mod 16, stack poisoned)");
	if (prot32_status != 1 || prot32_count != P32_RECORDS) {
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "prot32: FAIL incomplete: ");
		sb_dec(&sb, prot32_count);
		sb_puts(&sb, " of ");
		sb_dec(&sb, P32_RECORDS);
		sb_puts(&sb, " records");
		report_note(buf);
	}

	unsigned n = prot32_count <= P32_RECORDS ? prot32_count : P32_RECORDS;
	unsigned disagree = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct prot32_raw *r = &prot32_records[i];
		struct p32_verdict v;
		p32_decode(r, &v);
		if (!v.agrees)
			disagree++;
		sb_init(&sb, buf, sizeof(buf));
		p32_format_record(&sb, i + 1, r, &v, report_platform());
		con_log_line(buf);
		if (opts->quiet)
			continue;
		/* One human line per probe kind, and the labelled stack for the
		 * ESP ≡ 4 run (serial log only). */
		if (r->esp_mod16 == 4) {
			sb_init(&sb, buf, sizeof(buf));
			/* (not "prot32 ...": that first word makes a record line) */
			sb_puts(&sb, "  32-bit ");
			sb_puts(&sb, p32_probe_name(r->probe));
			sb_puts(&sb, ": ");
			sb_puts(&sb, p32_probe_insn(r->probe));
			sb_puts(&sb, v.faulted ? " -> faulted" : " -> no fault");
			sb_puts(&sb, v.agrees ? ", agrees with the SDM" : ", DISAGREES with the SDM");
			con_line(buf);
			sb_init(&sb, buf, sizeof(buf));
			sb_puts(&sb, "    rule: ");
			sb_puts(&sb, p32_probe_cite(r->probe));
			con_log_line(buf);
			sb_init(&sb, buf, sizeof(buf));
			sb_puts(&sb, "    stack at the fault (ESP = 0x");
			sb_hex(&sb, r->pre_esp, 8);
			sb_puts(&sb, ", poison 0xdeadbeef below, 0x5a5a5a5a at/above):");
			con_log_line(buf);
			p32_format_stack(r, &v, log_sink, 0);
		}
	}
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "prot32: ");
	sb_dec(&sb, n);
	sb_puts(&sb, " probes in 32-bit protected mode, ");
	sb_dec(&sb, disagree);
	sb_puts(&sb, " disagree with the SDM rule (records: `prot32 ...` in the log)");
	report_note(buf);
}
