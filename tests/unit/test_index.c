/*
 * test_index.c -- index.json, index.html and README.txt from entry tables.
 *
 * Checks the bytes a user's browser, a JSON parser or a text editor would
 * read: the exact JSON, escaping, grouping, sizes, links and wrapping.  It
 * does not test writing the files (the caller does that).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "buf.h"
#include "err.h"
#include "index.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define SRC_URL		"https://mayor.lacity.gov/resources"
#define NOV26		1795665600	/* 2026-11-26T04:00:00Z */

typedef int (*render_fn)(const struct index_entry *, size_t, struct buf *);

/* A document entry with everything set; tests change what they look at. */
static struct index_entry
entry(const char *path, const char *title, const char *section,
    const char *kind)
{
	struct index_entry	e = {
		.source = "la-city",
		.source_url = SRC_URL,
		.url = "https://www.lapl.org/redcards/es.pdf",
		.path = path,
		.sha256 = "9f86d081884c7d659a2feaa0c55ad015"
		    "a3bf4f1b2b0b822cd15d6c15b0f00a08",
		.content_type = "application/pdf",
		.title = title,
		.section = section,
		.lang = "",
		.kind = kind,
		.size = 12345,
		.fetched = NOV26,
		.status = 200,
		.order = 0,
	};

	return e;
}

/* Render or fail the test with the error message. */
static char *
render(render_fn fn, const struct index_entry *e, size_t n)
{
	struct buf	b = BUF_INIT;
	int		rc;

	if ((rc = fn(e, n, &b)) != 0)
		fail_msg("render failed (%d): %s", rc, err_msg());
	return buf_detach(&b);
}

/* The line of s holding needle, for messages. */
static char *
line_of(const char *s, const char *needle)
{
	const char	*p, *start, *end;

	if ((p = strstr(s, needle)) == NULL)
		return strdup("(not found)");
	for (start = p; start > s && start[-1] != '\n'; start--)
		continue;
	end = p + strcspn(p, "\n");
	return strndup(start, (size_t)(end - start));
}

/*
 * Fail unless out holds expected (expect_in) or lacks unwanted
 * (expect_not_in), printing the row's input and the line of out around
 * context as the actual value, with the caller's file:line.
 */
#define expect_in(out, expected, input, context) \
	check_in(out, expected, input, context, __FILE__, __LINE__)
#define expect_not_in(out, unwanted, input) \
	check_not_in(out, unwanted, input, __FILE__, __LINE__)

static void
check_in(const char *out, const char *expected, const char *input,
    const char *context, const char *file, int line)
{
	char	*actual;

	if (strstr(out, expected) != NULL)
		return;
	actual = line_of(out, context);
	print_error("input:    %s\nexpected: %s\nactual:   %s\n", input,
	    expected, actual);
	free(actual);
	_fail(file, line);
}

static void
check_not_in(const char *out, const char *unwanted, const char *input,
    const char *file, int line)
{
	char	*actual;

	if (strstr(out, unwanted) == NULL)
		return;
	actual = line_of(out, unwanted);
	print_error("input:    %s\nexpected: no %s\nactual:   %s\n", input,
	    unwanted, actual);
	free(actual);
	_fail(file, line);
}

/* Where needle occurs in s, or -1; for order checks. */
static long
pos(const char *s, const char *needle)
{
	const char	*p;

	p = strstr(s, needle);
	return p != NULL ? (long)(p - s) : -1;
}

