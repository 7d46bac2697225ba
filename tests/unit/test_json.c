/*
 * test_json.c -- unit tests for json.c.
 *
 * Tables of JSON texts: what a valid one parses to (written back in a
 * canonical form: no blanks, keys in their order, strings with only '"'
 * and '\' escaped, numbers with %.17g), and for an invalid one the start
 * of the error message, with the byte offset it names.  Every failing
 * row prints its input, the expected and the actual value.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "err.h"
#include "json.h"

#define NROWS(a)	(sizeof (a) / sizeof (a)[0])

struct parse_row {
	const char	*text;
	const char	*expected;	/* canonical, or NULL: invalid */
	const char	*error;		/* how the message starts */
};

static const struct parse_row parse_rows[] = {
	/* scalars */
	{ "null", "null", NULL },
	{ "true", "true", NULL },
	{ " false ", "false", NULL },
	{ "0", "0", NULL },
	{ "-12", "-12", NULL },
	{ "3.25", "3.25", NULL },
	{ "1e3", "1000", NULL },
	{ "-0.5E-1", "-0.050000000000000003", NULL },
	{ "\"\"", "\"\"", NULL },
	{ "\"plain\"", "\"plain\"", NULL },
	/* escapes, UTF-8 and surrogate pairs */
	{ "\"a\\\"b\\\\c\\/d\"", "\"a\\\"b\\\\c/d\"", NULL },
	{ "\"tab\\there\\nnew\"", "\"tab\there\nnew\"", NULL },
	{ "\"\\u00e9t\\u00E9\"", "\"\xc3\xa9t\xc3\xa9\"", NULL },
	{ "\"\\ud55c\\uad6d\\uc5b4\"",
	    "\"\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4\"", NULL },
	{ "\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"", NULL },
	{ "\"\xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9\"",
	    "\"\xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9\"",
	    NULL },
	/* containers */
	{ "[]", "[]", NULL },
	{ "{}", "{}", NULL },
	{ "[1, [2, [3]], {\"a\": null}]", "[1,[2,[3]],{\"a\":null}]", NULL },
	{ "{\"b\": 1, \"a\": 2, \"b\": 3}", "{\"b\":1,\"a\":2,\"b\":3}", NULL },
	{ "\xef\xbb\xbf{\"bom\": true}", "{\"bom\":true}", NULL },
	{ "\n\t{ \"sp\" :\r\n [ ] }\n", "{\"sp\":[]}", NULL },
	/* invalid */
	{ "", NULL, "invalid JSON at byte 0: value expected" },
	{ "nul", NULL, "invalid JSON at byte 0: unexpected character" },
	{ "[1,]", NULL, "invalid JSON at byte 3: unexpected character" },
	{ "[1 2]", NULL, "invalid JSON at byte 3: ',' or ']' expected" },
	{ "{\"a\" 1}", NULL, "invalid JSON at byte 5: ':' expected" },
	{ "{1: 2}", NULL, "invalid JSON at byte 1: member name expected" },
	{ "{\"a\": 1", NULL, "invalid JSON at byte 7: ',' or '}' expected" },
	{ "\"open", NULL, "invalid JSON at byte 5: unterminated string" },
	{ "\"a\nb\"", NULL, "invalid JSON at byte 2: control character" },
	{ "\"\\x\"", NULL, "invalid JSON at byte 2: unknown escape" },
	{ "\"\\u12\"", NULL, "invalid JSON at byte 3: short \\u escape" },
	{ "\"\\u12zz\"", NULL, "invalid JSON at byte 3: bad \\u escape" },
	{ "\"\\u0000\"", NULL, "invalid JSON at byte 7: NUL in a string" },
	{ "\"\\ud83d\"", NULL, "invalid JSON at byte 7: lone high surrogate" },
	{ "\"\\ude00\"", NULL, "invalid JSON at byte 7: lone low surrogate" },
	{ "01", NULL, "invalid JSON at byte 1: trailing characters" },
	{ "1.", NULL, "invalid JSON at byte 2: digit expected" },
	{ "-", NULL, "invalid JSON at byte 1: digit expected" },
	{ "1e999", NULL, "invalid JSON at byte 0: number out of range" },
	{ "{} {}", NULL, "invalid JSON at byte 3: trailing characters" },
	{ "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
	    NULL, "invalid JSON at byte 65: nested too deeply" },
};

static void
canon(struct buf *b, const struct json *v)
{
	size_t		i;
	const char	*s;

	switch (v->type) {
	case JSON_NULL:
		buf_addstr(b, "null");
		break;
	case JSON_BOOL:
		buf_addstr(b, v->boolean ? "true" : "false");
		break;
	case JSON_NUMBER:
		buf_addf(b, "%.17g", v->number);
		break;
	case JSON_STRING:
		buf_addc(b, '"');
		for (s = v->string; *s != '\0'; s++) {
			if (*s == '"' || *s == '\\')
				buf_addc(b, '\\');
			buf_addc(b, *s);
		}
		buf_addc(b, '"');
		break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		buf_addc(b, v->type == JSON_ARRAY ? '[' : '{');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				buf_addc(b, ',');
			if (v->type == JSON_OBJECT) {
				buf_addf(b, "\"%s\":", v->keys[i]);
			}
			canon(b, v->items[i]);
		}
		buf_addc(b, v->type == JSON_ARRAY ? ']' : '}');
		break;
	}
}

