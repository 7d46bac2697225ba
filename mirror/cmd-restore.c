/*
 * cmd-restore.c -- "ferry restore": an earlier version of a resource,
 * brought back for reading.
 *
 * The version is written under restored/<date>-<commit>/<path> in the
 * mirror, beside the copy, never over it: the copy stays what HEAD says
 * (a sync would put it back anyway), the history is not changed, and
 * restored/ is listed in .git/info/exclude so that "git status" stays
 * clean.  For a page, its readable text (text/...) comes along.  Without
 * --at, the version before the one HEAD holds (or the last one kept, for
 * a resource the mirror no longer has); with --at, the version as of that
 * revision or date.  A URL is looked up in each commit's index.json; a
 * copy renamed between passes is not followed.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cmd.h"
#include "conf.h"
#include "err.h"
#include "fsutil.h"
#include "history.h"
#include "json.h"
#include "pathmap.h"
#include "store.h"
#include "xmalloc.h"

#define RESTORE_MAX	(1u << 30)	/* bytes of one file restored */
#define RESTORE_DIR	"restored"

static int
is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* The path key names in commit, or NULL (a URL the commit does not list). */
static char *
path_in(struct store *s, const char *commit, const char *key)
{
	struct json	*idx = NULL;
	const char	*path;
	char		*out = NULL;

	if (!is_url(key))
		return xstrdup(key);
	if (history_index(s, commit, &idx) != 0) {
		err_clear();
		return NULL;
	}
	path = json_get_str(history_find(idx, key), "path");
	if (path != NULL && *path != '\0')
		out = xstrdup(path);
	json_free(idx);
	return out;
}

/*
 * The commit and path of the version to restore: as of at, or the newest
 * one that differs from HEAD's.
 */
static int
choose(struct store *s, const char *key, const char *at, char *commit,
    char **path)
{
	struct history		*h = NULL;
	struct history_pass	 p;
	char			 head[STORE_OIDLEN + 1];
	char			 cur[STORE_OIDLEN + 1];
	char			 blob[STORE_OIDLEN + 1], *pth = NULL;
	int			 rc, first = 1;

	*path = NULL;
	if (at != NULL) {
		if ((rc = history_resolve(s, at, commit)) != 0)
			return rc;
		if ((*path = path_in(s, commit, key)) == NULL ||
		    history_read(s, commit, *path, NULL, NULL) != 0) {
			free(*path);
			*path = NULL;
			return err_code(FERRY_ENOTFOUND, "'%s' was not in the "
			    "mirror as of %s (commit %.12s)", key, at, commit);
		}
		return 0;
	}
	if ((rc = store_head(s, head)) != 0 ||
	    (rc = history_open(s, head, &h)) != 0)
		return rc;
	*cur = '\0';
	while ((rc = history_next(h, &p)) == 0) {
		if (pth == NULL)
			pth = path_in(s, p.commit, key);
		if (pth != NULL && history_read(s, p.commit, pth, NULL,
		    blob) == 0) {
			if (first)
				memcpy(cur, blob, sizeof cur);
			else if (strcmp(blob, cur) != 0) {
				memcpy(commit, p.commit, STORE_OIDLEN + 1);
				history_pass_clear(&p);
				break;
			}
		}
		err_clear();
		if (first && pth == NULL)
			*cur = '\0';
		first = 0;
		history_pass_clear(&p);
	}
	history_close(h);
	if (rc == FERRY_ENOTFOUND) {
		free(pth);
		return err_code(FERRY_ENOTFOUND, "no earlier version of '%s' "
		    "in the mirror's history", key);
	}
	if (rc != 0) {
		free(pth);
		return rc;
	}
	*path = pth;
	return 0;
}

/* restored/ is for reading: keep it out of "git status". */
static void
exclude_restored(struct store *s)
{
	struct buf	 b = BUF_INIT;
	char		*info, *file;
	const char	*line = "/" RESTORE_DIR "/\n";

	info = fsutil_join(store_private(s), "../info");
	file = fsutil_join(info, "exclude");
	buf_init(&b, 1u << 20);
	if (fsutil_read(file, &b) != 0)
		err_clear();
	if (b.ptr == NULL || strstr(b.ptr, line) == NULL) {
		if (b.len > 0 && b.ptr[b.len - 1] != '\n')
			buf_addc(&b, '\n');
		buf_addstr(&b, line);
		if (fsutil_mkdirs(info, 0755) != 0 ||
		    fsutil_write_atomic(file, b.ptr, b.len, 0) != 0)
			err_clear();	/* only git status would show it */
	}
	buf_free(&b);
	free(file);
	free(info);
}