static const char golden_json[] =
    "{\n"
    "  \"format\": \"ferry-index\",\n"
    "  \"version\": 1,\n"
    "  \"resources\": [\n"
    "    {\n"
    "      \"source\": \"la-city\",\n"
    "      \"source_url\": \"" SRC_URL "\",\n"
    "      \"url\": \"" SRC_URL "\",\n"
    "      \"path\": \"site/mayor.lacity.gov/resources.html\",\n"
    "      \"sha256\": \"2c26b46b68ffc68ff99b453c1d304134"
    "13422d706483bfa0f98a5e886266e7ae\",\n"
    "      \"size\": 48213,\n"
    "      \"content_type\": \"text/html; charset=utf-8\",\n"
    "      \"fetched\": \"2026-11-26T04:00:00Z\",\n"
    "      \"status\": 200,\n"
    "      \"kind\": \"page\",\n"
    "      \"title\": \"Know \\\"Your\\\" Rights \\\\ Resources\",\n"
    "      \"section\": \"\",\n"
    "      \"lang\": \"en\"\n"
    "    },\n"
    "    {\n"
    "      \"source\": \"la-city\",\n"
    "      \"source_url\": \"" SRC_URL "\",\n"
    "      \"url\": \"https://www.lapl.org/redcards/ko.pdf\",\n"
    "      \"path\": \"site/www.lapl.org/redcards/"
    "\xeb\xa0\x88\xeb\x93\x9c.pdf\",\n"
    "      \"sha256\": \"fcde2b2edba56bf408601fb721fe9b5c"
    "338d10ee429ea04fae5511b68fbf8fb9\",\n"
    "      \"size\": 1503412,\n"
    "      \"content_type\": \"application/pdf\",\n"
    "      \"fetched\": \"2026-11-26T04:17:09Z\",\n"
    "      \"status\": 200,\n"
    "      \"kind\": \"document\",\n"
    "      \"title\": \"\xeb\xa0\x88\xeb\x93\x9c \xec\xb9\xb4\xeb\x93\x9c\",\n"
    "      \"section\": \"Rapid Response Tools: Red Cards and Hotlines\",\n"
    "      \"lang\": \"ko\"\n"
    "    }\n"
    "  ]\n"
    "}\n";

static void
golden_entries(struct index_entry e[2])
{
	e[0] = entry("site/mayor.lacity.gov/resources.html",
	    "Know \"Your\" Rights \\ Resources", "", "page");
	e[0].url = SRC_URL;
	e[0].sha256 = "2c26b46b68ffc68ff99b453c1d304134"
	    "13422d706483bfa0f98a5e886266e7ae";
	e[0].size = 48213;
	e[0].content_type = "text/html; charset=utf-8";
	e[0].lang = "en";
	e[1] = entry("site/www.lapl.org/redcards/\xeb\xa0\x88\xeb\x93\x9c.pdf",
	    "\xeb\xa0\x88\xeb\x93\x9c \xec\xb9\xb4\xeb\x93\x9c",
	    "Rapid Response Tools: Red Cards and Hotlines", "document");
	e[1].url = "https://www.lapl.org/redcards/ko.pdf";
	e[1].sha256 = "fcde2b2edba56bf408601fb721fe9b5c"
	    "338d10ee429ea04fae5511b68fbf8fb9";
	e[1].size = 1503412;
	e[1].fetched = NOV26 + 17 * 60 + 9;
	e[1].lang = "ko";
	e[1].order = 1;
}

static void
index_json_matches_golden(void **state)
{
	struct index_entry	 e[2];
	char			*out;

	golden_entries(e);
	out = render(index_json, e, 2);
	assert_string_equal(out, golden_json);
	free(out);

	out = render(index_json, e, 0);
	assert_string_equal(out, "{\n  \"format\": \"ferry-index\",\n"
	    "  \"version\": 1,\n  \"resources\": []\n}\n");
	free(out);
}

/* Strings a JSON parser must accept once escaped, and the escape. */
static const struct {
	const char	*title;
	const char	*expected;
} json_escape_rows[] = {
	{ "say \"hi\"", "\"title\": \"say \\\"hi\\\"\"," },
	{ "C:\\forms\\", "\"title\": \"C:\\\\forms\\\\\"," },
	{ "two\nlines", "\"title\": \"two\\nlines\"," },
	{ "tab\there", "\"title\": \"tab\\there\"," },
	{ "bell\x07", "\"title\": \"bell\\u0007\"," },
	{ "\x01\x1f\x7f", "\"title\": \"\\u0001\\u001f\\u007f\"," },
	{ "cr\rlf", "\"title\": \"cr\\u000dlf\"," },
	{ "<script>alert(1)</script>",
	    "\"title\": \"<script>alert(1)</script>\"," },
	{ "bad \xff byte", "\"title\": \"bad \xef\xbf\xbd byte\"," },
	{ "cut \xe2\x82", "\"title\": \"cut \xef\xbf\xbd\xef\xbf\xbd\"," },
	{ "surrogate \xed\xa0\x80",
	    "\"title\": \"surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"," },
	{ "caf\xc3\xa9 \xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a",
	    "\"title\": \"caf\xc3\xa9 \xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\"," },
};

static void
index_json_escapes_strings(void **state)
{
	struct index_entry	 e;
	char			*out;
	size_t			 i;

	for (i = 0; i < nitems(json_escape_rows); i++) {
		e = entry("site/a/b.pdf", json_escape_rows[i].title, "",
		    "document");
		out = render(index_json, &e, 1);
		expect_in(out, json_escape_rows[i].expected,
		    json_escape_rows[i].title, "\"title\"");
		free(out);
	}
}

/* Whether python3's JSON parser accepts s. */
static int
json_tool_accepts(const char *s)
{
	const char	*dir;
	char		 path[4096], cmd[4200];
	FILE		*f;
	int		 fd, st;

	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	snprintf(path, sizeof path, "%s/test_index.XXXXXX", dir);
	assert_int_not_equal(fd = mkstemp(path), -1);
	assert_non_null(f = fdopen(fd, "w"));
	assert_int_equal(fwrite(s, 1, strlen(s), f), strlen(s));
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof cmd, "python3 -m json.tool '%s' >/dev/null",
	    path);
	st = system(cmd);
	unlink(path);
	return st == 0;
}

