/*
 * ferryd.c -- the unattended daemon: options, the event loop, reload.
 *
 * Shape: one thread, one epoll loop.  Signals arrive through a signalfd
 * (SIGTERM, SIGINT, SIGHUP, SIGCHLD), time through timerfds (the schedule
 * on CLOCK_BOOTTIME, the quiet period of edits, the systemd watchdog),
 * edits through inotify (watch.c) and requests through a UNIX socket
 * (ctl.c).  The work itself, a sync pass or an edit commit, runs in a
 * forked child (job.c) that calls the library and exits; the loop learns
 * of its end through SIGCHLD and of its progress through a pipe.  A child
 * rather than libcurl's multi socket interface in the loop because a pass
 * is far more than transfers (HTML parsing, blob writing, a checkout) and
 * would block the loop for seconds; because a crash or a leak in a pass
 * then dies with the child; and because the daemon stays above the
 * library's floors, never calling libcurl or libgit2 itself.
 *
 * One mirror per configuration means one job at a time: passes of the
 * sources and edit commits take the mirror's lock in turn.  An edit that
 * settles during a pass is committed right after it.  This file does not
 * know how a pass works or when a source is due (sched.c).
 */
#include "config.h"

#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "buf.h"
#include "conf.h"
#include "err.h"
#include "fetch.h"
#include "fsutil.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

#include "ferryd.h"

#define DEFAULT_CONF	SYSCONFDIR "/ferry/ferry.conf"
#define SCHED_FILE	"ferryd.schedule"
#define KILL_AFTER	8000	/* ms from SIGTERM to SIGKILL of a child */
#define STATUS_EVERY	1000	/* ms between two progress STATUS= */

/* What epoll_event.data.u32 says. */
enum tag {
	TAG_SIGNAL = 1,
	TAG_SCHED,
	TAG_QUIET,
	TAG_WATCHDOG,
	TAG_WATCH,
	TAG_CTL,
	TAG_JOB,
	TAG_CLIENT		/* + the client's index */
};

/*
 * The daemon.  At most one job runs; edits counts changes seen since the
 * last edit commit started, settled says the quiet period has passed
 * since the last of them.
 */
struct ferryd {
	struct conf		*conf;
	char			*conf_file;	/* absolute */
	int			 ep;
	int			 sigfd;
	int			 sched_tfd;
	int			 quiet_tfd;
	int			 wd_tfd;
	int			 ctlfd;
	char			*ctl_file;
	char			*sched_file;
	struct watch		*watch;
	struct sched		 sched;
	struct job		*job;
	struct ctl_client	 clients[CTL_MAXCLIENTS];
	int			 edits;
	int			 settled;
	int			 conf_changed;
	int			 stopping;
	char			 status[128];	/* STATUS= sent last */
	uint64_t		 status_sent;
	pid_t			 status_pid;	/* the job it was about */
};

static void	on_ctl_line(struct ferryd *, struct ctl_client *);

static void
ep_add(struct ferryd *d, int fd, uint32_t tag)
{
	struct epoll_event	ev;

	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.u32 = tag;
	if (epoll_ctl(d->ep, EPOLL_CTL_ADD, fd, &ev) == -1)
		fatal("cannot watch descriptor %d", fd);
}

static void
ep_del(struct ferryd *d, int fd)
{
	if (epoll_ctl(d->ep, EPOLL_CTL_DEL, fd, NULL) == -1)
		log_debug("cannot stop watching descriptor %d", fd);
}

static int
timer_new(int clock)
{
	int	fd;

	if ((fd = timerfd_create(clock, TFD_NONBLOCK | TFD_CLOEXEC)) == -1)
		fatal("cannot create a timer");
	return fd;
}

/* Arms fd to fire in ms milliseconds (at ms, with abs); 0 disarms. */
static void
timer_set(int fd, uint64_t ms, int abs)
{
	struct itimerspec	its;

	memset(&its, 0, sizeof its);
	its.it_value.tv_sec = (time_t)(ms / 1000);
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000;
	if (timerfd_settime(fd, abs ? TFD_TIMER_ABSTIME : 0, &its, NULL) == -1)
		log_warn("cannot set a timer");
}

static void
timer_drain(int fd)
{
	uint64_t	n;

	if (read(fd, &n, sizeof n) == -1 && errno != EAGAIN)
		log_warn("cannot read a timer");
}

/* The mirror's private directory, when the mirror exists. */
static int
have_private(const struct ferryd *d)
{
	char	*dir;
	int	 yes;

	dir = fsutil_dirname(d->sched_file);
	yes = fsutil_is_dir(dir);
	free(dir);
	return yes;
}

