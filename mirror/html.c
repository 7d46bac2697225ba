/*
 * html.c -- links, titles and sections of HTML pages and CSS files.
 *
 * Owns reading a page with gumbo: its title and language, every link with
 * the exact byte span it takes in the original bytes, and the text,
 * section and language around each link; rewriting a page by splicing new
 * values into those spans, so every other byte stays as the site wrote
 * it; finding url() and @import in style sheets, <style> and style="";
 * telling an HTML page from other bytes.  A page in another encoding is
 * read through its UTF-8 conversion (charset.c), whose offsets map back
 * to the original bytes.  It does not resolve, judge or map URLs (url.c,
 * pathmap.c decide what a link means) and does no I/O.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <gumbo.h>

#include "ascii.h"
#include "buf.h"
#include "charset.h"
#include "err.h"
#include "html.h"
#include "xmalloc.h"

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

#define HTML_TEXT_MAX	2048	/* bytes kept of a title, heading, link text */
#define HTML_SNIFF_MAX	1024	/* bytes html_sniff looks at */

/*
 * A link found while walking, with the order it was found in, so sorting
 * by offset keeps the first of two links gumbo reports at one place.
 */
struct item {
	struct html_link	 link;
	size_t			 seq;
};

/* The state of one parse: the input, the links so far, the last heading. */
struct parse {
	const char		*data;
	size_t			 len;
	const uint32_t		*map;		/* data was converted to UTF-8:
						   map[i] is the offset in the
						   original of data[i] */
	struct item		*items;
	size_t			 nfound;
	size_t			 cap;
	char			*title;
	char			*section;
	char			*heading;
	int			 section_level;	/* 1-6, 0: no headings */
	int			 base_seen;
};

/*
 * Where a piece of CSS sits in the document: offsets found in the scanned
 * text go through map (when the text was entity-decoded, map[i] is the
 * offset in the raw bytes of decoded byte i) and then get base added.
 */
struct css_ctx {
	struct parse		*p;
	size_t			 base;
	const size_t		*map;
	enum html_span		 span;
	const char		*lang;
};

/* Collapsed text under construction: runs of white space become one. */
struct text {
	struct buf		 b;
	int			 space;
	int			 full;
};

/* One level of the document walk and the language in effect inside it. */
struct frame {
	GumboNode		*node;
	const char		*lang;
};

static int	is_block(GumboNode *);

enum rule_how {
	RULE_PLAIN,		/* the attribute value is the URL */
	RULE_SRCSET,		/* a list of image candidates */
	RULE_LINK,		/* <link href>: its rel decides the kind */
	RULE_INPUT,		/* only for <input type=image> */
	RULE_REFRESH,		/* <meta http-equiv=refresh content> */
	RULE_BASE		/* <base href>, the first one only */
};

#define NS_ANY	-1

/* Which attribute of which element holds a link. */
static const struct rule {
	const char		*tag;
	const char		*attr;
	int			 ns;
	enum html_link_kind	 kind;
	enum rule_how		 how;
} rules[] = {
	{ "a", "href", NS_ANY, HTML_LINK_NAV, RULE_PLAIN },
	{ "area", "href", GUMBO_NAMESPACE_HTML, HTML_LINK_NAV, RULE_PLAIN },
	{ "iframe", "src", GUMBO_NAMESPACE_HTML, HTML_LINK_NAV, RULE_PLAIN },
	{ "frame", "src", GUMBO_NAMESPACE_HTML, HTML_LINK_NAV, RULE_PLAIN },
	{ "meta", "content", GUMBO_NAMESPACE_HTML, HTML_LINK_NAV,
	    RULE_REFRESH },
	{ "img", "src", GUMBO_NAMESPACE_HTML, HTML_LINK_REQUISITE, RULE_PLAIN },
	{ "img", "srcset", GUMBO_NAMESPACE_HTML, HTML_LINK_REQUISITE,
	    RULE_SRCSET },
	{ "source", "src", GUMBO_NAMESPACE_HTML, HTML_LINK_REQUISITE,
	    RULE_PLAIN },
	{ "source", "srcset", GUMBO_NAMESPACE_HTML, HTML_LINK_REQUISITE,
	    RULE_SRCSET },
	{ "script", "src", GUMBO_NAMESPACE_HTML, HTML_LINK_REQUISITE,
	    RULE_PLAIN },
	{ "link", "href", GUMBO_NAMESPACE_HTML, HTML_LINK_NAV, RULE_LINK },
	{ "video", "src", GUMBO_NAMESPACE_HTML, HTML_LINK_REQUISITE,
	    RULE_PLAIN },
	{ "video", "poster", GUMBO_NAMESPACE_HTML, HTML_LINK_REQUISITE,
	    RULE_PLAIN },
	{ "audio", "src", GUMBO_NAMESPACE_HTML, HTML_LINK_REQUISITE,
	    RULE_PLAIN },
	{ "track", "src", GUMBO_NAMESPACE_HTML, HTML_LINK_REQUISITE,
	    RULE_PLAIN },
	{ "embed", "src", GUMBO_NAMESPACE_HTML, HTML_LINK_REQUISITE,
	    RULE_PLAIN },
	{ "object", "data", GUMBO_NAMESPACE_HTML, HTML_LINK_REQUISITE,
	    RULE_PLAIN },
	{ "input", "src", GUMBO_NAMESPACE_HTML, HTML_LINK_REQUISITE,
	    RULE_INPUT },
	{ "image", "href", GUMBO_NAMESPACE_SVG, HTML_LINK_REQUISITE,
	    RULE_PLAIN },
	{ "use", "href", GUMBO_NAMESPACE_SVG, HTML_LINK_REQUISITE, RULE_PLAIN },
	{ "base", "href", GUMBO_NAMESPACE_HTML, HTML_LINK_BASE, RULE_BASE },
};

/* rel values that make a <link> something the page needs to display. */
static const char *const requisite_rels[] = {
	"stylesheet", "icon", "apple-touch-icon",
	"apple-touch-icon-precomposed", "mask-icon", "preload",
	"modulepreload", "manifest", "image_src"
};

/* Character references: the few that appear in URLs, and the legacy
   ones a browser still decodes without their semicolon. */
static const struct entity {
	const char		*name;
	const char		*utf8;
	int			 legacy;
} entities[] = {
	{ "amp", "&", 1 }, { "AMP", "&", 1 }, { "lt", "<", 1 },
	{ "LT", "<", 1 }, { "gt", ">", 1 }, { "GT", ">", 1 },
	{ "quot", "\"", 1 }, { "QUOT", "\"", 1 }, { "nbsp", "\xc2\xa0", 1 },
	{ "apos", "'", 0 }, { "comma", ",", 0 }, { "colon", ":", 0 },
	{ "sol", "/", 0 }, { "lpar", "(", 0 }, { "rpar", ")", 0 },
	{ "equals", "=", 0 }, { "quest", "?", 0 }, { "num", "#", 0 },
	{ "percnt", "%", 0 }, { "period", ".", 0 }, { "semi", ";", 0 },
	{ "lowbar", "_", 0 }, { "plus", "+", 0 }, { "excl", "!", 0 },
	{ "commat", "@", 0 }, { "dollar", "$", 0 }, { "ast", "*", 0 },
	{ "Tab", "\t", 0 }, { "NewLine", "\n", 0 },
};

/* What &#128; to &#159; mean, as browsers read them (windows-1252). */
static const unsigned int cp1252[32] = {
	0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
	0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178
};

/* Whether s[0..n) starts with the lower-case word p, in any case. */
static int
prefix_ci(const char *s, size_t n, const char *p)
{
	size_t	i;

	for (i = 0; p[i] != '\0'; i++)
		if (i >= n || ascii_tolower((unsigned char)s[i]) != p[i])
			return 0;
	return 1;
}

static int
equal_ci(const char *s, const char *p)
{
	size_t	n;

	while (ascii_isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && ascii_isspace((unsigned char)s[n - 1]))
		n--;
	return n == strlen(p) && prefix_ci(s, n, p);
}

/* The first index from i on in s[0..n) that is not white space. */
static size_t
skip_space(const char *s, size_t n, size_t i)
{
	while (i < n && ascii_isspace((unsigned char)s[i]))
		i++;
	return i;
}

