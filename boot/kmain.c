/* 64-bit C entry, the top of the kernel: install our own GDT/TSS, IDT and
 * page tables, bring up the consoles, find out what we run on, parse the
 * boot options, run the families the registry lists, report, exit. */
#include "cmdline.h"
#include "crash.h"
#include "mb1.h"
#include "mb2.h"
#include "../idt/gdt.h"
#include "../idt/idt.h"
#include "../idt/paging.h"
#include "../probes/exec.h"
#include "../probes/facts.h"
#include "../probes/options.h"
#include "../probes/registry.h"
#include "../report/console.h"
#include "../report/report.h"

void kmain(uint32_t magic, uint32_t mbi_addr);
void run_selftest(enum selftest which);

static struct mb2_info mb;
static struct options opts;
static struct run_facts facts;
static struct probe_env env;

/* The options are parsed before the header (they choose the consoles);
 * their error lines are kept and printed after it. */
#define MAX_ERROR_LINES 16
static char error_lines[MAX_ERROR_LINES][512];   /* ERR_LINE_SIZE, boot/cmdline.c */
static unsigned nerrors;

static void cmdline_error(void *ctx, const char *line)
{
	(void)ctx;
	if (nerrors < MAX_ERROR_LINES) {
		struct strbuf sb;
		sb_init(&sb, error_lines[nerrors++], sizeof(error_lines[0]));
		sb_puts(&sb, line);
	}
}

/* What the kernel maps besides its own image: the boot information, VGA
 * text memory, the framebuffer. */
static unsigned boot_regions(struct map_region *r)
{
	unsigned n = 0;
	r[n++] = (struct map_region){ mb.addr, mb.size, 0 };
	r[n++] = (struct map_region){ 0xB8000, 0x8000, PTE_W };   /* VGA text */
	if (mb.have_fb && mb.fb_type != MB2_FB_EGA_TEXT)
		r[n++] = (struct map_region){ mb.fb_addr, (uint64_t)mb.fb_pitch * mb.fb_height,
					      PTE_W };
	return n;
}

static void screen_of(struct screen_info *si)
{
	*si = (struct screen_info){
		.uefi = mb.uefi, .have_fb = mb.have_fb, .fb_type = mb.fb_type,
		.fb_addr = mb.fb_addr, .fb_pitch = mb.fb_pitch, .fb_width = mb.fb_width,
		.fb_height = mb.fb_height, .fb_bpp = mb.fb_bpp,
		.red_pos = mb.red_pos, .red_size = mb.red_size,
		.green_pos = mb.green_pos, .green_size = mb.green_size,
		.blue_pos = mb.blue_pos, .blue_size = mb.blue_size,
	};
}

/* "boot loader=... firmware=... screen=... fb=WxHxBPP/rgb serial=... paging=N nxe=N" */
static void boot_line(void)
{
	char buf[512];
	struct strbuf sb;

	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "boot loader=\"");
	sb_puts(&sb, mb.loader);
	sb_puts(&sb, "\" firmware=");
	sb_puts(&sb, mb.uefi ? "uefi" : "bios");
	sb_puts(&sb, " screen=");
	sb_puts(&sb, console_screen_kind());
	if (mb.have_fb) {
		sb_puts(&sb, " fb=");
		sb_dec(&sb, mb.fb_width);
		sb_putc(&sb, 'x');
		sb_dec(&sb, mb.fb_height);
		sb_putc(&sb, 'x');
		sb_dec(&sb, mb.fb_bpp);
		sb_puts(&sb, mb.fb_type == 2 ? "/text" : mb.fb_type == 1 ? "/rgb" : "/indexed");
	}
	sb_puts(&sb, " serial=");
	console_log_names(&sb);
	sb_puts(&sb, " paging=");
	sb_dec(&sb, env.paging_levels);
	sb_puts(&sb, " nxe=");
	sb_puts(&sb, env.efer_nxe ? "1" : "0");
	report_note(buf);
	sb_init(&sb, buf, sizeof(buf));
	cmdline_echo(&sb, mb.cmdline, sizeof(mb.cmdline), 240);
	report_note(buf);
}

void kmain(uint32_t magic, uint32_t mbi_addr)
{
	struct map_region regions[PAGING_MAX_REGIONS];
	struct screen_info screen;

	/* magic: checked in boot/entry.asm, multiboot2 or Multiboot 1 */
	gdt_init();
	idt_init();
	exec_init();       /* the probes' fault handler first, then the NMI note */
	crash_init();
	if (magic == MB1_BOOT_MAGIC)
		mb1_parse(mbi_addr, &mb);   /* QEMU -kernel */
	else
		mb2_parse(mbi_addr, &mb);
	paging_init(regions, boot_regions(regions));
	screen_of(&screen);
	console_init(&screen);

	unsigned errs = 0;
	const char *line = mb.cmdline;
	if (mb.cmdline_len > CMDLINE_MAX) {
		cmdline_too_long(mb.cmdline_len, cmdline_error, 0);
		errs++;
		line = "sets=none";
	}
	errs += cmdline_parse(line, CMDLINE_MAX + 1, &opts, cmdline_error, 0);
	bool consoles_ok = true;
	const uint16_t com1 = 0x3F8;
	bool fell_back = false;
	if (opts.console_given) {
		consoles_ok = console_select(opts.console_ports, opts.nconsoles,
					     opts.console_virtio, opts.baud);
		/* console= named consoles and none of them answered: the log
		 * would go nowhere while the run reports success.  Keep it on
		 * the default consoles instead, and say so. */
		if ((opts.nconsoles || opts.console_virtio) && !console_has_serial() &&
		    !console_has_virtio()) {
			console_select(&com1, 1, true, opts.baud);
			fell_back = true;
		}
	}
	else if (opts.baud != 115200)   /* the default consoles at another rate */
		consoles_ok = console_select(&com1, console_has_virtio() ? 0 : 1,
					     console_has_virtio(), opts.baud);
	facts_read(&facts);
	facts.firmware = mb.uefi ? "uefi" : "bios";
	facts.cmdline = mb.cmdline;
	facts_kernel_env(&env, &facts, false);
	report_header(&facts);
	boot_line();
	facts_microcode_line(&facts);
	for (unsigned i = 0; i < nerrors; i++)
		report_note(error_lines[i]);
	if (errs > nerrors)
		report_note("cmdline: more errors than shown");
	if (!consoles_ok)
		report_note("console: a console= device did not answer (a UART: scratch register or "
			    "loopback; virtio: no virtio console)");
	if (fell_back)
		report_note("console: none of the console= devices answered: the log stays on the "
			    "default consoles");
	exit_set_mode(opts.exit_mode);
	report_configure(opts.quiet);
	env.quiet = opts.quiet;
	run_selftest(opts.selftest);

	struct run_ctx ctx = { .opts = &opts, .env = &env };
	registry_run(&ctx);
	report_finish();
}
