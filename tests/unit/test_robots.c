/*
 * test_robots.c -- unit tests for robots.c.
 *
 * Tables of robots.txt files and paths, from RFC 9309 and the examples
 * site owners copy from, with what ferry may fetch, which rule decided
 * and the crawl delay.  Every failing row prints its input, the expected
 * and the actual value.
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

#include "robots.h"

#define NROWS(a)	(sizeof (a) / sizeof (a)[0])
#define S(s)		((s) ? (s) : "(none)")

/* One file, one path: allowed or not, and the deciding rule. */
struct allow_row {
	const char	*txt;
	const char	*path;
	int		 allowed;
	const char	*rule;		/* NULL: no rule matched */
};

#define FISH		"User-agent: *\nDisallow: /fish\n"
#define FISH_STAR	"User-agent: *\nDisallow: /fish*\n"
#define FISH_DIR	"User-agent: *\nDisallow: /fish/\n"
#define PHP		"User-agent: *\nDisallow: /*.php\n"
#define PHP_END		"User-agent: *\nDisallow: /*.php$\n"
#define FISH_PHP	"User-agent: *\nDisallow: /fish*.php\n"

static const struct allow_row allow_rows[] = {
	/* prefixes: a rule matches the start of the path */
	{ FISH, "/fish", 0, "Disallow: /fish" },
	{ FISH, "/fish.html", 0, "Disallow: /fish" },
	{ FISH, "/fish/salmon.html", 0, "Disallow: /fish" },
	{ FISH, "/fishheads/yummy.html", 0, "Disallow: /fish" },
	{ FISH, "/fish.php?id=anything", 0, "Disallow: /fish" },
	{ FISH, "/Fish.asp", 1, NULL },
	{ FISH, "/catfish", 1, NULL },
	{ FISH, "/?id=fish", 1, NULL },
	{ FISH, "/desert/fish", 1, NULL },
	{ FISH_STAR, "/fishheads", 0, "Disallow: /fish*" },
	{ FISH_STAR, "/catfish", 1, NULL },
	{ FISH_DIR, "/fish/", 0, "Disallow: /fish/" },
	{ FISH_DIR, "/fish/?id=anything", 0, "Disallow: /fish/" },
	{ FISH_DIR, "/fish", 1, NULL },
	{ FISH_DIR, "/fish.html", 1, NULL },
	{ FISH_DIR, "/animals/fish/", 1, NULL },
	{ FISH_DIR, "/Fish/Salmon.asp", 1, NULL },
	/* '*' and '$' */
	{ PHP, "/index.php", 0, "Disallow: /*.php" },
	{ PHP, "/folder/filename.php?parameters", 0, "Disallow: /*.php" },
	{ PHP, "/folder/any.php.file.html", 0, "Disallow: /*.php" },
	{ PHP, "/filename.php/", 0, "Disallow: /*.php" },
	{ PHP, "/", 1, NULL },
	{ PHP, "/windows.PHP", 1, NULL },
	{ PHP_END, "/filename.php", 0, "Disallow: /*.php$" },
	{ PHP_END, "/folder/filename.php", 0, "Disallow: /*.php$" },
	{ PHP_END, "/filename.php?parameters", 1, NULL },
	{ PHP_END, "/filename.php/", 1, NULL },
	{ PHP_END, "/filename.php5", 1, NULL },
	{ FISH_PHP, "/fish.php", 0, "Disallow: /fish*.php" },
	{ FISH_PHP, "/fishheads/catfish.php?parameters", 0,
	    "Disallow: /fish*.php" },
	{ FISH_PHP, "/Fish.PHP", 1, NULL },
	{ "User-agent: *\nDisallow: /a*b*c*d$\n", "/aXbYcZd", 0,
	    "Disallow: /a*b*c*d$" },
	{ "User-agent: *\nDisallow: /a*b*c*d$\n", "/aXbYcZdE", 1, NULL },
	{ "User-agent: *\nDisallow: /a$b\n", "/a$b", 0, "Disallow: /a$b" },
	{ "User-agent: *\nDisallow: /a$b\n", "/a", 1, NULL },
	{ "User-agent: *\nDisallow: /*?\n", "/list?page=2", 0,
	    "Disallow: /*?" },
	{ "User-agent: *\nDisallow: /*?\n", "/list", 1, NULL },
	{ "User-agent: *\nDisallow: /\n", "/anything/at/all.pdf", 0,
	    "Disallow: /" },
	{ "User-agent: *\nDisallow: *\n", "/x", 0, "Disallow: *" },
	/* the longest match decides; Allow wins a tie */
	{ "User-agent: *\nAllow: /p\nDisallow: /\n", "/page", 1, "Allow: /p" },
	{ "User-agent: *\nDisallow: /\nAllow: /p\n", "/page", 1, "Allow: /p" },
	{ "User-agent: *\nAllow: /folder\nDisallow: /folder\n",
	    "/folder/page", 1, "Allow: /folder" },
	{ "User-agent: *\nDisallow: /folder\nAllow: /folder\n",
	    "/folder/page", 1, "Allow: /folder" },
	{ "User-agent: *\nAllow: /page\nDisallow: /*.htm\n", "/page.htm", 0,
	    "Disallow: /*.htm" },
	{ "User-agent: *\nAllow: /$\nDisallow: /\n", "/", 1, "Allow: /$" },
	{ "User-agent: *\nAllow: /$\nDisallow: /\n", "/page.htm", 0,
	    "Disallow: /" },
	{ "User-agent: *\nDisallow: /private/\nAllow: /private/public/\n",
	    "/private/public/a.pdf", 1, "Allow: /private/public/" },
	{ "User-agent: *\nDisallow: /private/\nAllow: /private/public/\n",
	    "/private/secret.pdf", 0, "Disallow: /private/" },
	/* groups: ferry's own, else "*"; never both */
	{ "User-agent: *\nDisallow: /\n\nUser-agent: ferry\nDisallow: /x\n",
	    "/page", 1, NULL },
	{ "User-agent: *\nDisallow: /\n\nUser-agent: ferry\nDisallow: /x\n",
	    "/x/y", 0, "Disallow: /x" },
	{ "User-agent: FERRY\nDisallow: /x\n", "/x", 0, "Disallow: /x" },
	{ "User-agent: ferry/1.0\nDisallow: /x\n", "/x", 0, "Disallow: /x" },
	{ "User-agent: ferrybot\nDisallow: /x\n", "/x", 1, NULL },
	{ "User-agent: googlebot\nDisallow: /\n", "/x", 1, NULL },
	{ "User-agent: googlebot\nUser-agent: ferry\nDisallow: /x\n", "/x",
	    0, "Disallow: /x" },
	{ "User-agent: ferry\nDisallow: /a\nUser-agent: other\n"
	    "Disallow: /b\nUser-agent: ferry\nDisallow: /c\n", "/c", 0,
	    "Disallow: /c" },
	{ "User-agent: ferry\nDisallow: /a\nUser-agent: other\n"
	    "Disallow: /b\nUser-agent: ferry\nDisallow: /c\n", "/b", 1, NULL },
	{ "User-agent: ferry\nAllow: /\nUser-agent: *\nDisallow: /\n", "/a",
	    1, "Allow: /" },
	{ "User-agent: *\nUser-agent: ferry\nDisallow: /both\n", "/both", 0,
	    "Disallow: /both" },
	/* what is not a rule */
	{ "Disallow: /\nUser-agent: *\nDisallow: /x\n", "/a", 1, NULL },
	{ "User-agent: *\nDisallow:\n", "/a", 1, NULL },
	{ "User-agent: *\nDisallow /a\n", "/a", 1, NULL },
	{ "User-agent: *\nSitemap: http://h/s.xml\nDisallow: /a\n", "/a", 0,
	    "Disallow: /a" },
	{ "User-agent: *\nNoindex: /a\n", "/a", 1, NULL },
	{ "", "/a", 1, NULL },
	{ "<html><body>Not found</body></html>", "/a", 1, NULL },
	/* spelling: case, blanks, comments, line ends, BOM, typos */
	{ "USER-AGENT : *\n  DISALLOW :  /a  \n", "/a", 0, "Disallow: /a" },
	{ "User-agent: * # everyone\nDisallow: /a # not /a\n", "/a", 0,
	    "Disallow: /a" },
	{ "User-agent: *\nDisallow: /a#b\n", "/a", 0, "Disallow: /a" },
	{ "User-agent: *\r\nDisallow: /a\r\n", "/a", 0, "Disallow: /a" },
	{ "User-agent: *\rDisallow: /a\r", "/a", 0, "Disallow: /a" },
	{ "\xef\xbb\xbfUser-agent: *\nDisallow: /a\n", "/a", 0,
	    "Disallow: /a" },
	{ "User-agent: *\nDissallow: /a\n", "/a", 0, "Disallow: /a" },
	{ "Useragent: *\nDisallow: /a\n", "/a", 0, "Disallow: /a" },
	{ "User-agent: *\nDisallow: private\n", "/private/x", 0,
	    "Disallow: private" },
	/* escapes compare the way url.c writes paths */
	{ "User-agent: *\nDisallow: /%7Euser\n", "/~user/a", 0,
	    "Disallow: /%7Euser" },
	{ "User-agent: *\nDisallow: /~user\n", "/%7euser/a", 0,
	    "Disallow: /~user" },
	{ "User-agent: *\nDisallow: /a%2fb\n", "/a%2Fb", 0,
	    "Disallow: /a%2fb" },
	{ "User-agent: *\nDisallow: /a%2fb\n", "/a/b", 1, NULL },
	{ "User-agent: *\nDisallow: /\xeb\xa0\x88\n", "/%EB%A0%88.pdf", 0,
	    "Disallow: /\xeb\xa0\x88" },
	{ "User-agent: *\nDisallow: /my file\n", "/my%20file.pdf", 0,
	    "Disallow: /my file" },
	/* robots.txt itself is always allowed */
	{ "User-agent: *\nDisallow: /\n", "/robots.txt", 1, NULL },
	{ "User-agent: *\nDisallow: /\n", "/robots.txt?x", 0, "Disallow: /" },
};

