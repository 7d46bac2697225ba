/* verify.h -- checking a mirror against itself */
#ifndef FERRY_VERIFY_H
#define FERRY_VERIFY_H

#include <stddef.h>

struct store;

/* What a check covered, and how many problems it reported. */
struct verify_stats {
	size_t	commits;
	size_t	objects;	/* re-hashed */
	size_t	files;		/* of the working tree, compared */
	size_t	entries;	/* of index.json, compared */
	size_t	problems;
};

/* One problem: what (a file, an object), what it should be, what it is. */
typedef void	verify_cb(const char *, const char *, const char *, void *);

int	verify_mirror(struct store *, verify_cb *, void *,
	    struct verify_stats *);

#endif
