/*
 * test_html.c -- unit tests for mirror/html.c.
 *
 * Inputs mark every expected link span with {{ and }}: the row's document
 * is the text without the marks, and each link must cover exactly the
 * marked bytes.  A failing row prints its input, what was expected and
 * what came; all rows run before the test fails.  Readable-text pages
 * are written in UTF-8 so their expected lines can be read.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "html.h"
#include "xmalloc.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

#define NAV	HTML_LINK_NAV
#define REQ	HTML_LINK_REQUISITE
#define BASE	HTML_LINK_BASE
#define ATTR	HTML_SPAN_ATTR
#define INATTR	HTML_SPAN_IN_ATTR
#define INTEXT	HTML_SPAN_IN_TEXT

#define MAXLINKS	16

struct want {
	enum html_link_kind	 kind;
	enum html_span		 span;
	const char		*url;
};

/* A document with its link spans marked, and the links in order. */
struct link_row {
	const char		*name;
	const char		*marked;
	struct want		 links[MAXLINKS];	/* ends at url NULL */
};

/* Printable form of s[0..n): control bytes escaped, UTF-8 kept. */
static void
show(struct buf *b, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r')
			buf_addstr(b, "\\r");
		else if (c == '\n')
			buf_addstr(b, "\\n");
		else if (c == '\t')
			buf_addstr(b, "\\t");
		else if (c == '\\')
			buf_addstr(b, "\\\\");
		else if (c < 0x20 || c == 0x7f)
			buf_addf(b, "\\x%02x", c);
		else
			buf_addc(b, (char)c);
	}
}

/* The document without its marks; the marked spans go to starts/ends. */
static char *
unmark(const char *m, size_t *starts, size_t *ends, size_t *nspans)
{
	struct buf	b = BUF_INIT;
	size_t		n = 0;

	buf_addstr(&b, "");
	while (*m != '\0') {
		if (strncmp(m, "{{", 2) == 0) {
			assert_true(n < MAXLINKS);
			starts[n] = b.len;
			m += 2;
		} else if (strncmp(m, "}}", 2) == 0) {
			ends[n++] = b.len;
			m += 2;
		} else
			buf_addc(&b, *m++);
	}
	*nspans = n;
	return buf_detach(&b);
}

static const char *
kind_name(enum html_link_kind k)
{
	switch (k) {
	case HTML_LINK_NAV:
		return "nav";
	case HTML_LINK_REQUISITE:
		return "requisite";
	case HTML_LINK_BASE:
		return "base";
	}
	return "?";
}

static const char *
span_name(enum html_span s)
{
	switch (s) {
	case HTML_SPAN_ATTR:
		return "attr";
	case HTML_SPAN_IN_ATTR:
		return "in-attr";
	case HTML_SPAN_IN_TEXT:
		return "in-text";
	}
	return "?";
}

static void
describe(struct buf *b, const char *doc, size_t start, size_t end,
    enum html_link_kind kind, enum html_span span, const char *url)
{
	buf_addf(b, "  %zu-%zu %s %s url '", start, end, kind_name(kind),
	    span_name(span));
	show(b, url, strlen(url));
	buf_addstr(b, "' bytes '");
	show(b, doc + start, end - start);
	buf_addstr(b, "'\n");
}

/* Check one marked row against a parser; 0 when it passes. */
static int
check_links(const struct link_row *row,
    int (*parse)(const char *, size_t, struct html_doc **))
{
	struct html_doc	*doc = NULL;
	struct buf	 want = BUF_INIT, got = BUF_INIT, in = BUF_INIT;
	size_t		 starts[MAXLINKS], ends[MAXLINKS], nspans, i, len;
	char		*text;
	int		 bad;

	text = unmark(row->marked, starts, ends, &nspans);
	len = strlen(text);
	buf_addstr(&want, "");
	buf_addstr(&got, "");
	for (i = 0; i < MAXLINKS && row->links[i].url != NULL; i++) {
		assert_true(i < nspans);
		describe(&want, text, starts[i], ends[i], row->links[i].kind,
		    row->links[i].span, row->links[i].url);
	}
	assert_int_equal(i, nspans);
	if (parse(text, len, &doc) != 0)
		buf_addf(&got, "  error: %s\n", err_msg());
	else
		for (i = 0; i < doc->nlinks; i++)
			describe(&got, text, doc->links[i].start,
			    doc->links[i].end, doc->links[i].kind,
			    doc->links[i].span, doc->links[i].url);
	bad = strcmp(want.ptr, got.ptr) != 0;
	if (bad) {
		show(&in, text, len);
		print_error("row %s\n input: %s\n expected:\n%s actual:\n%s",
		    row->name, in.ptr, want.ptr, got.ptr);
	}
	html_doc_free(doc);
	buf_free(&want);
	buf_free(&got);
	buf_free(&in);
	free(text);
	return bad;
}

