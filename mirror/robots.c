/*
 * robots.c -- robots.txt: which paths a site lets ferry fetch.
 *
 * Owns reading a robots.txt the way RFC 9309 describes it: groups of
 * user-agent lines followed by Allow and Disallow rules, the groups that
 * name the agent's product token merged (else the "*" groups), the most
 * specific (longest) matching rule deciding with Allow winning a tie,
 * '*' and a final '$' in patterns, and Crawl-delay.  Any bytes give a
 * result: lines it cannot read are skipped, as the RFC asks.  It does not
 * fetch robots.txt, decide what a 404 or a 503 for it means, or cap the
 * crawl delay: crawl.c does.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "robots.h"
#include "xmalloc.h"

#define LINE_SHOWN_MAX	200	/* bytes of a rule quoted in messages */

/*
 * One Allow or Disallow rule.  pat is the path pattern with escapes
 * normalised the way url.c writes paths, without a final '$' (anchored
 * says it had one); line is the rule as a message quotes it.
 */
struct rule {
	char	*pat;
	size_t	 len;
	int	 anchored;
	int	 allow;
	char	*line;
};

/* The rules for one agent, and its crawl delay (-1 when none). */
struct robots {
	struct rule	*rules;
	size_t		 nrules;
	double		 delay;
};

/* Rules collected for one audience while the file is read. */
struct side {
	struct rule	*rules;
	size_t		 nrules;
	double		 delay;
	int		 named;		/* a group named this audience */
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
unreserved(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

/*
 * Write s[0..n) with escapes as url.c writes them: %XX of an unreserved
 * character decoded, other escapes upper case, bytes a URL cannot hold
 * escaped, a '%' that starts no escape written %25.
 */
static void
normalize(const char *s, size_t n, struct buf *out)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i;
	int			 hi, lo, v;

	for (i = 0; i < n; i++) {
		if (u[i] == '%' && i + 2 < n &&
		    (hi = hexval(u[i + 1])) >= 0 &&
		    (lo = hexval(u[i + 2])) >= 0) {
			v = hi * 16 + lo;
			if (unreserved(v))
				buf_addc(out, (char)v);
			else {
				buf_addc(out, '%');
				buf_addc(out, hex[hi]);
				buf_addc(out, hex[lo]);
			}
			i += 2;
		} else if (u[i] <= 0x20 || u[i] >= 0x7f || u[i] == '%' ||
		    strchr("\"<>\\^`{|}", u[i]) != NULL) {
			buf_addc(out, '%');
			buf_addc(out, hex[u[i] >> 4]);
			buf_addc(out, hex[u[i] & 15]);
		} else
			buf_addc(out, (char)u[i]);
	}
}

/*
 * Does path match pattern p (whose '*' matches any run of bytes)?  Only
 * a prefix of path need match, unless anchored.  Greedy with one
 * backtrack point: time is at most plen * slen steps.
 */
static int
match(const char *p, size_t plen, int anchored, const char *s, size_t slen)
{
	size_t	pi = 0, si = 0, star = (size_t)-1, mark = 0;

	while (si < slen) {
		if (pi == plen && !anchored)
			return 1;
		if (pi < plen && p[pi] == '*') {
			star = ++pi;
			mark = si;
		} else if (pi < plen && p[pi] == s[si]) {
			pi++;
			si++;
		} else if (star != (size_t)-1) {
			pi = star;
			si = ++mark;
		} else
			return 0;
	}
	while (pi < plen && p[pi] == '*')
		pi++;
	return pi == plen;
}

static void
rules_free(struct rule *rules, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(rules[i].pat);
		free(rules[i].line);
	}
	free(rules);
}

void
robots_free(struct robots *r)
{
	if (r == NULL)
		return;
	rules_free(r->rules, r->nrules);
	free(r);
}

static const char *
trim(const char *s, size_t n, size_t *outlen)
{
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*outlen = n;
	return s;
}

/* The key of a line, with the misspellings sites are known to use. */
enum key { K_OTHER, K_AGENT, K_ALLOW, K_DISALLOW, K_DELAY };

static enum key
key_of(const char *k, size_t n)
{
	static const struct {
		const char	*name;
		enum key	 key;
	} keys[] = {
		{ "user-agent", K_AGENT }, { "useragent", K_AGENT },
		{ "user agent", K_AGENT },
		{ "allow", K_ALLOW },
		{ "disallow", K_DISALLOW }, { "dissallow", K_DISALLOW },
		{ "dissalow", K_DISALLOW }, { "disalow", K_DISALLOW },
		{ "disallaw", K_DISALLOW },
		{ "crawl-delay", K_DELAY }, { "crawldelay", K_DELAY },
		{ "crawl delay", K_DELAY },
	};
	size_t	i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strlen(keys[i].name) == n &&
		    strncasecmp(keys[i].name, k, n) == 0)
			return keys[i].key;
	return K_OTHER;
}

/* The product token of a user-agent value: up to '/' or a blank. */
static size_t
token_len(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ' ' || s[i] == '\t' ||
		    s[i] == ';' || s[i] == '(')
			break;
	return i;
}

/* "10", "0.5", "2." in seconds; -1 for anything else. */
static double
parse_delay(const char *s, size_t n)
{
	double	v = 0, scale = 1;
	size_t	i = 0;
	int	digits = 0;

	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		if (v < 1e9)
			v = v * 10 + (s[i] - '0');
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
			v += (s[i] - '0') * (scale /= 10);
	if (v > 1e9)
		v = 1e9;
	return digits > 0 && i == n ? v : -1;
}

