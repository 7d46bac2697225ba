/*
 * history.c -- the mirror's past, read back from its commits.
 *
 * Owns the reading of what the store wrote: each pass's commit message
 * taken apart into its changes and Ferry-* trailers, revisions and dates
 * turned into commits, a file or the index.json of any commit, what
 * differs between two commits and the text diff of one file, and how many
 * bytes of content the history holds.  It is read-only: it never writes
 * an object, a ref or the working tree, and takes no lock.
 *
 * A documented exception to "only the store includes <git2.h>": walking
 * commits and diffing trees are libgit2's read side, and wrapping each
 * call in store.c would only rename it.  The repository comes from
 * store_repository(); libgit2 errors are translated here.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "buf.h"
#include "err.h"
#include "history.h"
#include "json.h"
#include "store.h"
#include "strmap.h"
#include "utc.h"
#include "xmalloc.h"

#define INDEX_MAX	(256u << 20)	/* bytes of index.json read back */
#define FILE_MAX	(1u << 30)	/* bytes of one file read back */

struct history {
	struct store	*store;
	git_revwalk	*walk;
};

/* --- commit messages ------------------------------------------------------ */

static char *
trim(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

/* "URL (detail)" -> url and detail. */
static void
split_detail(struct history_change *c, const char *s)
{
	const char	*sp = strchr(s, ' ');
	size_t		 n;

	if (sp == NULL) {
		c->url = xstrdup(s);
		return;
	}
	c->url = xstrndup(s, (size_t)(sp - s));
	while (*sp == ' ')
		sp++;
	n = strlen(sp);
	if (n >= 2 && sp[0] == '(' && sp[n - 1] == ')')
		c->detail = xstrndup(sp + 1, n - 2);
	else if (n > 0)
		c->detail = xstrdup(sp);
}

static int
is_verb(const char *s, size_t n)
{
	size_t	i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return 1;
}

static int
is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

static void
trailer(struct history_pass *p, const char *key, const char *value)
{
	char	*end;

	if (strcmp(key, "Ferry-Source") == 0) {
		free(p->source);
		p->source = xstrdup(value);
	} else if (strcmp(key, "Ferry-Started") == 0) {
		if (utc_parse(value, &p->started) != 0)
			p->started = 0;
	} else if (strcmp(key, "Ferry-Finished") == 0) {
		if (utc_parse(value, &p->finished) != 0)
			p->finished = 0;
	} else if (strcmp(key, "Ferry-Requests") == 0) {
		p->requests = strtoll(value, &end, 10);
		if (*end != '\0' || end == value)
			p->requests = -1;
	} else if (strcmp(key, "Ferry-Bytes") == 0) {
		p->bytes = strtoll(value, &end, 10);
		if (*end != '\0' || end == value)
			p->bytes = -1;
	}
}

/*
 * Take a pass's commit message apart: the subject, one change per body
 * line ("VERB PATH" with an indented "URL (detail)" or note under it,
 * "VERB PATH" alone, or "failed URL (detail)") and the Ferry-* trailers.
 * Other lines are skipped, so a message ferry did not write yields its
 * subject only.
 */
int
history_parse_message(const char *msg, struct history_pass *p)
{
	struct history_change	*c;
	char			**lines = NULL, *copy, *line, *save = NULL;
	char			 *colon, *next;
	const char		 *rest;
	size_t			  n = 0, i, vlen;

	p->started = p->finished = 0;
	p->requests = p->bytes = -1;
	copy = xstrdup(msg);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		lines = xreallocarray(lines, n + 1, sizeof *lines);
		lines[n++] = line;
	}
	free(p->subject);
	p->subject = trim(n > 0 ? lines[0] : "", n > 0 ? strlen(lines[0]) : 0);
	for (i = 1; i < n; i++) {
		line = lines[i];
		if (*line == ' ' || *line == '\t')
			continue;	/* a continuation without its line */
		if (strncmp(line, "Ferry-", 6) == 0 &&
		    (colon = strstr(line, ": ")) != NULL) {
			*colon = '\0';
			rest = colon + 2;
			next = trim(rest, strlen(rest));
			trailer(p, line, next);
			free(next);
			continue;
		}
		vlen = strcspn(line, " ");
		if (!is_verb(line, vlen) || line[vlen] == '\0')
			continue;
		for (rest = line + vlen; *rest == ' '; rest++)
			;
		if (*rest == '\0')
			continue;
		p->changes = xreallocarray(p->changes, p->nchanges + 1,
		    sizeof *p->changes);
		c = &p->changes[p->nchanges++];
		memset(c, 0, sizeof *c);
		c->verb = xstrndup(line, vlen);
		if (is_url(rest)) {
			next = trim(rest, strlen(rest));
			split_detail(c, next);
			free(next);
			continue;
		}
		c->path = trim(rest, strlen(rest));
		if (i + 1 < n && (lines[i + 1][0] == ' ' ||
		    lines[i + 1][0] == '\t')) {
			next = trim(lines[i + 1], strlen(lines[i + 1]));
			if (is_url(next))
				split_detail(c, next);
			else if (*next != '\0')
				c->detail = xstrdup(next);
			free(next);
			i++;
		}
	}
	free(lines);
	free(copy);
	return 0;
}

