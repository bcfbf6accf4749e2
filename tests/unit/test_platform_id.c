/* Host unit tests for probes/model/platform_id.c.  The observations marked
 * "measured" are what the kernel saw on that platform here (commands in
 * docs/deviations.md, "Bochs 2.7"); the others are built from the rules
 * (silicon: #SS at the straddle and for non-canonical SS references,
 * RF=1, a non-zero microcode revision) to exercise each branch. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "probes/model/platform_id.h"

#define SS PLATFORM_ID_VEC_SS
#define GP PLATFORM_ID_VEC_GP
#define PF PLATFORM_ID_VEC_PF

/* Measured: Bochs 2.7, BOCHS_CPU=tigerlake, tools/bochs/bochsrc.in
 * (ignore_bad_msrs=0: WRMSR 0x8B raises #GP; port_e9_hack on). */
static const struct platform_obs bochs_tigerlake = {
	.vendor = "GenuineIntel", .hypervisor = "", .hypervisor_bit = false,
	.cpuid_ticks_valid = true, .cpuid_ticks = 3,
	.microcode = UCODE_FAULTED,
	.firmware_vendor = "The Bochs Project", .port_e9_echo = true,
	.straddle_vector = SS, .noncanon_vector = SS, .rf = 1,
};

/* Measured: QEMU 7.2 TCG, -cpu max (tests/boot/case-tcg-bios.sh); SMBIOS
 * type 0 vendor from SeaBIOS; CPUID measured 0 and 20 ticks in two runs. */
static const struct platform_obs qemu_tcg = {
	.vendor = "AuthenticAMD", .hypervisor = "TCGTCGTCGTCG", .hypervisor_bit = true,
	.cpuid_ticks_valid = true, .cpuid_ticks = 0,
	.microcode = UCODE_READ, .microcode_rev = 0x1000065,
	.firmware_vendor = "SeaBIOS", .port_e9_echo = false,
	.straddle_vector = PF, .noncanon_vector = GP, .rf = 0,
};

/* From the rules: silicon, no hypervisor. */
static const struct platform_obs silicon = {
	.vendor = "GenuineIntel", .hypervisor = NULL, .hypervisor_bit = false,
	.cpuid_ticks_valid = true, .cpuid_ticks = 120,
	.microcode = UCODE_READ, .microcode_rev = 0xf4,
	.firmware_vendor = "American Megatrends Inc.", .port_e9_echo = false,
	.straddle_vector = SS, .noncanon_vector = SS, .rf = 1,
};

static void test_bochs_measured(void **state)
{
	(void)state;
	struct platform_id id;
	platform_identify(&bochs_tigerlake, &id);
	assert_int_equal(id.verdict, PV_EMULATOR_BOCHS);
	assert_string_equal(id.verdict_name, "emulator-bochs");
	assert_string_equal(id.platform, "bochs");
	assert_int_equal(id.bochs_signs, 4);
	assert_string_equal(id.evidence,
			    "straddle:#SS,noncanonical-ss:#SS,rf:1,cpuid-ticks:3,hypervisor:none,"
			    "microcode:unreadable,firmware:The_Bochs_Project,port-e9:echo,bochs-signs:4");
}

/* Bochs' own defaults (ignore_bad_msrs=1: MSR 0x8B reads 0, measured; no
 * port_e9_hack): still three signs.  AMD model (ryzen): RDMSR 0x8B. */
static void test_bochs_default_config(void **state)
{
	(void)state;
	struct platform_obs o = bochs_tigerlake;
	struct platform_id id;
	o.vendor = "AuthenticAMD";
	o.microcode = UCODE_READ;
	o.microcode_rev = 0;
	o.port_e9_echo = false;
	platform_identify(&o, &id);
	assert_int_equal(id.verdict, PV_EMULATOR_BOCHS);
	assert_int_equal(id.bochs_signs, 3);
	assert_non_null(strstr(id.evidence, "microcode:0x0,"));
}

/* Two independent signs are enough (no firmware string, e.g. a firmware
 * without SMBIOS), one is not. */
static void test_bochs_needs_two_signs(void **state)
{
	(void)state;
	struct platform_obs o = bochs_tigerlake;
	struct platform_id id;
	o.firmware_vendor = NULL;
	o.port_e9_echo = false;
	platform_identify(&o, &id);
	assert_int_equal(id.bochs_signs, 2);
	assert_int_equal(id.verdict, PV_EMULATOR_BOCHS);

	o.microcode = UCODE_READ;
	o.microcode_rev = 0x2c;
	platform_identify(&o, &id);
	assert_int_equal(id.bochs_signs, 1);
	assert_int_equal(id.verdict, PV_SILICON_LIKE);
	assert_string_equal(id.platform, "metal");
}

