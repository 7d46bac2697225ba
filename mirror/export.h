/* export.h -- the USB stick: export, verify, import */
#ifndef FERRY_EXPORT_H
#define FERRY_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "sign.h"

struct conf;
struct store;

#define EXPORT_FAT32	0x1	/* FAT32 rules whatever DIR's file system */

/* What an export did. */
struct export_stats {
	char		 commit[41];
	uint64_t	 sequence;
	int		 incremental;	/* history since the stick's last */
	size_t		 files;		/* in the export, history included */
	size_t		 written;
	size_t		 removed;
	size_t		 unchanged;
	int64_t		 bytes;		/* of every file in the export */
	int64_t		 bytes_written;
	int64_t		 history_bytes;	/* written for the history */
	int64_t		 expires;	/* of the manifest written */
	double		 seconds;
};

/* What a check of a stick found; problems go to the callback. */
struct export_check {
	int		 incomplete;	/* an export did not finish */
	int		 signed_ok;	/* MANIFEST signed by the key */
	int		 key_pinned;	/* the key was given, not the stick's */
	char		 keyid[SIGN_KEYID_HEXLEN + 1];
	int		 expired;
	size_t		 problems;	/* expiry included */
	size_t		 files;		/* checked */
	int64_t		 bytes;
	struct manifest	 m;		/* parsed, when it could be */
};

/* What an import did. */
struct export_import {
	char		 from[41];	/* HEAD before, "" for none */
	char		 commit[41];
	uint64_t	 sequence;
	size_t		 packs;		/* taken in */
	size_t		 loose;
	int		 unchanged;	/* the stick was imported already */
};

typedef void export_problem_cb(const char *, const char *, void *);

int	 export_run(const struct conf *, struct store *, const char *, int,
	    struct export_stats *);
int	 export_verify(const char *, const struct sign_pubkey *,
	    export_problem_cb *, void *, struct export_check *);
void	 export_check_free(struct export_check *);
int	 export_import(const struct conf *, struct store *, const char *,
	    const struct sign_pubkey *, int, export_problem_cb *, void *,
	    struct export_import *);
int	 export_trusted_key(const struct conf *, struct sign_pubkey *);

#endif
