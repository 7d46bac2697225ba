/*
 * test_url.c -- unit tests for url.c.
 *
 * Tables of URLs as people and pages write them, and what ferry must make
 * of them: the normalised form, the resolved link, the crawl key.  Every
 * failing row prints its input, the expected and the actual value.
 */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "err.h"
#include "url.h"

#define NROWS(a)	(sizeof (a) / sizeof (a)[0])
#define S(s)		((s) ? (s) : "(null)")

/* Compare one row's result; print it when it differs.  Returns 1 if bad. */
static int
row_bad(const char *what, const char *input, int want_rc, const char *want,
    int rc, const char *got)
{
	if (rc == want_rc && (want == NULL ? got == NULL :
	    got != NULL && strcmp(want, got) == 0))
		return 0;
	print_error("%s('%s'):\n    expected rc %d '%s'\n    actual   rc %d "
	    "'%s'%s%s\n", what, input, want_rc, S(want), rc, S(got),
	    rc != 0 ? " -- " : "", rc != 0 ? err_msg() : "");
	return 1;
}

/* url_normalize */

struct norm_row {
	const char	*in;
	int		 rc;
	const char	*want;
};

static const struct norm_row norm_rows[] = {
	/* case */
	{ "HTTP://Example.COM/", 0, "http://example.com/" },
	{ "hTTpS://WWW.LAPL.ORG/RedCards/", 0,
	    "https://www.lapl.org/RedCards/" },
	{ "http://example.com", 0, "http://example.com/" },
	/* default ports */
	{ "http://example.com:80/a", 0, "http://example.com/a" },
	{ "https://example.com:443/a", 0, "https://example.com/a" },
	{ "https://example.com:0443/a", 0, "https://example.com/a" },
	{ "http://example.com:/a", 0, "http://example.com/a" },
	{ "http://example.com:8080/a", 0, "http://example.com:8080/a" },
	{ "http://example.com:443/", 0, "http://example.com:443/" },
	{ "https://example.com:80/", 0, "https://example.com:80/" },
	/* dot segments, literal and escaped */
	{ "http://h.com/a/./b/../c", 0, "http://h.com/a/c" },
	{ "http://h.com/../../x", 0, "http://h.com/x" },
	{ "http://h.com/a/%2e%2e/b", 0, "http://h.com/b" },
	{ "http://h.com/a/%2E%2E/%2e/b", 0, "http://h.com/b" },
	{ "http://h.com/a/.%2e", 0, "http://h.com/" },
	{ "http://h.com/a/b/%2e", 0, "http://h.com/a/b/" },
	{ "http://h.com/%2e%2e/%2e%2e/etc/passwd", 0,
	    "http://h.com/etc/passwd" },
	{ "http://h.com/a//b", 0, "http://h.com/a//b" },
	/* percent-encoding */
	{ "http://h.com/%65mployer-guide.pdf", 0,
	    "http://h.com/employer-guide.pdf" },
	{ "http://h.com/%7euser/%41%2d%5F", 0, "http://h.com/~user/A-_" },
	{ "http://h.com/a%3fb", 0, "http://h.com/a%3Fb" },
	{ "http://h.com/a%2fb", 0, "http://h.com/a%2Fb" },
	{ "http://h.com/100%", 0, "http://h.com/100%25" },
	{ "http://h.com/%zz%4", 0, "http://h.com/%25zz%254" },
	{ "http://h.com/a?b=%7e&c=%2f&d=%3D", 0,
	    "http://h.com/a?b=~&c=%2F&d=%3D" },
	{ "http://h.com/a+b?x=a+b", 0, "http://h.com/a+b?x=a+b" },
	/* spaces and characters that must be escaped */
	{ "http://h.com/my file.pdf", 0, "http://h.com/my%20file.pdf" },
	{ "http://h.com/a?q=a b", 0, "http://h.com/a?q=a%20b" },
	{ "http://h.com/a\"<>^`{|}", 0,
	    "http://h.com/a%22%3C%3E%5E%60%7B%7C%7D" },
	{ "http://h.com/a\\b", 0, "http://h.com/a%5Cb" },
	/* UTF-8 paths */
	{ "http://www.lapl.org/redcards/\xeb\xa0\x88\xeb\x93\x9c\xec\xb9\xb4"
	    "\xeb\x93\x9c.pdf", 0, "http://www.lapl.org/redcards/"
	    "%EB%A0%88%EB%93%9C%EC%B9%B4%EB%93%9C.pdf" },
	{ "http://h.com/%eb%a0%88.pdf", 0, "http://h.com/%EB%A0%88.pdf" },
	{ "http://h.com/gu\xc3\xad" "a?l=espa\xc3\xb1ol", 0,
	    "http://h.com/gu%C3%ADa?l=espa%C3%B1ol" },
	/* fragments, userinfo, whitespace */
	{ "http://h.com/a#frag", 0, "http://h.com/a" },
	{ "http://h.com/a?x=1#frag", 0, "http://h.com/a?x=1" },
	{ "http://h.com/#", 0, "http://h.com/" },
	{ "http://h.com/?", 0, "http://h.com/" },
	{ "http://user:pw@h.com/a", 0, "http://h.com/a" },
	{ "http://user@h.com:8080/a", 0, "http://h.com:8080/a" },
	{ "  http://h.com/a \n", 0, "http://h.com/a" },
	{ "http://h.com/a\tb\r\nc", 0, "http://h.com/abc" },
	/* hosts */
	{ "http://%41.com/", 0, "http://a.com/" },
	{ "http://[::FFFF:1.2.3.4]:8080/x", 0,
	    "http://[::ffff:1.2.3.4]:8080/x" },
	{ "http://www.example.com./", 0, "http://www.example.com./" },
	/* not http(s) */
	{ "mailto:someone@example.com", FERRY_EUNSUPPORTED, NULL },
	{ "tel:+1-213-555-0100", FERRY_EUNSUPPORTED, NULL },
	{ "javascript:alert(1)", FERRY_EUNSUPPORTED, NULL },
	{ "JavaScript:void(0)", FERRY_EUNSUPPORTED, NULL },
	{ "data:text/html,hi", FERRY_EUNSUPPORTED, NULL },
	{ "ftp://example.com/file.pdf", FERRY_EUNSUPPORTED, NULL },
	{ "file:///etc/passwd", FERRY_EUNSUPPORTED, NULL },
	{ "  mailto:x@y", FERRY_EUNSUPPORTED, NULL },
	/* malformed */
	{ "http://", FERRY_ERROR, NULL },
	{ "http://h.com:99999/", FERRY_ERROR, NULL },
	{ "http://bad host/", FERRY_ERROR, NULL },
	{ "http://a|b/", FERRY_ERROR, NULL },
	{ "http://a%3Cb/", FERRY_ERROR, NULL },
	{ "example.com/x", FERRY_ERROR, NULL },
	{ "/relative/path", FERRY_ERROR, NULL },
	{ "", FERRY_ERROR, NULL },
	{ "http://[fe80::1%25eth0]/", FERRY_EUNSUPPORTED, NULL },
};

