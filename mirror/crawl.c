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
 *
 * robots.txt is read here, once per origin and pass, before any other
 * request to that origin: a request waits until its origin's rules are
 * known.  A missing robots.txt (4xx) allows everything; one that cannot
 * be read (5xx, no answer) means "try later": nothing on that origin is
 * fetched this pass.  A path robots.txt disallows is not fetched and is
 * reported as failed, keeping its previous copy.  So are resources left
 * unfetched by the pass's max-resources or max-bytes.  A URL that could
 * not be asked but redirected before still leads where it did; one whose
 * redirect chain now ends in a loop or a failure keeps its own copy.
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
#include "robots.h"
#include "state.h"
#include "store.h"
#include "strmap.h"
#include "url.h"
#include "xmalloc.h"

#define CRAWL_CHAIN_MAX		64		/* hops before a chain is
						   taken for a loop */
#define CRAWL_PAGE_MAX		(64u << 20)	/* pages read for links */
#define CRAWL_DELAY_CAP		30.0		/* longest Crawl-delay, s */

enum origin_state { ORIGIN_WAIT, ORIGIN_READY, ORIGIN_FAILED };

/* A request waiting for its origin's robots.txt. */
struct parked {
	struct crawl_node	*node;
	int			 conditional;
};

/*
 * One scheme://host:port of this pass and what its robots.txt says:
 * rules (NULL allows everything) once READY, why not once FAILED.
 */
struct origin {
	struct crawl		*c;
	char			*url;		/* "http://host:port" */
	enum origin_state	 state;
	struct robots		*rules;
	char			*error;
	struct parked		*parked;
	size_t			 nparked;
};

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
	char				*agent;		/* robots.txt token */
	struct strmap			*origins;
	crawl_progress_cb		*progress;
	void				*progress_arg;
	crawl_body_cb			*body;
	void				*body_arg;
	int				 done;
	int				 failed;
	int				 budget_told;
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
static void	request(struct crawl *, struct crawl_node *, int);
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
	fo.ca_file = conf->ca_file;
	fo.tmpdir = tmpdir;
	fo.timeout = conf->timeout;
	fo.connect_timeout = conf->connect_timeout;
	fo.low_speed = (long)conf->low_speed_limit;
	fo.low_speed_time = conf->low_speed_time;
	fo.max_file_size = conf->max_file_size;
	fo.per_host = conf->connections_per_host;
	fo.connections = conf->connections;
	fo.delay = (double)conf->delay;
	fo.retries = conf->retries;
	fo.retry_time = (double)conf->retry_time;
	fo.max_requests = src->max_resources;
	fo.max_bytes = src->max_bytes;

	c = xcalloc(1, sizeof *c);
	c->conf = conf;
	c->src = src;
	c->store = store;
	c->state = state;
	c->fetch = fetch_new(&fo);
	c->nodes = strmap_new();
	c->src_host = url_hostport(src->url);
	c->origdir = xstrdup(origdir);
	c->agent = robots_agent(conf->user_agent);
	c->origins = strmap_new();
	return c;
}

void
crawl_set_progress(struct crawl *c, crawl_progress_cb *cb, void *arg)
{
	c->progress = cb;
	c->progress_arg = arg;
}

/*
 * Call cb with each document (not a page or a stylesheet) as its body is
 * stored, while the downloaded file is still there: a reader may link
 * it and read it while the crawl goes on.
 */
