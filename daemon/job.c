/*
 * job.c -- one sync pass or one edit commit, run in a child process.
 *
 * The child calls sync_source(), follow_run() (a mirror that follows a
 * hub) or sync_index(), then publish_run() to push what it committed to
 * the [publish] remotes, and _exit()s with ferry(1)'s exit status, so a
 * pass that crashes or leaks never takes the daemon with it, and the
 * loop never waits on the network or the disk.
 * Progress travels back as "done total" lines on a non-blocking pipe.
 *
 * Stopping: SIGTERM sets a flag that the child checks each time a
 * resource is settled, a point where nothing has been written to the
 * repository yet; it then _exit()s and the kernel drops the mirror's
 * lock.  A child busy committing finishes its commit.  The library has
 * no other cancellation hook, so a child that does not reach a safe
 * point in time is killed by the daemon; the store's commit order
 * (objects first, then the branch by compare-and-swap) makes that safe
 * too.  This file does not decide when a job runs or what its outcome
 * means for the schedule.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "crawl.h"
#include "err.h"
#include "follow.h"
#include "fsutil.h"
#include "log.h"
#include "publish.h"
#include "store.h"
#include "sync.h"
#include "xmalloc.h"

#include "ferryd.h"

#define PROGRESS_FD	3	/* the pipe's write end, in the child */

static volatile sig_atomic_t	job_stop;
static const char		*job_label = "";	/* in the child */

static void
on_term(int sig)
{
	(void)sig;
	job_stop = 1;
}

/*
 * The child's start: default signals, SIGTERM caught, nothing of the
 * daemon's open but stdin, stdout, stderr and the progress pipe.
 */