static void
index_json_is_valid_json(void **state)
{
	struct index_entry	 e[2 + nitems(json_escape_rows)];
	char			*out;
	size_t			 i, n;

	if (system("python3 -c '' >/dev/null 2>&1") != 0)
		skip();
	golden_entries(e);
	for (n = 2, i = 0; i < nitems(json_escape_rows); i++, n++) {
		e[n] = entry("site/a/b.pdf", json_escape_rows[i].title,
		    json_escape_rows[i].title, "document");
		e[n].source = json_escape_rows[i].title;
		e[n].content_type = json_escape_rows[i].title;
	}
	for (i = 0; i <= n; i++) {
		out = render(index_json, e, i);
		if (!json_tool_accepts(out)) {
			print_error("input:    %zu entries\nexpected: valid "
			    "JSON\nactual:   %s\n", i, out);
			free(out);
			fail();
		}
		free(out);
	}
}

static const struct {
	int64_t		 fetched;
	const char	*expected;
} fetched_rows[] = {
	{ 0, "\"fetched\": \"1970-01-01T00:00:00Z\"," },
	{ 951782400, "\"fetched\": \"2000-02-29T00:00:00Z\"," },
	{ NOV26, "\"fetched\": \"2026-11-26T04:00:00Z\"," },
	{ NOV26 + 86399 - 4 * 3600,
	    "\"fetched\": \"2026-11-26T23:59:59Z\"," },
	{ 4102444800, "\"fetched\": \"2100-01-01T00:00:00Z\"," },
};

static void
index_json_shows_fetched_in_utc(void **state)
{
	struct index_entry	 e;
	char			*out, in[32];
	size_t			 i;

	for (i = 0; i < nitems(fetched_rows); i++) {
		e = entry("site/a/b.pdf", "", "", "document");
		e.fetched = fetched_rows[i].fetched;
		snprintf(in, sizeof in, "%lld",
		    (long long)fetched_rows[i].fetched);
		out = render(index_json, &e, 1);
		expect_in(out, fetched_rows[i].expected, in, "\"fetched\"");
		free(out);
	}
}

/* Text shown in the page, in every place it appears. */
static const struct {
	const char	*text;
	const char	*expected;
} html_escape_rows[] = {
	{ "<script>alert(1)</script>",
	    "&lt;script&gt;alert(1)&lt;/script&gt;" },
	{ "Tom & Jerry's \"guide\"",
	    "Tom &amp; Jerry&#39;s &quot;guide&quot;" },
	{ "a<b>c", "a&lt;b&gt;c" },
	{ "&amp;", "&amp;amp;" },
};

static void
index_html_escapes_text(void **state)
{
	struct index_entry	 e;
	char			*out, *want;
	const char		*t;
	size_t			 i;

	for (i = 0; i < nitems(html_escape_rows); i++) {
		t = html_escape_rows[i].text;
		e = entry("site/a/b.pdf", t, t, "document");
		e.source = t;
		e.url = t;
		e.lang = t;
		e.source_url = t;
		out = render(index_html, &e, 1);
		if (asprintf(&want, "<h2>%s</h2>",
		    html_escape_rows[i].expected) == -1)
			fail();
		expect_in(out, want, t, "<h2>");
		free(want);
		if (asprintf(&want, "<h3>%s</h3>",
		    html_escape_rows[i].expected) == -1)
			fail();
		expect_in(out, want, t, "<h3>");
		free(want);
		if (asprintf(&want, " lang=\"%s\">%s</a>",
		    html_escape_rows[i].expected,
		    html_escape_rows[i].expected) == -1)
			fail();
		expect_in(out, want, t, "<li>");
		free(want);
		if (asprintf(&want, "<span class=\"url\">%s</span>",
		    html_escape_rows[i].expected) == -1)
			fail();
		expect_in(out, want, t, "class=\"url\"");
		free(want);
		/* Not a web address: shown, never linked. */
		if (asprintf(&want, "original page: %s</p>",
		    html_escape_rows[i].expected) == -1)
			fail();
		expect_in(out, want, t, "original page");
		free(want);
		expect_not_in(out, "<script", t);
		expect_not_in(out, "<b>", t);
		free(out);
	}
}

