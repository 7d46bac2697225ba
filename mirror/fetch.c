/*
 * fetch.c -- the HTTP engine: many transfers at once through libcurl's
 * multi interface.
 *
 * Owns: per-host queues and connection caps, conditional requests from
 * the validators the caller passes in, streaming each body to a temporary
 * file while its SHA-256 is computed, the decoded-size cap (a gzip bomb
 * stops at max-file-size), retries of transient failures with backoff and
 * Retry-After, and the protocol rules (http and https only, redirects are
 * reported, never followed, so the caller checks each hop's scope).
 * It does not know what a page, a mirror or git is: it answers "what did
 * this URL return", nothing more.
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
#include "log.h"
#include "strmap.h"
#include "xmalloc.h"

#define FETCH_MAX_ACTIVE	64	/* transfers in flight, all hosts */
#define FETCH_RETRY_CAP		60.0	/* longest wait before a retry, s */

/* One request from queueing to its callback. */
struct job {
	struct job		*next;
	struct fetch		*f;
	struct hostq		*hq;
	char			*url;
	char			*etag;
	char			*last_modified;
	fetch_cb		*cb;
	void			*arg;
	int			 attempts;
	double			 not_before;	/* monotonic seconds */

	/* Per attempt. */
	CURL			*easy;
	struct curl_slist	*hdrs;
	char			*tmpname;
	int			 fd;
	int			 capped;
	int			 ioerr;
	crypto_hash_sha256_state sha;
	struct fetch_result	 res;
	char			*reason;	/* "Service Unavailable" */
	char			*retry_after;
	char			 errbuf[CURL_ERROR_SIZE];
};

/* The queue and the transfers in flight for one host. */
struct hostq {
	char		*host;
	struct job	*head, *tail;
	int		 active;
};

struct fetch {
	CURLM		 *multi;
	struct fetch_opts opts;
	struct strmap	 *hosts;
	struct hostq	**hostv;
	size_t		  nhosts;
	size_t		  rr;		/* round-robin position */
	struct job	 *delayed;	/* retries waiting for their time */
	int		  active;
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
	f->hosts = strmap_new();
	if ((f->multi = curl_multi_init()) == NULL)
		fatalx("cannot create a libcurl multi handle");
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)f->opts.per_host);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)FETCH_MAX_ACTIVE);
	curl_multi_setopt(f->multi, CURLMOPT_PIPELINING,
	    (long)CURLPIPE_MULTIPLEX);
	return f;
}

static void
job_reset(struct job *j)
{
	if (j->easy != NULL)
		curl_easy_cleanup(j->easy);
	j->easy = NULL;
	curl_slist_free_all(j->hdrs);
	j->hdrs = NULL;
	if (j->fd != -1)
		close(j->fd);
	j->fd = -1;
	if (j->tmpname != NULL)
		unlink(j->tmpname);
	free(j->tmpname);
	j->tmpname = NULL;
	free(j->res.content_type);
	free(j->res.etag);
	free(j->res.last_modified);
	free(j->res.location);
	free(j->res.error);
	free(j->reason);
	free(j->retry_after);
	j->reason = j->retry_after = NULL;
	memset(&j->res, 0, sizeof j->res);
	j->capped = j->ioerr = 0;
}

