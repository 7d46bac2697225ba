/*
 * test_index.c -- index.html, search.js, index.json and README.txt from
 * catalogs.
 *
 * Checks the bytes a user's browser, a JSON parser or a text editor would
 * read: the exact JSON, escaping, grouping, sizes, links, languages,
 * hotlines, the colours' contrast, the size bound of a large page and the
 * time it takes to make.  What the page's script does is tested in a real
 * browser (t4000); writing the files is the caller's.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "buf.h"
#include "err.h"
#include "index.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define SRC_URL		"https://mayor.lacity.gov/resources"
#define NOV26		1795665600	/* 2026-11-26T04:00:00Z */

typedef int (*render_fn)(const struct index_catalog *, struct buf *);

static const render_fn	 all_fns[] = { index_json, index_html, index_search,
    index_readme };
static const char	*const all_names[] = { "index_json", "index_html",
    "index_search", "index_readme" };

/* A catalog of entries only: the page names their sources itself. */
#define CATALOG(e, n)	(&(struct index_catalog){ .entries = (e), \
	.nentries = (n) })

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
		.description = "",
		.note = "",
		.lang = "",
		.kind = kind,
		.text = "",
		.size = 12345,
		.fetched = NOV26,
		.status = 200,
		.order = 0,
	};

	return e;
}

/* Render or fail the test with the error message. */
static char *
render_cat(render_fn fn, const struct index_catalog *cat)
{
	struct buf	b = BUF_INIT;
	int		rc;

	if ((rc = fn(cat, &b)) != 0)
		fail_msg("render failed (%d): %s", rc, err_msg());
	return buf_detach(&b);
}

