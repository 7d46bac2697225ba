/*
 * json.c -- a small reader for JSON texts (RFC 8259).
 *
 * Parses one whole text into a tree of values: objects keep their members
 * in order, strings come out as UTF-8 with their escapes decoded, numbers
 * as doubles.  ferry reads back the index.json it committed, which anyone
 * who can write to the repository could have changed, so the reader is
 * strict and bounded: nesting past JSON_DEPTH_MAX, control characters in
 * strings, an escaped NUL, a lone surrogate, a bad number and anything
 * after the value are errors that name the byte offset.  It does not
 * write JSON (buf_addjson does that) and does not stream.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "json.h"
#include "xmalloc.h"

struct parser {
	const char	*p;
	const char	*end;
	const char	*start;
	int		 depth;
};

static int parse_value(struct parser *, struct json **);

static int
fail(struct parser *ps, const char *what)
{
	return err_set("invalid JSON at byte %zu: %s",
	    (size_t)(ps->p - ps->start), what);
}

static void
skip_space(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
	    *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int
literal(struct parser *ps, const char *word)
{
	size_t	len = strlen(word);

	if ((size_t)(ps->end - ps->p) < len || memcmp(ps->p, word, len) != 0)
		return fail(ps, "unexpected character");
	ps->p += len;
	return 0;
}

static int
hex4(struct parser *ps, unsigned *out)
{
	unsigned	v = 0;
	int		i;
	char		c;

	if (ps->end - ps->p < 4)
		return fail(ps, "short \\u escape");
	for (i = 0; i < 4; i++) {
		c = ps->p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return fail(ps, "bad \\u escape");
	}
	ps->p += 4;
	*out = v;
	return 0;
}

static void
add_utf8(struct buf *b, unsigned cp)
{
	char	u[4];
	size_t	n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(b, u, n);
}

/* A \uXXXX escape, with its low surrogate when it is a high one. */
static int
unicode_escape(struct parser *ps, struct buf *b)
{
	unsigned	cp, lo;

	if (hex4(ps, &cp) != 0)
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(ps, "lone low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
			return fail(ps, "lone high surrogate");
		ps->p += 2;
		if (hex4(ps, &lo) != 0)
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(ps, "lone high surrogate");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (cp == 0)
		return fail(ps, "NUL in a string");
	add_utf8(b, cp);
	return 0;
}

/* A string after its opening quote; the result is always allocated. */
static int
parse_string(struct parser *ps, char **out)
{
	struct buf	 b = BUF_INIT;
	const char	*run;
	int		 rc = -1;

	for (;;) {
		run = ps->p;
		while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' &&
		    (unsigned char)*ps->p >= 0x20)
			ps->p++;
		buf_add(&b, run, (size_t)(ps->p - run));
		if (ps->p == ps->end) {
			fail(ps, "unterminated string");
			goto out;
		}
		if (*ps->p == '"')
			break;
		if (*ps->p != '\\') {
			fail(ps, "control character in a string");
			goto out;
		}
		if (++ps->p == ps->end) {
			fail(ps, "unterminated string");
			goto out;
		}
		switch (*ps->p++) {
		case '"':	buf_addc(&b, '"'); break;
		case '\\':	buf_addc(&b, '\\'); break;
		case '/':	buf_addc(&b, '/'); break;
		case 'b':	buf_addc(&b, '\b'); break;
		case 'f':	buf_addc(&b, '\f'); break;
		case 'n':	buf_addc(&b, '\n'); break;
		case 'r':	buf_addc(&b, '\r'); break;
		case 't':	buf_addc(&b, '\t'); break;
		case 'u':
			if (unicode_escape(ps, &b) != 0)
				goto out;
			break;
		default:
			ps->p--;
			fail(ps, "unknown escape");
			goto out;
		}
	}
	ps->p++;
	*out = b.ptr ? buf_detach(&b) : xstrdup("");
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

static int
digits(struct parser *ps)
{
	const char	*p0 = ps->p;

	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	return ps->p > p0 ? 0 : fail(ps, "digit expected");
}

static int
parse_number(struct parser *ps, double *out)
{
	const char	*p0 = ps->p;
	char		 tmp[64], *end;

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0')
		ps->p++;
	else if (digits(ps) != 0)
		return -1;
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (digits(ps) != 0)
			return -1;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (digits(ps) != 0)
			return -1;
	}
	if ((size_t)(ps->p - p0) >= sizeof tmp) {
		ps->p = p0;
		return fail(ps, "number too long");
	}
	memcpy(tmp, p0, (size_t)(ps->p - p0));
	tmp[ps->p - p0] = '\0';
	*out = strtod(tmp, &end);
	if (!isfinite(*out)) {
		ps->p = p0;
		return fail(ps, "number out of range");
	}
	return 0;
}