static const struct link_row html_rows[] = {
	{ "entity_in_href", "<a href={{\"a&amp;b.pdf\"}}>x</a>",
	    { { NAV, ATTR, "a&b.pdf" } } },
	{ "numeric_entities", "<a href={{'/r&#233;sum&#xE9;.pdf'}}>x</a>",
	    { { NAV, ATTR, "/r\xc3\xa9sum\xc3\xa9.pdf" } } },
	{ "single_quotes", "<a href={{'b.pdf'}}>x</a>",
	    { { NAV, ATTR, "b.pdf" } } },
	{ "unquoted", "<a href={{c.pdf}}>x</a><a href = {{d.pdf}} >y</a>",
	    { { NAV, ATTR, "c.pdf" }, { NAV, ATTR, "d.pdf" } } },
	{ "white_space_trimmed", "<a href={{\" /x.pdf\n\"}}>x</a>",
	    { { NAV, ATTR, "/x.pdf" } } },
	{ "valueless_href_skipped",
	    "<a href>x</a><a href >y</a><a title=t href>z</a><a href/>w",
	    { { 0 } } },
	{ "href_named_href_kept", "<a href>x</a><a href={{href}}>y</a>",
	    { { NAV, ATTR, "href" } } },
	{ "empty_href_kept", "<a href={{\"\"}}>top</a>",
	    { { NAV, ATTR, "" } } },
	{ "base_first_only",
	    "<head><base href={{\"/docs/\"}}><base href=\"/other/\"></head>"
	    "<a href={{x}}>x</a>",
	    { { BASE, ATTR, "/docs/" }, { NAV, ATTR, "x" } } },
	{ "srcset_density",
	    "<img srcset=\"{{a.jpg}} 1x, {{b.jpg}} 2x\">",
	    { { REQ, INATTR, "a.jpg" }, { REQ, INATTR, "b.jpg" } } },
	{ "srcset_width_and_comma_url",
	    "<img src={{s.jpg}} srcset=\"{{img,v2.jpg}} 320w,{{big.jpg}} "
	    "1024w , {{c.jpg}}\" sizes=\"(max-width: 600px) 480px, 800px\">",
	    { { REQ, ATTR, "s.jpg" }, { REQ, INATTR, "img,v2.jpg" },
	      { REQ, INATTR, "big.jpg" }, { REQ, INATTR, "c.jpg" } } },
	{ "srcset_trailing_commas", "<img srcset='{{a.jpg}},,, {{b.jpg}} 2x'>",
	    { { REQ, INATTR, "a.jpg" }, { REQ, INATTR, "b.jpg" } } },
	{ "srcset_entities", "<img srcset=\"{{a.jpg?x=1&amp;y=2}} 2x\">",
	    { { REQ, INATTR, "a.jpg?x=1&y=2" } } },
	{ "srcset_data_skipped",
	    "<img srcset=\"data:image/png;base64,AAA= 1x, {{b.png}} 2x\">",
	    { { REQ, INATTR, "b.png" } } },
	{ "srcset_source", "<picture><source srcset={{w.webp}} "
	    "type=image/webp><img src={{f.jpg}}></picture>",
	    { { REQ, INATTR, "w.webp" }, { REQ, ATTR, "f.jpg" } } },
	{ "style_attribute",
	    "<p style=\"background:url({{bg.png}}); "
	    "list-style:url(&quot;{{dot.gif}}&quot;)\">x</p>",
	    { { REQ, INATTR, "bg.png" }, { REQ, INATTR, "dot.gif" } } },
	{ "style_element",
	    "<style>@import \"{{a.css}}\"; @import url({{b.css}});\n"
	    "p{background:url( '{{c.png}}' )} /* url(no.png) */\n"
	    "q{x:url({{d\\).png}})}</style>",
	    { { REQ, INTEXT, "a.css" }, { REQ, INTEXT, "b.css" },
	      { REQ, INTEXT, "c.png" }, { REQ, INTEXT, "d).png" } } },
	{ "style_element_crlf",
	    "<style>\r\np {\r\n background: url({{x.png}});\r\n}\r\n</style>",
	    { { REQ, INTEXT, "x.png" } } },
	{ "meta_refresh",
	    "<meta http-equiv=\"refresh\" content=\"5; url={{/next.html}}\">",
	    { { NAV, INATTR, "/next.html" } } },
	{ "meta_refresh_quoted",
	    "<meta http-equiv=Refresh content=\"0;URL='{{/q?a=1&amp;b=2}}'\">",
	    { { NAV, INATTR, "/q?a=1&b=2" } } },
	{ "meta_refresh_bare", "<meta http-equiv=refresh content='3,{{a}}'>",
	    { { NAV, INATTR, "a" } } },
	{ "meta_without_url",
	    "<meta http-equiv=refresh content=5><meta name=x content=/no>"
	    "<meta http-equiv=refresh content=\"x; url=/no\">",
	    { { 0 } } },
	{ "comments_scripts_templates_skipped",
	    "<!-- <a href=c>c</a> --><script>document.write('<a href=\"s\">')"
	    "</script><template><a href=t>t</a><img src=t.png></template>"
	    "<a href={{v}}>v</a><script type=module>import '/m.js'</script>",
	    { { NAV, ATTR, "v" } } },
	{ "adoption_agency_reported_once",
	    "<p><b><a href={{x}}>one<p>two</a>",
	    { { NAV, ATTR, "x" } } },
	{ "foster_parented_sorted",
	    "<table><tr><td><a href={{a}}>a</a></td></tr><a href={{b}}>b</a>"
	    "</table>",
	    { { NAV, ATTR, "a" }, { NAV, ATTR, "b" } } },
	{ "crlf_before_link",
	    "<p>line one\r\nline two\r\n\r\n<a\r\nhref={{\"y.pdf\"}}>y</a>",
	    { { NAV, ATTR, "y.pdf" } } },
	{ "utf8_before_link",
	    "<p>Caf\xc3\xa9 \xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 "
	    "\xe2\x80\x9cquoted\xe2\x80\x9d \xf0\x9f\x93\x9e</p>"
	    "<a href={{'z.pdf'}}>z</a>",
	    { { NAV, ATTR, "z.pdf" } } },
	{ "bom_before_link", "\xef\xbb\xbf<a href={{u}}>u</a>",
	    { { NAV, ATTR, "u" } } },
	{ "requisites",
	    "<script src={{a.js}}></script><link rel=stylesheet href={{s.css}}>"
	    "<link rel=\"shortcut icon\" href={{f.ico}}><link rel=canonical "
	    "href={{/c}}><link href={{/n}}><video src={{v.mp4}} "
	    "poster={{p.jpg}}><track src={{t.vtt}}></video><audio "
	    "src={{a.mp3}}></audio><embed src={{e.swf}}><object "
	    "data={{o.pdf}}></object><input type=image src={{i.png}}>"
	    "<input type=text src=no.png><iframe src={{/f}}></iframe>",
	    { { REQ, ATTR, "a.js" }, { REQ, ATTR, "s.css" },
	      { REQ, ATTR, "f.ico" }, { NAV, ATTR, "/c" },
	      { NAV, ATTR, "/n" }, { REQ, ATTR, "v.mp4" },
	      { REQ, ATTR, "p.jpg" }, { REQ, ATTR, "t.vtt" },
	      { REQ, ATTR, "a.mp3" }, { REQ, ATTR, "e.swf" },
	      { REQ, ATTR, "o.pdf" }, { REQ, ATTR, "i.png" },
	      { NAV, ATTR, "/f" } } },
	{ "link_rels",
	    "<link rel=preload href={{font.woff2}} as=font><link "
	    "rel=apple-touch-icon href={{t.png}}><link rel=manifest "
	    "href={{m.json}}><link rel=image_src href={{i.jpg}}><link "
	    "rel=alternate hreflang=es href={{/es/}}>",
	    { { REQ, ATTR, "font.woff2" }, { REQ, ATTR, "t.png" },
	      { REQ, ATTR, "m.json" }, { REQ, ATTR, "i.jpg" },
	      { NAV, ATTR, "/es/" } } },
	{ "frames", "<frameset><frame src={{top.html}}><frame "
	    "src={{main.html}}></frameset>",
	    { { NAV, ATTR, "top.html" }, { NAV, ATTR, "main.html" } } },
	{ "area", "<map name=m><area href={{/r}} alt=Region></map>",
	    { { NAV, ATTR, "/r" } } },
	{ "svg_image_and_use",
	    "<svg><image xlink:href={{\"i.png\"}}/><use href={{\"#u\"}}/>"
	    "<a xlink:href={{s.html}}><text>s</text></a></svg>",
	    { { REQ, ATTR, "i.png" }, { REQ, ATTR, "#u" },
	      { NAV, ATTR, "s.html" } } },
	{ "svg_style_entities",
	    "<svg><style>a{b:url(&quot;{{g.png}}&quot;)}</style></svg>",
	    { { REQ, INATTR, "g.png" } } },
	{ "schemes_reported_data_skipped",
	    "<a href={{\"javascript:void(0)\"}}>j</a><a "
	    "href={{\"mailto:a@b.org\"}}>m</a><a "
	    "href={{\"tel:+1-800-375-5283\"}}>t</a><a "
	    "href=\"data:text/html,x\">d</a><img "
	    "src=\" DATA:image/gif;base64,R0lG\">",
	    { { NAV, ATTR, "javascript:void(0)" },
	      { NAV, ATTR, "mailto:a@b.org" },
	      { NAV, ATTR, "tel:+1-800-375-5283" } } },
	{ "no_links", "<p>nothing <b>here</b></p>", { { 0 } } },
	{ "empty_document", "", { { 0 } } },
};

static void
html_parse_finds_links(void **state)
{
	size_t	i;
	int	failed = 0;

	for (i = 0; i < nitems(html_rows); i++)
		failed += check_links(&html_rows[i], html_parse);
	assert_int_equal(failed, 0);
}

static const struct link_row css_rows[] = {
	{ "bare", "a{background:url({{x.png}})}",
	    { { REQ, INTEXT, "x.png" } } },
	{ "quoted", "a{b:url(\"{{y.png}}\")} c{d:URL('{{z.png}}')}",
	    { { REQ, INTEXT, "y.png" }, { REQ, INTEXT, "z.png" } } },
	{ "imports", "@import \"{{a.css}}\";\n@import '{{b.css}}' screen;\n"
	    "@import url({{c.css}});\n@IMPORT url(\"{{d.css}}\") print;",
	    { { REQ, INTEXT, "a.css" }, { REQ, INTEXT, "b.css" },
	      { REQ, INTEXT, "c.css" }, { REQ, INTEXT, "d.css" } } },
	{ "comments_skipped",
	    "/* url(no.png) @import \"no.css\"; */ a{b:url({{yes.png}})}"
	    "/* unterminated url(no2.png)",
	    { { REQ, INTEXT, "yes.png" } } },
	{ "strings_skipped",
	    "a{content:\"url(no.png)\"} b:after{content:'\\'url(n)'} "
	    "c{d:url({{y.png}})}",
	    { { REQ, INTEXT, "y.png" } } },
	{ "escapes", "a{b:url({{a\\(1\\).png}})} c{d:url(\"{{q\\\"x.png}}\")} "
	    "e{f:url({{\\41 b.png}})}",
	    { { REQ, INTEXT, "a(1).png" }, { REQ, INTEXT, "q\"x.png" },
	      { REQ, INTEXT, "Ab.png" } } },
	{ "data_skipped",
	    "a{b:url(data:image/png;base64,AAA)} c{d:url(\"data:x\")} "
	    "e{f:url({{e.png}})}",
	    { { REQ, INTEXT, "e.png" } } },
	{ "longer_names_ignored", "a{b:myurl(no.png); c:url-x(no)}",
	    { { 0 } } },
	{ "bad_url_dropped", "a{b:url(no\"x.png)} c{d:url(a b)} "
	    "e{f:url({{ok.png}})}",
	    { { REQ, INTEXT, "ok.png" } } },
	{ "font_face", "@font-face{font-family:F;src:url({{f.woff2}}) "
	    "format(\"woff2\"),url('{{f.woff}}') format(\"woff\")}",
	    { { REQ, INTEXT, "f.woff2" }, { REQ, INTEXT, "f.woff" } } },
	{ "empty_urls_skipped", "a{b:url()} c{d:url(\"\")} e{f:url(  )}",
	    { { 0 } } },
	{ "white_space_inside", "a{b:url(  {{s.png}}\n )}",
	    { { REQ, INTEXT, "s.png" } } },
	{ "unterminated", "a{b:url({{x.png}}", { { REQ, INTEXT, "x.png" } } },
	{ "utf8_and_crlf", "/* caf\xc3\xa9 */\r\nh1::before{content:"
	    "\"\xed\x95\x9c\"}\r\nb{c:url({{k.png}})}",
	    { { REQ, INTEXT, "k.png" } } },
	{ "empty", "", { { 0 } } },
};

static void
html_css_parse_finds_urls(void **state)
{
	size_t	i;
	int	failed = 0;

	for (i = 0; i < nitems(css_rows); i++)
		failed += check_links(&css_rows[i], html_css_parse);
	assert_int_equal(failed, 0);
}

/*
 * cmocka cuts a message at about 1 KB: print s a line at a time, longer
 * lines in pieces that end on a UTF-8 boundary.
 */
static void
print_long(const char *s)
{
	size_t	n;

	while (*s != '\0') {
		n = strcspn(s, "\n");
		if (n > 900) {
			n = 900;
			while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
				n--;
		} else if (s[n] == '\n')
			n++;
		print_error("%.*s", (int)n, s);
		s += n;
	}
}

static int
differs(const char *name, const char *input, const char *what,
    const char *want, const char *got)
{
	struct buf	b = BUF_INIT;

	if (strcmp(want, got) == 0)
		return 0;
	buf_addstr(&b, "row ");
	buf_addstr(&b, name);
	buf_addstr(&b, "\n input: ");
	show(&b, input, strlen(input));
	buf_addf(&b, "\n %s expected: '", what);
	show(&b, want, strlen(want));
	buf_addf(&b, "'\n %s actual:   '", what);
	show(&b, got, strlen(got));
	buf_addstr(&b, "'\n");
	print_long(b.ptr);
	buf_free(&b);
	return 1;
}

