/* Platform fingerprint: what the header says about the machine beyond CPUID
 * (the microcode revision, read safely), and a behavioural check that tells
 * an emulator from silicon by what the CPU does, with its evidence. */
#ifndef FP_FINGERPRINT_H
#define FP_FINGERPRINT_H

#include <stdbool.h>
#include <stdint.h>

struct options;

/* Reads the microcode revision (IA32_BIOS_SIGN_ID / AMD PATCH_LEVEL, MSR
 * 0x8B) through the probe fixup table and prints the header line
 *   cpu microcode=0x... source=msr-0x8b
 * or, when the read faults,
 *   cpu microcode=unreadable source=msr-0x8b rdmsr=#GP err=0x0
 * Needs the IDT (call after idt_init). */
void fingerprint_header(void);
/* "0x..." / "unreadable" / "n/a" (for the summary page). */
const char *fingerprint_microcode_text(void);

/* sets=fingerprint: the emulator-vs-silicon check.  Prints one
 * `fingerprint check=...` line per behaviour (observed value next to what
 * silicon, QEMU TCG and KVM do), then
 *   fingerprint verdict=emulator-tcg|kvm-emulator|silicon-like|unknown evidence="..."
 * and hands the verdict to the summary page. */
void run_fingerprint_set(const struct options *opts);

#endif