static char *
render(render_fn fn, const struct index_entry *e, size_t n)
{
	return render_cat(fn, CATALOG(e, n));
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

/* How often needle occurs in s. */
static size_t
occurrences(const char *s, const char *needle)
{
	size_t	n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* The main part of a page, where the entries are; the caller frees it. */
static char *
main_of(const char *page)
{
	const char	*p = strstr(page, "<main"), *end;

	assert_non_null(p);
	end = strstr(p, "</main>");
	assert_non_null(end);
	return strndup(p, (size_t)(end - p));
}

/* --- index.json ------------------------------------------------------ */

static const char golden_json[] =
    "{\n"
    "  \"format\": \"ferry-index\",\n"
    "  \"version\": 2,\n"
    "  \"sources\": [\n"
    "    {\n"
    "      \"name\": \"la-city\",\n"
    "      \"url\": \"" SRC_URL "\",\n"
    "      \"title\": \"City of Los Angeles\"\n"
    "    }\n"
    "  ],\n"
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
    "      \"changed\": null,\n"
    "      \"withdrawn\": null,\n"
    "      \"status\": 200,\n"
    "      \"kind\": \"page\",\n"
    "      \"title\": \"Know \\\"Your\\\" Rights \\\\ Resources\",\n"
    "      \"section\": \"\",\n"
    "      \"description\": \"\",\n"
    "      \"note\": \"\",\n"
    "      \"languages\": [\"en\"],\n"
    "      \"order\": 0\n"
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
    "      \"changed\": \"2026-11-20T00:00:00Z\",\n"
    "      \"withdrawn\": \"2026-11-25T12:00:00Z\",\n"
    "      \"status\": 200,\n"
    "      \"kind\": \"document\",\n"
    "      \"title\": \"\xeb\xa0\x88\xeb\x93\x9c \xec\xb9\xb4\xeb\x93\x9c\",\n"
    "      \"section\": \"Rapid Response Tools: Red Cards and Hotlines\",\n"
    "      \"description\": \"Wallet-sized cards\",\n"
    "      \"note\": \"Print on red paper\",\n"
    "      \"languages\": [\"ko\", \"zh-Hant\"],\n"
    "      \"order\": 1\n"
    "    },\n"
    "    {\n"
    "      \"source\": \"la-city\",\n"
    "      \"source_url\": \"" SRC_URL "\",\n"
    "      \"url\": \"https://www.youtube.com/watch?v=RIgP\",\n"
    "      \"path\": \"\",\n"
    "      \"sha256\": \"\",\n"
    "      \"size\": -1,\n"
    "      \"content_type\": \"\",\n"
    "      \"fetched\": null,\n"
    "      \"changed\": null,\n"
    "      \"withdrawn\": null,\n"
    "      \"status\": 0,\n"
    "      \"kind\": \"link\",\n"
    "      \"title\": \"Know Your Rights (video)\",\n"
    "      \"section\": \"Know Your Rights Presentations\",\n"
    "      \"description\": \"\",\n"
    "      \"note\": \"\",\n"
    "      \"languages\": [],\n"
    "      \"order\": 2\n"
    "    }\n"
    "  ],\n"
    "  \"hotlines\": [\n"
    "    {\n"
    "      \"source\": \"la-city\",\n"
    "      \"number\": \"(213) 555-0142\",\n"
    "      \"tel\": \"tel:+12135550142\",\n"
    "      \"heading\": \"Los Angeles County\",\n"
    "      \"details\": \"Hours Available: 24/7\\nRun By: LARRN\",\n"
    "      \"order\": 3\n"
    "    }\n"
    "  ]\n"
    "}\n";

static const struct index_source golden_source = {
	"la-city", SRC_URL, "City of Los Angeles",
};

static const struct index_hotline golden_hotline = {
	"la-city", "(213) 555-0142", "tel:+12135550142",
	"Los Angeles County", "Hours Available: 24/7\nRun By: LARRN", 3,
};

static void
golden_entries(struct index_entry e[3])
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
	e[1].changed = NOV26 - 6 * 86400 - 4 * 3600;
	e[1].withdrawn = NOV26 - 16 * 3600;
	e[1].lang = "ko zh-Hant";
	e[1].description = "Wallet-sized cards";
	e[1].note = "Print on red paper";
	e[1].text = "\xeb\xa0\x88\xeb\x93\x9c\xec\xb9\xb4\xeb\x93\x9c  "
	    "know\tyour\nrights";
	e[1].order = 1;
	e[2] = entry("", "Know Your Rights (video)",
	    "Know Your Rights Presentations", "link");
	e[2].url = "https://www.youtube.com/watch?v=RIgP";
	e[2].sha256 = "";
	e[2].content_type = "";
	e[2].size = -1;
	e[2].fetched = 0;
	e[2].status = 0;
	e[2].order = 2;
}

static struct index_catalog
golden_catalog(const struct index_entry *e)
{
	return (struct index_catalog){ &golden_source, 1, e, 3,
	    &golden_hotline, 1 };
}

static void
index_json_matches_golden(void **state)
{
	struct index_entry	 e[3];
	struct index_catalog	 cat;
	char			*out;

	golden_entries(e);
	cat = golden_catalog(e);
	out = render_cat(index_json, &cat);
	assert_string_equal(out, golden_json);
	free(out);

	out = render(index_json, e, 0);
	assert_string_equal(out, "{\n  \"format\": \"ferry-index\",\n"
	    "  \"version\": 2,\n  \"sources\": [],\n  \"resources\": [],\n"
	    "  \"hotlines\": []\n}\n");
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
	struct index_entry	 e[3 + nitems(json_escape_rows)];
	struct index_hotline	 h[nitems(json_escape_rows)];
	struct index_catalog	 cat;
	char			*out;
	const char		*t;
	size_t			 i, n;

	if (system("python3 -c '' >/dev/null 2>&1") != 0)
		skip();
	golden_entries(e);
	for (n = 3, i = 0; i < nitems(json_escape_rows); i++, n++) {
		t = json_escape_rows[i].title;
		e[n] = entry("site/a/b.pdf", t, t, "document");
		e[n].source = t;
		e[n].content_type = t;
		e[n].lang = t;
		e[n].description = t;
		h[i] = (struct index_hotline){ t, t, t, t, t, (int)i };
	}
	for (i = 0; i <= n; i++) {
		cat = (struct index_catalog){ &golden_source, 1, e, i, h,
		    i < nitems(h) ? i : nitems(h) };
		out = render_cat(index_json, &cat);
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
	int64_t		 when;
	const char	*expected;
} time_rows[] = {
	{ 0, "null," },
	{ 951782400, "\"2000-02-29T00:00:00Z\"," },
	{ NOV26, "\"2026-11-26T04:00:00Z\"," },
	{ NOV26 + 86399 - 4 * 3600, "\"2026-11-26T23:59:59Z\"," },
	{ 4102444800, "\"2100-01-01T00:00:00Z\"," },
};

static void
index_json_shows_times_in_utc(void **state)
{
	static const char	*const keys[] = { "fetched", "changed",
	    "withdrawn" };
	struct index_entry	 e;
	char			*out, in[64], want[64];
	size_t			 i, k;

	for (k = 0; k < nitems(keys); k++) {
		for (i = 0; i < nitems(time_rows); i++) {
			e = entry("site/a/b.pdf", "", "", "document");
			e.fetched = e.changed = e.withdrawn = 0;
			if (k == 0)
				e.fetched = time_rows[i].when;
			else if (k == 1)
				e.changed = time_rows[i].when;
			else
				e.withdrawn = time_rows[i].when;
			snprintf(in, sizeof in, "%s %lld", keys[k],
			    (long long)time_rows[i].when);
			snprintf(want, sizeof want, "\"%s\": %s", keys[k],
			    time_rows[i].expected);
			out = render(index_json, &e, 1);
			expect_in(out, want, in, keys[k]);
			free(out);
		}
	}
}

/* --- index.html ------------------------------------------------------ */

/* fmt with every "%s" replaced by x. */
static char *
subst(const char *fmt, const char *x)
{
	struct buf	 b = BUF_INIT;
	const char	*p;

	while ((p = strstr(fmt, "%s")) != NULL) {
		buf_add(&b, fmt, (size_t)(p - fmt));
		buf_addstr(&b, x);
		fmt = p + 2;
	}
	buf_addstr(&b, fmt);
	return buf_detach(&b);
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
	static const char	*const formats[] = {
		"<h2>%s</h2>", "<h3>%s</h3>", ">%s</a><p>d",
		"<p>d<p class=note><b>Note:</b> %s<p class=m>",
		"<p class=u>%s\n", "<li><a href=\"#p1-s1\">%s</a></li>",
		"<p class=\"area\">%s</p>", "<a class=\"tel\" href=\"tel:%s\">"
		    "%s</a><p class=\"det\">%s<br>%s</p>",
		/* Not a web address: shown, never linked. */
		"Copied from</span> %s</p>",
	};
	struct index_entry	 e;
	struct index_hotline	 h;
	char			*out, *want, *tel;
	const char		*t, *x;
	size_t			 i, f;

	for (i = 0; i < nitems(html_escape_rows); i++) {
		t = html_escape_rows[i].text;
		x = html_escape_rows[i].expected;
		e = entry("site/a/b.pdf", t, t, "document");
		e.source = e.url = e.source_url = t;
		e.lang = "a\"b<c'd>e&f";
		e.description = "d";
		e.note = t;
		if (asprintf(&tel, "tel:%s", t) == -1)
			fail();
		h = (struct index_hotline){ "la-city", t, tel, t, "", 0 };
		h.source = t;
		if (asprintf((char **)&h.details, "%s\n%s", t, t) == -1)
			fail();
		out = render_cat(index_html, &(struct index_catalog){
		    .entries = &e, .nentries = 1, .hotlines = &h,
		    .nhotlines = 1 });
		for (f = 0; f < nitems(formats); f++) {
			want = subst(formats[f], x);
			expect_in(out, want, t, "<");
			free(want);
		}
		expect_in(out, " lang=\"a&quot;b&lt;c&#39;d&gt;e&amp;f\">", t,
		    "<li>");
		expect_not_in(out, "<script>alert", t);
		expect_not_in(out, "<b>c", t);
		free((char *)h.details);
		free(tel);
		free(out);
	}
}

static const struct {
	const char	*lang;
	const char	*expected;
} rtl_rows[] = {
	{ "ar", " lang=ar dir=rtl>" },
	{ "fa-IR", " lang=fa-IR dir=rtl>" },
	{ "fa-AF", " lang=fa-AF dir=rtl>" },
	{ "he", " lang=he dir=rtl>" },
	{ "ur", " lang=ur dir=rtl>" },
	{ "ps", " lang=ps dir=rtl>" },
	{ "sd", " lang=sd dir=rtl>" },
	{ "yi", " lang=yi dir=rtl>" },
	{ "dv", " lang=dv dir=rtl>" },
	{ "ug", " lang=ug dir=rtl>" },
	{ "ckb", " lang=ckb dir=rtl>" },
	{ "AR_eg", " lang=AR_eg dir=rtl>" },
	{ "pa-Arab", " lang=pa-Arab dir=rtl>" },
	{ "pa-Arab-PK", " lang=pa-Arab-PK dir=rtl>" },
	{ "sd-Deva", " lang=sd-Deva>" },
	{ "ko", " lang=ko>" },
	{ "en-US", " lang=en-US>" },
	{ "zh-Hant", " lang=zh-Hant>" },
	{ "arn", " lang=arn>" },
	{ "hy", " lang=hy>" },
	{ "ur en", " lang=ur dir=rtl>" },
	{ "", ".pdf>T</a>" },
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
		expect_in(out, rtl_rows[i].expected, rtl_rows[i].lang,
		    "<li>");
		if (strstr(rtl_rows[i].expected, "rtl") == NULL)
			expect_not_in(out, "dir=", rtl_rows[i].lang);
		if (*rtl_rows[i].lang == '\0') {
			char *m = main_of(out);

			expect_not_in(m, "lang=", "(no lang)");
			free(m);
		}
		free(out);
	}
}

/* Language tags, how an entry shows them, the filter's option. */
static const struct {
	const char	*lang;
	const char	*shown;
	const char	*option;
} lang_rows[] = {
	{ "es", " \xc2\xb7 <span lang=es>Espa\xc3\xb1ol</span>",
	    "<option value=\"es\">Spanish \xe2\x80\x94 Espa\xc3\xb1ol "
	    "(1)</option>" },
	{ "es-MX", " \xc2\xb7 <span lang=es-MX>Espa\xc3\xb1ol</span>",
	    "<option value=\"es-mx\">Spanish \xe2\x80\x94 Espa\xc3\xb1ol "
	    "(1)</option>" },
	{ "ko", "<span lang=ko>\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4</span>",
	    "<option value=\"ko\">Korean \xe2\x80\x94 "
	    "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 (1)</option>" },
	{ "zh-Hant", "<span lang=zh-Hant>\xe7\xb9\x81\xe9\xab\x94\xe4\xb8\xad"
	    "\xe6\x96\x87</span>", "<option value=\"zh-hant\">Chinese "
	    "(Traditional) \xe2\x80\x94 \xe7\xb9\x81\xe9\xab\x94\xe4\xb8\xad"
	    "\xe6\x96\x87 (1)</option>" },
	{ "zh-Hans zh-Hant", "<span lang=zh-Hans>\xe7\xae\x80\xe4\xbd\x93"
	    "\xe4\xb8\xad\xe6\x96\x87</span>, <span lang=zh-Hant>",
	    "<option value=\"zh-hans\">Chinese (Simplified)" },
	{ "km", "<span lang=km>\xe1\x9e\x97\xe1\x9e\xb6\xe1\x9e\x9f",
	    "<option value=\"km\">Khmer \xe2\x80\x94 " },
	{ "tl", "<span lang=tl>Tagalog</span>",
	    "<option value=\"tl\">Tagalog (1)</option>" },
	{ "en", " \xc2\xb7 English \xc2\xb7 retrieved",
	    "<option value=\"en\">English (1)</option>" },
	{ "x-klingon", " \xc2\xb7 x-klingon \xc2\xb7 retrieved",
	    "<option value=\"x-klingon\">x-klingon (1)</option>" },
};

static void
index_html_names_languages(void **state)
{
	struct index_entry	 e;
	char			*out;
	size_t			 i;

	for (i = 0; i < nitems(lang_rows); i++) {
		e = entry("site/a/b.pdf", "T", "", "document");
		e.lang = lang_rows[i].lang;
		out = render(index_html, &e, 1);
		expect_in(out, lang_rows[i].shown, lang_rows[i].lang,
		    "class=m");
		expect_in(out, lang_rows[i].option, lang_rows[i].lang,
		    "<option value=\"");
		free(out);
	}
}

static void
index_html_counts_and_sorts_languages(void **state)
{
	struct index_entry	 e[5];
	char			*out;
	long			 a, b, c, d;

	e[0] = entry("site/a/1.pdf", "1", "", "document");
	e[0].lang = "ko";
	e[1] = entry("site/a/2.pdf", "2", "", "document");
	e[1].lang = "es";
	e[2] = entry("site/a/3.pdf", "3", "", "document");
	e[2].lang = "ES";
	e[3] = entry("site/a/4.pdf", "4", "", "document");
	e[3].lang = "ar ko";
	e[4] = entry("site/a/4.css", "", "", "requisite");
	e[4].lang = "fr";
	out = render(index_html, e, nitems(e));
	expect_in(out, "Korean \xe2\x80\x94 \xed\x95\x9c\xea\xb5\xad\xec\x96"
	    "\xb4 (2)", "ko, ar ko", "<option");
	expect_in(out, "Spanish \xe2\x80\x94 Espa\xc3\xb1ol (2)", "es, ES",
	    "<option");
	expect_in(out, "<li data-l=\"ar ko\"><a href=site/a/4.pdf lang=ar "
	    "dir=rtl>", "ar ko", "data-l");
	expect_not_in(out, "French", "a requisite's language");
	/* All languages first, then by English name. */
	a = pos(out, "All languages");
	b = pos(out, ">Arabic");
	c = pos(out, ">Korean");
	d = pos(out, ">Spanish");
	assert_true(a >= 0 && a < b && b < c && c < d);
	free(out);
}

static void
index_html_groups_sections_in_order(void **state)
{
	struct index_entry	 e[7];
	char			*out, *m;
	const char		*order[] = {
		"<h3>Hotlines</h3>", "hotline-1", "hotline-2",
		"<h3>Red Cards</h3>", "red-1", "red-2",
		"<h3 data-es=\"Otros recursos\">Other resources</h3>",
		"other-1", "other-2", "<h2>county</h2>", "<h3>Toolkits</h3>",
		"tool-1",
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
	m = main_of(out);
	for (i = 0; i < nitems(order); i++) {
		p = pos(m, order[i]);
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
	expect_in(out, "<h2>la-city</h2>\n<p class=\"o\"><span data-es=\""
	    "Copiado de\">Copied from</span> <a href=\"" SRC_URL "\">" SRC_URL
	    "</a></p>", "source heading", "<h2>");
	expect_in(out, "This copy holds 7 resources from 2 sources.",
	    "7 entries", "This copy");
	expect_in(out, "Esta copia contiene 7 recursos de 2 fuentes.",
	    "7 entries", "Esta copia");
	/* One heading and one list per section, whatever the order. */
	free(m);
	assert_int_equal(occurrences(out, "<h3>Hotlines</h3>"), 1);
	assert_int_equal(occurrences(out, ">Other resources</h3>"), 1);
	/* The contents lead to each part and section. */
	expect_in(out, "<li><a href=\"#p1\">la-city</a>\n<ul>\n"
	    "<li><a href=\"#p1-s1\">Hotlines</a></li>\n"
	    "<li><a href=\"#p1-s2\">Red Cards</a></li>\n"
	    "<li><a href=\"#p1-o\">", "contents", "#p1");
	expect_in(out, "<section class=\"sec\" id=\"p1-s2\">\n<h3>Red Cards",
	    "section anchor", "p1-s2");
	expect_in(out, "<section class=\"src\" id=\"p2\">\n<h2>county</h2>",
	    "part anchor", "id=\"p2\"");
	free(out);
}

static void
index_html_shows_configured_sources(void **state)
{
	struct index_source	 src[2] = {
		{ "la-city", SRC_URL, "" },
		{ "county", "https://county.example/help", "County help" },
	};
	struct index_entry	 e[2];
	char			*out;

	e[0] = entry("site/h/index.html", "Immigration Resources", "",
	    "page");
	e[0].url = SRC_URL;
	e[1] = entry("site/o/x.pdf", "X", "", "document");
	e[1].source = "orphan";
	e[1].source_url = "https://orphan.example/";
	out = render_cat(index_html, &(struct index_catalog){ src, 2, e, 2,
	    NULL, 0 });
	/* A source without a title is called by its page's title. */
	expect_in(out, "<h2>Immigration Resources</h2>", "no title",
	    "<h2>");
	expect_in(out, "<h2>County help</h2>", "a title", "<h2>");
	expect_in(out, "<p class=\"empty\" data-es=\"Todav\xc3\xad" "a no "
	    "hay p\xc3\xa1ginas ni documentos de esta fuente.\">No pages or "
	    "documents from this source are stored yet.</p>", "no entries",
	    "empty");
	/* An entry's source that is not configured comes last. */
	assert_true(pos(out, "<h2>County help") < pos(out, "<h2>orphan"));
	expect_in(out, "holds 2 resources from 3 sources.", "3 parts",
	    "holds");
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
	expect_in(out, "href=site/h/index.html", "a page", "index.html");
	expect_in(out, "href=site/h/es.pdf", "a document", "es.pdf");
	expect_in(out, "holds 2 resources from 1 source.", "4 entries",
	    "holds");
	free(out);

	/* A source with requisites only still says where it comes from. */
	out = render(index_html, &e[1], 1);
	expect_in(out, "<h2>la-city</h2>", "requisite only", "<h2>");
	expect_in(out, "No pages or documents from this source are stored "
	    "yet.", "requisite only", "<p");
	expect_not_in(out, "<ul class=\"list\">", "requisite only");
	expect_in(out, "holds 0 resources from 1 source.", "requisite only",
	    "holds");
	free(out);
}

static void
index_html_puts_unsectioned_under_other(void **state)
{
	struct index_entry	 e[3];
	char			*out, *m;

	e[0] = entry("site/h/a.pdf", "A", "", "document");
	e[1] = entry("site/h/b.pdf", "B", " \t", "document");
	e[2] = entry("site/h/c.pdf", "C", "", "document");
	out = render(index_html, e, nitems(e));
	expect_in(out, ">Other resources</h3>\n<ul class=\"list\">\n"
	    "<li><a href=site/h/a.pdf>A</a>", "sections '', ' \\t', ''",
	    "Other");
	m = main_of(out);
	assert_int_equal(occurrences(m, "<h3"), 1);
	free(m);
	assert_true(pos(out, ">A</a>") < pos(out, ">B</a>"));
	assert_true(pos(out, ">B</a>") < pos(out, ">C</a>"));
	assert_int_equal(occurrences(out, "<ul class=\"list\">"), 1);
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
		snprintf(want, sizeof want, "<p class=m>PDF \xc2\xb7 %s "
		    "\xc2\xb7 retrieved 2026-11-26<p class=u>",
		    size_rows[i].expected);
		out = render(index_html, &e, 1);
		expect_in(out, want, in, "class=m");
		free(out);
	}
}

static const struct {
	const char	*path;
	const char	*expected;
} href_rows[] = {
	{ "site/www.lapl.org/redcards/\xeb\xa0\x88\xeb\x93\x9c "
	    "\xec\xb9\xb4\xeb\x93\x9c.pdf",
	    "href=site/www.lapl.org/redcards/"
	    "%EB%A0%88%EB%93%9C%20%EC%B9%B4%EB%93%9C.pdf>" },
	{ "site/h/100% sure & ready.pdf",
	    "href=site/h/100%25%20sure%20%26%20ready.pdf>" },
	{ "site/h/a-b_c.d~e/F9.PDF", "href=site/h/a-b_c.d~e/F9.PDF>" },
	{ "site/h/q?x=1#y\"z'", "href=site/h/q%3Fx%3D1%23y%22z%27>" },
	{ "site/h/caf\xc3\xa9+(1).pdf",
	    "href=site/h/caf%C3%A9%2B%281%29.pdf>" },
	{ "/etc/passwd", "href=%2Fetc/passwd>" },
	{ "//host/share", "href=%2F/host/share>" },
	{ "javascript:alert(1)", "href=javascript%3Aalert%281%29>" },
	{ "site/h/a b=c>d`e", "href=site/h/a%20b%3Dc%3Ed%60e>" },
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
	const char	*url;
	const char	*expected;
} label_rows[] = {
	{ "application/pdf", "site/h/a", "document", NULL, ">PDF \xc2\xb7" },
	{ "Application/PDF; name=x", "site/h/a", "document", NULL,
	    ">PDF \xc2\xb7" },
	{ "application/octet-stream", "site/h/a.PDF", "document", NULL,
	    ">PDF \xc2\xb7" },
	{ "", "site/h/a.pdf", "document", NULL, ">PDF \xc2\xb7" },
	{ "text/html; charset=utf-8", "site/h/a.html", "page", NULL,
	    ">page \xc2\xb7" },
	{ "application/vnd.ms-powerpoint", "site/h/a", "document", NULL,
	    ">slides \xc2\xb7" },
	{ "application/vnd.openxmlformats-officedocument.presentationml."
	    "presentation", "site/h/a", "document", NULL, ">slides \xc2\xb7" },
	{ "", "site/h/deck.pptx", "document", NULL, ">slides \xc2\xb7" },
	{ "application/msword", "site/h/a", "document", NULL,
	    ">Word \xc2\xb7" },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml."
	    "document", "site/h/a", "document", NULL, ">Word \xc2\xb7" },
	{ "", "site/h/a.docx", "document", NULL, ">Word \xc2\xb7" },
	{ "application/vnd.ms-excel", "site/h/a", "document", NULL,
	    ">Excel \xc2\xb7" },
	{ "image/jpeg", "site/h/a", "document", NULL, ">image \xc2\xb7" },
	{ "application/x-unknown", "site/h/a.bin", "document", NULL,
	    ">document \xc2\xb7" },
	{ "", "site/h/.pdf", "page", NULL, ">page \xc2\xb7" },
	{ "", "", "link", "https://www.youtube.com/watch?v=x",
	    "<span class=net>Needs internet</span> \xc2\xb7 video" },
	{ "", "", "link", "https://youtu.be/x", " \xc2\xb7 video<p" },
	{ "", "", "link", "https://player.vimeo.com/1", " \xc2\xb7 video<p" },
	{ "", "", "link", "https://notyoutube.com/x", " \xc2\xb7 web page<p" },
	{ "", "", "link", "https://oia.lacounty.gov/", " \xc2\xb7 web page<p" },
	{ "application/pdf", "", "link", "https://a.example/b.pdf",
	    " \xc2\xb7 PDF<p" },
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
		if (label_rows[i].url != NULL)
			e.url = label_rows[i].url;
		snprintf(in, sizeof in, "%s %s %s %s", label_rows[i].type,
		    label_rows[i].path, label_rows[i].kind, e.url);
		out = render(index_html, &e, 1);
		expect_in(out, label_rows[i].expected, in, "class=m");
		free(out);
	}
}

