/*
 * sched.c -- when each source's next pass is due.
 *
 * Times are milliseconds on CLOCK_BOOTTIME: monotonic, so a change of
 * the wall clock moves nothing, and counting the time the machine slept,
 * so a box that was suspended past a pass catches up when it wakes.  The
 * loop arms a timerfd on the same clock for the time left (ferryd.c);
 * t5010 shows a jump of the wall clock by 30 days either way changing
 * no pass's time.  A
 * pass that went well is followed by the next one an interval later,
 * plus a random jitter (mirror.jitter, at most a tenth of the interval)
 * so that many boxes do not all knock at once.  A failed pass is retried
 * after daemon.backoff, doubled at each failure in a row, never later
 * than the interval.  The end of the last good pass and the failure
 * count are kept in the mirror's private directory, so a restart makes a
 * pass soon only when the last one is older than the interval.
 *
 * This file owns no timer and starts nothing: the loop asks it what is
 * due and tells it how a pass went.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "conf.h"
#include "fsutil.h"
#include "log.h"
#include "xmalloc.h"

#include "ferryd.h"

#define START_SPREAD	30	/* seconds, most a start delays a pass */
#define BUSY_RETRY	5	/* seconds, when another writer had the lock */
#define MAX_DOUBLINGS	20

uint64_t
sched_clock(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A random number of milliseconds from 0 to seconds. */
static uint64_t
random_ms(long seconds)
{
	if (seconds <= 0)
		return 0;
	return (uint64_t)random() % ((uint64_t)seconds * 1000 + 1);
}

static long
jitter_of(const struct conf *conf, long interval)
{
	return conf->jitter < interval / 10 ? conf->jitter : interval / 10;
}

/*
 * Due for the first time: at once for a source never passed, soon (a
 * random delay, so that boxes restarted together spread out) when its
 * last good pass is too old or it was failing, else when its interval
 * runs out.
 */
static void
first_due(struct sched_entry *e, const struct conf *conf, uint64_t now)
{
	time_t	wall = time(NULL);
	long	spread;

	spread = jitter_of(conf, e->interval);
	if (spread > START_SPREAD)
		spread = START_SPREAD;
	if (e->last == 0 && e->outcome == -1)
		e->due = now;	/* never passed: at once */
	else if (e->failures > 0 || wall < e->last ||
	    wall - e->last >= e->interval)
		e->due = now + random_ms(spread);
	else
		e->due = now + (uint64_t)(e->last + e->interval - wall) * 1000;
}

/* The entries for conf's sources, keeping what is known of old ones. */
void
sched_update(struct sched *s, const struct conf *conf)
{
	struct sched_entry	*v, *old;
	uint64_t		 now = sched_clock();
	size_t			 i, n;

	n = conf->nsources + (conf->follow != NULL);
	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		if (i < conf->nsources) {
			v[i].name = xstrdup(conf->sources[i].name);
			v[i].interval = conf->sources[i].interval;
		} else {
			v[i].name = xstrdup(SCHED_FOLLOW);
			v[i].interval = conf->follow_interval;
		}
		v[i].outcome = -1;
		if ((old = sched_find(s, v[i].name)) == NULL) {
			first_due(&v[i], conf, now);
			continue;
		}
		v[i].last = old->last;
		v[i].failures = old->failures;
		v[i].outcome = old->outcome;
		v[i].now = old->now;
		v[i].due = old->due;
		if (old->interval != v[i].interval && old->failures == 0)
			first_due(&v[i], conf, now);
	}
	sched_free(s);
	s->v = v;
	s->n = n;
}

/* Lines "NAME LAST FAILURES OUTCOME", as sched_save writes them. */
static void
read_saved(struct sched *s, const char *file)
{
	struct buf		 b = BUF_INIT;
	struct sched_entry	*e;
	char			*line, *next, name[128];
	long long		 last;
	int			 failures, outcome;

	if (fsutil_read(file, &b) != 0 || b.len == 0) {
		buf_free(&b);
		return;
	}
	for (line = b.ptr; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (sscanf(line, "%127s %lld %d %d", name, &last, &failures,
		    &outcome) != 4 || (e = sched_find(s, name)) == NULL)
			continue;
		e->last = (time_t)last;
		e->failures = failures < 0 ? 0 : failures;
		e->outcome = outcome;
	}
	buf_free(&b);
}

/* The schedule at start: conf's sources, what file remembers of them. */
void
sched_load(struct sched *s, const struct conf *conf, const char *file)
{
	uint64_t	now = sched_clock();
	size_t		i;

	s->v = NULL;
	s->n = 0;
	sched_update(s, conf);
	if (file == NULL)
		return;
	read_saved(s, file);
	for (i = 0; i < s->n; i++)
		first_due(&s->v[i], conf, now);
}

struct sched_entry *
sched_find(struct sched *s, const char *name)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

/* The entry to run next: one asked for, else the one due first. */
struct sched_entry *
sched_next(struct sched *s)
{
	struct sched_entry	*best = NULL;
	size_t			 i;

	for (i = 0; i < s->n; i++) {
		if (s->v[i].now)
			return &s->v[i];
		if (best == NULL || s->v[i].due < best->due)
			best = &s->v[i];
	}
	return best;
}

/* How the pass of e went (a JOB_* outcome); sets its next due time. */
void
sched_done(struct sched *s, struct sched_entry *e, int outcome,
    const struct conf *conf)
{
	uint64_t	now = sched_clock(), delay;
	int		shift;

	(void)s;
	switch (outcome) {
	case JOB_OK:
	case JOB_PARTIAL:
		e->failures = 0;
		e->last = time(NULL);
		e->due = now + (uint64_t)e->interval * 1000 +
		    random_ms(jitter_of(conf, e->interval));
		break;
	case JOB_BUSY:
		e->due = now + BUSY_RETRY * 1000;
		return;
	case JOB_STOPPED:
		return;
	default:
		e->failures++;
		shift = e->failures - 1 < MAX_DOUBLINGS ? e->failures - 1 :
		    MAX_DOUBLINGS;
		delay = (uint64_t)conf->backoff << shift;
		if (delay > (uint64_t)e->interval)
			delay = (uint64_t)e->interval;
		e->due = now + delay * 1000;
		log_info("%s: failed %d %s in a row, next try in %" PRIu64 "s",
		    e->name, e->failures, e->failures == 1 ? "time" : "times",
		    delay);
		break;
	}
	e->outcome = outcome;
}

int
sched_save(const struct sched *s, const char *file)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	int		rc;

	for (i = 0; i < s->n; i++)
		buf_addf(&b, "%s %lld %d %d\n", s->v[i].name,
		    (long long)s->v[i].last, s->v[i].failures,
		    s->v[i].outcome);
	rc = fsutil_write_atomic(file, b.ptr ? b.ptr : "", b.len, 0);
	buf_free(&b);
	return rc;
}

void
sched_free(struct sched *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* "5h12m", "3m20s", "12s": a delay for people. */
void
sched_duration(char *out, size_t len, uint64_t ms)
{
	uint64_t	s = (ms + 999) / 1000;

	if (s >= 3600)
		snprintf(out, len, "%" PRIu64 "h%02" PRIu64 "m", s / 3600,
		    s % 3600 / 60);
	else if (s >= 60)
		snprintf(out, len, "%" PRIu64 "m%02" PRIu64 "s", s / 60,
		    s % 60);
	else
		snprintf(out, len, "%" PRIu64 "s", s);
}
