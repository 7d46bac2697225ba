/*
 * crawl.c -- the link graph of one source, walked through the fetch engine.
 *
 * Owns the scope rules (which links are followed as pages, which are
 * fetched as documents or page requisites, which stay online links), the
 * reaction to each response (a new body, a 304 that reuses the kept copy,
 * a redirect whose target is checked like a link, a failure that keeps
 * the previous copy) and content sniffing.  Every page is read for links
 * from the bytes the server sent, never from a rewritten copy, and an
 * unchanged page (304) is read from the kept original, so it is not
 * downloaded again.  It does not decide file names, rewrite pages or
 * commit: sync.c does, once the graph is complete.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "conf.h"
#include "crawl.h"
#include "err.h"
#include "fetch.h"
#include "fsutil.h"
#include "hash.h"
#include "html.h"
#include "log.h"
#include "state.h"
#include "store.h"
#include "strmap.h"
#include "url.h"
#include "xmalloc.h"

#define CRAWL_MAX_HOPS		10		/* redirects in a chain */
#define CRAWL_PAGE_MAX		(64u << 20)	/* pages read for links */

struct crawl {
	const struct conf		*conf;
	const struct conf_source	*src;
	struct store			*store;
	struct state			*state;
	struct fetch			*fetch;
	struct strmap			*nodes;
	struct crawl_node		**nodev;
	size_t				 nnodes;
	struct crawl_node		*root;
	char				*src_host;
	char				*origdir;
};

/* Everything a node owns, and the node's back pointer, live here. */
struct node {
	struct crawl_node	 pub;
	struct crawl		*c;
	char			*location;
};

static const char *doc_exts[] = {
	"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "pps", "ppsx",
	"odt", "ods", "odp", "rtf", "txt", "csv", "epub", "zip", "png", "jpg",
	"jpeg", "gif", "svg", "webp", "mp3", "mp4", "m4a", "wav", "ogg",
};

static void	visit_link(struct crawl *, struct crawl_node *,
		    const struct html_link *, const char *);
static void	expand(struct crawl *, struct crawl_node *);
static void	on_done(struct fetch_result *, void *);

struct crawl *
crawl_new(const struct conf *conf, const struct conf_source *src,
    struct store *store, struct state *state, const char *tmpdir,
    const char *origdir)
{
	struct crawl		*c;
	struct fetch_opts	 fo;

	memset(&fo, 0, sizeof fo);
	fo.user_agent = conf->user_agent;
	fo.tmpdir = tmpdir;
	fo.timeout = conf->timeout;
	fo.connect_timeout = conf->connect_timeout;
	fo.low_speed = 1024;
	fo.low_speed_time = 60;
	fo.max_file_size = conf->max_file_size;
	fo.per_host = conf->connections_per_host;
	fo.retries = 2;

	c = xcalloc(1, sizeof *c);
	c->conf = conf;
	c->src = src;
	c->store = store;
	c->state = state;
	c->fetch = fetch_new(&fo);
	c->nodes = strmap_new();
	c->src_host = url_hostport(src->url);
	c->origdir = xstrdup(origdir);
	return c;
}

static void
node_free(void *p)
{
	struct node		*n = p;
	struct crawl_node	*cn = &n->pub;

	free(cn->url);
	free(cn->error);
	free(cn->content_type);
	free(cn->sha256);
	free(cn->blob);
	free(cn->orig);
	free(cn->etag);
	free(cn->last_modified);
	free(cn->path);
	free(n->location);
	free(n);
}

void
crawl_free(struct crawl *c)
{
	if (c == NULL)
		return;
	fetch_free(c->fetch);
	strmap_free(c->nodes, node_free);
	free(c->nodev);
	free(c->src_host);
	free(c->origdir);
	free(c);
}

struct crawl_node *
crawl_get(struct crawl *c, const char *key)
{
	struct node	*n = strmap_get(c->nodes, key);

	return n ? &n->pub : NULL;
}

struct crawl_node *
crawl_root(struct crawl *c)
{
	return c->root;
}

/* The nodes in the order they were reached. */
size_t
crawl_nodes(struct crawl *c, struct crawl_node ***out)
{
	*out = c->nodev;
	return c->nnodes;
}

/* Follow redirects to the node that holds content; NULL for a loop. */
struct crawl_node *
crawl_final(struct crawl_node *n)
{
	int	i;

	for (i = 0; n != NULL && n->outcome == CRAWL_REDIRECT; i++) {
		if (i > CRAWL_MAX_HOPS)
			return NULL;
		n = n->target;
	}
	return n;
}

/* Where a redirect pointed (absolute), NULL for other nodes. */
const char *
crawl_location(struct crawl_node *n)
{
	return ((struct node *)n)->location;
}

