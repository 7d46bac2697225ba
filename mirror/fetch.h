/* fetch.h -- the HTTP engine (libcurl multi) */
#ifndef FERRY_FETCH_H
#define FERRY_FETCH_H

#include <stdint.h>

struct fetch_opts {
	const char	*user_agent;
	const char	*tmpdir;	/* bodies are spooled here */
	long		 timeout;	/* seconds for a whole transfer */
	long		 connect_timeout;
	long		 low_speed;	/* bytes/s below which ... */
	long		 low_speed_time; /* ... for this many seconds fails */
	int64_t		 max_file_size;	/* decoded bytes */
	int		 per_host;	/* connections per host */
	int		 retries;	/* extra attempts for transient errors */
};

/*
 * The outcome of one request.  status is the HTTP status, 0 when no
 * response came (error says why).  file is a temporary file holding the
 * complete decoded body of a 2xx response, or NULL; the callback owns it
 * (it must rename or unlink it).  sha256 (hex) and size describe that
 * body; head holds its first bytes for sniffing.  location is the
 * absolute target of a redirect.  Strings are NULL when absent and valid
 * during the callback only.
 */
struct fetch_result {
	const char	*url;
	int		 status;
	int		 not_modified;
	char		*file;
	int64_t		 size;
	char		 sha256[65];
	char		 head[512];
	size_t		 headlen;
	char		*content_type;
	char		*etag;
	char		*last_modified;
	char		*location;
	char		*error;
	int		 attempts;
};

typedef void	fetch_cb(struct fetch_result *, void *);

struct fetch;

int		 fetch_global_init(void);
void		 fetch_global_free(void);
struct fetch	*fetch_new(const struct fetch_opts *);
void		 fetch_free(struct fetch *);
void		 fetch_add(struct fetch *, const char *, const char *,
		    const char *, fetch_cb *, void *);
int		 fetch_run(struct fetch *);
void		 fetch_counters(const struct fetch *, int64_t *, int64_t *);

#endif