static void
index_html_lists_links_online(void **state)
{
	struct index_entry	 e[3];
	char			*out, *m;

	golden_entries(e);
	e[0] = e[2];
	e[1] = e[2];
	e[1].url = "javascript:alert(1)";
	e[1].title = "";
	out = render(index_html, e, 2);
	expect_in(out, "<li><a href=\"https://www.youtube.com/watch?v=RIgP\">"
	    "Know Your Rights (video)</a><p class=m><span class=net>Needs "
	    "internet</span> \xc2\xb7 video<p class=u>"
	    "https://www.youtube.com/watch?v=RIgP\n", "a video link", "RIgP");
	/* Only web addresses are linked. */
	expect_in(out, "<li><span class=t>javascript:alert(1)</span>",
	    "a script link", "javascript");
	expect_not_in(out, "href=\"javascript", "a script link");
	m = main_of(out);
	expect_not_in(m, "retrieved", "links are not retrieved");
	free(m);
	expect_in(out, "except the links marked \xe2\x80\x9cNeeds "
	    "internet\xe2\x80\x9d.", "two links", "except");
	free(out);
}

static void
index_html_marks_changes_and_withdrawals(void **state)
{
	struct index_entry	 e[3];
	char			*out;

	golden_entries(e);
	out = render(index_html, e, 2);
	expect_in(out, "<p>Wallet-sized cards<p class=note><b>Note:</b> "
	    "Print on red paper<p class=m>PDF \xc2\xb7 1.5 MB \xc2\xb7 "
	    "<span lang=ko>\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4</span>, "
	    "<span lang=zh-Hant>\xe7\xb9\x81\xe9\xab\x94\xe4\xb8\xad\xe6\x96"
	    "\x87</span> \xc2\xb7 retrieved 2026-11-26 \xc2\xb7 <span "
	    "class=chg>changed <time datetime=2026-11-20T00:00:00Z>2026-11-20"
	    "</time></span><p class=w>No longer at the source since "
	    "2026-11-25. This copy is kept.<p class=u>"
	    "https://www.lapl.org/redcards/ko.pdf\n", "golden entry 1",
	    "class=m");
	/* Never changed, never withdrawn: no marks. */
	e[1].changed = e[1].withdrawn = 0;
	free(out);
	out = render(index_html, &e[1], 1);
	expect_not_in(out, "class=chg", "changed 0");
	expect_not_in(out, "class=w>", "withdrawn 0");
	free(out);
}

