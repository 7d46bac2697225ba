/* pathmap.h -- URL to a file name that is safe on every file system */
#ifndef FERRY_PATHMAP_H
#define FERRY_PATHMAP_H

/*
 * Mirror paths are relative to the mirror root, '/'-separated, UTF-8:
 * "site/<host>/<path>".  Every component is non-empty, never "." or "..",
 * never ".git" in any case or spelling, has no character reserved on
 * FAT32, exFAT or NTFS, no trailing dot or space, is not a reserved DOS
 * device name and is at most PATHMAP_NAME_MAX bytes; the whole path is at
 * most PATHMAP_PATH_MAX bytes.  Nothing maps outside "site/".
 */
#define PATHMAP_NAME_MAX	120
#define PATHMAP_PATH_MAX	240
#define PATHMAP_PORTABLE_NAME	255	/* what a stick's file system holds */
#define PATHMAP_PORTABLE_PATH	255

int	 pathmap_map(const char *, const char *, char **);
char	*pathmap_variant(const char *, const char *);
char	*pathmap_fold(const char *);
char	*pathmap_href(const char *, const char *, const char *);
const char *pathmap_ext(const char *);
int	 pathmap_is_safe(const char *);
int	 pathmap_is_portable(const char *);

#endif
