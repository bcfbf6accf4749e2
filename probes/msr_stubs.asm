; Guarded MSR access (probes/facts.c: the microcode revision), through the
; probe fixup table: a hypervisor or CPU that refuses the MSR raises #GP(0),
; which the fault handler records and resumes past, instead of a crash.
;
;   void probe_msr_read(uint64_t msr, uint64_t rsp_adjust);
;       probe_ctx.value = EDX:EAX of rdmsr(msr)
;   void probe_msr_write_zero(uint64_t msr, uint64_t rsp_adjust);
;       wrmsr(msr, 0)
%include "probes/probe.inc"

bits 64
section .probetext

PROBE_BEGIN probe_msr_read
	mov ecx, edi
	xor eax, eax
	xor edx, edx
	PROBE_INSN rdmsr
	shl rdx, 32
	mov eax, eax
	or rax, rdx
	mov [rel probe_ctx + PCTX_VALUE], rax
PROBE_END

PROBE_BEGIN probe_msr_write_zero
	mov ecx, edi
	xor eax, eax
	xor edx, edx
	PROBE_INSN wrmsr
PROBE_END