static const struct {
	const char	*lang;
	const char	*expected;
} rtl_rows[] = {
	{ "ar", " lang=\"ar\" dir=\"rtl\">" },
	{ "fa-IR", " lang=\"fa-IR\" dir=\"rtl\">" },
	{ "fa-AF", " lang=\"fa-AF\" dir=\"rtl\">" },
	{ "he", " lang=\"he\" dir=\"rtl\">" },
	{ "ur", " lang=\"ur\" dir=\"rtl\">" },
	{ "ps", " lang=\"ps\" dir=\"rtl\">" },
	{ "sd", " lang=\"sd\" dir=\"rtl\">" },
	{ "yi", " lang=\"yi\" dir=\"rtl\">" },
	{ "dv", " lang=\"dv\" dir=\"rtl\">" },
	{ "ug", " lang=\"ug\" dir=\"rtl\">" },
	{ "ckb", " lang=\"ckb\" dir=\"rtl\">" },
	{ "AR_eg", " lang=\"AR_eg\" dir=\"rtl\">" },
	{ "pa-Arab", " lang=\"pa-Arab\" dir=\"rtl\">" },
	{ "sd-Deva", " lang=\"sd-Deva\">" },
	{ "ko", " lang=\"ko\">" },
	{ "en-US", " lang=\"en-US\">" },
	{ "zh-Hant", " lang=\"zh-Hant\">" },
	{ "arn", " lang=\"arn\">" },
	{ "hy", " lang=\"hy\">" },
	{ "", ".pdf\">T</a>" },
};

static void
index_html_marks_language_and_direction(void **state)
{
	struct index_entry	 e;
	char			*out;
	size_t			 i;

	for (i = 0; i < nitems(rtl_rows); i++) {
		e = entry("site/a/b.pdf", "T", "", "document");
		e.lang = rtl_rows[i].lang;
		out = render(index_html, &e, 1);
		expect_in(out, rtl_rows[i].expected, rtl_rows[i].lang, "<li>");
		if (strstr(rtl_rows[i].expected, "rtl") == NULL)
			expect_not_in(out, "dir=", rtl_rows[i].lang);
		if (*rtl_rows[i].lang == '\0')
			expect_not_in(out, "<a href=\"site/a/b.pdf\" lang",
			    "(no lang)");
		free(out);
	}
}

static void
index_html_groups_sections_in_order(void **state)
{
	struct index_entry	 e[7];
	char			*out;
	const char		*order[] = {
		"<h3>Hotlines</h3>", "hotline-1", "hotline-2",
		"<h3>Red Cards</h3>", "red-1", "red-2",
		"<h3>Other resources</h3>", "other-1", "other-2",
		"<h2>county</h2>", "<h3>Toolkits</h3>", "tool-1",
	};
	long			 last = -1, p;
	size_t			 i;

	e[0] = entry("site/h/hotline-1.pdf", "", "Hotlines", "document");
	e[1] = entry("site/h/other-1.pdf", "", "", "document");
	e[2] = entry("site/h/red-1.pdf", "", "Red Cards", "document");
	e[3] = entry("site/h/hotline-2.pdf", "", "Hotlines", "document");
	e[4] = entry("site/h/red-2.pdf", "", "Red Cards", "document");
	e[5] = entry("site/h/other-2.html", "", "", "page");
	e[6] = entry("site/t/tool-1.pdf", "", "Toolkits", "document");
	e[6].source = "county";
	e[6].source_url = "https://county.example/help";
	out = render(index_html, e, nitems(e));
	for (i = 0; i < nitems(order); i++) {
		p = pos(out, order[i]);
		if (p <= last) {
			print_error("input:    7 entries, sections Hotlines, "
			    "'', Red Cards, Hotlines, Red Cards, '', Toolkits\n"
			    "expected: '%s' after '%s'\nactual:   at %ld, "
			    "before %ld\n", order[i], i > 0 ? order[i - 1] :
			    "(start)", p, last);
			fail();
		}
		last = p;
	}
	expect_in(out, "<h2>la-city</h2>\n<p class=\"origin\"><a href=\""
	    SRC_URL "\">original page</a></p>", "source heading", "<h2>");
	expect_in(out, "<p>This copy holds 7 resources from 2 sources.",
	    "7 entries", "This copy");
	/* One heading and one list per section, whatever the order. */
	assert_int_equal(pos(strstr(out, "<h3>Hotlines") + 1, "<h3>Hotlines"),
	    -1);
	assert_int_equal(pos(strstr(out, "<h3>Other") + 1, "<h3>Other"), -1);
	free(out);
}

