/*
 * manifest.c -- the MANIFEST of an export: its text format, both ways.
 *
 *	ferry manifest 1
 *	# comment lines start with '#'
 *	sequence 12
 *	commit <40 hex digits>
 *	exported 2026-11-26T13:00:00Z
 *	expires 2027-02-24T13:00:00Z
 *	files 2
 *	<sha256, 64 hex digits> <size in bytes> <path>
 *	...
 *	end
 *
 * Paths are relative to the stick's root, '/'-separated, UTF-8, sorted
 * bytewise and unique; they never hold a control character, a "." or
 * ".." component, a backslash or a leading '/'.  The text comes from a
 * stick, so parsing trusts nothing: every line is checked, and an error
 * names the line.  This module does no I/O and knows nothing of
 * signatures (sign.c) or of what the files are (export.c).
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "manifest.h"
#include "utc.h"
#include "xmalloc.h"

#define MANIFEST_MAGIC	"ferry manifest 1"
#define MANIFEST_PATH_MAX 4096

static int
parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t	v = 0;

	if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' ||
		    v > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int
is_hex(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' &&
		    s[i] <= 'f'))
			return 0;
	return s[n] == '\0' || s[n] == ' ';
}

/* Whether path may name a file of an export. */
int
manifest_path_ok(const char *path)
{
	const char	*c;
	size_t		 n;

	if (*path == '\0' || strlen(path) > MANIFEST_PATH_MAX)
		return 0;
	for (c = path; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '\\')
			return 0;
	for (c = path;; c += n + 1) {
		n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		if (c[n] == '\0')
			return 1;
	}
}

static int
parse_file(struct manifest *m, char *line)
{
	struct manifest_file	*f;
	char			*size, *path;
	uint64_t		 v;

	if (!is_hex(line, 64) || line[64] != ' ')
		return -1;
	size = line + 65;
	if ((path = strchr(size, ' ')) == NULL)
		return -1;
	*path++ = '\0';
	if (parse_u64(size, INT64_MAX, &v) != 0 || !manifest_path_ok(path))
		return -1;
	if (m->nfiles > 0 && strcmp(m->files[m->nfiles - 1].path, path) >= 0)
		return -2;
	m->files = xreallocarray(m->files, m->nfiles + 1, sizeof *m->files);
	f = &m->files[m->nfiles++];
	memcpy(f->sha256, line, 64);
	f->sha256[64] = '\0';
	f->size = (int64_t)v;
	f->path = xstrdup(path);
	return 0;
}

/* One header line "key value"; which says which are seen. */
static int
parse_header(struct manifest *m, const char *key, const char *val,
    unsigned *which, uint64_t *nfiles)
{
	if (strcmp(key, "sequence") == 0) {
		*which |= 1;
		return parse_u64(val, INT64_MAX, &m->sequence);
	}
	if (strcmp(key, "commit") == 0) {
		*which |= 2;
		if (strlen(val) != 40 || !is_hex(val, 40))
			return -1;
		memcpy(m->commit, val, 41);
		return 0;
	}
	if (strcmp(key, "exported") == 0) {
		*which |= 4;
		return utc_parse(val, &m->exported);
	}
	if (strcmp(key, "expires") == 0) {
		*which |= 8;
		return utc_parse(val, &m->expires);
	}
	if (strcmp(key, "files") == 0) {
		*which |= 16;
		return parse_u64(val, 100000000, nfiles);
	}
	return -1;
}

/*
 * Parse text into m (which the caller frees with manifest_free, on
 * failure too).  name is what errors call the text ("MANIFEST").
 */
int
manifest_parse(const char *text, size_t len, const char *name,
    struct manifest *m)
{
	char		*copy, *line, *next, *sp;
	unsigned	 which = 0;
	uint64_t	 nfiles = 0;
	size_t		 lineno = 0;
	int		 ended = 0, rc = -1, frc;

