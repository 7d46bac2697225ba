/*
 * url.c -- URL normalisation, resolution and scope.
 *
 * Owns turning what a page or a configuration file says into one spelling
 * per resource: the normalised URL of url.h, resolved against a base the
 * way browsers do it, and the crawl key that folds "/dir/index.html" into
 * "/dir/".  libcurl's URL API does the parsing; the rest of ferry never
 * sees a CURLU handle.  This module does no I/O and knows nothing of file
 * names on disk (pathmap.c) or of fetching (fetch.c).
 */
#include "config.h"

#include <curl/curl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ascii.h"
#include "buf.h"
#include "err.h"
#include "url.h"
#include "xmalloc.h"

/*
 * The pieces of a URL as they go into a normalised string: scheme and
 * host lower-case ASCII, port NULL when it is the scheme's default, path
 * and query canonically escaped (query NULL when absent or empty).
 */
struct url_parts {
	char	*scheme;
	char	*host;
	char	*port;
	char	*path;
	char	*query;
};

static void
url_parts_free(struct url_parts *p)
{
	free(p->scheme);
	free(p->host);
	free(p->port);
	free(p->path);
	free(p->query);
	memset(p, 0, sizeof *p);
}

static int
is_unreserved(unsigned char c)
{
	return ascii_isalpha(c) || (c >= '0' && c <= '9') || c == '-' ||
	    c == '.' || c == '_' || c == '~';
}

/* Bytes that are never left bare in a normalised path or query. */
static int
must_escape(unsigned char c)
{
	return c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}#", c) != NULL;
}

static void
lowercase(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/*
 * The length of the scheme that starts s (RFC 3986: ALPHA followed by
 * ALPHA, DIGIT, '+', '-' or '.', then ':'), or 0 when s has none.
 */
static size_t
scheme_len(const char *s)
{
	size_t	n;

	if (!ascii_isalpha((unsigned char)s[0]))
		return 0;
	for (n = 1; s[n] != ':'; n++)
		if (!ascii_isalpha((unsigned char)s[n]) &&
		    !(s[n] >= '0' && s[n] <= '9') &&
		    s[n] != '+' && s[n] != '-' && s[n] != '.')
			return 0;
	return n;
}

static int
scheme_is_http(const char *s, size_t n)
{
	return (n == 4 && strncasecmp(s, "http", 4) == 0) ||
	    (n == 5 && strncasecmp(s, "https", 5) == 0);
}

/*
 * What a browser does to a URL as written before parsing it: leading and
 * trailing controls and spaces go, tab, CR and LF go from anywhere, and
 * (our addition, so libcurl accepts it) other controls and inner spaces
 * are percent-encoded.
 */
static char *
clean_input(const char *in)
{
	struct buf	 b = BUF_INIT;
	const char	*end;
	unsigned char	 c;

	while (*in != '\0' && (unsigned char)*in <= 0x20)
		in++;
	end = in + strlen(in);
	while (end > in && (unsigned char)end[-1] <= 0x20)
		end--;
	buf_add(&b, "", 0);
	for (; in < end; in++) {
		c = (unsigned char)*in;
		if (c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c <= 0x20 || c == 0x7f)
			buf_addf(&b, "%%%02X", c);
		else
			buf_addc(&b, (char)c);
	}
	return buf_detach(&b);
}

static int
is_slash(char c)
{
	return c == '/' || c == '\\';
}

/* Browsers read '\' as '/' before the query of an http(s) reference. */
static void
backslash_to_slash(char *s)
{
	for (; *s != '\0' && *s != '?' && *s != '#'; s++)
		if (*s == '\\')
			*s = '/';
}

/*
 * Canonical percent-encoding: escapes of unreserved characters decoded,
 * other escapes in upper-case hex, a stray '%' escaped, and every byte of
 * must_escape() escaped.
 */
static char *
canonical_escape(const char *s)
{
	struct buf	 b = BUF_INIT;
	unsigned char	 c;
	int		 hi, lo;

	buf_add(&b, "", 0);
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '%') {
			hi = ascii_hexval((unsigned char)s[1]);
			lo = hi < 0 ? -1 : ascii_hexval((unsigned char)s[2]);
			if (lo < 0) {
				buf_addstr(&b, "%25");
				continue;
			}
			c = (unsigned char)(hi << 4 | lo);
			s += 2;
			if (is_unreserved(c))
				buf_addc(&b, (char)c);
			else
				buf_addf(&b, "%%%02X", c);
		} else if (must_escape(c))
			buf_addf(&b, "%%%02X", c);
		else
			buf_addc(&b, (char)c);
	}
	return buf_detach(&b);
}

