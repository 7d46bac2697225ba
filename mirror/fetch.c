/*
 * fetch.c -- the HTTP engine: many transfers at once through libcurl's
 * multi interface.
 *
 * Owns: per-host queues, the per-host and global connection caps and the
 * per-host delay between requests; conditional requests from the
 * validators the caller passes in; streaming each body to a temporary
 * file while its SHA-256 is computed; the decoded-size cap (a gzip bomb
 * stops at max-file-size); retries of transient failures with backoff,
 * jitter and Retry-After, bounded in count and in time waited per pass;
 * resuming an interrupted body with Range and If-Range; the request and
 * byte budgets of a pass; and the protocol rules (http and https only,
 * redirects are reported, never followed, so the caller checks each hop).
 * It does not know what a page, a mirror, robots.txt or git is: it
 * answers "what did this URL return", nothing more.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "err.h"
#include "fetch.h"
#include "hash.h"
#include "log.h"
#include "strmap.h"
#include "url.h"
#include "xmalloc.h"

#define FETCH_RETRY_CAP		60.0	/* longest wait before a retry, s */
#define FETCH_FOLLOW_MAX	5L	/* redirects libcurl follows */
#define FETCH_IDLE_POLL		1.0	/* longest poll while busy, s */

/*
 * One request from queueing to its callback.  The body (tmpname, fd,
 * sha, size, head) outlives an attempt when the next one resumes it
 * (if_range is set); everything under "per attempt" does not.
 */
struct job {
	struct job		*next;
	struct fetch		*f;
	struct hostq		*hq;
	char			*url;
	char			*etag;
	char			*last_modified;
	int			 flags;
	int64_t			 max_size;
	fetch_cb		*cb;
	void			*arg;
	int			 attempts;
	double			 not_before;	/* monotonic seconds */

	/* The body so far. */
	char			*tmpname;
	int			 fd;
	struct hash_ctx		 sha;
	int64_t			 size;
	char			 head[1024];
	size_t			 headlen;
	char			*if_range;	/* resume with this validator */
	int			 resumed;

	/* Per attempt. */
	CURL			*easy;
	struct curl_slist	*hdrs;
	long			 code;		/* status of the response */
	int			 ranged;	/* this attempt asked a Range */
	int			 body_begun;
	int			 capped;
	int			 cut;
	int			 ioerr;
	int			 range_bad;
	int			 short_range;
	int			 set_cookie;	/* this response sets one */
	int			 bounced;	/* asked again for a cookie */
	char			*h_etag;
	char			*h_last_modified;
	char			*h_content_type;
	char			*h_retry_after;
	char			*h_encoding;
	char			*h_range;
	char			*reason;	/* "Service Unavailable" */
	char			 errbuf[CURL_ERROR_SIZE];
};

/* The queue and the transfers in flight for one host. */
struct hostq {
	char		*host;
	struct job	*head, *tail;
	int		 active;
	double		 delay;		/* seconds between requests */
	double		 next_ok;	/* monotonic time of the next start */
};

struct fetch {
	CURLM		 *multi;
	CURLSH		 *share;	/* cookies, DNS, TLS sessions */
	struct fetch_opts opts;
	struct strmap	 *hosts;
	struct hostq	**hostv;
	size_t		  nhosts;
	size_t		  rr;		/* round-robin position */
	struct job	 *delayed;	/* retries waiting for their time */
	int		  active;
	int		  counted;	/* counted requests started */
	int64_t		  counted_bytes;
	double		  waited;	/* idle for retries alone, s */
	int64_t		  requests;
	int64_t		  bytes;
};

static double
now_mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
fetch_global_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set("cannot initialise libcurl");
	if (sodium_init() < 0)
		return err_set("cannot initialise libsodium");
	return 0;
}

void
fetch_global_free(void)
{
	curl_global_cleanup();
}