void
crawl_counters(const struct crawl *c, int64_t *requests, int64_t *bytes)
{
	fetch_counters(c->fetch, requests, bytes);
}

/* Resolve ref against base: the absolute URL and the crawl key. */
int
crawl_resolve(struct crawl *c, const char *base, const char *ref, char **abs,
    char **key)
{
	int	rc;

	(void)c;
	*abs = *key = NULL;
	if ((rc = url_resolve(base, ref, abs)) != 0)
		return rc;
	if ((rc = url_canonical(*abs, key)) != 0) {
		free(*abs);
		*abs = NULL;
	}
	return rc;
}

int
crawl_read_orig(const struct crawl_node *n, struct buf *b)
{
	buf_init(b, CRAWL_PAGE_MAX);
	return fsutil_read(n->orig, b);
}

static int
type_is(const char *ctype, const char *want)
{
	size_t	n = strlen(want);

	return ctype != NULL && strncasecmp(ctype, want, n) == 0 &&
	    (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

static int
looks_like_document(const char *url, const char *type)
{
	const char	*path, *end, *dot, *slash;
	size_t		 i, len;

	if (type != NULL && *type != '\0')
		return !type_is(type, "text/html") &&
		    !type_is(type, "application/xhtml+xml");
	path = strstr(url, "://");
	path = path ? strchr(path + 3, '/') : NULL;
	if (path == NULL)
		return 0;
	end = path + strcspn(path, "?#");
	for (dot = NULL, slash = path; slash < end; slash++)
		if (*slash == '.')
			dot = slash;
		else if (*slash == '/')
			dot = NULL;
	if (dot == NULL)
		return 0;
	len = (size_t)(end - dot - 1);
	for (i = 0; i < sizeof doc_exts / sizeof doc_exts[0]; i++)
		if (strlen(doc_exts[i]) == len &&
		    strncasecmp(dot + 1, doc_exts[i], len) == 0)
			return 1;
	return 0;
}

static int
host_allowed(struct crawl *c, const char *abs)
{
	char	*hp, *h;
	size_t	 i;
	int	 ok;

	hp = url_hostport(abs);
	h = url_host(abs);
	ok = hp != NULL && strcmp(hp, c->src_host) == 0;
	for (i = 0; !ok && hp != NULL && i < c->src->nallow; i++)
		ok = strcmp(c->src->allow[i], hp) == 0 ||
		    strcmp(c->src->allow[i], h) == 0;
	free(hp);
	free(h);
	return ok;
}

static int
on_source_host(struct crawl *c, const char *abs)
{
	char	*hp = url_hostport(abs);
	int	 ok = hp != NULL && strcmp(hp, c->src_host) == 0;

	free(hp);
	return ok;
}

/* include and exclude globs; the source page itself is always in. */
static int
globs_allow(struct crawl *c, const char *abs)
{
	size_t	i;
	int	ok = c->src->ninclude == 0;

	for (i = 0; !ok && i < c->src->ninclude; i++)
		ok = url_match(c->src->include[i], abs);
	for (i = 0; ok && i < c->src->nexclude; i++)
		ok = !url_match(c->src->exclude[i], abs);
	return ok;
}

static void
request(struct crawl *c, struct crawl_node *n, int conditional)
{
	struct state_entry	*e = state_get(c->state, n->url);
	const char		*etag = NULL, *lm = NULL;

	if (conditional && e != NULL && e->path != NULL && e->blob != NULL &&
	    e->sha256 != NULL) {
		etag = e->etag;
		lm = e->last_modified;
	}
	fetch_add(c->fetch, n->url, etag, lm, on_done, n);
}

/*
 * The node for key, created and requested on first sight.  A page found
 * again nearer the source page is read for links again at its new depth.
 */
static struct crawl_node *
visit(struct crawl *c, const char *key, int depth, int page, int nav,
    int expect_doc, int hops)
{
	struct node		*n;
	struct crawl_node	*cn;

	if ((n = strmap_get(c->nodes, key)) == NULL) {
		n = xcalloc(1, sizeof *n);
		n->c = c;
		cn = &n->pub;
		cn->url = xstrdup(key);
		cn->depth = depth;
		cn->page = page && !expect_doc;
		cn->nav = nav;
		cn->expect_doc = expect_doc;
		cn->expanded = -1;
		cn->hops = hops;
		strmap_put(c->nodes, key, n);
		c->nodev = xreallocarray(c->nodev, c->nnodes + 1,
		    sizeof *c->nodev);
		c->nodev[c->nnodes++] = cn;
		request(c, cn, 1);
		return cn;
	}
	cn = &n->pub;
	cn->nav |= nav;
	if (!page || cn->expect_doc || (cn->page && cn->depth <= depth))
		return cn;
	cn->page = 1;
	cn->depth = depth;
	if (cn->outcome == CRAWL_REDIRECT && cn->target != NULL)
		visit(c, cn->target->url, depth, page, nav, expect_doc,
		    hops + 1);
	else if (cn->expanded > depth)
		expand(c, cn);
	return cn;
}

/* Read a page's or stylesheet's links from its original bytes. */
static void
expand(struct crawl *c, struct crawl_node *n)
{
	struct html_doc	*doc = NULL;
	struct buf	 b;
	const char	*base = n->url;
	char		*abs = NULL, *key = NULL;
	size_t		 i;

	if (n->orig == NULL || (!n->is_css && !(n->is_html && n->page)))
		return;
	n->expanded = n->depth;
	if (crawl_read_orig(n, &b) != 0 ||
	    (n->is_css ? html_css_parse(b.ptr, b.len, &doc) :
	    html_parse(b.ptr, b.len, &doc)) != 0) {
		log_warnx("%s: cannot read links: %s", n->url, err_msg());
		buf_free(&b);
		return;
	}
	for (i = 0; i < doc->nlinks; i++) {
		if (doc->links[i].kind != HTML_LINK_BASE)
			continue;
		if (crawl_resolve(c, n->url, doc->links[i].url, &abs,
		    &key) == 0)
			base = abs;
		break;
	}
	for (i = 0; i < doc->nlinks; i++)
		if (doc->links[i].kind != HTML_LINK_BASE)
			visit_link(c, n, &doc->links[i], base);
	free(abs);
	free(key);
	html_doc_free(doc);
	buf_free(&b);
}

/* The scope rules, applied to one link of page (or stylesheet) from. */
static void
visit_link(struct crawl *c, struct crawl_node *from,
    const struct html_link *l, const char *base)
{
	char	*abs = NULL, *key = NULL;
	int	 doc, page = 0;

	if (l->url[0] == '#' || crawl_resolve(c, base, l->url, &abs, &key) != 0)
		goto out;
	if (strcmp(key, from->url) == 0 || !host_allowed(c, abs) ||
	    !globs_allow(c, abs))
		goto out;
	doc = looks_like_document(abs, l->type);
	if (l->kind == HTML_LINK_NAV && !from->is_css && !doc) {
		if (!on_source_host(c, abs) || from->depth + 1 > c->src->depth)
			goto out;
		page = 1;
	}
	visit(c, key, page ? from->depth + 1 : from->depth, page,
	    l->kind == HTML_LINK_NAV && !from->is_css, doc, 0);
out:
	free(abs);
	free(key);
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? xstrdup(v) : NULL;
}

static void
classify(struct crawl_node *n)
{
	n->is_html = type_is(n->content_type, "text/html") ||
	    type_is(n->content_type, "application/xhtml+xml");
	n->is_css = type_is(n->content_type, "text/css");
}

/*
 * Take the kept copy from the state: the original bytes of a page or
 * stylesheet (checked against their SHA-256), or the blob of anything
 * else (checked to be in HEAD).  -1 when it cannot be trusted.
 */
static int
load_copy(struct crawl *c, struct crawl_node *n, struct state_entry *e)
{
	char	hex[HASH_HEXLEN + 1], blob[STORE_OIDLEN + 1];

	if (e == NULL || e->path == NULL || e->blob == NULL ||
	    e->sha256 == NULL)
		return -1;
	set_str(&n->content_type, e->content_type);
	classify(n);
	if (n->is_html || n->is_css) {
		free(n->orig);
		n->orig = fsutil_join(c->origdir, e->sha256);
		if (hash_file(n->orig, hex) != 0 ||
		    strcmp(hex, e->sha256) != 0) {
			log_info("%s: kept original is missing or damaged",
			    n->url);
			free(n->orig);
			n->orig = NULL;
			return -1;
		}
	} else if (store_lookup(c->store, e->path, blob) != 0 ||
	    strcmp(blob, e->blob) != 0) {
		log_info("%s: kept copy '%s' is not in the mirror", n->url,
		    e->path);
		return -1;
	}
	set_str(&n->sha256, e->sha256);
	set_str(&n->blob, e->blob);
	set_str(&n->etag, e->etag);
	set_str(&n->last_modified, e->last_modified);
	n->size = e->size;
	n->fetched = e->fetched;
	n->has_copy = 1;
	return 0;
}

static void
failed(struct crawl *c, struct crawl_node *n, enum crawl_outcome o,
    const char *why)
{
	n->outcome = o;
	set_str(&n->error, why);
	if (load_copy(c, n, state_get(c->state, n->url)) == 0)
		expand(c, n);
}

static int
sniff_html(const struct fetch_result *r)
{
	if (r->headlen >= 5 && memcmp(r->head, "%PDF-", 5) == 0)
		return 0;
	if (type_is(r->content_type, "text/html") ||
	    type_is(r->content_type, "application/xhtml+xml"))
		return 1;
	if (r->content_type == NULL || type_is(r->content_type, "text/plain") ||
	    type_is(r->content_type, "application/octet-stream"))
		return html_sniff(r->head, r->headlen);
	return 0;
}

/* A 2xx with a complete body in r->file. */
static void
on_body(struct crawl *c, struct crawl_node *n, struct fetch_result *r)
{
	char	blob[STORE_OIDLEN + 1], *dst;
	int	html = sniff_html(r);

	if (html && (n->expect_doc || !n->nav)) {
		failed(c, n, CRAWL_FAILED, "an HTML page came where a "
		    "document was expected (an error or login page?)");
		return;
	}
	set_str(&n->content_type, html && !type_is(r->content_type,
	    "text/html") && !type_is(r->content_type,
	    "application/xhtml+xml") ? "text/html" : r->content_type);
	if (!html && r->headlen >= 5 && memcmp(r->head, "%PDF-", 5) == 0)
		set_str(&n->content_type, "application/pdf");
	classify(n);
	if (n->is_html || n->is_css) {
		dst = fsutil_join(c->origdir, r->sha256);
		if (rename(r->file, dst) == -1) {
			failed(c, n, CRAWL_FAILED, "cannot keep the original");
			free(dst);
			return;
		}
		free(r->file);
		r->file = NULL;
		set_str(&n->orig, dst);
		free(dst);
	} else {
		if (store_blob_file(c->store, r->file, blob) != 0) {
			failed(c, n, CRAWL_FAILED, err_msg());
			return;
		}
		set_str(&n->blob, blob);
	}
	n->outcome = CRAWL_FETCHED;
	n->has_copy = 1;
	n->status = r->status;
	set_str(&n->sha256, r->sha256);
	set_str(&n->etag, r->etag);
	set_str(&n->last_modified, r->last_modified);
	n->size = r->size;
	n->fetched = (int64_t)time(NULL);
	expand(c, n);
}

static void
on_redirect(struct crawl *c, struct crawl_node *n, struct fetch_result *r)
{
	struct node		*self = (struct node *)n;
	struct crawl_node	*t;
	char			*abs = NULL, *key = NULL;

	if (r->location == NULL) {
		failed(c, n, CRAWL_FAILED, "redirect without a target");
		return;
	}
	if (crawl_resolve(c, n->url, r->location, &abs, &key) != 0) {
		char *why;

		xasprintf(&why, "redirect to '%s' refused (only http and "
		    "https are followed)", r->location);
		failed(c, n, CRAWL_FAILED, why);
		free(why);
		return;
	}
	if (strncmp(n->url, "https:", 6) == 0 && strncmp(abs, "http:", 5) == 0)
		failed(c, n, CRAWL_FAILED, "redirect from https to http "
		    "refused");
	else if (n->hops >= CRAWL_MAX_HOPS || strcmp(key, n->url) == 0)
		failed(c, n, CRAWL_FAILED, "too many redirects");
	else {
		n->outcome = CRAWL_REDIRECT;
		n->status = r->status;
		set_str(&self->location, abs);
		if (host_allowed(c, abs) && globs_allow(c, abs)) {
			t = visit(c, key, n->depth, n->page, n->nav,
			    n->expect_doc, n->hops + 1);
			n->target = t;
			if (crawl_final(n) == NULL)
				failed(c, n, CRAWL_FAILED, "redirect loop");
		}
	}
	free(abs);
	free(key);
}

static void
on_done(struct fetch_result *r, void *arg)
{
	struct crawl_node	*n = arg;
	struct crawl		*c = ((struct node *)n)->c;
	struct state_entry	*e = state_get(c->state, n->url);

	n->status = r->status;
	if (r->not_modified) {
		if (load_copy(c, n, e) == 0) {
			n->outcome = CRAWL_SAME;
			expand(c, n);
		} else if (!n->refetched) {
			n->refetched = 1;
			request(c, n, 0);
		} else
			failed(c, n, CRAWL_FAILED, "304 Not Modified, but "
			    "no usable copy is kept");
	} else if (r->status >= 300 && r->status <= 399)
		on_redirect(c, n, r);
	else if (r->file != NULL)
		on_body(c, n, r);
	else
		failed(c, n, r->status == 404 || r->status == 410 ?
		    CRAWL_GONE : CRAWL_FAILED, r->error ? r->error :
		    "no response");
}

int
crawl_run(struct crawl *c)
{
	char	*key = NULL;
	int	 rc;

	if ((rc = url_canonical(c->src->url, &key)) != 0)
		return rc;
	c->root = visit(c, key, 0, 1, 1, 0, 0);
	free(key);
	return fetch_run(c->fetch);
}
