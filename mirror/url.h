/* url.h -- URL normalisation, resolution and scope (libcurl's URL API) */
#ifndef FERRY_URL_H
#define FERRY_URL_H

/*
 * A normalised URL is absolute http or https; scheme and host lower-case;
 * no default port (":80" for http, ":443" for https); no userinfo; dot
 * segments removed; an empty path becomes "/"; no fragment; percent-
 * encoding canonical: %XX for unreserved characters decoded, every other
 * escape upper-case hex, bytes that must be escaped (space, controls,
 * non-ASCII, '"', '<', '>', '\\', '^', '`', '{', '|', '}') escaped.  Two
 * spellings of one resource normalise to the same string.
 */

int	 url_normalize(const char *, char **);
int	 url_resolve(const char *, const char *, char **);
int	 url_canonical(const char *, char **);
char	*url_host(const char *);
char	*url_hostport(const char *);
const char *url_fragment(const char *);
int	 url_is_http(const char *);
int	 url_match(const char *, const char *);

#endif