static void
index_html_shows_hotlines(void **state)
{
	struct index_entry	 e[3];
	struct index_hotline	 h[3];
	struct index_catalog	 cat;
	char			*out;

	golden_entries(e);
	h[0] = golden_hotline;
	h[1] = (struct index_hotline){ "la-city", "1-800-555-0199",
	    "tel:+18005550199", "Report Immigration Fraud",
	    "Format: Website or call\r\n\nCall first. Then: wait", 1 };
	h[2] = (struct index_hotline){ "la-city", "", "tel:911", "", "", 9 };
	cat = (struct index_catalog){ &golden_source, 1, e, 3, h, 3 };
	out = render_cat(index_html, &cat);
	expect_in(out, "<section class=\"hot\" id=\"p1-h\">\n"
	    "<h3 data-es=\"L\xc3\xadneas de ayuda\">Hotlines "
	    "<span class=\"tr\" lang=\"es\">L\xc3\xadneas de ayuda</span>"
	    "</h3>\n"
	    "<ul class=\"hl\">\n"
	    "<li><p class=\"area\">Report Immigration Fraud</p>"
	    "<a class=\"tel\" href=\"tel:+18005550199\">1-800-555-0199</a>"
	    "<p class=\"det\"><b>Format:</b> Website or call<br>"
	    "Call first. Then: wait</p></li>\n"
	    "<li><p class=\"area\">Los Angeles County</p><a class=\"tel\" "
	    "href=\"tel:+12135550142\">(213) 555-0142</a><p class=\"det\">"
	    "<b>Hours Available:</b> 24/7<br><b>Run By:</b> LARRN</p></li>\n"
	    "<li><a class=\"tel\" href=\"tel:911\">911</a></li>\n"
	    "</ul>\n</section>\n", "3 hotlines, by order", "class=\"hot\"");
	/* Before the sections, and in the contents. */
	assert_true(pos(out, "class=\"hot\"") < pos(out, "class=\"sec\""));
	expect_in(out, "<li><a href=\"#p1-h\"><span data-es=\"L\xc3\xadneas "
	    "de ayuda\">Hotlines</span></a></li>", "contents", "#p1-h");
	free(out);
}

