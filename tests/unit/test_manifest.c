/*
 * test_manifest.c -- unit tests for manifest.c.
 *
 * A manifest written by manifest_format parses back to the same files;
 * tables of damaged texts (each from a stick, so anything goes) are
 * refused with a message naming the line; a table of paths says which
 * may name a file of an export.  Every failing row prints its input.
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
#include "manifest.h"

#define NROWS(a)	(sizeof (a) / sizeof (a)[0])

#define SHA_A	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"
#define COMMIT	"1969bd4f3991cddc192c10e7067b3738cef43161"
#define HEAD	"ferry manifest 1\n# a comment\nsequence 7\ncommit " COMMIT \
		"\nexported 2026-11-26T13:00:00Z\n" \
		"expires 2027-02-24T13:00:00Z\n"

static void
manifest_round_trip(void **state)
{
	struct manifest	 m, back;
	struct buf	 text = BUF_INIT;

	(void)state;
	memset(&m, 0, sizeof m);
	m.sequence = 42;
	memcpy(m.commit, COMMIT, sizeof m.commit);
	m.exported = 1795698000;	/* 2026-11-26T13:00:00Z */
	m.expires = m.exported + 90 * 86400;
	manifest_add(&m, "site/h/레드카드.pdf", SHA_B, 12345);
	manifest_add(&m, "index.html", SHA_A, 0);
	manifest_add(&m, "history.git/objects/pack/pack-1.pack", SHA_A,
	    9000000000LL);
	manifest_sort(&m);
	manifest_format(&m, &text);
	assert_int_equal(manifest_parse(text.ptr, text.len, "MANIFEST",
	    &back), 0);
	assert_int_equal(back.sequence, 42);
	assert_string_equal(back.commit, COMMIT);
	assert_int_equal(back.exported, m.exported);
	assert_int_equal(back.expires, m.expires);
	assert_int_equal(back.nfiles, 3);
	assert_string_equal(back.files[0].path,
	    "history.git/objects/pack/pack-1.pack");
	assert_int_equal(back.files[0].size, 9000000000LL);
	assert_non_null(manifest_find(&back, "site/h/레드카드.pdf"));
	assert_string_equal(manifest_find(&back,
	    "site/h/레드카드.pdf")->sha256, SHA_B);
	assert_null(manifest_find(&back, "site/h/other.pdf"));
	assert_non_null(strstr(text.ptr, "exported 2026-11-26T13:00:00Z\n"));
	manifest_free(&m);
	manifest_free(&back);
	buf_free(&text);
}

struct bad_row {
	const char	*text;
	const char	*error;		/* how the message starts */
};

static const struct bad_row bad_rows[] = {
	{ "", "MANIFEST: cut short" },
	{ "ferry manifest 2\n", "MANIFEST: not a ferry manifest" },
	{ "ferry manifest 1", "MANIFEST:1: cut short" },
	{ HEAD "files 0\n", "MANIFEST: cut short" },
	{ HEAD "files 0\nend\nmore\n", "MANIFEST:9: text after 'end'" },
	{ HEAD "files 1\nend\n", "MANIFEST: says 1 files, lists 0" },
	{ HEAD "files 0\n" SHA_A " 1 a\nend\n", "MANIFEST: says 0 files" },
	{ HEAD "files 1\n" SHA_A " 1 ../etc/passwd\nend\n",
	    "MANIFEST:8: not a file line" },
	{ HEAD "files 1\n" SHA_A " 1 /abs\nend\n",
	    "MANIFEST:8: not a file line" },
	{ HEAD "files 1\n" SHA_A " 1 a/./b\nend\n",
	    "MANIFEST:8: not a file line" },
	{ HEAD "files 1\n" SHA_A " 1 a\\b\nend\n",
	    "MANIFEST:8: not a file line" },
	{ HEAD "files 1\n" SHA_A " 1 a\tb\nend\n",
	    "MANIFEST:8: not a file line" },
	{ HEAD "files 1\n" SHA_A " -1 a\nend\n",
	    "MANIFEST:8: not a file line" },
	{ HEAD "files 1\n" SHA_A " 01 a\nend\n",
	    "MANIFEST:8: not a file line" },
	{ HEAD "files 1\n" SHA_A " 99999999999999999999 a\nend\n",
	    "MANIFEST:8: not a file line" },
	{ HEAD "files 1\n" "AAAA" SHA_A " 1 a\nend\n",
	    "MANIFEST:8: not a file line" },
	{ HEAD "files 1\n" SHA_A "  a\nend\n",
	    "MANIFEST:8: not a file line" },
	{ HEAD "files 2\n" SHA_A " 1 b\n" SHA_A " 1 a\nend\n",
	    "MANIFEST:9: path out of order or repeated" },
	{ HEAD "files 2\n" SHA_A " 1 a\n" SHA_A " 1 a\nend\n",
	    "MANIFEST:9: path out of order or repeated" },
	{ "ferry manifest 1\nsequence x\n", "MANIFEST:2: invalid line" },
	{ "ferry manifest 1\nsequence -1\n", "MANIFEST:2: invalid line" },
	{ "ferry manifest 1\ncommit abc\n", "MANIFEST:2: invalid line" },
	{ "ferry manifest 1\nexported 2026-11-26\n",
	    "MANIFEST:2: invalid line" },
	{ "ferry manifest 1\nexported 2026-13-45T99:00:00Z\n",
	    "MANIFEST:2: invalid line" },
	{ "ferry manifest 1\n\n", "MANIFEST:2: invalid line" },
	{ "ferry manifest 1\nunknown 1\n", "MANIFEST:2: invalid line" },
	{ "ferry manifest 1\r\nsequence 1\r\n",
	    "MANIFEST: not a ferry manifest" },
};