/* Write path of commit to dir/path; the relative name goes to *out. */
static int
write_version(struct store *s, const char *commit, const char *path,
    const char *dir, char **out)
{
	struct buf	 b = BUF_INIT;
	char		*rel = NULL, *full = NULL, *parent = NULL;
	int		 rc = -1;

	buf_init(&b, RESTORE_MAX);
	if ((rc = history_read(s, commit, path, &b, NULL)) != 0)
		goto out;
	rc = -1;
	rel = fsutil_join(dir, path);
	full = fsutil_join(store_root(s), rel);
	parent = fsutil_dirname(full);
	if (fsutil_mkdirs(parent, 0755) != 0 ||
	    fsutil_write_atomic(full, b.ptr ? b.ptr : "", b.len, 0) != 0)
		goto out;
	*out = rel;
	rel = NULL;
	rc = 0;
out:
	buf_free(&b);
	free(rel);
	free(full);
	free(parent);
	return rc;
}

static int
cmd_restore_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct conf		*conf = NULL;
	struct store		*store = NULL;
	struct history		*h = NULL;
	struct history_pass	 p;
	const char		*at = NULL;
	char			 commit[STORE_OIDLEN + 1];
	char			 date[32], day[16];
	char			*key = NULL, *path = NULL, *dir = NULL;
	char			*rel = NULL, *text = NULL, *trel = NULL;
	struct tm		 tm;
	time_t			 t;
	int			 ch, rc;

	memset(&p, 0, sizeof p);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'a') {
			cmd_usage(&cmd_restore_entry);
			return EXIT_USAGE;
		}
		at = optarg;
	}
	if (argc - optind != 1) {
		cmd_usage(&cmd_restore_entry);
		return EXIT_USAGE;
	}
	if ((rc = cmd_open_mirror(ctx, &conf, &store, 0)) != EXIT_OK)
		return rc;
	rc = EXIT_FATAL;
	key = history_key(store, argv[optind]);
	if (choose(store, key, at, commit, &path) != 0)
		goto fail;
	if (!pathmap_is_safe(path)) {
		err_set("'%s' is not a name ferry writes", path);
		goto fail;
	}
	if (history_open(store, commit, &h) != 0 || history_next(h, &p) != 0)
		goto fail;
	t = (time_t)p.time;
	localtime_r(&t, &tm);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M", &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	xasprintf(&dir, "%s/%s-%.7s", RESTORE_DIR, day, commit);
	if (write_version(store, commit, path, dir, &rel) != 0)
		goto fail;
	if (strncmp(path, "site/", 5) == 0) {
		xasprintf(&text, "text/%s.txt", path + 5);
		if (history_read(store, commit, text, NULL, NULL) != 0)
			err_clear();
		else if (write_version(store, commit, text, dir, &trel) != 0)
			goto fail;
	}
	exclude_restored(store);
	if (!ctx->quiet) {
		printf("%s as it was on %s (commit %.12s): %s/%s\n", path,
		    date, commit, store_root(store), rel);
		if (trel != NULL)
			printf("its text: %s/%s\n", store_root(store), trel);
	}
	rc = EXIT_OK;
	goto out;
fail:
	fprintf(stderr, "ferry: %s\n", err_msg());
out:
	history_pass_clear(&p);
	history_close(h);
	free(key);
	free(path);
	free(dir);
	free(rel);
	free(text);
	free(trel);
	store_close(store);
	conf_free(conf);
	return rc;
}

const struct cmd_entry cmd_restore_entry = {
	.name = "restore",
	.usage = "[--at DATE | REV] PATH | URL",
	.summary = "bring back an earlier version of a resource, for reading",
	.help = "Writes an earlier version of a copy under restored/DATE-"
	    "COMMIT/ in the\nmirror, beside the current one, with its "
	    "readable text for a page.  The\ncopy itself and the history are "
	    "not changed.\n\n"
	    "--at DATE | REV   the version as of a date (2026-11-01, "
	    "'2026-11-01 04:00',\n                  7d) or a revision (HEAD~3, "
	    "a commit id); by default the\n                  version before "
	    "the current one, or the last one kept\nPATH | URL         the "
	    "copy (site/...) or the resource's URL",
	.exec = cmd_restore_exec,
};