struct fetch *
fetch_new(const struct fetch_opts *opts)
{
	struct fetch	*f;

	f = xcalloc(1, sizeof *f);
	f->opts = *opts;
	if (f->opts.per_host < 1)
		f->opts.per_host = 1;
	if (f->opts.connections < 1)
		f->opts.connections = 1;
	if (f->opts.delay < 0)
		f->opts.delay = 0;
	f->hosts = strmap_new();
	if ((f->multi = curl_multi_init()) == NULL)
		fatalx("cannot create a libcurl multi handle");
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)f->opts.per_host);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)f->opts.connections);
	curl_multi_setopt(f->multi, CURLMOPT_PIPELINING,
	    (long)CURLPIPE_MULTIPLEX);
	/*
	 * Cookies live as long as the pass, in memory, shared by every
	 * transfer: sites behind a CDN or a consent page set one and
	 * redirect, and loop for a client that forgets it.  Nothing is
	 * kept after the pass.
	 */
	if ((f->share = curl_share_init()) == NULL)
		fatalx("cannot create a libcurl share handle");
	curl_share_setopt(f->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
	curl_share_setopt(f->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(f->share, CURLSHOPT_SHARE,
	    CURL_LOCK_DATA_SSL_SESSION);
	return f;
}

static void
free_headers(struct job *j)
{
	free(j->h_etag);
	free(j->h_last_modified);
	free(j->h_content_type);
	free(j->h_retry_after);
	free(j->h_encoding);
	free(j->h_range);
	free(j->reason);
	j->h_etag = j->h_last_modified = j->h_content_type = NULL;
	j->h_retry_after = j->h_encoding = j->h_range = j->reason = NULL;
}

/* Forget one attempt; the body stays for the next. */
static void
attempt_reset(struct job *j)
{
	if (j->easy != NULL)
		curl_easy_cleanup(j->easy);
	j->easy = NULL;
	curl_slist_free_all(j->hdrs);
	j->hdrs = NULL;
	free_headers(j);
	j->code = 0;
	j->ranged = j->body_begun = j->capped = j->cut = j->ioerr = 0;
	j->range_bad = j->short_range = j->set_cookie = 0;
	j->errbuf[0] = '\0';
}

static void
body_drop(struct job *j)
{
	if (j->fd != -1)
		close(j->fd);
	j->fd = -1;
	if (j->tmpname != NULL)
		unlink(j->tmpname);
	free(j->tmpname);
	j->tmpname = NULL;
	free(j->if_range);
	j->if_range = NULL;
	j->size = 0;
	j->headlen = 0;
	j->resumed = 0;
}

static void
job_free(struct job *j)
{
	if (j == NULL)
		return;
	attempt_reset(j);
	body_drop(j);
	hash_free(&j->sha);
	free(j->url);
	free(j->etag);
	free(j->last_modified);
	free(j);
}

static void
hostq_free(void *p)
{
	struct hostq	*hq = p;
	struct job	*j, *next;

	for (j = hq->head; j != NULL; j = next) {
		next = j->next;
		job_free(j);
	}
	free(hq->host);
	free(hq);
}

void
fetch_free(struct fetch *f)
{
	struct job	*j, *next;

	if (f == NULL)
		return;
	for (j = f->delayed; j != NULL; j = next) {
		next = j->next;
		job_free(j);
	}
	strmap_free(f->hosts, hostq_free);
	free(f->hostv);
	curl_multi_cleanup(f->multi);
	curl_share_cleanup(f->share);
	free(f);
}

static void
enqueue(struct hostq *hq, struct job *j)
{
	j->next = NULL;
	if (hq->tail != NULL)
		hq->tail->next = j;
	else
		hq->head = j;
	hq->tail = j;
}

static char *
host_of(const char *url)
{
	const char	*p, *end;

	if ((p = strstr(url, "://")) == NULL)
		return xstrdup("");
	p += 3;
	end = p + strcspn(p, "/?#");
	return xstrndup(p, (size_t)(end - p));
}

static struct hostq *
hostq_for(struct fetch *f, const char *url)
{
	struct hostq	*hq;
	char		*host;

	host = host_of(url);
	if ((hq = strmap_get(f->hosts, host)) == NULL) {
		hq = xcalloc(1, sizeof *hq);
		hq->host = xstrdup(host);
		hq->delay = f->opts.delay;
		strmap_put(f->hosts, host, hq);
		f->hostv = xreallocarray(f->hostv, f->nhosts + 1,
		    sizeof *f->hostv);
		f->hostv[f->nhosts++] = hq;
	}
	free(host);
	return hq;
}

/* Queue a request; cb runs once with the outcome, from fetch_run(). */
void
fetch_add(struct fetch *f, const struct fetch_req *req, fetch_cb *cb,
    void *arg)
{
	struct job	*j;

	j = xcalloc(1, sizeof *j);
	j->f = f;
	j->fd = -1;
	j->url = xstrdup(req->url);
	j->etag = req->etag ? xstrdup(req->etag) : NULL;
	j->last_modified = req->last_modified ?
	    xstrdup(req->last_modified) : NULL;
	j->flags = req->flags;
	j->max_size = req->max_size;
	j->cb = cb;
	j->arg = arg;
	j->hq = hostq_for(f, req->url);
	enqueue(j->hq, j);
}

/*
 * Wait this many seconds between requests to url's host (never less
 * than the configured delay); with a delay, the host gets one
 * connection at a time.
 */
void
fetch_host_delay(struct fetch *f, const char *url, double seconds)
{
	struct hostq	*hq = hostq_for(f, url);
	double		 next;

	hq->delay = seconds > f->opts.delay ? seconds : f->opts.delay;
	if ((next = now_mono() + hq->delay) > hq->next_ok)
		hq->next_ok = next;
}

static char *
trimmed(const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n' ||
	    p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return xstrndup(p, n);
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct job	 *j = arg;
	size_t		  len = size * n, i, nl;
	const char	 *sp, *rs;
	char		**dst;
	const struct {
		const char	*name;
		char		**dst;
	} want[] = {
		{ "etag:", &j->h_etag },
		{ "last-modified:", &j->h_last_modified },
		{ "content-type:", &j->h_content_type },
		{ "retry-after:", &j->h_retry_after },
		{ "content-encoding:", &j->h_encoding },
		{ "content-range:", &j->h_range },
	};

	if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* A new response (after 1xx or a redirect). */
		free_headers(j);
		j->code = 0;
		j->set_cookie = 0;
		if ((sp = memchr(p, ' ', len)) == NULL)
			return len;
		j->code = strtol(sp + 1, NULL, 10);
		if ((rs = memchr(sp + 1, ' ', len - (size_t)(sp + 1 - p))) !=
		    NULL)
			j->reason = trimmed(rs + 1, len - (size_t)(rs + 1 - p));
		return len;
	}
	if (len > 11 && strncasecmp(p, "set-cookie:", 11) == 0)
		j->set_cookie = 1;
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		nl = strlen(want[i].name);
		dst = want[i].dst;
		if (len > nl && strncasecmp(p, want[i].name, nl) == 0) {
			free(*dst);
			*dst = trimmed(p + nl, len - nl);
		}
	}
	return len;
}

