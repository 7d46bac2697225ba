/*
 * publish.c -- the mirror's branch pushed to each [publish] remote, and
 * what became of each push, kept in .git/ferry/publish for `ferry
 * status`.
 *
 * Called after every pass: a remote that already has HEAD costs nothing
 * (no connection), one whose last push failed is tried again, so a
 * server that was down catches up at the first pass after it is back.
 * A push never touches the mirror's own branch or working tree, and its
 * failure never undoes a commit.  Pushes fast-forward only: a remote
 * whose branch moved elsewhere refuses, and that is reported, not
 * forced.  This file does not talk to remotes itself (remote.c does).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "conf.h"
#include "err.h"
#include "fsutil.h"
#include "log.h"
#include "publish.h"
#include "remote.h"
#include "store.h"
#include "xmalloc.h"

#define STATUS_MAX	(1u << 20)	/* bytes of .git/ferry/publish read */

static int	push_all(const struct conf *, struct store *, int, int *,
		    int *);

/* One line: "PUSHED TRIED URL<TAB>ERROR", PUSHED "-" when never. */
static void
parse_line(char *line, struct publish_status *v, size_t n)
{
	char		*sp1, *sp2, *tab;
	long long	 tried;
	size_t		 i;

	if ((sp1 = strchr(line, ' ')) == NULL ||
	    (sp2 = strchr(sp1 + 1, ' ')) == NULL)
		return;
	*sp1 = *sp2 = '\0';
	if ((tab = strchr(sp2 + 1, '\t')) != NULL)
		*tab++ = '\0';
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].url, sp2 + 1) != 0)
			continue;
		if (strlen(line) == STORE_OIDLEN)
			memcpy(v[i].pushed, line, STORE_OIDLEN + 1);
		if (sscanf(sp1 + 1, "%lld", &tried) == 1)
			v[i].tried = tried;
		free(v[i].error);
		v[i].error = tab != NULL && *tab != '\0' ? xstrdup(tab) : NULL;
	}
}

/* The status of each configured remote, as the file last said. */
static struct publish_status *
read_status(const struct conf *conf, struct store *s)
{
	struct publish_status	*v;
	struct buf		 b = BUF_INIT;
	char			*f, *line, *save = NULL;
	size_t			 i;

	v = xcalloc(conf->npublish + 1, sizeof *v);
	for (i = 0; i < conf->npublish; i++) {
		v[i].url = xstrdup(conf->publish[i]);
		v[i].behind = -1;
	}
	f = fsutil_join(store_private(s), "publish");
	buf_init(&b, STATUS_MAX);
	if (fsutil_read(f, &b) == 0 && b.len > 0)
		for (line = strtok_r(b.ptr, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save))
			parse_line(line, v, conf->npublish);
	err_clear();
	buf_free(&b);
	free(f);
	return v;
}

static int
write_status(const struct conf *conf, struct store *s,
    const struct publish_status *v)
{
	struct buf	 b = BUF_INIT;
	char		*f;
	size_t		 i, k;
	int		 rc;

	for (i = 0; i < conf->npublish; i++) {
		buf_addf(&b, "%s %" PRId64 " %s\t", v[i].pushed[0] ?
		    v[i].pushed : "-", v[i].tried, v[i].url);
		for (k = 0; v[i].error != NULL && v[i].error[k] != '\0'; k++)
			buf_addc(&b, v[i].error[k] == '\n' ||
			    v[i].error[k] == '\t' ? ' ' : v[i].error[k]);
		buf_addc(&b, '\n');
	}
	f = fsutil_join(store_private(s), "publish");
	rc = fsutil_write_atomic(f, b.ptr ? b.ptr : "", b.len, conf->fsync);
	free(f);
	buf_free(&b);
	return rc;
}

/*
 * Push HEAD to every remote that lacks it as far as .git/ferry/publish
 * knows, or with all to every remote (one may have been reset since).
 * pushed and failed count the pushes made and failed; with a failure,
 * -1 and the first failure's message.  A mirror that does not exist or
 * has no commit yet has nothing to publish.
 */
int
publish_run(const struct conf *conf, int all, int *pushed, int *failed)
{
	struct store	*s = NULL;
	int		 rc;

	*pushed = *failed = 0;
	if (conf->npublish == 0)
		return 0;
	if (store_open(conf->mirror_path, 0, &s) != 0) {
		err_clear();
		return 0;
	}
	rc = push_all(conf, s, all, pushed, failed);
	store_close(s);
	return rc;
}

static int
push_all(const struct conf *conf, struct store *s, int all, int *pushed,
    int *failed)
{
	struct publish_status	*v;
	struct buf		 u = BUF_INIT, first = BUF_INIT;
	char			 head[STORE_OIDLEN + 1];
	size_t			 i;
	int			 rc = 0;

	if (store_head(s, head) != 0) {
		err_clear();
		return 0;
	}
	v = read_status(conf, s);
	for (i = 0; i < conf->npublish; i++) {
		if (!all && strcmp(v[i].pushed, head) == 0 &&
		    v[i].error == NULL)
			continue;
		v[i].tried = (int64_t)time(NULL);
		free(v[i].error);
		v[i].error = NULL;
		buf_reset(&u);
		conf_remote_display(v[i].url, &u);
		if (remote_push(s, conf, v[i].url) != 0) {
			v[i].error = xstrdup(err_msg());
			if (first.len == 0)
				buf_addstr(&first, v[i].error);
			++*failed;
			continue;
		}
		memcpy(v[i].pushed, head, sizeof head);
		log_info("published %.12s to %s", head, buf_cstr(&u));
		++*pushed;
	}
	if (write_status(conf, s, v) != 0)
		log_warnx("%s", err_msg());
	if (*failed > 0)
		rc = err_set("%s", buf_cstr(&first));
	publish_free(v, conf->npublish);
	buf_free(&u);
	buf_free(&first);
	return rc;
}

/* Each configured remote's status, with how far behind HEAD it is. */
int
publish_load(const struct conf *conf, struct store *s,
    struct publish_status **out)
{
	struct publish_status	*v;
	const char		*hide[1];
	char			 head[STORE_OIDLEN + 1];
	size_t			 i;

	v = read_status(conf, s);
	if (store_head(s, head) == 0) {
		for (i = 0; i < conf->npublish; i++) {
			hide[0] = v[i].pushed[0] ? v[i].pushed : NULL;
			v[i].behind = remote_count(s, head, hide, 1);
		}
	}
	err_clear();
	*out = v;
	return 0;
}

void
publish_free(struct publish_status *v, size_t n)
{
	size_t	i;

	for (i = 0; v != NULL && i < n; i++) {
		free(v[i].url);
		free(v[i].error);
	}
	free(v);
}