static void
ctl_open(struct ferryd *d)
{
	if (d->ctlfd != -1 || !have_private(d))
		return;
	if ((d->ctlfd = ctl_listen(d->ctl_file)) != -1) {
		ep_add(d, d->ctlfd, TAG_CTL);
		log_debug("listening on '%s'", d->ctl_file);
	}
}

static void
ctl_close(struct ferryd *d)
{
	if (d->ctlfd == -1)
		return;
	ep_del(d, d->ctlfd);
	close(d->ctlfd);
	unlink(d->ctl_file);
	d->ctlfd = -1;
}

/* The watches, the socket and the files of the configured mirror. */
static void
mirror_open(struct ferryd *d)
{
	char	*priv;

	priv = fsutil_join(d->conf->mirror_path, ".git/ferry");
	d->sched_file = fsutil_join(priv, SCHED_FILE);
	d->ctl_file = conf_socket_path(d->conf->mirror_path);
	free(priv);
	if ((d->watch = watch_open(d->conf->mirror_path, d->conf_file)) ==
	    NULL)
		fatalx("cannot watch '%s'", d->conf->mirror_path);
	ep_add(d, watch_fd(d->watch), TAG_WATCH);
	ctl_open(d);
}

static void
mirror_close(struct ferryd *d)
{
	ctl_close(d);
	if (d->watch != NULL) {
		ep_del(d, watch_fd(d->watch));
		watch_close(d->watch);
		d->watch = NULL;
	}
	free(d->sched_file);
	free(d->ctl_file);
	d->sched_file = d->ctl_file = NULL;
}

/* STATUS= for systemd, sent when it changes. */
static void
update_status(struct ferryd *d)
{
	struct sched_entry	*e;
	char			 s[sizeof d->status], in[32];
	uint64_t		 now = sched_clock();

	if (d->stopping)
		snprintf(s, sizeof s, "stopping");
	else if (d->job != NULL && d->job->kind == JOB_PASS)
		snprintf(s, sizeof s, "syncing %s %d/%d", d->job->source,
		    d->job->done, d->job->total);
	else if (d->job != NULL)
		snprintf(s, sizeof s, "committing edits");
	else if ((e = sched_next(&d->sched)) == NULL)
		snprintf(s, sizeof s, "idle: no source");
	else {
		sched_duration(in, sizeof in, e->due > now ? e->due - now : 0);
		snprintf(s, sizeof s, "next: %s in %s", e->name, in);
	}
	if (strcmp(s, d->status) == 0)
		return;
	/* Progress of one pass: at most a line a second. */
	if (d->job != NULL && d->job->pid == d->status_pid &&
	    now - d->status_sent < STATUS_EVERY)
		return;
	memcpy(d->status, s, sizeof s);
	d->status_sent = now;
	d->status_pid = d->job != NULL ? d->job->pid : 0;
	sd_notifyf(0, "STATUS=%s", s);
}

static void
start_edit(struct ferryd *d)
{
	d->edits = d->settled = 0;
	log_info("edit: committing the changes to local/ and catalog.conf");
	if ((d->job = job_edit(d->conf, watch_last(d->watch))) == NULL) {
		d->edits = 1;
		timer_set(d->quiet_tfd, 1000, 0);
		return;
	}
	ep_add(d, d->job->fd, TAG_JOB);
}

static void
start_pass(struct ferryd *d, struct sched_entry *e)
{
	e->now = 0;
	log_info("%s: pass started", e->name);
	if ((d->job = job_pass(d->conf, e->name)) == NULL) {
		sched_done(&d->sched, e, JOB_FATAL, d->conf);
		return;
	}
	ep_add(d, d->job->fd, TAG_JOB);
}

/* Starts what is due, else arms the schedule's timer for it. */
static void
try_start(struct ferryd *d)
{
	struct sched_entry	*e;

	if (d->job != NULL || d->stopping)
		return;
	if (d->edits && d->settled) {
		start_edit(d);
		return;
	}
	if ((e = sched_next(&d->sched)) == NULL) {
		timer_set(d->sched_tfd, 0, 0);
		return;
	}
	if (e->now || e->due <= sched_clock()) {
		start_pass(d, e);
		return;
	}
	timer_set(d->sched_tfd, e->due, 1);
}

static const char *
outcome_words(int outcome)
{
	switch (outcome) {
	case JOB_OK:		return "ok";
	case JOB_PARTIAL:	return "some resources failed";
	case JOB_STOPPED:	return "stopped";
	case JOB_BUSY:		return "mirror busy, will retry";
	default:		return "failed";
	}
}