static void
job_free(struct job *j)
{
	if (j == NULL)
		return;
	job_reset(j);
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

/*
 * Queue a GET of url.  etag and last_modified (either may be NULL) make
 * it conditional.  cb runs once with the outcome, from fetch_run().
 */
void
fetch_add(struct fetch *f, const char *url, const char *etag,
    const char *last_modified, fetch_cb *cb, void *arg)
{
	struct job	*j;
	struct hostq	*hq;
	char		*host;

	j = xcalloc(1, sizeof *j);
	j->f = f;
	j->fd = -1;
	j->url = xstrdup(url);
	j->etag = etag ? xstrdup(etag) : NULL;
	j->last_modified = last_modified ? xstrdup(last_modified) : NULL;
	j->cb = cb;
	j->arg = arg;
	host = host_of(url);
	if ((hq = strmap_get(f->hosts, host)) == NULL) {
		hq = xcalloc(1, sizeof *hq);
		hq->host = xstrdup(host);
		strmap_put(f->hosts, host, hq);
		f->hostv = xreallocarray(f->hostv, f->nhosts + 1,
		    sizeof *f->hostv);
		f->hostv[f->nhosts++] = hq;
	}
	free(host);
	j->hq = hq;
	enqueue(hq, j);
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
	size_t		  len = size * n, i;
	static const struct {
		const char	*name;
		size_t		 off;
	} want[] = {
		{ "etag:", offsetof(struct job, res.etag) },
		{ "last-modified:", offsetof(struct job, res.last_modified) },
		{ "content-type:", offsetof(struct job, res.content_type) },
		{ "retry-after:", offsetof(struct job, retry_after) },
	};

	if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* A new response (after 1xx): forget the previous one's. */
		const char *sp = memchr(p, ' ', len), *rs;

		for (i = 0; i < sizeof want / sizeof want[0]; i++) {
			char **dst = (char **)((char *)j + want[i].off);
			free(*dst);
			*dst = NULL;
		}
		free(j->reason);
		j->reason = NULL;
		if (sp != NULL && (rs = memchr(sp + 1, ' ',
		    len - (size_t)(sp + 1 - p))) != NULL)
			j->reason = trimmed(rs + 1, len - (size_t)(rs + 1 - p));
		return len;
	}
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		size_t nl = strlen(want[i].name);
		char **dst = (char **)((char *)j + want[i].off);

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
	crypto_hash_sha256_init(&j->sha);
	return 0;
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct job	*j = arg;
	struct fetch	*f = j->f;
	size_t		 len = size * n, off;
	long		 status = 0;
	ssize_t		 w;

	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299)
		return len;	/* error pages and redirects are not kept */
	if (j->fd == -1 && open_body(f, j) == -1) {
		j->ioerr = errno;
		return 0;
	}
	if (f->opts.max_file_size > 0 &&
	    j->res.size + (int64_t)len > f->opts.max_file_size) {
		j->capped = 1;
		return 0;
	}
	for (off = 0; off < len; off += (size_t)w) {
		if ((w = write(j->fd, p + off, len - off)) == -1) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			j->ioerr = errno;
			return 0;
		}
	}
	crypto_hash_sha256_update(&j->sha, (unsigned char *)p, len);
	if (j->res.headlen < sizeof j->res.head) {
		size_t k = sizeof j->res.head - j->res.headlen;

		k = k < len ? k : len;
		memcpy(j->res.head + j->res.headlen, p, k);
		j->res.headlen += k;
	}
	j->res.size += (int64_t)len;
	return len;
}

static void
job_start(struct fetch *f, struct job *j)
{
	CURL	*e;
	char	*h;

	if ((e = j->easy = curl_easy_init()) == NULL)
		fatalx("cannot create a libcurl handle");
	j->errbuf[0] = '\0';
	curl_easy_setopt(e, CURLOPT_URL, j->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)j);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->opts.user_agent);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_TIMEOUT, f->opts.timeout);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, f->opts.connect_timeout);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, f->opts.low_speed);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, f->opts.low_speed_time);
	if (f->opts.max_file_size > 0)
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
		    (curl_off_t)f->opts.max_file_size);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
	if (j->etag != NULL) {
		xasprintf(&h, "If-None-Match: %s", j->etag);
		j->hdrs = curl_slist_append(j->hdrs, h);
		free(h);
	}
	if (j->last_modified != NULL) {
		xasprintf(&h, "If-Modified-Since: %s", j->last_modified);
		j->hdrs = curl_slist_append(j->hdrs, h);
		free(h);
	}
	if (j->hdrs != NULL)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->hdrs);
	j->attempts++;
	f->requests++;
	f->active++;
	j->hq->active++;
	curl_multi_add_handle(f->multi, e);
}

/* Start queued jobs, host by host in turn, within the caps. */
static void
start_jobs(struct fetch *f)
{
	size_t	 idle = 0;
	double	 now = now_mono();
	struct job **pp, *j;

	for (pp = &f->delayed; (j = *pp) != NULL;) {
		if (j->not_before <= now) {
			*pp = j->next;
			enqueue(j->hq, j);
		} else
			pp = &j->next;
	}
	while (f->active < FETCH_MAX_ACTIVE && f->nhosts > 0 &&
	    idle < f->nhosts) {
		struct hostq *hq = f->hostv[f->rr++ % f->nhosts];

		if (hq->head == NULL || hq->active >= f->opts.per_host) {
			idle++;
			continue;
		}
		idle = 0;
		j = hq->head;
		hq->head = j->next;
		if (hq->head == NULL)
			hq->tail = NULL;
		j->next = NULL;
		job_start(f, j);
	}
}