void
history_pass_clear(struct history_pass *p)
{
	size_t	i;

	for (i = 0; i < p->nchanges; i++) {
		free(p->changes[i].verb);
		free(p->changes[i].path);
		free(p->changes[i].url);
		free(p->changes[i].detail);
	}
	free(p->changes);
	free(p->subject);
	free(p->source);
	memset(p, 0, sizeof *p);
}

/* --- dates ------------------------------------------------------------- */

static int
fixed_digits(const char **s, int n, int *out)
{
	int	v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*s)[i]))
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return 0;
}

/* "7d", "12h", "2w", "30m", "90s", with an optional " ago". */
static int
parse_ago(const char *s, time_t now, time_t *t)
{
	char		*end;
	long long	 v;
	long		 unit;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtoll(s, &end, 10);
	switch (*end++) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default: return -1;
	}
	if (strcmp(end, " ago") == 0)
		end += 4;
	if (*end != '\0' || v < 0 || v > 100LL * 366 * 86400 / unit)
		return -1;
	*t = now - (time_t)(v * unit);
	return 0;
}

/*
 * A date as a person types it: "2026-11-26", "2026-11-26 04:00",
 * "2026-11-26T04:00:30", local time unless it ends in Z; "7d" or "12h"
 * (ago); "now".  from and to are the first and the last second it names:
 * a day runs from 00:00:00 to 23:59:59.
 */
int
history_parse_date(const char *s, time_t now, time_t *from, time_t *to)
{
	struct tm	 tm, chk;
	const char	*p = s;
	time_t		 t, span = 0;
	int		 utc = 0, y, mo, d, h = 0, mi = 0, sec = 0;

	if (strcmp(s, "now") == 0 || parse_ago(s, now, &t) == 0) {
		*from = *to = strcmp(s, "now") == 0 ? now : t;
		return 0;
	}
	if (fixed_digits(&p, 4, &y) != 0 || *p++ != '-' ||
	    fixed_digits(&p, 2, &mo) != 0 || *p++ != '-' ||
	    fixed_digits(&p, 2, &d) != 0)
		goto bad;
	span = 86400 - 1;
	if (*p == ' ' || *p == 'T') {
		p++;
		if (fixed_digits(&p, 2, &h) != 0 || *p++ != ':' ||
		    fixed_digits(&p, 2, &mi) != 0)
			goto bad;
		span = 60 - 1;
		if (*p == ':') {
			p++;
			if (fixed_digits(&p, 2, &sec) != 0)
				goto bad;
			span = 0;
		}
	}
	if (*p == 'Z') {
		utc = 1;
		p++;
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		goto bad;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	chk = tm;
	t = utc ? timegm(&tm) : mktime(&tm);
	if (t == (time_t)-1 || tm.tm_mday != chk.tm_mday ||
	    tm.tm_mon != chk.tm_mon)
		goto bad;
	*from = t;
	*to = t + span;
	return 0;
bad:
	return err_code(FERRY_ECONFIG, "invalid date '%s' (use YYYY-MM-DD, "
	    "'YYYY-MM-DD HH:MM', or an age like 7d or 12h)", s);
}

/* --- walking commits ---------------------------------------------------- */

static int
peel_commit(struct store *s, const char *spec, git_oid *out)
{
	git_object	*obj = NULL, *c = NULL;
	int		 rc;

	rc = git_revparse_single(&obj, store_repository(s), spec);
	if (rc == 0)
		rc = git_object_peel(&c, obj, GIT_OBJECT_COMMIT);
	if (rc == 0)
		git_oid_cpy(out, git_object_id(c));
	git_object_free(c);
	git_object_free(obj);
	if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc ==
	    GIT_EINVALIDSPEC || rc == GIT_EPEEL || rc == GIT_EUNBORNBRANCH)
		return err_code(FERRY_ENOTFOUND, "unknown revision '%s' in "
		    "mirror '%s'", spec, store_root(s));
	if (rc < 0)
		return store_git_fail("cannot read revision", spec);
	return 0;
}