static void
robots_allowed_rows(void **state)
{
	struct robots	*r;
	const char	*rule;
	size_t		 i;
	int		 got, bad = 0;

	for (i = 0; i < NROWS(allow_rows); i++) {
		const struct allow_row *row = &allow_rows[i];

		r = robots_parse(row->txt, strlen(row->txt), "ferry");
		got = robots_allowed(r, row->path, &rule);
		if (got != row->allowed || (row->rule == NULL ? rule != NULL :
		    rule == NULL || strcmp(rule, row->rule) != 0)) {
			print_error("robots_allowed(\"%s\", '%s'):\n"
			    "    expected %s by '%s'\n"
			    "    actual   %s by '%s'\n", row->txt, row->path,
			    row->allowed ? "allowed" : "disallowed",
			    S(row->rule), got ? "allowed" : "disallowed",
			    S(rule));
			bad++;
		}
		robots_free(r);
	}
	assert_int_equal(bad, 0);
}

static void
robots_allows_everything_without_a_file(void **state)
{
	const char	*rule = "x";

	assert_int_equal(robots_allowed(NULL, "/a", &rule), 1);
	assert_null(rule);
	assert_true(robots_crawl_delay(NULL) < 0);
	robots_free(NULL);
}

/* Bytes that are not text never stop the parse. */
static void
robots_reads_any_bytes(void **state)
{
	static const char txt[] = "User-agent: *\nDisallow: /a\0b\n\xff\xfe\n"
	    "Disallow: /c\n";
	struct robots	*r;

	r = robots_parse(txt, sizeof txt - 1, "ferry");
	assert_int_equal(robots_allowed(r, "/c", NULL), 0);
	assert_int_equal(robots_allowed(r, "/b", NULL), 1);
	assert_int_equal(robots_allowed(r, "/a", NULL), 1);
	robots_free(r);
}

