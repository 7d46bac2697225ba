/* transfer.h -- the history a stick carries, and taking it in */
#ifndef FERRY_TRANSFER_H
#define FERRY_TRANSFER_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* What transfer_pack wrote, and the big blobs it left to copy loose. */
struct transfer_pack {
	char	 pack[64];	/* "pack-<hex>" (.pack and .idx), or "" */
	size_t	 objects;	/* in the pack */
	size_t	 commits;
	int	 incremental;	/* 0: the whole history */
	char	**loose;	/* ids of the big blobs */
	int64_t	*loose_size;	/* each one's size, uncompressed */
	size_t	 nloose;
	int64_t	 loose_bytes;	/* their sizes together */
};

int	transfer_pack(struct store *, const char *, const char *, const char *,
	    struct transfer_pack *);
void	transfer_pack_free(struct transfer_pack *);
int	transfer_loose(struct store *, const char *, store_sink *, void *);
int	transfer_take_pack(struct store *, const char *);
int	transfer_take_loose(struct store *, const char *, const char *);
int	transfer_complete(struct store *, const char *);

#endif
