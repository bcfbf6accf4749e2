/* 32-bit protected-mode probes (issue 4, section 3).
 *
 * probes/prot32/prot32_probes.asm runs them at boot, from GRUB's 32-bit protected mode,
 * before boot/entry.asm turns on long mode: private GDT and 32-bit IDT,
 * CPL 0 throughout (no privilege change), a few faulting accesses, each
 * with ESP ≡ 0, 4, 8, 12 (mod 16) and the stack around ESP poisoned first.
 * The handler snapshots the stack and CR2 into prot32_records[] (.bss);
 * nothing is printed in 32-bit mode unless an exception nobody expected
 * arrives (then COM1/VGA get a FAIL line and QEMU exits with 37).
 * The 64-bit kernel decodes and prints the records later (probes/prot32/).
 *
 * This header is shared by the asm (offsets, keep in step with
 * probes/prot32/prot32_probes.asm), the portable decoder (prot32_rules.c, host unit
 * tested) and the family that prints them (probes/prot32/). */
#ifndef FP_PROT32_RULES_H
#define FP_PROT32_RULES_H

#include <stdbool.h>
#include <stdint.h>

enum p32_probe {
	P32_GP_SEL,    /* mov %ax,%ds with a selector beyond the GDT limit       */
	P32_GP_NULL,   /* DS = NULL selector, then mov (%ebx),%eax               */
	P32_GP_LIMIT,  /* DS limit = L, mov (%ebx),%eax with ebx = L+1           */
	P32_SS_LIMIT,  /* SS limit = L, mov 0x0(%ebp),%eax with ebp = L+1        */
	P32_PF_READ,   /* PAE paging, mov (%ebx),%eax on a not-present 2M page   */
	P32_PF_WRITE,  /* same page, mov %eax,(%ebx)                             */
	P32_PROBE_COUNT,
};

#define P32_MODS          4            /* ESP mod 16 = 0, 4, 8, 12           */
#define P32_RECORDS       (P32_PROBE_COUNT * P32_MODS)
#define P32_WORDS_BELOW   8            /* dwords snapshotted below ESP       */
#define P32_WORDS_ABOVE   4            /* dwords snapshotted at/above ESP    */
#define P32_WORDS         (P32_WORDS_BELOW + P32_WORDS_ABOVE)
#define P32_NO_VECTOR     0xffffffffu
#define P32_POISON_BELOW  0xdeadbeefu  /* fills [ESP-64, ESP) before a probe */
#define P32_POISON_ABOVE  0x5a5a5a5au  /* fills [ESP, ESP+16)                */
#define P32_BAD_SELECTOR  0xfff8u      /* far beyond any GDT limit we use    */
#define P32_PF_ADDR       0x40000000u  /* the one not-present 2 MiB page     */
#define P32_SEL_CS        0x08u        /* = SEL_KERNEL32_CS (idt/gdt.h)      */
#define P32_SEL_DS        0x18u        /* = SEL_KERNEL_DS                    */
#define P32_SEL_LIM       0x20u        /* data, base 0, limit = stack top-1  */

/* One probe run.  Every field is a dword: the layout is the asm's. */
struct prot32_raw {
	uint32_t probe;        /*  0 enum p32_probe                              */
	uint32_t esp_mod16;    /*  4                                             */
	uint32_t pre_esp;      /*  8 ESP at the probed instruction               */
	uint32_t fault_eip;    /* 12 address of the probed instruction           */
	uint32_t vector;       /* 16 P32_NO_VECTOR when it did not fault         */
	uint32_t handler_esp;  /* 20 ESP at the handler's first instruction      */
	uint32_t cr2;          /* 24 CR2 in the handler (0 = sentinel written)   */
	uint32_t cs_sel;       /* 28 CS while the probe ran                      */
	uint32_t ss_sel;       /* 32 SS while the probe ran                      */
	uint32_t addr;         /* 36 probed address (P32_GP_SEL: the selector)   */
	uint32_t eflags_pre;   /* 40 EFLAGS right before the probed instruction  */
	uint32_t seg_limit;    /* 44 P32_SEL_LIM's byte limit (its descriptor)   */
	uint32_t words[P32_WORDS]; /* 48: dwords at pre_esp - 32 + 4*i           */
	uint32_t setup_vector; /* 96 a fault before the probed instruction       */
	uint32_t setup_words[2]; /* 100 the two dwords at that handler's ESP     */
	uint32_t pad;          /* 108                                            */
};

/* What a record shows, and what the manuals say it should show. */
struct p32_verdict {
	bool setup_failed;         /* the set-up faulted: the probe never ran   */
	bool faulted;
	bool has_err;              /* the vector pushes an error code           */
	uint32_t err;
	int frame_off;             /* handler_esp - pre_esp, bytes (e.g. -16)   */
	bool frame_in_window;      /* the hardware slots lie inside words[]     */
	unsigned pushed;           /* dwords the CPU pushed (incl. error code)  */
	uint32_t eip, cs_slot, eflags;
	bool ss_esp_pushed;        /* SS:ESP found above EFLAGS                  */
	int gap;                   /* bytes between the frame top and pre ESP   */
	const char *aligned16;     /* "yes", "no", "n/a" (ESP ≡ 0: can't tell)  */
	const char *cs_hi;         /* "zero", "poison", "other", "-"            */
	const char *below;         /* "poison": nothing written under the frame */
	/* the rule */
	int rule_vector;
	uint32_t rule_err;
	bool rule_cr2;             /* #PF: CR2 must equal addr                  */
	/* checks (each false = one word in `fails`; setup_failed: "setup") */
	bool vector_ok, err_ok, cr2_ok, eip_ok, layout_ok, eflags_ok, rf_ok, cs_ok;
	bool agrees;
};

const char *p32_probe_name(unsigned probe);      /* "gp-sel", ...            */
const char *p32_probe_insn(unsigned probe);      /* AT&T text, has spaces    */
const char *p32_probe_cite(unsigned probe);      /* SDM section of the rule  */
/* The manuals' rule for a probe: vector and error code. */
void p32_rule(unsigned probe, const struct prot32_raw *r, int *vector, uint32_t *err);
void p32_decode(const struct prot32_raw *r, struct p32_verdict *v);

#endif