static void
url_normalize_rows(void **state)
{
	size_t	 i;
	char	*out, *again;
	int	 rc, bad = 0;

	for (i = 0; i < NROWS(norm_rows); i++) {
		out = NULL;
		err_clear();
		rc = url_normalize(norm_rows[i].in, &out);
		bad += row_bad("url_normalize", norm_rows[i].in,
		    norm_rows[i].rc, norm_rows[i].want, rc, out);
		if (rc == 0 && out != NULL) {
			/* a normalised URL is its own normal form */
			again = NULL;
			rc = url_normalize(out, &again);
			bad += row_bad("url_normalize (again)", out, 0, out,
			    rc, again);
			free(again);
		}
		free(out);
	}
	assert_int_equal(bad, 0);
}

static void
url_normalize_messages(void **state)
{
	char	*out = NULL;

	assert_int_equal(url_normalize("mailto:a@b.c", &out),
	    FERRY_EUNSUPPORTED);
	assert_null(out);
	assert_string_equal(err_msg(), "cannot use URL 'mailto:a@b.c': "
	    "scheme 'mailto' is not http or https");
	assert_int_equal(url_normalize("http://", &out), FERRY_ERROR);
	assert_null(out);
	assert_string_equal(err_msg(),
	    "invalid URL 'http://': No host part in the URL");
}

