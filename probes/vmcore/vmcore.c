/* scenario=vmcore-freelist: replay of the seed's vmcore (issue 4, part 5).
 *
 * probes/vmcore/vmcore_stubs.asm runs a miniature SLUB allocation whose per-CPU freelist
 * holds 0x0072006900560338 into the seed's get_freepointer instruction from
 * a function with __kmalloc's frame shape, catches the fault through the
 * probe fixup table, and copies the dead stack at the resume point.  Here
 * the copy is printed the way `crash> bt -f` prints it, every saved slot
 * labelled as the seed's author labelled it by hand, followed by machine
 * lines a test can assert and the decoding of the bad pointer.
 *
 * The five hardware slots are taken from the executor's copy of the frame:
 * the fault handler rewrites RIP/CS/RSP/SS in place to resume, everything
 * else is the memory as it was. */
#include "btf.h"
#include "../options.h"
#include "../probe.h"
#include "../model/frame_rules.h"
#include "../model/ptr_decode.h"
#include "../model/vectors.h"
#include "../../report/report.h"

#define VMC_COPY_QWORDS 48        /* probes/vmcore/vmcore_stubs.asm */
#define VMC_COPY_BELOW  256
#define FREELIST        0x0072006900560338ull
#define GFP             0x6080c0ull
#define TID             207514ull
#define LINE            256

enum vmc_site {
	S_KMALLOC, S_KMALLOC_GFP, S_KMALLOC_END,
	S_TRACE, S_TRACE_GFP, S_TRACE_END,
	S_REPLAY, S_REPLAY_RESUME,
};
extern const uint64_t vmcore_sites[];
extern uint64_t vmcore_stack_copy[VMC_COPY_QWORDS];
extern uint64_t vmcore_copy_base;
extern const uint64_t vmc_kmem_cache[], vmc_kmem_cache_cpu[];
void vmcore_replay(uint64_t which, uint64_t rsp_adjust);

struct variant {
	const char *name;          /* "rbp", "r15" */
	unsigned which;
	const char *fn;
	const char *insn;          /* AT&T, for the human line */
	unsigned fn_site, insn_site, end_site;
	struct probe_def def;      /* for the rule model */
};

static const struct variant variants[] = {
	{ "rbp", 0, "__kmalloc", "mov 0x0(%rbp,%rax,1),%rbx", S_KMALLOC, S_KMALLOC_GFP, S_KMALLOC_END,
	  { .set = "vmcore", .stub_name = "__kmalloc", .op = OP_LOAD, .base = GPR_RBP,
	    .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8 } },
	{ "r15", 1, "kmem_cache_alloc_trace", "mov (%r15,%rax,1),%rbx", S_TRACE, S_TRACE_GFP, S_TRACE_END,
	  { .set = "vmcore", .stub_name = "kmem_cache_alloc_trace", .op = OP_LOAD, .base = GPR_R15,
	    .index = GPR_RAX, .prefix = SEGP_NONE, .width = 8 } },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void log_sink(void *ctx, const char *line)
{
	(void)ctx;
	report_log(line);
}

static void log_line(const char *s)
{
	report_log(s);
}

/* struct exc_frame, lowest address first (idt/frame.h), labelled like the
 * seed's hand-annotated `bt -f` ([r15] ... [rbp] ... [ax] [cx] [dx] [si]
 * [di] [Error Code] [ip] [CS] [RFLAGS] [sp] [ss]). */
static const char *const exc_labels[] = {
	"[cr2]", "[handler ss]", "[r15]", "[r14]", "[r13]", "[r12]", "[r11]", "[r10]",
	"[r9]", "[r8]", "[di]", "[si]", "[rbp]", "[dx]", "[cx]", "[bx]", "[ax]",
	"[vector]", "[Error Code]", "[ip]", "[CS]", "[RFLAGS]", "[sp]", "[ss]",
};
#define EXC_RIP_INDEX 19   /* offsetof(struct exc_frame, rip) / 8 */

/* __kmalloc's own slots, from its RSP at the fault upward. */
static const char *const fn_labels[] = {
	"{sub $8}", "{rbx}", "{rbp}", "{r12}", "{r13}", "{r14}", "{r15}", "{ret}",
};

static bool regs_like_seed(const struct variant *v, const struct exc_frame *f)
{
	uint64_t cache = (uint64_t)(uintptr_t)vmc_kmem_cache;
	uint64_t cpu = (uint64_t)(uintptr_t)vmc_kmem_cache_cpu;
	uint64_t s_reg = v->which ? f->rbp : f->r15;
	uint64_t obj = v->which ? f->r15 : f->rbp;
	return s_reg == cache && f->r14 == cache && obj == FREELIST && f->r8 == cpu &&
	       f->rax == 0 && f->rcx == TID + 1 && f->rdx == TID && f->rsi == GFP &&
	       f->rdi == cpu && f->r12 == GFP && f->rbx == GFP && f->r13 == 0xfe &&
	       f->r11 == 0xfe && f->r10 == 1 && f->r9 == 1;
}

static bool in_fn(const struct variant *v, uint64_t a)
{
	return a >= vmcore_sites[v->fn_site] && a < vmcore_sites[v->end_site];
}

static void put_bytes(struct strbuf *sb, uint64_t addr, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (i)
			sb_putc(sb, ':');
		sb_hex(sb, *(const volatile uint8_t *)(uintptr_t)(addr + i), 2);
	}
}

