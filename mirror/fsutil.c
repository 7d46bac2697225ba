/*
 * fsutil.c -- atomic file writes and small file-system helpers.
 *
 * The one place that writes a whole file: a temporary name in the same
 * directory, write, fsync, rename, fsync the directory, so a crash leaves
 * either the old file or the new one.  Errors name the path and the reason.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "fsutil.h"
#include "xmalloc.h"

int
fsutil_fsync_dir(const char *dir)
{
	int	fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return err_set("cannot open directory '%s': %s", dir,
		    strerror(errno));
	if (fsync(fd) == -1 && errno != EINVAL) {
		close(fd);
		return err_set("cannot sync directory '%s': %s", dir,
		    strerror(errno));
	}
	close(fd);
	return 0;
}

/*
 * Flush everything written to the file system that holds path: one
 * journal commit for many files, where an fsync per file costs one each.
 */
int
fsutil_syncfs(const char *path)
{
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return err_set("cannot open '%s': %s", path, strerror(errno));
	if (syncfs(fd) == -1) {
		close(fd);
		return err_set("cannot sync the file system of '%s': %s", path,
		    strerror(errno));
	}
	close(fd);
	return 0;
}

/* Write all of data to fd, retrying short writes; -1 with errno. */
int
fsutil_write_all(int fd, const void *data, size_t len)
{
	const char	*p = data;
	ssize_t		 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Replace path with data; with sync, survive a crash at any instant. */
int
fsutil_write_atomic(const char *path, const void *data, size_t len, int sync)
{
	char	*tmp = NULL, *dir = NULL;
	int	 fd = -1, rc = -1;

	xasprintf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1) {
		err_set("cannot create '%s': %s", tmp, strerror(errno));
		goto out;
	}
	if (fsutil_write_all(fd, data, len) == -1 || (sync && fsync(fd) == -1)) {
		err_set("cannot write '%s': %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		err_set("cannot write '%s': %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		err_set("cannot rename '%s' to '%s': %s", tmp, path,
		    strerror(errno));
		goto out;
	}
	dir = fsutil_dirname(path);
	if (sync && fsutil_fsync_dir(dir) != 0)
		goto out;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (rc != 0 && tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(dir);
	return rc;
}

/*
 * Copy src to dst (which it replaces) a chunk at a time, under a
 * temporary name renamed at the end, so a reader never sees half of it.
 */
int
fsutil_copy_atomic(const char *src, const char *dst, mode_t mode)
{
	char	*tmp, chunk[65536];
	ssize_t	 n;
	int	 in, out = -1, rc = -1;

	xasprintf(&tmp, "%s.tmp.%ld", dst, (long)getpid());
	if ((in = open(src, O_RDONLY | O_CLOEXEC)) == -1) {
		err_set("cannot read '%s': %s", src, strerror(errno));
		goto out;
	}
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode)) == -1) {
		err_set("cannot create '%s': %s", tmp, strerror(errno));
		goto out;
	}
	while ((n = read(in, chunk, sizeof chunk)) > 0)
		if (fsutil_write_all(out, chunk, (size_t)n) == -1)
			break;
	if (n != 0 || close(out) == -1) {
		out = -1;
		err_set("cannot copy '%s' to '%s': %s", src, dst,
		    strerror(errno));
		goto out;
	}
	out = -1;
	if (rename(tmp, dst) == -1) {
		err_set("cannot rename '%s' to '%s': %s", tmp, dst,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (in != -1)
		close(in);
	if (out != -1)
		close(out);
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Read a whole file; the buffer's cap bounds how much that may be. */
int
fsutil_read(const char *path, struct buf *out)
{
	char	chunk[65536];
	ssize_t	n;
	int	fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return err_code(FERRY_ENOTFOUND, "cannot open '%s': %s",
			    path, strerror(errno));
		return err_set("cannot open '%s': %s", path, strerror(errno));
	}
	for (;;) {
		if ((n = read(fd, chunk, sizeof chunk)) == -1) {
			if (errno == EINTR)
				continue;
			err_set("cannot read '%s': %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if ((rc = buf_add(out, chunk, (size_t)n)) != 0) {
			err_prefix("'%s'", path);
			goto out;
		}
		rc = -1;
	}
	if (out->ptr == NULL)
		buf_add(out, "", 0);
	rc = 0;
out:
	close(fd);
	return rc;
}

int
fsutil_mkdirs(const char *path, mode_t mode)
{
	char	*p, *s;
	int	 rc = 0;

	p = xstrdup(path);
	for (s = p + 1; rc == 0; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, mode) == -1 && errno != EEXIST)
			rc = err_set("cannot create directory '%s': %s", p,
			    strerror(errno));
		else if (!fsutil_is_dir(p))
			rc = err_set("cannot create directory '%s': a file "
			    "is in the way", p);
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

int
fsutil_is_dir(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 1 when path is a directory with no entries, 0 otherwise. */
int
fsutil_dir_is_empty(const char *path)
{
	DIR		*d;
	struct dirent	*de;
	int		 empty = 1;

	if ((d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			empty = 0;
			break;
		}
	}
	closedir(d);
	return empty;
}

char *
fsutil_dirname(const char *path)
{
	const char	*slash;

	if ((slash = strrchr(path, '/')) == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

char *
fsutil_join(const char *dir, const char *name)
{
	char	*p;

	if (*dir == '\0' || strcmp(dir, ".") == 0)
		return xstrdup(name);
	xasprintf(&p, "%s%s%s", dir,
	    dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return p;
}

/* path made absolute against base (a directory), without resolving links. */
char *
fsutil_absolute(const char *base, const char *path)
{
	char	*cwd, *p;

	if (path[0] == '/')
		return xstrdup(path);
	if (base != NULL && base[0] == '/')
		return fsutil_join(base, path);
	if ((cwd = getcwd(NULL, 0)) == NULL)
		return xstrdup(path);
	if (base != NULL && *base != '\0' && strcmp(base, ".") != 0) {
		char *b = fsutil_join(cwd, base);
		p = fsutil_join(b, path);
		free(b);
	} else
		p = fsutil_join(cwd, path);
	free(cwd);
	return p;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) == -1 &&
	    errno != ENOENT)
		return err_set("cannot remove '%s': %s", path, strerror(errno));
	return 0;
}

/* Remove a directory and everything below it; symbolic links are not
 * followed.  Only for trees ferry itself created. */
int
fsutil_rmtree(const char *path)
{
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		return -1;
	return 0;
}

/*
 * Remove the files of dir whose names start with prefix: what a killed
 * writer left behind.  The caller holds the lock that makes them stale.
 */
void
fsutil_sweep(const char *dir, const char *prefix)
{
	DIR		*d;
	struct dirent	*de;
	char		*f;
	size_t		 n = strlen(prefix);

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, n) != 0)
			continue;
		f = fsutil_join(dir, de->d_name);
		(void)unlink(f);
		free(f);
	}
	closedir(d);
}