static const struct {
	const char	*name;
	const char	*html;
	const char	*title;
	const char	*lang;
} title_rows[] = {
	{ "collapsed", "<title>  Immigration\n Resources\t| City  </title>",
	    "Immigration Resources | City", "" },
	{ "absent", "<p>no title</p>", "", "" },
	{ "entities_and_lang",
	    "<html lang=\"es-MX\"><title>A &amp; B</title></html>",
	    "A & B", "es-MX" },
	{ "svg_title_ignored",
	    "<body><svg><title>icon</title></svg><title>Real</title>",
	    "Real", "" },
	{ "first_title", "<title>One</title><title>Two</title>", "One", "" },
	{ "empty_title", "<html lang=ko><title> </title>", "", "ko" },
	{ "utf8", "<title>\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4  "
	    "\xec\x9e\x90\xeb\xa3\x8c</title>",
	    "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 "
	    "\xec\x9e\x90\xeb\xa3\x8c", "" },
};

static void
html_parse_reads_title_and_lang(void **state)
{
	struct html_doc	*doc;
	size_t		 i;
	int		 failed = 0;

	for (i = 0; i < nitems(title_rows); i++) {
		assert_int_equal(html_parse(title_rows[i].html,
		    strlen(title_rows[i].html), &doc), 0);
		failed += differs(title_rows[i].name, title_rows[i].html,
		    "title", title_rows[i].title, doc->title);
		failed += differs(title_rows[i].name, title_rows[i].html,
		    "lang", title_rows[i].lang, doc->lang);
		html_doc_free(doc);
	}
	assert_int_equal(failed, 0);
}

