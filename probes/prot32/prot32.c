/* sets=prot32: prints the 32-bit protected-mode probe records that
 * probes/prot32/prot32_probes.asm left in .bss at boot (boot/entry.asm runs it
 * before long mode, before the executor exists: this is the one family
 * whose probes run outside it).  The probes always run; `sets=` only
 * decides whether this prints them. */
#include "prot32.h"
#include "../options.h"
#include "../probe.h"
#include "../../report/report.h"

static void log_sink(void *ctx, const char *line)
{
	(void)ctx;
	report_log(line);
}

void run_prot32(const struct run_ctx *ctx)
{
	char buf[512];
	struct strbuf sb;
	struct rec rec;

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
		p32_record(&rec, i + 1, r, &v, ctx->env->platform);
		report_record(&rec);
		if (ctx->opts->quiet)
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
			report_note(buf);
			sb_init(&sb, buf, sizeof(buf));
			sb_puts(&sb, "    rule: ");
			sb_puts(&sb, p32_probe_cite(r->probe));
			report_log(buf);
			sb_init(&sb, buf, sizeof(buf));
			sb_puts(&sb, "    stack at the fault (ESP = 0x");
			sb_hex(&sb, r->pre_esp, 8);
			sb_puts(&sb, ", poison 0xdeadbeef below, 0x5a5a5a5a at/above):");
			report_log(buf);
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