/* Newest first, following first parents: the passes in the order made. */
int
history_open(struct store *s, const char *rev, struct history **out)
{
	struct history	*h;
	git_oid		 id;

	if (peel_commit(s, rev ? rev : "HEAD", &id) != 0)
		return FERRY_ENOTFOUND;
	h = xcalloc(1, sizeof *h);
	h->store = s;
	if (git_revwalk_new(&h->walk, store_repository(s)) < 0 ||
	    git_revwalk_push(h->walk, &id) < 0 ||
	    git_revwalk_simplify_first_parent(h->walk) < 0) {
		store_git_fail("cannot walk the history of", store_root(s));
		history_close(h);
		return -1;
	}
	*out = h;
	return 0;
}

/* The next older commit; FERRY_ENOTFOUND past the first. */
int
history_next(struct history *h, struct history_pass *p)
{
	git_commit	*c = NULL;
	git_oid		 id;
	int		 rc;

	memset(p, 0, sizeof *p);
	rc = git_revwalk_next(&id, h->walk);
	if (rc == GIT_ITEROVER)
		return FERRY_ENOTFOUND;
	if (rc < 0 || git_commit_lookup(&c, store_repository(h->store),
	    &id) < 0)
		return store_git_fail("cannot walk the history of",
		    store_root(h->store));
	git_oid_tostr(p->commit, sizeof p->commit, &id);
	if (git_commit_parentcount(c) > 0)
		git_oid_tostr(p->parent, sizeof p->parent,
		    git_commit_parent_id(c, 0));
	p->time = (int64_t)git_commit_time(c);
	history_parse_message(git_commit_message(c), p);
	git_commit_free(c);
	return 0;
}

void
history_close(struct history *h)
{
	if (h == NULL)
		return;
	git_revwalk_free(h->walk);
	free(h);
}

static int
looks_like_date(const char *spec)
{
	time_t	a, b;
	int	rc;

	rc = history_parse_date(spec, time(NULL), &a, &b);
	err_clear();
	return rc == 0;
}

/*
 * A revision git understands (HEAD~2, an abbreviated id) or a date: the
 * last commit made by the end of that date.
 */
int
history_resolve(struct store *s, const char *spec, char *hex)
{
	struct history		*h = NULL;
	struct history_pass	 p;
	git_oid			 id;
	time_t			 from, to;
	int			 rc;

	/* "1000d" is an age and could be an abbreviated id: the id wins. */
	if (!looks_like_date(spec) || (strlen(spec) >= 4 &&
	    strspn(spec, "0123456789abcdef") == strlen(spec) &&
	    peel_commit(s, spec, &id) == 0)) {
		if ((rc = peel_commit(s, spec, &id)) != 0)
			return rc;
		git_oid_tostr(hex, STORE_OIDLEN + 1, &id);
		return 0;
	}
	err_clear();
	if ((rc = history_parse_date(spec, time(NULL), &from, &to)) != 0 ||
	    (rc = history_open(s, "HEAD", &h)) != 0)
		return rc;
	while ((rc = history_next(h, &p)) == 0) {
		if (p.time <= (int64_t)to) {
			memcpy(hex, p.commit, sizeof p.commit);
			history_pass_clear(&p);
			break;
		}
		history_pass_clear(&p);
	}
	history_close(h);
	if (rc == FERRY_ENOTFOUND)
		return err_code(FERRY_ENOTFOUND, "no commit in mirror '%s' "
		    "was made by %s", store_root(s), spec);
	return rc;
}

/* --- files of a commit -------------------------------------------------- */

/*
 * Append the bytes of path as commit had it to out (whose cap bounds
 * them; NULL reads nothing); blob, when not NULL, gets its id.
 * FERRY_ENOTFOUND when the commit has no such file.
 */
