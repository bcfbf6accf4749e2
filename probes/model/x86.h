/* CPU facts in one place: architectural constants (flag bits, control
 * register bits, MSR numbers, CPUID feature bits) and the vendor.  Pure
 * definitions, no code: shared by the kernel, faultprobe-user and the host
 * tools.  The accessors that read and write these (inline asm) are in
 * idt/cpu.h. */
#ifndef FP_X86_H
#define FP_X86_H

#include <stdint.h>

enum cpu_vendor { VENDOR_INTEL, VENDOR_AMD, VENDOR_OTHER };

/* CPUID.0:EBX of the two vendors the rules distinguish ("Genu", "Auth"). */
#define CPUID_VENDOR_EBX_INTEL 0x756e6547u
#define CPUID_VENDOR_EBX_AMD   0x68747541u
/* Hygon licenses AMD's design and documents AMD's behaviour ("Hygo"). */
#define CPUID_VENDOR_EBX_HYGON 0x6f677948u

/* RFLAGS (SDM Vol. 1 3.4.3, Vol. 3 2.3). */
#define RFLAGS_CF   (1ull << 0)
#define RFLAGS_BIT1 (1ull << 1)
#define RFLAGS_PF   (1ull << 2)
#define RFLAGS_AF   (1ull << 4)
#define RFLAGS_ZF   (1ull << 6)
#define RFLAGS_SF   (1ull << 7)
#define RFLAGS_TF   (1ull << 8)
#define RFLAGS_IF   (1ull << 9)
#define RFLAGS_DF   (1ull << 10)
#define RFLAGS_OF   (1ull << 11)
#define RFLAGS_NT   (1ull << 14)
#define RFLAGS_RF   (1ull << 16)
#define RFLAGS_VM   (1ull << 17)
#define RFLAGS_AC   (1ull << 18)
/* The flags an arithmetic/logic instruction writes. */
#define RFLAGS_ARITH (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_OF)

/* CR0 and CR4 (SDM Vol. 3 2.5). */
#define CR0_WP      (1ull << 16)
#define CR0_AM      (1ull << 18)
#define CR4_LA57    (1ull << 12)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_PCIDE   (1ull << 17)
#define CR4_OSXSAVE (1ull << 18)
#define CR4_SMEP    (1ull << 20)
#define CR4_SMAP    (1ull << 21)
#define CR4_PKE     (1ull << 22)

/* MSRs (SDM Vol. 4). */
#define MSR_BIOS_SIGN_ID   0x0000008Bu   /* AMD: PATCH_LEVEL */
#define MSR_EFER           0xC0000080u
#define MSR_STAR           0xC0000081u   /* SYSCALL/SYSRET selectors      */
#define MSR_LSTAR          0xC0000082u   /* SYSCALL target, 64-bit mode   */
#define MSR_FS_BASE        0xC0000100u
#define MSR_GS_BASE        0xC0000101u
#define MSR_KERNEL_GS_BASE 0xC0000102u
#define EFER_SCE           (1ull << 0)   /* SYSCALL/SYSRET enable          */
#define EFER_NXE           (1ull << 11)

/* CPUID feature bits used here (SDM Vol. 2 CPUID). */
#define CPUID1_ECX_CX16      (1u << 13)
#define CPUID1_ECX_XSAVE     (1u << 26)
#define CPUID1_ECX_OSXSAVE   (1u << 27)
#define CPUID1_ECX_AVX       (1u << 28)
#define CPUID1_ECX_HYPERVISOR (1u << 31)
#define CPUID1_EDX_FXSR      (1u << 24)
#define CPUID1_EDX_SSE       (1u << 25)
#define CPUID1_EDX_SSE2      (1u << 26)
#define CPUID7_ECX_LA57      (1u << 16)
#define CPUID7_EBX_SMEP      (1u << 7)
#define CPUID7_EBX_SMAP      (1u << 20)
#define CPUID7_ECX_PKU       (1u << 3)
#define CPUID7_EBX_FSGSBASE  (1u << 0)
#define CPUID80000001_EDX_LM (1u << 29)

#endif
