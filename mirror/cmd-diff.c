/*
 * cmd-diff.c -- "ferry diff": what changed between two states of the
 * mirror.
 *
 * By default the last commit against its parent (what the last pass
 * changed); one revision or date compares it with HEAD, two compare them
 * in order.  Without --text: one line per file with its sizes.  With
 * --text: the unified diff of the readable text of each changed page
 * (text/), the sentences that changed.  A PATH or URL limits both to one
 * resource or directory.  Revisions are anything git understands (HEAD~3,
 * an abbreviated id) or a date, meaning the mirror as it was at the end of
 * it.  Documents get no text diff: their sizes and hashes say they changed.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cmd.h"
#include "conf.h"
#include "err.h"
#include "history.h"
#include "json.h"
#include "store.h"
#include "xmalloc.h"

#define PATCH_MAX	(64u << 20)	/* bytes of one text diff */

static void
human(char *out, size_t len, int64_t bytes)
{
	if (bytes < 0)
		snprintf(out, len, "?");
	else if (bytes >= 1000000000)
		snprintf(out, len, "%.1f GB", (double)bytes / 1e9);
	else if (bytes >= 1000000)
		snprintf(out, len, "%.1f MB", (double)bytes / 1e6);
	else if (bytes >= 1000)
		snprintf(out, len, "%.1f kB", (double)bytes / 1e3);
	else
		snprintf(out, len, "%" PRId64 " bytes", bytes);
}

static int
is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* An argument that names a resource rather than a revision. */
static int
names_resource(const char *arg)
{
	return is_url(arg) || strchr(arg, '/') != NULL;
}

/* "site/h/a.html" -> "text/h/a.html.txt". */
static char *
text_of(const char *path)
{
	char	*t;

	if (strncmp(path, "site/", 5) != 0)
		return NULL;
	xasprintf(&t, "text/%s.txt", path + 5);
	return t;
}

/*
 * The mirror path a URL key names, in the newer commit or else the older
 * one; the key itself when it is a path.
 */
static char *
resolve_key(struct store *s, const char *key, const char *a, const char *b)
{
	struct json		*idx = NULL;
	const struct json	*r;
	const char		*path, *commits[2] = { b, a };
	char			*out = NULL;
	int			 i;

	if (!is_url(key))
		return xstrdup(key);
	for (i = 0; i < 2 && out == NULL; i++) {
		if (commits[i] == NULL || *commits[i] == '\0' ||
		    history_index(s, commits[i], &idx) != 0) {
			err_clear();
			continue;
		}
		r = history_find(idx, key);
		if ((path = json_get_str(r, "path")) != NULL && *path != '\0')
			out = xstrdup(path);
		json_free(idx);
		idx = NULL;
	}
	return out != NULL ? out : xstrdup(key);
}

static int
wanted(const char *key, const char *text_key, const char *path)
{
	if (key == NULL)
		return 1;
	return history_matches(key, path, NULL) ||
	    (text_key != NULL && history_matches(text_key, path, NULL));
}

/* Keep the deltas key names (all without a key); returns how many. */
static size_t
keep_wanted(struct history_delta *v, size_t n, const char *key,
    const char *text_key)
{
	size_t	i, m = 0;

	for (i = 0; i < n; i++) {
		if (wanted(key, text_key, v[i].path))
			v[m++] = v[i];
		else
			free(v[i].path);
	}
	return m;
}

static void
print_list(const struct history_delta *v, size_t n, const char *key)
{
	char	a[32], b[32];
	size_t	i, counts[3] = { 0, 0, 0 };

	for (i = 0; i < n; i++) {
		const struct history_delta *d = &v[i];

		/* The text of pages is for --text; the list is the copies. */
		if (strncmp(d->path, "text/", 5) == 0 &&
		    (key == NULL || strncmp(key, "text/", 5) != 0))
			continue;
		human(a, sizeof a, d->old_size);
		human(b, sizeof b, d->new_size);
		if (d->status == 'A') {
			printf("added    %s (%s)\n", d->path, b);
			counts[1]++;
		} else if (d->status == 'D') {
			printf("removed  %s (was %s)\n", d->path, a);
			counts[2]++;
		} else {
			printf("updated  %s (%s -> %s)\n", d->path, a, b);
			counts[0]++;
		}
	}
	printf("%zu updated, %zu added, %zu removed\n", counts[0], counts[1],
	    counts[2]);
}