struct delay_row {
	const char	*txt;
	double		 want;
};

static const struct delay_row delay_rows[] = {
	{ "User-agent: *\nCrawl-delay: 10\n", 10 },
	{ "User-agent: *\nCrawl-delay: 0.5\n", 0.5 },
	{ "User-agent: *\nCrawl-delay: 2.\n", 2 },
	{ "User-agent: *\ncrawl-delay:3 # slow\n", 3 },
	{ "User-agent: *\nCrawl-delay: soon\n", -1 },
	{ "User-agent: *\nCrawl-delay: -4\n", -1 },
	{ "User-agent: *\nCrawl-delay: 1e3\n", -1 },
	{ "User-agent: *\nCrawl-delay:\n", -1 },
	{ "User-agent: *\nCrawl-delay: 7\nCrawl-delay: 9\n", 7 },
	{ "User-agent: *\nCrawl-delay: 5\nUser-agent: ferry\nCrawl-delay: "
	    "1\n", 1 },
	{ "User-agent: *\nCrawl-delay: 5\nUser-agent: ferry\nDisallow: /x\n",
	    -1 },
	{ "User-agent: other\nCrawl-delay: 5\n", -1 },
	{ "Crawl-delay: 5\n", -1 },
	{ "User-agent: *\nCrawl-delay: 99999999999999999999\n", 1e9 },
};

