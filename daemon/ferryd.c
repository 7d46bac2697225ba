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
 * Each -c names one configuration, that is one mirror (mirrors.c).  A
 * mirror runs one job at a time: passes of its sources and its edit
 * commits take its lock in turn, and an edit that settles during a pass
 * is committed right after it.  Passes of different mirrors may overlap,
 * at most -j of them at once (2 by default: the small boxes ferryd is
 * made for have two CPUs, and a pass keeps one busy parsing and
 * hashing); the passes beyond wait their turn, those asked for with
 * "ferry sync --now" first, then the others in the order they fell due.
 * Edit commits are short and do not count.  This file does not know how
 * a pass works or when a source is due (sched.c).
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

#include "conf.h"
#include "err.h"
#include "fetch.h"
#include "fsutil.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

#include "ferryd.h"

#define DEFAULT_CONF	SYSCONFDIR "/ferry/ferry.conf"
#define DEFAULT_JOBS	2	/* passes at once: a box with two CPUs */
#define MAX_JOBS	64
#define MAX_MIRRORS	(1U << (32 - TAG_BITS))
#define KILL_AFTER	8000	/* ms from SIGTERM to SIGKILL of a child */
#define STATUS_EVERY	1000	/* ms between two progress STATUS= */

/*
 * The daemon: the mirrors it serves, and what they share.  At most cap
 * passes run at once, one per mirror at most.
 */
struct ferryd {
	struct mirror		*m;
	size_t			 n;
	int			 cap;
	int			 ep;
	int			 sigfd;
	int			 sched_tfd;
	int			 wd_tfd;
	struct ctl_client	 clients[CTL_MAXCLIENTS];
	int			 stopping;
	char			 status[256];	/* STATUS= sent last */
	uint64_t		 status_sent;
	pid_t			 status_pid;	/* the jobs it was about */
};

static int
timer_new(int clock)
{
	int	fd;

	if ((fd = timerfd_create(clock, TFD_NONBLOCK | TFD_CLOEXEC)) == -1)
		fatal("cannot create a timer");
	return fd;
}

static int
passes_running(const struct ferryd *d)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < d->n; i++)
		if (d->m[i].job != NULL && d->m[i].job->kind == JOB_PASS)
			n++;
	return n;
}

static int
jobs_running(const struct ferryd *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		if (d->m[i].job != NULL)
			return 1;
	return 0;
}

/* The place of e in the queue: asked for first, then by due time. */
static uint64_t
queue_key(const struct sched_entry *e)
{
	return e->now ? 0 : e->due;
}

/* The next source of an idle mirror, *mp set to its mirror; or NULL. */
static struct sched_entry *
next_idle(struct ferryd *d, struct mirror **mp)
{
	struct sched_entry	*e, *best = NULL;
	size_t			 i;

	for (i = 0; i < d->n; i++) {
		if (d->m[i].job != NULL ||
		    (e = sched_next(&d->m[i].sched)) == NULL)
			continue;
		if (best == NULL || queue_key(e) < queue_key(best)) {
			best = e;
			*mp = &d->m[i];
		}
	}
	return best;
}

/*
 * Arms the schedule's timer for due, relative to now on CLOCK_BOOTTIME:
 * as immune to changes of the wall clock as an absolute time on that
 * clock, and untouched by tools that shift absolute times by a fake
 * wall-clock offset (libfaketime wraps timerfd_settime so).
 */
static void
arm_sched(struct ferryd *d, uint64_t due)
{
	uint64_t	now = sched_clock();

	mirrors_timer_set(d->sched_tfd, due > now ? due - now : 1, 0);
}

/*
 * Starts the edit commits that settled and the passes that are due, up
 * to the cap; then arms the schedule's timer for the next one, if a
 * pass may start then.
 */
static void
try_start(struct ferryd *d)
{
	struct sched_entry	*e;
	struct mirror		*m = NULL;
	size_t			 i;

	if (d->stopping)
		return;
	for (i = 0; i < d->n; i++)
		mirrors_start_edit(&d->m[i]);
	while (passes_running(d) < d->cap &&
	    (e = next_idle(d, &m)) != NULL &&
	    (e->now || e->due <= sched_clock()))
		mirrors_start_pass(m, e);
	if (passes_running(d) >= d->cap || (e = next_idle(d, &m)) == NULL)
		mirrors_timer_set(d->sched_tfd, 0, 0);
	else
		arm_sched(d, e->due);
}

