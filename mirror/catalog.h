/* catalog.h -- catalog.conf: the administrator's overrides per resource */
#ifndef FERRY_CATALOG_H
#define FERRY_CATALOG_H

#include <stddef.h>

struct buf;

/*
 * The overrides of one resource.  key is a mirror path relative to the
 * mirror root ("site/www.lapl.org/redcards/ko.pdf") or a normalised URL.
 * A string is NULL when the file does not set it; lang is a normalised
 * BCP 47 tag, or "" for "no language".  hidden is 0 or 1; order counts
 * only when has_order is set.
 */
struct catalog_override {
	char	*key;
	char	*title;
	char	*section;
	char	*lang;
	char	*note;
	int	 hidden;
	int	 has_order;
	int	 order;
};

struct catalog;

int	 catalog_load(const char *, struct catalog **, struct buf *);
const struct catalog_override *catalog_find(const struct catalog *,
	    const char *, const char *);
size_t	 catalog_count(const struct catalog *);
const struct catalog_override *catalog_at(const struct catalog *, size_t);
void	 catalog_free(struct catalog *);

#endif