static int
print_text(struct store *s, const struct history_delta *v, size_t n)
{
	struct buf	b = BUF_INIT;
	size_t		i, shown = 0;
	int		rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		if (strncmp(v[i].path, "text/", 5) != 0)
			continue;
		buf_init(&b, PATCH_MAX);
		if ((rc = history_patch(s, &v[i], &b)) == 0 && b.len > 0) {
			fwrite(b.ptr, 1, b.len, stdout);
			shown++;
		}
		buf_free(&b);
	}
	if (rc == 0 && shown == 0)
		printf("no text changed\n");
	return rc;
}

static void
describe(struct store *s, const char *hex, char *out, size_t len)
{
	struct history		*h = NULL;
	struct history_pass	 p;
	struct tm		 tm;
	time_t			 t;
	char			 date[32] = "";

	if (*hex == '\0') {
		snprintf(out, len, "nothing");
		return;
	}
	if (history_open(s, hex, &h) == 0 && history_next(h, &p) == 0) {
		t = (time_t)p.time;
		localtime_r(&t, &tm);
		strftime(date, sizeof date, " (%Y-%m-%d %H:%M)", &tm);
		history_pass_clear(&p);
	}
	err_clear();
	history_close(h);
	snprintf(out, len, "%.12s%s", hex, date);
}

static int
cmd_diff_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "text", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct conf		*conf = NULL;
	struct store		*store = NULL;
	struct history		*h = NULL;
	struct history_pass	 p;
	struct history_delta	*v = NULL;
	const char		*revs[2] = { NULL, NULL }, *arg = NULL;
	char			 a[STORE_OIDLEN + 1] = "";
	char			 b[STORE_OIDLEN + 1] = "", da[64], db[64];
	char			*key = NULL, *text_key = NULL, *k = NULL;
	size_t			 n = 0, nrevs = 0;
	int			 ch, text = 0, rc = EXIT_FATAL, i;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 't') {
			cmd_usage(&cmd_diff_entry);
			return EXIT_USAGE;
		}
		text = 1;
	}
	for (i = optind; i < argc; i++) {
		if (arg == NULL && names_resource(argv[i]))
			arg = argv[i];
		else if (arg == NULL && nrevs < 2)
			revs[nrevs++] = argv[i];
		else {
			cmd_usage(&cmd_diff_entry);
			return EXIT_USAGE;
		}
	}
	if ((rc = cmd_open_mirror(ctx, &conf, &store, 0)) != EXIT_OK)
		return rc;
	rc = EXIT_FATAL;
	if (nrevs == 0) {
		if (history_open(store, "HEAD", &h) != 0 ||
		    history_next(h, &p) != 0)
			goto fail;
		memcpy(b, p.commit, sizeof b);
		memcpy(a, p.parent, sizeof a);
		history_pass_clear(&p);
	} else {
		if (history_resolve(store, revs[0], a) != 0 ||
		    history_resolve(store, nrevs == 2 ? revs[1] : "HEAD",
		    b) != 0)
			goto fail;
	}
	if (arg != NULL) {
		k = history_key(store, arg);
		key = resolve_key(store, k, a, b);
		text_key = text_of(key);
	}
	if (history_diff(store, a, b, &v, &n) != 0)
		goto fail;
	describe(store, a, da, sizeof da);
	describe(store, b, db, sizeof db);
	n = keep_wanted(v, n, key, text_key);
	if (n == 0) {
		printf("no change from %s to %s\n", da, db);
		rc = EXIT_OK;
		goto out;
	}
	if (!text)
		printf("from %s to %s:\n", da, db);
	if (text ? print_text(store, v, n) != 0 : (print_list(v, n, key), 0))
		goto fail;
	rc = EXIT_OK;
	goto out;
fail:
	fprintf(stderr, "ferry: %s\n", err_msg());
out:
	history_deltas_free(v, n);
	history_close(h);
	free(k);
	free(key);
	free(text_key);
	store_close(store);
	conf_free(conf);
	return rc;
}

const struct cmd_entry cmd_diff_entry = {
	.name = "diff",
	.usage = "[--text] [REV [REV]] [PATH | URL]",
	.summary = "show what changed between two states of the mirror",
	.help = "Without a revision, what the last commit changed; with one, "
	    "what changed\nfrom it to HEAD; with two, from the first to the "
	    "second.  A revision is\nanything git understands (HEAD~3, an "
	    "abbreviated commit id) or a date\n(2026-11-01, '2026-11-01 "
	    "04:00', 7d): the mirror as it was at its end.\n\n"
	    "--text       the unified diff of each changed page's readable "
	    "text\n             (text/...): the sentences that changed\n"
	    "PATH | URL   only that file, directory or resource (a path has "
	    "a '/':\n             site/..., text/..., ./index.json)\n\n"
	    "Without --text, one line per changed file with its sizes.",
	.exec = cmd_diff_exec,
};