/* Appends "; " and text to s, of size len. */
static void
append(char *s, size_t len, const char *text)
{
	size_t	have = strlen(s);

	snprintf(s + have, len - have, "%s%s", have ? "; " : "", text);
}

/*
 * The mirrors together: each job, then the next pass of the mirrors at
 * rest: "syncing la-city 120/340; next: other in 5h12m".
 */
static void
summary(struct ferryd *d, char *s, size_t len)
{
	struct mirror	*next = NULL;
	char		 one[128];
	size_t		 i;

	*s = '\0';
	if (d->stopping) {
		snprintf(s, len, "stopping");
		return;
	}
	for (i = 0; i < d->n; i++) {
		if (d->m[i].job == NULL)
			continue;
		mirrors_status(&d->m[i], one, sizeof one);
		append(s, len, one);
	}
	if (next_idle(d, &next) != NULL) {
		mirrors_status(next, one, sizeof one);
		append(s, len, one);
	} else if (*s == '\0')
		snprintf(s, len, "idle: no source");
}

/* STATUS= for systemd, sent when it changes. */
static void
update_status(struct ferryd *d)
{
	char		s[sizeof d->status];
	uint64_t	now = sched_clock();
	pid_t		key = 0;
	size_t		i;

	summary(d, s, sizeof s);
	if (strcmp(s, d->status) == 0)
		return;
	for (i = 0; i < d->n; i++)
		if (d->m[i].job != NULL)
			key ^= d->m[i].job->pid;
	/* Progress of the same passes: at most a line a second. */
	if (key != 0 && key == d->status_pid &&
	    now - d->status_sent < STATUS_EVERY)
		return;
	memcpy(d->status, s, sizeof s);
	d->status_sent = now;
	d->status_pid = key;
	sd_notifyf(0, "STATUS=%s", s);
}

static void
reap(struct ferryd *d)
{
	pid_t	pid;
	int	status;
	size_t	i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (i = 0; i < d->n; i++)
			if (d->m[i].job != NULL && pid == d->m[i].job->pid)
				mirrors_job_ended(&d->m[i], status);
}

static void
kill_jobs(struct ferryd *d, int sig)
{
	struct mirror	*m;
	size_t		 i;

	for (i = 0; i < d->n; i++) {
		m = &d->m[i];
		if (m->job == NULL)
			continue;
		if (sig == SIGKILL)
			log_warnx("%s%s: child process %ld did not stop in "
			    "time, killing it", m->label, m->job->source ?
			    m->job->source : "edit", (long)m->job->pid);
		kill(m->job->pid, sig);
	}
}

static void
stop(struct ferryd *d)
{
	if (d->stopping && jobs_running(d)) {
		kill_jobs(d, SIGKILL);
		return;
	}
	d->stopping = 1;
	sd_notify(0, "STOPPING=1");
	log_info("stopping");
	if (!jobs_running(d))
		return;
	kill_jobs(d, SIGTERM);
	mirrors_timer_set(d->sched_tfd, KILL_AFTER, 0);
}

/* Reloads one mirror (m), or all of them (NULL), telling systemd. */
static void
reload(struct ferryd *d, struct mirror *m)
{
	size_t	i;

	sd_notify(0, "RELOADING=1");
	for (i = 0; i < d->n; i++)
		if (m == NULL || m == &d->m[i])
			mirrors_reload(&d->m[i], d->m, d->n);
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
			reload(d, NULL);
			break;
		case SIGCHLD:
			reap(d);
			break;
		}
	}
}

static void
on_sched(struct ferryd *d)
{
	mirrors_timer_drain(d->sched_tfd);
	if (d->stopping)
		kill_jobs(d, SIGKILL);
}

static void
on_ctl(struct ferryd *d, struct mirror *m)
{
	struct ctl_client	 spare;
	size_t			 i;

	for (i = 0; i < CTL_MAXCLIENTS; i++)
		if (d->clients[i].fd == -1)
			break;
	if (i == CTL_MAXCLIENTS) {
		if (ctl_accept(m->ctlfd, &spare) == 0)
			ctl_reply(&spare, "error: ferryd is busy, try again\n");
		return;
	}
	if (ctl_accept(m->ctlfd, &d->clients[i]) != 0)
		return;
	d->clients[i].owner = m->idx;
	mirrors_ep_add(d->ep, d->clients[i].fd, TAG_CLIENT + (uint32_t)i);
}

