/* fsutil.h -- atomic file writes and small file-system helpers */
#ifndef FERRY_FSUTIL_H
#define FERRY_FSUTIL_H

#include <sys/types.h>
#include <stddef.h>

struct buf;

int	fsutil_write_atomic(const char *, const void *, size_t, int);
int	fsutil_write_all(int, const void *, size_t);
int	fsutil_copy_atomic(const char *, const char *, mode_t);
int	fsutil_read(const char *, struct buf *);
int	fsutil_mkdirs(const char *, mode_t);
int	fsutil_fsync_dir(const char *);
int	fsutil_syncfs(const char *);
int	fsutil_is_dir(const char *);
int	fsutil_dir_is_empty(const char *);
int	fsutil_rmtree(const char *);
void	fsutil_sweep(const char *, const char *);
char	*fsutil_dirname(const char *);
char	*fsutil_join(const char *, const char *);
char	*fsutil_absolute(const char *, const char *);

#endif
