/*
 * conf.c -- ferry.conf: reading, validating, printing.
 *
 * Owns the meaning of every key in ferry.conf.  The syntax is git's
 * config format and libgit2 parses it (so include.path works and the file
 * can be edited with `git config -f`); this module checks each entry,
 * fills a struct conf with effective values, and words every problem the
 * git way, naming the file, the key and the value, all problems of a file
 * at once.  It opens only the file it is given, never the user's or the
 * system's git configuration.  It does not create or check the mirror
 * directory, does not watch the file, and does not decide when to reload.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "buf.h"
#include "conf.h"
#include "err.h"
#include "fsutil.h"
#include "url.h"
#include "xmalloc.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define DEFAULT_AUTHOR_NAME	"ferry"
#define DEFAULT_AUTHOR_EMAIL	"ferry@localhost"
#define DEFAULT_VALID_FOR	(90 * 86400)
#define DEFAULT_LABEL		"FERRYUSB"
#define DEFAULT_USER_AGENT	"ferry/" PACKAGE_VERSION " (+offline mirror)"
#define DEFAULT_TIMEOUT		(5 * 60)
#define DEFAULT_CONNECT_TIMEOUT	30
#define DEFAULT_MAX_FILE_SIZE	((int64_t)512 << 20)
#define DEFAULT_CONNECTIONS	4
#define DEFAULT_CONNECTIONS_ALL	16
#define DEFAULT_LOW_SPEED_LIMIT	1024
#define DEFAULT_LOW_SPEED_TIME	60
#define DEFAULT_MAX_REDIRECTS	10
#define DEFAULT_RETRIES		2
#define DEFAULT_RETRY_TIME	(5 * 60)
#define DEFAULT_REMOVE_AFTER	3
#define DEFAULT_GC_THRESHOLD	1000
#define DEFAULT_DEPTH		1
#define DEFAULT_INTERVAL	(6 * 3600)
#define DEFAULT_JITTER		(5 * 60)
#define DEFAULT_QUIET_PERIOD	2
#define DEFAULT_BACKOFF		60
#define MAX_INTERVAL		(365 * 86400)
#define MAX_QUIET_PERIOD	3600
#define MAX_DELAY		3600	/* seconds between requests */

#define SOURCE_NAME_MAX		64
#define TYPO_MAX		64	/* longer words get no suggestion */
#define MAX_PROBLEMS		15	/* lines; the error message is finite */

#define DURATION_HINT	"use a number with s, m, h or d, like 30s or 6h"
#define SIZE_HINT	"use a number with K, M, G or T, like 512M or 2G"

/* A single-valued key already set, and the value it was set to. */
struct seen {
	char	*key;
	char	*value;
};

/*
 * What one conf_load() knows while it walks the entries.  problems holds
 * one line per problem, in the order found; seen holds every
 * single-valued key set so far and every bad source name reported.
 */
struct loader {
	const char	*file;		/* as the user gave it */
	char		*dir;		/* its directory, maybe relative */
	struct conf	*conf;
	struct buf	 problems;
	size_t		 nproblems;
	struct seen	*seen;
	size_t		 nseen;
	size_t		 nsource_entries;
};

typedef void	 setter(struct loader *, struct conf_source *, const char *,
		    const char *);

/* A key of a section: its name as libgit2 spells it (lower case). */
struct keydef {
	const char	*name;
	int		 multi;		/* may be given more than once */
	setter		*set;
};

/* A section; a named one is written [source "NAME"]. */
struct sectiondef {
	const char		*name;
	int			 named;
	const struct keydef	*keys;
};

