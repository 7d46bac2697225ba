/*
 * mirrors.c -- one mirror served by ferryd, from one configuration file.
 *
 * A mirror owns what its configuration implies: the schedule of its
 * sources, the inotify watches on its local/, catalog.conf and
 * configuration file, the quiet-period timer of its edits, its control
 * socket in .git/ferry, and the one job (pass or edit commit) that may
 * run on it at a time.  It reloads its own file, refusing a new one that
 * is broken or names the mirror of another configuration, and answers
 * the requests of its socket.  It does not decide when a pass may start
 * (the loop in ferryd.c holds the cap across mirrors), nor talk to
 * systemd.
 */
#include "config.h"

#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "err.h"
#include "fsutil.h"
#include "log.h"
#include "xmalloc.h"

#include "ferryd.h"

#define SCHED_FILE	"ferryd.schedule"

void
mirrors_ep_add(int ep, int fd, uint32_t tag)
{
	struct epoll_event	ev;

	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.u32 = tag;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == -1)
		fatal("cannot watch descriptor %d", fd);
}

void
mirrors_ep_del(int ep, int fd)
{
	if (epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL) == -1)
		log_debug("cannot stop watching descriptor %d", fd);
}

/* Arms fd to fire in ms milliseconds (at ms, with abs); 0 disarms. */
void
mirrors_timer_set(int fd, uint64_t ms, int abs)
{
	struct itimerspec	its;

	memset(&its, 0, sizeof its);
	its.it_value.tv_sec = (time_t)(ms / 1000);
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000;
	if (timerfd_settime(fd, abs ? TFD_TIMER_ABSTIME : 0, &its, NULL) == -1)
		log_warn("cannot set a timer");
}

void
mirrors_timer_drain(int fd)
{
	uint64_t	n;

	if (read(fd, &n, sizeof n) == -1 && errno != EAGAIN)
		log_warn("cannot read a timer");
}

/* The mirror's private directory, when the mirror exists. */
static int
have_private(const struct mirror *m)
{
	char	*dir;
	int	 yes;

	dir = fsutil_dirname(m->sched_file);
	yes = fsutil_is_dir(dir);
	free(dir);
	return yes;
}

static void
ctl_open(struct mirror *m)
{
	if (m->ctlfd != -1 || !have_private(m))
		return;
	if ((m->ctlfd = ctl_listen(m->ctl_file)) != -1) {
		mirrors_ep_add(m->ep, m->ctlfd, TAG_OF(m->idx, TAG_CTL));
		log_debug("listening on '%s'", m->ctl_file);
	}
}

static void
ctl_close(struct mirror *m)
{
	if (m->ctlfd == -1)
		return;
	mirrors_ep_del(m->ep, m->ctlfd);
	close(m->ctlfd);
	unlink(m->ctl_file);
	m->ctlfd = -1;
}

/* The watches, the socket and the files of the configured mirror. */
static void
paths_open(struct mirror *m)
{
	char	*priv;

	priv = fsutil_join(m->conf->mirror_path, ".git/ferry");
	m->sched_file = fsutil_join(priv, SCHED_FILE);
	m->ctl_file = conf_socket_path(m->conf->mirror_path);
	free(priv);
	if ((m->watch = watch_open(m->conf->mirror_path, m->conf_file)) ==
	    NULL)
		fatalx("cannot watch '%s'", m->conf->mirror_path);
	mirrors_ep_add(m->ep, watch_fd(m->watch), TAG_OF(m->idx, TAG_WATCH));
	ctl_open(m);
}

static void
paths_close(struct mirror *m)
{
	ctl_close(m);
	if (m->watch != NULL) {
		mirrors_ep_del(m->ep, watch_fd(m->watch));
		watch_close(m->watch);
		m->watch = NULL;
	}
	free(m->sched_file);
	free(m->ctl_file);
	m->sched_file = m->ctl_file = NULL;
}

/* Starts serving m (conf, conf_file, idx and label set) on the loop ep. */
void
mirrors_open(struct mirror *m, int ep)
{
	m->ep = ep;
	m->ctlfd = -1;
	m->quiet_tfd = timerfd_create(CLOCK_MONOTONIC,
	    TFD_NONBLOCK | TFD_CLOEXEC);
	if (m->quiet_tfd == -1)
		fatal("cannot create a timer");
	mirrors_ep_add(ep, m->quiet_tfd, TAG_OF(m->idx, TAG_QUIET));
	paths_open(m);
	sched_load(&m->sched, m->conf, m->sched_file);
}

void
mirrors_close(struct mirror *m)
{
	paths_close(m);
	sched_free(&m->sched);
	if (m->quiet_tfd != -1)
		close(m->quiet_tfd);
	job_free(m->job);
	conf_free(m->conf);
	free(m->conf_file);
	free(m->label);
}