static void
child_setup(int wfd)
{
	struct sigaction	sa;
	sigset_t		all;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	if (wfd != PROGRESS_FD) {
		if (dup2(wfd, PROGRESS_FD) == -1)
			_exit(JOB_FATAL);
	} else if (fcntl(wfd, F_SETFD, 0) == -1)
		_exit(JOB_FATAL);
	close_range(PROGRESS_FD + 1, ~0U, 0);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

static void
on_progress(const struct crawl_progress *p, void *arg)
{
	char	line[64];
	int	n;

	(void)arg;
	if (job_stop)
		_exit(JOB_STOPPED);
	n = snprintf(line, sizeof line, "%d %d\n", p->done, p->total);
	/* A full pipe drops a line: the next one says more anyway. */
	if (write(PROGRESS_FD, line, (size_t)n) == -1)
		errno = 0;
}

/*
 * Push to the [publish] remotes that lack HEAD: after every job, so a
 * push that failed is tried again at the next.  A failure makes the
 * outcome partial; the commit stays.
 */
static int
publish(const struct conf *conf, int outcome)
{
	int	pushed, failed;

	if (conf->npublish == 0 || (outcome != JOB_OK &&
	    outcome != JOB_PARTIAL))
		return outcome;
	if (publish_run(conf, 0, &pushed, &failed) != 0) {
		log_warnx("%spublish: %d of %zu failed, tried again after the "
		    "next pass: %s", job_label, failed, conf->npublish,
		    err_msg());
		outcome = JOB_PARTIAL;
	}
	return outcome;
}

static int
run_follow(const struct conf *conf)
{
	struct follow_result	r;

	if (follow_run(conf, &r) != 0) {
		log_warnx("%sfollow: pass failed: %s", job_label, err_msg());
		return JOB_FATAL;
	}
	if (r.head[0] == '\0')
		log_info("%sfollow: up to date with the hub at %.12s",
		    job_label, r.tip);
	else
		log_info("%sfollow: %ld new commit%s of the hub (%.12s)%s; "
		    "commit %.12s", job_label, r.commits, r.commits == 1 ?
		    "" : "s", r.tip, r.merged ? ", local files kept" : "",
		    r.head);
	return JOB_OK;
}

static int
run_pass(const struct conf *conf, const char *name)
{
	const struct conf_source	*src;
	struct sync_stats		 st;
	int				 rc;

	store_set_fsync(conf->fsync);
	store_sign_with(conf->sign_key);
	if (conf->follow != NULL && strcmp(name, SCHED_FOLLOW) == 0)
		return publish(conf, run_follow(conf));
	if ((src = conf_source(conf, name)) == NULL)
		return JOB_FATAL;
	if ((rc = sync_source(conf, src, on_progress, NULL, &st)) != 0) {
		log_warnx("%s%s: pass failed: %s", job_label, name,
		    err_msg());
		return rc == FERRY_EBUSY ? JOB_BUSY : JOB_FATAL;
	}
	log_info("%s%s: %d resources, %d added, %d updated, %d removed, "
	    "%d failed; %lld requests in %.1f s; %s%.12s", job_label, name,
	    st.resources, st.added, st.updated, st.removed, st.failed,
	    (long long)st.requests, st.seconds,
	    st.commit[0] ? "commit " : "no change", st.commit);
	return publish(conf, st.failed > 0 ? JOB_PARTIAL : JOB_OK);
}

/*
 * The author of an edit commit: mirror.admin, else the owner of the file
 * edited last (name from the password database, login@host), else
 * mirror.author.
 */
static void
edit_author(struct conf *conf, const char *path)
{
	struct stat	 st;
	struct passwd	*pw;
	char		*file;

	if (conf->admin_name != NULL) {
		free(conf->author_name);
		free(conf->author_email);
		conf->author_name = xstrdup(conf->admin_name);
		conf->author_email = xstrdup(conf->admin_email);
		return;
	}
	if (path == NULL)
		return;
	file = fsutil_join(conf->mirror_path, path);
	if (lstat(file, &st) == -1 || (pw = getpwuid(st.st_uid)) == NULL ||
	    pw->pw_name == NULL || *pw->pw_name == '\0') {
		free(file);
		return;
	}
	free(file);
	conf_author_user(conf, pw);
}

static int
run_edit(struct conf *conf, const char *path)
{
	struct sync_stats	st;
	int			rc;

	edit_author(conf, path);
	store_set_fsync(conf->fsync);
	store_sign_with(conf->sign_key);
	if ((rc = sync_index(conf, &st)) != 0) {
		log_warnx("%sedit: %s", job_label, err_msg());
		return rc == FERRY_EBUSY ? JOB_BUSY : JOB_FATAL;
	}
	if (st.commit[0] != '\0')
		log_info("%sedit: %d added, %d updated, %d removed; "
		    "commit %.12s", job_label, st.added, st.updated,
		    st.removed, st.commit);
	else
		log_info("%sedit: no change", job_label);
	return publish(conf, st.failed > 0 ? JOB_PARTIAL : JOB_OK);
}

static struct job *
job_start(enum job_kind kind, const struct conf *conf, const char *arg,
    const char *label)
{
	struct job	*job;
	int		 fds[2];
	pid_t		 pid;

	if (pipe2(fds, O_CLOEXEC) == -1) {
		log_warn("cannot create a pipe");
		return NULL;
	}
	if ((pid = fork()) == -1) {
		log_warn("cannot start a child process");
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0) {
		close(fds[0]);
		child_setup(fds[1]);
		job_label = label;
		if (kind == JOB_PASS)
			_exit(run_pass(conf, arg));
		_exit(run_edit((struct conf *)conf, arg));
	}
	close(fds[1]);
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK) == -1)
		log_warn("cannot make the progress pipe non-blocking");
	job = xcalloc(1, sizeof *job);
	job->kind = kind;
	job->pid = pid;
	job->fd = fds[0];
	job->source = kind == JOB_PASS ? xstrdup(arg) : NULL;
	job->started = sched_clock();
	return job;
}

/*
 * A pass over the source called name, in a child; label prefixes the
 * child's log lines.
 */
struct job *
job_pass(const struct conf *conf, const char *name, const char *label)
{
	return job_start(JOB_PASS, conf, name, label);
}

/* The index regenerated and the edits committed; path: edited last. */
struct job *
job_edit(const struct conf *conf, const char *path, const char *label)
{
	return job_start(JOB_EDIT, conf, path, label);
}

/*
 * Reads what the child said so far; keeps the last complete line.
 * Returns 1 at the end of the pipe (the child is gone), else 0.
 */
int
job_progress(struct job *job)
{
	char	buf[512];
	ssize_t	n, i;
	int	done, total;

	if (job->fd == -1)
		return 1;
	while ((n = read(job->fd, buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (job->len < sizeof job->line - 1)
					job->line[job->len++] = buf[i];
				continue;
			}
			job->line[job->len] = '\0';
			job->len = 0;
			if (sscanf(job->line, "%d %d", &done, &total) == 2) {
				job->done = done;
				job->total = total;
			}
		}
	}
	return n == 0;
}

/* A wait status as a JOB_* outcome; a crash is a failure. */
int
job_outcome(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return JOB_FATAL;
}

void
job_free(struct job *job)
{
	if (job == NULL)
		return;
	if (job->fd != -1)
		close(job->fd);
	free(job->source);
	free(job);
}