/* A copy of s[0..n) without the ASCII white space around it. */
static char *
trim_dup(const char *s, size_t n)
{
	while (n > 0 && ascii_isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && ascii_isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

static size_t
utf8_put(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static unsigned long
codepoint_fix(unsigned long cp)
{
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0xfffd;
	return cp;
}

/*
 * The character reference at s[0] == '&', as read inside an attribute
 * value: the number of bytes it takes, or 0 when it is not one.  The
 * decoded UTF-8 goes to *rep (which may point into tmp).  Never longer
 * than the reference itself.
 */
static size_t
entity_ref(const char *s, size_t n, char *tmp, const char **rep,
    size_t *replen)
{
	const struct entity	*ent;
	unsigned long		 cp = 0;
	size_t			 i = 1, start;
	int			 hex = 0, d;

	if (n > 1 && s[1] == '#') {
		i = 2;
		if (i < n && (s[i] == 'x' || s[i] == 'X')) {
			hex = 1;
			i++;
		}
		for (start = i; i < n; i++) {
			d = hex ? ascii_hexval((unsigned char)s[i]) :
			    (ascii_isdigit((unsigned char)s[i]) ? s[i] - '0' : -1);
			if (d < 0)
				break;
			if (cp <= 0x10ffff)
				cp = cp * (hex ? 16 : 10) + (unsigned long)d;
		}
		if (i == start)
			return 0;
		if (i < n && s[i] == ';')
			i++;
		cp = codepoint_fix(cp);
		if (cp >= 0x80 && cp <= 0x9f)
			cp = cp1252[cp - 0x80];
		*replen = utf8_put(tmp, cp);
		*rep = tmp;
		return i;
	}
	while (i < n && (ascii_isalpha((unsigned char)s[i]) ||
	    ascii_isdigit((unsigned char)s[i])))
		i++;
	for (ent = entities; ent < entities + nitems(entities); ent++) {
		if (strlen(ent->name) != i - 1 ||
		    memcmp(ent->name, s + 1, i - 1) != 0)
			continue;
		*rep = ent->utf8;
		*replen = strlen(ent->utf8);
		if (i < n && s[i] == ';')
			return i + 1;
		if (ent->legacy && (i == n || s[i] != '='))
			return i;
		return 0;
	}
	return 0;
}

/*
 * s[0..n) with its character references decoded, as *lenp bytes; (*mapp)[i]
 * is the offset in s where decoded byte i comes from, (*mapp)[*lenp] == n.
 */
static char *
entity_decode(const char *s, size_t n, size_t **mapp, size_t *lenp)
{
	char		*d, tmp[4];
	const char	*rep;
	size_t		*map, i = 0, o = 0, k, used, replen;

	d = xmalloc(n + 1);
	map = xreallocarray(NULL, n + 1, sizeof *map);
	while (i < n) {
		if (s[i] == '&' &&
		    (used = entity_ref(s + i, n - i, tmp, &rep, &replen)) > 0) {
			for (k = 0; k < replen && o < n; k++) {
				map[o] = i;
				d[o++] = rep[k];
			}
			i += used;
		} else {
			map[o] = i;
			d[o++] = s[i++];
		}
	}
	map[o] = n;
	d[o] = '\0';
	*mapp = map;
	*lenp = o;
	return d;
}

static void
text_init(struct text *t)
{
	buf_init(&t->b, 0);
	t->space = t->full = 0;
}

/* Add s, collapsing white space; past HTML_TEXT_MAX, only finish a
   UTF-8 sequence and stop. */
static void
text_add(struct text *t, const char *s)
{
	unsigned char	c;

	for (; *s != '\0' && !t->full; s++) {
		c = (unsigned char)*s;
		if (ascii_isspace(c)) {
			t->space = 1;
			continue;
		}
		if (t->b.len >= HTML_TEXT_MAX && (c & 0xc0) != 0x80) {
			t->full = 1;
			break;
		}
		if (t->space && t->b.len > 0)
			(void)buf_addc(&t->b, ' ');
		t->space = 0;
		(void)buf_addc(&t->b, (char)c);
	}
}

static char *
text_end(struct text *t)
{
	return buf_detach(&t->b);
}

static GumboVector *
node_children(GumboNode *n)
{
	switch (n->type) {
	case GUMBO_NODE_DOCUMENT:
		return &n->v.document.children;
	case GUMBO_NODE_ELEMENT:
	case GUMBO_NODE_TEMPLATE:
		return &n->v.element.children;
	default:
		return NULL;
	}
}

/* The node after n in document order inside top, n's children skipped
   unless descend; NULL at the end. */
static GumboNode *
node_next(GumboNode *n, GumboNode *top, int descend)
{
	GumboVector	*v;

	if (descend && (v = node_children(n)) != NULL && v->length > 0)
		return v->data[0];
	while (n != top && n->parent != NULL) {
		v = node_children(n->parent);
		if (v != NULL && n->index_within_parent + 1 < v->length)
			return v->data[n->index_within_parent + 1];
		n = n->parent;
	}
	return NULL;
}

static GumboAttribute *
node_attr(GumboNode *n, const char *name)
{
	if (n == NULL || n->type != GUMBO_NODE_ELEMENT)
		return NULL;
	return gumbo_get_attribute(&n->v.element.attributes, name);
}

/* The element's tag name in lower case, also for tags gumbo does not know
   (SVG <use>); "" when it does not fit. */
static void
node_name(GumboElement *e, char *name, size_t size)
{
	GumboStringPiece	 piece;
	const char		*s;
	size_t			 n, i;

	if (e->tag != GUMBO_TAG_UNKNOWN) {
		s = gumbo_normalized_tagname(e->tag);
		n = strlen(s);
	} else {
		piece = e->original_tag;
		gumbo_tag_from_original_text(&piece);
		s = piece.data;
		n = piece.length;
	}
	if (s == NULL || n >= size)
		n = 0;
	for (i = 0; i < n; i++)
		name[i] = (char)ascii_tolower((unsigned char)s[i]);
	name[n] = '\0';
}

/*
 * The visible text under top, collapsed; *img (when not NULL) gets the
 * first <img> inside.  Script, style and template text is not visible.
 */
static void
node_text_into(GumboNode *top, struct text *t, GumboNode **img)
{
	GumboNode	*n = top;
	GumboTag	 tag;
	int		 descend;

	while (n != NULL) {
		descend = 0;
		switch (n->type) {
		case GUMBO_NODE_TEXT:
		case GUMBO_NODE_WHITESPACE:
		case GUMBO_NODE_CDATA:
			text_add(t, n->v.text.text);
			break;
		case GUMBO_NODE_ELEMENT:
			tag = n->v.element.tag;
			if (img != NULL && *img == NULL && tag == GUMBO_TAG_IMG)
				*img = n;
			descend = tag != GUMBO_TAG_SCRIPT &&
			    tag != GUMBO_TAG_STYLE;
			if (n != top && is_block(n))
				t->space = 1;	/* blocks never run together */
			break;
		default:
			break;
		}
		if (t->full && (img == NULL || *img != NULL))
			break;
		n = node_next(n, top, descend);
	}
}

static char *
node_text(GumboNode *n)
{
	struct text	t;

	text_init(&t);
	node_text_into(n, &t, NULL);
	return text_end(&t);
}

/* What a link reads as: a/area their text (or an image's alt, or their
   title), an image its alt. */
static char *
link_text(GumboNode *n)
{
	GumboAttribute	*a;
	GumboNode	*img = NULL;
	struct text	 t;

	text_init(&t);
	if (n == NULL || n->type != GUMBO_NODE_ELEMENT)
		return text_end(&t);
	switch (n->v.element.tag) {
	case GUMBO_TAG_A:
	case GUMBO_TAG_AREA:
		node_text_into(n, &t, &img);
		if (t.b.len == 0 && n->v.element.tag == GUMBO_TAG_AREA &&
		    (a = node_attr(n, "alt")) != NULL)
			text_add(&t, a->value);
		if (t.b.len == 0 && (a = node_attr(img, "alt")) != NULL)
			text_add(&t, a->value);
		if (t.b.len == 0 && (a = node_attr(n, "title")) != NULL)
			text_add(&t, a->value);
		break;
	case GUMBO_TAG_IMG:
		if ((a = node_attr(n, "alt")) != NULL)
			text_add(&t, a->value);
		break;
	default:
		break;
	}
	return text_end(&t);
}

static int
heading_level(GumboTag tag)
{
	switch (tag) {
	case GUMBO_TAG_H1: return 1;
	case GUMBO_TAG_H2: return 2;
	case GUMBO_TAG_H3: return 3;
	case GUMBO_TAG_H4: return 4;
	case GUMBO_TAG_H5: return 5;
	case GUMBO_TAG_H6: return 6;
	default: return 0;
	}
}

static int
node_heading_level(GumboNode *n)
{
	if (n == NULL || n->type != GUMBO_NODE_ELEMENT ||
	    n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML)
		return 0;
	return heading_level(n->v.element.tag);
}

/* The highest-ranked heading level used more than once, else the
   highest used; 0 for a page without headings. */
static int
section_level(GumboNode *root)
{
	GumboNode	*n;
	int		 count[7] = { 0 }, i;

	for (n = root; n != NULL; n = node_next(n, root, 1))
		count[node_heading_level(n)]++;
	for (i = 1; i <= 6; i++)
		if (count[i] >= 2)
			return i;
	for (i = 1; i <= 6; i++)
		if (count[i] > 0)
			return i;
	return 0;
}

/* Elements that start a line of text. */
static int
is_block(GumboNode *n)
{
	if (n->type != GUMBO_NODE_ELEMENT)
		return 0;
	switch (n->v.element.tag) {
	case GUMBO_TAG_P: case GUMBO_TAG_LI: case GUMBO_TAG_TD:
	case GUMBO_TAG_TH: case GUMBO_TAG_DD: case GUMBO_TAG_DT:
	case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
	case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
	case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
	case GUMBO_TAG_FIGURE: case GUMBO_TAG_FIGCAPTION:
	case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_UL: case GUMBO_TAG_OL:
	case GUMBO_TAG_DL: case GUMBO_TAG_TABLE: case GUMBO_TAG_TR:
	case GUMBO_TAG_MAIN: case GUMBO_TAG_BODY: case GUMBO_TAG_HEADER:
	case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE: case GUMBO_TAG_NAV:
	case GUMBO_TAG_ADDRESS: case GUMBO_TAG_PRE: case GUMBO_TAG_FORM:
	case GUMBO_TAG_FIELDSET: case GUMBO_TAG_DETAILS:
	case GUMBO_TAG_SUMMARY: case GUMBO_TAG_CAPTION: case GUMBO_TAG_HR:
	case GUMBO_TAG_BR:
		return 1;
	default:
		return 0;
	}
}

/* A block whose own text may describe a link inside it. */
static int
is_text_block(GumboTag tag)
{
	switch (tag) {
	case GUMBO_TAG_P: case GUMBO_TAG_LI: case GUMBO_TAG_TD:
	case GUMBO_TAG_TH: case GUMBO_TAG_DD: case GUMBO_TAG_DT:
	case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_BLOCKQUOTE:
	case GUMBO_TAG_CAPTION:
		return 1;
	default:
		return 0;
	}
}

static int
holds_heading(GumboNode *top)
{
	GumboNode	*n;

	for (n = top; n != NULL; n = node_next(n, top, 1))
		if (node_heading_level(n) > 0)
			return 1;
	return 0;
}

/* A block, not a list, with a link in it: another resource's entry. */
static int
holds_own_link(GumboNode *top)
{
	GumboNode	*n;

	if (top->type != GUMBO_NODE_ELEMENT ||
	    top->v.element.tag == GUMBO_TAG_UL ||
	    top->v.element.tag == GUMBO_TAG_OL ||
	    top->v.element.tag == GUMBO_TAG_DL)
		return 0;
	for (n = top; n != NULL; n = node_next(n, top, 1))
		if (n->type == GUMBO_NODE_ELEMENT &&
		    n->v.element.tag == GUMBO_TAG_A &&
		    node_attr(n, "href") != NULL)
			return 1;
	return 0;
}

/* Add one line to a description, within HTML_DESC_MAX bytes; once a
   line had to be cut, nothing more is added. */
static void
desc_line(struct buf *b, const char *line)
{
	size_t	n = strlen(line), room;

	if (n == 0 || b->len + 1 >= HTML_DESC_MAX ||
	    (b->max != 0 && b->max == b->len))
		return;
	if (b->len > 0)
		(void)buf_addc(b, '\n');
	room = HTML_DESC_MAX - b->len;
	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)line[n] & 0xc0) == 0x80)
			n--;
		(void)buf_add(b, line, n);
		b->max = b->len;	/* full */
		return;
	}
	(void)buf_add(b, line, n);
}

