/*
 * test_history.c -- unit tests for history.c's parts that need no
 * repository: taking a pass's commit message apart, reading dates as a
 * person types them, and matching a path or URL against a change.
 * Every failing row prints its input, the expected and the actual value.
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

#include "buf.h"
#include "err.h"
#include "history.h"

#define NROWS(a)	(sizeof (a) / sizeof (a)[0])
#define S(s)		((s) ? (s) : "(null)")

struct message_row {
	const char	*message;
	const char	*subject;
	const char	*source;
	int64_t		 started;
	int64_t		 requests;
	const char	*changes;	/* "verb|path|url|detail;" each */
};

#define TRAILERS "Ferry-Source: city\nFerry-Started: 2026-11-26T04:00:00Z\n" \
	"Ferry-Finished: 2026-11-26T04:00:02Z\nFerry-Requests: 51\n" \
	"Ferry-Bytes: 48213\n"

static const struct message_row message_rows[] = {
	/* the pass README.md shows */
	{ "sync city: 1 updated, 1 added, 1 removed\n\n"
	  "updated  site/h/resources/index.html\n"
	  "         http://h/resources/\n"
	  "added    site/h2/redcards/am.pdf\n"
	  "         http://h2/redcards/am.pdf\n"
	  "removed  site/h/files/x.pdf\n"
	  "         http://h/files/x.pdf (no longer linked from the source)\n"
	  "\n" TRAILERS,
	  "sync city: 1 updated, 1 added, 1 removed", "city", 1795665600, 51,
	  "updated|site/h/resources/index.html|http://h/resources/|(null);"
	  "added|site/h2/redcards/am.pdf|http://h2/redcards/am.pdf|(null);"
	  "removed|site/h/files/x.pdf|http://h/files/x.pdf|"
	  "no longer linked from the source;" },
	/* a failure stands alone on its line */
	{ "sync city: 1 failed\n\n"
	  "failed   https://h/ko.pdf (503 Service Unavailable, previous copy "
	  "kept)\n\n" TRAILERS,
	  "sync city: 1 failed", "city", 1795665600, 51,
	  "failed|(null)|https://h/ko.pdf|503 Service Unavailable, previous "
	  "copy kept;" },
	/* an administrator's file: a note instead of a URL, or nothing */
	{ "sync city: 1 added\n\nadded    local/a.pdf\n"
	  "         edited by hand in the mirror\n\n" TRAILERS,
	  "sync city: 1 added", "city", 1795665600, 51,
	  "added|local/a.pdf|(null)|edited by hand in the mirror;" },
	{ "edit: local/a.pdf, catalog.conf\n\nadded    local/a.pdf\n"
	  "updated  catalog.conf\n",
	  "edit: local/a.pdf, catalog.conf", NULL, 0, -1,
	  "added|local/a.pdf|(null)|(null);"
	  "updated|catalog.conf|(null)|(null);" },
	/* no change lines: counts only */
	{ "sync city: index updated\n\n" TRAILERS,
	  "sync city: index updated", "city", 1795665600, 51, "" },
	/* a commit ferry did not make */
	{ "Merge branch 'x'\n\nSome Prose here.\n  indented text\n",
	  "Merge branch 'x'", NULL, 0, -1, "" },
	{ "", "", NULL, 0, -1, "" },
	/* damaged trailers count as missing */
	{ "sync city: 1 updated\n\nFerry-Source: town\n"
	  "Ferry-Started: yesterday\nFerry-Requests: many\n",
	  "sync city: 1 updated", "town", 0, -1, "" },
};

static void
history_parses_messages(void **state)
{
	struct history_pass	p;
	struct buf		b = BUF_INIT;
	size_t			i, j;
	int			bad = 0;

	for (i = 0; i < NROWS(message_rows); i++) {
		const struct message_row *row = &message_rows[i];

		memset(&p, 0, sizeof p);
		history_parse_message(row->message, &p);
		buf_reset(&b);
		buf_addstr(&b, "");
		for (j = 0; j < p.nchanges; j++)
			buf_addf(&b, "%s|%s|%s|%s;", p.changes[j].verb,
			    S(p.changes[j].path), S(p.changes[j].url),
			    S(p.changes[j].detail));
		if (strcmp(p.subject, row->subject) != 0 ||
		    strcmp(S(p.source), S(row->source)) != 0 ||
		    p.started != row->started || p.requests != row->requests ||
		    strcmp(b.ptr, row->changes) != 0) {
			print_error("history_parse_message(\"%s\"):\n"
			    "    expected '%s' %s %lld %lld [%s]\n"
			    "    actual   '%s' %s %lld %lld [%s]\n",
			    row->message, row->subject, S(row->source),
			    (long long)row->started, (long long)row->requests,
			    row->changes, p.subject, S(p.source),
			    (long long)p.started, (long long)p.requests,
			    b.ptr);
			bad++;
		}
		history_pass_clear(&p);
	}
	buf_free(&b);
	assert_int_equal(bad, 0);
}