/* The configuration file of another mirror than self at path, or NULL. */
const char *
mirrors_same_path(const struct mirror *v, size_t n, const struct mirror *self,
    const char *path)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (&v[i] != self && v[i].conf != NULL &&
		    strcmp(v[i].conf->mirror_path, path) == 0)
			return v[i].conf_file;
	return NULL;
}

/* Logs each line of a multi-line message. */
static void
warn_lines(const char *msg)
{
	const char	*p, *nl;

	for (p = msg; *p != '\0'; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		log_warnx("%.*s", (int)(nl - p), p);
	}
}

/* Its file read again; on any error the old configuration stays. */
void
mirrors_reload(struct mirror *m, const struct mirror *all, size_t n)
{
	struct conf	*nc = NULL;
	const char	*other = NULL;
	int		 moved;

	m->conf_changed = 0;
	if (conf_load(m->conf_file, &nc) == 0)
		other = mirrors_same_path(all, n, m, nc->mirror_path);
	if (nc == NULL || other != NULL) {
		log_warnx("cannot reload '%s', the previous configuration "
		    "stays in force:", m->conf_file);
		if (other != NULL)
			log_warnx("mirror.path: '%s' is the mirror of '%s' "
			    "already (give each configuration its own)",
			    nc->mirror_path, other);
		else
			warn_lines(err_msg());
		conf_free(nc);
		return;
	}
	moved = strcmp(nc->mirror_path, m->conf->mirror_path) != 0;
	if (moved)
		paths_close(m);
	sched_update(&m->sched, nc);
	conf_free(m->conf);
	m->conf = nc;
	if (moved)
		paths_open(m);
	log_info("configuration '%s' reloaded: %zu %s", m->conf_file,
	    nc->nsources, nc->nsources == 1 ? "source" : "sources");
}

/* An edit commit, when edits have settled; 1 when one started. */
int
mirrors_start_edit(struct mirror *m)
{
	if (m->job != NULL || !m->edits || !m->settled)
		return 0;
	m->edits = m->settled = 0;
	log_info("%sedit: committing the changes to local/ and catalog.conf",
	    m->label);
	m->job = job_edit(m->conf, watch_last(m->watch), m->label);
	if (m->job == NULL) {
		m->edits = 1;
		mirrors_timer_set(m->quiet_tfd, 1000, 0);
		return 0;
	}
	mirrors_ep_add(m->ep, m->job->fd, TAG_OF(m->idx, TAG_JOB));
	return 1;
}

void
mirrors_start_pass(struct mirror *m, struct sched_entry *e)
{
	e->now = 0;
	log_info("%s%s: pass started", m->label, e->name);
	if ((m->job = job_pass(m->conf, e->name, m->label)) == NULL) {
		sched_done(&m->sched, e, JOB_FATAL, m->conf);
		return;
	}
	mirrors_ep_add(m->ep, m->job->fd, TAG_OF(m->idx, TAG_JOB));
}

static const char *
outcome_words(int outcome)
{
	switch (outcome) {
	case JOB_OK:		return "ok";
	case JOB_PARTIAL:	return "partial: some resources or pushes failed";
	case JOB_STOPPED:	return "stopped";
	case JOB_BUSY:		return "mirror busy, will retry";
	default:		return "failed";
	}
}

/* The child's progress; at the end of its pipe, stop watching it. */
void
mirrors_job_read(struct mirror *m)
{
	if (m->job == NULL || m->job->fd == -1 || !job_progress(m->job))
		return;
	mirrors_ep_del(m->ep, m->job->fd);
	close(m->job->fd);
	m->job->fd = -1;
}

/* The job's child is gone with status: its outcome, the next steps. */
void
mirrors_job_ended(struct mirror *m, int status)
{
	struct job		*job = m->job;
	struct sched_entry	*e;
	int			 outcome = job_outcome(status);

	mirrors_job_read(m);
	if (WIFSIGNALED(status))
		log_warnx("%s%s: child process %ld killed by signal %d",
		    m->label, job->source ? job->source : "edit",
		    (long)job->pid, WTERMSIG(status));
	if (job->kind == JOB_PASS) {
		log_info("%s%s: pass ended (%s)", m->label, job->source,
		    outcome_words(outcome));
		if ((e = sched_find(&m->sched, job->source)) != NULL)
			sched_done(&m->sched, e, outcome, m->conf);
	} else if (outcome == JOB_BUSY) {
		m->edits = 1;
		mirrors_timer_set(m->quiet_tfd, 1000, 0);
	}
	job_free(job);
	m->job = NULL;
	watch_refresh(m->watch);
	ctl_open(m);
	if (have_private(m) && sched_save(&m->sched, m->sched_file) != 0)
		log_warnx("%s", err_msg());
}