/*
 * RFC 3986 remove_dot_segments on an absolute path, run again after the
 * escapes were decoded so that "/a/%2e%2e/b" ends as "/b".
 */
static char *
remove_dots(const char *path)
{
	struct buf	 b = BUF_INIT;
	const char	*seg, *end;
	size_t		*starts, depth = 0, n;
	int		 last;

	starts = xreallocarray(NULL, strlen(path) + 1, sizeof *starts);
	if (*path == '/')
		path++;
	buf_add(&b, "", 0);
	for (seg = path;; seg = end + 1) {
		end = strchr(seg, '/');
		last = end == NULL;
		if (last)
			end = seg + strlen(seg);
		n = (size_t)(end - seg);
		if ((n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.')) {
			if (n == 2 && depth > 0)
				b.len = starts[--depth];
			if (last) {
				starts[depth++] = b.len;
				buf_addc(&b, '/');
			}
		} else {
			starts[depth++] = b.len;
			buf_addc(&b, '/');
			buf_add(&b, seg, n);
		}
		if (last)
			break;
	}
	free(starts);
	return buf_detach(&b);
}

/*
 * libcurl 7.88 lets some bytes through in host names ("http://|/"): after
 * punycode a host is letters, digits, '-', '.' and '_', or an IPv6 address
 * in brackets.
 */
static int
host_ok(const char *h)
{
	size_t	n;

	if ((n = strlen(h)) == 0)
		return 0;
	if (h[0] == '[')
		return n > 2 && h[n - 1] == ']' &&
		    strspn(h + 1, "0123456789abcdef:.") == n - 2;
	return strspn(h, "abcdefghijklmnopqrstuvwxyz0123456789-._") == n;
}

static int
curl_fail(const char *in, CURLUcode uc)
{
	return err_set("invalid URL '%s': %s", in, curl_url_strerror(uc));
}

/* The parts of a handle libcurl already parsed, normalised. */
static int
parts_from_handle(CURLU *h, const char *in, struct url_parts *p)
{
	CURLUcode	 uc;
	char		*s = NULL, *t = NULL;
	const char	*c;
	int		 rc = -1;

	memset(p, 0, sizeof *p);
	if ((uc = curl_url_get(h, CURLUPART_SCHEME, &s, 0)) != CURLUE_OK) {
		rc = curl_fail(in, uc);
		goto out;
	}
	p->scheme = xstrdup(s);
	curl_free(s);
	s = NULL;
	lowercase(p->scheme);
	if (!scheme_is_http(p->scheme, strlen(p->scheme))) {
		rc = err_code(FERRY_EUNSUPPORTED,
		    "cannot use URL '%s': scheme '%s' is not http or https",
		    in, p->scheme);
		goto out;
	}

	uc = curl_url_get(h, CURLUPART_ZONEID, &s, 0);
	if (uc == CURLUE_OK) {
		rc = err_code(FERRY_EUNSUPPORTED,
		    "cannot use URL '%s': IPv6 zone ids are not supported", in);
		goto out;
	}
	if ((uc = curl_url_get(h, CURLUPART_HOST, &s, 0)) != CURLUE_OK) {
		rc = curl_fail(in, uc);
		goto out;
	}
	for (c = s; *c != '\0' && (unsigned char)*c < 0x80; c++)
		/* nothing */;
	if (*c != '\0') {
		uc = curl_url_get(h, CURLUPART_HOST, &t, CURLU_PUNYCODE);
		if (uc != CURLUE_OK) {
			rc = err_set("invalid URL '%s': cannot convert host "
			    "'%s' to punycode (is the locale UTF-8?)", in, s);
			goto out;
		}
		curl_free(s);
		s = t;
		t = NULL;
	}
	p->host = xstrdup(s);
	curl_free(s);
	s = NULL;
	lowercase(p->host);
	if (!host_ok(p->host)) {
		rc = err_set("invalid URL '%s': bad host name '%s'", in,
		    p->host);
		goto out;
	}

	uc = curl_url_get(h, CURLUPART_PORT, &s, CURLU_NO_DEFAULT_PORT);
	if (uc == CURLUE_OK) {
		p->port = xstrdup(s);
		curl_free(s);
		s = NULL;
	} else if (uc != CURLUE_NO_PORT) {
		rc = curl_fail(in, uc);
		goto out;
	}

	if ((uc = curl_url_get(h, CURLUPART_PATH, &s, 0)) != CURLUE_OK) {
		rc = curl_fail(in, uc);
		goto out;
	}
	t = canonical_escape(*s == '\0' ? "/" : s);
	curl_free(s);
	s = NULL;
	p->path = remove_dots(t);
	free(t);
	t = NULL;

	uc = curl_url_get(h, CURLUPART_QUERY, &s, 0);
	if (uc == CURLUE_OK) {
		if (*s != '\0')
			p->query = canonical_escape(s);
		curl_free(s);
		s = NULL;
	} else if (uc != CURLUE_NO_QUERY) {
		rc = curl_fail(in, uc);
		goto out;
	}
	rc = 0;
out:
	curl_free(s);
	free(t);
	if (rc != 0)
		url_parts_free(p);
	return rc;
}

/* A URL handle; libcurl fails here only when memory is exhausted. */
static CURLU *
url_handle(void)
{
	CURLU	*h;

	if ((h = curl_url()) == NULL)
		xmalloc((size_t)-1);	/* prints the message and exits */
	return h;
}

/*
 * Parse an absolute URL as written (whitespace and all) into normalised
 * parts.  Anything but http and https is FERRY_EUNSUPPORTED.
 */
static int
parse_url(const char *in, struct url_parts *p)
{
	CURLU		*h = NULL;
	CURLUcode	 uc;
	char		*clean = NULL;
	size_t		 n;
	int		 rc = -1;

	memset(p, 0, sizeof *p);
	clean = clean_input(in);
	n = scheme_len(clean);
	if (n > 0 && !scheme_is_http(clean, n)) {
		rc = err_code(FERRY_EUNSUPPORTED,
		    "cannot use URL '%s': scheme '%.*s' is not http or https",
		    in, (int)n, clean);
		goto out;
	}
	h = url_handle();
	if ((uc = curl_url_set(h, CURLUPART_URL, clean, 0)) != CURLUE_OK) {
		rc = curl_fail(in, uc);
		goto out;
	}
	if ((rc = parts_from_handle(h, in, p)) != 0)
		goto out;
	rc = 0;
out:
	curl_url_cleanup(h);
	free(clean);
	return rc;
}

static char *
parts_join(const struct url_parts *p)
{
	char	*s;

	xasprintf(&s, "%s://%s%s%s%s%s%s", p->scheme, p->host,
	    p->port ? ":" : "", p->port ? p->port : "", p->path,
	    p->query ? "?" : "", p->query ? p->query : "");
	return s;
}

int
url_normalize(const char *in, char **out)
{
	struct url_parts	p;
	int			rc;

	*out = NULL;
	if ((rc = parse_url(in, &p)) != 0)
		return rc;
	*out = parts_join(&p);
	url_parts_free(&p);
	return 0;
}

/*
 * Resolve a reference as written in a page against a normalised base.
 * The empty reference and a bare "#fragment" are the base itself (libcurl
 * 7.88 would drop its last segment and query); "http:x" and "http:/x" under
 * an http base are relative, as in browsers.
 */
int
url_resolve(const char *base, const char *ref, char **out)
{
	struct url_parts	 p;
	CURLU			*h = NULL;
	CURLUcode		 uc;
	char			*clean = NULL;
	const char		*r;
	size_t			 n, bn;
	int			 rc = -1;

	*out = NULL;
	memset(&p, 0, sizeof p);
	clean = clean_input(ref);
	if (clean[0] == '\0' || clean[0] == '#') {
		rc = url_normalize(base, out);
		goto out;
	}
	r = clean;
	if ((n = scheme_len(clean)) > 0) {
		if (!scheme_is_http(clean, n)) {
			rc = err_code(FERRY_EUNSUPPORTED,
			    "cannot use URL '%s': scheme '%.*s' is not http or "
			    "https", ref, (int)n, clean);
			goto out;
		}
		bn = scheme_len(base);
		if (bn == n && strncasecmp(base, clean, n) == 0 &&
		    !(is_slash(clean[n + 1]) && is_slash(clean[n + 2])))
			r = clean + n + 1;
	}
	backslash_to_slash(clean);
	if (*r == '\0') {
		rc = url_normalize(base, out);
		goto out;
	}

	h = url_handle();
	if ((uc = curl_url_set(h, CURLUPART_URL, base, 0)) != CURLUE_OK) {
		rc = curl_fail(base, uc);
		goto out;
	}
	if ((uc = curl_url_set(h, CURLUPART_URL, r, 0)) != CURLUE_OK) {
		rc = curl_fail(ref, uc);
		goto out;
	}
	if ((rc = parts_from_handle(h, ref, &p)) != 0)
		goto out;
	*out = parts_join(&p);
	rc = 0;
out:
	url_parts_free(&p);
	curl_url_cleanup(h);
	free(clean);
	return rc;
}

/*
 * The crawl key of a normalised URL: "/dir/index.html" and "/dir/" are one
 * page.  With a query the URL is kept as it is.
 */
int
url_canonical(const char *normalized, char **out)
{
	const char	*sep, *slash;

	*out = NULL;
	if ((sep = strstr(normalized, "://")) == NULL ||
	    !scheme_is_http(normalized, (size_t)(sep - normalized)))
		return err_set("cannot use URL '%s': not a normalised http or "
		    "https URL", normalized);
	slash = strrchr(normalized, '/');
	if (strchr(normalized, '?') == NULL && slash > sep + 2 &&
	    (strcasecmp(slash + 1, "index.html") == 0 ||
	    strcasecmp(slash + 1, "index.htm") == 0)) {
		*out = xstrndup(normalized, (size_t)(slash + 1 - normalized));
		return 0;
	}
	*out = xstrdup(normalized);
	return 0;
}

char *
url_host(const char *url)
{
	struct url_parts	 p;
	char			*host;

	if (parse_url(url, &p) != 0)
		return NULL;
	host = p.host;
	p.host = NULL;
	url_parts_free(&p);
	return host;
}

char *
url_hostport(const char *url)
{
	struct url_parts	 p;
	char			*s;

	if (parse_url(url, &p) != 0)
		return NULL;
	if (p.port != NULL)
		xasprintf(&s, "%s:%s", p.host, p.port);
	else
		s = xstrdup(p.host);
	url_parts_free(&p);
	return s;
}

const char *
url_fragment(const char *ref)
{
	return strchr(ref, '#');
}

int
url_is_http(const char *url)
{
	struct url_parts	p;

	if (parse_url(url, &p) != 0)
		return 0;
	url_parts_free(&p);
	return 1;
}

/* Scope globs: '*' spans '/' too, so one glob can cover a whole subtree. */
int
url_match(const char *glob, const char *url)
{
	return fnmatch(glob, url, 0) == 0;
}
