/* 64-bit C entry: install our own GDT/TSS, IDT and page tables, parse the
 * boot options, run the selected probe sets, report, exit. */
#include "cmdline.h"
#include "gdt.h"
#include "mb2.h"
#include "paging.h"
#include "../idt/idt.h"
#include "../probes/sets.h"
#include "../report/console.h"
#include "../report/exit.h"
#include "../probes/model/fmt.h"
#include "../report/report.h"
#include "../report/fingerprint.h"

void kmain(uint32_t magic, uint32_t mbi_addr);
void run_selftest(enum selftest which);

static struct mb2_info mb;
static struct options opts;

static void cmdline_error(void *ctx, const char *line)
{
	(void)ctx;
	report_note(line);
}

void kmain(uint32_t magic, uint32_t mbi_addr)
{
	(void)magic;   /* checked in boot/entry.asm */
	gdt_init();
	idt_init();
	mb2_parse(mbi_addr, &mb);
	paging_init(&mb);
	console_init(&mb);

	options_default(&opts);
	report_header(&mb);
	cmdline_parse(mb.cmdline, sizeof(mb.cmdline), &opts, cmdline_error, 0);
	exit_set_mode(opts.exit_mode);
	report_configure(&opts);
	run_selftest(opts.selftest);

	if (opts.run & RUN_PROT32)
		run_prot32_report(&opts);
	if (opts.run & RUN_SEED)
		run_seed_set(&opts);
	if (opts.run & RUN_MATRIX)
		run_matrix_set(&opts);
	if (opts.run & RUN_LA57)
		run_la57_set(&opts, &mb);
	if (opts.run & RUN_FINGERPRINT)
		run_fingerprint_set(&opts);
	run_extra_addrs(&opts);
	if (opts.run & RUN_FRAME)
		run_frame_set(&opts);
	if (opts.run & RUN_SOFTFRAME)
		run_softframe_set(&opts);
	if (opts.run & RUN_VMCORE)
		run_vmcore_scenario(&opts);
	report_finish();
}