static void
index_html_is_self_contained(void **state)
{
	struct index_entry	 e[3];
	struct index_catalog	 cat;
	char			*out;
	const char		*p;
	static const char	*const wanted[] = {
		"<!DOCTYPE html>\n<html lang=\"en\">\n",
		"<meta charset=\"utf-8\">",
		"<meta name=\"viewport\" content=\"width=device-width, "
		    "initial-scale=1\">",
		"<title>Offline resources \xc2\xb7 Recursos sin "
		    "conexi\xc3\xb3n</title>",
		"<h1 data-es=\"Recursos sin conexi\xc3\xb3n\">Offline "
		    "resources <span class=\"tr\" lang=\"es\">Recursos sin "
		    "conexi\xc3\xb3n</span></h1>",
		"<form id=\"find\" role=\"search\" hidden>",
		"<label for=\"q\" data-es=\"Buscar\">Search</label>",
		"<label for=\"lang\" data-es=\"Idioma\">Language</label>",
		"<input id=\"q\" type=\"search\"",
		"<p id=\"count\" role=\"status\" aria-live=\"polite\">",
		"<script src=\"search.js\" async></script>\n</body>\n"
		    "</html>\n",
	};
	static const char	*const unwanted[] = {
		"<link", "@import", "@font-face", "url(", "src=\"http",
		"src=\"//", "//fonts.", "<iframe", "<img",
		"fetch(", "XMLHttpRequest", "localStorage",
	};
	size_t			 i;

	golden_entries(e);
	cat = golden_catalog(e);
	out = render_cat(index_html, &cat);
	for (i = 0; i < nitems(wanted); i++)
		expect_in(out, wanted[i], "golden entries", "<");
	for (i = 0; i < nitems(unwanted); i++)
		expect_not_in(out, unwanted[i], "golden entries");
	/* One script file, beside the page. */
	assert_int_equal(occurrences(out, "<script src="), 1);
	/* Every web link is the source's page or a link entry. */
	for (p = out; (p = strstr(p, "href=\"http")) != NULL; p++) {
		if (strncmp(p, "href=\"" SRC_URL "\"", 7 +
		    strlen(SRC_URL)) != 0 && strncmp(p,
		    "href=\"https://www.youtube.com/watch?v=RIgP\"", 43) != 0) {
			char *line = line_of(p, "href");

			print_error("input:    golden catalog\nexpected: web "
			    "links to the source and the link entry only\n"
			    "actual:   %s\n", line);
			free(line);
			fail();
		}
	}
	free(out);
}