/* A list gives a line per item; any other block one line. */
static void
desc_block(struct buf *b, GumboNode *n)
{
	GumboVector	*v;
	char		*t;
	size_t		 i;

	v = node_children(n);
	if (n->type == GUMBO_NODE_ELEMENT && v != NULL &&
	    (n->v.element.tag == GUMBO_TAG_UL ||
	    n->v.element.tag == GUMBO_TAG_OL ||
	    n->v.element.tag == GUMBO_TAG_DL)) {
		for (i = 0; i < v->length; i++) {
			t = node_text(v->data[i]);
			desc_line(b, t);
			free(t);
		}
		return;
	}
	t = node_text(n);
	desc_line(b, t);
	free(t);
}

/* The visible text under top, except what is under skip and under any
   other link (the text of a block that lists several links describes
   none of them). */
static char *
node_text_except(GumboNode *top, GumboNode *skip)
{
	GumboNode	*n = top;
	struct text	 t;
	int		 descend;

	text_init(&t);
	while (n != NULL && !t.full) {
		descend = n != skip && !(n->type == GUMBO_NODE_ELEMENT &&
		    n->v.element.tag == GUMBO_TAG_A &&
		    node_attr(n, "href") != NULL);
		if (!descend)
			;
		else if (n->type == GUMBO_NODE_TEXT ||
		    n->type == GUMBO_NODE_WHITESPACE ||
		    n->type == GUMBO_NODE_CDATA)
			text_add(&t, n->v.text.text);
		else if (n->type == GUMBO_NODE_ELEMENT)
			descend = n->v.element.tag != GUMBO_TAG_SCRIPT &&
			    n->v.element.tag != GUMBO_TAG_STYLE;
		n = node_next(n, top, descend);
	}
	return text_end(&t);
}