static int
open_body(struct fetch *f, struct job *j)
{
	xasprintf(&j->tmpname, "%s/dl-XXXXXX", f->opts.tmpdir);
	if ((j->fd = mkostemp(j->tmpname, O_CLOEXEC)) == -1) {
		free(j->tmpname);
		j->tmpname = NULL;
		return -1;
	}
	hash_init(&j->sha);
	return 0;
}

/* The first byte of a "bytes FIRST-LAST/TOTAL" Content-Range, or -1. */
static int64_t
range_field(const char *v, int total)
{
	const char	*p;
	char		*end;
	long long	 n;

	if (v == NULL || strncasecmp(v, "bytes ", 6) != 0)
		return -1;
	p = v + 6;
	if (total && ((p = strchr(p, '/')) == NULL || *++p == '*'))
		return -1;
	n = strtoll(p, &end, 10);
	return end == p || n < 0 ? -1 : (int64_t)n;
}

/*
 * The first body bytes of a response: a 206 continues the body (when it
 * starts where the body stopped), any other 2xx starts it again.
 */
static int
body_begin(struct fetch *f, struct job *j)
{
	if (j->code == 206) {
		if (!j->ranged || j->fd == -1 ||
		    range_field(j->h_range, 0) != j->size) {
			j->range_bad = 1;
			return -1;
		}
		j->resumed = 1;
		return 0;
	}
	if (j->fd != -1) {
		if (ftruncate(j->fd, 0) == -1 ||
		    lseek(j->fd, 0, SEEK_SET) == -1) {
			j->ioerr = errno;
			return -1;
		}
		hash_init(&j->sha);
		j->size = 0;
		j->headlen = 0;
		j->resumed = 0;
		return 0;
	}
	if (open_body(f, j) == -1) {
		j->ioerr = errno;
		return -1;
	}
	return 0;
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct job	*j = arg;
	struct fetch	*f = j->f;
	size_t		 len = size * n, keep = len, off, k;
	int64_t		 cap;
	ssize_t		 w;

	if (j->code < 200 || j->code > 299)
		return len;	/* error pages and redirects are not kept */
	if (!j->body_begun) {
		j->body_begun = 1;
		if (body_begin(f, j) != 0)
			return 0;
	}
	cap = j->max_size > 0 ? j->max_size : f->opts.max_file_size;
	if (cap > 0 && j->size + (int64_t)len > cap) {
		if (!(j->flags & FETCH_PREFIX)) {
			j->capped = 1;
			return 0;
		}
		keep = (size_t)(cap - j->size);
		j->cut = 1;
	}
	for (off = 0; off < keep; off += (size_t)w) {
		if ((w = write(j->fd, p + off, keep - off)) == -1) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			j->ioerr = errno;
			return 0;
		}
	}
	hash_update(&j->sha, p, keep);
	if (j->headlen < sizeof j->head) {
		k = sizeof j->head - j->headlen;
		k = k < keep ? k : keep;
		memcpy(j->head + j->headlen, p, k);
		j->headlen += k;
	}
	j->size += (int64_t)keep;
	if (!(j->flags & FETCH_UNCOUNTED))
		f->counted_bytes += (int64_t)keep;
	return j->cut ? 0 : len;
}

