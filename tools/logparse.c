#include "logparse.h"
#include "../probes/model/fmt.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_type_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Next space-separated word, NUL-terminated in place; NULL at the end. */
static char *next_word(char **cursor)
{
	char *p = *cursor;
	while (*p && is_space(*p))
		p++;
	if (!*p) {
		*cursor = p;
		return 0;
	}
	char *word = p;
	while (*p && !is_space(*p))
		p++;
	if (*p)
		*p++ = '\0';
	*cursor = p;
	return word;
}

enum log_parse_status log_parse_line(char *line, struct log_line *out)
{
	char *cursor = line;
	char *word = next_word(&cursor);

	out->type = 0;
	out->nkv = 0;
	if (!word)
		return LOG_EMPTY;
	for (const char *c = word; *c; c++)
		if (!is_type_char(*c))
			return LOG_NOT_RECORD;
	out->type = word;

	while ((word = next_word(&cursor))) {
		char *eq = word;
		while (*eq && *eq != '=')
			eq++;
		if (*eq != '=' || eq == word)
			return LOG_BAD_PAIR;
		*eq = '\0';
		if (log_get(out, word))
			return LOG_DUP_KEY;
		if (out->nkv >= LOG_MAX_KV)
			return LOG_TOO_MANY;
		out->kv[out->nkv].key = word;
		out->kv[out->nkv].val = eq + 1;
		out->nkv++;
	}
	return LOG_OK;
}

const char *log_get(const struct log_line *l, const char *key)
{
	for (unsigned i = 0; i < l->nkv; i++)
		if (fp_strcmp(l->kv[i].key, key) == 0)
			return l->kv[i].val;
	return 0;
}

const char *log_status_text(enum log_parse_status s)
{
	switch (s) {
	case LOG_OK: return "ok";
	case LOG_EMPTY: return "empty line";
	case LOG_NOT_RECORD: return "not a record line";
	case LOG_BAD_PAIR: return "malformed key=value pair";
	case LOG_TOO_MANY: return "too many key=value pairs";
	case LOG_DUP_KEY: return "duplicate key (interleaved or corrupted line?)";
	}
	return "?";
}

size_t log_line_trim(const char *s, size_t len)
{
	if (len && s[len - 1] == '\n')
		len--;
	while (len && s[len - 1] == '\r')
		len--;
	return len;
}

long log_first_binary_byte(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != '\t' && (c < 0x20 || c >= 0x7f))
			return (long)i;
	}
	return -1;
}
