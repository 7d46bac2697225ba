/* index.h -- the offline index: index.html, index.json, README.txt */
#ifndef FERRY_INDEX_H
#define FERRY_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/*
 * One resource of the mirror as the index shows it.  Strings are UTF-8
 * and never NULL ("" when unknown).  path is relative to the mirror root;
 * sha256 and size describe the body as fetched (before any rewrite);
 * fetched is the time (UTC, seconds) that body was downloaded.  order is
 * the position of the first link to the resource in its source's pages,
 * so entries appear in source order.
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
	const char	*lang;		/* BCP 47 tag or "" */
	const char	*kind;		/* "page", "document", "requisite" */
	int64_t		 size;
	int64_t		 fetched;
	int		 status;	/* HTTP status of the stored copy */
	int		 order;
};

int	index_json(const struct index_entry *, size_t, struct buf *);
int	index_html(const struct index_entry *, size_t, struct buf *);
int	index_readme(const struct index_entry *, size_t, struct buf *);

#endif
