/* fpexplain's platform columns (silicon=, tcg=, kvm-emulator=, bochs=) for
 * accesses docs/deviations.md measured, from the platform models
 * (probes/model/platform_*.c).  Bochs: the ES override it ignores, as
 * silicon does (tests/ref/bochs-*.log.gz, 0 deviations there). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tools/fpexplain/explain.h"
#include "tools/fpexplain/run.h"
#include "probes/model/vectors.h"

static void explain(const char *code, const char *regs, struct fx_expl *x)
{
	char text[1024];
	struct fx_reports rs;
	struct fx_options opt = { 0 };

	snprintf(text, sizeof(text), "stack segment: 0000 [#1] SMP\nRIP: 0010:f+0x1/0x10\nCode: %s\n%s\n"
		 "CR2: 0000000000000000 CR3: 0000000001000000 CR4: 00000000003506f0\n", code, regs);
	assert_true(fx_collect(text, strlen(text), &rs, NULL));
	assert_int_equal(rs.n, 1);
	fx_explain(&rs.v[0], &opt, x);
	fx_reports_free(&rs);
	assert_true(x->have_plat);
}

static void expect(const struct fx_expl *x, enum platform_model m, int vector, const char *deviation)
{
	const struct platform_outcome *p = &x->plat[m];

	if (!p->known) {
		print_error("platform model '%s' answers known=false (%s)\n",
			    platform_model_name(m), p->unknown_why ? p->unknown_why : "");
		fail();
	}
	if (p->vector != vector) {
		print_error("%s: %s, want %s (%s)\n", platform_model_name(m), vector_mnemonic(p->vector),
			    vector_mnemonic(vector), deviation ? deviation : "as the rule");
		fail();
	}
	bool named = false;
	for (unsigned i = 0; i < p->ndev && i < PLATFORM_MAX_DEV; i++)
		named |= strcmp(p->dev[i].name, deviation ? deviation : "") == 0;
	if (deviation && !named) {
		print_error("%s: deviation %s not named (%u named)\n", platform_model_name(m),
			    deviation, p->ndev);
		fail();
	}
}

/* The seed's mov 0x0(%rbp,%rax,1),%rbx on 0x0072006900560338: silicon #SS;
 * TCG #GP (tcg-noncanonical-gp: QEMU checks canonical form in the TLB fill,
 * which has no #SS path); KVM's emulator #SS. */
static void test_seed_rbp_silicon(void **state)
{
	struct fx_expl x;

	(void)state;
	explain("<48> 8b 5c 05 00", "RAX: 0000000000000000 RBP: 0072006900560338", &x);
	expect(&x, PLATFORM_SILICON, VEC_SS, NULL);
}

static void test_seed_rbp_tcg(void **state)
{
	struct fx_expl x;

	(void)state;
	explain("<48> 8b 5c 05 00", "RAX: 0000000000000000 RBP: 0072006900560338", &x);
	expect(&x, PLATFORM_TCG, VEC_GP, "tcg-noncanonical-gp");
}

static void test_seed_rbp_kvm(void **state)
{
	struct fx_expl x;

	(void)state;
	explain("<48> 8b 5c 05 00", "RAX: 0000000000000000 RBP: 0072006900560338", &x);
	expect(&x, PLATFORM_KVM_EMULATOR, VEC_SS, NULL);
}

/* An 8-byte load at 0x7ffffffffff9 through RBP straddles into the hole:
 * silicon #SS.  Neither emulator gives #SS: TCG checks canonical form per
 * page (#PF on an unmapped first page, tcg-straddle-pf; #GP on the second
 * page otherwise), KVM's emulator checks only the first byte
 * (kvm-straddle-pf).  Which one depends on page tables an oops does not
 * print, so only "not #SS" is asserted. */
static void expect_not(const struct fx_expl *x, enum platform_model m, int vector)
{
	const struct platform_outcome *p = &x->plat[m];

	if (!p->known) {
		print_error("platform model '%s' answers known=false (%s)\n",
			    platform_model_name(m), p->unknown_why ? p->unknown_why : "");
		fail();
	}
	if (p->vector == vector) {
		print_error("%s: %s, the silicon answer\n", platform_model_name(m), vector_mnemonic(vector));
		fail();
	}
}

static void test_straddle(void **state)
{
	struct fx_expl x;

	(void)state;
	explain("<48> 8b 5c 05 00", "RAX: 0000000000000000 RBP: 00007ffffffffff9", &x);
	expect(&x, PLATFORM_SILICON, VEC_SS, NULL);
	expect_not(&x, PLATFORM_TCG, VEC_SS);
	expect_not(&x, PLATFORM_KVM_EMULATOR, VEC_SS);
}

/* KVM's emulator honours an ES override in 64-bit mode: es: mov 0x0(%rbp),%rax
 * (26 48 8b 45 00) gives #GP there, #SS on silicon
 * (kvm-seg-override-not-ignored). */
static void test_es_override(void **state)
{
	struct fx_expl x;

	(void)state;
	explain("<26> 48 8b 45 00", "RBP: 0072006900560338", &x);
	expect(&x, PLATFORM_SILICON, VEC_SS, NULL);
	expect(&x, PLATFORM_KVM_EMULATOR, VEC_GP, "kvm-seg-override-not-ignored");
	expect(&x, PLATFORM_BOCHS, VEC_SS, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_rbp_silicon),
		cmocka_unit_test(test_seed_rbp_tcg),
		cmocka_unit_test(test_seed_rbp_kvm),
		cmocka_unit_test(test_straddle),
		cmocka_unit_test(test_es_override),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
