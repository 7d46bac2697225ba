/*
 * watch.c -- inotify on the administrators' files and the configuration.
 *
 * Watches the mirror's top directory (for catalog.conf, and for local/
 * appearing or going), every directory under local/ (a directory created
 * later is watched as soon as it appears, and scanned, since files may
 * land in it before the watch does), and the directory of the
 * configuration file (an editor replaces a file by renaming another over
 * it, which a watch on the file itself would lose).  An overflowed queue
 * or a lost watch means a full rescan.  watch_read() only says what kind
 * of thing changed; when to act on it is the loop's business.
 */
#include "config.h"

#include <sys/inotify.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "xmalloc.h"

#include "ferryd.h"

#define LOCAL		"local"
#define CATALOG		"catalog.conf"
#define MAX_DEPTH	16	/* directories below local/, as sync.c */

#define TOP_EVENTS	(IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | \
			 IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR)
#define LOCAL_EVENTS	(IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | \
			 IN_MOVED_FROM | IN_DELETE | IN_ATTRIB | \
			 IN_DELETE_SELF | IN_ONLYDIR)
#define CONF_EVENTS	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR)

/* A watched directory: its watch descriptor and path under the mirror. */
struct wdir {
	int	 wd;
	char	*path;		/* "" the top, "local", "local/a"... */
};

/*
 * The inotify instance.  dirs holds every directory watched in the
 * mirror; conf_wd watches the configuration's directory.
 */
struct watch {
	int		 fd;
	char		*mirror;
	char		*conf_dir;
	char		*conf_name;
	int		 conf_wd;
	struct wdir	*dirs;
	size_t		 ndirs;
	char		*last;		/* path edited last, under the mirror */
};

static struct wdir *
find_wd(struct watch *w, int wd)
{
	size_t	i;

	for (i = 0; i < w->ndirs; i++)
		if (w->dirs[i].wd == wd)
			return &w->dirs[i];
	return NULL;
}

static void
forget_wd(struct watch *w, int wd)
{
	size_t	i;

	for (i = 0; i < w->ndirs; i++) {
		if (w->dirs[i].wd != wd)
			continue;
		free(w->dirs[i].path);
		w->dirs[i] = w->dirs[--w->ndirs];
		return;
	}
}

/* Watches mirror/rel; 0, or -1 when it is not there (yet). */
static int
add_dir(struct watch *w, const char *rel, uint32_t mask)
{
	struct wdir	*d;
	char		*full;
	int		 wd;

	full = *rel ? fsutil_join(w->mirror, rel) : xstrdup(w->mirror);
	/* IN_MASK_ADD: the configuration may live in the same directory. */
	wd = inotify_add_watch(w->fd, full, mask | IN_MASK_ADD);
	if (wd == -1) {
		if (errno != ENOENT && errno != ENOTDIR)
			log_warn("cannot watch '%s'", full);
		free(full);
		return -1;
	}
	free(full);
	if ((d = find_wd(w, wd)) != NULL)
		return 0;
	w->dirs = xreallocarray(w->dirs, w->ndirs + 1, sizeof *w->dirs);
	w->dirs[w->ndirs].wd = wd;
	w->dirs[w->ndirs].path = xstrdup(rel);
	w->ndirs++;
	return 0;
}

/* Watches rel and every directory below it, depth levels deep. */
static void
add_tree(struct watch *w, const char *rel, int depth)
{
	struct dirent	*de;
	DIR		*dir;
	char		*full, *sub;

	if (depth > MAX_DEPTH || add_dir(w, rel, LOCAL_EVENTS) != 0)
		return;
	full = fsutil_join(w->mirror, rel);
	dir = opendir(full);
	free(full);
	if (dir == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = fsutil_join(rel, de->d_name);
		full = fsutil_join(w->mirror, sub);
		if (fsutil_is_dir(full))
			add_tree(w, sub, depth + 1);
		free(full);
		free(sub);
	}
	closedir(dir);
}

/* Drops every watch in the mirror. */
static void
drop_all(struct watch *w)
{
	size_t	i;

	if (w->conf_wd != -1)
		inotify_rm_watch(w->fd, w->conf_wd);
	w->conf_wd = -1;
	for (i = 0; i < w->ndirs; i++) {
		inotify_rm_watch(w->fd, w->dirs[i].wd);
		free(w->dirs[i].path);
	}
	free(w->dirs);
	w->dirs = NULL;
	w->ndirs = 0;
}

