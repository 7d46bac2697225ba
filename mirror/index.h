/* index.h -- the offline index: index.html, search.js, index.json, README */
#ifndef FERRY_INDEX_H
#define FERRY_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/*
 * A source as configured: its name, its page and an optional title to show
 * instead of the name ("" when none).  Strings are UTF-8, never NULL.
 */
struct index_source {
	const char	*name;
	const char	*url;
	const char	*title;
};

/*
 * One resource of the mirror as the index shows it.  Strings are UTF-8
 * and never NULL ("" when unknown).  path is relative to the mirror root,
 * "" for a "link" entry (listed on a source page but not copied: a video,
 * a site out of scope), which the page links online; sha256 and size
 * describe the body as fetched (before any rewrite); fetched is the time
 * (UTC, seconds) that body was downloaded, changed the time its content
 * last changed (0: unknown or never since first copied), withdrawn the
 * time since which the source no longer offers it while the copy is kept
 * (0: still offered).  lang holds one BCP 47 tag, or several separated
 * by spaces, or "".  text is the readable text of the page or document,
 * for search only.  order is the position of the first link to the
 * resource in its source's pages, so entries appear in source order.
 */
struct index_entry {
	const char	*source;	/* source name */
	const char	*source_url;	/* the source page */
	const char	*url;
	const char	*path;
	const char	*sha256;
	const char	*content_type;
	const char	*title;		/* link text, else page title */
	const char	*section;	/* heading above the first link */
	const char	*description;	/* text near the link */
	const char	*note;		/* the administrator's note */
	const char	*lang;		/* BCP 47 tags or "" */
	const char	*kind;		/* "page", "document", "requisite",
					   "link" */
	const char	*text;		/* readable text, may be long */
	int64_t		 size;
	int64_t		 fetched;
	int64_t		 changed;
	int64_t		 withdrawn;
	int		 status;	/* HTTP status of the stored copy */
	int		 order;
};

/*
 * A telephone link found on a source page.  number is as the page shows
 * it, tel the tel: URI, heading the nearest heading (the area served),
 * details the text around it, lines separated by '\n' ("Hours: 24/7").
 * Hotlines of a source are shown by order.
 */
struct index_hotline {
	const char	*source;
	const char	*number;
	const char	*tel;
	const char	*heading;
	const char	*details;
	int		 order;
};

/*
 * Everything the index shows.  Sources come in configuration order;
 * entries sorted by (source, order).  A source named by an entry or a
 * hotline but not listed is shown after the listed ones.
 */
struct index_catalog {
	const struct index_source	*sources;
	size_t				 nsources;
	const struct index_entry	*entries;
	size_t				 nentries;
	const struct index_hotline	*hotlines;
	size_t				 nhotlines;
};

/* index.html and search.js together stay within this many bytes. */
#define INDEX_PAGE_MAX		3000000
/* The most characters of an entry's text that search.js carries. */
#define INDEX_TEXT_CHARS	1500

int	index_json(const struct index_catalog *, struct buf *);
int	index_html(const struct index_catalog *, struct buf *);
int	index_search(const struct index_catalog *, struct buf *);
int	index_readme(const struct index_catalog *, struct buf *);

#endif
