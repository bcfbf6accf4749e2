/* Host unit tests for tools/fpjudge.c: records judged against a model cell
 * by cell, the platform read from a log, expectation rows read as records,
 * and bad input (unknown platform, records the model cannot place,
 * truncated logs) never passing silently. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/fpjudge.h"
#include "probes/model/vectors.h"

/* The TCG seed record for the vmcore value through RBP, as the kernel
 * prints it: #GP where the manuals say #SS (tcg-noncanonical-gp), RF=0. */
#define TCG_RBP "probe id=22 set=seed op=load base=rbp index=rax seg=none width=8 cpl=0 paging=4 adjust=0 addr=0x0072006900560338 vector=#GP err=0x0 cr2=- rip=0x0000000000133020 cs=0x10 rflags=0x46 rsp=0x000000000022bdb8 ss=0x18 pre_rsp=0x000000000022bdb8 frame=0x000000000022bd88 stack=cur rip_at=insn saved_rsp=pre handler_ss=0x18 rule=#SS rule_err=0x0 agrees=no platform=tcg"
#define HEADER "cpu vendor=AuthenticAMD family=0xf model=0x6b stepping=1 hypervisor=TCGTCGTCGTCG platform=tcg\nboot loader=\"GRUB 2.06\" firmware=bios paging=4 nxe=1\n"
#define DONE "faultprobe: done probes=1 faults=1 unexpected=0\n"

static char path[64];