static void
on_client(struct ferryd *d, size_t i)
{
	struct ctl_client	*c = &d->clients[i];
	int			 rc;

	if ((rc = ctl_read(c)) == 0)
		return;
	mirrors_ep_del(d->ep, c->fd);
	if (rc < 0) {
		close(c->fd);
		c->fd = -1;
		return;
	}
	mirrors_answer(&d->m[c->owner], c);
}

/* The events of one mirror's descriptors. */
static void
dispatch_mirror(struct ferryd *d, struct mirror *m, uint32_t tag)
{
	switch (tag) {
	case TAG_QUIET:
		if (mirrors_on_quiet(m))
			reload(d, m);
		break;
	case TAG_WATCH:
		mirrors_on_watch(m);
		break;
	case TAG_CTL:
		on_ctl(d, m);
		break;
	case TAG_JOB:
		mirrors_job_read(m);
		break;
	}
}

static void
dispatch(struct ferryd *d, uint32_t data)
{
	uint32_t	tag = data & TAG_MASK, idx = data >> TAG_BITS;

	switch (tag) {
	case TAG_SIGNAL:
		on_signal(d);
		break;
	case TAG_SCHED:
		on_sched(d);
		break;
	case TAG_WATCHDOG:
		mirrors_timer_drain(d->wd_tfd);
		sd_notify(0, "WATCHDOG=1");
		break;
	default:
		if (tag >= TAG_CLIENT && tag < TAG_CLIENT + CTL_MAXCLIENTS)
			on_client(d, tag - TAG_CLIENT);
		else if (idx < d->n)
			dispatch_mirror(d, &d->m[idx], tag);
		break;
	}
}

/* The systemd watchdog, if asked for: WATCHDOG=1 twice a period. */
static void
watchdog_setup(struct ferryd *d)
{
	struct itimerspec	its;
	uint64_t		usec;

	d->wd_tfd = -1;
	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return;
	d->wd_tfd = timer_new(CLOCK_MONOTONIC);
	memset(&its, 0, sizeof its);
	usec /= 2;
	its.it_value.tv_sec = its.it_interval.tv_sec =
	    (time_t)(usec / 1000000);
	its.it_value.tv_nsec = its.it_interval.tv_nsec =
	    (long)(usec % 1000000) * 1000;
	if (timerfd_settime(d->wd_tfd, 0, &its, NULL) == -1)
		fatal("cannot set the watchdog timer");
	mirrors_ep_add(d->ep, d->wd_tfd, TAG_WATCHDOG);
}

/* Signals as loop events, the timers, then each mirror. */
static void
setup(struct ferryd *d)
{
	sigset_t	set;
	size_t		i;

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
	for (i = 0; i < CTL_MAXCLIENTS; i++)
		d->clients[i].fd = -1;
	mirrors_ep_add(d->ep, d->sigfd, TAG_SIGNAL);
	mirrors_ep_add(d->ep, d->sched_tfd, TAG_SCHED);
	watchdog_setup(d);
	for (i = 0; i < d->n; i++)
		mirrors_open(&d->m[i], d->ep);
}

static void
loop(struct ferryd *d)
{
	struct epoll_event	 evs[16];
	struct conf		*c;
	size_t			 i;
	int			 n;

	sd_notify(0, "READY=1");
	for (i = 0; i < d->n; i++) {
		c = d->m[i].conf;
		if (c->follow != NULL)
			log_info("started with '%s': following a hub, mirror "
			    "'%s'", d->m[i].conf_file, c->mirror_path);
		else
			log_info("started with '%s': %zu %s, mirror '%s'",
			    d->m[i].conf_file, c->nsources, c->nsources == 1 ?
			    "source" : "sources", c->mirror_path);
	}
	if (d->n > 1)
		log_info("%zu mirrors, at most %d %s at a time", d->n, d->cap,
		    d->cap == 1 ? "pass" : "passes");
	for (;;) {
		try_start(d);
		update_status(d);
		if (d->stopping && !jobs_running(d))
			break;
		if ((n = epoll_wait(d->ep, evs, 16, -1)) == -1) {
			if (errno == EINTR)
				continue;
			fatal("epoll_wait");
		}
		for (i = 0; i < (size_t)n; i++)
			dispatch(d, evs[i].data.u32);
	}
}

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: ferryd [-dnv] [-c file ...] [-j passes]\n");
	exit(2);
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