static void
manifest_refuses_damage(void **state)
{
	struct manifest	 m;
	size_t		 i;
	int		 bad = 0;

	(void)state;
	for (i = 0; i < NROWS(bad_rows); i++) {
		err_clear();
		if (manifest_parse(bad_rows[i].text, strlen(bad_rows[i].text),
		    "MANIFEST", &m) == 0) {
			fprintf(stderr, "%s:%d: row %zu parsed: %s\n",
			    __FILE__, __LINE__, i, bad_rows[i].text);
			bad++;
		} else if (strncmp(err_msg(), bad_rows[i].error,
		    strlen(bad_rows[i].error)) != 0) {
			fprintf(stderr, "%s:%d: row %zu: expected '%s...', "
			    "got '%s'\n", __FILE__, __LINE__, i,
			    bad_rows[i].error, err_msg());
			bad++;
		}
		manifest_free(&m);
	}
	assert_int_equal(bad, 0);
}

static void
manifest_refuses_nul(void **state)
{
	static const char	text[] = HEAD "files 0\nend\n";
	char			copy[sizeof text];
	struct manifest		m;

	(void)state;
	memcpy(copy, text, sizeof text);
	copy[20] = '\0';
	assert_int_not_equal(manifest_parse(copy, sizeof text - 1, "M", &m),
	    0);
	manifest_free(&m);
}

struct path_row {
	const char	*path;
	int		 ok;
};

static const struct path_row path_rows[] = {
	{ "index.html", 1 },
	{ "site/127.0.0.1_8080/ko/레드카드.pdf", 1 },
	{ "history.git/objects/ab/cdef", 1 },
	{ "a b/c d.pdf", 1 },
	{ "", 0 },
	{ "/etc/passwd", 0 },
	{ "../x", 0 },
	{ "a/../../x", 0 },
	{ "a/./x", 0 },
	{ "a//x", 0 },
	{ "a/", 0 },
	{ ".", 0 },
	{ "a\\..\\x", 0 },
	{ "a\nb", 0 },
	{ "a\x7f", 0 },
};

static void
manifest_path_table(void **state)
{
	size_t	i;
	int	bad = 0;

	(void)state;
	for (i = 0; i < NROWS(path_rows); i++) {
		if (manifest_path_ok(path_rows[i].path) != path_rows[i].ok) {
			fprintf(stderr, "%s:%d: '%s': expected %d\n",
			    __FILE__, __LINE__, path_rows[i].path,
			    path_rows[i].ok);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(manifest_round_trip),
		cmocka_unit_test(manifest_refuses_damage),
		cmocka_unit_test(manifest_refuses_nul),
		cmocka_unit_test(manifest_path_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
