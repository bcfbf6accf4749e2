/* Parser for the machine-readable lines of a faultprobe log:
 *     <type> key=value key=value ...
 * (type: probe, frame, ...; values never contain spaces).  Host only: the
 * host tools fpcheck/fpdiff, their fuzzers and the unit tests use it. */
#ifndef FP_LOGPARSE_H
#define FP_LOGPARSE_H

#include <stddef.h>

#define LOG_MAX_KV 64

struct log_kv {
	const char *key;
	const char *val;
};

struct log_line {
	const char *type;
	unsigned nkv;
	struct log_kv kv[LOG_MAX_KV];
};

enum log_parse_status {
	LOG_OK = 0,
	LOG_EMPTY,        /* blank line                                 */
	LOG_NOT_RECORD,   /* first word is not a bare type word (text)  */
	LOG_BAD_PAIR,     /* a word without '=' or with an empty key    */
	LOG_TOO_MANY,     /* more than LOG_MAX_KV pairs                 */
	LOG_DUP_KEY,      /* the same key twice (interleaved lines?)    */
};

/* Parses `line` in place (NULs replace separators; a trailing '\r' or '\n'
 * is dropped).  On LOG_OK *out points into `line`. */
enum log_parse_status log_parse_line(char *line, struct log_line *out);
/* Length of the line s[0..len) without its end: a trailing '\n' and every
 * '\r' before it (a pty turns "\r\n" into "\r\r\n"; fpcheck and fpdiff
 * both read serial logs through this). */
size_t log_line_trim(const char *s, size_t len);
/* Index of the first byte in s[0..len) that is neither printable ASCII nor
 * a tab, or -1: a record line holding one is corrupt. */
long log_first_binary_byte(const char *s, size_t len);
/* Value of `key`, or NULL. */
const char *log_get(const struct log_line *l, const char *key);
const char *log_status_text(enum log_parse_status s);

#endif