/*
 * Watches what is there now: the top, local/ and below.  Called at start,
 * after each job (the first pass creates the mirror) and on a rescan.
 */
void
watch_refresh(struct watch *w)
{
	if (w->conf_wd == -1) {
		w->conf_wd = inotify_add_watch(w->fd, w->conf_dir,
		    CONF_EVENTS | IN_MASK_ADD);
		if (w->conf_wd == -1)
			log_warn("cannot watch '%s' for changes of '%s'",
			    w->conf_dir, w->conf_name);
	}
	if (add_dir(w, "", TOP_EVENTS) != 0)
		return;
	add_tree(w, LOCAL, 0);
}

struct watch *
watch_open(const char *mirror, const char *conf_file)
{
	struct watch	*w;
	const char	*slash;

	w = xcalloc(1, sizeof *w);
	w->mirror = xstrdup(mirror);
	w->conf_wd = -1;
	if ((w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1) {
		log_warn("cannot start inotify");
		free(w->mirror);
		free(w);
		return NULL;
	}
	if ((slash = strrchr(conf_file, '/')) != NULL) {
		w->conf_dir = slash == conf_file ? xstrdup("/") :
		    xstrndup(conf_file, (size_t)(slash - conf_file));
		w->conf_name = xstrdup(slash + 1);
	} else {
		w->conf_dir = xstrdup(".");
		w->conf_name = xstrdup(conf_file);
	}
	watch_refresh(w);
	return w;
}

int
watch_fd(const struct watch *w)
{
	return w->fd;
}

const char *
watch_last(const struct watch *w)
{
	return w->last;
}

/* One event in the mirror; returns WATCH_* bits. */
static int
mirror_event(struct watch *w, const struct inotify_event *ev)
{
	struct wdir	*d;
	char		*sub;
	int		 top;

	if ((d = find_wd(w, ev->wd)) == NULL)
		return 0;
	if (ev->mask & IN_IGNORED) {
		forget_wd(w, ev->wd);
		return 0;
	}
	top = *d->path == '\0';
	if (ev->mask & IN_DELETE_SELF)
		return WATCH_EDIT;
	if (ev->len == 0 || ev->name[0] == '\0')
		return 0;
	if (top && strcmp(ev->name, CATALOG) != 0 &&
	    strcmp(ev->name, LOCAL) != 0)
		return 0;
	if (top && strcmp(ev->name, LOCAL) == 0 && !(ev->mask & IN_ISDIR))
		return 0;
	/* Before add_tree(), which may move d. */
	sub = top ? xstrdup(ev->name) : fsutil_join(d->path, ev->name);
	if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)))
		add_tree(w, sub, 0);
	free(w->last);
	w->last = sub;
	return WATCH_EDIT;
}

/* Reads every pending event; returns the WATCH_* bits of what changed. */
int
watch_read(struct watch *w)
{
	char				 buf[8192]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event	*ev;
	ssize_t				 n;
	char				*p;
	int				 what = 0;

	while ((n = read(w->fd, buf, sizeof buf)) > 0) {
		for (p = buf; p < buf + n; p += sizeof *ev + ev->len) {
			ev = (const struct inotify_event *)p;
			if (ev->mask & IN_Q_OVERFLOW) {
				log_info("inotify queue overflowed, "
				    "rescanning");
				drop_all(w);
				watch_refresh(w);
				what |= WATCH_EDIT | WATCH_CONF;
				continue;
			}
			if (ev->wd == w->conf_wd && ev->len > 0 &&
			    strcmp(ev->name, w->conf_name) == 0)
				what |= WATCH_CONF;
			if (ev->wd == w->conf_wd && (ev->mask & IN_IGNORED))
				w->conf_wd = -1;
			what |= mirror_event(w, ev);
		}
	}
	if (n == -1 && errno != EAGAIN && errno != EINTR)
		log_warn("cannot read inotify events");
	return what;
}

void
watch_close(struct watch *w)
{
	if (w == NULL)
		return;
	drop_all(w);
	close(w->fd);
	free(w->mirror);
	free(w->conf_dir);
	free(w->conf_name);
	free(w->last);
	free(w);
}