/* Seconds to wait before retrying, from Retry-After or the backoff. */
static double
retry_delay(struct job *j)
{
	double	d;
	time_t	when;

	d = (double)(1 << (j->attempts - 1)) * (0.75 + randombytes_uniform(500)
	    / 1000.0);
	if (j->retry_after != NULL) {
		char *end;
		long secs = strtol(j->retry_after, &end, 10);

		if (*end == '\0' && secs >= 0)
			d = (double)secs;
		else if ((when = curl_getdate(j->retry_after, NULL)) != -1)
			d = difftime(when, time(NULL));
	}
	if (d < 0)
		d = 0;
	return d > FETCH_RETRY_CAP ? FETCH_RETRY_CAP : d;
}

static int
transient(CURLcode code, long status, const struct job *j)
{
	if (j->capped || j->ioerr)
		return 0;
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

static void
describe_failure(struct fetch *f, struct job *j, CURLcode code, long status)
{
	struct fetch_result	*r = &j->res;

	if (j->capped)
		xasprintf(&r->error, "larger than max-file-size (%lld bytes)",
		    (long long)f->opts.max_file_size);
	else if (code == CURLE_FILESIZE_EXCEEDED)
		xasprintf(&r->error, "larger than max-file-size (%lld bytes)",
		    (long long)f->opts.max_file_size);
	else if (j->ioerr)
		xasprintf(&r->error, "cannot write a temporary file in '%s': "
		    "%s", f->opts.tmpdir, strerror(j->ioerr));
	else if (code != CURLE_OK)
		r->error = xstrdup(j->errbuf[0] ? j->errbuf :
		    curl_easy_strerror(code));
	else if (status >= 400)
		xasprintf(&r->error, "%ld%s%s", status, j->reason ? " " : "",
		    j->reason ? j->reason : "");
}

static void
finish(struct fetch *f, struct job *j, CURLcode code)
{
	struct fetch_result	*r = &j->res;
	long			 status = 0;
	char			*loc = NULL;
	unsigned char		 md[crypto_hash_sha256_BYTES];

	curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(f->multi, j->easy);
	f->active--;
	j->hq->active--;
	if (transient(code, status, j) && j->attempts <= f->opts.retries) {
		double d = retry_delay(j);

		log_info("%s: %s, retrying in %.0f s", j->url, code ?
		    curl_easy_strerror(code) : "server error", d);
		job_reset(j);
		j->not_before = now_mono() + d;
		j->next = f->delayed;
		f->delayed = j;
		return;
	}
	r->url = j->url;
	r->status = code == CURLE_OK ? (int)status : 0;
	r->attempts = j->attempts;
	describe_failure(f, j, code, status);
	if (code == CURLE_OK && status == 304)
		r->not_modified = 1;
	if (code == CURLE_OK && status >= 300 && status <= 399 &&
	    curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_URL, &loc) ==
	    CURLE_OK && loc != NULL)
		r->location = xstrdup(loc);
	if (code == CURLE_OK && status >= 200 && status <= 299 &&
	    r->error == NULL) {
		if (j->fd == -1 && open_body(f, j) == -1)
			xasprintf(&r->error, "cannot create a temporary file "
			    "in '%s': %s", f->opts.tmpdir, strerror(errno));
		else {
			crypto_hash_sha256_final(&j->sha, md);
			sodium_bin2hex(r->sha256, sizeof r->sha256, md,
			    sizeof md);
			close(j->fd);
			j->fd = -1;
			r->file = j->tmpname;
			j->tmpname = NULL;
			f->bytes += r->size;
		}
	}
	j->cb(r, j->arg);
	if (r->file != NULL) {
		unlink(r->file);	/* the callback did not keep it */
		free(r->file);
		r->file = NULL;
	}
	job_free(j);
}

/* Run until every queued request, and all they led to, has finished. */
int
fetch_run(struct fetch *f)
{
	CURLMsg		*msg;
	CURLMcode	 mc;
	int		 running, left, done;
	size_t		 i;

	for (;;) {
		int queued = f->delayed != NULL;
		double wait = 1.0;

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
		if (f->active == 0 && f->delayed != NULL) {
			struct job *d;

			wait = FETCH_RETRY_CAP;
			for (d = f->delayed; d != NULL; d = d->next)
				if (d->not_before - now_mono() < wait)
					wait = d->not_before - now_mono();
		}
		if (wait > 0)
			curl_multi_poll(f->multi, NULL, 0,
			    (int)(wait * 1000) + 1, NULL);
	}
	return 0;
}

void
fetch_counters(const struct fetch *f, int64_t *requests, int64_t *bytes)
{
	*requests = f->requests;
	*bytes = f->bytes;
}
