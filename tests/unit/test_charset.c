/*
 * test_charset.c -- unit tests for charset.c.
 *
 * Which encoding a page is in (byte order marks, Content-Type, <meta>
 * in its two forms, the UTF-8 check and the windows-1252 guess, labels
 * folded to iconv's supersets), and the conversion to UTF-8 with the map
 * from each UTF-8 byte back to the original.  Every failing row prints
 * its input, the expected and the actual value.
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
#include "charset.h"
#include "err.h"

#define NROWS(a)	(sizeof (a) / sizeof (a)[0])
#define S(s)		((s) ? (s) : "(utf-8)")

struct detect_row {
	const char	*data;
	const char	*content_type;
	const char	*want;		/* NULL: UTF-8 (nothing to convert) */
};

static const struct detect_row detect_rows[] = {
	/* Nothing said: valid UTF-8 is UTF-8, anything else 1252. */
	{ "<p>plain ASCII</p>", NULL, NULL },
	{ "<p>Espa\xc3\xb1ol</p>", NULL, NULL },
	{ "<p>Espa\xf1ol</p>", NULL, "WINDOWS-1252" },
	{ "<p>\xed\xa0\x80 a surrogate</p>", NULL, "WINDOWS-1252" },
	{ "<p>cut short \xe2\x80</p>", NULL, "WINDOWS-1252" },
	/* Byte order marks win over everything. */
	{ "\xef\xbb\xbf<meta charset=shift_jis>", "text/html; charset=gbk",
	    NULL },
	{ "\xff\xfe<\0p\0>\0", "text/html; charset=windows-1252", NULL },
	/* The header, then <meta>. */
	{ "<p>x</p>", "text/html; charset=ISO-8859-1", "WINDOWS-1252" },
	{ "<p>x</p>", "text/html;charset=\"Shift_JIS\"", "SHIFT_JIS" },
	{ "<p>x</p>", "text/html; charset=euc-kr", "CP949" },
	{ "<p>x</p>", "text/html; charset=gb2312", "GB18030" },
	{ "<p>x</p>", "text/html; charset=Big5", "BIG5-HKSCS" },
	{ "<meta charset=\"euc-kr\"><p>x</p>", "text/html; charset=utf-8",
	    NULL },
	{ "<meta charset=\"euc-kr\">", "text/html; charset=klingon",
	    "CP949" },
	{ "<META CHARSET=windows-1252>", "text/html", "WINDOWS-1252" },
	{ "<meta http-equiv=\"Content-Type\" content=\"text/html; "
	    "charset=iso-8859-1\">", NULL, "WINDOWS-1252" },
	{ "<meta name=viewport content=\"width=device-width\">"
	    "<meta charset='tis-620'>", NULL, "WINDOWS-874" },
	{ "<meta charset=utf-16>", NULL, NULL },
	/* A header that says UTF-8 of bytes that are not. */
	{ "<meta charset=windows-1252><p>Espa\xf1ol</p>",
	    "text/html; charset=utf-8", "WINDOWS-1252" },
	{ "<p>Espa\xf1ol</p>", "text/html; charset=UTF-8", "WINDOWS-1252" },
	/* An unknown label is no answer. */
	{ "<meta charset=x-unknown><p>ok</p>", NULL, NULL },
};

static void
charset_detect_rows(void **state)
{
	const char	*got;
	size_t		 i, bad = 0, len;

	(void)state;
	for (i = 0; i < NROWS(detect_rows); i++) {
		const struct detect_row *r = &detect_rows[i];

		len = strlen(r->data);
		if (r->data[0] == '\xff')
			len = 8;	/* UTF-16 has NULs */
		got = charset_detect(r->data, len, r->content_type);
		if (r->want == NULL ? got == NULL : got != NULL &&
		    strcmp(r->want, got) == 0)
			continue;
		print_error("charset_detect('%s', '%s'):\n    expected %s\n"
		    "    actual   %s\n", r->data, r->content_type ?
		    r->content_type : "(none)", S(r->want), S(got));
		bad++;
	}
	assert_int_equal(bad, 0);
}