/* -j N: passes at once, 1 to MAX_JOBS. */
static int
jobs_of(const char *arg)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || n < 1 ||
	    n > MAX_JOBS) {
		fprintf(stderr, "ferryd: -j: invalid number of passes '%s' "
		    "(use 1 to %d)\n", arg, MAX_JOBS);
		exit(2);
	}
	return (int)n;
}

/* Two configurations of one mirror would fight over it: refused. */
static int
check_paths(const struct ferryd *d, char **files)
{
	const char	*other;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < d->n; i++) {
		if (d->m[i].conf == NULL || (other = mirrors_same_path(d->m,
		    i, NULL, d->m[i].conf->mirror_path)) == NULL)
			continue;
		if (strcmp(other, d->m[i].conf_file) == 0)
			fprintf(stderr, "ferryd: %s: given twice with -c\n",
			    files[i]);
		else
			fprintf(stderr, "ferryd: %s: mirror.path: '%s' is the "
			    "mirror of '%s' already (give each configuration "
			    "its own)\n", files[i],
			    d->m[i].conf->mirror_path, other);
		rc = -1;
	}
	return rc;
}

/*
 * Each file's configuration, checked whole; every problem is printed.
 * Returns 0, or -1 when any file is broken.
 */
static int
load_all(struct ferryd *d, char **files, size_t n)
{
	size_t	i;
	int	rc = 0;

	d->m = xcalloc(n, sizeof *d->m);
	d->n = n;
	for (i = 0; i < n; i++) {
		d->m[i].idx = i;
		d->m[i].quiet_tfd = -1;
		d->m[i].ctlfd = -1;
		d->m[i].conf_file = absolute(files[i]);
		if (n > 1)
			xasprintf(&d->m[i].label, "%s: ", files[i]);
		else
			d->m[i].label = xstrdup("");
		if (conf_load(files[i], &d->m[i].conf) != 0) {
			fprintf(stderr, "ferryd: %s\n", err_msg());
			rc = -1;
		}
	}
	if (check_paths(d, files) != 0)
		rc = -1;
	return rc;
}

static void
free_all(struct ferryd *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		mirrors_close(&d->m[i]);
	free(d->m);
}

static void
teardown(struct ferryd *d)
{
	size_t	i;

	for (i = 0; i < CTL_MAXCLIENTS; i++)
		if (d->clients[i].fd != -1)
			close(d->clients[i].fd);
	free_all(d);
	close(d->sched_tfd);
	if (d->wd_tfd != -1)
		close(d->wd_tfd);
	close(d->sigfd);
	close(d->ep);
}

/* -c FILE, each time given, else $FERRY_CONF, else the system's. */
static char **
add_file(char **files, size_t *n, const char *arg)
{
	if (arg == NULL)
		arg = getenv("FERRY_CONF");
	if (arg == NULL || *arg == '\0')
		arg = DEFAULT_CONF;
	if (*n >= MAX_MIRRORS)
		usage();
	files = xreallocarray(files, *n + 1, sizeof *files);
	files[(*n)++] = (char *)arg;
	return files;
}

int
main(int argc, char **argv)
{
	struct ferryd	  d;
	char		**files = NULL;
	size_t		  nfiles = 0;
	int		  ch, rc, foreground = 0, check = 0, verbose = 1;

	setlocale(LC_CTYPE, "");
	memset(&d, 0, sizeof d);
	d.cap = DEFAULT_JOBS;
	while ((ch = getopt(argc, argv, "c:dj:nv")) != -1) {
		switch (ch) {
		case 'c':
			files = add_file(files, &nfiles, optarg);
			break;
		case 'd':
			foreground = 1;
			break;
		case 'j':
			d.cap = jobs_of(optarg);
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
	if (nfiles == 0)
		files = add_file(files, &nfiles, NULL);
	log_init("ferryd", check ? 0 : verbose, foreground && !check ?
	    LOG_TO_JOURNAL : LOG_TO_TERMINAL);
	if (store_global_init() != 0 || fetch_global_init() != 0)
		fatalx("%s", err_msg());
	rc = load_all(&d, files, nfiles);
	free(files);
	if (rc != 0 || check) {
		if (rc == 0)
			printf("configuration OK\n");
		free_all(&d);
		return rc == 0 ? 0 : 1;
	}
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