static void
add_header(struct job *j, const char *name, const char *value)
{
	char	*h;

	xasprintf(&h, "%s: %s", name, value);
	j->hdrs = curl_slist_append(j->hdrs, h);
	free(h);
}

static void
job_start(struct fetch *f, struct job *j)
{
	CURL	*e;
	char	 range[32];

	if ((e = j->easy = curl_easy_init()) == NULL)
		fatalx("cannot create a libcurl handle");
	curl_easy_setopt(e, CURLOPT_URL, j->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)j);
	curl_easy_setopt(e, CURLOPT_SHARE, f->share);
	curl_easy_setopt(e, CURLOPT_COOKIEFILE, "");	/* the engine on */
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	if (j->flags & FETCH_FOLLOW) {
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(e, CURLOPT_MAXREDIRS, FETCH_FOLLOW_MAX);
	} else
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->opts.user_agent);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
	    (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, f->opts.timeout);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, f->opts.connect_timeout);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, f->opts.low_speed);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, f->opts.low_speed_time);
	if (f->opts.max_file_size > 0 && !(j->flags & FETCH_PREFIX))
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
		    (curl_off_t)(j->max_size > 0 ? j->max_size :
		    f->opts.max_file_size));
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	if (f->opts.ca_file != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, f->opts.ca_file);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	if (j->if_range != NULL && j->fd != -1 && j->size > 0) {
		/* Ask for the rest, unencoded, so offsets are bytes. */
		snprintf(range, sizeof range, "%lld-", (long long)j->size);
		curl_easy_setopt(e, CURLOPT_RANGE, range);
		add_header(j, "If-Range", j->if_range);
		j->ranged = 1;
	} else {
		curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
		if (j->etag != NULL)
			add_header(j, "If-None-Match", j->etag);
		if (j->last_modified != NULL)
			add_header(j, "If-Modified-Since", j->last_modified);
	}
	if (j->hdrs != NULL)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->hdrs);
	j->attempts++;
	f->requests++;
	f->active++;
	j->hq->active++;
	curl_multi_add_handle(f->multi, e);
}