/* The meta prescan stops after 1024 bytes, as the standard's does. */
static void
charset_prescan_is_bounded(void **state)
{
	char	page[1200];

	(void)state;
	memset(page, ' ', sizeof page);
	memcpy(page + 1100, "<meta charset=gbk>", 18);
	assert_null(charset_detect(page, sizeof page, NULL));
	memcpy(page + 100, "<meta charset=gbk>", 18);
	assert_string_equal(charset_detect(page, sizeof page, NULL),
	    "GB18030");
}

struct convert_row {
	const char	*from;
	const char	*data;
	const char	*want;
};

static const struct convert_row convert_rows[] = {
	{ "WINDOWS-1252", "Espa\xf1ol \x96 \x93quoted\x94 \x80",
	    "Español – “quoted” €" },
	{ "SHIFT_JIS", "\x8c\xa0\x97\x98 C:\\docs~",
	    "権利 C:\\docs~" },		/* ASCII stays ASCII */
	{ "CP949", "\xb1\xc7\xb8\xae", "권리" },
	{ "GB18030", "\xc8\xa8\xc0\xfb", "权利" },
	{ "BIG5-HKSCS", "\xc5\x76\xa7\x51", "權利" },
	/* Bytes that do not decode become U+FFFD, one each. */
	{ "SHIFT_JIS", "a\x82z", "a\xef\xbf\xbdz" },
	{ "CP949", "\xb1", "\xef\xbf\xbd" },
};

static void
charset_convert_rows(void **state)
{
	struct buf	 out = BUF_INIT;
	size_t		 i, bad = 0;

	(void)state;
	for (i = 0; i < NROWS(convert_rows); i++) {
		const struct convert_row *r = &convert_rows[i];

		buf_reset(&out);
		assert_int_equal(charset_to_utf8(r->data, strlen(r->data),
		    r->from, &out, NULL), 0);
		if (out.len == strlen(r->want) && memcmp(out.ptr, r->want,
		    out.len) == 0)
			continue;
		print_error("charset_to_utf8('%s' from %s):\n    expected "
		    "'%s'\n    actual   '%.*s'\n", r->data, r->from, r->want,
		    (int)out.len, out.ptr ? out.ptr : "");
		bad++;
	}
	buf_free(&out);
	assert_int_equal(bad, 0);
}

/* Each UTF-8 byte maps to the start of its character in the original. */
static void
charset_maps_offsets_back(void **state)
{
	/* "<a href=x>" after two 1252 letters of 2 UTF-8 bytes each. */
	const char	*in = "\xf1\xe9<a href=x>\x80";
	struct buf	 out = BUF_INIT;
	uint32_t	*map = NULL;
	const char	*h;

	(void)state;
	assert_int_equal(charset_to_utf8(in, strlen(in), "WINDOWS-1252",
	    &out, &map), 0);
	assert_int_equal(out.len, 2 + 2 + 10 + 3);
	assert_int_equal(map[0], 0);
	assert_int_equal(map[1], 0);
	assert_int_equal(map[2], 1);
	assert_int_equal(map[3], 1);
	h = memchr(out.ptr, 'x', out.len);
	assert_non_null(h);
	assert_int_equal(map[h - out.ptr], strchr(in, 'x') - in);
	assert_int_equal(map[out.len - 1], strlen(in) - 1);	/* € */
	assert_int_equal(map[out.len], strlen(in));
	free(map);
	buf_free(&out);
}

static void
charset_refuses_an_unknown_encoding(void **state)
{
	struct buf	out = BUF_INIT;

	(void)state;
	assert_int_equal(charset_to_utf8("x", 1, "NO-SUCH-ENCODING", &out,
	    NULL), FERRY_EUNSUPPORTED);
	assert_non_null(strstr(err_msg(), "NO-SUCH-ENCODING"));
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(charset_detect_rows),
		cmocka_unit_test(charset_prescan_is_bounded),
		cmocka_unit_test(charset_convert_rows),
		cmocka_unit_test(charset_maps_offsets_back),
		cmocka_unit_test(charset_refuses_an_unknown_encoding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