static void
side_add(struct side *sd, const char *v, size_t n, int allow)
{
	struct buf	 b = BUF_INIT;
	struct rule	*r;
	size_t		 i, shown;
	int		 anchored = 0;

	if (n > 0 && v[n - 1] == '$') {
		anchored = 1;
		n--;
	}
	if (n == 0 || v[0] != '/')
		buf_addc(&b, '/');	/* "Disallow: private" */
	normalize(v, n, &b);
	sd->rules = xreallocarray(sd->rules, sd->nrules + 1,
	    sizeof *sd->rules);
	r = &sd->rules[sd->nrules++];
	r->len = b.len;
	r->pat = buf_detach(&b);
	r->anchored = anchored;
	r->allow = allow;
	shown = n + (size_t)anchored;
	if (shown > LINE_SHOWN_MAX)
		shown = LINE_SHOWN_MAX;
	xasprintf(&r->line, "%s: %.*s", allow ? "Allow" : "Disallow",
	    (int)shown, v);
	for (i = 0; r->line[i] != '\0'; i++)
		if ((unsigned char)r->line[i] < 0x20 || r->line[i] == 0x7f)
			r->line[i] = '?';
}

/*
 * Parse robots.txt text[0..len) for the agent whose product token is
 * agent (compared without regard to case).  Never fails.
 */
struct robots *
robots_parse(const char *text, size_t len, const char *agent)
{
	struct robots	*r;
	struct side	 ours = { NULL, 0, -1, 0 }, star = { NULL, 0, -1, 0 };
	struct side	*use, *other;
	const char	*p = text, *end = text + len, *eol, *colon, *k, *v;
	size_t		 kn, vn, alen = strlen(agent), t;
	int		 in_agents = 0, started = 0, cur_ours = 0;
	int		 cur_star = 0;
	double		 d;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	for (; p < end; p = eol + (eol < end)) {
		for (eol = p; eol < end && *eol != '\n' && *eol != '\r';
		    eol++)
			;
		v = memchr(p, '#', (size_t)(eol - p));
		colon = memchr(p, ':', (size_t)((v ? v : eol) - p));
		if (colon == NULL)
			continue;
		k = trim(p, (size_t)(colon - p), &kn);
		v = trim(colon + 1, (size_t)((v ? v : eol) - colon - 1), &vn);
		switch (key_of(k, kn)) {
		case K_AGENT:
			if (!in_agents)
				cur_ours = cur_star = 0;
			in_agents = started = 1;
			t = token_len(v, vn);
			if (vn == 1 && *v == '*')
				cur_star = star.named = 1;
			else if (t == alen && t > 0 &&
			    strncasecmp(v, agent, t) == 0)
				cur_ours = ours.named = 1;
			break;
		case K_ALLOW:
		case K_DISALLOW:
			in_agents = 0;
			if (!started || vn == 0)
				break;	/* an empty rule says nothing */
			if (cur_ours)
				side_add(&ours, v, vn,
				    key_of(k, kn) == K_ALLOW);
			if (cur_star)
				side_add(&star, v, vn,
				    key_of(k, kn) == K_ALLOW);
			break;
		case K_DELAY:
			in_agents = 0;
			if ((d = parse_delay(v, vn)) < 0)
				break;
			if (cur_ours && ours.delay < 0)
				ours.delay = d;
			if (cur_star && star.delay < 0)
				star.delay = d;
			break;
		case K_OTHER:
			break;
		}
	}
	use = ours.named ? &ours : &star;
	other = ours.named ? &star : &ours;
	r = xcalloc(1, sizeof *r);
	r->rules = use->rules;
	r->nrules = use->nrules;
	r->delay = use->delay;
	rules_free(other->rules, other->nrules);
	return r;
}

/*
 * May path (with its query, as url.c writes it) be fetched?  rule, when
 * not NULL, gets the deciding rule as text, or NULL when none matched.
 */
int
robots_allowed(const struct robots *r, const char *path, const char **rule)
{
	struct buf	 b = BUF_INIT;
	const struct rule *best = NULL;
	size_t		 i, n;

	if (rule != NULL)
		*rule = NULL;
	if (r == NULL || r->nrules == 0)
		return 1;
	if (*path != '/')
		buf_addc(&b, '/');
	normalize(path, strlen(path), &b);
	if (strcmp(buf_cstr(&b), "/robots.txt") == 0) {
		buf_free(&b);
		return 1;
	}
	for (i = 0; i < r->nrules; i++) {
		const struct rule *x = &r->rules[i];

		n = x->len + (size_t)x->anchored;
		if (best != NULL && (n < best->len + (size_t)best->anchored ||
		    (n == best->len + (size_t)best->anchored &&
		    (best->allow || !x->allow))))
			continue;
		if (match(x->pat, x->len, x->anchored, b.ptr, b.len))
			best = x;
	}
	buf_free(&b);
	if (best == NULL)
		return 1;
	if (rule != NULL)
		*rule = best->line;
	return best->allow;
}

/* Seconds between requests the file asks for, -1 when it asks none. */
double
robots_crawl_delay(const struct robots *r)
{
	return r == NULL ? -1 : r->delay;
}

/* The product token of a User-Agent header, lower case: "ferry". */
char *
robots_agent(const char *user_agent)
{
	size_t	n, i;
	char	*s;

	while (*user_agent == ' ' || *user_agent == '\t')
		user_agent++;
	n = token_len(user_agent, strlen(user_agent));
	if (n == 0)
		return xstrdup("ferry");
	s = xstrndup(user_agent, n);
	for (i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	return s;
}