/* May a request to hq start now? */
static int
host_ready(const struct fetch *f, const struct hostq *hq, double now)
{
	if (hq->head == NULL || hq->active >= f->opts.per_host)
		return 0;
	return hq->delay <= 0 || (hq->active == 0 && now >= hq->next_ok);
}

static enum fetch_skip
over_budget(const struct fetch *f)
{
	if (f->opts.max_requests > 0 && f->counted >= f->opts.max_requests)
		return FETCH_SKIP_REQUESTS;
	if (f->opts.max_bytes > 0 && f->counted_bytes >= f->opts.max_bytes)
		return FETCH_SKIP_BYTES;
	return FETCH_SKIP_NONE;
}

static void	skip(struct fetch *, struct job *, enum fetch_skip);

/* Start queued jobs, host by host in turn, within the caps. */
static void
start_jobs(struct fetch *f)
{
	size_t		 idle = 0;
	double		 now = now_mono();
	struct job	**pp, *j;
	struct hostq	*hq;
	enum fetch_skip	 why;

	for (pp = &f->delayed; (j = *pp) != NULL;) {
		if (j->not_before <= now) {
			*pp = j->next;
			enqueue(j->hq, j);
		} else
			pp = &j->next;
	}
	while (f->active < f->opts.connections && f->nhosts > 0 &&
	    idle < f->nhosts) {
		hq = f->hostv[f->rr++ % f->nhosts];
		if (!host_ready(f, hq, now)) {
			idle++;
			continue;
		}
		idle = 0;
		j = hq->head;
		hq->head = j->next;
		if (hq->head == NULL)
			hq->tail = NULL;
		j->next = NULL;
		if (j->attempts == 0 && !(j->flags & FETCH_UNCOUNTED)) {
			if ((why = over_budget(f)) != FETCH_SKIP_NONE) {
				skip(f, j, why);
				continue;
			}
			f->counted++;
		}
		job_start(f, j);
	}
}

/*
 * Seconds a Retry-After value asks to wait: delta-seconds or an
 * HTTP-date (a past date is 0).  -1 when the value is neither.
 */
int
fetch_retry_after(const char *value, time_t now, double *seconds)
{
	const char	*p = value;
	double		 v = 0;
	time_t		 when;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p >= '0' && *p <= '9') {
		for (; *p >= '0' && *p <= '9'; p++)
			if (v < 1e9)
				v = v * 10 + (*p - '0');
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '\0')
			return -1;
		*seconds = v > 1e9 ? 1e9 : v;
		return 0;
	}
	if (*p == '\0' || (when = curl_getdate(p, NULL)) == -1)
		return -1;
	v = difftime(when, now);
	*seconds = v < 0 ? 0 : v;
	return 0;
}

/*
 * Where a redirect from url to location may go: its absolute address in
 * target, or an error that says why not (only http and https, never from
 * https down to http).
 */
int
fetch_redirect(const char *url, const char *location, char **target)
{
	char	*abs = NULL;
	int	 rc;

	*target = NULL;
	if ((rc = url_resolve(url, location, &abs)) != 0) {
		if (rc == FERRY_EUNSUPPORTED)
			return err_code(rc, "redirect to '%s' refused (only "
			    "http and https are followed)", location);
		return err_code(rc, "redirect to '%s' refused (not a valid "
		    "URL)", location);
	}
	if (strncmp(url, "https:", 6) == 0 && strncmp(abs, "http:", 5) == 0) {
		rc = err_code(FERRY_EUNSUPPORTED, "redirect from https to "
		    "http refused ('%s')", abs);
		free(abs);
		return rc;
	}
	*target = abs;
	return 0;
}