/* Whether the headings of html never skip a level going down. */
static void
index_html_orders_headings(void **state)
{
	struct index_entry	 e[3];
	struct index_catalog	 cat;
	char			*out;
	const char		*p;
	int			 level, last = 0, seen[7] = { 0 };

	golden_entries(e);
	cat = golden_catalog(e);
	out = render_cat(index_html, &cat);
	for (p = out; (p = strstr(p, "<h")) != NULL; p += 2) {
		if (p[2] < '1' || p[2] > '6')
			continue;
		level = p[2] - '0';
		if (level > last + 1) {
			char *line = line_of(p, "<h");

			print_error("input:    golden catalog\nexpected: h%d "
			    "at most\nactual:   %s\n", last + 1, line);
			free(line);
			fail();
		}
		seen[level]++;
		last = level;
	}
	assert_int_equal(seen[1], 1);
	assert_true(seen[2] >= 1 && seen[3] >= 1);
	free(out);
}

/* sRGB relative luminance of "#rrggbb" or "#rgb". */
static double
luminance(const char *hex)
{
	unsigned int	 rgb[3];
	double		 c[3];
	size_t		 i;

	if (strspn(hex + 1, "0123456789abcdefABCDEF") >= 6)
		sscanf(hex + 1, "%2x%2x%2x", &rgb[0], &rgb[1], &rgb[2]);
	else {
		sscanf(hex + 1, "%1x%1x%1x", &rgb[0], &rgb[1], &rgb[2]);
		for (i = 0; i < 3; i++)
			rgb[i] *= 17;
	}
	for (i = 0; i < 3; i++) {
		c[i] = rgb[i] / 255.0;
		c[i] = c[i] <= 0.03928 ? c[i] / 12.92 :
		    pow((c[i] + 0.055) / 1.055, 2.4);
	}
	return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/* The value of a custom property in the block at css, "#...". */
static const char *
colour(const char *css, const char *name, char *out, size_t len)
{
	char		 key[32];
	const char	*p, *end;

	snprintf(key, sizeof key, "--%s:", name);
	end = strchr(css, '}');
	p = strstr(css, key);
	if (p == NULL || (end != NULL && p > end))
		fail_msg("no %s in the style", key);
	p += strlen(key);
	snprintf(out, len, "%.*s", (int)strcspn(p, ";}"), p);
	return out;
}

/* Text on background, both colours of the page, light and dark. */
static const struct {
	const char	*fg;
	const char	*bg;
} contrast_rows[] = {
	{ "fg", "bg" }, { "mute", "bg" }, { "link", "bg" }, { "net", "bg" },
	{ "warn", "warnbg" }, { "ok", "okbg" }, { "fg", "card" },
	{ "mute", "card" }, { "link", "card" }, { "focus", "bg" },
	{ "warn", "bg" },
};

static void
index_html_colours_have_contrast(void **state)
{
	struct index_entry	 e[3];
	char			*out, f[16], b[16];
	const char		*blocks[2];
	double			 lf, lb, ratio;
	size_t			 i, k;

	golden_entries(e);
	out = render(index_html, e, 3);
	blocks[0] = strstr(out, ":root{");
	assert_non_null(blocks[0]);
	blocks[1] = strstr(blocks[0] + 1, ":root{");
	assert_non_null(blocks[1]);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < nitems(contrast_rows); i++) {
			colour(blocks[k], contrast_rows[i].fg, f, sizeof f);
			colour(blocks[k], contrast_rows[i].bg, b, sizeof b);
			lf = luminance(f);
			lb = luminance(b);
			ratio = lf > lb ? (lf + 0.05) / (lb + 0.05) :
			    (lb + 0.05) / (lf + 0.05);
			if (ratio < 4.5) {
				print_error("input:    %s --%s on --%s\n"
				    "expected: contrast 4.5:1 at least\n"
				    "actual:   %s on %s, %.2f:1\n",
				    k ? "dark" : "light", contrast_rows[i].fg,
				    contrast_rows[i].bg, f, b, ratio);
				fail();
			}
		}
	}
	free(out);
}

/* --- search.js ------------------------------------------------------- */

