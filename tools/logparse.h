/* Parser for the machine-readable lines of a faultprobe log:
 *     <type> key=value key=value ...
 * (type: probe, frame, ...; values never contain spaces).  Portable: the
 * host tools fpcheck/fpdiff and the unit tests use it. */
#ifndef FP_LOGPARSE_H
#define FP_LOGPARSE_H

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
/* Value of `key`, or NULL. */
const char *log_get(const struct log_line *l, const char *key);
const char *log_status_text(enum log_parse_status s);

#endif
