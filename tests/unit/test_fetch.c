/*
 * test_fetch.c -- unit tests for the parts of fetch.c that need no
 * network: reading Retry-After (delta-seconds and the three HTTP-date
 * forms) and the rules for following a redirect (only http and https,
 * never from https down to http), which the test server cannot show
 * for https since it speaks no TLS.  Every failing row prints its
 * input, the expected and the actual value.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "err.h"
#include "fetch.h"

#define NROWS(a)	(sizeof (a) / sizeof (a)[0])
#define S(s)		((s) ? (s) : "(null)")

/* 2015-10-21T07:28:00Z, the "now" of every Retry-After row. */
#define NOW	((time_t)1445412480)

struct retry_row {
	const char	*value;
	int		 rc;
	double		 seconds;
};

static const struct retry_row retry_rows[] = {
	/* delta-seconds */
	{ "0", 0, 0 },
	{ "1", 0, 1 },
	{ "120", 0, 120 },
	{ " 7 ", 0, 7 },
	{ "007", 0, 7 },
	{ "99999999999999999999999", 0, 1e9 },
	/* HTTP-date: IMF-fixdate, RFC 850, asctime; past is now */
	{ "Wed, 21 Oct 2015 07:28:00 GMT", 0, 0 },
	{ "Wed, 21 Oct 2015 07:28:30 GMT", 0, 30 },
	{ "Wed, 21 Oct 2015 08:28:00 GMT", 0, 3600 },
	{ "Wednesday, 21-Oct-15 07:29:00 GMT", 0, 60 },
	{ "Wed Oct 21 07:28:05 2015", 0, 5 },
	{ "Tue, 20 Oct 2015 07:28:00 GMT", 0, 0 },
	{ "Thu, 01 Jan 1970 00:00:00 GMT", 0, 0 },
	/* neither */
	{ "", -1, 0 },
	{ "   ", -1, 0 },
	{ "-5", -1, 0 },
	{ "1.5", -1, 0 },
	{ "10 seconds", -1, 0 },
	{ "soon", -1, 0 },
	{ "0x10", -1, 0 },
};

static void
fetch_retry_after_rows(void **state)
{
	size_t	i;
	double	got;
	int	rc, bad = 0;

	for (i = 0; i < NROWS(retry_rows); i++) {
		got = -42;
		rc = fetch_retry_after(retry_rows[i].value, NOW, &got);
		if (rc == retry_rows[i].rc && (rc != 0 ||
		    (got > retry_rows[i].seconds - 1e-6 &&
		    got < retry_rows[i].seconds + 1e-6)))
			continue;
		print_error("fetch_retry_after('%s'):\n"
		    "    expected rc %d, %g s\n    actual   rc %d, %g s\n",
		    retry_rows[i].value, retry_rows[i].rc,
		    retry_rows[i].seconds, rc, rc == 0 ? got : 0.0);
		bad++;
	}
	assert_int_equal(bad, 0);
}

struct redirect_row {
	const char	*from;
	const char	*location;
	int		 rc;
	const char	*want;		/* the target, or the message */
};

static const struct redirect_row redirect_rows[] = {
	{ "http://h.org/a", "/b", 0, "http://h.org/b" },
	{ "http://h.org/a/b", "c?x=1", 0, "http://h.org/a/c?x=1" },
	{ "http://h.org/a", "https://h.org/a", 0, "https://h.org/a" },
	{ "https://h.org/a", "https://other.org/b", 0,
	    "https://other.org/b" },
	{ "https://h.org/a", "//cdn.h.org/x.pdf", 0,
	    "https://cdn.h.org/x.pdf" },
	{ "https://h.org/a", "/b", 0, "https://h.org/b" },
	{ "https://h.org/a", "http://h.org/a", FERRY_EUNSUPPORTED,
	    "redirect from https to http refused ('http://h.org/a')" },
	{ "https://h.org/a", "HTTP://other.org:80/x", FERRY_EUNSUPPORTED,
	    "redirect from https to http refused ('http://other.org/x')" },
	{ "http://h.org/a", "file:///etc/passwd", FERRY_EUNSUPPORTED,
	    "redirect to 'file:///etc/passwd' refused (only http and https "
	    "are followed)" },
	{ "https://h.org/a", "ftp://h.org/x.pdf", FERRY_EUNSUPPORTED,
	    "redirect to 'ftp://h.org/x.pdf' refused (only http and https "
	    "are followed)" },
	{ "http://h.org/a", "javascript:alert(1)", FERRY_EUNSUPPORTED,
	    "redirect to 'javascript:alert(1)' refused (only http and "
	    "https are followed)" },
	{ "http://h.org/a", "http://bad host/", FERRY_ERROR,
	    "redirect to 'http://bad host/' refused (not a valid URL)" },
};

static void
fetch_redirect_rows(void **state)
{
	size_t	 i;
	char	*got;
	int	 rc, bad = 0;

	for (i = 0; i < NROWS(redirect_rows); i++) {
		const struct redirect_row *row = &redirect_rows[i];
		const char *actual;

		err_clear();
		rc = fetch_redirect(row->from, row->location, &got);
		actual = rc == 0 ? got : err_msg();
		if (rc != row->rc || strcmp(S(actual), row->want) != 0 ||
		    (rc != 0 && got != NULL)) {
			print_error("fetch_redirect('%s', '%s'):\n"
			    "    expected rc %d '%s'\n"
			    "    actual   rc %d '%s'\n", row->from,
			    row->location, row->rc, row->want, rc,
			    S(actual));
			bad++;
		}
		free(got);
	}
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fetch_retry_after_rows),
		cmocka_unit_test(fetch_redirect_rows),
	};
	int	rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
