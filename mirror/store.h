/* store.h -- the mirror repository: blobs, trees, commits (libgit2) */
#ifndef FERRY_STORE_H
#define FERRY_STORE_H

#include <stddef.h>
#include <stdint.h>

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

/* Bytes of a blob, a chunk at a time: 0, or -1 with the error set. */
typedef int store_sink(void *, const void *, size_t);

/* A file of a commit's tree. */
struct store_file {
	const char	*path;
	char		 blob[STORE_OIDLEN + 1];
	int64_t		 size;
	int		 mode;		/* 0644 or 0755 */
};
typedef int store_file_cb(const struct store_file *, void *);

int	 store_global_init(void);
void	 store_global_free(void);
void	 store_trust_owner(void);
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
int	 store_blob_to_file(struct store *, const char *, const char *);
int	 store_blob_stream(struct store *, const char *, store_sink *, void *);
int	 store_tree_files(struct store *, const char *, const char *,
	    store_file_cb *, void *);
int	 store_advance(struct store *, const char *, const char *,
	    const char *);
int	 store_merge(struct store *, const char *, const char *,
	    const char *, const char *, const char *, char *);
int	 store_local_edits(struct store *, struct buf *);
void	 store_sign_with(const char *);
int	 store_commit(struct store *, const char *,
	    const struct store_change *, size_t, const char *, const char *,
	    const char *, char *);
int	 store_checkout(struct store *);
int	 store_apply(struct store *, const struct store_change *, size_t);
int	 store_stage(struct store *, const char *);

/* What the object database holds on disk. */
struct store_usage {
	size_t	 loose;		/* loose objects */
	size_t	 loose_big;	/* of which documents a pass leaves loose */
	int64_t	 loose_bytes;
	size_t	 packs;
	int64_t	 pack_bytes;	/* every file in objects/pack */
};

/* What one packing did; bytes are of loose objects and packs together. */
struct store_packed {
	size_t	 objects;	/* written to the new pack */
	size_t	 loose_removed;
	size_t	 packs_removed;
	int64_t	 bytes_before;
	int64_t	 bytes_after;
};

#define STORE_PACK_ALL	0x1	/* one pack of everything reachable */

struct git_repository;

struct git_repository *store_repository(struct store *);
int	 store_git_fail(const char *, const char *);
void	 store_set_fsync(int);
int	 store_repair(struct store *);
int	 store_usage(struct store *, struct store_usage *);
int	 store_pack(struct store *, int, struct store_packed *);
void	 store_autopack(struct store *, long);

#endif