void
crawl_set_body(struct crawl *c, crawl_body_cb *cb, void *arg)
{
	c->body = cb;
	c->body_arg = arg;
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

static void
origin_free(void *p)
{
	struct origin	*o = p;

	free(o->url);
	robots_free(o->rules);
	free(o->error);
	free(o->parked);
	free(o);
}

void
crawl_free(struct crawl *c)
{
	if (c == NULL)
		return;
	fetch_free(c->fetch);
	strmap_free(c->nodes, node_free);
	strmap_free(c->origins, origin_free);
	free(c->nodev);
	free(c->src_host);
	free(c->origdir);
	free(c->agent);
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
		if (i > CRAWL_CHAIN_MAX)
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

/*
 * Read page or stylesheet n's original bytes into b and parse them, in
 * the encoding they came in; b keeps the bytes for the caller to free.
 */
int
crawl_parse_orig(const struct crawl_node *n, struct buf *b,
    struct html_doc **doc)
{
	buf_init(b, CRAWL_PAGE_MAX);
	if (fsutil_read(n->orig, b) != 0)
		return -1;
	return n->is_css ? html_css_parse(b->ptr, b->len, doc) :
	    html_parse_ct(b->ptr, b->len, n->content_type, doc);
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

/* Ask the engine for n, conditionally when a usable copy is kept. */
static void
send_request(struct crawl *c, struct crawl_node *n, int conditional)
{
	struct state_entry	*e = state_get(c->state, n->url);
	struct fetch_req	 req;

	memset(&req, 0, sizeof req);
	req.url = n->url;
	if (conditional && e != NULL && e->path != NULL && e->blob != NULL &&
	    e->sha256 != NULL) {
		req.etag = e->etag;
		req.last_modified = e->last_modified;
	}
	fetch_add(c->fetch, &req, on_done, n);
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
	if (crawl_parse_orig(n, &b, &doc) != 0) {
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

/*
 * A URL that redirected in an earlier pass and could not be asked this
 * time (a budget, robots.txt, a transient failure) still leads where it
 * did, so the copy of its target is kept too.  0 when it does.
 */
static int
keep_redirect(struct crawl *c, struct crawl_node *n, const char *target)
{
	struct node	*self = (struct node *)n;
	char		*key = NULL;
	int		 rc = -1;

	if (url_canonical(target, &key) != 0 || strcmp(key, n->url) == 0 ||
	    n->hops >= c->conf->max_redirects)
		goto out;
	n->outcome = CRAWL_REDIRECT;
	set_str(&self->location, target);
	if (host_allowed(c, target) && globs_allow(c, target)) {
		n->target = visit(c, key, n->depth, n->page, n->nav,
		    n->expect_doc, n->hops + 1);
		if (crawl_final(n) == NULL) {
			n->outcome = CRAWL_FAILED;
			n->target = NULL;
			goto out;
		}
	}
	rc = 0;
out:
	free(key);
	return rc;
}

static void
failed(struct crawl *c, struct crawl_node *n, enum crawl_outcome o,
    const char *why)
{
	struct state_entry	*e = state_get(c->state, n->url);

	n->outcome = o;
	set_str(&n->error, why);
	/* The pass removes a copy that answered 404/410 remove-after
	   times in a row (sync.c): links to it go online. */
	if (o == CRAWL_GONE && e != NULL && e->path != NULL &&
	    e->fails + 1 >= c->conf->remove_after)
		return;
	/* The links of a kept copy stay in the pass, unless the source
	   page failed: that pass is over. */
	if (load_copy(c, n, e) == 0) {
		if (crawl_final(c->root) != n)
			expand(c, n);
	} else if (o == CRAWL_FAILED && e != NULL && e->redirect != NULL)
		keep_redirect(c, n, e->redirect);
}

static int
is_html_type(const char *ctype)
{
	return type_is(ctype, "text/html") ||
	    type_is(ctype, "application/xhtml+xml");
}

/*
 * Is this body an HTML page?  %PDF- says no whatever the type; an HTML
 * type says yes; otherwise the bytes decide when the type says little,
 * or always when strict (a document is expected, so a Content-Type of
 * application/pdf over an HTML error page does not fool it).
 */
static int
sniff_html(const struct fetch_result *r, int strict)
{
	if (r->headlen >= 5 && memcmp(r->head, "%PDF-", 5) == 0)
		return 0;
	if (is_html_type(r->content_type))
		return 1;
	if (strict || r->content_type == NULL ||
	    type_is(r->content_type, "text/plain") ||
	    type_is(r->content_type, "application/octet-stream"))
		return html_sniff(r->head, r->headlen);
	return 0;
}

/* The stored copy was something other than a page (a PDF...). */
static int
was_document(struct crawl *c, const struct crawl_node *n)
{
	struct state_entry	*e = state_get(c->state, n->url);

	return e != NULL && e->path != NULL && e->content_type != NULL &&
	    !is_html_type(e->content_type);
}

/* A 2xx with a complete body in r->file. */
static void
on_body(struct crawl *c, struct crawl_node *n, struct fetch_result *r)
{
	struct state_entry	*e;
	char			 blob[STORE_OIDLEN + 1], *dst, *why;
	int			 was_doc = was_document(c, n);
	int			 html = sniff_html(r, n->expect_doc || was_doc);

	if (html && (n->expect_doc || !n->nav || was_doc)) {
		xasprintf(&why, "an HTML page came where %s was expected (an "
		    "error or login page?)", n->expect_doc ? "a document" :
		    "the earlier document");
		failed(c, n, CRAWL_FAILED, why);
		free(why);
		return;
	}
	set_str(&n->content_type, html && !is_html_type(r->content_type) ?
	    "text/html" : r->content_type);
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
	if (r->file != NULL && c->body != NULL)
		c->body(n, r->file, c->body_arg);
	/* The same bytes again (a server without validators) are the copy
	   fetched before: the index does not change. */
	e = state_get(c->state, n->url);
	if (e != NULL && e->sha256 != NULL && e->fetched != 0 &&
	    strcmp(e->sha256, r->sha256) == 0)
		n->fetched = e->fetched;
	else
		n->fetched = (int64_t)time(NULL);
	expand(c, n);
}

static void
on_redirect(struct crawl *c, struct crawl_node *n, struct fetch_result *r)
{
	struct node		*self = (struct node *)n;
	struct crawl_node	*t;
	char			*abs = NULL, *key = NULL, *why = NULL;

	if (r->location == NULL) {
		failed(c, n, CRAWL_FAILED, "redirect without a target");
		return;
	}
	if (fetch_redirect(n->url, r->location, &abs) != 0 ||
	    url_canonical(abs, &key) != 0) {
		failed(c, n, CRAWL_FAILED, err_msg());
		goto out;
	}
	if (strcmp(key, n->url) == 0) {
		xasprintf(&why, "redirect loop (to itself)");
		failed(c, n, CRAWL_FAILED, why);
	} else if (n->hops >= c->conf->max_redirects) {
		xasprintf(&why, "more than max-redirects (%d) redirects, the "
		    "last to '%s'", c->conf->max_redirects, abs);
		failed(c, n, CRAWL_FAILED, why);
	} else {
		n->outcome = CRAWL_REDIRECT;
		n->status = r->status;
		set_str(&self->location, abs);
		if (host_allowed(c, abs) && globs_allow(c, abs)) {
			t = visit(c, key, n->depth, n->page, n->nav,
			    n->expect_doc, n->hops + 1);
			n->target = t;
			if (crawl_final(n) == NULL) {
				xasprintf(&why, "redirect loop (through "
				    "'%s')", abs);
				failed(c, n, CRAWL_FAILED, why);
			}
		}
	}
out:
	free(why);
	free(abs);
	free(key);
}

/*
 * Tell the progress callback that n has its outcome for this pass, or,
 * again, that its outcome changed to a failure.
 */
static void
report(struct crawl *c, struct crawl_node *n, int again)
{
	struct crawl_progress	p;
	int64_t			requests;

	if (!again)
		c->done++;
	if (n->outcome == CRAWL_FAILED || n->outcome == CRAWL_GONE)
		c->failed++;
	if (c->progress == NULL)
		return;
	memset(&p, 0, sizeof p);
	p.done = c->done;
	p.total = (int)c->nnodes;
	p.failed = c->failed;
	fetch_counters(c->fetch, &requests, &p.bytes);
	p.node = n;
	c->progress(&p, c->progress_arg);
}

/* A request the pass's budget left out; said once where it tripped. */
static void
over_budget(struct crawl *c, struct crawl_node *n, enum fetch_skip why)
{
	char	*limit, *msg;

	if (why == FETCH_SKIP_REQUESTS)
		xasprintf(&limit, "source.%s.max-resources (%d)",
		    c->src->name, c->src->max_resources);
	else
		xasprintf(&limit, "source.%s.max-bytes (%lld bytes)",
		    c->src->name, (long long)c->src->max_bytes);
	if (!c->budget_told) {
		c->budget_told = 1;
		log_warnx("%s: %s reached at '%s': the rest is not fetched "
		    "this pass (previous copies are kept)", c->src->name,
		    limit, n->url);
	}
	xasprintf(&msg, "not fetched: %s reached", limit);
	failed(c, n, CRAWL_FAILED, msg);
	free(msg);
	free(limit);
}

static void
on_done(struct fetch_result *r, void *arg)
{
	struct crawl_node	*n = arg;
	struct crawl		*c = ((struct node *)n)->c;
	struct state_entry	*e = state_get(c->state, n->url);

	n->status = r->status;
	if (r->skipped != FETCH_SKIP_NONE)
		over_budget(c, n, r->skipped);
	else if (r->not_modified) {
		if (load_copy(c, n, e) == 0) {
			n->outcome = CRAWL_SAME;
			expand(c, n);
		} else if (!n->refetched) {
			n->refetched = 1;
			send_request(c, n, 0);
			return;		/* not settled yet */
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
	report(c, n, 0);
}

/* --- robots.txt ---------------------------------------------------------- */

/* "http://host:port" of a normalised URL, and where its path starts. */
static char *
origin_of(const char *url, const char **path)
{
	const char	*p = strstr(url, "://");

	p = p ? p + 3 : url;
	p += strcspn(p, "/?#");
	*path = p;
	return xstrndup(url, (size_t)(p - url));
}

/* n does not go out this pass: why says so; its copy is kept. */
static void
refuse(struct crawl *c, struct crawl_node *n, const char *why)
{
	failed(c, n, CRAWL_FAILED, why);
	report(c, n, 0);
}

/* Send n, or refuse it, by its origin's robots.txt. */
static void
decide(struct crawl *c, struct origin *o, struct crawl_node *n,
    int conditional)
{
	const char	*path, *rule;
	char		*why;

	if (o->state == ORIGIN_FAILED) {
		refuse(c, n, o->error);
		return;
	}
	path = strstr(n->url, "://");
	path = path ? path + 3 : n->url;
	path += strcspn(path, "/?#");
	if (robots_allowed(o->rules, *path ? path : "/", &rule)) {
		send_request(c, n, conditional);
		return;
	}
	xasprintf(&why, "disallowed by robots.txt (%s)", rule);
	refuse(c, n, why);
	free(why);
}

static void
on_robots(struct fetch_result *r, void *arg)
{
	struct origin	*o = arg;
	struct crawl	*c = o->c;
	struct parked	*parked = o->parked;
	struct buf	 b;
	double		 d;
	size_t		 i, n = o->nparked;

	if (r->status >= 200 && r->status <= 299 && r->file != NULL) {
		buf_init(&b, ROBOTS_MAX_SIZE + 1);
		if (fsutil_read(r->file, &b) == 0)
			o->rules = robots_parse(b.ptr ? b.ptr : "", b.len,
			    c->agent);
		buf_free(&b);
		o->state = ORIGIN_READY;
	} else if ((r->status >= 400 && r->status <= 499 &&
	    r->status != 429) || (r->status >= 300 && r->status <= 399))
		o->state = ORIGIN_READY;	/* no robots.txt: all allowed */
	else {
		o->state = ORIGIN_FAILED;
		xasprintf(&o->error, "not fetched: %s/robots.txt could not "
		    "be read (%s), so nothing on %s is fetched this pass "
		    "(try later)", o->url, r->error ? r->error :
		    "no response", o->url);
		log_warnx("%s: %s/robots.txt: %s: nothing on %s is fetched "
		    "this pass", c->src->name, o->url, r->error ? r->error :
		    "no response", o->url);
	}
	if ((d = robots_crawl_delay(o->rules)) > 0) {
		if (d > CRAWL_DELAY_CAP) {
			log_info("%s/robots.txt asks for a Crawl-delay of "
			    "%.0f s; waiting %.0f s", o->url, d,
			    CRAWL_DELAY_CAP);
			d = CRAWL_DELAY_CAP;
		}
		fetch_host_delay(c->fetch, o->url, d);
	}
	o->parked = NULL;
	o->nparked = 0;
	for (i = 0; i < n; i++)
		decide(c, o, parked[i].node, parked[i].conditional);
	free(parked);
}

/* Request n once its origin's robots.txt is known (or not consulted). */
static void
request(struct crawl *c, struct crawl_node *n, int conditional)
{
	struct origin	*o;
	struct fetch_req req;
	const char	*path;
	char		*origin, *url;

	if (!c->src->robots) {
		send_request(c, n, conditional);
		return;
	}
	origin = origin_of(n->url, &path);
	if ((o = strmap_get(c->origins, origin)) == NULL) {
		o = xcalloc(1, sizeof *o);
		o->c = c;
		o->url = xstrdup(origin);
		o->state = ORIGIN_WAIT;
		strmap_put(c->origins, origin, o);
		xasprintf(&url, "%s/robots.txt", origin);
		memset(&req, 0, sizeof req);
		req.url = url;
		req.flags = FETCH_FOLLOW | FETCH_UNCOUNTED | FETCH_PREFIX;
		req.max_size = ROBOTS_MAX_SIZE;
		fetch_add(c->fetch, &req, on_robots, o);
		free(url);
	}
	free(origin);
	if (o->state != ORIGIN_WAIT) {
		decide(c, o, n, conditional);
		return;
	}
	o->parked = xreallocarray(o->parked, o->nparked + 1,
	    sizeof *o->parked);
	o->parked[o->nparked].node = n;
	o->parked[o->nparked].conditional = conditional;
	o->nparked++;
}

/*
 * A URL with a kept copy that now redirects into a chain that ends
 * without one (a loop, too many hops, a failure at the target) keeps its
 * copy: it counts as failed, not as moved.  Returns how many changed;
 * their kept pages may have queued requests.
 */
static int
settle_chains(struct crawl *c)
{
	struct crawl_node	*n, *f;
	struct state_entry	*e;
	char			*why;
	size_t			 i;
	int			 changed = 0;

	for (i = 0; i < c->nnodes; i++) {
		n = c->nodev[i];
		if (n->outcome != CRAWL_REDIRECT || n->target == NULL)
			continue;
		f = crawl_final(n);
		if (f != NULL && (f->has_copy || f->outcome == CRAWL_PENDING))
			continue;
		e = state_get(c->state, n->url);
		if (e == NULL || e->path == NULL || e->blob == NULL ||
		    e->sha256 == NULL)
			continue;
		if (f == NULL)
			xasprintf(&why, "redirect loop (through '%s')",
			    crawl_location(n));
		else
			xasprintf(&why, "redirected to '%s': %s", f->url,
			    f->error ? f->error : "no copy");
		n->target = NULL;
		failed(c, n, f != NULL && f->outcome == CRAWL_GONE ?
		    CRAWL_GONE : CRAWL_FAILED, why);
		free(why);
		report(c, n, 1);
		changed++;
	}
	return changed;
}

int
crawl_run(struct crawl *c)
{
	char	*key = NULL;
	int	 rc;

	if (!c->src->robots)
		log_warnx("%s: robots.txt not consulted (source.%s.robots = "
		    "ignore)", c->src->name, c->src->name);
	if ((rc = url_canonical(c->src->url, &key)) != 0)
		return rc;
	c->root = visit(c, key, 0, 1, 1, 0, 0);
	free(key);
	do {
		if ((rc = fetch_run(c->fetch)) != 0)
			return rc;
	} while (settle_chains(c) > 0);
	return 0;
}
