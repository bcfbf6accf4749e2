/* 5-level paging (issue 4, section 4): switch to LA57, rerun the seed's two
 * instructions over the 57-bit canonical edges, switch back to 4-level.
 *
 * With CR4.LA57 = 1 a linear address is canonical when bits 63:57 equal
 * bit 56, so the lower half ends at 0x00FFFFFFFFFFFFFF and the upper half
 * starts at 0xFF00000000000000 (SDM Vol. 1 3.3.7.1, Vol. 3 4.5).  The old
 * 4-level holes (0x0000800000000000 ...) become canonical, unmapped: #PF. */
#include "../options.h"
#include "../seed_stubs.h"
#include "la57_mode.h"
#include "../../idt/cpu.h"
#include "../../idt/paging.h"
#include "../../report/report.h"

static const uint64_t la57_addresses[] = {
	/* 0x0100000000000000 - k, k = 8..1: the last canonical qword (k = 8)
	 * and seven 8-byte loads that run past the 57-bit boundary */
	0x00FFFFFFFFFFFFF8ull, 0x00FFFFFFFFFFFFF9ull, 0x00FFFFFFFFFFFFFAull,
	0x00FFFFFFFFFFFFFBull, 0x00FFFFFFFFFFFFFCull, 0x00FFFFFFFFFFFFFDull,
	0x00FFFFFFFFFFFFFEull, 0x00FFFFFFFFFFFFFFull,
	0x0100000000000000ull,   /* first non-canonical (bit 56 set, 63:57 clear) */
	0x0080000000000000ull,   /* bit 55: canonical under LA57                   */
	0xFEFFFFFFFFFFFFFFull,   /* last non-canonical below the upper half       */
	0xFF00000000000000ull,   /* first canonical upper-half address            */
	/* the 4-level edges, all canonical now */
	0x00007FFFFFFFFFF9ull, 0x00007FFFFFFFFFFFull, 0x0000800000000000ull,
	0x0000FFFFFFFFFFFFull, 0x0001000000000000ull, 0x0010000000000000ull,
	0xFFFF7FFFFFFFFFFFull, 0xFFFF800000000000ull,
	0x0072006900560338ull,   /* the vmcore's freelist: canonical under LA57   */
};

static const struct probe_def la57_probes[] = { SEED_DEF_RBP("la57"), SEED_DEF_R15("la57") };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* `la57 status=... [reason=...|root=...] paging=N cr4_la57=0|1 platform=...` */
static void la57_line(const struct probe_env *env, const char *status, const char *key,
		      const char *reason, uint64_t root)
{
	struct rec rec;
	rec_init(&rec, "la57");
	rec_str(&rec, "status", status);
	if (key && reason)
		rec_str(&rec, key, reason);
	else if (key)
		rec_hex64(&rec, key, root);
	rec_dec(&rec, "paging", paging_levels());
	rec_str(&rec, "cr4_la57", (read_cr4() & CR4_LA57) ? "1" : "0");
	rec_str(&rec, "platform", env->platform);
	report_record(&rec);
}

static void skipped(const struct probe_env *env, const char *why, const char *reason_key)
{
	char buf[256];
	struct strbuf sb;
	sb_init(&sb, buf, sizeof(buf));
	sb_puts(&sb, "la57: skipped (");
	sb_puts(&sb, why);
	sb_putc(&sb, ')');
	report_note(buf);
	la57_line(env, "skipped", "reason", reason_key, 0);
}

void run_la57(const struct run_ctx *ctx)
{
	const struct probe_env *env = ctx->env;
	struct la57_mode m;

	switch (la57_mode_enter(&m)) {
	case LA57_SKIPPED:
		skipped(env, m.why, m.reason_key);
		return;
	case LA57_FAILED:
		report_note("la57: FAIL CR4.LA57 did not stick after the paging-off window");
		la57_line(env, "failed", 0, 0, 0);
		return;
	case LA57_ON:
		break;
	}
	struct probe_env env5 = *env;
	env5.paging_levels = 5;

	report_set_begin("la57", "5-level paging (CR4.LA57=1): the seed's rbp/r15 loads over the 57-bit canonical edges");
	la57_line(&env5, "on", "root", 0, m.root);
	/* once: repeat= is the seed set's (README, boot options) */
	for (unsigned p = 0; p < COUNT(la57_probes); p++)
		for (unsigned i = 0; i < COUNT(la57_addresses); i++) {
			struct probe_result r;
			probe_run_report(&env5, &la57_probes[p], la57_addresses[i], 0, &r);
		}

	/* Back to the 4-level tables we came from, so later sets run as before. */
	la57_line(env, la57_mode_leave(&m) ? "restored" : "restore-failed", 0, 0, 0);
}
