/* publish.h -- the mirror's branch pushed to its [publish] remotes */
#ifndef FERRY_PUBLISH_H
#define FERRY_PUBLISH_H

#include <stdint.h>

#include "store.h"

struct conf;

/*
 * What is known of one remote: the commit it was last given ("" never),
 * when a push was last tried (0 never) and why it failed (NULL: it
 * worked), and how many commits of HEAD it lacks (-1: unknown).
 */
struct publish_status {
	char	*url;
	char	 pushed[STORE_OIDLEN + 1];
	int64_t	 tried;
	char	*error;
	long	 behind;
};

int	publish_run(const struct conf *, int, int *, int *);
int	publish_load(const struct conf *, struct store *,
	    struct publish_status **);
void	publish_free(struct publish_status *, size_t);

#endif
