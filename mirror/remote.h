/* remote.h -- fetch from and push to git remotes; refs that remember them */
#ifndef FERRY_REMOTE_H
#define FERRY_REMOTE_H

#include <stddef.h>

#include "store.h"

struct conf;

/*
 * A commit that came in: its id, its subject, and its signature (the
 * armored text of its gpgsig header, NULL when unsigned) with the bytes
 * it signs.
 */
struct remote_commit {
	char		 hex[STORE_OIDLEN + 1];
	const char	*subject;
	const char	*sig;
	size_t		 siglen;
	const char	*data;
	size_t		 datalen;
};
typedef int remote_commit_cb(const struct remote_commit *, void *);

int	remote_fetch(struct store *, const struct conf *, const char *,
	    const char *, const char *, char *);
int	remote_push(struct store *, const struct conf *, const char *);
int	remote_ref(struct store *, const char *, char *);
int	remote_set_ref(struct store *, const char *, const char *,
	    const char *);
int	remote_descends(struct store *, const char *, const char *);
int	remote_walk(struct store *, const char *, const char *const *, size_t,
	    remote_commit_cb *, void *);
long	remote_count(struct store *, const char *, const char *const *,
	    size_t);

#endif