int
history_read(struct store *s, const char *commit, const char *path,
    struct buf *out, char *blob)
{
	git_commit	*c = NULL;
	git_tree	*t = NULL;
	git_tree_entry	*ent = NULL;
	git_blob	*b = NULL;
	git_oid		 id;
	int		 rc = -1;

	if (git_oid_fromstr(&id, commit) < 0 ||
	    git_commit_lookup(&c, store_repository(s), &id) < 0 ||
	    git_commit_tree(&t, c) < 0) {
		store_git_fail("cannot read commit", commit);
		goto out;
	}
	if (git_tree_entry_bypath(&ent, t, path) < 0 ||
	    git_tree_entry_type(ent) != GIT_OBJECT_BLOB) {
		rc = err_code(FERRY_ENOTFOUND, "'%s' is not in commit %.12s",
		    path, commit);
		goto out;
	}
	if (out == NULL) {	/* only its id: the bytes are not read */
		if (blob != NULL)
			git_oid_tostr(blob, STORE_OIDLEN + 1,
			    git_tree_entry_id(ent));
		rc = 0;
		goto out;
	}
	if (git_blob_lookup(&b, store_repository(s),
	    git_tree_entry_id(ent)) < 0) {
		store_git_fail("cannot read", path);
		goto out;
	}
	if (blob != NULL)
		git_oid_tostr(blob, STORE_OIDLEN + 1, git_blob_id(b));
	if ((rc = buf_add(out, git_blob_rawcontent(b),
	    (size_t)git_blob_rawsize(b))) != 0) {
		err_prefix("cannot read '%s'", path);
		goto out;
	}
	rc = 0;
out:
	git_blob_free(b);
	git_tree_entry_free(ent);
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

/* The index.json of commit, parsed; its format is checked. */
int
history_index(struct store *s, const char *commit, struct json **out)
{
	struct buf		 b = BUF_INIT;
	struct json		*j = NULL;
	const char		*fmt;
	const struct json	*res;
	int			 rc;

	buf_init(&b, INDEX_MAX);
	if ((rc = history_read(s, commit, "index.json", &b, NULL)) != 0)
		goto out;
	if ((rc = json_parse(b.ptr ? b.ptr : "", b.len, &j)) != 0) {
		err_prefix("index.json of commit %.12s", commit);
		goto out;
	}
	fmt = json_get_str(j, "format");
	res = json_get(j, "resources");
	if (fmt == NULL || strcmp(fmt, "ferry-index") != 0 || res == NULL ||
	    res->type != JSON_ARRAY) {
		rc = err_set("index.json of commit %.12s is not a ferry index",
		    commit);
		goto out;
	}
	*out = j;
	j = NULL;
	rc = 0;
out:
	json_free(j);
	buf_free(&b);
	return rc;
}

/* The resource of an index whose path or URL is key, or NULL. */
const struct json *
history_find(const struct json *index, const char *key)
{
	const struct json	*res = json_get(index, "resources"), *r;
	const char		*v;
	size_t			 i;

	for (i = 0; res != NULL && i < res->n; i++) {
		r = res->items[i];
		if (((v = json_get_str(r, "path")) != NULL && *v != '\0' &&
		    strcmp(v, key) == 0) ||
		    ((v = json_get_str(r, "url")) != NULL &&
		    strcmp(v, key) == 0))
			return r;
	}
	return NULL;
}

/*
 * What a person names a resource by, as the history names it: a URL as
 * it is; a file of the mirror relative to its root ("./site/a/",
 * "/srv/mirror/site/a" and "site/a" are all "site/a").
 */
char *
history_key(struct store *s, const char *arg)
{
	const char	*root = store_root(s);
	size_t		 n = strlen(root);
	char		 cwd[4096], *abs = NULL, *k;

	if (is_url(arg))
		return xstrdup(arg);
	/* A name relative to here that lands in the mirror. */
	if (*arg != '/' && getcwd(cwd, sizeof cwd) != NULL) {
		xasprintf(&abs, "%s/%s", cwd, arg);
		if (strncmp(abs, root, n) == 0 && abs[n] == '/')
			arg = abs + n + 1;
	}
	if (strncmp(arg, root, n) == 0 && arg[n] == '/')
		arg += n + 1;
	while (arg[0] == '.' && arg[1] == '/')
		arg += 2;
	while (*arg == '/')
		arg++;
	k = xstrdup(arg);
	n = strlen(k);
	while (n > 0 && k[n - 1] == '/')
		k[--n] = '\0';
	free(abs);
	return k;
}

/*
 * Whether a change to path or url is one key names: the URL, the file,
 * a directory above it, or the text of a page ("text/a.html.txt" for
 * "site/a.html").
 */
int
history_matches(const char *key, const char *path, const char *url)
{
	size_t	n = strlen(key);

	if (url != NULL && strcmp(url, key) == 0)
		return 1;
	if (path == NULL || n == 0)
		return 0;
	if (strncmp(path, key, n) == 0 && (path[n] == '\0' ||
	    path[n] == '/'))
		return 1;
	return strncmp(key, "text/", 5) == 0 && n > 9 &&
	    strcmp(key + n - 4, ".txt") == 0 && strncmp(path, "site/", 5) ==
	    0 && strlen(path + 5) == n - 9 &&
	    strncmp(path + 5, key + 5, n - 9) == 0;
}

/* --- differences -------------------------------------------------------- */

static int
commit_tree(struct store *s, const char *hex, git_tree **out)
{
	git_commit	*c = NULL;
	git_oid		 id;
	int		 rc = 0;

	*out = NULL;
	if (hex == NULL || *hex == '\0')
		return 0;	/* before the first commit: nothing */
	if (git_oid_fromstr(&id, hex) < 0 ||
	    git_commit_lookup(&c, store_repository(s), &id) < 0 ||
	    git_commit_tree(out, c) < 0)
		rc = store_git_fail("cannot read commit", hex);
	git_commit_free(c);
	return rc;
}

static int64_t
blob_size(git_odb *odb, const git_oid *id)
{
	git_object_t	type;
	size_t		len;

	if (git_odb_read_header(&len, &type, odb, id) < 0) {
		git_error_clear();
		return -1;
	}
	return (int64_t)len;
}

/*
 * Every file that differs between commits a and b (a "" or NULL: before
 * the first commit), sorted by path, with its blobs and sizes.
 */
int
history_diff(struct store *s, const char *a, const char *b,
    struct history_delta **out, size_t *nout)
{
	git_diff_options	 opts = GIT_DIFF_OPTIONS_INIT;
	git_tree		*ta = NULL, *tb = NULL;
	git_diff		*diff = NULL;
	git_odb			*odb = NULL;
	const git_diff_delta	*d;
	struct history_delta	*v = NULL, *x;
	size_t			 n = 0, i;
	int			 rc = -1;