static void
url_normalize_idn(void **state)
{
	char	*out = NULL;

	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		skip();
	assert_int_equal(url_normalize("http://ex\xc3\xa4mple.com/x", &out),
	    0);
	assert_string_equal(out, "http://xn--exmple-cua.com/x");
	free(out);
	setlocale(LC_CTYPE, "C");
}

/* url_resolve */

struct resolve_row {
	const char	*base;
	const char	*ref;
	int		 rc;
	const char	*want;
};

#define BASE	"http://h.com/a/b/c.html?q=1"

static const struct resolve_row resolve_rows[] = {
	/* relative */
	{ BASE, "d.pdf", 0, "http://h.com/a/b/d.pdf" },
	{ BASE, "./d.pdf", 0, "http://h.com/a/b/d.pdf" },
	{ BASE, "../d", 0, "http://h.com/a/d" },
	{ BASE, "../../../../d", 0, "http://h.com/d" },
	{ BASE, "%2e%2e/x", 0, "http://h.com/a/x" },
	{ BASE, "/d", 0, "http://h.com/d" },
	{ BASE, ".", 0, "http://h.com/a/b/" },
	{ BASE, "./", 0, "http://h.com/a/b/" },
	{ BASE, "..", 0, "http://h.com/a/" },
	{ BASE, "d/index.html#top", 0, "http://h.com/a/b/d/index.html" },
	{ BASE, "./foo:bar.pdf", 0, "http://h.com/a/b/foo:bar.pdf" },
	{ BASE, "\xeb\xa0\x88\xeb\x93\x9c.pdf", 0,
	    "http://h.com/a/b/%EB%A0%88%EB%93%9C.pdf" },
	{ BASE, "%65mployer-guide.pdf", 0,
	    "http://h.com/a/b/employer-guide.pdf" },
	/* protocol-relative and absolute */
	{ BASE, "//o.com/x", 0, "http://o.com/x" },
	{ "https://h.com/a", "//o.com/x", 0, "https://o.com/x" },
	{ BASE, "//O.COM:80", 0, "http://o.com/" },
	{ BASE, "https://O.com:443/X#y", 0, "https://o.com/X" },
	{ BASE, "http:d", 0, "http://h.com/a/b/d" },
	{ BASE, "http:/d", 0, "http://h.com/d" },
	/* query and fragment only, empty */
	{ BASE, "?z", 0, "http://h.com/a/b/c.html?z" },
	{ BASE, "?", 0, "http://h.com/a/b/c.html" },
	{ BASE, "#frag", 0, "http://h.com/a/b/c.html?q=1" },
	{ BASE, "#", 0, "http://h.com/a/b/c.html?q=1" },
	{ BASE, "", 0, "http://h.com/a/b/c.html?q=1" },
	{ BASE, "  ", 0, "http://h.com/a/b/c.html?q=1" },
	{ BASE, " \t#x\n", 0, "http://h.com/a/b/c.html?q=1" },
	/* backslashes, as browsers read them */
	{ BASE, "..\\..\\d\\e.pdf", 0, "http://h.com/d/e.pdf" },
	{ BASE, "\\\\o.com\\x", 0, "http://o.com/x" },
	{ BASE, "d?x=\\y", 0, "http://h.com/a/b/d?x=%5Cy" },
	{ BASE, "http:\\\\o.com\\x", 0, "http://o.com/x" },
	/* whitespace */
	{ BASE, " d.pdf\n", 0, "http://h.com/a/b/d.pdf" },
	{ BASE, "d\te\r\n.pdf", 0, "http://h.com/a/b/de.pdf" },
	{ BASE, "my file.pdf", 0, "http://h.com/a/b/my%20file.pdf" },
	/* not http(s) */
	{ BASE, "mailto:a@b.c", FERRY_EUNSUPPORTED, NULL },
	{ BASE, "tel:+1", FERRY_EUNSUPPORTED, NULL },
	{ BASE, "javascript:void(0)", FERRY_EUNSUPPORTED, NULL },
	{ BASE, " JAVASCRIPT:void(0)", FERRY_EUNSUPPORTED, NULL },
	{ BASE, "ftp://h.com/x", FERRY_EUNSUPPORTED, NULL },
	{ BASE, "data:image/png;base64,AAAA", FERRY_EUNSUPPORTED, NULL },
	{ BASE, "g:h", FERRY_EUNSUPPORTED, NULL },
	/* malformed */
	{ BASE, "//", FERRY_ERROR, NULL },
	{ BASE, "//|/x", FERRY_ERROR, NULL },
	{ BASE, "\\\\a|b\\x", FERRY_ERROR, NULL },
	{ BASE, "http://h.com:99999/", FERRY_ERROR, NULL },
	{ "not a url", "x", FERRY_ERROR, NULL },
};