/* The record header asks before the fingerprint probes have run: no fault
 * observations, the non-fault signs alone name the platform. */
static void test_before_fault_probes(void **state)
{
	(void)state;
	struct platform_obs o = bochs_tigerlake;
	struct platform_id id;
	o.straddle_vector = PLATFORM_ID_NO_FAULT;
	o.noncanon_vector = PLATFORM_ID_NO_FAULT;
	o.rf = -1;
	platform_identify(&o, &id);
	assert_int_equal(id.verdict, PV_EMULATOR_BOCHS);
	assert_string_equal(id.platform, "bochs");

	o = qemu_tcg;
	o.straddle_vector = PLATFORM_ID_NO_FAULT;
	o.noncanon_vector = PLATFORM_ID_NO_FAULT;
	o.rf = -1;
	platform_identify(&o, &id);
	assert_int_equal(id.verdict, PV_UNKNOWN);
	assert_string_equal(id.platform, "tcg");

	o = silicon;
	o.straddle_vector = PLATFORM_ID_NO_FAULT;
	o.noncanon_vector = PLATFORM_ID_NO_FAULT;
	o.rf = -1;
	platform_identify(&o, &id);
	assert_int_equal(id.verdict, PV_UNKNOWN);
	assert_string_equal(id.platform, "metal");
}

static void test_silicon(void **state)
{
	(void)state;
	struct platform_id id;
	platform_identify(&silicon, &id);
	assert_int_equal(id.verdict, PV_SILICON_LIKE);
	assert_string_equal(id.platform, "metal");
	assert_int_equal(id.bochs_signs, 0);
	assert_string_equal(id.evidence,
			    "straddle:#SS,noncanonical-ss:#SS,rf:1,cpuid-ticks:120,hypervisor:none,"
			    "microcode:0xf4,firmware:American_Megatrends_Inc.,port-e9:-,bochs-signs:0");
}

/* Each Bochs sign alone leaves silicon silicon-like. */
static void test_single_signs_on_silicon(void **state)
{
	(void)state;
	struct platform_id id;
	for (int which = 0; which < 4; which++) {
		struct platform_obs o = silicon;
		switch (which) {
		case 0: o.cpuid_ticks = 3; break;
		case 1: o.microcode_rev = 0; break;
		case 2: o.firmware_vendor = "The Bochs Project"; break;
		case 3: o.port_e9_echo = true; break;
		}
		platform_identify(&o, &id);
		assert_int_equal(id.bochs_signs, 1);
		assert_int_equal(id.verdict, PV_SILICON_LIKE);
	}
}

static void test_tcg_measured(void **state)
{
	(void)state;
	struct platform_obs o = qemu_tcg;
	struct platform_id id;
	platform_identify(&o, &id);
	assert_int_equal(id.verdict, PV_EMULATOR_TCG);
	assert_string_equal(id.platform, "tcg");
	/* the cheap CPUID is the only "Bochs" sign TCG shows */
	assert_int_equal(id.bochs_signs, 1);
	/* RF=0 alone, or #GP alone, names TCG */
	o.noncanon_vector = SS;
	platform_identify(&o, &id);
	assert_int_equal(id.verdict, PV_EMULATOR_TCG);
	o = qemu_tcg;
	o.rf = 1;
	platform_identify(&o, &id);
	assert_int_equal(id.verdict, PV_EMULATOR_TCG);
	/* TCG without its signature (-cpu ...,-hypervisor) is still tcg */
	o = qemu_tcg;
	o.hypervisor = "";
	o.hypervisor_bit = false;
	platform_identify(&o, &id);
	assert_string_equal(id.platform, "tcg");
}

/* KVM: its instruction emulator (the straddle #PF, tests/expect/
 * kvm-emulator-common) or faults delivered by VMX/SVM. */
static void test_kvm(void **state)
{
	(void)state;
	struct platform_obs o = silicon;
	struct platform_id id;
	o.hypervisor = "KVMKVMKVM";
	o.hypervisor_bit = true;
	o.cpuid_ticks = 1500;
	o.microcode_rev = 0x1;
	o.straddle_vector = PF;
	platform_identify(&o, &id);
	assert_int_equal(id.verdict, PV_KVM_EMULATOR);
	assert_string_equal(id.platform, "kvm");

	o.straddle_vector = SS;
	platform_identify(&o, &id);
	assert_int_equal(id.verdict, PV_KVM_HARDWARE);
	assert_string_equal(id.verdict_name, "kvm-hardware");
	assert_string_equal(id.platform, "kvm");
	assert_int_equal(id.bochs_signs, 0);

	/* a hypervisor's MSR 0x8B is no sign: microcode 0 under KVM */
	o.microcode_rev = 0;
	platform_identify(&o, &id);
	assert_int_equal(id.bochs_signs, 0);
}