static void replay(const struct probe_env *env, const struct variant *v)
{
	char buf[LINE * 2];
	struct strbuf sb;
	struct rec rec;
	struct exec_req req = { .stub = vmcore_replay, .arg = v->which, .want_regs = true };
	struct exec_result x;

	exec_run(&req, &x);
	if (!x.faulted) {
		rec_init(&rec, "vmcore");
		rec_str(&rec, "kind", "fault");
		rec_str(&rec, "variant", v->name);
		rec_vec(&rec, "vector", VEC_NONE);
		rec_hex64(&rec, "value", x.value);
		rec_str(&rec, "agrees", "no");
		rec_str(&rec, "platform", env->platform);
		report_record(&rec);
		report_note("vmcore: the freelist load did not fault");
		return;
	}

	const struct exc_frame *f = &x.frame;
	uint64_t frame_addr = x.frame_addr;
	uint64_t pre = x.pre_rsp;
	uint64_t base = vmcore_copy_base;
	uint64_t fn = vmcore_sites[v->fn_site];
	uint64_t insn = vmcore_sites[v->insn_site];
	int vector = (int)f->vector;

	/* The rule (SDM Vol. 1 3.7.4; Vol. 3 6.15) for this access. */
	struct access a;
	struct rule_verdict rule;
	probe_access(env, &v->def, FREELIST, &a);
	rule_predict(&a, &rule);
	bool agrees = rule_agrees(&rule, vector, f->error_code, f->cr2);

	/* The frame rules (part 1) on this frame. */
	uint64_t hw[6] = { f->rip, f->cs, f->rflags, f->rsp, f->ss, 0 };
	unsigned nhw = 5;
	if (frame_addr + 40 >= base && frame_addr + 48 <= base + 8 * VMC_COPY_QWORDS) {
		hw[5] = vmcore_stack_copy[(frame_addr + 40 - base) / 8];
		nhw = 6;
	}
	struct frame_obs o = {
		.set = "vmcore", .base = gpr_name(v->def.base), .addr = FREELIST,
		.vector = vector, .pre_rsp = pre, .frame_addr = frame_addr,
		.fault_insn = insn, .insn_len = v->which ? 4 : 5,
		.words = hw, .nwords = nhw, .platform = env->platform,
		.stack = frame_addr < pre && pre - frame_addr < 4096 ? "cur" : "other",
	};
	struct frame_verdict fv;
	frame_check(&o, &fv);

	/* ---- the bt -f view ---- */
	uint64_t words[VMC_COPY_QWORDS];
	const char *labels[VMC_COPY_QWORDS];
	const char *notes[VMC_COPY_QWORDS];
	for (unsigned i = 0; i < VMC_COPY_QWORDS; i++) {
		words[i] = vmcore_stack_copy[i];
		labels[i] = 0;
		notes[i] = 0;
	}
	uint64_t exc_start = frame_addr - 8 * EXC_RIP_INDEX;
	/* Label only a frame that sits wholly inside the copy, below the
	 * pre-fault RSP, with the function's saved slots above it (an IST
	 * frame, elsewhere, is shown unlabelled). */
	bool in_copy = exc_start - 8 >= base && frame_addr + 40 <= pre &&
		       pre + 8 * COUNT(fn_labels) <= base + 8 * VMC_COPY_QWORDS &&
		       exc_start + 8 * COUNT(exc_labels) <= base + 8 * VMC_COPY_QWORDS &&
		       ((frame_addr - base) & 7) == 0 && ((pre - base) & 7) == 0;
	if (in_copy) {
		unsigned e = (unsigned)((exc_start - base) / 8);
		for (unsigned i = 0; i < COUNT(exc_labels); i++)
			labels[e + i] = exc_labels[i];
		unsigned r = (unsigned)((frame_addr - base) / 8);
		words[r + 0] = f->rip;
		words[r + 1] = f->cs;
		words[r + 2] = f->rflags;
		words[r + 3] = f->rsp;
		words[r + 4] = f->ss;
		notes[r + 1] = "[ip]..[ss] from the handler's copy (it rewrote RIP/RSP to resume)";
		notes[e] = "pushed by idt/isr.asm (Linux: pt_regs by error_entry)";
		notes[r - 1] = vector_has_error_code(vector) ? "the CPU's error code, then its frame"
							     : "stub's dummy error code, then the CPU's frame";
		for (uint64_t p = frame_addr + 40; p < pre; p += 8) {
			unsigned k = (unsigned)((p - base) / 8);
			labels[k] = "[pad]";
			notes[k] = words[k] == FRAME_POISON
				? "pad: RSP aligned down to 16 before the push (SDM Vol.3 6.14.2); still poison"
				: in_fn(v, words[k])
				? "pad: RSP aligned to 16 before the push (SDM Vol.3 6.14.2); stale: a return address left by the function's own call"
				: "pad: RSP aligned down to 16 before the push (SDM Vol.3 6.14.2); stale data";
		}
		unsigned s = (unsigned)((pre - base) / 8);
		for (unsigned i = 0; i < COUNT(fn_labels); i++)
			labels[s + i] = fn_labels[i];
		notes[s] = (pre & 15) == 8 ? "RSP at the fault = [sp], 8 mod 16: one pad slot below"
					   : "RSP at the fault = [sp], 0 mod 16: no pad";
		notes[s + 1] = "{..}: the function's own push %r15..%rbx; sub $0x8,%rsp";

		struct btf_frame frames[3] = {
			{ e - 1, "isr_common" },
			{ r, v->fn },
			{ s + 7, "vmcore_replay" },
		};
		struct btf_stack st = {
			.base = base, .words = words, .labels = labels, .notes = notes,
			.nwords = VMC_COPY_QWORDS, .frames = frames, .nframes = 3,
			.first_frame_no = 0, .end = s + 7 + 1 + 4,
		};
		sb_init(&sb, buf, sizeof(buf));
		sb_puts(&sb, "vmcore: crash> bt -f  (");
		sb_puts(&sb, v->fn);
		sb_puts(&sb, " -> get_freepointer: ");
		sb_puts(&sb, v->insn);
		sb_puts(&sb, ", the saved slots labelled as in seed 001)");
		log_line(buf);
		btf_format(&st, log_sink, 0);
	} else {
		report_note("vmcore: the frame is outside the copied stack window; no bt -f view");
	}

	/* ---- the machine line ---- */
	rec_init(&rec, "vmcore");
	rec_str(&rec, "kind", "fault");
	rec_str(&rec, "variant", v->name);
	rec_str(&rec, "fn", v->fn);
	rec_hex64(&rec, "addr", FREELIST);
	rec_vec(&rec, "vector", vector);
	if (vector_has_error_code(vector))
		rec_hexmin(&rec, "err", f->error_code);
	else
		rec_str(&rec, "err", "-");
	rec_str(&rec, "rip_fn", f->rip == insn ? "get_freepointer"
				: (f->rip >= fn && f->rip < vmcore_sites[v->end_site]) ? v->fn : "other");
	struct strbuf *tb = rec_text_begin(&rec);
	sb_puts(tb, v->fn);
	sb_putc(tb, '+');
	sb_hexmin(tb, f->rip - fn);
	rec_text_end(&rec, "rip_off");
	put_bytes(rec_text_begin(&rec), insn, v->which ? 4 : 5);
	rec_text_end(&rec, "insn_bytes");
	rec_str(&rec, "rip_at", fv.rip_at);
	rec_dec(&rec, "rsp_mod16", pre & 15);
	rec_sdec(&rec, "frame_rel", -(int64_t)(pre - frame_addr));
	rec_dec(&rec, "pad", fv.pad);
	/* The CPU does not write the pad; here it holds whatever the path left
	 * (seed 000: a stale ffffffff84288063). */
	rec_str(&rec, "pad_slot", fv.pad == 0 ? "-" : nhw > 5 && hw[5] == FRAME_POISON ? "poison"
				  : nhw > 5 && in_fn(v, hw[5]) ? "stale-ret" : "stale");
	rec_yesno(&rec, "aligned", fv.aligned);
	rec_str(&rec, "saved_rsp", fv.saved_rsp_pre ? "pre-fault" : "other");
	rec_dec(&rec, "rf", fv.rf);
	rec_hexmin(&rec, "cs", f->cs);
	rec_hexmin(&rec, "ss", f->ss);
	rec_str(&rec, "regs", regs_like_seed(v, f) ? "seed-shape" : "other");
	rec_str(&rec, "segment", segment_name(rule.segment));
	rec_vec(&rec, "rule", rule.vector);
	rec_hexmin(&rec, "rule_err", rule.error_code);
	rec_yesno(&rec, "agrees", agrees);
	rec_str(&rec, "platform", env->platform);
	report_record(&rec);

	/* ---- the human verdict ---- */
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "vmcore: ");
	sb_puts(&sb, v->insn);
	sb_puts(&sb, " with ");
	sb_puts(&sb, gpr_name(v->def.base));
	sb_puts(&sb, "=0x0072006900560338: ");
	vector_put(&sb, vector);
	sb_puts(&sb, " at ");
	sb_puts(&sb, v->fn);
	sb_putc(&sb, '+');
	sb_hexmin(&sb, f->rip - fn);
	sb_puts(&sb, ", SDM: ");
	vector_put(&sb, rule.vector);
	sb_puts(&sb, "(0)");
	if (!agrees && vector == VEC_GP && rule.vector == VEC_SS)
		sb_puts(&sb, " - this platform raised #GP where the SDM (and the seed's hardware) raise #SS");
	else
		sb_puts(&sb, agrees ? " - agrees" : " - DISAGREES");
	report_note(buf);
}

