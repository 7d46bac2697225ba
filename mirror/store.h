/* store.h -- the mirror repository: blobs, trees, commits (libgit2) */
#ifndef FERRY_STORE_H
#define FERRY_STORE_H

#include <stddef.h>

#define STORE_OIDLEN	40	/* hex digits of an object id */

/*
 * A change to the tree of the next commit: path gets the blob blob
 * (hex), or is removed when blob is NULL.
 */
struct store_change {
	const char	*path;
	const char	*blob;
};

struct store;
struct buf;

int	 store_global_init(void);
void	 store_global_free(void);
int	 store_open(const char *, int, struct store **);
void	 store_close(struct store *);
int	 store_discard(struct store *);
const char *store_root(const struct store *);
const char *store_private(const struct store *);
int	 store_lock(struct store *);
void	 store_unlock(struct store *);
int	 store_head(struct store *, char *);
int	 store_lookup(struct store *, const char *, char *);
int	 store_blob_file(struct store *, const char *, char *);
int	 store_blob_buf(struct store *, const void *, size_t, char *);
int	 store_read_blob(struct store *, const char *, struct buf *);
int	 store_commit(struct store *, const char *,
	    const struct store_change *, size_t, const char *, const char *,
	    const char *, char *);
int	 store_checkout(struct store *);
int	 store_stage(struct store *, const char *);

#endif