static void test_other_hypervisors(void **state)
{
	(void)state;
	struct platform_obs o = silicon;
	struct platform_id id;
	o.hypervisor = "Microsoft Hv";
	o.hypervisor_bit = true;
	o.cpuid_ticks = 2000;
	platform_identify(&o, &id);
	assert_int_equal(id.verdict, PV_SILICON_LIKE);
	assert_string_equal(id.platform, "hv");
	assert_non_null(strstr(id.evidence, "hypervisor:Microsoft_Hv,"));

	/* hypervisor bit without a signature, straddle #PF: emulated */
	o.hypervisor = NULL;
	o.straddle_vector = PF;
	platform_identify(&o, &id);
	assert_int_equal(id.verdict, PV_KVM_EMULATOR);
	assert_string_equal(id.platform, "hv");
	assert_non_null(strstr(id.evidence, "hypervisor:bit-only,"));

	/* QEMU's isa-debugcon also echoes port 0xE9: not a Bochs sign when a
	 * signature is there */
	o = qemu_tcg;
	o.port_e9_echo = true;
	platform_identify(&o, &id);
	assert_int_equal(id.bochs_signs, 1);
}

static void test_unknown(void **state)
{
	(void)state;
	struct platform_obs o = silicon;
	struct platform_id id;
	o.straddle_vector = PLATFORM_ID_NO_FAULT;
	o.rf = -1;
	o.cpuid_ticks_valid = false;
	o.microcode = UCODE_NOT_READ;
	o.vendor = "CentaurHauls";
	platform_identify(&o, &id);
	assert_int_equal(id.verdict, PV_UNKNOWN);
	assert_string_equal(id.verdict_name, "unknown");
	assert_string_equal(id.platform, "metal");
	assert_string_equal(id.evidence,
			    "straddle:none,noncanonical-ss:#SS,rf:-,cpuid-ticks:-,hypervisor:none,"
			    "microcode:n/a,firmware:American_Megatrends_Inc.,port-e9:-,bochs-signs:0");
	/* a vendor without MSR 0x8B: a faulting read is no sign */
	o = silicon;
	o.vendor = "CentaurHauls";
	o.microcode = UCODE_FAULTED;
	platform_identify(&o, &id);
	assert_int_equal(id.bochs_signs, 0);
}

/* All-NULL strings, an absurd firmware string: the evidence stays a
 * terminated token inside its buffer. */
static void test_robust_strings(void **state)
{
	(void)state;
	char longname[600];
	struct platform_obs o = { 0 };
	struct platform_id id;
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	longname[3] = ' ';
	longname[4] = '=';
	longname[5] = ',';
	o.straddle_vector = SS;
	o.noncanon_vector = SS;
	o.rf = 1;
	platform_identify(&o, &id);
	assert_int_equal(id.verdict, PV_SILICON_LIKE);
	o.firmware_vendor = longname;
	platform_identify(&o, &id);
	assert_true(strlen(id.evidence) < sizeof(id.evidence));
	assert_null(strchr(id.evidence, ' '));
	assert_null(strchr(id.evidence, '='));
	assert_non_null(strstr(id.evidence, "firmware:xxx___xx"));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(platform_verdict_name(PV_UNKNOWN), "unknown");
	assert_string_equal(platform_verdict_name(PV_EMULATOR_TCG), "emulator-tcg");
	assert_string_equal(platform_verdict_name(PV_KVM_EMULATOR), "kvm-emulator");
	assert_string_equal(platform_verdict_name(PV_KVM_HARDWARE), "kvm-hardware");
	assert_string_equal(platform_verdict_name(PV_EMULATOR_BOCHS), "emulator-bochs");
	assert_string_equal(platform_verdict_name(PV_SILICON_LIKE), "silicon-like");
	assert_string_equal(platform_verdict_name((enum platform_verdict)99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bochs_measured),
		cmocka_unit_test(test_bochs_default_config),
		cmocka_unit_test(test_bochs_needs_two_signs),
		cmocka_unit_test(test_before_fault_probes),
		cmocka_unit_test(test_silicon),
		cmocka_unit_test(test_single_signs_on_silicon),
		cmocka_unit_test(test_tcg_measured),
		cmocka_unit_test(test_kvm),
		cmocka_unit_test(test_other_hypervisors),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_robust_strings),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
