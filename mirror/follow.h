/* follow.h -- a follow pass: the hub's history taken in */
#ifndef FERRY_FOLLOW_H
#define FERRY_FOLLOW_H

#include <stdint.h>

#include "store.h"

struct conf;

/* What a follow pass did; head is "" when HEAD did not move. */
struct follow_result {
	char	tip[STORE_OIDLEN + 1];	/* the hub's branch, as fetched */
	char	head[STORE_OIDLEN + 1];
	long	commits;		/* of the hub, new to this mirror */
	int	merged;			/* local additions kept by a merge */
};

/*
 * What is known of the hub: the commit last fetched and the last one
 * taken in ("" none), when a follow pass last ran (0 never) and why it
 * failed (NULL: it worked), and how many fetched commits HEAD lacks.
 */
struct follow_status {
	char	 fetched[STORE_OIDLEN + 1];
	char	 followed[STORE_OIDLEN + 1];
	int64_t	 tried;
	char	*error;
	long	 behind;
};

int	follow_run(const struct conf *, struct follow_result *);
int	follow_load(struct store *, struct follow_status *);
void	follow_status_free(struct follow_status *);

#endif