static void
index_html_lists_no_requisites(void **state)
{
	struct index_entry	 e[4];
	char			*out;

	e[0] = entry("site/h/index.html", "Home", "", "page");
	e[1] = entry("site/h/style.css", "", "", "requisite");
	e[1].content_type = "text/css";
	e[2] = entry("site/h/logo.png", "Logo", "Red Cards", "requisite");
	e[2].content_type = "image/png";
	e[3] = entry("site/h/es.pdf", "Tarjeta", "Red Cards", "document");
	out = render(index_html, e, nitems(e));
	expect_not_in(out, "style.css", "a requisite");
	expect_not_in(out, "logo.png", "a requisite");
	expect_in(out, "href=\"site/h/index.html\"", "a page", "index.html");
	expect_in(out, "href=\"site/h/es.pdf\"", "a document", "es.pdf");
	expect_in(out, "holds 2 resources from 1 source.", "4 entries",
	    "holds");
	free(out);

	/* A source with requisites only still says where it comes from. */
	out = render(index_html, &e[1], 1);
	expect_in(out, "<h2>la-city</h2>", "requisite only", "<h2>");
	expect_in(out, "No pages or documents from this source are stored "
	    "yet.", "requisite only", "<p>");
	expect_not_in(out, "<ul>", "requisite only");
	expect_in(out, "holds 0 resources from 1 source.", "requisite only",
	    "holds");
	free(out);
}

static void
index_html_puts_unsectioned_under_other(void **state)
{
	struct index_entry	 e[3];
	char			*out;

	e[0] = entry("site/h/a.pdf", "A", "", "document");
	e[1] = entry("site/h/b.pdf", "B", " \t", "document");
	e[2] = entry("site/h/c.pdf", "C", "", "document");
	out = render(index_html, e, nitems(e));
	expect_in(out, "<h3>Other resources</h3>\n<ul>\n<li><a "
	    "href=\"site/h/a.pdf\">A</a>", "sections '', ' \\t', ''",
	    "Other");
	assert_int_equal(pos(out, "<h3>"), pos(out, "<h3>Other resources"));
	assert_true(pos(out, ">A</a>") < pos(out, ">B</a>"));
	assert_true(pos(out, ">B</a>") < pos(out, ">C</a>"));
	assert_int_equal(pos(strstr(out, "<ul>") + 1, "<ul>"), -1);
	free(out);
}

static const struct {
	int64_t		 size;
	const char	*expected;
} size_rows[] = {
	{ 0, "0 B" },
	{ 1, "1 B" },
	{ 999, "999 B" },
	{ 1000, "1 KB" },
	{ 1499, "1 KB" },
	{ 1500, "2 KB" },
	{ 12345, "12 KB" },
	{ 999499, "999 KB" },
	{ 999500, "1.0 MB" },
	{ 1500000, "1.5 MB" },
	{ 3449999, "3.4 MB" },
	{ 3450000, "3.5 MB" },
	{ 999949999, "999.9 MB" },
	{ 999950000, "1.0 GB" },
	{ 2000000000, "2.0 GB" },
	{ INT64_C(12345678901), "12.3 GB" },
};

static void
index_html_formats_sizes(void **state)
{
	struct index_entry	 e;
	char			*out, in[32], want[64];
	size_t			 i;

	for (i = 0; i < nitems(size_rows); i++) {
		e = entry("site/a/b.pdf", "T", "", "document");
		e.size = size_rows[i].size;
		snprintf(in, sizeof in, "%lld", (long long)size_rows[i].size);
		snprintf(want, sizeof want, "PDF \xc2\xb7 %s \xc2\xb7 "
		    "retrieved 2026-11-26</span>", size_rows[i].expected);
		out = render(index_html, &e, 1);
		expect_in(out, want, in, "class=\"meta\"");
		free(out);
	}
}