	if (commit_tree(s, a, &ta) != 0 || commit_tree(s, b, &tb) != 0)
		goto out;
	if (git_repository_odb(&odb, store_repository(s)) < 0 ||
	    git_diff_tree_to_tree(&diff, store_repository(s), ta, tb,
	    &opts) < 0) {
		store_git_fail("cannot compare commits of", store_root(s));
		goto out;
	}
	for (i = 0; i < git_diff_num_deltas(diff); i++) {
		d = git_diff_get_delta(diff, i);
		v = xreallocarray(v, n + 1, sizeof *v);
		x = &v[n++];
		memset(x, 0, sizeof *x);
		x->status = d->status == GIT_DELTA_ADDED ? 'A' :
		    d->status == GIT_DELTA_DELETED ? 'D' : 'M';
		x->path = xstrdup(d->status == GIT_DELTA_DELETED ?
		    d->old_file.path : d->new_file.path);
		x->old_size = x->new_size = -1;
		if (x->status != 'A') {
			git_oid_tostr(x->old_blob, sizeof x->old_blob,
			    &d->old_file.id);
			x->old_size = blob_size(odb, &d->old_file.id);
		}
		if (x->status != 'D') {
			git_oid_tostr(x->new_blob, sizeof x->new_blob,
			    &d->new_file.id);
			x->new_size = blob_size(odb, &d->new_file.id);
		}
	}
	*out = v;
	*nout = n;
	v = NULL;
	n = 0;
	rc = 0;
out:
	history_deltas_free(v, n);
	git_diff_free(diff);
	git_odb_free(odb);
	git_tree_free(ta);
	git_tree_free(tb);
	return rc;
}

void
history_deltas_free(struct history_delta *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

static int
lookup_blob(struct store *s, const char *hex, git_blob **out)
{
	git_oid	id;

	*out = NULL;
	if (*hex == '\0')
		return 0;
	if (git_oid_fromstr(&id, hex) < 0 ||
	    git_blob_lookup(out, store_repository(s), &id) < 0)
		return store_git_fail("cannot read object", hex);
	return 0;
}

/* The unified diff of one changed file, as "git diff" prints it. */
int
history_patch(struct store *s, const struct history_delta *d,
    struct buf *out)
{
	git_diff_options	 opts = GIT_DIFF_OPTIONS_INIT;
	git_blob		*old = NULL, *new = NULL;
	git_patch		*patch = NULL;
	git_buf			 text = { NULL, 0, 0 };
	int			 rc = -1;

	if (lookup_blob(s, d->old_blob, &old) != 0 ||
	    lookup_blob(s, d->new_blob, &new) != 0)
		goto out;
	if (git_patch_from_blobs(&patch, old, d->path, new, d->path,
	    &opts) < 0 || git_patch_to_buf(&text, patch) < 0) {
		store_git_fail("cannot diff", d->path);
		goto out;
	}
	rc = buf_add(out, text.ptr, text.size);
out:
	git_buf_dispose(&text);
	git_patch_free(patch);
	git_blob_free(old);
	git_blob_free(new);
	return rc;
}

/* --- sizes ---------------------------------------------------------------- */

struct size_walk {
	git_repository	*repo;
	git_odb		*odb;
	struct strmap	*seen;
	int64_t		 bytes;
	size_t		 blobs;
	int64_t		 tree_bytes;	/* of the first tree */
	size_t		 tree_files;
	int		 first;
};

static int
size_tree(struct size_walk *w, const git_oid *id)
{
	git_tree		*t = NULL;
	const git_tree_entry	*e;
	char			 hex[STORE_OIDLEN + 1];
	int64_t			 len;
	size_t			 i;
	int			 rc = 0, fresh;

	if (git_tree_lookup(&t, w->repo, id) < 0)
		return store_git_fail("cannot read tree",
		    git_oid_tostr(hex, sizeof hex, id));
	for (i = 0; i < git_tree_entrycount(t) && rc == 0; i++) {
		e = git_tree_entry_byindex(t, i);
		git_oid_tostr(hex, sizeof hex, git_tree_entry_id(e));
		fresh = strmap_put(w->seen, hex, "") == NULL;
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			/* An unchanged tree adds nothing, unless first. */
			if (fresh || w->first)
				rc = size_tree(w, git_tree_entry_id(e));
			continue;
		}
		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
			continue;
		len = blob_size(w->odb, git_tree_entry_id(e));
		if (len < 0) {
			rc = err_set("cannot read object %s", hex);
			break;
		}
		if (w->first) {
			w->tree_bytes += len;
			w->tree_files++;
		}
		if (fresh) {
			w->bytes += len;
			w->blobs++;
		}
	}
	git_tree_free(t);
	return rc;
}

/*
 * The bytes of the files of commit, and of every distinct file version
 * its history holds: what the store would take uncompressed.
 */
int
history_sizes(struct store *s, const char *commit, struct history_sizes *out)
{
	struct size_walk	 w;
	git_revwalk		*walk = NULL;
	git_commit		*c;
	git_oid			 id;
	int			 rc = -1;

	memset(out, 0, sizeof *out);
	memset(&w, 0, sizeof w);
	w.repo = store_repository(s);
	w.seen = strmap_new();
	w.first = 1;
	if (git_oid_fromstr(&id, commit) < 0 ||
	    git_repository_odb(&w.odb, w.repo) < 0 ||
	    git_revwalk_new(&walk, w.repo) < 0 ||
	    git_revwalk_push(walk, &id) < 0) {
		store_git_fail("cannot walk the history of", store_root(s));
		goto out;
	}
	while (git_revwalk_next(&id, walk) == 0) {
		if (git_commit_lookup(&c, w.repo, &id) < 0) {
			store_git_fail("cannot read the history of",
			    store_root(s));
			goto out;
		}
		rc = size_tree(&w, git_commit_tree_id(c));
		git_commit_free(c);
		if (rc != 0)
			goto out;
		w.first = 0;
		out->commits++;
	}
	out->head_bytes = w.tree_bytes;
	out->head_files = w.tree_files;
	out->all_bytes = w.bytes;
	out->all_blobs = w.blobs;
	rc = 0;
out:
	git_revwalk_free(walk);
	git_odb_free(w.odb);
	strmap_free(w.seen, NULL);
	return rc;
}
