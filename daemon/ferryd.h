/* ferryd.h -- the modules of ferryd(8) */
#ifndef FERRYD_H
#define FERRYD_H

#include <sys/types.h>

#include <stdint.h>
#include <time.h>

struct conf;

/*
 * Exit statuses of a child: those of ferry(1) (0 done, 1 failed, 3 done
 * with failed resources) and two of the daemon's own.
 */
#define JOB_OK		0
#define JOB_FATAL	1
#define JOB_PARTIAL	3
#define JOB_STOPPED	4	/* stopped at a safe point by SIGTERM */
#define JOB_BUSY	75	/* another writer held the mirror's lock */

/* --- sched.c: when each source's next pass is due ------------------------ */

/* The schedule's entry of a mirror that follows a hub ([follow]). */
#define SCHED_FOLLOW	"follow"

/*
 * One source in the schedule.  due is on sched_clock(); last and the
 * failure count survive a restart in the mirror's private directory.
 */
struct sched_entry {
	char		*name;
	long		 interval;	/* seconds */
	uint64_t	 due;		/* milliseconds, sched_clock() */
	time_t		 last;		/* wall clock, end of the last pass */
	int		 failures;	/* failed passes in a row */
	int		 outcome;	/* JOB_*, -1 before the first pass */
	int		 now;		/* asked for with ferry sync --now */
};

struct sched {
	struct sched_entry	*v;
	size_t			 n;
};

uint64_t	 sched_clock(void);
void		 sched_load(struct sched *, const struct conf *, const char *);
void		 sched_update(struct sched *, const struct conf *);
struct sched_entry *sched_find(struct sched *, const char *);
struct sched_entry *sched_next(struct sched *);
void		 sched_done(struct sched *, struct sched_entry *, int,
		    const struct conf *);
int		 sched_save(const struct sched *, const char *);
void		 sched_free(struct sched *);
void		 sched_duration(char *, size_t, uint64_t);

/* --- job.c: one pass or edit commit, in a child process ------------------ */

enum job_kind {
	JOB_PASS,
	JOB_EDIT
};

/*
 * A child at work.  Its progress ("done total" lines) comes through the
 * pipe fd; status is its wait status once reaped.
 */
struct job {
	enum job_kind	 kind;
	pid_t		 pid;
	char		*source;	/* JOB_PASS: the source */
	int		 fd;		/* progress pipe, read end, -1
					   once at its end */
	int		 done;
	int		 total;
	uint64_t	 started;	/* sched_clock() */
	char		 line[64];
	size_t		 len;
};

struct job	*job_pass(const struct conf *, const char *, const char *);
struct job	*job_edit(const struct conf *, const char *, const char *);
int		 job_progress(struct job *);
int		 job_outcome(int);
void		 job_free(struct job *);

/* --- watch.c: inotify on local/, catalog.conf and the configuration ------ */

#define WATCH_EDIT	0x1	/* something under local/ or catalog.conf */
#define WATCH_CONF	0x2	/* the configuration file */

struct watch;

struct watch	*watch_open(const char *, const char *);
int		 watch_fd(const struct watch *);
void		 watch_refresh(struct watch *);
int		 watch_read(struct watch *);
const char	*watch_last(const struct watch *);
void		 watch_close(struct watch *);

/* --- ctl.c: the control socket that ferry sync --now talks to ------------ */

#define CTL_MAXCLIENTS	8
#define CTL_LINE	256

struct ctl_client {
	int	 fd;
	size_t	 owner;		/* the caller's: which mirror asked */
	char	 line[CTL_LINE];
	size_t	 len;
};

int	 ctl_listen(const char *);
int	 ctl_accept(int, struct ctl_client *);
int	 ctl_read(struct ctl_client *);
void	 ctl_reply(struct ctl_client *, const char *);

/* --- mirrors.c: one mirror served, from one configuration file ---------- */

/*
 * What epoll_event.data.u32 says: a TAG_*, and for the descriptors of a
 * mirror (TAG_QUIET to TAG_JOB) the mirror's index above TAG_BITS.
 */
enum tag {
	TAG_SIGNAL = 1,
	TAG_SCHED,
	TAG_WATCHDOG,
	TAG_QUIET,
	TAG_WATCH,
	TAG_CTL,
	TAG_JOB,
	TAG_CLIENT		/* + the client's index */
};
#define TAG_BITS	8
#define TAG_MASK	((1U << TAG_BITS) - 1)
#define TAG_OF(idx, tag) ((uint32_t)(idx) << TAG_BITS | (uint32_t)(tag))

/*
 * One mirror and the configuration that describes it.  At most one job
 * runs on it; edits counts changes seen since the last edit commit
 * started, settled says the quiet period has passed since the last of
 * them.  label prefixes its log lines ("" when ferryd serves only it).
 */
struct mirror {
	size_t			 idx;
	char			*label;
	struct conf		*conf;
	char			*conf_file;	/* absolute */
	int			 ep;		/* the loop's, not owned */
	int			 quiet_tfd;
	int			 ctlfd;
	char			*ctl_file;
	char			*sched_file;
	struct watch		*watch;
	struct sched		 sched;
	struct job		*job;
	int			 edits;
	int			 settled;
	int			 conf_changed;
};

void	 mirrors_ep_add(int, int, uint32_t);
void	 mirrors_ep_del(int, int);
void	 mirrors_timer_set(int, uint64_t, int);
void	 mirrors_timer_drain(int);
void	 mirrors_open(struct mirror *, int);
void	 mirrors_close(struct mirror *);
const char *mirrors_same_path(const struct mirror *, size_t,
	    const struct mirror *, const char *);
void	 mirrors_reload(struct mirror *, const struct mirror *, size_t);
int	 mirrors_start_edit(struct mirror *);
void	 mirrors_start_pass(struct mirror *, struct sched_entry *);
void	 mirrors_job_read(struct mirror *);
void	 mirrors_job_ended(struct mirror *, int);
void	 mirrors_on_watch(struct mirror *);
int	 mirrors_on_quiet(struct mirror *);
void	 mirrors_status(struct mirror *, char *, size_t);
void	 mirrors_answer(struct mirror *, struct ctl_client *);

#endif