static const struct {
	const char	*path;
	const char	*expected;
} href_rows[] = {
	{ "site/www.lapl.org/redcards/\xeb\xa0\x88\xeb\x93\x9c "
	    "\xec\xb9\xb4\xeb\x93\x9c.pdf",
	    "href=\"site/www.lapl.org/redcards/"
	    "%EB%A0%88%EB%93%9C%20%EC%B9%B4%EB%93%9C.pdf\"" },
	{ "site/h/100% sure & ready.pdf",
	    "href=\"site/h/100%25%20sure%20%26%20ready.pdf\"" },
	{ "site/h/a-b_c.d~e/F9.PDF", "href=\"site/h/a-b_c.d~e/F9.PDF\"" },
	{ "site/h/q?x=1#y\"z'", "href=\"site/h/q%3Fx%3D1%23y%22z%27\"" },
	{ "site/h/caf\xc3\xa9+(1).pdf",
	    "href=\"site/h/caf%C3%A9%2B%281%29.pdf\"" },
	{ "/etc/passwd", "href=\"%2Fetc/passwd\"" },
	{ "//host/share", "href=\"%2F/host/share\"" },
	{ "javascript:alert(1)", "href=\"javascript%3Aalert%281%29\"" },
};

static void
index_html_encodes_hrefs(void **state)
{
	struct index_entry	 e;
	char			*out;
	size_t			 i;

	for (i = 0; i < nitems(href_rows); i++) {
		e = entry(href_rows[i].path, "T", "", "document");
		out = render(index_html, &e, 1);
		expect_in(out, href_rows[i].expected, href_rows[i].path,
		    "<li>");
		free(out);
	}
}

static const struct {
	const char	*path;
	const char	*title;
	const char	*expected;
} title_rows[] = {
	{ "site/h/red-card.pdf", "Red card", ">Red card</a>" },
	{ "site/h/red-card.pdf", "", ">red-card.pdf</a>" },
	{ "site/h/red-card.pdf", "  ", ">red-card.pdf</a>" },
	{ "site/h/\xeb\xa0\x88\xeb\x93\x9c.pdf", "",
	    ">\xeb\xa0\x88\xeb\x93\x9c.pdf</a>" },
	{ "site/h/<b>.pdf", "", ">&lt;b&gt;.pdf</a>" },
	{ "top.pdf", "", ">top.pdf</a>" },
};

static void
index_html_falls_back_to_file_name(void **state)
{
	struct index_entry	 e;
	char			*out;
	size_t			 i;

	for (i = 0; i < nitems(title_rows); i++) {
		e = entry(title_rows[i].path, title_rows[i].title, "",
		    "document");
		out = render(index_html, &e, 1);
		expect_in(out, title_rows[i].expected, title_rows[i].path,
		    "<li>");
		free(out);
	}
}

static const struct {
	const char	*type;
	const char	*path;
	const char	*kind;
	const char	*expected;
} label_rows[] = {
	{ "application/pdf", "site/h/a", "document", ">PDF \xc2\xb7" },
	{ "Application/PDF; name=x", "site/h/a", "document", ">PDF \xc2\xb7" },
	{ "application/octet-stream", "site/h/a.PDF", "document",
	    ">PDF \xc2\xb7" },
	{ "", "site/h/a.pdf", "document", ">PDF \xc2\xb7" },
	{ "text/html; charset=utf-8", "site/h/a.html", "page",
	    ">page \xc2\xb7" },
	{ "application/vnd.ms-powerpoint", "site/h/a", "document",
	    ">PowerPoint \xc2\xb7" },
	{ "application/vnd.openxmlformats-officedocument.presentationml."
	    "presentation", "site/h/a", "document", ">PowerPoint \xc2\xb7" },
	{ "application/msword", "site/h/a", "document", ">Word \xc2\xb7" },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml."
	    "document", "site/h/a", "document", ">Word \xc2\xb7" },
	{ "", "site/h/a.docx", "document", ">Word \xc2\xb7" },
	{ "application/vnd.ms-excel", "site/h/a", "document",
	    ">Excel \xc2\xb7" },
	{ "image/jpeg", "site/h/a", "document", ">image \xc2\xb7" },
	{ "application/x-unknown", "site/h/a.bin", "document",
	    ">document \xc2\xb7" },
	{ "", "site/h/.pdf", "page", ">page \xc2\xb7" },
};