static void
url_resolve_rows(void **state)
{
	char	 label[512];
	size_t	 i;
	char	*out;
	int	 rc, bad = 0;

	for (i = 0; i < NROWS(resolve_rows); i++) {
		out = NULL;
		rc = url_resolve(resolve_rows[i].base, resolve_rows[i].ref,
		    &out);
		snprintf(label, sizeof label, "%s' + '%s",
		    resolve_rows[i].base, resolve_rows[i].ref);
		bad += row_bad("url_resolve", label, resolve_rows[i].rc,
		    resolve_rows[i].want, rc, out);
		free(out);
	}
	assert_int_equal(bad, 0);
}

/* url_canonical */

struct str_row {
	const char	*in;
	const char	*want;
};

static const struct str_row canonical_rows[] = {
	{ "http://h.com/dir/index.html", "http://h.com/dir/" },
	{ "http://h.com/dir/index.htm", "http://h.com/dir/" },
	{ "http://h.com/dir/INDEX.HTML", "http://h.com/dir/" },
	{ "https://h.com/index.html", "https://h.com/" },
	{ "http://h.com/dir/index.html?x=1",
	    "http://h.com/dir/index.html?x=1" },
	{ "http://h.com/dir/index.php", "http://h.com/dir/index.php" },
	{ "http://h.com/dir/myindex.html", "http://h.com/dir/myindex.html" },
	{ "http://h.com/dir/index.html/", "http://h.com/dir/index.html/" },
	{ "http://h.com/dir/", "http://h.com/dir/" },
	{ "http://h.com/", "http://h.com/" },
	{ "http://index.html/", "http://index.html/" },
};

static void
url_canonical_rows(void **state)
{
	size_t	 i;
	char	*out;
	int	 rc, bad = 0;

	for (i = 0; i < NROWS(canonical_rows); i++) {
		out = NULL;
		rc = url_canonical(canonical_rows[i].in, &out);
		bad += row_bad("url_canonical", canonical_rows[i].in, 0,
		    canonical_rows[i].want, rc, out);
		free(out);
	}
	assert_int_equal(bad, 0);
}

/* Two spellings of one page get one crawl key. */
static void
url_canonical_aliases(void **state)
{
	static const char *const alias[] = {
		"http://H.com:80/dir/%69ndex.html#top",
		"http://h.com/dir/./index.htm",
		"http://h.com/dir/",
		"http://h.com/other/../dir/",
	};
	char	*norm, *key;
	size_t	 i;
	int	 bad = 0;

	for (i = 0; i < NROWS(alias); i++) {
		norm = key = NULL;
		assert_int_equal(url_normalize(alias[i], &norm), 0);
		assert_int_equal(url_canonical(norm, &key), 0);
		bad += row_bad("url_canonical(url_normalize)", alias[i], 0,
		    "http://h.com/dir/", 0, key);
		free(norm);
		free(key);
	}
	assert_int_equal(bad, 0);
}

/* url_host, url_hostport */

struct host_row {
	const char	*in;
	const char	*host;
	const char	*hostport;
};

static const struct host_row host_rows[] = {
	{ "http://Example.COM:8080/x", "example.com", "example.com:8080" },
	{ "https://h.com:443/", "h.com", "h.com" },
	{ "http://h.com:80/", "h.com", "h.com" },
	{ "https://h.com:80/", "h.com", "h.com:80" },
	{ "http://user:pw@h.com/", "h.com", "h.com" },
	{ "http://[::1]:81/", "[::1]", "[::1]:81" },
	{ "mailto:x@y", NULL, NULL },
	{ "not a url", NULL, NULL },
	{ "http://", NULL, NULL },
};