static size_t
count_char(const char *s, size_t n, char c)
{
	size_t	i, k = 0;

	for (i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

/* The index of the parenthesis closing the one at s[0], or 0. */
static size_t
closing_paren(const char *s, size_t n)
{
	size_t	i, depth = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return i;
	}
	return 0;
}

/* "a () b" -> "a b": what is left of "(link)" once the link went. */
static char *
drop_empty_parens(char *s)
{
	char	*p;

	while ((p = strstr(s, "()")) != NULL) {
		size_t k = 2;

		if (p > s && p[-1] == ' ') {
			p--;
			k++;
		}
		memmove(p, p + k, strlen(p + k) + 1);
	}
	return s;
}

/* s trimmed of the punctuation left around a link taken out of it; a
   parenthesis goes only when its partner went too. */
static char *
trim_separators(const char *s)
{
	static const char *const seps[] = {
		" ", "-", ":", "|", ",", ";", ".", "\xe2\x80\x93",
		"\xe2\x80\x94"
	};
	size_t	i, start = 0, end = strlen(s);
	int	again = 1;

	while (again) {
		again = 0;
		for (i = 0; i < nitems(seps); i++) {
			size_t k = strlen(seps[i]);

			if (end - start >= k &&
			    memcmp(s + start, seps[i], k) == 0) {
				start += k;
				again = 1;
			}
			if (end - start >= k &&
			    memcmp(s + end - k, seps[i], k) == 0) {
				end -= k;
				again = 1;
			}
		}
		if (end > start && (s[end - 1] == '(' || (s[end - 1] == ')' &&
		    count_char(s + start, end - start, ')') >
		    count_char(s + start, end - start, '(')))) {
			end--;
			again = 1;
		}
		if (end > start && (s[start] == ')' || (s[start] == '(' &&
		    count_char(s + start, end - start, '(') >
		    count_char(s + start, end - start, ')')))) {
			start++;
			again = 1;
		}
		if (end - start >= 2 && s[start] == '(' &&
		    closing_paren(s + start, end - start) == end - start - 1) {
			start++;	/* "(PDF, 1 page)" */
			end--;
			again = 1;
		}
	}
	return drop_empty_parens(xstrndup(s + start, end - start));
}

/*
 * The text that describes link a: the rest of its paragraph or list item
 * when that says something, else (for a link that is a heading or a
 * paragraph of its own) the blocks after it up to the next heading.
 */
static char *
link_desc(GumboNode *a)
{
	GumboNode	*c, *sib;
	GumboVector	*v;
	struct buf	 b = BUF_INIT;
	char		*own, *rest;
	size_t		 i;

	buf_init(&b, 0);
	if (a == NULL || a->type != GUMBO_NODE_ELEMENT ||
	    (a->v.element.tag != GUMBO_TAG_A &&
	    a->v.element.tag != GUMBO_TAG_AREA))
		return xstrdup("");
	for (c = a->parent; c != NULL && c->type == GUMBO_NODE_ELEMENT &&
	    !is_block(c); c = c->parent)
		;
	if (c == NULL || c->type != GUMBO_NODE_ELEMENT)
		return xstrdup("");
	if (is_text_block(c->v.element.tag)) {
		own = node_text_except(c, a);
		rest = trim_separators(own);
		free(own);
		if (strlen(rest) >= 12 || c->v.element.tag != GUMBO_TAG_P) {
			desc_line(&b, rest);
			free(rest);
			return buf_detach(&b);
		}
		free(rest);
	} else if (node_heading_level(c) == 0)
		return xstrdup("");
	v = node_children(c->parent);
	for (i = c->index_within_parent + 1; v != NULL && i < v->length &&
	    b.len + 1 < HTML_DESC_MAX; i++) {
		sib = v->data[i];
		if (holds_heading(sib) || holds_own_link(sib))
			break;
		if (sib->type == GUMBO_NODE_ELEMENT || sib->type ==
		    GUMBO_NODE_TEXT)
			desc_block(&b, sib);
	}
	return buf_detach(&b);
}

static char *
attr_dup(GumboNode *n, const char *name)
{
	GumboAttribute	*a;

	if ((a = node_attr(n, name)) == NULL)
		return xstrdup("");
	return trim_dup(a->value, strlen(a->value));
}

/*
 * Record a link: url[0..ulen) as found, [start, end) in the document.  n
 * is the element it belongs to (NULL for CSS), lang the language in
 * effect there.  data: URLs carry their content and are left alone.
 */
static void
add_link(struct parse *p, const char *url, size_t ulen, size_t start,
    size_t end, enum html_link_kind kind, enum html_span span, GumboNode *n,
    const char *lang)
{
	struct html_link	*l;
	char			*hreflang;

	while (ulen > 0 && ascii_isspace((unsigned char)*url)) {
		url++;
		ulen--;
	}
	if (prefix_ci(url, ulen, "data:"))
		return;
	if (p->nfound == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->items = xreallocarray(p->items, p->cap, sizeof *p->items);
	}
	p->items[p->nfound].seq = p->nfound;
	l = &p->items[p->nfound++].link;
	l->url = trim_dup(url, ulen);
	l->start = p->map != NULL ? p->map[start] : start;
	l->end = p->map != NULL ? p->map[end] : end;
	l->kind = kind;
	l->span = span;
	l->text = link_text(n);
	l->section = xstrdup(p->section != NULL ? p->section : "");
	l->heading = xstrdup(p->heading != NULL ? p->heading : "");
	l->type = n != NULL ? attr_dup(n, "type") : xstrdup("");
	l->desc = link_desc(n);
	hreflang = n != NULL ? attr_dup(n, "hreflang") : xstrdup("");
	if (*hreflang == '\0' && n != NULL) {
		free(hreflang);
		hreflang = attr_dup(n, "lang");
	}
	l->own_lang = hreflang;
	if (*hreflang != '\0')
		l->lang = xstrdup(hreflang);
	else
		l->lang = lang != NULL ? trim_dup(lang, strlen(lang)) :
		    xstrdup("");
}

/* Skip white space and comments from s[i]. */
static size_t
css_skip(const char *s, size_t n, size_t i)
{
	while (i < n) {
		if (ascii_isspace((unsigned char)s[i]))
			i++;
		else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
			for (i += 2; i < n; i++)
				if (s[i] == '*' && i + 1 < n && s[i + 1] == '/')
					break;
			i = i < n ? i + 2 : n;
		} else
			break;
	}
	return i;
}

static int
css_newline(int c)
{
	return c == '\n' || c == '\r' || c == '\f';
}

/* A name character: what may come before "url(" in a longer name. */
static int
css_namechar(int c)
{
	return ascii_isalpha(c) || ascii_isdigit(c) || c == '-' || c == '_' ||
	    c >= 0x80;
}

/* The string starting with the quote at s[i]: *close is where its
   content ends, the return value where scanning goes on. */
static size_t
css_string(const char *s, size_t n, size_t i, size_t *close)
{
	char	q = s[i];

	for (i++; i < n; i++) {
		if (s[i] == '\\') {
			if (i + 1 < n)
				i++;
			continue;
		}
		if (s[i] == q) {
			*close = i;
			return i + 1;
		}
		if (css_newline((unsigned char)s[i]))
			break;
	}
	*close = i;
	return i;
}

/* Where the escape at s[i] == '\\' ends: a hex escape takes up to six
   digits and one white space after them, any other one character. */
static size_t
css_escape_end(const char *s, size_t n, size_t i)
{
	size_t	k;

	if (++i == n)
		return n;
	if (ascii_hexval((unsigned char)s[i]) < 0)
		return i + 1;
	for (k = 0; k < 6 && i < n && ascii_hexval((unsigned char)s[i]) >= 0; k++)
		i++;
	if (i < n && ascii_isspace((unsigned char)s[i]))
		i += s[i] == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
	return i;
}

/* s[start..end) with CSS escapes undone, reported as a link. */
static void
css_found(struct css_ctx *c, const char *s, size_t start, size_t end)
{
	struct buf	 u = BUF_INIT;
	char		 tmp[4];
	unsigned long	 cp;
	size_t		 i, k;
	int		 d;

	for (i = start; i < end; i = k) {
		k = i + 1;
		if (s[i] != '\\') {
			(void)buf_addc(&u, s[i]);
			continue;
		}
		if (k < end && css_newline((unsigned char)s[k])) {
			/* An escaped newline continues a string. */
			k += s[k] == '\r' && k + 1 < end && s[k + 1] == '\n';
			k++;
			continue;
		}
		k = css_escape_end(s, end, i);
		if (i + 1 == k)
			continue;
		if (ascii_hexval((unsigned char)s[i + 1]) < 0) {
			(void)buf_addc(&u, s[i + 1]);
			continue;
		}
		for (cp = 0, i++; i < k && (d = ascii_hexval((unsigned char)s[i]))
		    >= 0; i++)
			cp = cp * 16 + (unsigned long)d;
		(void)buf_add(&u, tmp, utf8_put(tmp, codepoint_fix(cp)));
	}
	if (u.len > 0 && u.ptr[strspn(u.ptr, " \t\n\f\r")] != '\0') {
		if (c->map != NULL) {
			start = c->map[start];
			end = c->map[end];
		}
		add_link(c->p, u.ptr, u.len, c->base + start, c->base + end,
		    HTML_LINK_REQUISITE, c->span, NULL, c->lang);
	}
	buf_free(&u);
}

