/* fetch.h -- the HTTP engine (libcurl multi) */
#ifndef FERRY_FETCH_H
#define FERRY_FETCH_H

#include <stdint.h>
#include <time.h>

/*
 * How the engine behaves for all its requests.  Durations are seconds;
 * a 0 limit means none, except where noted.
 */
struct fetch_opts {
	const char	*user_agent;
	const char	*ca_file;	/* NULL: the system's certificates */
	const char	*tmpdir;	/* bodies are spooled here */
	long		 timeout;	/* a whole transfer */
	long		 connect_timeout;
	long		 low_speed;	/* bytes/s below which ... */
	long		 low_speed_time; /* ... for this long fails */
	int64_t		 max_file_size;	/* decoded bytes of one body */
	int		 per_host;	/* connections per host (at least 1) */
	int		 connections;	/* connections in all (at least 1) */
	double		 delay;		/* between requests to one host */
	int		 retries;	/* attempts after a transient error */
	double		 retry_time;	/* waiting for retries alone, a pass */
	int		 max_requests;	/* counted requests started */
	int64_t		 max_bytes;	/* body bytes of counted requests */
};

#define FETCH_FOLLOW	0x01	/* libcurl follows up to 5 redirects */
#define FETCH_UNCOUNTED	0x02	/* outside max_requests and max_bytes */
#define FETCH_PREFIX	0x04	/* past max_size, keep the first bytes */

/* One request: conditional when etag or last_modified is set. */
struct fetch_req {
	const char	*url;
	const char	*etag;
	const char	*last_modified;
	int		 flags;
	int64_t		 max_size;	/* 0: max_file_size */
};

/* Why a request was never made. */
enum fetch_skip {
	FETCH_SKIP_NONE,
	FETCH_SKIP_REQUESTS,	/* max_requests were started already */
	FETCH_SKIP_BYTES	/* max_bytes came already */
};

/*
 * The outcome of one request.  status is the HTTP status, 0 when no
 * response came (error says why) or when skipped says it was not made.
 * file is a temporary file holding the complete decoded body of a 2xx
 * response, or NULL; the callback may take it (rename it and set file
 * to NULL, or free it).  sha256 (hex) and size describe that body; head
 * holds its first bytes for sniffing.  A body completed by a Range
 * request after an interruption (resumed) is reported as a 200.
 * location is the absolute target of a redirect.  Strings are NULL when
 * absent and valid during the callback only.
 */
struct fetch_result {
	const char	*url;
	int		 status;
	int		 not_modified;
	char		*file;
	int64_t		 size;
	char		 sha256[65];
	char		 head[1024];
	size_t		 headlen;
	char		*content_type;
	char		*etag;
	char		*last_modified;
	char		*location;
	char		*error;
	int		 attempts;
	enum fetch_skip	 skipped;
	int		 resumed;
	int		 cut;		/* FETCH_PREFIX: the body was cut */
};

typedef void	fetch_cb(struct fetch_result *, void *);

struct fetch;

int		 fetch_global_init(void);
void		 fetch_global_free(void);
struct fetch	*fetch_new(const struct fetch_opts *);
void		 fetch_free(struct fetch *);
void		 fetch_add(struct fetch *, const struct fetch_req *,
		    fetch_cb *, void *);
void		 fetch_host_delay(struct fetch *, const char *, double);
int		 fetch_run(struct fetch *);
void		 fetch_counters(const struct fetch *, int64_t *, int64_t *);
int		 fetch_retry_after(const char *, time_t, double *);
int		 fetch_redirect(const char *, const char *, char **);

#endif