/* The child's progress; at the end of its pipe, stop watching it. */
static void
job_read(struct ferryd *d)
{
	if (d->job == NULL || d->job->fd == -1 || !job_progress(d->job))
		return;
	ep_del(d, d->job->fd);
	close(d->job->fd);
	d->job->fd = -1;
}

static void
job_ended(struct ferryd *d, int status)
{
	struct job		*job = d->job;
	struct sched_entry	*e;
	int			 outcome = job_outcome(status);

	job_read(d);
	if (WIFSIGNALED(status))
		log_warnx("%s: child process %ld killed by signal %d",
		    job->source ? job->source : "edit", (long)job->pid,
		    WTERMSIG(status));
	if (job->kind == JOB_PASS) {
		log_info("%s: pass ended (%s)", job->source,
		    outcome_words(outcome));
		if ((e = sched_find(&d->sched, job->source)) != NULL)
			sched_done(&d->sched, e, outcome, d->conf);
	} else if (outcome == JOB_BUSY) {
		d->edits = 1;
		timer_set(d->quiet_tfd, 1000, 0);
	}
	job_free(job);
	d->job = NULL;
	watch_refresh(d->watch);
	ctl_open(d);
	if (have_private(d) && sched_save(&d->sched, d->sched_file) != 0)
		log_warnx("%s", err_msg());
}

static void
reap(struct ferryd *d)
{
	pid_t	pid;
	int	status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (d->job != NULL && pid == d->job->pid)
			job_ended(d, status);
}