struct date_row {
	const char	*text;
	int		 ok;
	int64_t		 from;
	int64_t		 to;
};

#define NOW	1795665600	/* 2026-11-26T04:00:00Z */

static const struct date_row date_rows[] = {
	{ "2026-11-26", 1, 1795651200, 1795737599 },
	{ "2026-11-26 04:00", 1, 1795665600, 1795665659 },
	{ "2026-11-26T04:00", 1, 1795665600, 1795665659 },
	{ "2026-11-26T04:00:30", 1, 1795665630, 1795665630 },
	{ "2026-11-26T04:00:30Z", 1, 1795665630, 1795665630 },
	{ "2026-02-28", 1, 1772236800, 1772323199 },
	{ "now", 1, NOW, NOW },
	{ "7d", 1, NOW - 7 * 86400, NOW - 7 * 86400 },
	{ "12h ago", 1, NOW - 12 * 3600, NOW - 12 * 3600 },
	{ "2w", 1, NOW - 14 * 86400, NOW - 14 * 86400 },
	{ "90s", 1, NOW - 90, NOW - 90 },
	{ "2026-02-30", 0, 0, 0 },
	{ "2026-13-01", 0, 0, 0 },
	{ "2026-11-26 25:00", 0, 0, 0 },
	{ "2026-11-26 04", 0, 0, 0 },
	{ "26-11-2026", 0, 0, 0 },
	{ "yesterday", 0, 0, 0 },
	{ "7 days", 0, 0, 0 },
	{ "7y", 0, 0, 0 },
	{ "", 0, 0, 0 },
};

static void
history_parses_dates(void **state)
{
	time_t	from, to;
	size_t	i;
	int	bad = 0, rc;

	for (i = 0; i < NROWS(date_rows); i++) {
		const struct date_row *row = &date_rows[i];

		from = to = 0;
		rc = history_parse_date(row->text, NOW, &from, &to);
		if ((rc == 0) != row->ok || (rc == 0 && ((int64_t)from !=
		    row->from || (int64_t)to != row->to))) {
			print_error("history_parse_date('%s'):\n"
			    "    expected %s %lld..%lld\n"
			    "    actual   %s %lld..%lld (%s)\n", row->text,
			    row->ok ? "ok" : "error", (long long)row->from,
			    (long long)row->to, rc == 0 ? "ok" : "error",
			    (long long)from, (long long)to,
			    rc == 0 ? "" : err_msg());
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

struct match_row {
	const char	*key;
	const char	*path;
	const char	*url;
	int		 match;
};

static const struct match_row match_rows[] = {
	{ "site/h/a.pdf", "site/h/a.pdf", "http://h/a.pdf", 1 },
	{ "http://h/a.pdf", "site/h/a.pdf", "http://h/a.pdf", 1 },
	{ "http://h/a.pdf", NULL, "http://h/a.pdf", 1 },
	{ "site/h", "site/h/a.pdf", NULL, 1 },
	{ "site/h", "site/hx/a.pdf", NULL, 0 },
	{ "site/h/a", "site/h/a.pdf", NULL, 0 },
	{ "text/h/p.html.txt", "site/h/p.html", NULL, 1 },
	{ "text/h/p.html.txt", "site/h/q.html", NULL, 0 },
	{ "text/h/p.html.txt", "text/h/p.html.txt", NULL, 1 },
	{ "text/h", "text/h/p.html.txt", NULL, 1 },
	{ "http://h/a.pdf", "site/h/a.pdf", "http://h/b.pdf", 0 },
	{ "", "site/h/a.pdf", NULL, 0 },
	{ "site/h/a.pdf", NULL, NULL, 0 },
};

static void
history_matches_paths_and_urls(void **state)
{
	size_t	i;
	int	bad = 0, got;

	for (i = 0; i < NROWS(match_rows); i++) {
		const struct match_row *row = &match_rows[i];

		got = history_matches(row->key, row->path, row->url);
		if (got != row->match) {
			print_error("history_matches('%s', '%s', '%s'):\n"
			    "    expected %d\n    actual   %d\n", row->key,
			    S(row->path), S(row->url), row->match, got);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(history_parses_messages),
		cmocka_unit_test(history_parses_dates),
		cmocka_unit_test(history_matches_paths_and_urls),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
