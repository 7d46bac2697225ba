/* sync.h -- one sync pass over one source */
#ifndef FERRY_SYNC_H
#define FERRY_SYNC_H

#include <stdint.h>

struct conf;
struct conf_source;

/* What a pass did.  commit is "" when the pass made no commit. */
struct sync_stats {
	int	resources;	/* resources kept for the source */
	int	added;
	int	updated;
	int	removed;
	int	failed;
	int64_t	requests;
	int64_t	bytes;
	double	seconds;
	char	commit[41];
};

int	sync_source(const struct conf *, const struct conf_source *,
	    struct sync_stats *);

#endif