static void
problem(struct loader *ld, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
problem(struct loader *ld, const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *p;

	if (++ld->nproblems > MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		xmalloc((size_t)-1);	/* dies, saying memory ran out */
	va_end(ap);
	/* A value may hold a newline: keep one problem on one line. */
	for (p = msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (key != NULL)
		buf_addf(&ld->problems, "%s: %s: %s\n", ld->file, key, msg);
	else
		buf_addf(&ld->problems, "%s: %s\n", ld->file, msg);
	free(msg);
}

static const char *
seen_find(const struct loader *ld, const char *key)
{
	size_t	i;

	for (i = 0; i < ld->nseen; i++)
		if (strcmp(ld->seen[i].key, key) == 0)
			return ld->seen[i].value;
	return NULL;
}

static void
seen_add(struct loader *ld, const char *key, const char *value)
{
	ld->seen = xreallocarray(ld->seen, ld->nseen + 1, sizeof *ld->seen);
	ld->seen[ld->nseen].key = xstrdup(key);
	ld->seen[ld->nseen].value = xstrdup(value);
	ld->nseen++;
}

static void
list_add(char ***list, size_t *n, const char *s)
{
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = xstrdup(s);
}

static void
list_free(char **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* 1 when s holds a control character (never valid in a value). */
int
conf_has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/*
 * Levenshtein distance, for "did you mean" suggestions; SIZE_MAX for
 * words too long to be typos.
 */
size_t
conf_distance(const char *a, const char *b)
{
	size_t	row[TYPO_MAX + 1];
	size_t	la, lb, i, j, diag, up, best;

	la = strlen(a);
	lb = strlen(b);
	if (la > TYPO_MAX || lb > TYPO_MAX)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/*
 * Parsers of values.  They return 0 or FERRY_ECONFIG and store nothing
 * on failure.
 */

/* Decimal digits only, no sign, no blanks; fails on overflow. */
static int
parse_digits(const char *s, uint64_t max, uint64_t *out, const char **end)
{
	uint64_t	v = 0;
	unsigned	d;

	if (*s < '0' || *s > '9')
		return FERRY_ECONFIG;
	for (; *s >= '0' && *s <= '9'; s++) {
		d = (unsigned)(*s - '0');
		if (d > max || v > (max - d) / 10)
			return FERRY_ECONFIG;
		v = v * 10 + d;
	}
	*out = v;
	*end = s;
	return 0;
}

int
conf_parse_duration(const char *s, long *out)
{
	static const struct {
		const char	*suffix;
		long		 seconds;
	} units[] = {
		{ "", 1 }, { "s", 1 }, { "m", 60 }, { "h", 3600 },
		{ "d", 86400 }, { "w", 604800 }
	};
	const char	*end;
	uint64_t	 v;
	size_t		 i;

	if (s == NULL || parse_digits(s, LONG_MAX, &v, &end) != 0)
		goto bad;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		if (v > (uint64_t)(LONG_MAX / units[i].seconds))
			goto bad;
		*out = (long)v * units[i].seconds;
		return 0;
	}
bad:
	return err_code(FERRY_ECONFIG, "invalid duration '%s' (%s)",
	    s ? s : "", DURATION_HINT);
}

int
conf_parse_size(const char *s, int64_t *out)
{
	static const struct {
		const char	*suffix;
		int		 shift;
	} units[] = {
		{ "", 0 },
		{ "k", 10 }, { "K", 10 }, { "KiB", 10 },
		{ "m", 20 }, { "M", 20 }, { "MiB", 20 },
		{ "g", 30 }, { "G", 30 }, { "GiB", 30 },
		{ "t", 40 }, { "T", 40 }, { "TiB", 40 }
	};
	const char	*end;
	uint64_t	 v;
	size_t		 i;

	if (s == NULL || parse_digits(s, INT64_MAX, &v, &end) != 0)
		goto bad;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		if (v > (uint64_t)(INT64_MAX >> units[i].shift))
			goto bad;
		*out = (int64_t)(v << units[i].shift);
		return 0;
	}
bad:
	return err_code(FERRY_ECONFIG, "invalid size '%s' (%s)", s ? s : "",
	    SIZE_HINT);
}

static int
parse_int(const char *s, int min, int max, int *out)
{
	const char	*end;
	uint64_t	 v;

	if (parse_digits(s, (uint64_t)max, &v, &end) != 0 || *end != '\0' ||
	    v < (uint64_t)min)
		return FERRY_ECONFIG;
	*out = (int)v;
	return 0;
}

/* "Name <email>": both parts non-empty, nothing after the '>'. */
static int
parse_author(const char *s, char **name, char **email)
{
	const char	*lt, *gt, *end, *p;

	if (conf_has_control(s) || (lt = strchr(s, '<')) == NULL ||
	    (gt = strchr(lt, '>')) == NULL || strchr(lt + 1, '<') != NULL ||
	    strchr(gt + 1, '>') != NULL || strchr(s, '>') != gt)
		return FERRY_ECONFIG;
	for (p = gt + 1; *p == ' ' || *p == '\t'; p++)
		;
	if (*p != '\0' || gt == lt + 1)
		return FERRY_ECONFIG;
	for (p = lt + 1; p < gt; p++)
		if (*p == ' ' || *p == '\t')
			return FERRY_ECONFIG;
	for (end = lt; end > s && (end[-1] == ' ' || end[-1] == '\t'); end--)
		;
	for (p = s; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if (p == end)
		return FERRY_ECONFIG;
	*name = xstrndup(p, (size_t)(end - p));
	*email = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	return 0;
}

static int
valid_source_name(const char *s)
{
	size_t	n;

	n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-");
	return n >= 1 && n <= SOURCE_NAME_MAX && s[n] == '\0' &&
	    s[0] != '.' && s[0] != '-';
}

/* Absolute, without "." components or doubled slashes. */
static char *
clean_path(const char *path)
{
	struct buf	 b = BUF_INIT;
	const char	*p, *q;
	size_t		 n;

	for (p = path; *p != '\0'; p = q) {
		while (*p == '/')
			p++;
		q = p + strcspn(p, "/");
		n = (size_t)(q - p);
		if (n == 0 || (n == 1 && *p == '.'))
			continue;
		buf_addc(&b, '/');
		buf_add(&b, p, n);
	}
	if (b.len == 0)
		buf_addc(&b, '/');
	return buf_detach(&b);
}

/*
 * Setters: one per key.  Each checks the value and stores it, or reports
 * a problem and leaves the default.  value is never NULL.
 */

static void
set_path(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	const char	*home;
	char		*p;

	if (*value == '\0') {
		problem(ld, key, "empty value (set the directory of the "
		    "mirror, like /var/lib/ferry/mirror)");
		return;
	}
	if (value[0] == '~' && (value[1] == '/' || value[1] == '\0')) {
		if ((home = getenv("HOME")) == NULL || *home != '/') {
			problem(ld, key, "cannot expand '~' in '%s' without "
			    "HOME (use an absolute path)", value);
			return;
		}
		xasprintf(&p, "%s/%s", home, value + 1);
	} else
		p = fsutil_absolute(ld->dir, value);
	free(ld->conf->mirror_path);
	ld->conf->mirror_path = clean_path(p);
	free(p);
}

static void
set_author(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	char	*name, *email;

	if (parse_author(value, &name, &email) != 0) {
		problem(ld, key, "invalid author '%s' (use a name and an "
		    "address, like 'ferry <ferry@localhost>')", value);
		return;
	}
	free(ld->conf->author_name);
	free(ld->conf->author_email);
	ld->conf->author_name = name;
	ld->conf->author_email = email;
}

static void
set_admin(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	char	*name, *email;

	if (parse_author(value, &name, &email) != 0) {
		problem(ld, key, "invalid admin '%s' (use a name and an "
		    "address, like 'Site Admin <admin@example.org>')", value);
		return;
	}
	free(ld->conf->admin_name);
	free(ld->conf->admin_email);
	ld->conf->admin_name = name;
	ld->conf->admin_email = email;
}

/* A boolean into *out, as git reads one (true, yes, on, 1...). */
static void
set_bool(struct loader *ld, const char *key, const char *value, int *out)
{
	int	v;

	if (git_config_parse_bool(&v, value) < 0)
		problem(ld, key, "invalid value '%s' (use true or false)",
		    value);
	else
		*out = v;
}

static void
set_fsync(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	set_bool(ld, key, value, &ld->conf->fsync);
}

static void
set_gc_threshold(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	int	v;

	if (parse_int(value, 0, 100000000, &v) != 0)
		problem(ld, key, "invalid number '%s' (use a whole number of "
		    "loose objects, 0 to never pack after a pass)", value);
	else
		ld->conf->gc_threshold = v;
}

static void
set_user_agent(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	if (*value == '\0' || conf_has_control(value)) {
		problem(ld, key, "invalid user agent '%s' (use printable text "
		    "on one line, like 'ferry/1.0 (+https://example.org/)')",
		    value);
		return;
	}
	free(ld->conf->user_agent);
	ld->conf->user_agent = xstrdup(value);
}

/* The certificates to trust instead of the system's (a private CA). */
static void
set_ca_file(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	char	*p;

	if (*value == '\0') {
		problem(ld, key, "empty value (name a file of PEM "
		    "certificates, or leave the key out to trust the "
		    "system's)");
		return;
	}
	p = fsutil_absolute(ld->dir, value);
	if (access(p, R_OK) != 0) {
		problem(ld, key, "cannot read '%s': %s (name a file of PEM "
		    "certificates)", p, strerror(errno));
		free(p);
		return;
	}
	free(ld->conf->ca_file);
	ld->conf->ca_file = p;
}

static void
set_duration(struct loader *ld, const char *key, const char *value,
    long *out)
{
	long	v;

	if (conf_parse_duration(value, &v) != 0)
		problem(ld, key, "invalid duration '%s' (%s)", value,
		    DURATION_HINT);
	else if (v < 1)
		problem(ld, key, "invalid duration '%s' (use at least 1s)",
		    value);
	else
		*out = v;
}

static void
set_timeout(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	set_duration(ld, key, value, &ld->conf->timeout);
}

static void
set_connect_timeout(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	set_duration(ld, key, value, &ld->conf->connect_timeout);
}

static void
set_max_file_size(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	int64_t	v;

	if (conf_parse_size(value, &v) != 0)
		problem(ld, key, "invalid size '%s' (%s)", value, SIZE_HINT);
	else if (v < 1)
		problem(ld, key, "invalid size '%s' (use at least 1, like "
		    "512M)", value);
	else
		ld->conf->max_file_size = v;
}

static void
set_int(struct loader *ld, const char *key, const char *value, int min,
    int max, int *out)
{
	if (parse_int(value, min, max, out) != 0)
		problem(ld, key, "invalid number '%s' (use a whole number "
		    "from %d to %d)", value, min, max);
}

static void
set_connections(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	set_int(ld, key, value, 1, 16, &ld->conf->connections_per_host);
}

static void
set_connections_all(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	set_int(ld, key, value, 1, 256, &ld->conf->connections);
}

static void
set_low_speed_limit(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	int64_t	v;

	if (conf_parse_size(value, &v) != 0)
		problem(ld, key, "invalid size '%s' (%s; 0 turns the limit "
		    "off)", value, SIZE_HINT);
	else
		ld->conf->low_speed_limit = v;
}

static void
set_low_speed_time(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	set_duration(ld, key, value, &ld->conf->low_speed_time);
}

/* A duration that may be 0, up to max seconds. */
static void
set_duration0(struct loader *ld, const char *key, const char *value,
    long max, long *out)
{
	long	v;

	if (conf_parse_duration(value, &v) != 0)
		problem(ld, key, "invalid duration '%s' (%s)", value,
		    DURATION_HINT);
	else if (v > max)
		problem(ld, key, "invalid duration '%s' (use at most %lds)",
		    value, max);
	else
		*out = v;
}

static void
set_delay(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	set_duration0(ld, key, value, MAX_DELAY, &ld->conf->delay);
}

static void
set_max_redirects(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	set_int(ld, key, value, 0, 20, &ld->conf->max_redirects);
}

static void
set_retries(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	set_int(ld, key, value, 0, 10, &ld->conf->retries);
}

static void
set_retry_time(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	set_duration0(ld, key, value, 86400, &ld->conf->retry_time);
}

static void
set_remove_after(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	set_int(ld, key, value, 1, 100, &ld->conf->remove_after);
}

static void
set_jitter(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	set_duration0(ld, key, value, 86400, &ld->conf->jitter);
}

static void
set_quiet_period(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	set_duration0(ld, key, value, MAX_QUIET_PERIOD,
	    &ld->conf->quiet_period);
}

static void
set_backoff(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	long	v = 0;

	set_duration(ld, key, value, &v);
	if (v > 0)
		ld->conf->backoff = v;
}

static void
set_interval(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	long	v = 0;

	set_duration(ld, key, value, &v);
	if (v > MAX_INTERVAL)
		problem(ld, key, "invalid duration '%s' (use at most 365d)",
		    value);
	else if (v > 0)
		src->interval = v;
}

static void
set_url(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	char	*url = NULL;
	int	 rc;

	rc = url_normalize(value, &url);
	if (rc == FERRY_EUNSUPPORTED)
		problem(ld, key, "unsupported URL '%s' (only http and https "
		    "pages can be mirrored)", value);
	else if (rc != 0)
		problem(ld, key, "invalid URL '%s' (use the full address of "
		    "the page, starting with https:// or http://)", value);
	else {
		free(src->url);
		src->url = url;
	}
}

static void
set_depth(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	set_int(ld, key, value, 0, 10, &src->depth);
}

static void
set_robots(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	if (strcmp(value, "obey") == 0)
		src->robots = 1;
	else if (strcmp(value, "ignore") == 0)
		src->robots = 0;
	else
		problem(ld, key, "invalid value '%s' (use obey or ignore)",
		    value);
}

static void
set_max_resources(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	set_int(ld, key, value, 1, 100000000, &src->max_resources);
}

static void
set_max_bytes(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	int64_t	v;

	if (conf_parse_size(value, &v) != 0)
		problem(ld, key, "invalid size '%s' (%s)", value, SIZE_HINT);
	else if (v < 1)
		problem(ld, key, "invalid size '%s' (use at least 1, like "
		    "2G)", value);
	else
		src->max_bytes = v;
}

static void
set_allow(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	char	*host, *p;
	size_t	 i;

	if (*value == '\0' || conf_has_control(value) ||
	    value[strcspn(value, "/ \t?#@\\")] != '\0') {
		problem(ld, key, "invalid host '%s' (use a host name without "
		    "scheme or path, like www.lapl.org or localhost:8080)",
		    value);
		return;
	}
	host = xstrdup(value);
	for (p = host; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	for (i = 0; i < src->nallow; i++)
		if (strcmp(src->allow[i], host) == 0)
			break;
	if (i == src->nallow)
		list_add(&src->allow, &src->nallow, host);
	free(host);
}

static int
check_glob(struct loader *ld, const char *key, const char *value)
{
	if (*value == '\0' || conf_has_control(value)) {
		problem(ld, key, "invalid pattern '%s' (use a URL pattern, "
		    "like https://www.lapl.org/*.pdf)", value);
		return FERRY_ECONFIG;
	}
	return 0;
}

static void
set_include(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	if (check_glob(ld, key, value) == 0)
		list_add(&src->include, &src->ninclude, value);
}

static void
set_exclude(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	if (check_glob(ld, key, value) == 0)
		list_add(&src->exclude, &src->nexclude, value);
}

static void
set_export_key(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	if (*value == '\0') {
		problem(ld, key, "empty value (name the secret key file made "
		    "by 'ferry keygen')");
		return;
	}
	free(ld->conf->export_key);
	ld->conf->export_key = fsutil_absolute(ld->dir, value);
}

static void
set_valid_for(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	set_duration(ld, key, value, &ld->conf->valid_for);
}

static void
set_label(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	size_t	n = strlen(value);

	if (n == 0 || n > 11 || conf_has_control(value) ||
	    value[strcspn(value, "/\\\"*:<>?|")] != '\0') {
		problem(ld, key, "invalid label '%s' (use 1 to 11 "
		    "characters, none of / \\ \" * : < > ? |, as a FAT32 "
		    "volume label, like FERRYUSB)", value);
		return;
	}
	free(ld->conf->export_label);
	ld->conf->export_label = xstrdup(value);
}

/* A public key in minisign's text ("RW..."), or the file holding it. */
static void
set_trusted_key(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	char	*p;

	if (*value == '\0' || conf_has_control(value)) {
		problem(ld, key, "invalid key '%s' (give the exporter's public "
		    "key, the 'RW...' line of its ferry.pub, or that file)",
		    value);
		return;
	}
	free(ld->conf->trusted_key);
	if (strncmp(value, "RW", 2) == 0 && strlen(value) == 56 &&
	    value[strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/=")] == '\0') {
		ld->conf->trusted_key = xstrdup(value);
		return;
	}
	p = fsutil_absolute(ld->dir, value);
	if (access(p, R_OK) != 0) {
		problem(ld, key, "cannot read '%s': %s (give the exporter's "
		    "public key, the 'RW...' line of its ferry.pub, or that "
		    "file)", p, strerror(errno));
		free(p);
		return;
	}
	ld->conf->trusted_key = p;
}

/*
 * Where a git remote's user information ends: the '@' of "scheme://user@
 * host/..." before the first '/' of the host part, or NULL.
 */
static const char *
remote_userinfo_end(const char *url)
{
	const char	*h, *at;

	if ((h = strstr(url, "://")) == NULL)
		return NULL;
	h += 3;
	at = strchr(h, '@');
	return at != NULL && at < h + strcspn(h, "/") ? at : NULL;
}

/*
 * A git remote as a person may read it: any password in its user
 * information dropped ("https://u:p@host/r" -> "https://u@host/r").
 */
void
conf_remote_display(const char *url, struct buf *out)
{
	const char	*at, *h, *colon;

	if ((at = remote_userinfo_end(url)) == NULL) {
		buf_addstr(out, url);
		return;
	}
	h = strstr(url, "://") + 3;
	colon = memchr(h, ':', (size_t)(at - h));
	buf_add(out, url, (size_t)((colon ? colon : at) - url));
	buf_addstr(out, at);
}

/*
 * A git remote: https, http, ssh, git or file URL, scp-like
 * "user@host:path", or a directory (relative to the file).  Passwords in
 * URLs are refused: they would end up in logs and status.
 */
static char *
remote_url(struct loader *ld, const char *key, const char *value)
{
	static const char *const schemes[] = {
		"https://", "http://", "ssh://", "git://", "file://"
	};
	const char	*at, *colon;
	size_t		 i;

	if (*value == '\0' || conf_has_control(value) ||
	    strchr(value, ' ') != NULL) {
		problem(ld, key, "invalid remote '%s' (give a git URL like "
		    "https://git.example.org/ferry/city.git, "
		    "git@host:city.git or a directory)", value);
		return NULL;
	}
	for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (strncmp(value, schemes[i], strlen(schemes[i])) == 0)
			break;
	if (i < sizeof schemes / sizeof schemes[0]) {
		at = remote_userinfo_end(value);
		colon = strchr(value + strlen(schemes[i]), ':');
		if (at != NULL && colon != NULL && colon < at) {
			problem(ld, key, "a password in the remote's URL "
			    "would show in logs (remove it and name a file "
			    "holding it with [credentials] token-file)");
			return NULL;
		}
		return xstrdup(value);
	}
	if (strstr(value, "://") != NULL) {
		problem(ld, key, "unsupported remote '%s' (use https, http, "
		    "ssh, git or file URLs, or a directory)", value);
		return NULL;
	}
	colon = strchr(value, ':');
	if (colon != NULL && colon > value &&
	    colon < value + strcspn(value, "/"))
		return xstrdup(value);	/* scp-like: [user@]host:path */
	return fsutil_absolute(ld->dir, value);
}

static void
set_publish(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	char	*url;
	size_t	 i;

	if ((url = remote_url(ld, key, value)) == NULL)
		return;
	for (i = 0; i < ld->conf->npublish; i++)
		if (strcmp(ld->conf->publish[i], url) == 0)
			break;
	if (i == ld->conf->npublish)
		list_add(&ld->conf->publish, &ld->conf->npublish, url);
	free(url);
}

/* A file named for a key or a token, read when it is used. */
static void
set_file(struct loader *ld, const char *key, const char *value,
    const char *what, char **out)
{
	if (*value == '\0' || conf_has_control(value)) {
		problem(ld, key, "invalid file name '%s' (name %s)", value,
		    what);
		return;
	}
	free(*out);
	*out = fsutil_absolute(ld->dir, value);
}

static void
set_sign_key(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	set_file(ld, key, value, "the secret key file made by 'ferry keygen'",
	    &ld->conf->sign_key);
}

static void
set_follow(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	char	*url;

	if ((url = remote_url(ld, key, value)) == NULL)
		return;
	free(ld->conf->follow);
	ld->conf->follow = url;
}

static void
set_follow_branch(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	if (*value == '\0' || conf_has_control(value) ||
	    value[strcspn(value, " ~^:?*[\\")] != '\0' ||
	    strstr(value, "..") != NULL || *value == '/' || *value == '-') {
		problem(ld, key, "invalid branch name '%s' (like main)",
		    value);
		return;
	}
	free(ld->conf->follow_branch);
	ld->conf->follow_branch = xstrdup(value);
}

static void
set_follow_interval(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	struct conf_source	tmp = { .interval = ld->conf->follow_interval };

	set_interval(ld, &tmp, key, value);
	ld->conf->follow_interval = tmp.interval;
}

static void
set_allow_rewrite(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	set_bool(ld, key, value, &ld->conf->allow_rewrite);
}

static void
set_token_file(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	set_file(ld, key, value, "a file holding the HTTPS token, readable "
	    "only by ferry's user", &ld->conf->token_file);
}

static void
set_token_user(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	if (*value == '\0' || conf_has_control(value) ||
	    value[strcspn(value, ":@/ ")] != '\0') {
		problem(ld, key, "invalid user name '%s'", value);
		return;
	}
	free(ld->conf->token_user);
	ld->conf->token_user = xstrdup(value);
}

static void
set_ssh_key(struct loader *ld, struct conf_source *src, const char *key,
    const char *value)
{
	set_file(ld, key, value, "an SSH private key file without a "
	    "passphrase, or leave it out to use the SSH agent",
	    &ld->conf->ssh_key);
}

static void
set_ssh_host_key(struct loader *ld, struct conf_source *src,
    const char *key, const char *value)
{
	if (strncmp(value, "SHA256:", 7) != 0 || strlen(value) != 50 ||
	    value[7 + strspn(value + 7, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/")] != '\0') {
		problem(ld, key, "invalid fingerprint '%s' (give it as "
		    "'ssh-keygen -lf' prints it: SHA256: and 43 characters)",
		    value);
		return;
	}
	free(ld->conf->ssh_host_key);
	ld->conf->ssh_host_key = xstrdup(value);
}

static const struct keydef mirror_keys[] = {
	{ "path",			0, set_path },
	{ "author",			0, set_author },
	{ "fsync",			0, set_fsync },
	{ "gc-threshold",		0, set_gc_threshold },
	{ "admin",			0, set_admin },
	{ "jitter",			0, set_jitter },
	{ NULL,				0, NULL }
};

static const struct keydef fetch_keys[] = {
	{ "user-agent",			0, set_user_agent },
	{ "ca-file",			0, set_ca_file },
	{ "timeout",			0, set_timeout },
	{ "connect-timeout",		0, set_connect_timeout },
	{ "max-file-size",		0, set_max_file_size },
	{ "low-speed-limit",		0, set_low_speed_limit },
	{ "low-speed-time",		0, set_low_speed_time },
	{ "connections-per-host",	0, set_connections },
	{ "connections",		0, set_connections_all },
	{ "delay",			0, set_delay },
	{ "max-redirects",		0, set_max_redirects },
	{ "retries",			0, set_retries },
	{ "retry-time",			0, set_retry_time },
	{ "remove-after",		0, set_remove_after },
	{ NULL,				0, NULL }
};

static const struct keydef source_keys[] = {
	{ "url",			0, set_url },
	{ "depth",			0, set_depth },
	{ "robots",			0, set_robots },
	{ "max-resources",		0, set_max_resources },
	{ "max-bytes",			0, set_max_bytes },
	{ "allow",			1, set_allow },
	{ "include",			1, set_include },
	{ "exclude",			1, set_exclude },
	{ "interval",			0, set_interval },
	{ NULL,				0, NULL }
};

static const struct keydef daemon_keys[] = {
	{ "quiet-period",		0, set_quiet_period },
	{ "backoff",			0, set_backoff },
	{ NULL,				0, NULL }
};

static const struct keydef export_keys[] = {
	{ "key",			0, set_export_key },
	{ "valid-for",			0, set_valid_for },
	{ "label",			0, set_label },
	{ NULL,				0, NULL }
};

static const struct keydef import_keys[] = {
	{ "trusted-key",		0, set_trusted_key },
	{ NULL,				0, NULL }
};

static const struct keydef publish_keys[] = {
	{ "remote",			1, set_publish },
	{ "sign-key",			0, set_sign_key },
	{ NULL,				0, NULL }
};

static const struct keydef follow_keys[] = {
	{ "remote",			0, set_follow },
	{ "branch",			0, set_follow_branch },
	{ "interval",			0, set_follow_interval },
	{ "allow-rewrite",		0, set_allow_rewrite },
	{ NULL,				0, NULL }
};

static const struct keydef credentials_keys[] = {
	{ "token-file",			0, set_token_file },
	{ "token-user",			0, set_token_user },
	{ "ssh-key",			0, set_ssh_key },
	{ "ssh-host-key",		0, set_ssh_host_key },
	{ NULL,				0, NULL }
};

static const struct sectiondef sections[] = {
	{ "mirror",	0, mirror_keys },
	{ "fetch",	0, fetch_keys },
	{ "source",	1, source_keys },
	{ "daemon",	0, daemon_keys },
	{ "export",	0, export_keys },
	{ "import",	0, import_keys },
	{ "publish",	0, publish_keys },
	{ "follow",	0, follow_keys },
	{ "credentials", 0, credentials_keys },
	{ NULL,		0, NULL }
};

static const struct sectiondef *
find_section(const char *name)
{
	const struct sectiondef	*sd;

	for (sd = sections; sd->name != NULL; sd++)
		if (strcmp(sd->name, name) == 0)
			return sd;
	return NULL;
}

static const struct keydef *
find_key(const struct keydef *keys, const char *name)
{
	for (; keys->name != NULL; keys++)
		if (strcmp(keys->name, name) == 0)
			return keys;
	return NULL;
}

static void
unknown_section(struct loader *ld, const char *key, const char *section)
{
	static const char	*names[] = {
		"mirror", "fetch", "source", "daemon", "export", "import",
		"publish", "follow", "credentials", "include", NULL
	};
	const char		*best = NULL;
	size_t			 i, d, bestd = 3;

	for (i = 0; names[i] != NULL; i++) {
		if ((d = conf_distance(section, names[i])) < bestd) {
			best = names[i];
			bestd = d;
		}
	}
	if (best != NULL)
		problem(ld, key, "unknown section '%s' (did you mean '%s'?)",
		    section, best);
	else
		problem(ld, key, "unknown section '%s' (valid sections: "
		    "mirror, fetch, source, daemon, export, import, publish, "
		    "follow, credentials)", section);
}

static void
unknown_key(struct loader *ld, const char *key, const struct sectiondef *sd,
    const char *name)
{
	const struct sectiondef	*other;
	const struct keydef	*kd;
	struct buf		 list = BUF_INIT;
	const char		*best = NULL;
	size_t			 d, bestd = 3;

	for (kd = sd->keys; kd->name != NULL; kd++) {
		if ((d = conf_distance(name, kd->name)) < bestd) {
			best = kd->name;
			bestd = d;
		}
		buf_addf(&list, "%s%s", list.len ? ", " : "", kd->name);
	}
	for (other = sections; other->name != NULL; other++)
		if (other != sd && find_key(other->keys, name) != NULL)
			break;
	if (best != NULL)
		problem(ld, key, "unknown key (did you mean '%s'?)", best);
	else if (other->name != NULL)
		problem(ld, key, "unknown key (it belongs in [%s%s])",
		    other->name, other->named ? " \"NAME\"" : "");
	else
		problem(ld, key, "unknown key (valid keys: %s)",
		    buf_cstr(&list));
	buf_free(&list);
}

/* The source called name, added at the end if new; NULL if name is bad. */
static struct conf_source *
source_for(struct loader *ld, const char *key, const char *name)
{
	struct conf		*conf = ld->conf;
	struct conf_source	*src;
	char			*mark;
	size_t			 i;

	if (!valid_source_name(name)) {
		xasprintf(&mark, "source.%s", name);
		if (seen_find(ld, mark) == NULL) {
			problem(ld, key, "invalid source name '%s' (use 1 to "
			    "%d letters, digits, '.', '_' or '-', starting "
			    "with a letter or digit)", name, SOURCE_NAME_MAX);
			seen_add(ld, mark, "");
		}
		free(mark);
		return NULL;
	}
	for (i = 0; i < conf->nsources; i++)
		if (strcmp(conf->sources[i].name, name) == 0)
			return &conf->sources[i];
	conf->sources = xreallocarray(conf->sources, conf->nsources + 1,
	    sizeof *conf->sources);
	src = &conf->sources[conf->nsources++];
	memset(src, 0, sizeof *src);
	src->name = xstrdup(name);
	src->depth = DEFAULT_DEPTH;
	src->robots = 1;
	src->interval = DEFAULT_INTERVAL;
	return src;
}

/* One entry, "section.key" or "section.subsection.key". */
static void
load_entry(struct loader *ld, const char *key, const char *value)
{
	const struct sectiondef	*sd;
	const struct keydef	*kd;
	struct conf_source	*src = NULL;
	const char		*first, *last, *prev;
	char			*section = NULL, *sub = NULL;

	if ((first = strchr(key, '.')) == NULL) {
		problem(ld, key, "key outside any section (put it under "
		    "[mirror], [fetch], [daemon] or [source \"NAME\"])");
		goto out;
	}
	last = strrchr(key, '.');
	section = xstrndup(key, (size_t)(first - key));
	if (last > first)
		sub = xstrndup(first + 1, (size_t)(last - first - 1));
	if (strcmp(section, "include") == 0 ||
	    strcmp(section, "includeif") == 0)
		goto out;
	if ((sd = find_section(section)) == NULL) {
		unknown_section(ld, key, section);
		goto out;
	}
	if (sd->named) {
		ld->nsource_entries++;
		if (sub == NULL) {
			problem(ld, key, "%s without a name "
			    "(use [%s \"NAME\"])", section, section);
			goto out;
		}
		if ((src = source_for(ld, key, sub)) == NULL)
			goto out;
	} else if (sub != NULL) {
		problem(ld, key, "[%s] takes no name (write [%s], not "
		    "[%s \"%s\"])", section, section, section, sub);
		goto out;
	}
	if ((kd = find_key(sd->keys, last + 1)) == NULL) {
		unknown_key(ld, key, sd, last + 1);
		goto out;
	}
	if (value == NULL) {
		problem(ld, key, "no value (write '%s = VALUE')", kd->name);
		goto out;
	}
	if (!kd->multi) {
		if ((prev = seen_find(ld, key)) != NULL) {
			problem(ld, key, "set more than once, '%s' and '%s' "
			    "(keep one)", prev, value);
			goto out;
		}
		seen_add(ld, key, value);
	}
	kd->set(ld, src, key, value);
out:
	free(section);
	free(sub);
}

static void
check_required(struct loader *ld)
{
	struct conf	*conf = ld->conf;
	char		*key;
	size_t		 i;

	if (seen_find(ld, "mirror.path") == NULL)
		problem(ld, "mirror.path", "missing (set the directory of the "
		    "mirror, like /var/lib/ferry/mirror)");
	for (i = 0; i < conf->nsources; i++) {
		xasprintf(&key, "source.%s.url", conf->sources[i].name);
		if (seen_find(ld, key) == NULL)
			problem(ld, key, "missing (every source needs the "
			    "address of its page)");
		free(key);
	}
	if (ld->nsource_entries == 0 && conf->trusted_key == NULL &&
	    conf->follow == NULL)
		problem(ld, NULL, "no source configured (add a "
		    "[source \"NAME\"] section with a url, a [follow] remote "
		    "to follow a hub, or, at a site that takes in sticks, an "
		    "[import] trusted-key)");
	if (ld->nsource_entries > 0 && conf->follow != NULL)
		problem(ld, "follow.remote", "a mirror either crawls its "
		    "sources or follows a hub (remove the [source] sections "
		    "or the [follow] remote)");
}

/*
 * libgit2's message, reworded: "failed to parse config file: WHAT (in
 * PATH:LINE[, column N])" becomes "PATH:LINE: syntax error: WHAT".
 */
static void
git_problem(struct loader *ld)
{
	static const char	 prefix[] = "failed to parse config file: ";
	const git_error		*e;
	const char		*msg, *in, *end;
	char			*loc = NULL, *p;

	e = git_error_last();
	msg = e != NULL && e->message != NULL ? e->message : "unknown error";
	ld->nproblems++;
	if (strstr(msg, "include depth") != NULL) {
		buf_addf(&ld->problems, "%s: include.path: nested too deep (a "
		    "file includes itself, or includes nest more than 10 "
		    "deep)\n", ld->file);
		return;
	}
	if (strncmp(msg, prefix, sizeof prefix - 1) != 0) {
		buf_addf(&ld->problems, "%s: %s%s\n", ld->file,
		    e != NULL && e->klass == GIT_ERROR_CONFIG ?
		    "syntax error: " : "", msg);
		return;
	}
	msg += sizeof prefix - 1;
	for (in = NULL, p = strstr(msg, " (in "); p != NULL;
	    p = strstr(p + 1, " (in "))
		in = p;
	if (in == NULL || (end = strrchr(in, ')')) == NULL) {
		buf_addf(&ld->problems, "%s: syntax error: %s\n", ld->file,
		    msg);
		return;
	}
	loc = xstrndup(in + 5, (size_t)(end - in - 5));
	if ((p = strstr(loc, ", column ")) != NULL)
		*p = '\0';
	if ((p = strrchr(loc, ':')) == NULL) {
		buf_addf(&ld->problems, "%s: syntax error: %.*s\n", loc,
		    (int)(in - msg), msg);
	} else {
		*p = '\0';
		buf_addf(&ld->problems, "%s:%s: syntax error: %.*s\n", loc,
		    p + 1, (int)(in - msg), msg);
	}
	free(loc);
}

static int
check_readable(const char *file)
{
	struct stat	st;
	int		fd, rc = FERRY_ERROR;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		return err_set("cannot read '%s': %s", file, strerror(errno));
	if (fstat(fd, &st) == -1) {
		err_set("cannot read '%s': %s", file, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		err_set("cannot read '%s': %s", file, strerror(EISDIR));
		goto out;
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

static struct conf *
conf_new(const char *file)
{
	struct conf	*conf;

	conf = xcalloc(1, sizeof *conf);
	conf->file = xstrdup(file);
	conf->author_name = xstrdup(DEFAULT_AUTHOR_NAME);
	conf->author_email = xstrdup(DEFAULT_AUTHOR_EMAIL);
	conf->user_agent = xstrdup(DEFAULT_USER_AGENT);
	conf->timeout = DEFAULT_TIMEOUT;
	conf->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
	conf->max_file_size = DEFAULT_MAX_FILE_SIZE;
	conf->connections_per_host = DEFAULT_CONNECTIONS;
	conf->connections = DEFAULT_CONNECTIONS_ALL;
	conf->low_speed_limit = DEFAULT_LOW_SPEED_LIMIT;
	conf->low_speed_time = DEFAULT_LOW_SPEED_TIME;
	conf->max_redirects = DEFAULT_MAX_REDIRECTS;
	conf->retries = DEFAULT_RETRIES;
	conf->retry_time = DEFAULT_RETRY_TIME;
	conf->remove_after = DEFAULT_REMOVE_AFTER;
	conf->fsync = 1;
	conf->gc_threshold = DEFAULT_GC_THRESHOLD;
	conf->jitter = DEFAULT_JITTER;
	conf->quiet_period = DEFAULT_QUIET_PERIOD;
	conf->backoff = DEFAULT_BACKOFF;
	conf->valid_for = DEFAULT_VALID_FOR;
	conf->export_label = xstrdup(DEFAULT_LABEL);
	conf->follow_branch = xstrdup("main");
	conf->follow_interval = DEFAULT_INTERVAL;
	return conf;
}

int
conf_load(const char *file, struct conf **out)
{
	struct loader		 ld;
	git_config		*cfg = NULL;
	git_config_iterator	*it = NULL;
	git_config_entry	*e;
	size_t			 i;
	int			 gerr, rc = -1;

	*out = NULL;
	memset(&ld, 0, sizeof ld);
	ld.file = file;
	if ((rc = check_readable(file)) != 0)
		goto out;
	ld.conf = conf_new(file);
	ld.dir = fsutil_dirname(file);
	if (git_config_open_ondisk(&cfg, file) != 0 ||
	    git_config_iterator_new(&it, cfg) != 0)
		git_problem(&ld);
	else {
		while ((gerr = git_config_next(&e, it)) == 0)
			load_entry(&ld, e->name, e->value);
		if (gerr != GIT_ITEROVER)
			git_problem(&ld);
		else
			check_required(&ld);
	}
	if (ld.nproblems > 0) {
		if (ld.nproblems > MAX_PROBLEMS)
			buf_addf(&ld.problems, "%s: %zu more problems not "
			    "shown\n", file, ld.nproblems - MAX_PROBLEMS);
		ld.problems.ptr[--ld.problems.len] = '\0';
		rc = err_code(FERRY_ECONFIG, "%s", ld.problems.ptr);
		goto out;
	}
	*out = ld.conf;
	ld.conf = NULL;
	rc = 0;
out:
	git_config_iterator_free(it);
	git_config_free(cfg);
	conf_free(ld.conf);
	free(ld.dir);
	for (i = 0; i < ld.nseen; i++) {
		free(ld.seen[i].key);
		free(ld.seen[i].value);
	}
	free(ld.seen);
	buf_free(&ld.problems);
	return rc;
}

void
conf_free(struct conf *conf)
{
	struct conf_source	*src;
	size_t			 i;

	if (conf == NULL)
		return;
	for (i = 0; i < conf->nsources; i++) {
		src = &conf->sources[i];
		free(src->name);
		free(src->url);
		list_free(src->allow, src->nallow);
		list_free(src->include, src->ninclude);
		list_free(src->exclude, src->nexclude);
	}
	free(conf->sources);
	free(conf->file);
	free(conf->mirror_path);
	free(conf->author_name);
	free(conf->author_email);
	free(conf->admin_name);
	free(conf->admin_email);
	free(conf->user_agent);
	free(conf->ca_file);
	free(conf->export_key);
	free(conf->export_label);
	free(conf->trusted_key);
	list_free(conf->publish, conf->npublish);
	free(conf->sign_key);
	free(conf->follow);
	free(conf->follow_branch);
	free(conf->token_file);
	free(conf->token_user);
	free(conf->ssh_key);
	free(conf->ssh_host_key);
	free(conf);
}

/*
 * Make pw's account the author, as git would guess it: the full name from
 * the password database (else the login) and login@host.
 */
void
conf_author_user(struct conf *conf, const struct passwd *pw)
{
	char	host[256];
	size_t	n;

	if (gethostname(host, sizeof host) != 0 || *host == '\0')
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	free(conf->author_name);
	free(conf->author_email);
	n = pw->pw_gecos ? strcspn(pw->pw_gecos, ",<>\n") : 0;
	conf->author_name = n > 0 ? xstrndup(pw->pw_gecos, n) :
	    xstrdup(pw->pw_name);
	xasprintf(&conf->author_email, "%s@%s", pw->pw_name, host);
}

const struct conf_source *
conf_source(const struct conf *conf, const char *name)
{
	size_t	i;

	for (i = 0; i < conf->nsources; i++)
		if (strcmp(conf->sources[i].name, name) == 0)
			return &conf->sources[i];
	return NULL;
}

/* "\tkey = value\n", the value quoted when git-config would misread it. */
static void
print_key(struct buf *b, const char *key, const char *value)
{
	size_t	n;

	n = strlen(value);
	buf_addf(b, "\t%s = ", key);
	if (n > 0 && value[strcspn(value, "\"\\#;\n\t\b")] == '\0' &&
	    value[0] != ' ' && value[n - 1] != ' ') {
		buf_addf(b, "%s\n", value);
		return;
	}
	buf_addc(b, '"');
	for (; *value != '\0'; value++) {
		switch (*value) {
		case '"':	buf_addstr(b, "\\\""); break;
		case '\\':	buf_addstr(b, "\\\\"); break;
		case '\n':	buf_addstr(b, "\\n"); break;
		case '\t':	buf_addstr(b, "\\t"); break;
		case '\b':	buf_addstr(b, "\\b"); break;
		default:	buf_addc(b, *value); break;
		}
	}
	buf_addstr(b, "\"\n");
}

static void
print_list(struct buf *b, const char *key, char **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		print_key(b, key, list[i]);
}

static void
print_duration(struct buf *b, const char *key, long seconds)
{
	char	s[32];

	if (seconds != 0 && seconds % 86400 == 0)
		snprintf(s, sizeof s, "%ldd", seconds / 86400);
	else if (seconds != 0 && seconds % 3600 == 0)
		snprintf(s, sizeof s, "%ldh", seconds / 3600);
	else if (seconds != 0 && seconds % 60 == 0)
		snprintf(s, sizeof s, "%ldm", seconds / 60);
	else
		snprintf(s, sizeof s, "%lds", seconds);
	print_key(b, key, s);
}

static void
print_size(struct buf *b, const char *key, int64_t bytes)
{
	static const char	 units[] = "TGMK";
	char			 s[32];
	int			 i, shift;

	for (i = 0, shift = 40; i < 4; i++, shift -= 10) {
		if (bytes != 0 && bytes % ((int64_t)1 << shift) == 0) {
			snprintf(s, sizeof s, "%lld%c",
			    (long long)(bytes >> shift), units[i]);
			print_key(b, key, s);
			return;
		}
	}
	snprintf(s, sizeof s, "%lld", (long long)bytes);
	print_key(b, key, s);
}

/* [publish], [follow] and [credentials], when set; never a secret. */
static void
print_remotes(const struct conf *conf, struct buf *b)
{
	struct buf	u = BUF_INIT;
	size_t		i;

	if (conf->npublish > 0 || conf->sign_key != NULL)
		buf_addstr(b, "\n[publish]\n");
	for (i = 0; i < conf->npublish; i++) {
		buf_reset(&u);
		conf_remote_display(conf->publish[i], &u);
		print_key(b, "remote", buf_cstr(&u));
	}
	if (conf->sign_key != NULL)
		print_key(b, "sign-key", conf->sign_key);
	if (conf->follow != NULL) {
		buf_reset(&u);
		conf_remote_display(conf->follow, &u);
		buf_addstr(b, "\n[follow]\n");
		print_key(b, "remote", buf_cstr(&u));
		print_key(b, "branch", conf->follow_branch);
		print_duration(b, "interval", conf->follow_interval);
		print_key(b, "allow-rewrite", conf->allow_rewrite ? "true" :
		    "false");
	}
	if (conf->token_file != NULL || conf->ssh_key != NULL ||
	    conf->ssh_host_key != NULL || conf->token_user != NULL)
		buf_addstr(b, "\n[credentials]\n");
	if (conf->token_file != NULL)
		print_key(b, "token-file", conf->token_file);
	if (conf->token_user != NULL)
		print_key(b, "token-user", conf->token_user);
	if (conf->ssh_key != NULL)
		print_key(b, "ssh-key", conf->ssh_key);
	if (conf->ssh_host_key != NULL)
		print_key(b, "ssh-host-key", conf->ssh_host_key);
	buf_free(&u);
}

/* The effective configuration in git-config syntax; conf_load reads it. */
int
conf_print(const struct conf *conf, struct buf *out)
{
	const struct conf_source	*src;
	struct buf			 b = BUF_INIT;
	char				*s;
	size_t				 i;
	int				 rc;

	buf_addstr(&b, "[mirror]\n");
	print_key(&b, "path", conf->mirror_path);
	xasprintf(&s, "%s <%s>", conf->author_name, conf->author_email);
	print_key(&b, "author", s);
	free(s);
	print_key(&b, "fsync", conf->fsync ? "true" : "false");
	buf_addf(&b, "\tgc-threshold = %ld\n", conf->gc_threshold);
	if (conf->admin_name != NULL) {
		xasprintf(&s, "%s <%s>", conf->admin_name, conf->admin_email);
		print_key(&b, "admin", s);
		free(s);
	}
	print_duration(&b, "jitter", conf->jitter);

	buf_addstr(&b, "\n[fetch]\n");
	print_key(&b, "user-agent", conf->user_agent);
	if (conf->ca_file != NULL)
		print_key(&b, "ca-file", conf->ca_file);
	print_duration(&b, "timeout", conf->timeout);
	print_duration(&b, "connect-timeout", conf->connect_timeout);
	print_size(&b, "low-speed-limit", conf->low_speed_limit);
	print_duration(&b, "low-speed-time", conf->low_speed_time);
	print_size(&b, "max-file-size", conf->max_file_size);
	buf_addf(&b, "\tconnections-per-host = %d\n",
	    conf->connections_per_host);
	buf_addf(&b, "\tconnections = %d\n", conf->connections);
	print_duration(&b, "delay", conf->delay);
	buf_addf(&b, "\tmax-redirects = %d\n", conf->max_redirects);
	buf_addf(&b, "\tretries = %d\n", conf->retries);
	print_duration(&b, "retry-time", conf->retry_time);
	buf_addf(&b, "\tremove-after = %d\n", conf->remove_after);

	buf_addstr(&b, "\n[daemon]\n");
	print_duration(&b, "quiet-period", conf->quiet_period);
	print_duration(&b, "backoff", conf->backoff);
	buf_addstr(&b, "\n[export]\n");
	if (conf->export_key != NULL)
		print_key(&b, "key", conf->export_key);
	print_duration(&b, "valid-for", conf->valid_for);
	print_key(&b, "label", conf->export_label);
	if (conf->trusted_key != NULL) {
		buf_addstr(&b, "\n[import]\n");
		print_key(&b, "trusted-key", conf->trusted_key);
	}
	print_remotes(conf, &b);

	for (i = 0; i < conf->nsources; i++) {
		src = &conf->sources[i];
		buf_addf(&b, "\n[source \"%s\"]\n", src->name);
		print_key(&b, "url", src->url);
		buf_addf(&b, "\tdepth = %d\n", src->depth);
		print_key(&b, "robots", src->robots ? "obey" : "ignore");
		print_duration(&b, "interval", src->interval);
		if (src->max_resources > 0)
			buf_addf(&b, "\tmax-resources = %d\n",
			    src->max_resources);
		if (src->max_bytes > 0)
			print_size(&b, "max-bytes", src->max_bytes);
		print_list(&b, "allow", src->allow, src->nallow);
		print_list(&b, "include", src->include, src->ninclude);
		print_list(&b, "exclude", src->exclude, src->nexclude);
	}
	rc = buf_add(out, b.ptr, b.len);
	buf_free(&b);
	return rc;
}

/*
 * Where ferryd listens for the mirror at mirror_path: in ferry's private
 * directory, so only who may write the mirror may reach it.
 */
char *
conf_socket_path(const char *mirror_path)
{
	char	*p;

	xasprintf(&p, "%s/.git/ferry/ferryd.sock", mirror_path);
	return p;
}
