/* history.h -- the mirror's past, read back from its commits */
#ifndef FERRY_HISTORY_H
#define FERRY_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store.h"

struct buf;
struct json;

/*
 * One line of a pass's commit body.  verb is "updated", "added",
 * "removed" or "failed" (or whatever word a later ferry writes); path is
 * NULL for a failure, detail NULL when the line gives no reason.
 */
struct history_change {
	char	*verb;
	char	*path;
	char	*url;
	char	*detail;
};

/*
 * One commit, as ferry wrote it.  source is the Ferry-Source trailer,
 * NULL for a commit ferry did not make; started and finished are 0, and
 * requests and bytes -1, when their trailer is missing.  parent is "" for
 * the first commit.
 */
struct history_pass {
	char			 commit[STORE_OIDLEN + 1];
	char			 parent[STORE_OIDLEN + 1];
	char			*subject;
	char			*source;
	int64_t			 time;
	int64_t			 started;
	int64_t			 finished;
	int64_t			 requests;
	int64_t			 bytes;
	struct history_change	*changes;
	size_t			 nchanges;
};

/* One path that differs between two commits; sizes are -1 when absent. */
struct history_delta {
	char	 status;	/* 'A' added, 'D' removed, 'M' changed */
	char	*path;
	char	 old_blob[STORE_OIDLEN + 1];	/* "" when absent */
	char	 new_blob[STORE_OIDLEN + 1];
	int64_t	 old_size;
	int64_t	 new_size;
};

/* Bytes of content: the files of one commit, every version ever kept. */
struct history_sizes {
	int64_t	 head_bytes;
	size_t	 head_files;
	int64_t	 all_bytes;
	size_t	 all_blobs;
	size_t	 commits;
};

struct history;

int	 history_parse_message(const char *, struct history_pass *);
void	 history_pass_clear(struct history_pass *);
int	 history_parse_date(const char *, time_t, time_t *, time_t *);
int	 history_open(struct store *, const char *, struct history **);
int	 history_next(struct history *, struct history_pass *);
void	 history_close(struct history *);
int	 history_resolve(struct store *, const char *, char *);
int	 history_read(struct store *, const char *, const char *,
	    struct buf *, char *);
int	 history_index(struct store *, const char *, struct json **);
const struct json *history_find(const struct json *, const char *);
char	*history_key(struct store *, const char *);
int	 history_matches(const char *, const char *, const char *);
int	 history_diff(struct store *, const char *, const char *,
	    struct history_delta **, size_t *);
void	 history_deltas_free(struct history_delta *, size_t);
int	 history_patch(struct store *, const struct history_delta *,
	    struct buf *);
int	 history_sizes(struct store *, const char *, struct history_sizes *);

#endif