static void
index_html_names_formats(void **state)
{
	struct index_entry	 e;
	char			*out, in[256];
	size_t			 i;

	for (i = 0; i < nitems(label_rows); i++) {
		e = entry(label_rows[i].path, "T", "", label_rows[i].kind);
		e.content_type = label_rows[i].type;
		snprintf(in, sizeof in, "%s %s %s", label_rows[i].type,
		    label_rows[i].path, label_rows[i].kind);
		out = render(index_html, &e, 1);
		expect_in(out, label_rows[i].expected, in, "class=\"meta\"");
		free(out);
	}
}

static void
index_html_is_self_contained(void **state)
{
	struct index_entry	 e[2];
	char			*out;
	static const char	*const wanted[] = {
		"<!DOCTYPE html>\n<html lang=\"en\">\n",
		"<meta charset=\"utf-8\">",
		"<meta name=\"viewport\" content=\"width=device-width, "
		    "initial-scale=1\">",
		"<title>Offline resources</title>",
		"<h1>Offline resources</h1>",
		"work without internet.</p>",
		"<p>Made by ferry. Check this copy: see README.txt.</p>",
		"</html>\n",
	};
	static const char	*const unwanted[] = {
		"<script", "<link", "@import", "@font-face", "url(",
		"src=", "//fonts.", "http://",
	};
	size_t			 i;

	golden_entries(e);
	out = render(index_html, e, 2);
	for (i = 0; i < nitems(wanted); i++)
		expect_in(out, wanted[i], "golden entries", "<");
	for (i = 0; i < nitems(unwanted); i++)
		expect_not_in(out, unwanted[i], "golden entries");
	/* Only the source pages link away; the originals are text. */
	expect_in(out, "<span class=\"url\">https://www.lapl.org/redcards/"
	    "ko.pdf</span>", "golden entries", "class=\"url\"");
	expect_not_in(out, "href=\"https://www.lapl.org", "golden entries");
	free(out);
}