/* Modelled on the City of Los Angeles immigrant resources page. */
static const char seed_page[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\" dir=\"ltr\">\n"
    "<head><meta charset=\"utf-8\">\n"
    "<title>Immigrant Resources | Mayor Karen Bass</title>\n"
    "<link rel=\"stylesheet\" href=\"/themes/site.css\">\n"
    "</head>\n<body>\n"
    "<a href=\"#main-content\" class=\"visually-hidden\">Skip to main "
    "content</a>\n"
    "<p>Mayor Bass signed <a href=\"/ed12\">Executive\n  Directive "
    "12</a>.</p>\n"
    "<h2 class=\"title\">Rapid Response Tools: <span>Red Cards</span> "
    "and Hotlines</h2>\n"
    "<img src=\"/files/laptop.png\" alt=\"Laptop Showing the Know Your "
    "Rights Page\">\n"
    "<ul><li>Available in digital: <a href=\"https://www.lapl.org/red"
    "cards/es\">Spanish</a>, <a href=\"https://www.lapl.org/redcards/ko\""
    " hreflang=\"ko\">\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 "
    "(Korean)</a></li></ul>\n"
    "<div lang=\"es\"><p>Las Tarjetas Rojas permiten que las personas "
    "hagan valer sus derechos. <a href=\"/files/Red%20Cards%20-%20"
    "Spanish.pdf\" type=\"application/pdf\">Tarjetas   Rojas</a></p>"
    "</div>\n"
    "<h3>Hotlines</h3>\n"
    "<p>Los Angeles County: <a href=\"tel:+18886244752\">(888) "
    "624-4752</a></p>\n"
    "<h2>Know Your Rights Presentations</h2>\n"
    "<a href=\"https://www.youtube.com/watch?v=abc\"><img src=\"/kyr-en"
    ".jpg\" alt=\"Know Your Rights Presentation for the Community - "
    "English image\"></a>\n"
    "<a href=\"https://www.youtube.com/watch?v=def\" title=\"Conozca "
    "sus derechos\"></a>\n"
    "<div lang=\"es\"><h2>Organizaciones sin fines de lucro</h2>\n"
    "<p>Llame al <a href=\"tel:1-800-375-5283\" lang=\"en\">1-800-375-"
    "5283</a></p></div>\n"
    "</body></html>\n";

#define TOOLS	"Rapid Response Tools: Red Cards and Hotlines"
#define KYR	"Know Your Rights Presentations"
#define ORGS	"Organizaciones sin fines de lucro"
#define KOREAN	"\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4"

/*
 * What each link of the seed page says about itself.  The page uses h2
 * three times and h3 once, so sections are the h2s and the tel: link under
 * the h3 "Hotlines" keeps its h2 as section.
 */
static const struct {
	const char	*url;
	const char	*text;
	const char	*section;
	const char	*heading;
	const char	*lang;
	const char	*own_lang;
	const char	*desc;
	const char	*type;
} seed_rows[] = {
	{ "/themes/site.css", "", "", "", "en", "", "", "" },
	{ "#main-content", "Skip to main content", "", "", "en", "", "",
	    "" },
	{ "/ed12", "Executive Directive 12", "", "", "en", "",
	    "Mayor Bass signed", "" },
	{ "/files/laptop.png", "Laptop Showing the Know Your Rights Page",
	    TOOLS, TOOLS, "en", "", "", "" },
	{ "https://www.lapl.org/redcards/es", "Spanish", TOOLS, TOOLS, "en",
	    "", "Available in digital", "" },
	{ "https://www.lapl.org/redcards/ko", KOREAN " (Korean)", TOOLS,
	    TOOLS, "ko", "ko", "Available in digital", "" },
	{ "/files/Red%20Cards%20-%20Spanish.pdf", "Tarjetas Rojas", TOOLS,
	    TOOLS, "es", "", "Las Tarjetas Rojas permiten que las personas "
	    "hagan valer sus derechos", "application/pdf" },
	{ "tel:+18886244752", "(888) 624-4752", TOOLS, "Hotlines", "en", "",
	    "Los Angeles County", "" },
	{ "https://www.youtube.com/watch?v=abc",
	    "Know Your Rights Presentation for the Community - English image",
	    KYR, KYR, "en", "", "", "" },
	{ "/kyr-en.jpg",
	    "Know Your Rights Presentation for the Community - English image",
	    KYR, KYR, "en", "", "", "" },
	{ "https://www.youtube.com/watch?v=def", "Conozca sus derechos", KYR,
	    KYR, "en", "", "", "" },
	/* "Llame al" is too short to say anything, and nothing follows. */
	{ "tel:1-800-375-5283", "1-800-375-5283", ORGS, ORGS, "en", "en", "",
	    "" },
};

static void
html_parse_reads_context(void **state)
{
	struct html_doc		*doc;
	struct html_link	*l;
	size_t			 i, n;
	int			 failed = 0;
	const char		*name;

	assert_int_equal(html_parse(seed_page, strlen(seed_page), &doc), 0);
	failed += differs("seed_page", "(seed page)", "title",
	    "Immigrant Resources | Mayor Karen Bass", doc->title);
	failed += differs("seed_page", "(seed page)", "lang", "en", doc->lang);
	n = doc->nlinks < nitems(seed_rows) ? doc->nlinks : nitems(seed_rows);
	for (i = 0; i < n; i++) {
		name = seed_rows[i].url;
		l = &doc->links[i];
		failed += differs(name, name, "url", seed_rows[i].url, l->url);
		failed += differs(name, name, "text", seed_rows[i].text,
		    l->text);
		failed += differs(name, name, "section", seed_rows[i].section,
		    l->section);
		failed += differs(name, name, "heading", seed_rows[i].heading,
		    l->heading);
		failed += differs(name, name, "lang", seed_rows[i].lang,
		    l->lang);
		failed += differs(name, name, "own_lang",
		    seed_rows[i].own_lang, l->own_lang);
		failed += differs(name, name, "desc", seed_rows[i].desc,
		    l->desc);
		failed += differs(name, name, "type", seed_rows[i].type,
		    l->type);
	}
	if (doc->nlinks != nitems(seed_rows)) {
		print_error("seed page: expected %zu links, got %zu\n",
		    nitems(seed_rows), doc->nlinks);
		failed++;
	}
	html_doc_free(doc);
	assert_int_equal(failed, 0);
}

/* The first link whose url is url, NULL when there is none. */
static const struct html_link *
find_link(const struct html_doc *doc, const char *url)
{
	size_t	i;

	for (i = 0; i < doc->nlinks; i++)
		if (strcmp(doc->links[i].url, url) == 0)
			return &doc->links[i];
	return NULL;
}

/*
 * Headings and languages of one link of a small page.  The section level
 * is the highest-ranked level used more than once; a heading ranked above
 * it starts a section too, so a link under a lone h2 on a page of h3s is
 * not filed under the last h3 of the part before.
 */
static const struct {
	const char	*name;
	const char	*html;
	const char	*url;
	const char	*section;
	const char	*heading;
	const char	*lang;
	const char	*own_lang;
} heading_rows[] = {
	{ "h3_under_h2",
	    "<h1>Immigrant Resources</h1><h2>Red Cards</h2><h3>Spanish</h3>"
	    "<p><a href=/es.pdf>es</a></p><h2>Hotlines</h2>",
	    "/es.pdf", "Red Cards", "Spanish", "", "" },
	{ "lone_h1_before_h2s",
	    "<h1>Immigrant Resources</h1><p><a href=/intro>Intro</a></p>"
	    "<h2>Red Cards</h2><h2>Hotlines</h2>",
	    "/intro", "Immigrant Resources", "Immigrant Resources", "", "" },
	{ "second_h2",
	    "<h1>Immigrant Resources</h1><h2>Red Cards</h2><h2>Hotlines</h2>"
	    "<h4>Statewide</h4><p><a href=tel:+18885672255>x</a></p>",
	    "tel:+18885672255", "Hotlines", "Statewide", "", "" },
	{ "before_any_heading",
	    "<p><a href=/top>Top</a></p><h2>A</h2><h2>B</h2>",
	    "/top", "", "", "", "" },
	{ "no_level_repeated",
	    "<h1>Resources</h1><h2>Hotlines</h2><a href=/x>x</a>",
	    "/x", "Resources", "Hotlines", "", "" },
	{ "higher_rank_starts_section",
	    "<h3>One</h3><h3>Two</h3><h2>Other</h2><a href=/x>x</a>",
	    "/x", "Other", "Other", "", "" },
	{ "link_in_heading",
	    "<h2><a href=/rc>Red <b>Cards</b></a></h2><h2>Hotlines</h2>",
	    "/rc", "Red Cards", "Red Cards", "", "" },
	{ "hreflang_over_lang",
	    "<html lang=en><a href=/ko hreflang=ko lang=en>x</a>",
	    "/ko", "", "", "ko", "ko" },
	{ "own_lang_attribute",
	    "<html lang=en><div lang=es><a href=/fa lang=\" fa \">x</a></div>",
	    "/fa", "", "", "fa", "fa" },
	{ "inherited_lang_not_own",
	    "<html lang=en><div lang=zh-Hans><a href=/zh>x</a></div>",
	    "/zh", "", "", "zh-Hans", "" },
	{ "image_own_lang",
	    "<html lang=en><img src=/ko.png lang=ko alt=x>",
	    "/ko.png", "", "", "ko", "ko" },
	{ "alternate_link",
	    "<html lang=en><head><link rel=alternate hreflang=es "
	    "href=/es/></head>",
	    "/es/", "", "", "es", "es" },
	{ "style_url_has_none",
	    "<html lang=en><p lang=ko style=\"background:url(/k.png)\">x</p>",
	    "/k.png", "", "", "ko", "" },
};

static void
html_parse_reads_headings(void **state)
{
	struct html_doc		*doc;
	const struct html_link	*l;
	size_t			 i;
	int			 failed = 0;
	const char		*name, *html;

	for (i = 0; i < nitems(heading_rows); i++) {
		name = heading_rows[i].name;
		html = heading_rows[i].html;
		assert_int_equal(html_parse(html, strlen(html), &doc), 0);
		if ((l = find_link(doc, heading_rows[i].url)) == NULL) {
			failed += differs(name, html, "url",
			    heading_rows[i].url, "(none)");
			html_doc_free(doc);
			continue;
		}
		failed += differs(name, html, "section",
		    heading_rows[i].section, l->section);
		failed += differs(name, html, "heading",
		    heading_rows[i].heading, l->heading);
		failed += differs(name, html, "lang", heading_rows[i].lang,
		    l->lang);
		failed += differs(name, html, "own_lang",
		    heading_rows[i].own_lang, l->own_lang);
		html_doc_free(doc);
	}
	assert_int_equal(failed, 0);
}

/* What describes a link: its own block's other text, or what follows. */
static const struct {
	const char	*name;
	const char	*html;
	const char	*url;
	const char	*desc;
} desc_rows[] = {
	/* The hotline layout of the seed page. */
	{ "hotline_paragraph_then_list",
	    "<h3>Los Angeles County</h3>\n"
	    "<p><a href=\"tel:+18886244752\">(888) 624-4752</a></p>\n"
	    "<ul>\n"
	    "<li><p>Hours Available: 24/7</p></li>\n"
	    "<li><p>Run By: Los Angeles Rapid Response Network (LARRN)</p>"
	    "</li>\n"
	    "<li><p>Purpose: Specifically focused on responding to "
	    "immigration\n  enforcement actions.</p></li>\n"
	    "</ul>\n"
	    "<h3>Statewide</h3>\n"
	    "<p><a href=\"tel:+18885672255\">(888) 567-2255</a></p>\n",
	    "tel:+18886244752",
	    "Hours Available: 24/7\n"
	    "Run By: Los Angeles Rapid Response Network (LARRN)\n"
	    "Purpose: Specifically focused on responding to immigration "
	    "enforcement actions." },
	{ "hotline_stops_at_next_heading",
	    "<p><a href=\"tel:+18885672255\">(888) 567-2255</a></p>"
	    "<ul><li>Hours Available: 24/7</li>"
	    "<li>Run By: CHIRLA Rapid Response Network</li></ul>"
	    "<h3>Long Beach + Orange County</h3>"
	    "<ul><li>Hours Available: 24/7</li></ul>",
	    "tel:+18885672255",
	    "Hours Available: 24/7\nRun By: CHIRLA Rapid Response Network" },
	{ "stops_at_block_holding_heading",
	    "<p><a href=\"tel:+18885672255\">(888) 567-2255</a></p>"
	    "<ul><li>Hours Available: 24/7</li></ul>"
	    "<div class=card><h3>Southern CA</h3><p>Counties of Los Angeles"
	    "</p></div>",
	    "tel:+18885672255", "Hours Available: 24/7" },
	{ "short_label_then_list",
	    "<p>Call: <a href=\"tel:+18886244752\">(888) 624-4752</a></p>"
	    "<ul><li>Hours Available: 24/7</li></ul>",
	    "tel:+18886244752", "Hours Available: 24/7" },
	{ "paragraph_after_lone_link",
	    "<p><a href=/rc.pdf>Red Cards</a></p>"
	    "<p>Wallet-sized cards that help people assert their rights.</p>",
	    "/rc.pdf",
	    "Wallet-sized cards that help people assert their rights." },
	{ "link_in_sentence",
	    "<p>Mayor Bass signed <a href=\"/ed12\">Executive Directive 12</a>"
	    " to support Los Angeles\xe2\x80\x99 immigrant communities.</p>",
	    "/ed12",
	    "Mayor Bass signed to support Los Angeles\xe2\x80\x99 immigrant "
	    "communities" },
	{ "link_then_dash",
	    "<p><strong><a href=\"https://ccijustice.org\">Hotlines</a>"
	    "</strong> - You can report Immigration Enforcement activity by "
	    "calling your local rapid response network.</p>"
	    "<p>Not this one.</p>",
	    "https://ccijustice.org",
	    "You can report Immigration Enforcement activity by calling your "
	    "local rapid response network" },
	{ "link_in_parentheses",
	    "<p>Report the incident to a Consumer Protection Unit (<a "
	    "href=\"tel:+18005938222\">800-593-8222</a>).</p>",
	    "tel:+18005938222",
	    "Report the incident to a Consumer Protection Unit" },
	{ "em_dash",
	    "<p><a href=/kyr>Know Your Rights</a> \xe2\x80\x94 a presentation "
	    "for the community</p>",
	    "/kyr", "a presentation for the community" },
	/* Siblings are other resources, not a description. */
	{ "red_card_list",
	    "<h2>Red Cards</h2><ul><li><a href=/rc/es.pdf>Espa\xc3\xb1ol</a>"
	    "</li><li><a href=/rc/ko.pdf>" KOREAN "</a></li><li><a "
	    "href=/rc/zh.pdf>\xe4\xb8\xad\xe6\x96\x87</a></li></ul>"
	    "<p>For informational purposes only.</p>",
	    "/rc/ko.pdf", "" },
	{ "list_item_with_text",
	    "<ul><li><a href=/rc/es.pdf>Espa\xc3\xb1ol</a> (PDF, 1 page)</li>"
	    "<li><a href=/rc/ko.pdf>" KOREAN "</a></li></ul>",
	    "/rc/es.pdf", "PDF, 1 page" },
	{ "heading_link_then_list",
	    "<h3><a href=\"https://www.lapl.org/redcards\">Printable Red "
	    "Cards</a></h3>\n<ul><li>Source: Los Angeles Public Library</li>"
	    "\n<li>Format: Website</li></ul>\n<p>LAPL offers Red Cards in 20 "
	    "languages.</p>\n<h3>New Americans Initiative</h3><p>x</p>",
	    "https://www.lapl.org/redcards",
	    "Source: Los Angeles Public Library\nFormat: Website\n"
	    "LAPL offers Red Cards in 20 languages." },
	{ "table_cell",
	    "<table><tr><td><a href=/guide.pdf>Guide for Employers</a> (PDF)"
	    "</td><td>Public Counsel</td></tr></table>",
	    "/guide.pdf", "PDF" },
	{ "image_has_none",
	    "<p><img src=/map.png alt=\"A Map of Los Angeles County\"> Los "
	    "Angeles County</p>",
	    "/map.png", "" },
	{ "paren_closing_kept_text",
	    "<p><a href=/rc.pdf>Red Cards</a> - cards from the Immigrant "
	    "Legal Resource Center (ILRC)</p>",
	    "/rc.pdf",
	    "cards from the Immigrant Legal Resource Center (ILRC)" },
	{ "blocks_in_item_not_glued",
	    "<p><a href=\"tel:+18885672255\">(888) 567-2255</a></p>"
	    "<ul><li><p>Hours Available:</p><p>24/7</p></li></ul>",
	    "tel:+18885672255", "Hours Available: 24/7" },
};

static void
html_parse_reads_desc(void **state)
{
	struct html_doc		*doc;
	const struct html_link	*l;
	size_t			 i;
	int			 failed = 0;
	const char		*html;

	for (i = 0; i < nitems(desc_rows); i++) {
		html = desc_rows[i].html;
		assert_int_equal(html_parse(html, strlen(html), &doc), 0);
		l = find_link(doc, desc_rows[i].url);
		failed += differs(desc_rows[i].name, html, "desc",
		    desc_rows[i].desc, l != NULL ? l->desc : "(no link)");
		html_doc_free(doc);
	}
	assert_int_equal(failed, 0);
}

/*
 * Descriptions longer than HTML_DESC_MAX: the row's page is before, then
 * nrun copies of run, then after; the description must be want, then
 * nkeep copies of run.  A cut never splits a UTF-8 sequence.
 */
static const struct {
	const char	*name;
	const char	*before;
	const char	*run;
	size_t		 nrun;
	const char	*after;
	const char	*want;
	size_t		 nkeep;
} cap_rows[] = {
	{ "ascii", "<p><a href=/a>A</a> ", "x", 500, "</p>", "", 400 },
	{ "three_byte_whole", "<p><a href=/a>A</a> 0", "\xea\xb0\x80", 200,
	    "</p>", "0", 133 },
	{ "three_byte_split", "<p><a href=/a>A</a> 01", "\xea\xb0\x80", 200,
	    "</p>", "01", 132 },
	{ "four_byte_split", "<p><a href=/a>A</a> 0", "\xf0\x9f\x93\x9e",
	    200, "</p>", "0", 99 },
	{ "two_byte_split", "<p><a href=/a>A</a> 0", "\xc3\xa9", 300,
	    "</p>", "0", 199 },
	{ "second_line_split",
	    "<p><a href=/a>A</a></p><ul><li>Hours Available: 24/7</li><li>x",
	    "\xea\xb0\x80", 200, "</li></ul>",
	    "Hours Available: 24/7\nx", 125 },
	{ "nothing_after_a_cut",
	    "<p><a href=/a>A</a></p><ul><li>Hours Available: 24/7</li><li>x",
	    "\xea\xb0\x80", 200, "</li><li>Run By: CHIRLA</li></ul>",
	    "Hours Available: 24/7\nx", 125 },
};

static void
html_parse_caps_desc(void **state)
{
	struct html_doc	*doc;
	struct buf	 html = BUF_INIT, want = BUF_INIT;
	size_t		 i, k;
	int		 failed = 0;

	for (i = 0; i < nitems(cap_rows); i++) {
		buf_reset(&html);
		buf_reset(&want);
		buf_addstr(&html, cap_rows[i].before);
		for (k = 0; k < cap_rows[i].nrun; k++)
			buf_addstr(&html, cap_rows[i].run);
		buf_addstr(&html, cap_rows[i].after);
		buf_addstr(&want, cap_rows[i].want);
		for (k = 0; k < cap_rows[i].nkeep; k++)
			buf_addstr(&want, cap_rows[i].run);
		assert_true(want.len <= HTML_DESC_MAX);
		assert_int_equal(html_parse(html.ptr, html.len, &doc), 0);
		assert_true(doc->nlinks >= 1);
		failed += differs(cap_rows[i].name, html.ptr, "desc", want.ptr,
		    doc->links[0].desc);
		html_doc_free(doc);
	}
	buf_free(&html);
	buf_free(&want);
	assert_int_equal(failed, 0);
}

/* Pages rewritten with no replacement must come back byte for byte. */
static const char *const identity_rows[] = {
	"",
	"<a href=x>x</a>",
	"\xef\xbb\xbf<!DOCTYPE html>\r\n<html lang=ko><title>\xed\x95\x9c"
	    "</title>\r\n<a href='a&amp;b'>a</a></html>\r\n",
	"<p><b><a href=x>one<p>two</a>",
	"<img srcset=\"a.jpg 1x, b.jpg 2x\" src=c.jpg style=\"x:url(d)\">"
	    "<style>@import 'e.css';</style>",
	"<meta http-equiv=refresh content=\"1; url=/x\"><table><a href=f>"
	    "</a><tr><td><a href=g>g</a></table>",
	"unbalanced <a href=\"x\" <b>< & > </i></html> trailing text",
};

static void
html_rewrite_keeps_bytes(void **state)
{
	struct html_doc	*doc;
	struct buf	 out = BUF_INIT;
	char		**repl;
	size_t		 i, len;
	int		 failed = 0;

	for (i = 0; i < nitems(identity_rows) + 1; i++) {
		const char *in = i < nitems(identity_rows) ?
		    identity_rows[i] : seed_page;

		len = strlen(in);
		assert_int_equal(html_parse(in, len, &doc), 0);
		repl = xcalloc(doc->nlinks + 1, sizeof *repl);
		buf_reset(&out);
		assert_int_equal(html_rewrite(in, len, doc, repl, &out), 0);
		if (out.len != len || memcmp(out.ptr, in, len) != 0)
			failed += differs("identity", in, "output", in,
			    buf_cstr(&out));
		buf_reset(&out);
		assert_int_equal(html_rewrite(in, len, doc, NULL, &out), 0);
		if (out.len != len || memcmp(out.ptr, in, len) != 0)
			failed += differs("identity_null", in, "output", in,
			    buf_cstr(&out));
		free(repl);
		html_doc_free(doc);
	}
	buf_free(&out);
	assert_int_equal(failed, 0);
}

/* Replacements by link index (NULL keeps the link) and the result. */
static const struct {
	const char	*name;
	int		 css;
	const char	*input;
	const char	*repl[4];
	const char	*output;
} rewrite_rows[] = {
	{ "some_links", 0,
	    "<a href=\"a.pdf\">A</a>\n<img src=b.png>\n<a href='c'>C</a>",
	    { "local/a.pdf", NULL, "c.html" },
	    "<a href=\"local/a.pdf\">A</a>\n<img src=b.png>\n"
	    "<a href=\"c.html\">C</a>" },
	{ "unquoted_becomes_quoted", 0, "<img src=b.png alt=b>",
	    { "../b.png" }, "<img src=\"../b.png\" alt=b>" },
	{ "one_srcset_candidate", 0,
	    "<img srcset=\"a.jpg 1x, b.jpg 2x\">", { NULL, "l/b.jpg" },
	    "<img srcset=\"a.jpg 1x, l/b.jpg 2x\">" },
	{ "style_element_and_attribute", 0,
	    "<style>p{b:url('x.png')}</style><p style=\"background:url(y.png)"
	    "\">", { "l/x.png", "l/y.png" },
	    "<style>p{b:url('l/x.png')}</style><p style=\"background:"
	    "url(l/y.png)\">" },
	{ "meta_refresh", 0,
	    "<meta http-equiv=refresh content=\"0; URL='/next'\">",
	    { "next.html" },
	    "<meta http-equiv=refresh content=\"0; URL='next.html'\">" },
	{ "crlf_and_utf8_kept", 0,
	    "<p>Caf\xc3\xa9\r\n<a href='a'>\xed\x95\x9c</a>\r\n",
	    { "b" }, "<p>Caf\xc3\xa9\r\n<a href=\"b\">\xed\x95\x9c</a>\r\n" },
	{ "entity_value_replaced", 0, "<a href=\"a&amp;b\">x</a>",
	    { "c" }, "<a href=\"c\">x</a>" },
	{ "adoption_duplicate_once", 0, "<p><b><a href=x>one<p>two</a>",
	    { "y" }, "<p><b><a href=\"y\">one<p>two</a>" },
	{ "css_file", 1, "@import 'a.css';\na{b:url(\"c.png\")}",
	    { "x/a.css", "x/c.png" },
	    "@import 'x/a.css';\na{b:url(\"x/c.png\")}" },
};

static void
html_rewrite_replaces_links(void **state)
{
	struct html_doc	*doc;
	struct buf	 out = BUF_INIT;
	char		*repl[4];
	size_t		 i, k, len;
	int		 failed = 0;

	for (i = 0; i < nitems(rewrite_rows); i++) {
		len = strlen(rewrite_rows[i].input);
		if (rewrite_rows[i].css)
			assert_int_equal(html_css_parse(rewrite_rows[i].input,
			    len, &doc), 0);
		else
			assert_int_equal(html_parse(rewrite_rows[i].input,
			    len, &doc), 0);
		assert_true(doc->nlinks <= nitems(repl));
		for (k = 0; k < nitems(repl); k++)
			repl[k] = (char *)rewrite_rows[i].repl[k];
		buf_reset(&out);
		assert_int_equal(html_rewrite(rewrite_rows[i].input, len, doc,
		    repl, &out), 0);
		failed += differs(rewrite_rows[i].name, rewrite_rows[i].input,
		    "output", rewrite_rows[i].output, buf_cstr(&out));
		html_doc_free(doc);
	}
	buf_free(&out);
	assert_int_equal(failed, 0);
}

/* One link replaced by an awkward value: how each span kind writes it. */
static const struct {
	const char	*name;
	int		 css;
	const char	*input;
	const char	*repl;
	const char	*output;
} escape_rows[] = {
	{ "attr", 0, "<a href=x>x</a>", "a&b\"c'<d>",
	    "<a href=\"a&amp;b&quot;c&#39;&lt;d&gt;\">x</a>" },
	{ "attr_keeps_spaces", 0, "<a href='x'>x</a>", "a b.pdf",
	    "<a href=\"a b.pdf\">x</a>" },
	{ "srcset", 0, "<img srcset=\"x 2x\">", "a b,c&d\"e",
	    "<img srcset=\"a%20b%2Cc&amp;d%22e 2x\">" },
	{ "style_attribute", 0, "<p style=\"b:url('x')\">", "it's (1)&<2>",
	    "<p style=\"b:url('it%27s%20%281%29&amp;&lt;2&gt;')\">" },
	{ "meta_refresh", 0, "<meta http-equiv=refresh content=\"0;url=x\">",
	    "a&b\"c", "<meta http-equiv=refresh "
	    "content=\"0;url=a&amp;b%22c\">" },
	{ "style_element", 0, "<style>a{b:url(x)}</style>",
	    "a b\"c'(d)\\e<f>&g",
	    "<style>a{b:url(a%20b%22c%27%28d%29%5Ce%3Cf%3E&g)}</style>" },
	{ "css_file", 1, "a{b:url(\"x\")}", "sp ace\"q",
	    "a{b:url(\"sp%20ace%22q\")}" },
	{ "utf8_kept", 0, "<img srcset=\"x 1x\">", "\xed\x95\x9c.png",
	    "<img srcset=\"\xed\x95\x9c.png 1x\">" },
	{ "empty", 0, "<a href=x>x</a>", "", "<a href=\"\">x</a>" },
};

static void
html_rewrite_escapes_per_span(void **state)
{
	struct html_doc	*doc;
	struct buf	 out = BUF_INIT;
	char		*repl[1];
	size_t		 i, len;
	int		 failed = 0;

	for (i = 0; i < nitems(escape_rows); i++) {
		len = strlen(escape_rows[i].input);
		if (escape_rows[i].css)
			assert_int_equal(html_css_parse(escape_rows[i].input,
			    len, &doc), 0);
		else
			assert_int_equal(html_parse(escape_rows[i].input, len,
			    &doc), 0);
		assert_int_equal(doc->nlinks, 1);
		repl[0] = (char *)escape_rows[i].repl;
		buf_reset(&out);
		assert_int_equal(html_rewrite(escape_rows[i].input, len, doc,
		    repl, &out), 0);
		failed += differs(escape_rows[i].name, escape_rows[i].input,
		    "output", escape_rows[i].output, buf_cstr(&out));
		html_doc_free(doc);
	}
	buf_free(&out);
	assert_int_equal(failed, 0);
}

/* Spans that overlap, go backwards or past the end are refused, and the
   output is left as it was; so is a cap reached. */
static void
html_rewrite_rejects_bad_spans(void **state)
{
	static const struct {
		size_t	s1, e1, s2, e2;
	} rows[] = {
		{ 0, 4, 2, 6 },		/* overlap */
		{ 4, 6, 0, 2 },		/* backwards */
		{ 0, 2, 6, 99 },	/* past the end */
		{ 3, 2, 4, 5 },		/* end before start */
	};
	static const char	 in[] = "0123456789";
	struct html_link	 links[2];
	struct html_doc		 doc;
	struct buf		 out = BUF_INIT, small;
	char			*repl[2] = { "x", "y" };
	size_t			 i;

	memset(links, 0, sizeof links);
	memset(&doc, 0, sizeof doc);
	doc.links = links;
	doc.nlinks = 2;
	for (i = 0; i < nitems(rows); i++) {
		links[0].start = rows[i].s1;
		links[0].end = rows[i].e1;
		links[1].start = rows[i].s2;
		links[1].end = rows[i].e2;
		buf_reset(&out);
		buf_addstr(&out, "kept");
		if (html_rewrite(in, strlen(in), &doc, repl, &out) !=
		    FERRY_ERROR || strcmp(buf_cstr(&out), "kept") != 0) {
			print_error("row %zu: spans %zu-%zu %zu-%zu accepted "
			    "or output changed: '%s'\n", i, rows[i].s1,
			    rows[i].e1, rows[i].s2, rows[i].e2,
			    buf_cstr(&out));
			fail();
		}
	}
	links[0].start = 0;
	links[0].end = 1;
	links[1].start = 5;
	links[1].end = 6;
	links[1].span = HTML_SPAN_IN_TEXT;
	buf_reset(&out);
	assert_int_equal(html_rewrite(in, strlen(in), &doc, repl, &out), 0);
	assert_string_equal(buf_cstr(&out), "\"x\"1234y6789");
	buf_init(&small, 8);
	buf_addstr(&small, "ab");
	assert_int_equal(html_rewrite(in, strlen(in), &doc, repl, &small),
	    FERRY_ETOOBIG);
	assert_string_equal(buf_cstr(&small), "ab");
	buf_free(&small);
	buf_free(&out);
}

static const struct {
	const char	*name;
	const char	*data;
	size_t		 len;		/* 0: strlen(data) */
	int		 html;
} sniff_rows[] = {
	{ "doctype", "<!DOCTYPE html>\n<html>", 0, 1 },
	{ "bom_space_html", "\xef\xbb\xbf  \n<html lang=en>", 0, 1 },
	{ "upper_html", "<HTML><HEAD>", 0, 1 },
	{ "head", "<head><title>x", 0, 1 },
	{ "body", "\r\n\t<body class=x>", 0, 1 },
	{ "comment_then_html", "<!-- generated -->\n<html>", 0, 1 },
	{ "comment_then_head", "<!-- a --><!-- b -->\n<head>", 0, 1 },
	{ "xml_prolog", "<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC "
	    "\"-//W3C//DTD XHTML 1.0 Strict//EN\">\n<html xmlns=\"x\">", 0, 1 },
	{ "title_later", "  <meta charset=utf-8><title>503</title>", 0, 1 },
	{ "body_later", "Error<br><body>", 0, 1 },
	{ "utf16le", "\xff\xfe<\0h\0t\0m\0l\0>\0", 14, 1 },
	{ "utf16be", "\xfe\xff\0<\0h\0t\0m\0l\0>", 14, 1 },
	{ "pdf", "%PDF-1.7\n<html>", 0, 0 },
	{ "pdf_after_space", " \n%PDF-1.4\n<html>", 0, 0 },
	{ "png", "\x89PNG\r\n\x1a\n<html>", 0, 0 },
	{ "jpeg", "\xff\xd8\xff\xe0<html>", 0, 0 },
	{ "zip", "PK\x03\x04<html>", 0, 0 },
	{ "gif", "GIF89a<html>", 0, 0 },
	{ "empty", "", 0, 0 },
	{ "plain_text", "Red Cards - Tarjetas Rojas\n", 0, 0 },
	{ "json", "{\"html\": \"<p>\"}", 0, 0 },
	{ "longer_word", "<htmlx><bodyguard>", 0, 0 },
	{ "comment_only", "<!-- html body -->", 0, 0 },
};

static void
html_sniff_tells_html(void **state)
{
	char	*late;
	size_t	 i, len;
	int	 got, failed = 0;

	for (i = 0; i < nitems(sniff_rows); i++) {
		len = sniff_rows[i].len ? sniff_rows[i].len :
		    strlen(sniff_rows[i].data);
		got = html_sniff(sniff_rows[i].data, len);
		if (got != sniff_rows[i].html) {
			struct buf b = BUF_INIT;

			show(&b, sniff_rows[i].data, len);
			print_error("row %s\n input: %s\n expected: %d\n "
			    "actual:   %d\n", sniff_rows[i].name, b.ptr,
			    sniff_rows[i].html, got);
			buf_free(&b);
			failed++;
		}
	}
	/* Markup after the first 1024 bytes does not count. */
	late = xmalloc(1100 + 7);
	memset(late, 'x', 1100);
	memcpy(late + 1100, "<html>", 7);
	assert_int_equal(html_sniff(late, 1106), 0);
	memcpy(late + 100, "<html>", 6);
	assert_int_equal(html_sniff(late, 1106), 1);
	free(late);
	assert_int_equal(failed, 0);
}

/* Deep nesting is walked without recursion; long text is capped. */
static void
html_parse_survives_deep_nesting(void **state)
{
	struct html_doc	*doc;
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < 3000; i++)
		buf_addstr(&b, "<div lang=x>");
	buf_addstr(&b, "<a href=deep>");
	for (i = 0; i < 5000; i++)
		buf_addstr(&b, "word ");
	buf_addstr(&b, "</a>");
	assert_int_equal(html_parse(b.ptr, b.len, &doc), 0);
	assert_int_equal(doc->nlinks, 1);
	assert_string_equal(doc->links[0].url, "deep");
	assert_string_equal(doc->links[0].lang, "x");
	assert_true(strlen(doc->links[0].text) < 4096);
	assert_true(strncmp(doc->links[0].text, "word word ", 10) == 0);
	html_doc_free(doc);
	buf_free(&b);
}