void
mirrors_on_watch(struct mirror *m)
{
	int		what;
	uint64_t	ms;

	what = watch_read(m->watch);
	if (what & WATCH_EDIT) {
		m->edits = 1;
		m->settled = 0;
	}
	if (what & WATCH_CONF)
		m->conf_changed = 1;
	if (what == 0)
		return;
	ms = (uint64_t)m->conf->quiet_period * 1000;
	mirrors_timer_set(m->quiet_tfd, ms > 0 ? ms : 10, 0);
}

/* The quiet period is over; 1 when the configuration file changed. */
int
mirrors_on_quiet(struct mirror *m)
{
	mirrors_timer_drain(m->quiet_tfd);
	if (m->edits)
		m->settled = 1;
	if (!m->conf_changed)
		return 0;
	log_info("configuration '%s' changed", m->conf_file);
	return 1;
}

/* What m does, in a few words: "syncing la-city 120/340", "next: ...". */
void
mirrors_status(struct mirror *m, char *s, size_t len)
{
	struct sched_entry	*e;
	char			 in[32];
	uint64_t		 now = sched_clock();

	if (m->job != NULL && m->job->kind == JOB_PASS)
		snprintf(s, len, "syncing %s %d/%d", m->job->source,
		    m->job->done, m->job->total);
	else if (m->job != NULL)
		snprintf(s, len, "committing edits");
	else if ((e = sched_next(&m->sched)) == NULL)
		snprintf(s, len, "idle: no source");
	else {
		sched_duration(in, sizeof in, e->due > now ? e->due - now : 0);
		snprintf(s, len, "next: %s in %s", e->name, in);
	}
}

/* One source's line in the answer to "status". */
static void
source_line(const struct mirror *m, const struct sched_entry *e,
    struct buf *b)
{
	char		in[32];
	uint64_t	now = sched_clock();

	if (m->job != NULL && m->job->source != NULL &&
	    strcmp(m->job->source, e->name) == 0)
		buf_addf(b, "%s: pass in progress, %d/%d", e->name,
		    m->job->done, m->job->total);
	else if (e->now)
		buf_addf(b, "%s: next pass as soon as possible", e->name);
	else {
		sched_duration(in, sizeof in, e->due > now ? e->due - now : 0);
		buf_addf(b, "%s: next pass in %s", e->name, in);
	}
	if (e->outcome == -1)
		buf_addstr(b, ", no pass yet\n");
	else if (e->failures > 0)
		buf_addf(b, ", failed %d %s in a row\n", e->failures,
		    e->failures == 1 ? "time" : "times");
	else
		buf_addf(b, ", last pass %s\n", outcome_words(e->outcome));
}

/*
 * The answer to "status": "running, pid N: STATUS", then a line per
 * source, as ferry status shows them.
 */
static void
status_lines(struct mirror *m, struct buf *b)
{
	char	s[128];
	size_t	i;

	mirrors_status(m, s, sizeof s);
	buf_addf(b, "running, pid %ld: %s\n", (long)getpid(), s);
	for (i = 0; i < m->sched.n; i++)
		source_line(m, &m->sched.v[i], b);
}

static void
ask_now(struct mirror *m, const char *name, struct buf *b)
{
	struct sched_entry	*e;
	size_t			 i;

	if (name == NULL) {
		for (i = 0; i < m->sched.n; i++)
			m->sched.v[i].now = 1;
		log_info("%sa pass of every source was asked for", m->label);
		buf_addf(b, "ok: a pass of every source is queued\n");
	} else if ((e = sched_find(&m->sched, name)) == NULL)
		buf_addf(b, "error: no source '%s' in '%s'\n", name,
		    m->conf_file);
	else {
		e->now = 1;
		log_info("%s%s: a pass was asked for", m->label, e->name);
		buf_addf(b, "ok: a pass of '%s' is queued\n", e->name);
	}
}

/* "now [SOURCE]" and "status", from a client of m's socket. */
void
mirrors_answer(struct mirror *m, struct ctl_client *c)
{
	struct buf	b = BUF_INIT;

	if (strcmp(c->line, "now") == 0)
		ask_now(m, NULL, &b);
	else if (strncmp(c->line, "now ", 4) == 0)
		ask_now(m, c->line + 4, &b);
	else if (strcmp(c->line, "status") == 0)
		status_lines(m, &b);
	else
		buf_addf(&b, "error: unknown request (send 'now [SOURCE]' or "
		    "'status')\n");
	ctl_reply(c, buf_cstr(&b));
	buf_free(&b);
}