/* After "url(" at s[i]: report the URL, return where scanning goes on. */
static size_t
css_url(const char *s, size_t n, size_t i, struct css_ctx *c)
{
	size_t	start, end, close;
	int	bad = 0;

	while (i < n && ascii_isspace((unsigned char)s[i]))
		i++;
	if (i < n && (s[i] == '"' || s[i] == '\'')) {
		start = i + 1;
		i = css_string(s, n, i, &close);
		css_found(c, s, start, close);
		return i;
	}
	for (start = i; i < n;) {
		if (s[i] == '\\' && i + 1 < n &&
		    !css_newline((unsigned char)s[i + 1])) {
			i = css_escape_end(s, n, i);
			continue;
		}
		if (s[i] == ')' || ascii_isspace((unsigned char)s[i]))
			break;
		if (s[i] == '"' || s[i] == '\'' || s[i] == '(' || s[i] == '\\')
			bad = 1;
		i++;
	}
	end = i;
	while (i < n && ascii_isspace((unsigned char)s[i]))
		i++;
	if (i < n && s[i] != ')')
		bad = 1;
	if (bad) {
		/* A bad url token: browsers drop it up to the next ')'. */
		for (; i < n && s[i] != ')'; i++)
			if (s[i] == '\\')
				i++;
		return i < n ? i + 1 : n;
	}
	css_found(c, s, start, end);
	return i < n ? i + 1 : n;
}

/* The one CSS scanner: url(...) and @import "..." in s[0..n). */
static void
css_scan(const char *s, size_t n, struct css_ctx *c)
{
	size_t	i = 0, j, close;

	while (i < n) {
		if (s[i] == '/' && i + 1 < n && s[i + 1] == '*')
			i = css_skip(s, n, i);
		else if (s[i] == '"' || s[i] == '\'')
			i = css_string(s, n, i, &close);
		else if (s[i] == '\\')
			i += 2;
		else if ((s[i] == 'u' || s[i] == 'U') &&
		    prefix_ci(s + i, n - i, "url(") &&
		    (i == 0 || !css_namechar((unsigned char)s[i - 1])))
			i = css_url(s, n, i + 4, c);
		else if (s[i] == '@' && prefix_ci(s + i, n - i, "@import") &&
		    (i + 7 == n || !css_namechar((unsigned char)s[i + 7]))) {
			j = css_skip(s, n, i + 7);
			if (j < n && (s[j] == '"' || s[j] == '\'')) {
				i = css_string(s, n, j, &close);
				css_found(c, s, j + 1, close);
			} else
				i = j;
		} else
			i++;
	}
}

/*
 * Whether the attribute has a value in the document.  gumbo gives a
 * valueless attribute (<a href>) its name as original value and leaves
 * value_start unset, so look at value_start only when the original value
 * is not the name, and insist on the '=' before the value and on the
 * value being where gumbo says it is.
 */
static int
attr_valued(struct parse *p, GumboAttribute *a)
{
	size_t	off, k;

	if (a->original_value.data == NULL ||
	    a->original_value.data == a->original_name.data ||
	    a->value_start.line == 0)
		return 0;
	off = a->value_start.offset;
	if (off > p->len || a->original_value.length > p->len - off ||
	    a->original_value.data != p->data + off)
		return 0;
	for (k = off; k > 0 && ascii_isspace((unsigned char)p->data[k - 1]); k--)
		continue;
	return k > 0 && p->data[k - 1] == '=';
}

/* The attribute's raw value without its quotes, and where it starts. */
static const char *
attr_inner(GumboAttribute *a, size_t *len, size_t *off)
{
	const char	*s = a->original_value.data;
	size_t		 n = a->original_value.length;

	*off = a->value_start.offset;
	if (n > 0 && (s[0] == '"' || s[0] == '\'')) {
		n -= n > 1 && s[n - 1] == s[0] ? 2 : 1;
		s++;
		(*off)++;
	}
	*len = n;
	return s;
}

static void
add_srcset(struct parse *p, GumboNode *n, GumboAttribute *a,
    const char *lang)
{
	const char	*raw;
	char		*d;
	size_t		*map, dn, rn, base, i = 0, us, ue;
	int		 paren;

	raw = attr_inner(a, &rn, &base);
	d = entity_decode(raw, rn, &map, &dn);
	for (;;) {
		while (i < dn && (ascii_isspace((unsigned char)d[i]) || d[i] == ','))
			i++;
		if (i >= dn)
			break;
		for (us = i; i < dn && !ascii_isspace((unsigned char)d[i]); i++)
			continue;
		ue = i;
		if (d[ue - 1] == ',') {
			while (ue > us && d[ue - 1] == ',')
				ue--;
		} else {
			for (paren = 0; i < dn; i++) {
				if (d[i] == '(')
					paren = 1;
				else if (d[i] == ')')
					paren = 0;
				else if (d[i] == ',' && !paren) {
					i++;
					break;
				}
			}
		}
		if (ue > us)
			add_link(p, d + us, ue - us, base + map[us],
			    base + map[ue], HTML_LINK_REQUISITE,
			    HTML_SPAN_IN_ATTR, n, lang);
	}
	free(map);
	free(d);
}

/* <meta http-equiv=refresh content="5; url=/x">, read as browsers do. */
static void
add_refresh(struct parse *p, GumboNode *n, GumboAttribute *a,
    const char *lang)
{
	GumboAttribute	*equiv;
	const char	*raw;
	char		*d;
	size_t		*map, dn, rn, base, i = 0, k, ue;
	int		 skipq = 1;
	char		 q = 0;

	if ((equiv = node_attr(n, "http-equiv")) == NULL ||
	    !equal_ci(equiv->value, "refresh"))
		return;
	raw = attr_inner(a, &rn, &base);
	d = entity_decode(raw, rn, &map, &dn);
	i = skip_space(d, dn, 0);
	if (i == dn || (!ascii_isdigit((unsigned char)d[i]) && d[i] != '.'))
		goto out;
	while (i < dn && (ascii_isdigit((unsigned char)d[i]) || d[i] == '.'))
		i++;
	if (i < dn) {
		if (d[i] != ';' && d[i] != ',' &&
		    !ascii_isspace((unsigned char)d[i]))
			goto out;
		i = skip_space(d, dn, i);
		if (i < dn && (d[i] == ';' || d[i] == ','))
			i++;
		i = skip_space(d, dn, i);
	}
	if (i == dn)
		goto out;
	if (d[i] == 'u' || d[i] == 'U') {
		/* "url =" is dropped; a bare URL may start with u, too */
		skipq = 0;
		if (prefix_ci(d + i, dn - i, "url")) {
			k = skip_space(d, dn, i + 3);
			if (k < dn && d[k] == '=') {
				i = skip_space(d, dn, k + 1);
				skipq = 1;
			}
		}
	}
	if (skipq && i < dn && (d[i] == '"' || d[i] == '\''))
		q = d[i++];
	for (ue = i; ue < dn && d[ue] != q; ue++)
		continue;
	if (q == 0)
		ue = dn;
	while (ue > i && ascii_isspace((unsigned char)d[ue - 1]))
		ue--;
	if (ue > i)
		add_link(p, d + i, ue - i, base + map[i], base + map[ue],
		    HTML_LINK_NAV, HTML_SPAN_IN_ATTR, n, lang);
out:
	free(map);
	free(d);
}

/* A style="" attribute: CSS after the character references. */
static void
add_style_attr(struct parse *p, GumboAttribute *a, const char *lang)
{
	struct css_ctx	 c;
	const char	*raw;
	char		*d;
	size_t		*map, dn, rn, base;

	raw = attr_inner(a, &rn, &base);
	d = entity_decode(raw, rn, &map, &dn);
	c.p = p;
	c.base = base;
	c.map = map;
	c.span = HTML_SPAN_IN_ATTR;
	c.lang = lang;
	css_scan(d, dn, &c);
	free(map);
	free(d);
}

/*
 * A <style> element.  In HTML its text is raw; in SVG character
 * references count (so a replacement is written as in an attribute),
 * except inside CDATA sections.
 */