/*
 * A resources page modelled on the seed page, with the boilerplate a city
 * site wraps around it, hotlines, and blocks in Korean, Chinese and Farsi;
 * and its readable text.
 */
static const char resources_page[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\" dir=\"ltr\">\n"
    "<head><meta charset=\"utf-8\">\n"
    "<title>Immigrant Resources | Mayor Karen Bass</title>\n"
    "<link rel=\"stylesheet\" href=\"/themes/site.css\">\n"
    "<style>.hotline { color: #c00; }</style>\n"
    "<script>window.dataLayer = [{ page: \"resources\" }];</script>\n"
    "</head>\n<body>\n"
    "<a href=\"#main-content\" hidden>Skip to main content</a>\n"
    "<header><a href=\"/\">Mayor Karen Bass</a>\n"
    "<form action=\"/search\"><input name=\"q\"><button>Search</button>"
    "</form></header>\n"
    "<nav aria-label=\"Main\"><ul><li><a href=\"/news\">News</a></li>\n"
    "<li><a href=\"/contact\">Contact</a></li></ul></nav>\n"
    "<main id=\"main-content\">\n"
    "<h1>Immigrant Resources</h1>\n"
    "<p>Mayor Bass signed <a href=\"/ed12\">Executive Directive 12</a> "
    "to support\n   Los Angeles&rsquo; immigrant communities.</p>\n"
    "<p aria-hidden=\"true\">Decorative Three Color Element</p>\n"
    "<h2>Rapid Response Tools: <span>Red Cards</span> and Hotlines</h2>\n"
    "<p><a href=\"https://www.lapl.org/redcards\">Red Cards</a> - "
    "wallet-sized\ncards that help people assert their rights.</p>\n"
    "<ul>\n"
    "<li>Available in: <a href=\"https://www.lapl.org/redcards/es\" "
    "hreflang=\"es\">Español</a>,\n"
    "<a href=\"https://www.lapl.org/redcards/ko\" hreflang=\"ko\">한국어"
    "</a>,\n"
    "<a href=\"https://www.lapl.org/redcards/zh-hant\" "
    "hreflang=\"zh-Hant\">中文（繁體）</a></li>\n"
    "<li>Format: Website</li>\n"
    "</ul>\n"
    "<h3>Los Angeles County</h3>\n"
    "<p><a href=\"tel:+18886244752\">(888) 624-4752</a></p>\n"
    "<ul><li>Hours Available: 24/7</li>\n"
    "<li>Run By: Los Angeles Rapid Response Network (LARRN)</li></ul>\n"
    "<h3>Southern CA</h3>\n"
    "<p><a href=\"tel:+12135550142\">(213) 555-0142</a></p>\n"
    "<ul><li>Hours Available: Mon. - Fri. 9AM-4PM PST</li>\n"
    "<li>Run By: Immigrant Defenders Law Center</li></ul>\n"
    "<div hidden><p>Old hotline: (800) 555-0100</p></div>\n"
    "<section lang=\"ko\"><h2>한국어 자료</h2>\n"
    "<p>이민 단속 신고: <a href=\"tel:+18886244752\">(888) 624-4752</a> "
    "(24시간)</p></section>\n"
    "<section lang=\"zh-Hans\"><h2>中文资源</h2>\n"
    "<p>了解您的权利。<a href=\"/files/kyr-zh.pdf\">下载红卡</a></p>"
    "</section>\n"
    "<div lang=\"fa\" dir=\"rtl\"><h2>منابع فارسی</h2>\n"
    "<p>کارت‌های قرمز به شما کمک می‌کنند از حقوق خود دفاع کنید.\n"
    "<a href=\"/files/red-card-fa.pdf\">کارت قرمز</a></p></div>\n"
    "</main>\n"
    "<footer><p>&copy; City of Los Angeles</p><a href=\"/privacy\">"
    "Privacy Policy</a></footer>\n"
    "<script>document.write(\"<p>tracking</p>\");</script>\n"
    "</body></html>\n";

static const char resources_text[] =
    "# Immigrant Resources\n"
    "Mayor Bass signed Executive Directive 12 </ed12> to support Los "
    "Angeles’ immigrant communities.\n"
    "## Rapid Response Tools: Red Cards and Hotlines\n"
    "Red Cards <https://www.lapl.org/redcards> - wallet-sized cards that "
    "help people assert their rights.\n"
    "- Available in: Español <https://www.lapl.org/redcards/es>, 한국어 "
    "<https://www.lapl.org/redcards/ko>, 中文（繁體） "
    "<https://www.lapl.org/redcards/zh-hant>\n"
    "- Format: Website\n"
    "### Los Angeles County\n"
    "(888) 624-4752 <tel:+18886244752>\n"
    "- Hours Available: 24/7\n"
    "- Run By: Los Angeles Rapid Response Network (LARRN)\n"
    "### Southern CA\n"
    "(213) 555-0142 <tel:+12135550142>\n"
    "- Hours Available: Mon. - Fri. 9AM-4PM PST\n"
    "- Run By: Immigrant Defenders Law Center\n"
    "## 한국어 자료\n"
    "이민 단속 신고: (888) 624-4752 <tel:+18886244752> (24시간)\n"
    "## 中文资源\n"
    "了解您的权利。下载红卡 </files/kyr-zh.pdf>\n"
    "## منابع فارسی\n"
    "کارت‌های قرمز به شما کمک می‌کنند از حقوق خود دفاع کنید. کارت قرمز "
    "</files/red-card-fa.pdf>\n";

/* Expected and actual text side by side, line by line; 0 when equal. */
static int
text_differs(const char *name, const char *input, const char *want,
    const char *got)
{
	struct buf	 b = BUF_INIT;
	const char	*w = want, *g = got, *we, *ge;
	size_t		 line;

	if (strcmp(want, got) == 0)
		return 0;
	buf_addf(&b, "row %s\n input: ", name);
	show(&b, input, strlen(input));
	buf_addstr(&b, "\n");
	for (line = 1; *w != '\0' || *g != '\0'; line++) {
		we = w + strcspn(w, "\n");
		ge = g + strcspn(g, "\n");
		if ((size_t)(we - w) != (size_t)(ge - g) ||
		    memcmp(w, g, (size_t)(we - w)) != 0 ||
		    (*we == '\0') != (*ge == '\0')) {
			buf_addf(&b, " line %zu expected: '", line);
			show(&b, w, (size_t)(we - w));
			buf_addf(&b, "'%s\n line %zu actual:   '",
			    *we == '\0' ? " (end)" : "", line);
			show(&b, g, (size_t)(ge - g));
			buf_addf(&b, "'%s\n", *ge == '\0' ? " (end)" : "");
		}
		w = *we != '\0' ? we + 1 : we;
		g = *ge != '\0' ? ge + 1 : ge;
	}
	print_long(b.ptr);
	buf_free(&b);
	return 1;
}

/* Pages and their readable text, exactly. */
static const struct {
	const char	*name;
	const char	*html;
	const char	*text;
} text_rows[] = {
	{ "resources_page", resources_page, resources_text },
	{ "empty", "", "" },
	{ "bare_text", "Red Cards - Tarjetas Rojas", "Red Cards - Tarjetas "
	    "Rojas\n" },
	{ "heading_levels", "<h1>A</h1><h2>B</h2><h3>C</h3><h4>D</h4>",
	    "# A\n## B\n### C\n#### D\n" },
	{ "white_space_collapsed",
	    "<p>\n  Hours\tAvailable:\r\n 24/7  </p>  <p> </p>",
	    "Hours Available: 24/7\n" },
	{ "br", "<p>Los Angeles County<br>(888) 624-4752<br/></p>",
	    "Los Angeles County\n(888) 624-4752\n" },
	{ "entities", "<p>A &amp; B &lt;C&gt; caf&eacute; &#x1F4DE;</p>",
	    "A & B <C> caf\xc3\xa9 \xf0\x9f\x93\x9e\n" },
	{ "link_targets",
	    "<p><a href=\"/a.pdf\">PDF</a> <a href=\"#top\">Top</a> "
	    "<a href=\"JavaScript:print()\">Print</a> <a href=\" /b \">B</a> "
	    "<a>Anchor</a> <a href=\"mailto:info@example.org\">Mail</a></p>",
	    "PDF </a.pdf> Top Print B </b> Anchor Mail "
	    "<mailto:info@example.org>\n" },
	{ "link_in_heading",
	    "<h3><a href=\"https://www.lapl.org/redcards\">Printable Red "
	    "Cards</a></h3>",
	    "### Printable Red Cards <https://www.lapl.org/redcards>\n" },
	{ "nested_lists",
	    "<ul><li>Source: LAPL<ul><li>Spanish</li><li>Korean</li></ul>"
	    "</li><li>Format: PDF</li></ul>",
	    "- Source: LAPL\n- Spanish\n- Korean\n- Format: PDF\n" },
	{ "ordered_and_definition",
	    "<ol><li>Stay calm</li></ol><dl><dt>Hours</dt><dd>24/7</dd></dl>",
	    "- Stay calm\nHours\n24/7\n" },
	{ "repeat_dropped",
	    "<h3>Statewide</h3><p>Statewide</p><p>Hours Available: 24/7</p>",
	    "### Statewide\nHours Available: 24/7\n" },
	{ "arabic",
	    "<p dir=\"rtl\" lang=\"ar\">اتصل على <a href=\"tel:+18886244752\">"
	    "(888) 624-4752</a> على مدار الساعة</p>",
	    "اتصل على (888) 624-4752 <tel:+18886244752> على مدار الساعة\n" },
	{ "korean_and_chinese",
	    "<h2 lang=\"ko\">긴급 연락처</h2>"
	    "<ul lang=\"zh-Hant\"><li>開放時間：24/7</li></ul>",
	    "## 긴급 연락처\n- 開放時間：24/7\n" },
	{ "table",
	    "<table><tr><th>Hotline</th><th>Hours</th></tr>"
	    "<tr><td><a href=\"tel:+18886244752\">(888) 624-4752</a></td>"
	    "<td>24/7</td></tr></table>",
	    "Hotline | Hours\n"
	    "(888) 624-4752 <tel:+18886244752> | 24/7\n" },
	{ "list_item_paragraphs",
	    "<ul><li><p>Hours Available: 24/7</p></li>"
	    "<li><p>Run By: CHIRLA Rapid Response Network</p></li></ul>",
	    "- Hours Available: 24/7\n"
	    "- Run By: CHIRLA Rapid Response Network\n" },
};

static void
html_text_reads_pages(void **state)
{
	struct buf	out = BUF_INIT;
	size_t		i;
	int		failed = 0, rc;

	for (i = 0; i < nitems(text_rows); i++) {
		buf_reset(&out);
		rc = html_text(text_rows[i].html, strlen(text_rows[i].html),
		    &out);
		if (rc != 0) {
			print_error("row %s: error %d: %s\n", text_rows[i].name,
			    rc, err_msg());
			failed++;
			continue;
		}
		failed += text_differs(text_rows[i].name, text_rows[i].html,
		    text_rows[i].text, buf_cstr(&out));
	}
	buf_free(&out);
	assert_int_equal(failed, 0);
}

/* What is never read: each row sits between two paragraphs. */
static const struct {
	const char	*name;
	const char	*html;
} skip_rows[] = {
	{ "script", "<script>var s = \"<p>secret</p>\";</script>" },
	{ "module_script", "<script type=module>import '/secret.js'</script>" },
	{ "style", "<style>p::after { content: \"secret\" }</style>" },
	{ "noscript", "<noscript><p>secret</p></noscript>" },
	{ "nav", "<nav><ul><li><a href=/secret>secret</a></li></ul></nav>" },
	{ "header", "<header><a href=/>secret</a> banner</header>" },
	{ "footer", "<footer><p>secret &copy; 2025</p></footer>" },
	{ "hidden", "<div hidden><p>secret</p></div>" },
	{ "hidden_inline", "<p><span hidden>secret</span></p>" },
	{ "aria_hidden", "<p aria-hidden=\"true\">secret</p>" },
	{ "aria_hidden_case", "<div aria-hidden=\" TRUE \">secret</div>" },
	{ "role_navigation", "<div role=\"navigation\">secret</div>" },
	{ "role_banner", "<div role=\"banner\">secret</div>" },
	{ "role_contentinfo", "<div role=\"contentinfo\">secret</div>" },
	{ "svg", "<svg><title>secret</title><text>secret</text></svg>" },
	{ "iframe", "<iframe src=\"/x\">secret</iframe>" },
	{ "form_controls",
	    "<select><option>secret</option></select><button>secret</button>" },
	{ "template", "<template><p>secret</p></template>" },
};

static void
html_text_skips_hidden(void **state)
{
	struct buf	out = BUF_INIT, in = BUF_INIT;
	size_t		i;
	int		failed = 0;

	for (i = 0; i < nitems(skip_rows); i++) {
		buf_reset(&in);
		buf_addf(&in, "<html><head><title>secret</title></head><body>"
		    "<p>before</p>%s<p>after</p>", skip_rows[i].html);
		buf_reset(&out);
		assert_int_equal(html_text(in.ptr, in.len, &out), 0);
		failed += text_differs(skip_rows[i].name, in.ptr,
		    "before\nafter\n", buf_cstr(&out));
	}
	buf_free(&in);
	buf_free(&out);
	assert_int_equal(failed, 0);
}

/*
 * A one-word edit of the resources page (both places where a number is
 * written, when it is) changes exactly one line of its text, to line.
 */
static const struct {
	const char	*name;
	const char	*from[2];
	const char	*to[2];
	const char	*line;
} change_rows[] = {
	{ "hotline_number", { "2135550142", "555-0142" },
	    { "2135550143", "555-0143" },
	    "(213) 555-0143 <tel:+12135550143>" },
	{ "hours", { "9AM-4PM" }, { "9AM-5PM" },
	    "- Hours Available: Mon. - Fri. 9AM-5PM PST" },
	{ "run_by", { "Defenders Law" }, { "Defenders Legal" },
	    "- Run By: Immigrant Defenders Legal Center" },
	{ "korean_hours", { "24시간" }, { "평일" },
	    "이민 단속 신고: (888) 624-4752 <tel:+18886244752> (평일)" },
	{ "chinese_link", { "kyr-zh.pdf" }, { "kyr-zh-2025.pdf" },
	    "了解您的权利。下载红卡 </files/kyr-zh-2025.pdf>" },
	{ "farsi_heading", { "منابع فارسی" }, { "منابع" }, "## منابع" },
	{ "red_card_url", { "redcards/ko" }, { "redcards/kr" },
	    "- Available in: Español <https://www.lapl.org/redcards/es>, "
	    "한국어 <https://www.lapl.org/redcards/kr>, 中文（繁體） "
	    "<https://www.lapl.org/redcards/zh-hant>" },
};

/* s with every from replaced by to; from must occur. */
static void
replace_all(struct buf *out, const char *s, const char *from, const char *to)
{
	const char	*hit;
	int		 found = 0;

	buf_reset(out);
	buf_addstr(out, "");
	while ((hit = strstr(s, from)) != NULL) {
		buf_add(out, s, (size_t)(hit - s));
		buf_addstr(out, to);
		s = hit + strlen(from);
		found = 1;
	}
	buf_addstr(out, s);
	assert_true(found);
}

/* The lines of s, NULL-terminated, in *store (freed by the caller). */
static char **
split_lines(const char *s, char **store)
{
	char	**lines, *p;
	size_t	  n = 0, cap = 8;

	*store = xstrdup(s);
	lines = xreallocarray(NULL, cap, sizeof *lines);
	for (p = *store; *p != '\0'; n++) {
		if (n + 1 >= cap) {
			cap *= 2;
			lines = xreallocarray(lines, cap, sizeof *lines);
		}
		lines[n] = p;
		p += strcspn(p, "\n");
		if (*p == '\n')
			*p++ = '\0';
	}
	lines[n] = NULL;
	return lines;
}

static void
html_text_one_change_one_line(void **state)
{
	struct buf	 page = BUF_INIT, tmp = BUF_INIT;
	struct buf	 before = BUF_INIT, after = BUF_INIT;
	char		**a, **b, *sa, *sb;
	size_t		  i, k, changed, at;
	int		  failed = 0;

	assert_int_equal(html_text(resources_page, strlen(resources_page),
	    &before), 0);
	for (i = 0; i < nitems(change_rows); i++) {
		buf_reset(&page);
		buf_addstr(&page, resources_page);
		for (k = 0; k < 2 && change_rows[i].from[k] != NULL; k++) {
			replace_all(&tmp, page.ptr, change_rows[i].from[k],
			    change_rows[i].to[k]);
			buf_reset(&page);
			buf_addstr(&page, tmp.ptr);
		}
		buf_reset(&after);
		assert_int_equal(html_text(page.ptr, page.len, &after), 0);
		a = split_lines(buf_cstr(&before), &sa);
		b = split_lines(buf_cstr(&after), &sb);
		for (k = changed = at = 0; a[k] != NULL && b[k] != NULL; k++)
			if (strcmp(a[k], b[k]) != 0) {
				changed++;
				at = k;
			}
		if (a[k] != NULL || b[k] != NULL || changed != 1 ||
		    strcmp(b[at], change_rows[i].line) != 0) {
			print_error("row %s: expected one line changed to "
			    "'%s'\n", change_rows[i].name, change_rows[i].line);
			failed += text_differs(change_rows[i].name,
			    "(resources page, edited)", buf_cstr(&before),
			    buf_cstr(&after));
		}
		free(a);
		free(b);
		free(sa);
		free(sb);
	}
	buf_free(&page);
	buf_free(&tmp);
	buf_free(&before);
	buf_free(&after);
	assert_int_equal(failed, 0);
}

/* Text is appended to what out holds, and out's cap bounds it. */
static void
html_text_appends_within_cap(void **state)
{
	struct buf	out;
	size_t		len = strlen(resources_page);

	buf_init(&out, 0);
	buf_addstr(&out, "kept\n");
	assert_int_equal(html_text(resources_page, len, &out), 0);
	assert_true(strncmp(buf_cstr(&out), "kept\n", 5) == 0);
	assert_string_equal(buf_cstr(&out) + 5, resources_text);
	buf_free(&out);

	buf_init(&out, 100);
	buf_addstr(&out, "kept\n");
	assert_int_equal(html_text(resources_page, len, &out), FERRY_ETOOBIG);
	assert_true(out.len <= 100);
	assert_true(strncmp(buf_cstr(&out), "kept\n", 5) == 0);
	buf_free(&out);

	buf_init(&out, 0);
	assert_int_equal(html_text(NULL, 0, &out), 0);
	assert_string_equal(buf_cstr(&out), "");
	buf_free(&out);
}

static void
html_doc_free_accepts_null(void **state)
{
	html_doc_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(html_parse_finds_links),
		cmocka_unit_test(html_parse_reads_title_and_lang),
		cmocka_unit_test(html_parse_reads_context),
		cmocka_unit_test(html_parse_reads_headings),
		cmocka_unit_test(html_parse_reads_desc),
		cmocka_unit_test(html_parse_caps_desc),
		cmocka_unit_test(html_parse_survives_deep_nesting),
		cmocka_unit_test(html_css_parse_finds_urls),
		cmocka_unit_test(html_rewrite_keeps_bytes),
		cmocka_unit_test(html_rewrite_replaces_links),
		cmocka_unit_test(html_rewrite_escapes_per_span),
		cmocka_unit_test(html_rewrite_rejects_bad_spans),
		cmocka_unit_test(html_sniff_tells_html),
		cmocka_unit_test(html_text_reads_pages),
		cmocka_unit_test(html_text_skips_hidden),
		cmocka_unit_test(html_text_one_change_one_line),
		cmocka_unit_test(html_text_appends_within_cap),
		cmocka_unit_test(html_doc_free_accepts_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