static void
stop(struct ferryd *d)
{
	if (d->stopping && d->job != NULL) {
		kill(d->job->pid, SIGKILL);
		return;
	}
	d->stopping = 1;
	sd_notify(0, "STOPPING=1");
	log_info("stopping");
	if (d->job == NULL)
		return;
	kill(d->job->pid, SIGTERM);
	timer_set(d->sched_tfd, KILL_AFTER, 0);
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

static void
reload(struct ferryd *d)
{
	struct conf	*nc = NULL;
	int		 moved;

	d->conf_changed = 0;
	sd_notify(0, "RELOADING=1");
	if (conf_load(d->conf_file, &nc) != 0) {
		log_warnx("cannot reload '%s', the previous configuration "
		    "stays in force:", d->conf_file);
		warn_lines(err_msg());
		sd_notify(0, "READY=1");
		return;
	}
	moved = strcmp(nc->mirror_path, d->conf->mirror_path) != 0;
	if (moved)
		mirror_close(d);
	sched_update(&d->sched, nc);
	conf_free(d->conf);
	d->conf = nc;
	if (moved)
		mirror_open(d);
	log_info("configuration '%s' reloaded: %zu %s", d->conf_file,
	    nc->nsources, nc->nsources == 1 ? "source" : "sources");
	sd_notify(0, "READY=1");
}

static void
on_signal(struct ferryd *d)
{
	struct signalfd_siginfo	si;

	while (read(d->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			stop(d);
			break;
		case SIGHUP:
			reload(d);
			break;
		case SIGCHLD:
			reap(d);
			break;
		}
	}
}

static void
on_watch(struct ferryd *d)
{
	int		what;
	uint64_t	ms;

	what = watch_read(d->watch);
	if (what & WATCH_EDIT) {
		d->edits = 1;
		d->settled = 0;
	}
	if (what & WATCH_CONF)
		d->conf_changed = 1;
	if (what == 0)
		return;
	ms = (uint64_t)d->conf->quiet_period * 1000;
	timer_set(d->quiet_tfd, ms > 0 ? ms : 10, 0);
}

static void
on_quiet(struct ferryd *d)
{
	timer_drain(d->quiet_tfd);
	if (d->conf_changed) {
		log_info("configuration '%s' changed", d->conf_file);
		reload(d);
	}
	if (d->edits)
		d->settled = 1;
}

static void
on_sched(struct ferryd *d)
{
	timer_drain(d->sched_tfd);
	if (d->stopping && d->job != NULL) {
		log_warnx("%s: child process %ld did not stop in time, "
		    "killing it", d->job->source ? d->job->source : "edit",
		    (long)d->job->pid);
		kill(d->job->pid, SIGKILL);
	}
}

static void
on_ctl(struct ferryd *d)
{
	struct ctl_client	 spare;
	size_t			 i;

	for (i = 0; i < CTL_MAXCLIENTS; i++)
		if (d->clients[i].fd == -1)
			break;
	if (i == CTL_MAXCLIENTS) {
		if (ctl_accept(d->ctlfd, &spare) == 0)
			ctl_reply(&spare, "error: ferryd is busy, try again\n");
		return;
	}
	if (ctl_accept(d->ctlfd, &d->clients[i]) == 0)
		ep_add(d, d->clients[i].fd, TAG_CLIENT + (uint32_t)i);
}

static void
on_client(struct ferryd *d, size_t i)
{
	struct ctl_client	*c = &d->clients[i];
	int			 rc;

	if ((rc = ctl_read(c)) == 0)
		return;
	ep_del(d, c->fd);
	if (rc < 0) {
		close(c->fd);
		c->fd = -1;
		return;
	}
	on_ctl_line(d, c);
}

/*
 * The answer to "status": "running, pid N: STATUS", then a line per
 * source, as ferry status shows them.
 */
static void
status_lines(struct ferryd *d, struct buf *b)
{
	struct sched_entry	*e;
	char			 in[32];
	uint64_t		 now = sched_clock();
	size_t			 i;

	buf_addf(b, "running, pid %ld: %s\n", (long)getpid(), d->status);
	for (i = 0; i < d->sched.n; i++) {
		e = &d->sched.v[i];
		if (d->job != NULL && d->job->source != NULL &&
		    strcmp(d->job->source, e->name) == 0)
			buf_addf(b, "%s: pass in progress, %d/%d", e->name,
			    d->job->done, d->job->total);
		else if (e->now)
			buf_addf(b, "%s: next pass as soon as possible",
			    e->name);
		else {
			sched_duration(in, sizeof in, e->due > now ?
			    e->due - now : 0);
			buf_addf(b, "%s: next pass in %s", e->name, in);
		}
		if (e->outcome == -1)
			buf_addstr(b, ", no pass yet\n");
		else if (e->failures > 0)
			buf_addf(b, ", failed %d %s in a row\n", e->failures,
			    e->failures == 1 ? "time" : "times");
		else
			buf_addf(b, ", last pass %s\n",
			    outcome_words(e->outcome));
	}
}

/* "now [SOURCE]" and "status". */
static void
on_ctl_line(struct ferryd *d, struct ctl_client *c)
{
	struct sched_entry	*e;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	if (strcmp(c->line, "now") == 0) {
		for (i = 0; i < d->sched.n; i++)
			d->sched.v[i].now = 1;
		log_info("a pass of every source was asked for");
		buf_addf(&b, "ok: a pass of every source is queued\n");
	} else if (strncmp(c->line, "now ", 4) == 0) {
		if ((e = sched_find(&d->sched, c->line + 4)) == NULL)
			buf_addf(&b, "error: no source '%s' in '%s'\n",
			    c->line + 4, d->conf_file);
		else {
			e->now = 1;
			log_info("%s: a pass was asked for", e->name);
			buf_addf(&b, "ok: a pass of '%s' is queued\n",
			    e->name);
		}
	} else if (strcmp(c->line, "status") == 0)
		status_lines(d, &b);
	else
		buf_addf(&b, "error: unknown request (send 'now [SOURCE]' or "
		    "'status')\n");
	ctl_reply(c, buf_cstr(&b));
	buf_free(&b);
}

static void
dispatch(struct ferryd *d, uint32_t tag)
{
	switch (tag) {
	case TAG_SIGNAL:
		on_signal(d);
		break;
	case TAG_SCHED:
		on_sched(d);
		break;
	case TAG_QUIET:
		on_quiet(d);
		break;
	case TAG_WATCHDOG:
		timer_drain(d->wd_tfd);
		sd_notify(0, "WATCHDOG=1");
		break;
	case TAG_WATCH:
		on_watch(d);
		break;
	case TAG_CTL:
		on_ctl(d);
		break;
	case TAG_JOB:
		job_read(d);
		break;
	default:
		if (tag >= TAG_CLIENT && tag < TAG_CLIENT + CTL_MAXCLIENTS)
			on_client(d, tag - TAG_CLIENT);
		break;
	}
}

/* Signals as loop events; the systemd watchdog, if asked for. */
static void
setup(struct ferryd *d)
{
	struct itimerspec	its;
	sigset_t		set;
	uint64_t		usec;
	size_t			i;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1 ||
	    (d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		fatal("cannot receive signals");
	signal(SIGPIPE, SIG_IGN);
	if ((d->ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		fatal("cannot create an epoll instance");
	d->sched_tfd = timer_new(CLOCK_BOOTTIME);
	d->quiet_tfd = timer_new(CLOCK_MONOTONIC);
	d->wd_tfd = -1;
	d->ctlfd = -1;
	for (i = 0; i < CTL_MAXCLIENTS; i++)
		d->clients[i].fd = -1;
	ep_add(d, d->sigfd, TAG_SIGNAL);
	ep_add(d, d->sched_tfd, TAG_SCHED);
	ep_add(d, d->quiet_tfd, TAG_QUIET);
	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
		d->wd_tfd = timer_new(CLOCK_MONOTONIC);
		memset(&its, 0, sizeof its);
		usec /= 2;
		its.it_value.tv_sec = its.it_interval.tv_sec =
		    (time_t)(usec / 1000000);
		its.it_value.tv_nsec = its.it_interval.tv_nsec =
		    (long)(usec % 1000000) * 1000;
		if (timerfd_settime(d->wd_tfd, 0, &its, NULL) == -1)
			fatal("cannot set the watchdog timer");
		ep_add(d, d->wd_tfd, TAG_WATCHDOG);
	}
	mirror_open(d);
	sched_load(&d->sched, d->conf, d->sched_file);
}

static void
loop(struct ferryd *d)
{
	struct epoll_event	evs[16];
	int			n, i;

	sd_notify(0, "READY=1");
	log_info("started with '%s': %zu %s, mirror '%s'", d->conf_file,
	    d->conf->nsources, d->conf->nsources == 1 ? "source" : "sources",
	    d->conf->mirror_path);
	for (;;) {
		try_start(d);
		update_status(d);
		if (d->stopping && d->job == NULL)
			break;
		if ((n = epoll_wait(d->ep, evs, 16, -1)) == -1) {
			if (errno == EINTR)
				continue;
			fatal("epoll_wait");
		}
		for (i = 0; i < n; i++)
			dispatch(d, evs[i].data.u32);
	}
}

static void
teardown(struct ferryd *d)
{
	size_t	i;

	for (i = 0; i < CTL_MAXCLIENTS; i++)
		if (d->clients[i].fd != -1)
			close(d->clients[i].fd);
	mirror_close(d);
	sched_free(&d->sched);
	close(d->sched_tfd);
	close(d->quiet_tfd);
	if (d->wd_tfd != -1)
		close(d->wd_tfd);
	close(d->sigfd);
	close(d->ep);
	conf_free(d->conf);
	free(d->conf_file);
}

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: ferryd [-dnv] [-c file]\n");
	exit(2);
}

/* -c FILE, else $FERRY_CONF, else the system's. */
static const char *
conf_file_of(const char *arg)
{
	if (arg == NULL)
		arg = getenv("FERRY_CONF");
	if (arg == NULL || *arg == '\0')
		arg = DEFAULT_CONF;
	return arg;
}

/* The file made absolute, for reloads after the daemon left its cwd. */
static char *
absolute(const char *file)
{
	char	cwd[PATH_MAX];

	if (*file == '/' || getcwd(cwd, sizeof cwd) == NULL)
		return xstrdup(file);
	return fsutil_absolute(cwd, file);
}

int
main(int argc, char **argv)
{
	struct ferryd	 d;
	const char	*file = NULL;
	int		 ch, foreground = 0, check = 0, verbose = 1;

	setlocale(LC_CTYPE, "");
	while ((ch = getopt(argc, argv, "c:dnv")) != -1) {
		switch (ch) {
		case 'c':
			file = optarg;
			break;
		case 'd':
			foreground = 1;
			break;
		case 'n':
			check = 1;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	memset(&d, 0, sizeof d);
	log_init("ferryd", check ? 0 : verbose, foreground && !check ?
	    LOG_TO_JOURNAL : LOG_TO_TERMINAL);
	if (store_global_init() != 0 || fetch_global_init() != 0)
		fatalx("%s", err_msg());
	file = conf_file_of(file);
	if (conf_load(file, &d.conf) != 0) {
		fprintf(stderr, "ferryd: %s\n", err_msg());
		return 1;
	}
	if (check) {
		printf("configuration OK\n");
		conf_free(d.conf);
		return 0;
	}
	d.conf_file = absolute(file);
	/* Detached, stderr stays: the log goes wherever it pointed. */
	if (!foreground && (daemon(0, 1) == -1 ||
	    freopen("/dev/null", "r", stdin) == NULL ||
	    freopen("/dev/null", "w", stdout) == NULL))
		fatal("cannot run in the background");
	srandom((unsigned)getpid() ^ (unsigned)time(NULL));
	setup(&d);
	loop(&d);
	log_info("stopped");
	teardown(&d);
	fetch_global_free();
	store_global_free();
	return 0;
}