static void
add_style_element(struct parse *p, GumboNode *n, const char *lang)
{
	GumboVector	*v = &n->v.element.children;
	GumboNode	*t;
	struct css_ctx	 c;
	const char	*s;
	char		*d;
	size_t		*map, off, len, dn, i;

	for (i = 0; i < v->length; i++) {
		t = v->data[i];
		if (t->type != GUMBO_NODE_TEXT && t->type != GUMBO_NODE_CDATA)
			continue;
		s = t->v.text.original_text.data;
		len = t->v.text.original_text.length;
		off = t->v.text.start_pos.offset;
		if (s == NULL || off > p->len || len > p->len - off ||
		    s != p->data + off)
			continue;
		c.p = p;
		c.lang = lang;
		c.map = NULL;
		c.span = HTML_SPAN_IN_TEXT;
		if (t->type == GUMBO_NODE_CDATA) {
			if (prefix_ci(s, len, "<![cdata[")) {
				s += 9;
				off += 9;
				len -= 9;
			}
			if (len >= 3 && memcmp(s + len - 3, "]]>", 3) == 0)
				len -= 3;
		} else if (n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) {
			d = entity_decode(s, len, &map, &dn);
			c.base = off;
			c.map = map;
			c.span = HTML_SPAN_IN_ATTR;
			css_scan(d, dn, &c);
			free(map);
			free(d);
			continue;
		}
		c.base = off;
		css_scan(s, len, &c);
	}
}

static int
link_requisite(GumboNode *n)
{
	GumboAttribute	*rel;
	const char	*s, *w;
	size_t		 i, len;

	if ((rel = node_attr(n, "rel")) == NULL)
		return 0;
	for (s = rel->value; *s != '\0'; s = w + len) {
		while (ascii_isspace((unsigned char)*s))
			s++;
		for (w = s, len = 0; w[len] != '\0' &&
		    !ascii_isspace((unsigned char)w[len]); len++)
			continue;
		for (i = 0; i < nitems(requisite_rels); i++)
			if (len == strlen(requisite_rels[i]) &&
			    prefix_ci(w, len, requisite_rels[i]))
				return 1;
	}
	return 0;
}

static void
add_attributes(struct parse *p, GumboNode *n, const char *lang)
{
	GumboElement		*e = &n->v.element;
	GumboAttribute		*a, *type;
	const struct rule	*r;
	enum html_link_kind	 kind;
	char			 name[16];
	size_t			 i;

	node_name(e, name, sizeof name);
	for (i = 0; i < e->attributes.length; i++) {
		a = e->attributes.data[i];
		if (!attr_valued(p, a))
			continue;
		if (a->attr_namespace == GUMBO_ATTR_NAMESPACE_NONE &&
		    strcmp(a->name, "style") == 0) {
			add_style_attr(p, a, lang);
			continue;
		}
		if (a->attr_namespace != GUMBO_ATTR_NAMESPACE_NONE &&
		    a->attr_namespace != GUMBO_ATTR_NAMESPACE_XLINK)
			continue;
		for (r = rules; r < rules + nitems(rules); r++)
			if ((r->ns == NS_ANY ||
			    r->ns == (int)e->tag_namespace) &&
			    strcmp(r->tag, name) == 0 &&
			    strcmp(r->attr, a->name) == 0)
				break;
		if (r == rules + nitems(rules))
			continue;
		kind = r->kind;
		switch (r->how) {
		case RULE_SRCSET:
			add_srcset(p, n, a, lang);
			continue;
		case RULE_REFRESH:
			add_refresh(p, n, a, lang);
			continue;
		case RULE_LINK:
			if (link_requisite(n))
				kind = HTML_LINK_REQUISITE;
			break;
		case RULE_INPUT:
			if ((type = node_attr(n, "type")) == NULL ||
			    !equal_ci(type->value, "image"))
				continue;
			break;
		case RULE_BASE:
			if (p->base_seen)
				continue;
			p->base_seen = 1;
			break;
		case RULE_PLAIN:
			break;
		}
		add_link(p, a->value, strlen(a->value), a->value_start.offset,
		    a->value_start.offset + a->original_value.length, kind,
		    HTML_SPAN_ATTR, n, lang);
	}
}

/* Look at one node on the way down; whether to go into its children. */
static int
visit(struct parse *p, GumboNode *n, const char **lang)
{
	GumboElement	*e;
	GumboAttribute	*a;

	if (n->type == GUMBO_NODE_DOCUMENT)
		return 1;
	if (n->type != GUMBO_NODE_ELEMENT)
		return 0;	/* text, comments, and <template> contents */
	e = &n->v.element;
	if ((a = node_attr(n, "lang")) != NULL)
		*lang = a->value;
	if (e->tag == GUMBO_TAG_STYLE)
		add_style_element(p, n, *lang);
	if (e->tag_namespace == GUMBO_NAMESPACE_HTML) {
		switch (e->tag) {
		case GUMBO_TAG_H1:
		case GUMBO_TAG_H2:
		case GUMBO_TAG_H3:
		case GUMBO_TAG_H4:
		case GUMBO_TAG_H5:
		case GUMBO_TAG_H6:
			free(p->heading);
			p->heading = node_text(n);
			if (heading_level(e->tag) <= p->section_level) {
				free(p->section);
				p->section = xstrdup(p->heading);
			}
			break;
		case GUMBO_TAG_TITLE:
			if (p->title == NULL)
				p->title = node_text(n);
			break;
		default:
			break;
		}
	}
	add_attributes(p, n, *lang);
	return e->tag != GUMBO_TAG_SCRIPT && e->tag != GUMBO_TAG_STYLE;
}

/* Every node in document order, without recursion (pages nest deeply). */
static void
walk(struct parse *p, GumboNode *root)
{
	struct frame	*st = NULL;
	size_t		 nst = 0, cap = 0, next;
	GumboNode	*n = root;
	GumboVector	*v;
	const char	*lang;

	for (;;) {
		lang = nst > 0 ? st[nst - 1].lang : NULL;
		if (visit(p, n, &lang) && (v = node_children(n)) != NULL &&
		    v->length > 0) {
			if (nst == cap) {
				cap = cap ? cap * 2 : 64;
				st = xreallocarray(st, cap, sizeof *st);
			}
			st[nst].node = n;
			st[nst++].lang = lang;
			n = v->data[0];
			continue;
		}
		for (;;) {
			if (nst == 0)
				goto done;
			v = node_children(st[nst - 1].node);
			next = n->index_within_parent + 1;
			if (next < v->length) {
				n = v->data[next];
				break;
			}
			n = st[--nst].node;
		}
	}
done:
	free(st);
}

static void
link_free(struct html_link *l)
{
	free(l->url);
	free(l->text);
	free(l->section);
	free(l->heading);
	free(l->lang);
	free(l->own_lang);
	free(l->desc);
	free(l->type);
}

