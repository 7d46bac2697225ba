/* manifest.h -- the MANIFEST of an export: its text format, both ways */
#ifndef FERRY_MANIFEST_H
#define FERRY_MANIFEST_H

#include <stddef.h>
#include <stdint.h>


struct buf;

struct manifest_file {
	char	*path;
	char	 sha256[65];
	int64_t	 size;
};

struct manifest {
	uint64_t		 sequence;	/* only grows, export to export */
	char			 commit[41];
	int64_t			 exported;	/* seconds since the epoch */
	int64_t			 expires;
	struct manifest_file	*files;		/* sorted by path */
	size_t			 nfiles;
};

int	 manifest_parse(const char *, size_t, const char *, struct manifest *);
void	 manifest_format(const struct manifest *, struct buf *);
void	 manifest_add(struct manifest *, const char *, const char *, int64_t);
void	 manifest_sort(struct manifest *);
const struct manifest_file *manifest_find(const struct manifest *,
	    const char *);
int	 manifest_path_ok(const char *);
void	 manifest_free(struct manifest *);

#endif