	memset(m, 0, sizeof *m);
	if (memchr(text, '\0', len) != NULL)
		return err_set("%s: not a ferry manifest (binary data)", name);
	copy = xstrndup(text, len);
	for (line = copy; line < copy + len; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else {
			err_set("%s:%zu: cut short (no end of line)", name,
			    lineno);
			goto out;
		}
		if (lineno == 1) {
			if (strcmp(line, MANIFEST_MAGIC) != 0) {
				err_set("%s: not a ferry manifest (the first "
				    "line is not '%s')", name, MANIFEST_MAGIC);
				goto out;
			}
			continue;
		}
		if (ended) {
			err_set("%s:%zu: text after 'end'", name, lineno);
			goto out;
		}
		if (line[0] == '#')
			continue;
		if (strcmp(line, "end") == 0) {
			ended = 1;
			continue;
		}
		if ((which & 31) == 31) {
			if ((frc = parse_file(m, line)) == 0)
				continue;
			err_set("%s:%zu: %s", name, lineno, frc == -2 ?
			    "path out of order or repeated" :
			    "not a file line (SHA-256, size, path)");
			goto out;
		}
		if ((sp = strchr(line, ' ')) == NULL ||
		    (*sp++ = '\0', parse_header(m, line, sp, &which,
		    &nfiles)) != 0) {
			err_set("%s:%zu: invalid line '%.60s'", name, lineno,
			    line);
			goto out;
		}
	}
	if (lineno == 0 || (which & 31) != 31 || !ended) {
		err_set("%s: cut short (%s missing)", name,
		    (which & 31) != 31 ? "a header line" : "the 'end' line");
		goto out;
	}
	if (nfiles != m->nfiles) {
		err_set("%s: says %" PRIu64 " files, lists %zu", name, nfiles,
		    m->nfiles);
		goto out;
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

static int
cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct manifest_file *)a)->path,
	    ((const struct manifest_file *)b)->path);
}

/* Sort m's files by path, as the text wants them. */
void
manifest_sort(struct manifest *m)
{
	if (m->nfiles > 1)
		qsort(m->files, m->nfiles, sizeof *m->files, cmp_file);
}

/* m as text; its files sorted already. */
void
manifest_format(const struct manifest *m, struct buf *out)
{
	char	t1[UTC_LEN + 1], t2[UTC_LEN + 1];
	size_t	i;

	utc_format(m->exported, t1);
	utc_format(m->expires, t2);
	buf_addf(out, "%s\n"
	    "# Every file of this export: SHA-256, size in bytes, path.\n"
	    "# Check the stick with 'ferry verify DIR', or this file alone "
	    "with\n# 'minisign -V -p ferry.pub -m MANIFEST'.\n"
	    "sequence %" PRIu64 "\ncommit %s\nexported %s\nexpires %s\n"
	    "files %zu\n", MANIFEST_MAGIC, m->sequence, m->commit, t1, t2,
	    m->nfiles);
	for (i = 0; i < m->nfiles; i++)
		buf_addf(out, "%s %" PRId64 " %s\n", m->files[i].sha256,
		    m->files[i].size, m->files[i].path);
	buf_addstr(out, "end\n");
}

/* The file of m at path, or NULL. */
const struct manifest_file *
manifest_find(const struct manifest *m, const char *path)
{
	struct manifest_file	key;

	if (m->nfiles == 0)
		return NULL;
	key.path = (char *)(uintptr_t)path;
	return bsearch(&key, m->files, m->nfiles, sizeof *m->files,
	    cmp_file);
}

/* Add a file (the caller sorts before formatting). */
void
manifest_add(struct manifest *m, const char *path, const char *sha256,
    int64_t size)
{
	struct manifest_file	*f;

	m->files = xreallocarray(m->files, m->nfiles + 1, sizeof *m->files);
	f = &m->files[m->nfiles++];
	f->path = xstrdup(path);
	memcpy(f->sha256, sha256, 64);
	f->sha256[64] = '\0';
	f->size = size;
}

void
manifest_free(struct manifest *m)
{
	size_t	i;

	for (i = 0; i < m->nfiles; i++)
		free(m->files[i].path);
	free(m->files);
	memset(m, 0, sizeof *m);
}
