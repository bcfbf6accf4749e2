/* One record line: a type word and typed key=value fields, formatted by one
 * function for every record type (`probe`, `frame`, `softframe`, `prot32`,
 * `vmcore`, `fingerprint`, `la57`, `skip`, ...).  The contract is README's
 * "machine-readable contract": `type key=value ...`, values without
 * spaces, keys added but never renamed.  Whoever makes a record fills a
 * struct rec; report formats and sends it.  Portable: no kernel
 * dependencies (host unit tests and faultprobe-user use it too). */
#ifndef FP_REC_H
#define FP_REC_H

#include <stdbool.h>
#include <stdint.h>
#include "../probes/model/fmt.h"

enum rec_kind {
	REC_STR,     /* the string as is ("-" for NULL)                       */
	REC_DEC,     /* unsigned decimal                                      */
	REC_SDEC,    /* signed decimal                                        */
	REC_HEX,     /* "0x" + exactly `digits` hex digits                    */
	REC_HEXMIN,  /* "0x" + minimal hex digits                             */
	REC_VEC,     /* "#SS", "none", or "vec<n>"                            */
};

struct rec_field {
	const char *key;
	enum rec_kind kind;
	uint8_t digits;              /* REC_HEX                               */
	union {
		const char *s;
		uint64_t u;
		int64_t i;
		int vec;
	} v;
};

#define REC_MAX_FIELDS 48
#define REC_ARENA      256

struct rec {
	const char *type;
	unsigned n;
	bool overflow;               /* a field or arena byte did not fit     */
	struct rec_field f[REC_MAX_FIELDS];
	/* storage for values built on the fly (rec_text_begin/end) */
	char arena[REC_ARENA];
	unsigned arena_used;
	struct strbuf text;          /* the value being built                 */
};

void rec_init(struct rec *r, const char *type);
void rec_str(struct rec *r, const char *key, const char *s);
void rec_dec(struct rec *r, const char *key, uint64_t v);
void rec_sdec(struct rec *r, const char *key, int64_t v);
void rec_hex(struct rec *r, const char *key, uint64_t v, unsigned digits);
void rec_hex64(struct rec *r, const char *key, uint64_t v);      /* 16 digits */
void rec_hexmin(struct rec *r, const char *key, uint64_t v);
void rec_vec(struct rec *r, const char *key, int vector);
void rec_yesno(struct rec *r, const char *key, bool v);
/* A value composed piece by piece: rec_text_begin() returns a strbuf that
 * writes into the record's arena; rec_text_end() adds it as key=<text>. */
struct strbuf *rec_text_begin(struct rec *r);
void rec_text_end(struct rec *r, const char *key);
/* Insert a field at position `at` (e.g. the id report assigns). */
void rec_insert_dec(struct rec *r, unsigned at, const char *key, uint64_t v);

/* The field with this key, or NULL. */
const struct rec_field *rec_get(const struct rec *r, const char *key);

/* "type k=v k=v ..." into sb. */
void rec_format(struct strbuf *sb, const struct rec *r);
/* One value as it appears after '=' (for table views). */
void rec_format_value(struct strbuf *sb, const struct rec_field *f);

#endif