static void decode(void)
{
	struct rec rec;
	struct ptr_decode d;
	ptr_decode(FREELIST, &d);

	rec_init(&rec, "vmcore");
	rec_str(&rec, "kind", "decode");
	rec_hex64(&rec, "value", FREELIST);
	rec_str(&rec, "bytes", d.hex);
	rec_str(&rec, "ascii", d.ascii);
	rec_str(&rec, "utf16le", d.utf16);
	rec_str(&rec, "codepoints", d.utf16_cps);
	rec_yesno(&rec, "usb_string_desc", d.usb_string);
	if (d.usb_string) {
		rec_dec(&rec, "usb_blength", d.usb_len);
		rec_str(&rec, "usb_text", d.usb_text);
	}
	rec_yesno(&rec, "canonical4", d.canonical4);
	rec_yesno(&rec, "canonical5", d.canonical5);
	report_record(&rec);

	static const char *const why[] = {
		"vmcore: the freelist pointer 0x0072006900560338 as memory (little-endian):",
		"vmcore:   bytes 38 03 56 00 69 00 72 00, ASCII \"8.V.i.r.\"",
		"vmcore:   UTF-16LE U+0338 U+0056 U+0069 U+0072 = \"\\u0338Vir\": text, not a pointer",
		"vmcore:   read as a USB string descriptor: bLength=0x38 (56), bDescriptorType=3 (STRING),",
		"vmcore:   then \"Vir...\" (27 UTF-16 units), consistent with the usbdev_ioctl path in seed 001",
		"vmcore: why #SS through rbp: bits 63:47 are not all equal (4-level paging, SDM Vol.1 3.3.7.1),",
		"vmcore:   and an RBP (or RSP) base makes SS the implied segment (SDM Vol.1 3.7.4);",
		"vmcore:   a non-canonical reference through SS is #SS(0) (SDM Vol.3 6.15, interrupt 12).",
		"vmcore: why #GP through r15: any other base uses DS; non-canonical through DS/ES/FS/GS",
		"vmcore:   is #GP(0) (SDM Vol.3 6.15, interrupt 13).  Under 5-level paging the value is",
		"vmcore:   canonical (bits 63:56 equal) and the load would be a #PF on an unmapped page.",
	};
	for (unsigned i = 0; i < COUNT(why); i++)
		log_line(why[i]);
}

void run_vmcore(const struct run_ctx *ctx)
{
	report_note("== set vmcore-freelist: replay of seed 001, __kmalloc -> get_freepointer on freelist 0x0072006900560338");
	for (unsigned i = 0; i < COUNT(variants); i++)
		replay(ctx->env, &variants[i]);
	decode();
}
