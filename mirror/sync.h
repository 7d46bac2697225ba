/* sync.h -- one sync pass over one source */
#ifndef FERRY_SYNC_H
#define FERRY_SYNC_H

#include <stdint.h>

struct conf;
struct conf_source;
struct crawl_progress;

/* Called after each resource of a pass is settled. */
typedef void	sync_progress_cb(const struct crawl_progress *, void *);

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
	    sync_progress_cb *, void *, struct sync_stats *);
int	sync_index(const struct conf *, struct sync_stats *);
char	*sync_text_path(const char *);

#endif