static const char *write_file(const char *text)
{
	snprintf(path, sizeof(path), "/tmp/test_fpjudge.%d.log", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static int run(const char *text, const char *platform, struct fpj_summary *s)
{
	FILE *devnull = fopen("/dev/null", "w");
	int st = fpj_run("test", write_file(text), platform, devnull, true, true, s);
	fclose(devnull);
	unlink(path);
	return st;
}

static void test_match_and_cells(void **state)
{
	struct fpj_file f;
	struct fpj_result r;

	(void)state;
	assert_int_equal(fpj_load(&f, write_file(HEADER TCG_RBP "\n" DONE)), 0);
	unlink(path);
	assert_true(f.has_done);
	assert_string_equal(f.platform, "tcg");
	assert_int_equal(f.vendor, VENDOR_AMD);
	assert_int_equal(f.nxe, 1);
	assert_int_equal(f.nrecs, 1);
	fpj_judge(&f, 0, PLATFORM_TCG, &r);
	assert_int_equal(r.status, FPJ_MATCH);
	/* vector err cr2 rip_at saved_rsp stack cs ss handler_ss rf */
	assert_int_equal(r.ncells, 10);
	assert_true(platform_has_deviation(&r.outcome, "tcg-noncanonical-gp"));
	/* Against silicon: vector #SS and RF=1 differ, nothing else. */
	fpj_judge(&f, 0, PLATFORM_SILICON, &r);
	assert_int_equal(r.status, FPJ_MISMATCH);
	assert_int_equal(r.nmismatch, 2);
	for (unsigned c = 0; c < r.ncells; c++)
		if (!r.cells[c].match)
			assert_true(strcmp(r.cells[c].key, "vector") == 0 ||
				    strcmp(r.cells[c].key, "rf") == 0);
	fpj_free(&f);
}

static void test_each_cell_is_checked(void **state)
{
	/* Tamper one key at a time: the tcg model must notice each. */
	static const char *const tampers[][2] = {
		{ "vector=#GP", "vector=#SS" }, { "err=0x0", "err=0x4" },
		{ "cr2=-", "cr2=0x0000000000000001" }, { "rip_at=insn", "rip_at=target" },
		{ "saved_rsp=pre ", "saved_rsp=pre-8 " }, { "stack=cur", "stack=ist4" },
		{ " cs=0x10", " cs=0x8" }, { " ss=0x18", " ss=0x0" },
		{ "handler_ss=0x18", "handler_ss=0x0" }, { "rflags=0x46", "rflags=0x10046" },
	};
	(void)state;
	for (size_t t = 0; t < sizeof(tampers) / sizeof(tampers[0]); t++) {
		char rec[1024], text[2048];
		char *p;
		struct fpj_summary s;

		snprintf(rec, sizeof(rec), "%s", TCG_RBP);
		p = strstr(rec, tampers[t][0]);
		assert_non_null(p);
		size_t n = strlen(tampers[t][0]);
		char tail[1024];
		snprintf(tail, sizeof(tail), "%s", p + n);
		snprintf(p, sizeof(rec) - (size_t)(p - rec), "%s%s", tampers[t][1], tail);
		snprintf(text, sizeof(text), "%s%s\n%s", HEADER, rec, DONE);
		if (run(text, "tcg", &s) != 1 || s.mismatched != 1)
			fail_msg("tampering %s -> %s went unnoticed", tampers[t][0], tampers[t][1]);
	}
}

static void test_platform_auto(void **state)
{
	static const struct {
		const char *platform, *verdict;
		int want;      /* enum platform_model, or -1: cannot tell */
	} cases[] = {
		{ "tcg", "", PLATFORM_TCG },
		{ "tcg", "emulator-tcg", PLATFORM_TCG },
		{ "metal", "", PLATFORM_SILICON },
		{ "metal", "emulator-bochs", PLATFORM_BOCHS },   /* Bochs hides the hypervisor bit */
		{ "linux-user", "", PLATFORM_SILICON },
		{ "kvm", "kvm-emulator", PLATFORM_KVM_EMULATOR },
		{ "kvm", "silicon-like", PLATFORM_SILICON },
		{ "hv", "silicon-like", PLATFORM_SILICON },
		{ "kvm", "kvm-hardware", PLATFORM_SILICON },   /* VMX/SVM deliver the faults */
		{ "metal", "unknown", PLATFORM_SILICON },
		{ "bochs", "emulator-bochs", PLATFORM_BOCHS },
		{ "kvm", "unknown", -1 },
		{ "metal", "mystery", -1 },         /* a verdict nobody prints */
		{ "kvm", "", -1 },                  /* which KVM? */
		{ "hv", "", -1 },
		{ "frobnitz", "", -1 },             /* unknown platform */
		{ "", "", -1 },                     /* none named */
		{ "tcg", "kvm-emulator", -1 },      /* contradicts itself */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fpj_file f;
		enum platform_model m;
		char why[240] = "";

		memset(&f, 0, sizeof(f));
		snprintf(f.platform, sizeof(f.platform), "%s", cases[i].platform);
		snprintf(f.verdict, sizeof(f.verdict), "%s", cases[i].verdict);
		bool ok = fpj_platform_auto(&f, &m, why, sizeof(why));
		if (cases[i].want < 0) {
			if (ok || !why[0])
				fail_msg("platform=%s verdict=%s: want an error", cases[i].platform,
					 cases[i].verdict);
		} else if (!ok || (int)m != cases[i].want) {
			fail_msg("platform=%s verdict=%s: got %s (%s)", cases[i].platform,
				 cases[i].verdict, ok ? platform_model_name(m) : "error", why);
		}
	}
}

static void test_bad_input(void **state)
{
	struct fpj_summary s;

	(void)state;
	/* A good log passes. */
	assert_int_equal(run(HEADER TCG_RBP "\n" DONE, "auto", &s), 0);
	assert_int_equal(s.judged, 1);
	/* Truncated: no `faultprobe: done` line. */
	assert_int_equal(run(HEADER TCG_RBP "\n", "auto", &s), 2);
	/* A record cut in the middle still has its done line missing; with a
	 * done line but a cut record, the record breaks the record contract
	 * (seg= missing): malformed, counted against the file, never judged. */
	assert_int_equal(run(HEADER "probe id=1 set=seed op=load base=rbp index=rax\n" DONE, "tcg", &s), 1);
	assert_int_equal(s.unknown, 0);
	assert_int_equal(s.judged, 0);
	/* An unknown platform, and a model name nobody knows. */
	assert_int_equal(run("cpu vendor=GenuineIntel platform=frobnitz\n" DONE, "auto", &s), 2);
	assert_int_equal(run(HEADER TCG_RBP "\n" DONE, "qemu", &s), 2);
	/* An access the model does not know: an op nobody defined. */
	char text[2048];
	snprintf(text, sizeof(text), "%s%s\n%s", HEADER, TCG_RBP, DONE);
	char *op = strstr(text, "op=load");
	memcpy(op, "op=lgdt", 7);
	assert_int_equal(run(text, "tcg", &s), 1);
	assert_int_equal(s.unknown, 1);
	/* An access outside a model's knowledge: KVM's emulator at CPL 3. */
	snprintf(text, sizeof(text), "%s%s\n%s", HEADER, TCG_RBP, DONE);
	memcpy(strstr(text, "cpl=0"), "cpl=3", 5);
	assert_int_equal(run(text, "kvm-emulator", &s), 1);
	assert_int_equal(s.unknown, 1);
	assert_int_equal(s.judged, 0);
	/* A log with nothing the model judges. */
	assert_int_equal(run(HEADER "la57 status=on paging=5 platform=tcg\n" DONE, "auto", &s), 1);
	/* An empty file, a missing file, a .gz that is not gzip. */
	assert_int_equal(run("", "auto", &s), 2);
	assert_int_equal(fpj_run("test", "/nonexistent/x.log", "auto", NULL, true, true, &s), 2);
	FILE *g = fopen("/tmp/test_fpjudge.bad.gz", "w");
	fputs("not gzip\n", g);
	fclose(g);
	assert_int_equal(fpj_run("test", "/tmp/test_fpjudge.bad.gz", "auto", NULL, true, true, &s), 2);
	unlink("/tmp/test_fpjudge.bad.gz");
	/* A malformed record line counts against the file. */
	assert_int_equal(run(HEADER TCG_RBP "\nprobe id=2 set=seed junk\n" DONE, "auto", &s), 1);
}

static void test_expectation_rows(void **state)
{
	struct fpj_file f;
	struct fpj_result r;

	(void)state;
	/* Identity and asserted keys together; a key on both sides once;
	 * a row asserting only the rule has no observation. */
	assert_int_equal(fpj_load(&f, write_file(
		"# pages: linux-user\n"
		"# platform: linux-user vendor=GenuineIntel nxe=1\n"
		"probe set=seed base=rbp addr=0x0072006900560338 | op=load width=8 index=rax seg=none cpl=3 paging=4 vector=#SS err=0x0 cr2=- rip_at=insn saved_rsp=pre cs=0x33 ss=0x2b rflags=0x10246\n"
		"probe set=seed base=r15 addr=0xffffffffffffffff | op=load width=8 index=rax seg=none cpl=3 paging=4 vector=#PF err=0x5 cr2=0xffffffffffffffff\n"
		"fingerprint verdict=silicon-like | verdict=silicon-like\n"
		"prot32 probe=pf-read esp_mod16=0 | rule=#PF rule_err=0x0 mode=prot32\n")), 0);
	unlink(path);
	assert_true(f.expectation);
	assert_int_equal(f.pages, FPJ_PAGES_LINUX_USER);
	assert_int_equal(f.bad_lines, 0);
	assert_int_equal(f.nrecs, 4);
	fpj_judge(&f, 0, PLATFORM_SILICON, &r);
	assert_int_equal(r.status, FPJ_MATCH);
	/* 0x5 above TASK_SIZE_MAX: P is unknown there (Linux forces it). */
	fpj_judge(&f, 1, PLATFORM_SILICON, &r);
	assert_int_equal(r.status, FPJ_MATCH);
	fpj_judge(&f, 2, PLATFORM_SILICON, &r);
	assert_int_equal(r.status, FPJ_NOT_MODELLED);
	fpj_judge(&f, 3, PLATFORM_SILICON, &r);
	assert_int_equal(r.status, FPJ_NO_OBSERVATION);
	fpj_free(&f);
}

/* The align family's keys (probes/probe_record.c control_fields) read back
 * into the access: a TCG CMPXCHG16B on the absent page B with W/R = 0
 * (tcg-cmpxchg16b-read-fault, needs insn=), a CPL-3 pop with RSP = 4 mod 8
 * under AC/AM that TCG lets through (tcg-no-alignment-check, needs ac=/am=
 * and map= for the page A it pops from), and an AMD #AC on the absent page
 * where the silicon model allows #AC or #PF. */
#define CX16 "probe id=4295 set=align slice=cx16 op=store base=rsi index=- seg=none width=16 cpl=0 paging=4 adjust=0 addr=0x0000100000001000 vector=#PF err=0x0 cr2=0x0000100000001000 rip=0x000000000011c4b6 cs=0x10 rflags=0x46 rsp=0x000000000024afa8 ss=0x18 pre_rsp=0x000000000024afa8 frame=0x000000000024af78 stack=cur rip_at=insn saved_rsp=pre handler_ss=0x18 rule=#PF rule_err=0x2 agrees=no platform=tcg insn=cmpxchg16b align=16 map=0x0000100000000000:p+w+u ctl=-"
#define POP "probe id=4331 set=align slice=ac op=pop base=rsp index=- seg=none width=8 cpl=3 paging=4 adjust=0 addr=0x0000100000000804 vector=none err=- cr2=- rip=- cs=- rflags=- rsp=- ss=- pre_rsp=0x0000100000000804 value=0x0000000000000000 rule=#AC rule_err=0x0 agrees=no platform=tcg ac=1 am=1 map=0x0000100000000000:p+w+u ctl=ac+am"
#define USER_HEADER "cpu vendor=AuthenticAMD family=0x1a model=0x2 stepping=1 hypervisor=bhyve platform=linux-user\nhost kernel=\"6.18\" paging=4 nxe=1 smep=0 smap=0\n"
#define USER_AC "probe id=2617 set=align slice=ac op=load base=rax index=- seg=none width=8 cpl=3 paging=4 adjust=0 addr=0x0000100000001004 vector=#AC err=0x0 cr2=- rip=0x00000000004104de cs=0x33 rflags=0x50202 rsp=0x00007ffcb471c438 ss=0x2b pre_rsp=0x00007ffcb471c438 frame=- stack=- rip_at=insn saved_rsp=pre rule=#AC rule_err=0x0 agrees=yes platform=linux-user rule_alt=#PF ac=1 am=1 map=0x0000100000000000:p+w+u ctl=ac+am"

static int judge_one(const char *text, enum platform_model m, struct fpj_result *r)
{
	struct fpj_file f;

	assert_int_equal(fpj_load(&f, write_file(text)), 0);
	unlink(path);
	assert_int_equal(f.nrecs, 1);
	fpj_judge(&f, 0, m, r);
	fpj_free(&f);
	return r->status;
}

static void replace(char *buf, size_t n, const char *text, const char *from, const char *to)
{
	const char *p = strstr(text, from);
	assert_non_null(p);
	snprintf(buf, n, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
}

static void test_family_keys(void **state)
{
	struct fpj_result r;
	char text[4096], t2[4096];

	(void)state;
	assert_int_equal(judge_one(HEADER CX16 "\n" DONE, PLATFORM_TCG, &r), FPJ_MATCH);
	assert_true(r.access.rmw);
	assert_int_equal(r.access.align, 16);
	assert_true(platform_has_deviation(&r.outcome, "tcg-cmpxchg16b-read-fault"));
	/* without insn= it is a plain 16-byte aligned store: W/R = 1 */
	replace(text, sizeof(text), HEADER CX16 "\n" DONE, "insn=cmpxchg16b ", "");
	assert_int_equal(judge_one(text, PLATFORM_TCG, &r), FPJ_MISMATCH);

	assert_int_equal(judge_one(HEADER POP "\n" DONE, PLATFORM_TCG, &r), FPJ_MATCH);
	assert_true(r.access.cr0_am && r.access.rflags_ac);
	assert_true(platform_has_deviation(&r.outcome, "tcg-no-alignment-check"));
	/* without map= page A is absent in the kernel's page model: #PF */
	replace(text, sizeof(text), HEADER POP "\n" DONE, " map=0x0000100000000000:p+w+u", "");
	assert_int_equal(judge_one(text, PLATFORM_TCG, &r), FPJ_MISMATCH);
	/* against the manuals the pop is #AC */
	assert_int_equal(judge_one(HEADER POP "\n" DONE, PLATFORM_SILICON, &r), FPJ_MISMATCH);

	/* silicon: #AC or #PF; the record's #AC is judged, and so would a
	 * #PF be, with its own error code and no other */
	assert_int_equal(judge_one(USER_HEADER USER_AC "\n" DONE, PLATFORM_SILICON, &r), FPJ_MATCH);
	assert_int_equal(r.outcome.vector, VEC_AC);
	replace(t2, sizeof(t2), USER_HEADER USER_AC "\n" DONE, "vector=#AC err=0x0 cr2=-",
		"vector=#PF err=0x4 cr2=0x0000100000001004");
	assert_int_equal(judge_one(t2, PLATFORM_SILICON, &r), FPJ_MATCH);
	assert_int_equal(r.outcome.vector, VEC_PF);
	replace(text, sizeof(text), t2, "err=0x4", "err=0x6");
	assert_int_equal(judge_one(text, PLATFORM_SILICON, &r), FPJ_MISMATCH);
	/* a malformed control key is refused, not guessed */
	replace(text, sizeof(text), USER_HEADER USER_AC "\n" DONE, " ac=1", " ac=2");
	assert_int_equal(judge_one(text, PLATFORM_SILICON, &r), FPJ_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_and_cells),
		cmocka_unit_test(test_each_cell_is_checked),
		cmocka_unit_test(test_platform_auto),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_expectation_rows),
		cmocka_unit_test(test_family_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