static void
index_search_matches_golden(void **state)
{
	struct index_entry	 e[3];
	struct index_catalog	 cat;
	char			*out, *page, *m, fp[16];
	const char		*p;

	golden_entries(e);
	cat = golden_catalog(e);
	out = render_cat(index_search, &cat);
	page = render_cat(index_html, &cat);
	/* The page and its search data carry the same fingerprint. */
	p = strstr(page, "data-fp=\"");
	assert_non_null(p);
	snprintf(fp, sizeof fp, "%.8s", p + 9);
	expect_in(out, fp, "fingerprint", "ferryText");
	expect_in(out, "if (window.ferryText) ferryText(\"", "golden",
	    "ferryText");
	/* Page order: the sectioned entries, then the unsectioned. */
	expect_in(out, "\", [\n"
	    "\"\xeb\xa0\x88\xeb\x93\x9c\xec\xb9\xb4\xeb\x93\x9c know your "
	    "rights\"\n]);\n", "golden", "[");
	m = main_of(page);
	assert_true(pos(m, "redcards/") < pos(m, "youtube"));
	assert_true(pos(m, "youtube") < pos(m, "resources.html"));
	free(m);
	free(page);
	free(out);

	/* No text: no strings at all. */
	e[1].text = "";
	out = render_cat(index_search, &cat);
	expect_in(out, "\", []);\n", "no text", "[");
	free(out);
}

/* Texts and how search.js carries them. */
static const struct {
	const char	*text;
	const char	*expected;
} text_rows[] = {
	{ "  a \t\n b\r\n", "\"a b\"" },
	{ "say \"hi\" \\ bye", "\"say \\\"hi\\\" \\\\ bye\"" },
	{ "ctl\x01\x1f\x7fx", "\"ctl x\"" },
	{ "line\xe2\x80\xa8sep\xe2\x80\xa9par", "\"line sep par\"" },
	{ "bad \xff", "\"bad \xef\xbf\xbd\"" },
	{ "</script><b>", "\"</script><b>\"" },
	{ "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 \xe0\xb9\x84\xe0\xb8\x97"
	    "\xe0\xb8\xa2", "\"\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 \xe0\xb9"
	    "\x84\xe0\xb8\x97\xe0\xb8\xa2\"" },
};

static void
index_search_escapes_and_collapses(void **state)
{
	struct index_entry	 e;
	char			*out;
	size_t			 i;

	for (i = 0; i < nitems(text_rows); i++) {
		e = entry("site/a/b.pdf", "T", "", "document");
		e.text = text_rows[i].text;
		out = render(index_search, &e, 1);
		expect_in(out, text_rows[i].expected, text_rows[i].text, "[");
		free(out);
	}
}

static void
index_search_cuts_long_texts(void **state)
{
	struct index_entry	 e;
	char			*out, *text, *line;
	size_t			 i, chars = 0;

	/* Three-byte characters: the cut counts characters. */
	text = malloc(3 * 4000 + 1);
	for (i = 0; i < 4000; i++)
		memcpy(text + 3 * i, "\xed\x95\x9c", 3);
	text[3 * 4000] = '\0';
	e = entry("site/a/b.pdf", "T", "", "document");
	e.text = text;
	out = render(index_search, &e, 1);
	line = line_of(out, "\"\xed\x95\x9c");
	for (i = 0; line[i] != '\0'; i++)
		chars += ((unsigned char)line[i] & 0xc0) != 0x80;
	assert_int_equal(chars, INDEX_TEXT_CHARS + 2);
	free(line);
	free(out);
	free(text);
}

/*
 * 10,000 entries shaped like the seed's (about 40-byte paths and titles,
 * a description on half of them, ten languages, 100 sections) with 6,000
 * characters of text each: index.html and search.js stay within
 * INDEX_PAGE_MAX, and the time to render all four files is reported.
 */
static void
index_page_fits_for_10000_entries(void **state)
{
	static const char	*const langs[] = { "en", "es", "ko", "zh-Hant",
	    "vi", "tl", "fa", "ar", "ru", "hy" };
	static const char	*const sections[] = {
		"Rapid Response Tools: Red Cards and Hotlines",
		"Know Your Rights Presentations",
		"Resources for Small Businesses, Non-profits, and Employers",
		"Community Resources", "Arrested or Detained Family Member",
	};
	const size_t		 n = 10000;
	struct index_source	 src = { "county",
	    "https://www.example-county.gov/resources/", "County resources" };
	struct index_entry	*e;
	struct index_catalog	 cat;
	struct buf		 b = BUF_INIT;
	struct timespec		 t0, t1;
	char			*text, **strs;
	size_t			 i, k, page = 0;
	double			 ms[4];

	e = calloc(n, sizeof *e);
	strs = calloc(4 * n, sizeof *strs);
	text = malloc(6001);
	for (i = 0; i < 6000; i++)
		text[i] = "abcdefghij klmnopqrstuvwxyz "[i % 28];
	text[6000] = '\0';
	for (i = 0; i < n; i++) {
		if (asprintf(&strs[4 * i], "site/www.county.gov/files/"
		    "kyr-%05zu-%s.pdf", i, langs[i % 10]) == -1 ||
		    asprintf(&strs[4 * i + 1], "https://www.county.gov/files/"
		    "kyr-%05zu-%s.pdf", i, langs[i % 10]) == -1 ||
		    asprintf(&strs[4 * i + 2], "Know your rights: tenants, "
		    "part %zu", i) == -1 ||
		    asprintf(&strs[4 * i + 3], "%s %zu",
		    sections[(i / 100) % 5], i / 100) == -1)
			fail();
		e[i] = entry(strs[4 * i], strs[4 * i + 2], strs[4 * i + 3],
		    "document");
		e[i].source = "county";
		e[i].source_url = src.url;
		e[i].url = strs[4 * i + 1];
		e[i].description = i % 2 ? "Source: Public Counsel. What to "
		    "do when an agent comes to your door." : "";
		e[i].lang = langs[i % 10];
		e[i].text = text;
		e[i].size = 123456 + (int64_t)i;
		e[i].changed = i % 7 == 0 ? NOV26 - 86400 : 0;
		e[i].order = (int)i;
	}
	cat = (struct index_catalog){ &src, 1, e, n, NULL, 0 };
	for (k = 0; k < nitems(all_fns); k++) {
		buf_reset(&b);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		assert_int_equal(all_fns[k](&cat, &b), 0);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms[k] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		if (all_fns[k] == index_html || all_fns[k] == index_search)
			page += b.len;
		print_message("10000 entries: %s: %zu bytes, %.1f ms\n",
		    all_names[k], b.len, ms[k]);
	}
	print_message("10000 entries: all four in %.1f ms; index.html and "
	    "search.js: %zu bytes\n", ms[0] + ms[1] + ms[2] + ms[3], page);
	if (page > INDEX_PAGE_MAX) {
		print_error("input:    10000 entries\nexpected: index.html + "
		    "search.js <= %d bytes\nactual:   %zu\n", INDEX_PAGE_MAX,
		    page);
		fail();
	}
	/* With fewer entries the texts get their full share. */
	cat.nentries = 500;
	buf_reset(&b);
	assert_int_equal(index_search(&cat, &b), 0);
	assert_true(b.len > 500 * INDEX_TEXT_CHARS);
	buf_free(&b);
	for (i = 0; i < 4 * n; i++)
		free(strs[i]);
	free(strs);
	free(text);
	free(e);
}

