/* Platform identification from observations (platform_id.h). */
#include "platform_id.h"
#include "fmt.h"
#include "vectors.h"

static bool str_set(const char *s)
{
	return s && s[0];
}

const char *platform_verdict_name(enum platform_verdict v)
{
	switch (v) {
	case PV_EMULATOR_TCG:   return "emulator-tcg";
	case PV_KVM_EMULATOR:   return "kvm-emulator";
	case PV_KVM_HARDWARE:   return "kvm-hardware";
	case PV_EMULATOR_BOCHS: return "emulator-bochs";
	case PV_SILICON_LIKE:   return "silicon-like";
	case PV_UNKNOWN:        break;
	}
	return "unknown";
}

/* ---------------------------------------------------------------- evidence text */

/* Values are tokens: spaces, '=', ',' and quotes become '_' so the evidence
 * stays one key=value word in a record line. */
static void ev_token(struct strbuf *e, const char *s)
{
	for (; *s; s++)
		sb_putc(e, (*s == ' ' || *s == '=' || *s == ',' || *s == '"') ? '_' : *s);
}

static void ev_key(struct strbuf *e, const char *key)
{
	if (e->len)
		sb_putc(e, ',');
	ev_token(e, key);
	sb_putc(e, ':');
}

_Static_assert(PLATFORM_ID_NO_FAULT == VEC_NONE && PLATFORM_ID_VEC_SS == VEC_SS &&
	       PLATFORM_ID_VEC_GP == VEC_GP && PLATFORM_ID_VEC_PF == VEC_PF,
	       "platform_id.h's vector numbers are vectors.h's");

/* The evidence's words for what a fingerprint probe saw: the vector table's
 * mnemonic for the outcomes it tells apart, "other" for anything else. */
static const char *vec_text(int v)
{
	bool told_apart = v == PLATFORM_ID_NO_FAULT || v == PLATFORM_ID_VEC_SS ||
			  v == PLATFORM_ID_VEC_GP || v == PLATFORM_ID_VEC_PF;
	return told_apart ? vector_mnemonic(v) : "other";
}

static void write_evidence(const struct platform_obs *o, struct platform_id *out)
{
	struct strbuf e;
	sb_init(&e, out->evidence, sizeof(out->evidence));
	ev_key(&e, "straddle");
	ev_token(&e, vec_text(o->straddle_vector));
	ev_key(&e, "noncanonical-ss");
	ev_token(&e, vec_text(o->noncanon_vector));
	ev_key(&e, "rf");
	ev_token(&e, o->rf < 0 ? "-" : o->rf ? "1" : "0");
	ev_key(&e, "cpuid-ticks");
	if (o->cpuid_ticks_valid)
		sb_dec(&e, o->cpuid_ticks);
	else
		sb_putc(&e, '-');
	ev_key(&e, "hypervisor");
	ev_token(&e, str_set(o->hypervisor) ? o->hypervisor : o->hypervisor_bit ? "bit-only" : "none");
	ev_key(&e, "microcode");
	if (o->microcode == UCODE_READ)
		sb_hexmin(&e, o->microcode_rev);
	else
		ev_token(&e, o->microcode == UCODE_FAULTED ? "unreadable" : "n/a");
	ev_key(&e, "firmware");
	ev_token(&e, str_set(o->firmware_vendor) ? o->firmware_vendor : "-");
	ev_key(&e, "port-e9");
	ev_token(&e, o->port_e9_echo ? "echo" : "-");
	ev_key(&e, "bochs-signs");
	sb_dec(&e, out->bochs_signs);
}

/* ---------------------------------------------------------------- signs */

static bool vendor_has_msr_8b(const char *vendor)
{
	return fp_streq(vendor, "GenuineIntel") || fp_streq(vendor, "AuthenticAMD") ||
	       fp_streq(vendor, "HygonGenuine");
}

/* Independent signs of Bochs (platform_id.h).  Each is a different part of
 * the machine: the TSC, an MSR, the firmware tables, an I/O port. */