static int
item_cmp(const void *a, const void *b)
{
	const struct item	*x = a, *y = b;

	if (x->link.start != y->link.start)
		return x->link.start < y->link.start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The links sorted by offset; of two that overlap, the first found. */
static struct html_doc *
parse_finish(struct parse *p, const char *lang)
{
	struct html_doc	*doc;
	size_t		 i;

	doc = xcalloc(1, sizeof *doc);
	doc->title = p->title != NULL ? p->title : xstrdup("");
	p->title = NULL;
	doc->lang = lang != NULL ? trim_dup(lang, strlen(lang)) : xstrdup("");
	if (p->nfound > 0) {
		qsort(p->items, p->nfound, sizeof *p->items, item_cmp);
		doc->links = xreallocarray(NULL, p->nfound,
		    sizeof *doc->links);
	}
	for (i = 0; i < p->nfound; i++) {
		if (doc->nlinks > 0 && p->items[i].link.start <
		    doc->links[doc->nlinks - 1].end) {
			link_free(&p->items[i].link);
			continue;
		}
		doc->links[doc->nlinks++] = p->items[i].link;
	}
	free(p->items);
	p->items = NULL;
	p->nfound = p->cap = 0;
	return doc;
}

static void
parse_free(struct parse *p)
{
	size_t	i;

	for (i = 0; i < p->nfound; i++)
		link_free(&p->items[i].link);
	free(p->items);
	free(p->title);
	free(p->section);
	free(p->heading);
}

/*
 * data as UTF-8 in u (and where each byte came from in *map) when it is
 * in another encoding; 0 when it is UTF-8 already or cannot be converted
 * (then it is read as UTF-8, undecodable bytes as U+FFFD).
 */
static int
utf8_of(const char *data, size_t len, const char *content_type,
    struct buf *u, uint32_t **map)
{
	const char	*cs = charset_detect(data, len, content_type);

	if (cs == NULL)
		return 0;
	if (charset_to_utf8(data, len, cs, u, map) != 0) {
		err_clear();
		buf_free(u);
		return 0;
	}
	return 1;
}

/*
 * Parse a page served with the Content-Type content_type (NULL: read from
 * disk).  A page in another encoding than UTF-8 is parsed as UTF-8 (gumbo
 * reads nothing else), and its links' offsets are mapped back to the
 * original bytes, which are the ones rewritten.
 */
int
html_parse_ct(const char *data, size_t len, const char *content_type,
    struct html_doc **out)
{
	struct parse	 p;
	struct buf	 u = BUF_INIT;
	GumboOptions	 opts = kGumboDefaultOptions;
	GumboOutput	*g = NULL;
	GumboAttribute	*lang;
	uint32_t	*map = NULL;
	int		 rc = -1;

	*out = NULL;
	memset(&p, 0, sizeof p);
	if (data == NULL)
		data = "";
	if (len >= UINT_MAX) {
		rc = err_code(FERRY_ETOOBIG,
		    "cannot parse html: %zu bytes is too big", len);
		goto out;
	}
	if (utf8_of(data, len, content_type, &u, &map)) {
		data = u.ptr;
		len = u.len;
		p.map = map;
	}
	p.data = data;
	p.len = len;
	/*
	 * gumbo keeps a copy of the open element stack with every parse
	 * error: 20,000 unclosed <div>s took 3 GB.  Nothing here reads the
	 * errors, so none are kept; the tree is the same.
	 */
	opts.max_errors = 0;
	g = gumbo_parse_with_options(&opts, data, len);
	if (g == NULL) {
		rc = err_set("cannot parse html: parser failed");
		goto out;
	}
	p.section_level = section_level(g->document);
	walk(&p, g->document);
	lang = node_attr(g->root, "lang");
	*out = parse_finish(&p, lang != NULL ? lang->value : NULL);
	rc = 0;
out:
	if (g != NULL)
		gumbo_destroy_output(&opts, g);
	parse_free(&p);
	buf_free(&u);
	free(map);
	return rc;
}

int
html_parse(const char *data, size_t len, struct html_doc **out)
{
	return html_parse_ct(data, len, NULL, out);
}

int
html_css_parse(const char *data, size_t len, struct html_doc **out)
{
	struct parse	p;
	struct css_ctx	c;

	memset(&p, 0, sizeof p);
	p.data = data != NULL ? data : "";
	p.len = len;
	c.p = &p;
	c.base = 0;
	c.map = NULL;
	c.span = HTML_SPAN_IN_TEXT;
	c.lang = NULL;
	css_scan(p.data, len, &c);
	*out = parse_finish(&p, NULL);
	parse_free(&p);
	return 0;
}

static int
put_pct(struct buf *b, unsigned char c)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			 e[3];

	e[0] = '%';
	e[1] = hex[c >> 4];
	e[2] = hex[c & 0xf];
	return buf_add(b, e, sizeof e);
}

/*
 * A replacement value written for its span.  Inside an attribute the
 * value may be read as CSS (style="") or as a srcset list, so what would
 * end a URL there is %-encoded, quotes and backslash included, and the
 * markup characters left are entity-escaped; in raw text (<style>, a CSS
 * file) nothing is decoded, so everything unsafe is %-encoded.
 */
static int
put_value(struct buf *b, const char *s, enum html_span span)
{
	const char	*run;
	char		 one[2];
	unsigned char	 c;
	int		 rc, pct, ent;

	if (span == HTML_SPAN_ATTR) {
		if ((rc = buf_addc(b, '"')) != 0 ||
		    (rc = buf_addhtml(b, s)) != 0)
			return rc;
		return buf_addc(b, '"');
	}
	for (run = s;; s++) {
		c = (unsigned char)*s;
		pct = c <= 0x20 || c == 0x7f || c == '"' || c == '\'' ||
		    c == '(' || c == ')' || c == '\\';
		if (span == HTML_SPAN_IN_ATTR) {
			pct = pct || c == ',';
			ent = c == '&' || c == '<' || c == '>';
		} else {
			pct = pct || c == '<' || c == '>';
			ent = 0;
		}
		if (c != '\0' && !pct && !ent)
			continue;
		if ((rc = buf_add(b, run, (size_t)(s - run))) != 0)
			return rc;
		if (c == '\0')
			return 0;
		run = s + 1;
		if (ent) {
			one[0] = (char)c;
			one[1] = '\0';
			rc = buf_addhtml(b, one);
		} else
			rc = put_pct(b, c);
		if (rc != 0)
			return rc;
	}
}

int
html_rewrite(const char *data, size_t len, const struct html_doc *doc,
    char *const *repl, struct buf *out)
{
	const struct html_link	*l;
	size_t			 old = out->len, pos = 0, prev = 0, i;
	size_t			 nlinks = doc != NULL ? doc->nlinks : 0;
	int			 rc = -1;

	for (i = 0; i < nlinks; i++) {
		l = &doc->links[i];
		if (l->start < prev || l->end < l->start || l->end > len) {
			rc = err_set("cannot rewrite html: link %zu at bytes "
			    "%zu-%zu is out of order", i, l->start, l->end);
			goto out;
		}
		prev = l->end;
		if (repl == NULL || repl[i] == NULL)
			continue;
		if ((rc = buf_add(out, data + pos, l->start - pos)) != 0 ||
		    (rc = put_value(out, repl[i], l->span)) != 0)
			goto out;
		pos = l->end;
	}
	if ((rc = buf_add(out, len > 0 ? data + pos : "", len - pos)) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0 && out->ptr != NULL) {
		out->len = old;
		out->ptr[old] = '\0';
	}
	return rc;
}

void
html_doc_free(struct html_doc *doc)
{
	size_t	i;

	if (doc == NULL)
		return;
	for (i = 0; i < doc->nlinks; i++)
		link_free(&doc->links[i]);
	free(doc->links);
	free(doc->title);
	free(doc->lang);
	free(doc);
}

/* Files that are never HTML, whatever follows their signature. */
static int
sniff_binary(const char *s, size_t n)
{
	static const struct {
		const char	*magic;
		size_t		 len;
	} sigs[] = {
		{ "%PDF-", 5 }, { "\x89PNG\r\n\x1a\n", 8 },
		{ "\xff\xd8\xff", 3 },
		{ "PK\x03\x04", 4 }, { "PK\x05\x06", 4 }, { "PK\x07\x08", 4 },
		{ "GIF87a", 6 }, { "GIF89a", 6 },
	};
	size_t	i;

	for (i = 0; i < nitems(sigs); i++)
		if (n >= sigs[i].len &&
		    memcmp(s, sigs[i].magic, sigs[i].len) == 0)
			return 1;
	return 0;
}

/* Whether s[0..n) starts with the markup word w, ending there. */
static int
sniff_word(const char *s, size_t n, const char *w)
{
	size_t	k = strlen(w);

	if (!prefix_ci(s, n, w))
		return 0;
	return k == n || ascii_isspace((unsigned char)s[k]) || s[k] == '>' ||
	    s[k] == '/';
}

/* Whether one of the words occurs anywhere in s[0..n). */
static int
sniff_find(const char *s, size_t n, const char *const *words, size_t nw)
{
	size_t	i, k;

	for (i = 0; i < n; i++) {
		if (s[i] != '<')
			continue;
		for (k = 0; k < nw; k++)
			if (sniff_word(s + i, n - i, words[k]))
				return 1;
	}
	return 0;
}