/* --- README.txt ------------------------------------------------------ */

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
	struct index_hotline	 h = golden_hotline;
	char			*out, *line;
	const char		*p, *end;
	static const char	*const wanted[] = {
		"Offline resources\r\n=================\r\n",
		"To use it, open index.html in any web browser; no internet "
		    "needed.",
		"Hotlines\r\n--------\r\n  * Los Angeles County: (213) "
		    "555-0142\r\n    Hours Available: 24/7\r\n    Run By: "
		    "LARRN\r\n",
		"  * la-city: 2 resources\r\n    " SRC_URL "\r\n",
		"  * county: 1 resource\r\n    https://county.example/\r\n",
		"  * the-very-long-named-regional-consortium-of-legal-aid-"
		    "providers:\r\n    0 resources\r\n",
		"\r\n    ferry verify\r\n",
		"\r\n    git log\r\n",
		"Recursos sin conexi\xc3\xb3n\r\n=====================\r\n",
		"L\xc3\xadneas de ayuda\r\n---------------\r\n",
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
	out = render_cat(index_readme, &(struct index_catalog){ .entries = e,
	    .nentries = nitems(e), .hotlines = &h, .nhotlines = 1 });
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
	expect_not_in(out, "Hotlines", "no hotlines");
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

/* --- all renderers --------------------------------------------------- */

static void
index_renders_deterministically(void **state)
{
	struct index_entry	 e[5];
	struct index_catalog	 cat;
	struct buf		 b = BUF_INIT;
	char			*first, *second;
	size_t			 i;

	golden_entries(e);
	e[3] = entry("site/h/a.pdf", "A", "Hotlines", "document");
	e[4] = entry("site/h/a.css", "", "", "requisite");
	cat = golden_catalog(e);
	cat.nentries = nitems(e);
	for (i = 0; i < nitems(all_fns); i++) {
		first = render_cat(all_fns[i], &cat);
		second = render_cat(all_fns[i], &cat);
		if (strcmp(first, second) != 0) {
			print_error("input:    %s, 5 entries\nexpected: "
			    "'%s'\nactual:   '%s'\n", all_names[i], first,
			    second);
			fail();
		}
		/* Appends to what the buffer holds, byte for byte. */
		buf_reset(&b);
		assert_int_equal(buf_addstr(&b, "prefix"), 0);
		assert_int_equal(all_fns[i](&cat, &b), 0);
		assert_string_equal(b.ptr + 6, first);
		free(first);
		free(second);
	}
	buf_free(&b);
}

static void
index_leaves_buffer_alone_at_cap(void **state)
{
	struct index_entry	 e[3];
	struct index_catalog	 cat;
	struct buf		 b;
	size_t			 i;

	golden_entries(e);
	cat = golden_catalog(e);
	for (i = 0; i < nitems(all_fns); i++) {
		buf_init(&b, 100);
		assert_int_equal(buf_addstr(&b, "kept"), 0);
		assert_int_equal(all_fns[i](&cat, &b), FERRY_ETOOBIG);
		assert_int_equal(b.len, 4);
		assert_string_equal(b.ptr, "kept");
		buf_free(&b);
	}
}

static void
index_rejects_missing_fields(void **state)
{
	static const struct {
		int		 which;
		const char	*message;
	} rows[] = {
		{ 0, "cannot render index entry 0: missing field" },
		{ 1, "cannot render index entry 0: missing field" },
		{ 2, "cannot render index source 0: missing field" },
		{ 3, "cannot render index hotline 0: missing field" },
	};
	struct index_entry	 e;
	struct index_source	 s;
	struct index_hotline	 h;
	struct index_catalog	 cat;
	struct buf		 b = BUF_INIT;
	size_t			 i, r;

	for (r = 0; r < nitems(rows); r++) {
		e = entry("site/h/a.pdf", "A", "", "document");
		s = golden_source;
		h = golden_hotline;
		if (rows[r].which == 0)
			e.lang = NULL;
		else if (rows[r].which == 1)
			e.text = NULL;
		else if (rows[r].which == 2)
			s.title = NULL;
		else
			h.details = NULL;
		cat = (struct index_catalog){ &s, 1, &e, 1, &h, 1 };
		for (i = 0; i < nitems(all_fns); i++) {
			assert_int_equal(all_fns[i](&cat, &b), FERRY_ERROR);
			assert_string_equal(err_msg(), rows[r].message);
			assert_int_equal(b.len, 0);
		}
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
		cmocka_unit_test(index_json_shows_times_in_utc),
		cmocka_unit_test(index_html_escapes_text),
		cmocka_unit_test(index_html_marks_language_and_direction),
		cmocka_unit_test(index_html_names_languages),
		cmocka_unit_test(index_html_counts_and_sorts_languages),
		cmocka_unit_test(index_html_groups_sections_in_order),
		cmocka_unit_test(index_html_shows_configured_sources),
		cmocka_unit_test(index_html_lists_no_requisites),
		cmocka_unit_test(index_html_puts_unsectioned_under_other),
		cmocka_unit_test(index_html_formats_sizes),
		cmocka_unit_test(index_html_encodes_hrefs),
		cmocka_unit_test(index_html_falls_back_to_file_name),
		cmocka_unit_test(index_html_names_formats),
		cmocka_unit_test(index_html_lists_links_online),
		cmocka_unit_test(index_html_marks_changes_and_withdrawals),
		cmocka_unit_test(index_html_shows_hotlines),
		cmocka_unit_test(index_html_is_self_contained),
		cmocka_unit_test(index_html_orders_headings),
		cmocka_unit_test(index_html_colours_have_contrast),
		cmocka_unit_test(index_search_matches_golden),
		cmocka_unit_test(index_search_escapes_and_collapses),
		cmocka_unit_test(index_search_cuts_long_texts),
		cmocka_unit_test(index_page_fits_for_10000_entries),
		cmocka_unit_test(index_readme_wraps_and_lists_sources),
		cmocka_unit_test(index_readme_keeps_urls_whole),
		cmocka_unit_test(index_renders_deterministically),
		cmocka_unit_test(index_leaves_buffer_alone_at_cap),
		cmocka_unit_test(index_rejects_missing_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