/* Seconds to wait before the next attempt; asked is the server's wish. */
static double
retry_delay(const struct job *j, double *asked)
{
	double	d;

	*asked = -1;
	d = (double)(1 << (j->attempts - 1 < 10 ? j->attempts - 1 : 10)) *
	    (0.75 + randombytes_uniform(500) / 1000.0);
	if (j->h_retry_after != NULL &&
	    fetch_retry_after(j->h_retry_after, time(NULL), asked) == 0)
		d = *asked;
	return d;
}

static int
transient(CURLcode code, long status, const struct job *j)
{
	if (j->capped || j->ioerr)
		return 0;
	if (j->range_bad || j->short_range)
		return 1;
	switch (code) {
	case CURLE_OK:
		return status == 408 || status == 429 || status >= 500;
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

/* The validator to resume an interrupted body with, or NULL. */
static const char *
resume_validator(const struct job *j, CURLcode code, long status)
{
	if (j->fd == -1 || j->size <= 0 || j->h_encoding != NULL ||
	    j->range_bad || (status != 200 && status != 206))
		return NULL;
	if (!j->short_range && code != CURLE_PARTIAL_FILE &&
	    code != CURLE_RECV_ERROR && code != CURLE_OPERATION_TIMEDOUT &&
	    code != CURLE_HTTP2 && code != CURLE_HTTP2_STREAM)
		return NULL;
	if (j->h_etag != NULL && strncmp(j->h_etag, "W/", 2) != 0)
		return j->h_etag;
	return j->h_last_modified;
}

/*
 * Queue another attempt of j if its failure is transient and the count
 * and the time of retries allow one; note says why not when they do not.
 */
static int
retry(struct fetch *f, struct job *j, CURLcode code, long status,
    char **note)
{
	const char	*v;
	double		 d, asked;

	if (!transient(code, status, j) || j->attempts > f->opts.retries)
		return 0;
	d = retry_delay(j, &asked);
	if (asked > FETCH_RETRY_CAP) {
		xasprintf(note, "not retried: the server asked to wait %.0f s",
		    asked);
		return 0;
	}
	if (f->waited + d > f->opts.retry_time) {
		xasprintf(note, "not retried: retry-time (%.0f s) used up",
		    f->opts.retry_time);
		return 0;
	}
	if ((v = resume_validator(j, code, status)) != NULL) {
		char *keep = xstrdup(v);

		free(j->if_range);
		j->if_range = keep;
	} else
		body_drop(j);
	log_info("%s: %s, retrying in %.1f s%s", j->url, code != CURLE_OK ?
	    curl_easy_strerror(code) : j->short_range || j->range_bad ?
	    "bad range" : "server error", d, j->if_range ?
	    " from where it stopped" : "");
	attempt_reset(j);
	j->not_before = now_mono() + d;
	j->next = f->delayed;
	f->delayed = j;
	return 1;
}

static char *
describe_timeout(struct fetch *f, struct job *j)
{
	char	*s;

	if (strncmp(j->errbuf, "Operation too slow", 18) == 0)
		xasprintf(&s, "too slow: under low-speed-limit (%ld bytes/s) "
		    "for low-speed-time (%ld s)", f->opts.low_speed,
		    f->opts.low_speed_time);
	else if (strncmp(j->errbuf, "Connection timed out", 20) == 0 ||
	    strncmp(j->errbuf, "Resolving timed out", 19) == 0)
		xasprintf(&s, "no connection within connect-timeout (%ld s)",
		    f->opts.connect_timeout);
	else
		xasprintf(&s, "not complete within timeout (%ld s)",
		    f->opts.timeout);
	return s;
}

static char *
describe_failure(struct fetch *f, struct job *j, CURLcode code, long status)
{
	char	*s = NULL;
	int64_t	 cap = j->max_size > 0 ? j->max_size : f->opts.max_file_size;

	if (j->capped || code == CURLE_FILESIZE_EXCEEDED)
		xasprintf(&s, "larger than max-file-size (%lld bytes%s)",
		    (long long)cap, j->h_encoding ? " once decompressed" : "");
	else if (j->ioerr)
		xasprintf(&s, "cannot write a temporary file in '%s': %s",
		    f->opts.tmpdir, strerror(j->ioerr));
	else if (j->range_bad)
		s = xstrdup("the server answered a resumed request with "
		    "another range");
	else if (j->short_range)
		xasprintf(&s, "truncated: the resumed body stopped at %lld "
		    "bytes", (long long)j->size);
	else if (code == CURLE_OPERATION_TIMEDOUT)
		s = describe_timeout(f, j);
	else if (code == CURLE_PEER_FAILED_VERIFICATION)
		xasprintf(&s, "%s (the server's certificate is not trusted; "
		    "a private certificate authority can be named in [fetch] "
		    "ca-file)", j->errbuf[0] ? j->errbuf :
		    curl_easy_strerror(code));
	else if (code == CURLE_PARTIAL_FILE)
		xasprintf(&s, "truncated: %s", j->errbuf[0] ? j->errbuf :
		    curl_easy_strerror(code));
	else if (code != CURLE_OK && j->body_begun)
		xasprintf(&s, "interrupted after %lld bytes: %s",
		    (long long)j->size, j->errbuf[0] ? j->errbuf :
		    curl_easy_strerror(code));
	else if (code != CURLE_OK)
		s = xstrdup(j->errbuf[0] ? j->errbuf :
		    curl_easy_strerror(code));
	else if (status >= 400 || (status >= 300 && (j->flags &
	    FETCH_FOLLOW)))
		xasprintf(&s, "%ld%s%s", status, j->reason ? " " : "",
		    j->reason ? j->reason : "");
	return s;
}

/* Hand the outcome to the callback and free the job. */
static void
complete(struct fetch *f, struct job *j, struct fetch_result *r)
{
	r->url = j->url;
	r->attempts = j->attempts;
	r->content_type = j->h_content_type;
	r->etag = j->h_etag;
	r->last_modified = j->h_last_modified;
	if (r->status >= 200 && r->status <= 299 && r->error == NULL) {
		if (j->fd == -1 && open_body(f, j) == -1)
			xasprintf(&r->error, "cannot create a temporary file "
			    "in '%s': %s", f->opts.tmpdir, strerror(errno));
		else {
			hash_final(&j->sha, r->sha256);
			close(j->fd);
			j->fd = -1;
			r->file = j->tmpname;
			j->tmpname = NULL;
			r->size = j->size;
			memcpy(r->head, j->head, j->headlen);
			r->headlen = j->headlen;
			r->resumed = j->resumed;
			r->cut = j->cut;
			f->bytes += r->size;
			if (r->status == 206)
				r->status = 200;
		}
	}
	j->cb(r, j->arg);
	if (r->file != NULL) {
		unlink(r->file);	/* the callback did not keep it */
		free(r->file);
	}
	free(r->location);
	free(r->error);
	job_free(j);
}

static void
skip(struct fetch *f, struct job *j, enum fetch_skip why)
{
	struct fetch_result	r;

	memset(&r, 0, sizeof r);
	r.skipped = why;
	complete(f, j, &r);
}

/*
 * A redirect to the very URL asked that sets a cookie: a consent page or
 * a CDN's browser check.  The URL is asked again at once, once, with the
 * cookie (the pass's cookie jar has it now).
 */
static int
cookie_bounce(struct fetch *f, struct job *j, CURLcode code, long status)
{
	char	*loc = NULL;

	if (code != CURLE_OK || status < 300 || status > 399 ||
	    !j->set_cookie || j->bounced || curl_easy_getinfo(j->easy,
	    CURLINFO_REDIRECT_URL, &loc) != CURLE_OK || loc == NULL ||
	    strcmp(loc, j->url) != 0)
		return 0;
	log_info("%s: a cookie was set, asking again", j->url);
	j->bounced = 1;
	attempt_reset(j);
	j->not_before = now_mono();
	j->next = f->delayed;
	f->delayed = j;
	return 1;
}

static void
finish(struct fetch *f, struct job *j, CURLcode code)
{
	struct fetch_result	 r;
	long			 status = 0;
	char			*loc = NULL, *note = NULL, *why;

	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(f->multi, j->easy);
	f->active--;
	j->hq->active--;
	j->hq->next_ok = now_mono() + j->hq->delay;
	if (j->cut && code == CURLE_WRITE_ERROR)
		code = CURLE_OK;
	if (code == CURLE_OK && status == 206 && !j->cut &&
	    range_field(j->h_range, 1) != j->size)
		j->short_range = 1;
	/*
	 * The whole body had come before the connection failed: asked for
	 * the rest, the server answers 416 with a total of the bytes kept.
	 */
	if (code == CURLE_OK && status == 416 && j->ranged && j->fd != -1 &&
	    range_field(j->h_range, 1) == j->size) {
		status = 200;
		j->resumed = 1;
	}
	if (cookie_bounce(f, j, code, status) ||
	    retry(f, j, code, status, &note))
		return;
	memset(&r, 0, sizeof r);
	r.status = code == CURLE_OK && !j->short_range ? (int)status : 0;
	r.not_modified = r.status == 304;
	r.error = describe_failure(f, j, code, status);
	if (note != NULL) {
		xasprintf(&why, "%s, %s", r.error ? r.error : "failed", note);
		free(r.error);
		free(note);
		r.error = why;
	}
	if (r.status >= 300 && r.status <= 399 &&
	    curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_URL, &loc) ==
	    CURLE_OK && loc != NULL)
		r.location = xstrdup(loc);
	complete(f, j, &r);
}

/* Seconds until a delayed retry or a host's delay allows a start. */
static double
next_event(const struct fetch *f, double now, int *retries_only)
{
	const struct job	*d;
	double			 wait = FETCH_RETRY_CAP;
	size_t			 i;

	*retries_only = f->active == 0 && f->delayed != NULL;
	for (d = f->delayed; d != NULL; d = d->next)
		if (d->not_before - now < wait)
			wait = d->not_before - now;
	for (i = 0; i < f->nhosts; i++) {
		const struct hostq *hq = f->hostv[i];

		if (hq->head == NULL)
			continue;
		*retries_only = 0;
		if (hq->delay > 0 && hq->active == 0 &&
		    hq->next_ok - now < wait)
			wait = hq->next_ok - now;
	}
	return wait;
}

/* Run until every queued request, and all they led to, has finished. */
int
fetch_run(struct fetch *f)
{
	CURLMsg		*msg;
	CURLMcode	 mc;
	int		 running, left, done, retries_only;
	double		 wait, t0;
	size_t		 i;

	for (;;) {
		int queued = f->delayed != NULL;

		start_jobs(f);
		for (i = 0; i < f->nhosts && !queued; i++)
			queued = f->hostv[i]->head != NULL;
		if (f->active == 0 && !queued)
			break;
		if ((mc = curl_multi_perform(f->multi, &running)) != CURLM_OK)
			return err_set("libcurl: %s", curl_multi_strerror(mc));
		done = 0;
		while ((msg = curl_multi_info_read(f->multi, &left)) != NULL) {
			struct job *j = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle,
			    CURLINFO_PRIVATE, (char **)&j);
			finish(f, j, msg->data.result);
			done++;
		}
		if (done > 0)
			continue;	/* callbacks may have queued more */
		t0 = now_mono();
		wait = next_event(f, t0, &retries_only);
		if (f->active > 0 && wait > FETCH_IDLE_POLL)
			wait = FETCH_IDLE_POLL;
		if (wait > 0)
			curl_multi_poll(f->multi, NULL, 0,
			    (int)(wait * 1000) + 1, NULL);
		if (retries_only)
			f->waited += now_mono() - t0;
	}
	return 0;
}

void
fetch_counters(const struct fetch *f, int64_t *requests, int64_t *bytes)
{
	*requests = f->requests;
	*bytes = f->bytes;
}