static void
json_parse_rows(void **state)
{
	struct json	*v;
	struct buf	 b = BUF_INIT;
	size_t		 i;
	int		 bad = 0, rc;

	for (i = 0; i < NROWS(parse_rows); i++) {
		const struct parse_row *row = &parse_rows[i];

		v = NULL;
		buf_reset(&b);
		err_clear();
		rc = json_parse(row->text, strlen(row->text), &v);
		if (rc == 0)
			canon(&b, v);
		if (row->expected != NULL && (rc != 0 ||
		    strcmp(b.ptr, row->expected) != 0)) {
			print_error("json_parse('%s'):\n    expected %s\n"
			    "    actual   %s\n", row->text, row->expected,
			    rc == 0 ? b.ptr : err_msg());
			bad++;
		} else if (row->expected == NULL && (rc == 0 ||
		    strncmp(err_msg(), row->error, strlen(row->error)) != 0)) {
			print_error("json_parse('%s'):\n    expected error %s\n"
			    "    actual   %s\n", row->text, row->error,
			    rc == 0 ? b.ptr : err_msg());
			bad++;
		}
		json_free(v);
	}
	buf_free(&b);
	assert_int_equal(bad, 0);
}

/* The accessors on one document. */
struct get_row {
	const char	*key;
	const char	*str;		/* json_get_str, NULL for none */
	int		 int_rc;	/* json_get_int */
	int64_t		 int_value;
};

static const struct get_row get_rows[] = {
	{ "name", "ko.pdf", FERRY_ENOTFOUND, 0 },
	{ "size", NULL, 0, 13548 },
	{ "big", NULL, 0, 9007199254740992LL },
	{ "half", NULL, FERRY_ENOTFOUND, 0 },
	{ "huge", NULL, FERRY_ENOTFOUND, 0 },
	{ "neg", NULL, 0, -3 },
	{ "null", NULL, FERRY_ENOTFOUND, 0 },
	{ "list", NULL, FERRY_ENOTFOUND, 0 },
	{ "missing", NULL, FERRY_ENOTFOUND, 0 },
	{ "dup", "first", FERRY_ENOTFOUND, 0 },
};

static void
json_get_rows(void **state)
{
	static const char doc[] = "{\"name\": \"ko.pdf\", \"size\": 13548, "
	    "\"big\": 9007199254740992, \"half\": 0.5, \"huge\": 1e300, "
	    "\"neg\": -3, \"null\": null, \"list\": [1], \"dup\": \"first\", "
	    "\"dup\": \"second\"}";
	struct json	*v = NULL;
	const char	*s;
	int64_t		 n;
	size_t		 i;
	int		 bad = 0, rc;

	assert_int_equal(json_parse(doc, strlen(doc), &v), 0);
	for (i = 0; i < NROWS(get_rows); i++) {
		const struct get_row *row = &get_rows[i];

		n = 0;
		s = json_get_str(v, row->key);
		rc = json_get_int(v, row->key, &n);
		if ((row->str == NULL ? s != NULL : s == NULL ||
		    strcmp(s, row->str) != 0) || rc != row->int_rc ||
		    (rc == 0 && n != row->int_value)) {
			print_error("json_get('%s'):\n    expected '%s', %d, "
			    "%lld\n    actual   '%s', %d, %lld\n", row->key,
			    row->str ? row->str : "(none)", row->int_rc,
			    (long long)row->int_value, s ? s : "(none)", rc,
			    (long long)n);
			bad++;
		}
	}
	assert_null(json_get(NULL, "x"));
	assert_null(json_get(json_get(v, "list"), "x"));
	json_free(v);
	json_free(NULL);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_parse_rows),
		cmocka_unit_test(json_get_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