/* Columns of a line, counting UTF-8 characters (the texts are not CJK). */
static size_t
columns(const char *s, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

static void
index_readme_wraps_and_lists_sources(void **state)
{
	struct index_entry	 e[5];
	char			*out, *line;
	const char		*p, *end;
	static const char	*const wanted[] = {
		"Offline resources\r\n=================\r\n",
		"To use it, open index.html in any web browser; no internet "
		    "needed.\r\n",
		"  * la-city: 2 resources\r\n    " SRC_URL "\r\n",
		"  * county: 1 resource\r\n    https://county.example/\r\n",
		"  * the-very-long-named-regional-consortium-of-legal-aid-"
		    "providers:\r\n    0 resources\r\n",
		"\r\n    ferry verify\r\n",
		"\r\n    git log\r\n",
		"Recursos sin conexi\xc3\xb3n\r\n=====================\r\n",
		"  * la-city: 2 recursos\r\n",
		"  * county: 1 recurso\r\n",
		"Para usarla, abra index.html en cualquier navegador web;",
		"C\xc3\xb3mo comprobar esta copia\r\n",
	};
	size_t			 i;

	e[0] = entry("site/h/a.pdf", "A", "", "document");
	e[1] = entry("site/h/a.css", "", "", "requisite");
	e[2] = entry("site/h/b.html", "B", "", "page");
	e[3] = entry("site/c/c.pdf", "C", "", "document");
	e[3].source = "county";
	e[3].source_url = "https://county.example/";
	e[4] = entry("site/d/d.css", "", "", "requisite");
	e[4].source = "the-very-long-named-regional-consortium-of-legal-aid-"
	    "providers";
	out = render(index_readme, e, nitems(e));
	for (i = 0; i < nitems(wanted); i++)
		expect_in(out, wanted[i], "3 sources", "*");
	for (p = out; *p != '\0'; p = end + 2) {
		end = strstr(p, "\r\n");
		assert_non_null(end);
		if (columns(p, (size_t)(end - p)) > 72 ||
		    memchr(p, '\n', (size_t)(end - p)) != NULL) {
			line = strndup(p, (size_t)(end - p));
			print_error("input:    3 sources\nexpected: lines of "
			    "at most 72 columns ending in CRLF\nactual:   "
			    "'%s'\n", line);
			free(line);
			fail();
		}
	}
	free(out);

	out = render(index_readme, e, 0);
	expect_in(out, "Sources\r\n-------\r\n  (none yet)\r\n", "no entries",
	    "Sources");
	free(out);
}

static void
index_readme_keeps_urls_whole(void **state)
{
	struct index_entry	 e;
	char			*out;

	e = entry("site/h/a.pdf", "A", "", "document");
	e.source = "tab\there";
	e.source_url = "https://www.example.org/a/very/long/path/that/goes/"
	    "past/the/seventy-two/columns/of/a/line.html";
	out = render(index_readme, &e, 1);
	expect_in(out, "  * tab here: 1 resource\r\n    https://www.example"
	    ".org/a/very/long/path/that/goes/past/the/seventy-two/columns/"
	    "of/a/line.html\r\n", "a long URL", "https://www.example");
	free(out);
}

static void
index_renders_deterministically(void **state)
{
	static const render_fn	 fns[] = { index_json, index_html,
	    index_readme };
	static const char	*const names[] = { "index_json", "index_html",
	    "index_readme" };
	struct index_entry	 e[4];
	struct buf		 b = BUF_INIT;
	char			*first, *second;
	size_t			 i;

	golden_entries(e);
	e[2] = entry("site/h/a.pdf", "A", "Hotlines", "document");
	e[3] = entry("site/h/a.css", "", "", "requisite");
	for (i = 0; i < nitems(fns); i++) {
		first = render(fns[i], e, nitems(e));
		second = render(fns[i], e, nitems(e));
		if (strcmp(first, second) != 0) {
			print_error("input:    %s, 4 entries\nexpected: "
			    "'%s'\nactual:   '%s'\n", names[i], first, second);
			fail();
		}
		/* Appends to what the buffer holds, byte for byte. */
		buf_reset(&b);
		assert_int_equal(buf_addstr(&b, "prefix"), 0);
		assert_int_equal(fns[i](e, nitems(e), &b), 0);
		assert_string_equal(b.ptr + 6, first);
		free(first);
		free(second);
	}
	buf_free(&b);
}

static void
index_leaves_buffer_alone_at_cap(void **state)
{
	static const render_fn	 fns[] = { index_json, index_html,
	    index_readme };
	struct index_entry	 e[2];
	struct buf		 b;
	size_t			 i;

	golden_entries(e);
	for (i = 0; i < nitems(fns); i++) {
		buf_init(&b, 100);
		assert_int_equal(buf_addstr(&b, "kept"), 0);
		assert_int_equal(fns[i](e, 2, &b), FERRY_ETOOBIG);
		assert_int_equal(b.len, 4);
		assert_string_equal(b.ptr, "kept");
		buf_free(&b);
	}
}

static void
index_rejects_missing_fields(void **state)
{
	static const render_fn	 fns[] = { index_json, index_html,
	    index_readme };
	struct index_entry	 e;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	e = entry("site/h/a.pdf", "A", "", "document");
	e.lang = NULL;
	for (i = 0; i < nitems(fns); i++) {
		assert_int_equal(fns[i](&e, 1, &b), FERRY_ERROR);
		assert_string_equal(err_msg(),
		    "cannot render index entry 0: missing field");
		assert_int_equal(b.len, 0);
	}
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(index_json_matches_golden),
		cmocka_unit_test(index_json_escapes_strings),
		cmocka_unit_test(index_json_is_valid_json),
		cmocka_unit_test(index_json_shows_fetched_in_utc),
		cmocka_unit_test(index_html_escapes_text),
		cmocka_unit_test(index_html_marks_language_and_direction),
		cmocka_unit_test(index_html_groups_sections_in_order),
		cmocka_unit_test(index_html_lists_no_requisites),
		cmocka_unit_test(index_html_puts_unsectioned_under_other),
		cmocka_unit_test(index_html_formats_sizes),
		cmocka_unit_test(index_html_encodes_hrefs),
		cmocka_unit_test(index_html_falls_back_to_file_name),
		cmocka_unit_test(index_html_names_formats),
		cmocka_unit_test(index_html_is_self_contained),
		cmocka_unit_test(index_readme_wraps_and_lists_sources),
		cmocka_unit_test(index_readme_keeps_urls_whole),
		cmocka_unit_test(index_renders_deterministically),
		cmocka_unit_test(index_leaves_buffer_alone_at_cap),
		cmocka_unit_test(index_rejects_missing_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