static void
robots_crawl_delay_rows(void **state)
{
	struct robots	*r;
	size_t		 i;
	double		 got;
	int		 bad = 0;

	for (i = 0; i < NROWS(delay_rows); i++) {
		r = robots_parse(delay_rows[i].txt, strlen(delay_rows[i].txt),
		    "ferry");
		got = robots_crawl_delay(r);
		if (got < delay_rows[i].want - 1e-9 ||
		    got > delay_rows[i].want * (1 + 1e-9) + 1e-9) {
			print_error("robots_crawl_delay(\"%s\"):\n"
			    "    expected %g\n    actual   %g\n",
			    delay_rows[i].txt, delay_rows[i].want, got);
			bad++;
		}
		robots_free(r);
	}
	assert_int_equal(bad, 0);
}

struct agent_row {
	const char	*ua;
	const char	*want;
};

static const struct agent_row agent_rows[] = {
	{ "ferry/0.1.0 (+offline mirror)", "ferry" },
	{ "Ferry", "ferry" },
	{ "  LAMirror/2.0", "lamirror" },
	{ "acme-mirror (+https://example.org/)", "acme-mirror" },
	{ "", "ferry" },
	{ "/1.0", "ferry" },
};

static void
robots_agent_rows(void **state)
{
	size_t	 i;
	char	*got;
	int	 bad = 0;

	for (i = 0; i < NROWS(agent_rows); i++) {
		got = robots_agent(agent_rows[i].ua);
		if (strcmp(got, agent_rows[i].want) != 0) {
			print_error("robots_agent('%s'):\n    expected '%s'\n"
			    "    actual   '%s'\n", agent_rows[i].ua,
			    agent_rows[i].want, got);
			bad++;
		}
		free(got);
	}
	assert_int_equal(bad, 0);
}

/* A custom product token selects its own group. */
static void
robots_matches_the_configured_agent(void **state)
{
	static const char txt[] = "User-agent: lamirror\nDisallow: /a\n"
	    "User-agent: *\nDisallow: /b\n";
	struct robots	*r;

	r = robots_parse(txt, sizeof txt - 1, "lamirror");
	assert_int_equal(robots_allowed(r, "/a", NULL), 0);
	assert_int_equal(robots_allowed(r, "/b", NULL), 1);
	robots_free(r);
	r = robots_parse(txt, sizeof txt - 1, "ferry");
	assert_int_equal(robots_allowed(r, "/a", NULL), 1);
	assert_int_equal(robots_allowed(r, "/b", NULL), 0);
	robots_free(r);
}

/* Many stars against a long path stay fast (no exponential backtracking). */
static void
robots_stars_stay_linear(void **state)
{
	char		 txt[4096], path[2048];
	struct robots	*r;
	size_t		 n;

	n = (size_t)snprintf(txt, sizeof txt, "User-agent: *\nDisallow: /");
	for (; n < 2000; n++)
		txt[n] = n % 2 ? '*' : 'a';
	memcpy(txt + n, "b$\n", 4);
	path[0] = '/';
	memset(path + 1, 'a', sizeof path - 2);
	path[sizeof path - 1] = '\0';
	r = robots_parse(txt, strlen(txt), "ferry");
	assert_int_equal(robots_allowed(r, path, NULL), 1);
	robots_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(robots_allowed_rows),
		cmocka_unit_test(robots_allows_everything_without_a_file),
		cmocka_unit_test(robots_reads_any_bytes),
		cmocka_unit_test(robots_crawl_delay_rows),
		cmocka_unit_test(robots_agent_rows),
		cmocka_unit_test(robots_matches_the_configured_agent),
		cmocka_unit_test(robots_stars_stay_linear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