static unsigned count_bochs_signs(const struct platform_obs *o)
{
	unsigned n = 0;
	bool hv = o->hypervisor_bit || str_set(o->hypervisor);

	if (o->cpuid_ticks_valid && o->cpuid_ticks < PLATFORM_ID_TICKS_INSN)
		n++;
	/* Under a hypervisor MSR 0x8B is whatever the hypervisor says: no sign. */
	if (!hv && vendor_has_msr_8b(o->vendor) &&
	    (o->microcode == UCODE_FAULTED || (o->microcode == UCODE_READ && o->microcode_rev == 0)))
		n++;
	if (fp_streq(o->firmware_vendor, "The Bochs Project"))
		n++;
	/* QEMU's isa-debugcon echoes 0xE9 too; it comes with a signature. */
	if (o->port_e9_echo && !str_set(o->hypervisor))
		n++;
	return n;
}

/* ---------------------------------------------------------------- verdict */

void platform_identify(const struct platform_obs *o, struct platform_id *out)
{
	bool sig = str_set(o->hypervisor);
	bool tcg_sig = fp_streq(o->hypervisor, "TCGTCGTCGTCG");
	bool kvm_sig = fp_streq(o->hypervisor, "KVMKVMKVM");
	bool traps = o->cpuid_ticks_valid && o->cpuid_ticks >= PLATFORM_ID_TICKS_TRAP;
	bool virt = o->hypervisor_bit || sig || traps;
	bool silicon_faults = o->straddle_vector == PLATFORM_ID_VEC_SS &&
			      o->noncanon_vector == PLATFORM_ID_VEC_SS && o->rf == 1;

	out->bochs_signs = count_bochs_signs(o);

	/* Faults first: they name TCG and KVM's emulator whatever else is
	 * seen.  Then Bochs, whose faults are silicon's: its signs decide, with
	 * or without fault observations (the record header asks before the
	 * fingerprint probes have run). */
	if (o->rf == 0 || o->noncanon_vector == PLATFORM_ID_VEC_GP) {
		/* No silicon pushes RF=0 for a fault (SDM Vol. 3 17.3.1.1) or
		 * raises #GP for a non-canonical SS reference (Vol. 3 6.15). */
		out->verdict = PV_EMULATOR_TCG;
		out->why = o->rf == 0 ? "RF=0 in a fault frame: no silicon pushes that (QEMU TCG does)"
				      : "#GP for a non-canonical SS reference: QEMU TCG's, not silicon's";
	} else if (o->straddle_vector == PLATFORM_ID_VEC_PF && virt) {
		out->verdict = PV_KVM_EMULATOR;
		out->why = "#SS and RF=1 as on hardware, but #PF for the straddling load, under a hypervisor";
	} else if (out->bochs_signs >= 2) {
		out->verdict = PV_EMULATOR_BOCHS;
		out->why = "Bochs: its TSC counts instructions, MSR 0x8B is not modelled, its BIOS or port 0xE9 say so";
	} else if (o->straddle_vector == PLATFORM_ID_NO_FAULT || o->noncanon_vector == PLATFORM_ID_NO_FAULT) {
		out->verdict = PV_UNKNOWN;
		out->why = "a fingerprint probe did not fault (or has not run yet)";
	} else if (kvm_sig && silicon_faults) {
		out->verdict = PV_KVM_HARDWARE;
		out->why = "KVM whose faults are delivered by the CPU (VMX/SVM): #SS, RF=1 as on silicon";
	} else if (silicon_faults) {
		out->verdict = PV_SILICON_LIKE;
		out->why = virt ? "faults as on silicon (delivered by hardware under a hypervisor)"
				: "faults as on silicon, no hypervisor seen";
	} else {
		out->verdict = PV_SILICON_LIKE;
		out->why = "no emulator behaviour seen, but the straddling load did not give the seed's #SS";
	}
	out->verdict_name = platform_verdict_name(out->verdict);

	/* A signature names the platform; behaviour names it when none does. */
	if (tcg_sig)
		out->platform = "tcg";
	else if (kvm_sig)
		out->platform = "kvm";
	else if (out->verdict == PV_EMULATOR_TCG)
		out->platform = "tcg";
	else if (out->verdict == PV_EMULATOR_BOCHS)
		out->platform = "bochs";
	else if (sig || o->hypervisor_bit)
		out->platform = "hv";
	else
		out->platform = "metal";

	write_evidence(o, out);
}
