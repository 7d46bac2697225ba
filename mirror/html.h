/* html.h -- links, titles and sections of HTML pages; rewriting by splicing */
#ifndef FERRY_HTML_H
#define FERRY_HTML_H

#include <stddef.h>

struct buf;

enum html_link_kind {
	HTML_LINK_NAV,		/* a/area href, iframe/frame src, meta refresh */
	HTML_LINK_REQUISITE,	/* img, script, stylesheet, icon, font, media,
				   srcset candidates, CSS url() and @import */
	HTML_LINK_BASE		/* <base href>: resolve the others against it */
};

/* How the bytes at [start, end) are written, so a rewrite can quote. */
enum html_span {
	HTML_SPAN_ATTR,		/* a whole attribute value, with its quotes if
				   it had any: rewritten as "value" */
	HTML_SPAN_IN_ATTR,	/* a URL inside an attribute value (srcset,
				   style, meta refresh): entity-escaped */
	HTML_SPAN_IN_TEXT	/* a URL inside raw text (<style>, a CSS file):
				   written as is, unsafe bytes %-encoded */
};

/*
 * One reference found in a document.  url is the value as a browser would
 * read it (entities decoded, surrounding white space trimmed), not yet
 * resolved.  [start, end) are byte offsets into the original document;
 * spans never overlap and the links are sorted by start.  text is the
 * link's visible text with white space collapsed (for images their alt).
 * section is the nearest heading before the link at the page's section
 * level or above (the section level is the highest-ranked heading level
 * used more than once: h2 on a page with one h1 and several h2), heading
 * the nearest heading of any level (or the heading the link is in).
 * lang is the language in effect
 * (the nearest lang attribute, or hreflang on the link itself), own_lang
 * only what the link element itself says (hreflang, else its lang).  desc
 * is the text near the link that describes it: the rest of its paragraph
 * or list item, or the blocks that follow it up to the next heading, one
 * line per block ('\n'-separated, at most HTML_DESC_MAX bytes).  type is
 * the type attribute.  Each is "" when absent.
 */
#define HTML_DESC_MAX	400
struct html_link {
	char			*url;
	size_t			 start;
	size_t			 end;
	enum html_link_kind	 kind;
	enum html_span		 span;
	char			*text;
	char			*section;
	char			*heading;
	char			*lang;
	char			*own_lang;
	char			*desc;
	char			*type;
};

/* A parsed page: its title and lang ("" when absent) and its links. */
struct html_doc {
	char			*title;
	char			*lang;
	struct html_link	*links;
	size_t			 nlinks;
};

int	html_parse(const char *, size_t, struct html_doc **);
int	html_parse_ct(const char *, size_t, const char *, struct html_doc **);
int	html_css_parse(const char *, size_t, struct html_doc **);
int	html_rewrite(const char *, size_t, const struct html_doc *,
	    char *const *, struct buf *);
void	html_doc_free(struct html_doc *);
int	html_sniff(const char *, size_t);
int	html_text(const char *, size_t, struct buf *);
int	html_text_ct(const char *, size_t, const char *, struct buf *);

#endif