static void
url_host_rows(void **state)
{
	size_t	 i;
	char	*h, *hp;
	int	 bad = 0;

	for (i = 0; i < NROWS(host_rows); i++) {
		h = url_host(host_rows[i].in);
		hp = url_hostport(host_rows[i].in);
		bad += row_bad("url_host", host_rows[i].in, 0,
		    host_rows[i].host, 0, h);
		bad += row_bad("url_hostport", host_rows[i].in, 0,
		    host_rows[i].hostport, 0, hp);
		free(h);
		free(hp);
	}
	assert_int_equal(bad, 0);
}

/* url_fragment, url_is_http, url_match */

static const struct str_row fragment_rows[] = {
	{ "a.html#sec-2", "#sec-2" },
	{ "#top", "#top" },
	{ "a.html#", "#" },
	{ "a.html", NULL },
	{ "", NULL },
};

static void
url_fragment_rows(void **state)
{
	size_t	i;
	int	bad = 0;

	for (i = 0; i < NROWS(fragment_rows); i++)
		bad += row_bad("url_fragment", fragment_rows[i].in, 0,
		    fragment_rows[i].want, 0,
		    url_fragment(fragment_rows[i].in));
	assert_int_equal(bad, 0);
}

struct int_row {
	const char	*a;
	const char	*b;
	int		 want;
};

static const struct int_row is_http_rows[] = {
	{ "http://h.com/", NULL, 1 },
	{ "HTTPS://h.com/x?y", NULL, 1 },
	{ "ftp://h.com/", NULL, 0 },
	{ "mailto:x@y", NULL, 0 },
	{ "/relative", NULL, 0 },
	{ "http://", NULL, 0 },
	{ "", NULL, 0 },
};

static const struct int_row match_rows[] = {
	{ "https://h.com/docs/*", "https://h.com/docs/a/b.pdf", 1 },
	{ "https://h.com/docs/*", "https://h.com/docs/", 1 },
	{ "https://h.com/docs/*", "https://h.com/other/a.pdf", 0 },
	{ "https://h.com/docs/*", "http://h.com/docs/a.pdf", 0 },
	{ "*.pdf", "https://h.com/a/b.pdf", 1 },
	{ "*.pdf", "https://h.com/a/b.pdf?x", 0 },
	{ "https://h.com/?.pdf", "https://h.com/a.pdf", 1 },
	{ "https://h.com/?.pdf", "https://h.com/ab.pdf", 0 },
	{ "https://*.lacity.gov/*", "https://mayor.lacity.gov/x", 1 },
	{ "https://h.com/", "https://h.com/", 1 },
};

static void
url_is_http_and_match_rows(void **state)
{
	size_t	i;
	int	got, bad = 0;

	for (i = 0; i < NROWS(is_http_rows); i++) {
		got = url_is_http(is_http_rows[i].a);
		if (got != is_http_rows[i].want) {
			print_error("url_is_http('%s'): expected %d, actual "
			    "%d\n", is_http_rows[i].a, is_http_rows[i].want,
			    got);
			bad++;
		}
	}
	for (i = 0; i < NROWS(match_rows); i++) {
		got = url_match(match_rows[i].a, match_rows[i].b);
		if (got != match_rows[i].want) {
			print_error("url_match('%s', '%s'): expected %d, "
			    "actual %d\n", match_rows[i].a, match_rows[i].b,
			    match_rows[i].want, got);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(url_normalize_rows),
		cmocka_unit_test(url_normalize_messages),
		cmocka_unit_test(url_normalize_idn),
		cmocka_unit_test(url_resolve_rows),
		cmocka_unit_test(url_canonical_rows),
		cmocka_unit_test(url_canonical_aliases),
		cmocka_unit_test(url_host_rows),
		cmocka_unit_test(url_fragment_rows),
		cmocka_unit_test(url_is_http_and_match_rows),
	};
	int	rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
