/* The record contract of README.md ("The machine-readable contract"),
 * checked on every `probe` record the host tools read.  fpcheck and fpdiff
 * share it: a record that does not conform (a key missing, a value of the
 * wrong shape, a 64-bit value without its 16 hex digits) is MALFORMED —
 * counted and named as such, never compared — because a flaky serial line
 * drops and flips characters, and a corrupted record must not turn into a
 * finding.  Keys the contract does not name are allowed (keys may be added).
 *
 * What is checked, from README's key table and report/record.c (the one
 * formatter of these records):
 *   id width adjust     decimal, no leading zero
 *   cpl                 0..3;  paging 4 or 5;  agrees yes or no
 *   set slice op base index seg stack rip_at saved_rsp platform ring3_frame
 *                       words of [a-z0-9_+-] (index may be -)
 *   vector rule         a mnemonic (#SS, ...), none, or vec<0..255>
 *   addr pre_rsp        0x + exactly 16 lowercase hex digits
 *   cr2 rip rsp frame value   the same, or - where the contract allows it
 *   err cs rflags ss rule_err handler_ss   0x + 1..16 lowercase hex digits
 *                       without leading zeros (sb_hexmin), or -
 *   consistency         a fault has rip, cs, rflags, rsp, stack, rip_at,
 *                       saved_rsp; no fault has rip=cs=rflags=rsp=ss=- and a
 *                       value=; err is - exactly when the vector pushes no
 *                       error code (SDM Vol. 3 6.13); #PF has a cr2 (SDM
 *                       Vol. 3 4.7); rule_err likewise for rule. */
#ifndef FP_RECORD_CONTRACT_H
#define FP_RECORD_CONTRACT_H

#include <stddef.h>
#include "logparse.h"

#define RECORD_MAX_LINE 4096   /* a longer record line is garbage (real ones are < 600) */

/* The bytes of a record line (its type word known, its line end dropped),
 * before parsing: at most RECORD_MAX_LINE bytes, printable ASCII or tabs
 * only.  NULL, or the reason written to buf. */
const char *record_text_check(const char *s, size_t len, char *buf, size_t n);

/* Whether a line that is not a record carries record text ("probe id=")
 * after other output: two writers interleaved and a record was lost. */
int record_text_embedded(const char *s, size_t len);

/* NULL when the parsed `probe` line conforms; otherwise a short reason
 * naming the key ("cr2= missing", "addr=0x7ff has 3 hex digits, want 16"),
 * written to buf. */
const char *probe_contract_check(const struct log_line *l, char *buf, size_t n);

/* The same for a linux-user `skip` line (id, set, op, base, addr, reason). */
const char *skip_contract_check(const struct log_line *l, char *buf, size_t n);

#endif