static void
add_item(struct json *v, char *key, struct json *item)
{
	v->items = xreallocarray(v->items, v->n + 1, sizeof *v->items);
	if (v->type == JSON_OBJECT) {
		v->keys = xreallocarray(v->keys, v->n + 1, sizeof *v->keys);
		v->keys[v->n] = key;
	}
	v->items[v->n++] = item;
}

/* An array or object after its opening bracket. */
static int
parse_container(struct parser *ps, struct json *v, char close)
{
	struct json	*item;
	char		*key = NULL;

	if (++ps->depth > JSON_DEPTH_MAX)
		return fail(ps, "nested too deeply");
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return 0;
	}
	for (;;) {
		skip_space(ps);
		if (v->type == JSON_OBJECT) {
			if (ps->p == ps->end || *ps->p != '"')
				return fail(ps, "member name expected");
			ps->p++;
			if (parse_string(ps, &key) != 0)
				return -1;
			skip_space(ps);
			if (ps->p == ps->end || *ps->p != ':') {
				free(key);
				return fail(ps, "':' expected");
			}
			ps->p++;
		}
		if (parse_value(ps, &item) != 0) {
			free(key);
			return -1;
		}
		add_item(v, key, item);
		key = NULL;
		skip_space(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			ps->depth--;
			return 0;
		}
		return fail(ps, close == '}' ? "',' or '}' expected" :
		    "',' or ']' expected");
	}
}

static int
parse_value(struct parser *ps, struct json **out)
{
	struct json	*v;
	int		 rc;

	skip_space(ps);
	if (ps->p == ps->end)
		return fail(ps, "value expected");
	v = xcalloc(1, sizeof *v);
	switch (*ps->p) {
	case '{':
		ps->p++;
		v->type = JSON_OBJECT;
		rc = parse_container(ps, v, '}');
		break;
	case '[':
		ps->p++;
		v->type = JSON_ARRAY;
		rc = parse_container(ps, v, ']');
		break;
	case '"':
		ps->p++;
		v->type = JSON_STRING;
		rc = parse_string(ps, &v->string);
		break;
	case 't':
		v->type = JSON_BOOL;
		v->boolean = 1;
		rc = literal(ps, "true");
		break;
	case 'f':
		v->type = JSON_BOOL;
		rc = literal(ps, "false");
		break;
	case 'n':
		v->type = JSON_NULL;
		rc = literal(ps, "null");
		break;
	default:
		v->type = JSON_NUMBER;
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			rc = parse_number(ps, &v->number);
		else
			rc = fail(ps, "unexpected character");
		break;
	}
	if (rc != 0) {
		json_free(v);
		return -1;
	}
	*out = v;
	return 0;
}

/* Parse the whole of text[0..len); FERRY_ERROR with the offset on failure. */
int
json_parse(const char *text, size_t len, struct json **out)
{
	struct parser	 ps;
	struct json	*v = NULL;

	ps.p = ps.start = text;
	ps.end = text + len;
	ps.depth = 0;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		ps.p += 3;
	if (parse_value(&ps, &v) != 0)
		return -1;
	skip_space(&ps);
	if (ps.p != ps.end) {
		json_free(v);
		return fail(&ps, "trailing characters after the value");
	}
	*out = v;
	return 0;
}

void
json_free(struct json *v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		if (v->keys != NULL)
			free(v->keys[i]);
		json_free(v->items[i]);
	}
	free(v->keys);
	free(v->items);
	free(v->string);
	free(v);
}

/* The first member named key of object v; NULL when v has none. */
const struct json *
json_get(const struct json *v, const char *key)
{
	size_t	i;

	if (v == NULL || v->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			return v->items[i];
	return NULL;
}

/* The string member key of v; NULL when absent or not a string. */
const char *
json_get_str(const struct json *v, const char *key)
{
	const struct json	*m = json_get(v, key);

	return m != NULL && m->type == JSON_STRING ? m->string : NULL;
}

/* The integer member key of v; FERRY_ENOTFOUND unless a whole number. */
int
json_get_int(const struct json *v, const char *key, int64_t *out)
{
	const struct json	*m = json_get(v, key);

	if (m == NULL || m->type != JSON_NUMBER ||
	    m->number > 9007199254740992.0 || m->number < -9007199254740992.0 ||
	    (double)(int64_t)m->number != m->number)
		return FERRY_ENOTFOUND;
	*out = (int64_t)m->number;
	return 0;
}