int
html_sniff(const char *data, size_t len)
{
	static const char *const starts[] = {
		"<!doctype html", "<html", "<head", "<body"
	};
	static const char *const inside[] = {
		"<!doctype html", "<html", "<title", "<body"
	};
	const unsigned char	*u = (const unsigned char *)data;
	char			 head[HTML_SNIFF_MAX];
	size_t			 n = 0, i, k;
	int			 le;

	if (data == NULL || sniff_binary(data, len))
		return 0;
	if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) ||
	    (u[0] == 0xfe && u[1] == 0xff))) {
		/* UTF-16: keep ASCII, stand 0x80 in for the rest. */
		le = u[0] == 0xff;
		for (i = 2; i + 1 < len && n < sizeof head; i += 2) {
			if (u[i + (le ? 1 : 0)] == 0)
				head[n++] = (char)u[i + (le ? 0 : 1)];
			else
				head[n++] = (char)0x80;
		}
	} else {
		i = len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
		n = len - i < sizeof head ? len - i : sizeof head;
		memcpy(head, data + i, n);
	}
	for (i = 0; i < n && ascii_isspace((unsigned char)head[i]); i++)
		continue;
	if (sniff_binary(head + i, n - i))
		return 0;
	for (k = 0; k < nitems(starts); k++)
		if (sniff_word(head + i, n - i, starts[k]))
			return 1;
	if (prefix_ci(head + i, n - i, "<!--") &&
	    sniff_find(head + i, n - i, starts, nitems(starts)))
		return 1;
	return sniff_find(head, n, inside, nitems(inside));
}

/* --- readable text --------------------------------------------------- */

/* Text being laid out: finished lines in out, the current one in line. */
struct layout {
	struct buf	*out;
	struct text	 line;
	const char	*prefix;	/* "## ", "- " for the current line */
	int		 rc;
	char		*last;		/* the previous line, to drop repeats */
};

static void
layout_flush(struct layout *l)
{
	char	*t;

	if (l->line.b.len == 0)
		return;		/* keep the prefix for the line to come */
	t = text_end(&l->line);

	if (*t != '\0' && (l->last == NULL || strcmp(t, l->last) != 0) &&
	    l->rc == 0) {
		l->rc = buf_addstr(l->out, l->prefix ? l->prefix : "");
		if (l->rc == 0)
			l->rc = buf_addstr(l->out, t);
		if (l->rc == 0)
			l->rc = buf_addc(l->out, '\n');
		free(l->last);
		l->last = t;
	} else
		free(t);
	text_init(&l->line);
	l->prefix = NULL;
}

static int
is_cell(GumboNode *n)
{
	return n->type == GUMBO_NODE_ELEMENT &&
	    (n->v.element.tag == GUMBO_TAG_TD ||
	    n->v.element.tag == GUMBO_TAG_TH);
}

static int
has_ancestor(GumboNode *n, GumboTag tag)
{
	for (n = n->parent; n != NULL && n->type == GUMBO_NODE_ELEMENT;
	    n = n->parent)
		if (n->v.element.tag == tag)
			return 1;
	return 0;
}

static int
inside_link(GumboNode *n)
{
	return has_ancestor(n, GUMBO_TAG_A);
}

/* Boilerplate repeated on every page, and what is never shown. */
static int
text_skipped(GumboNode *n)
{
	GumboAttribute	*a;

	if (n->type == GUMBO_NODE_TEMPLATE)
		return 1;
	if (n->type != GUMBO_NODE_ELEMENT)
		return 0;
	switch (n->v.element.tag) {
	case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER:
		/* the page's banner, not an article's own header */
		return !has_ancestor(n, GUMBO_TAG_ARTICLE) &&
		    !has_ancestor(n, GUMBO_TAG_MAIN);
	case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE:
	case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_NAV:
	case GUMBO_TAG_SVG:
	case GUMBO_TAG_IFRAME: case GUMBO_TAG_SELECT: case GUMBO_TAG_BUTTON:
		return 1;
	default:
		break;
	}
	if (node_attr(n, "hidden") != NULL)
		return 1;
	if ((a = node_attr(n, "aria-hidden")) != NULL &&
	    equal_ci(a->value, "true"))
		return 1;
	return (a = node_attr(n, "role")) != NULL &&
	    (equal_ci(a->value, "navigation") || equal_ci(a->value, "banner") ||
	    equal_ci(a->value, "contentinfo"));
}

static void
text_enter(struct layout *l, GumboNode *n)
{
	static const char *const hashes[] = {
		"", "# ", "## ", "### ", "#### ", "##### ", "###### "
	};
	GumboAttribute	*a;
	int		 lvl;

	if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA ||
	    n->type == GUMBO_NODE_WHITESPACE) {
		text_add(&l->line, n->v.text.text);
		return;
	}
	if (n->type != GUMBO_NODE_ELEMENT)
		return;
	if (is_cell(n)) {
		if (l->line.b.len > 0)
			text_add(&l->line, " | ");
		return;
	}
	if (is_block(n))
		layout_flush(l);
	if (n->v.element.tag == GUMBO_TAG_IMG && inside_link(n) &&
	    (a = node_attr(n, "alt")) != NULL)
		text_add(&l->line, a->value);
	if ((lvl = node_heading_level(n)) > 0)
		l->prefix = hashes[lvl];
	else if (n->v.element.tag == GUMBO_TAG_LI)
		l->prefix = "- ";
}

/* After a link's text, its target, so the text shows where it leads. */
static void
text_leave(struct layout *l, GumboNode *n)
{
	GumboAttribute	*a;
	char		*t;

	if (n->type != GUMBO_NODE_ELEMENT)
		return;
	if (n->v.element.tag == GUMBO_TAG_A &&
	    (a = node_attr(n, "href")) != NULL && a->value[0] != '#' &&
	    a->value[strspn(a->value, " \t\r\n")] != '\0' &&
	    !prefix_ci(a->value, strlen(a->value), "javascript:") &&
	    l->line.b.len > 0) {
		t = trim_dup(a->value, strlen(a->value));
		text_add(&l->line, " <");
		text_add(&l->line, t);
		text_add(&l->line, ">");
		free(t);
	}
	if (is_block(n) && !is_cell(n)) {
		layout_flush(l);
		if (node_heading_level(n) > 0 ||
		    n->v.element.tag == GUMBO_TAG_LI)
			l->prefix = NULL;
	}
}

/*
 * The readable text of a page, for people reading a diff: one block per
 * line, headings as "## ", list items as "- ", table cells joined by
 * " | ", each link followed by its target in angle brackets; no scripts,
 * styles, navigation, headers or footers.  Appended to out, whose cap
 * bounds it.
 */
/* The readable text of a page served with content_type (see above). */
int
html_text_ct(const char *data, size_t len, const char *content_type,
    struct buf *out)
{
	struct buf	u = BUF_INIT;
	int		rc;

	if (!utf8_of(data, len, content_type, &u, NULL))
		return html_text(data, len, out);
	rc = html_text(u.ptr, u.len, out);
	buf_free(&u);
	return rc;
}

int
html_text(const char *data, size_t len, struct buf *out)
{
	GumboOptions	 opts = kGumboDefaultOptions;
	GumboOutput	*g;
	GumboNode	*n, *next;
	GumboVector	*v;
	struct layout	 l;

	if (len >= UINT_MAX)
		return err_code(FERRY_ETOOBIG, "cannot read text: %zu bytes is "
		    "too big", len);
	opts.max_errors = 0;
	if ((g = gumbo_parse_with_options(&opts, data ? data : "", len)) ==
	    NULL)
		return err_set("cannot parse html: parser failed");
	memset(&l, 0, sizeof l);
	l.out = out;
	text_init(&l.line);
	for (n = g->root; n != NULL; n = next) {
		int descend = !text_skipped(n);

		if (descend)
			text_enter(&l, n);
		v = node_children(n);
		if (descend && v != NULL && v->length > 0) {
			next = v->data[0];
			continue;
		}
		/* Leave n and every ancestor whose last child it was. */
		for (next = NULL; n != NULL; n = n->parent) {
			if (!text_skipped(n))
				text_leave(&l, n);
			if (n == g->root)
				break;
			v = node_children(n->parent);
			if (v != NULL && n->index_within_parent + 1 <
			    v->length) {
				next = v->data[n->index_within_parent + 1];
				break;
			}
		}
		if (next == NULL)
			break;
	}
	layout_flush(&l);
	free(l.last);
	buf_free(&l.line.b);
	gumbo_destroy_output(&opts, g);
	return l.rc;
}
