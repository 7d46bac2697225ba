/*
 * sync.c -- one sync pass over one source: crawl -> name -> rewrite ->
 * index -> commit.
 *
 * Once the crawl has settled the link graph, the pass gives every resource
 * its file name (a name, once given, sticks; collisions under case folding
 * get a variant), rewrites each page and stylesheet from its original
 * bytes by splicing only link values, compares the result with what the
 * mirror holds, renders the index and makes exactly one commit when
 * anything changed, none otherwise.  The commit message is the audit log.
 * The state file is saved after the commit: a crash in between costs a
 * few unconditional requests, never a copy.
 *
 * Every page gets its readable text under text/, and so does every PDF:
 * a .txt with what pdf.c reads of it (title, author, pages, text) and
 * the copy's size, SHA-256 and URL.  A PDF is read only when its bytes
 * are new for its URL; otherwise its .txt is kept as it is, so the same
 * bytes keep the same .txt whatever time the reading of them took.  The
 * reader needs a file: the store writes the blob out a chunk at a time;
 * a PDF over PDF_READ_MAX is not read at all (copying it out costs more
 * than its title is worth): its .txt describes the copy only.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "crawl.h"
#include "err.h"
#include "fsutil.h"
#include "hash.h"
#include "html.h"
#include "catalog.h"
#include "index.h"
#include "lang.h"
#include "log.h"
#include "pathmap.h"
#include "pdf.h"
#include "state.h"
#include "store.h"
#include "strmap.h"
#include "sync.h"
#include "url.h"
#include "utc.h"
#include "xmalloc.h"

#define TEXT_MAX	(8u << 20)	/* readable text kept of one page */
#define SEARCH_TEXT_MAX	4096	/* of which the index searches */

/*
 * How the first link to a resource, breadth first, describes it.  kind is
 * NULL for a resource the pass reached, "link" or "hotline" for what the
 * index lists without a copy (a video, a tel: number).
 */
struct meta {
	char		*url;
	const char	*kind;
	char		*title;
	char		*section;
	char		*heading;
	char		*lang;
	char		*desc;
	int		 order;
};

/* One line of the commit body. */
struct change {
	const char	*verb;		/* "updated", "added", "removed", ... */
	char		*path;
	char		*url;
	char		*detail;
};

struct pass {
	const struct conf		*conf;
	const struct conf_source	*src;
	struct store			*store;
	struct state			*state;
	struct crawl			*crawl;
	char				*statefile;
	char				*tmpdir;
	char				*origdir;
	char				 head[STORE_OIDLEN + 1];
	int				 has_head;
	time_t				 started;
	struct strmap			*claimed;	/* folded path -> url */
	struct strmap			*dirs;		/* folded dir -> "" */
	struct strmap			*meta;		/* url -> struct meta */
	struct strmap			*texts;		/* url -> text blob */
	struct store_change		*tree;
	size_t				 ntree;
	struct change			*log;
	size_t				 nlog;
	int				 order;
	struct pdf_pool			*pdfs;		/* PDFs being read */
	struct strmap			*pdf_files;	/* url -> file read */
	size_t				 pdf_pending;
	unsigned			 npdfs;
	int				 pdf_rc;	/* a .txt not stored */
	struct sync_stats		*stats;
	struct index_source		*sx;		/* the index's sources */
	size_t				 nsx;
};

static void
tree_add(struct pass *p, const char *path, const char *blob)
{
	p->tree = xreallocarray(p->tree, p->ntree + 1, sizeof *p->tree);
	p->tree[p->ntree].path = xstrdup(path);
	p->tree[p->ntree].blob = blob ? xstrdup(blob) : NULL;
	p->ntree++;
}

static void
log_add(struct pass *p, const char *verb, const char *path, const char *url,
    const char *detail)
{
	struct change	*c;

	p->log = xreallocarray(p->log, p->nlog + 1, sizeof *p->log);
	c = &p->log[p->nlog++];
	c->verb = verb;
	c->path = path ? xstrdup(path) : NULL;
	c->url = url ? xstrdup(url) : NULL;
	c->detail = detail ? xstrdup(detail) : NULL;
}

static void
meta_free(void *v)
{
	struct meta	*m = v;

	free(m->url);
	free(m->title);
	free(m->section);
	free(m->heading);
	free(m->lang);
	free(m->desc);
	free(m);
}

static void
pass_free(struct pass *p)
{
	const char	*key;
	void		*value;
	size_t		 i;

	pdf_pool_free(p->pdfs);		/* readers still at work stop */
	for (i = 0; p->pdf_files != NULL &&
	    strmap_next(p->pdf_files, &i, &key, &value);)
		unlink(value);
	strmap_free(p->pdf_files, free);
	crawl_free(p->crawl);
	state_free(p->state);
	store_close(p->store);
	strmap_free(p->claimed, free);
	strmap_free(p->dirs, NULL);
	strmap_free(p->meta, meta_free);
	strmap_free(p->texts, free);
	for (i = 0; i < p->ntree; i++) {
		free((char *)p->tree[i].path);
		free((char *)p->tree[i].blob);
	}
	free(p->tree);
	for (i = 0; i < p->nlog; i++) {
		free(p->log[i].path);
		free(p->log[i].url);
		free(p->log[i].detail);
	}
	free(p->log);
	free(p->statefile);
	free(p->tmpdir);
	free(p->origdir);
}

static int
pass_open(struct pass *p)
{
	int	rc;

	if ((rc = store_open(p->conf->mirror_path, 1, &p->store)) != 0 ||
	    (rc = store_lock(p->store)) != 0)
		return rc;
	p->statefile = fsutil_join(store_private(p->store), "state");
	p->tmpdir = fsutil_join(store_private(p->store), "tmp");
	p->origdir = fsutil_join(store_private(p->store), "orig");
	if (fsutil_mkdirs(p->tmpdir, 0755) != 0 ||
	    fsutil_mkdirs(p->origdir, 0755) != 0)
		return -1;
	/* What a killed pass left: downloads, an unfinished state file. */
	fsutil_sweep(p->tmpdir, "dl-");
	fsutil_sweep(p->tmpdir, "pdf-");
	fsutil_sweep(store_private(p->store), "state.tmp.");
	if ((rc = state_load(p->statefile, &p->state)) != 0)
		return rc;
	rc = store_head(p->store, p->head);
	if (rc != 0 && rc != FERRY_ENOTFOUND)
		return rc;
	p->has_head = rc == 0;
	/* After a killed checkout or a hand edit: HEAD's files again. */
	return store_repair(p->store);
}

/* --- file names -------------------------------------------------------- */

/*
 * Claim path for url, unless another URL holds the same name under case
 * folding, or the name is needed as a directory, or a directory of it is
 * a file.  Returns 0 when claimed.
 */
static int
claim(struct pass *p, const char *path, const char *url)
{
	char		*fold, *slash;
	const char	*owner;

	fold = pathmap_fold(path);
	owner = strmap_get(p->claimed, fold);
	if ((owner != NULL && strcmp(owner, url) != 0) ||
	    strmap_get(p->dirs, fold) != NULL) {
		free(fold);
		return -1;
	}
	for (slash = strchr(fold, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		owner = strmap_get(p->claimed, fold);
		*slash = '/';
		if (owner != NULL) {
			free(fold);
			return -1;
		}
	}
	for (slash = strchr(fold, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		strmap_put(p->dirs, fold, "");
		*slash = '/';
	}
	free(strmap_put(p->claimed, fold, xstrdup(url)));
	free(fold);
	return 0;
}

static int
same_extension(const char *a, const char *b)
{
	const char	*x = strrchr(a, '.'), *y = strrchr(b, '.');

	if (x == NULL || y == NULL || strchr(x, '/') || strchr(y, '/'))
		return x == NULL && y == NULL;
	return strcmp(x, y) == 0;
}

/* Does this source keep the resource? Another live source may. */
static int
owned(struct pass *p, const struct crawl_node *n)
{
	struct state_entry	*e = state_get(p->state, n->url);

	return e == NULL || e->source == NULL ||
	    strcmp(e->source, p->src->name) == 0 ||
	    conf_source(p->conf, e->source) == NULL;
}

/* Keep the name the resource had, while the kind of content is the same. */
static int
name_sticky(struct pass *p, struct crawl_node *n)
{
	struct state_entry	*e = state_get(p->state, n->url);
	char			*path = NULL;
	int			 ok;

	if (e == NULL || e->path == NULL || !pathmap_is_safe(e->path) ||
	    pathmap_map(n->url, n->content_type, &path) != 0)
		return 0;
	ok = same_extension(e->path, path) && claim(p, e->path, n->url) == 0;
	free(path);
	if (ok)
		n->path = xstrdup(e->path);
	return ok;
}

static int
name_new(struct pass *p, struct crawl_node *n)
{
	char	*path = NULL, *v;

	if (pathmap_map(n->url, n->content_type, &path) != 0)
		return -1;
	if (claim(p, path, n->url) != 0) {
		v = pathmap_variant(path, n->url);
		free(path);
		path = v;
		if (claim(p, path, n->url) != 0) {
			free(path);
			return err_set("no free file name for '%s'", n->url);
		}
	}
	n->path = path;
	return 0;
}

static int
cmp_node_url(const void *a, const void *b)
{
	const struct crawl_node *x = *(const struct crawl_node *const *)a;
	const struct crawl_node *y = *(const struct crawl_node *const *)b;

	return strcmp(x->url, y->url);
}

/*
 * Name every resource that has a copy.  Names held by other sources come
 * first, then this source's existing names, then new ones in URL order,
 * so the outcome never depends on the order responses arrived in.
 */
static int
name_all(struct pass *p)
{
	struct state_entry	**ev;
	struct crawl_node	**nv, **sorted;
	size_t			  ne, nn, i;
	int			  rc = 0;

	ne = state_sorted(p->state, &ev);
	for (i = 0; i < ne; i++)
		if (ev[i]->path != NULL && (ev[i]->source == NULL ||
		    strcmp(ev[i]->source, p->src->name) != 0))
			claim(p, ev[i]->path, ev[i]->url);
	free(ev);
	nn = crawl_nodes(p->crawl, &nv);
	sorted = xreallocarray(NULL, nn + 1, sizeof *sorted);
	memcpy(sorted, nv, nn * sizeof *sorted);
	if (nn > 1)
		qsort(sorted, nn, sizeof *sorted, cmp_node_url);
	for (i = 0; i < nn; i++) {
		struct crawl_node *n = sorted[i];
		struct state_entry *e = state_get(p->state, n->url);

		if (!n->has_copy)
			continue;
		if (!owned(p, n)) {
			n->path = e && e->path ? xstrdup(e->path) : NULL;
			sorted[i] = NULL;
		} else if (name_sticky(p, n))
			sorted[i] = NULL;
	}
	for (i = 0; i < nn && rc == 0; i++)
		if (sorted[i] != NULL && sorted[i]->has_copy)
			rc = name_new(p, sorted[i]);
	free(sorted);
	return rc;
}

/* --- rewriting ----------------------------------------------------------- */

/*
 * Remember the first link (in breadth-first page order) to url, and the
 * language it shows (lang.c weighs the link's attributes, its text, the
 * URL and the language around it).
 */
static struct meta *
note(struct pass *p, const char *url, const char *kind,
    const struct html_link *l, const char *doclang)
{
	struct meta	*m;
	char		 lang[LANG_TAG_MAX] = "";

	if ((m = strmap_get(p->meta, url)) != NULL)
		return m;
	if (l != NULL)
		(void)lang_detect(l->own_lang, l->text, url, l->lang, doclang,
		    lang, sizeof lang);
	m = xcalloc(1, sizeof *m);
	m->url = xstrdup(url);
	m->kind = kind;
	m->title = xstrdup(l ? l->text : "");
	m->section = xstrdup(l ? l->section : "");
	m->heading = xstrdup(l ? l->heading : "");
	m->desc = xstrdup(l ? l->desc : "");
	m->lang = xstrdup(lang);
	m->order = p->order++;
	strmap_put(p->meta, url, m);
	return m;
}

/* Online resources the index lists though ferry keeps no copy. */
static int
is_video(const char *url)
{
	static const char *const hosts[] = {
		"www.youtube.com", "youtube.com", "m.youtube.com", "youtu.be",
		"vimeo.com", "player.vimeo.com",
	};
	char	*h = url_host(url);
	size_t	 i;
	int	 yes = 0;

	for (i = 0; h != NULL && i < sizeof hosts / sizeof hosts[0]; i++)
		yes |= strcmp(h, hosts[i]) == 0;
	free(h);
	return yes;
}

/* What the index lists from a link that leads to no kept copy. */
static void
note_extra(struct pass *p, const struct html_link *l, const char *abs,
    const char *doclang)
{
	if (strncasecmp(l->url, "tel:", 4) == 0)
		note(p, l->url, "hotline", l, doclang);
	else if (abs != NULL && l->kind == HTML_LINK_NAV && is_video(abs))
		note(p, abs, "link", l, doclang);
}

/* A reference with no scheme: "a/b", "/a", "//host/a", "?q". */
static int
is_relative(const char *ref)
{
	const char	*s = ref;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (s[0] == '/' && s[1] == '/')
		return 1;
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 1;
	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    (*s >= '0' && *s <= '9') || *s == '+' || *s == '-' || *s == '.')
		s++;
	return *s != ':';
}

/* Where a redirect chain that left the scope points online, or NULL. */
static const char *
chain_location(struct crawl_node *t)
{
	const char	*loc = NULL;
	int		 i;

	for (i = 0; t != NULL && i <= 20 && t->outcome == CRAWL_REDIRECT; i++) {
		loc = crawl_location(t);
		t = t->target;
	}
	return t == NULL ? loc : NULL;
}

/*
 * The new value of one link of page n: a relative path to the kept copy,
 * the absolute address for a relative link to something not kept, or
 * NULL to keep the original bytes.
 */
static char *
link_value(struct pass *p, struct crawl_node *n, const struct html_link *l,
    const char *base, const char *doclang, struct crawl_node **reached)
{
	struct crawl_node	*t, *f;
	const char		*frag, *loc;
	char			*abs = NULL, *key = NULL, *v = NULL;

	*reached = NULL;
	if (l->kind == HTML_LINK_BASE)
		return pathmap_href(n->path, n->path, NULL);
	if (l->url[0] == '#')
		return NULL;
	if (crawl_resolve(p->crawl, base, l->url, &abs, &key) != 0) {
		note_extra(p, l, NULL, doclang);
		return NULL;
	}
	frag = url_fragment(l->url);
	t = crawl_get(p->crawl, key);
	f = t ? crawl_final(t) : NULL;
	if (f != NULL && f->has_copy && f->path != NULL) {
		v = pathmap_href(n->path, f->path, frag);
		*reached = f;
	} else if (t != NULL && (loc = chain_location(t)) != NULL)
		xasprintf(&v, "%s%s", loc, frag ? frag : "");
	else if (is_relative(l->url))
		xasprintf(&v, "%s%s", abs, frag ? frag : "");
	if (*reached == NULL)
		note_extra(p, l, abs, doclang);
	free(abs);
	free(key);
	return v;
}

/* "site/h/a.html" -> "text/h/a.html.txt": where a page's text goes. */
char *
sync_text_path(const char *path)
{
	char	*t;

	xasprintf(&t, "text/%s.txt", strncmp(path, "site/", 5) == 0 ?
	    path + 5 : path);
	return t;
}

/* The readable text of page n, kept as a blob for text/ and search. */
static int
keep_text(struct pass *p, struct crawl_node *n, const struct buf *orig)
{
	struct buf	t = BUF_INIT;
	char		blob[STORE_OIDLEN + 1];
	int		rc;

	buf_init(&t, TEXT_MAX);
	if ((rc = html_text_ct(orig->ptr, orig->len, n->content_type,
	    &t)) == 0 &&
	    (rc = store_blob_buf(p->store, t.ptr ? t.ptr : "", t.len,
	    blob)) == 0)
		free(strmap_put(p->texts, n->url, xstrdup(blob)));
	buf_free(&t);
	return rc == FERRY_ETOOBIG ? 0 : rc;
}

/* Rewrite page (or stylesheet) n; queue what it links that has links. */
static int
rewrite(struct pass *p, struct crawl_node *n, struct crawl_node ***queue,
    size_t *nq, struct strmap *queued)
{
	struct html_doc		*doc = NULL;
	struct crawl_node	*f;
	struct buf		 in = BUF_INIT, out = BUF_INIT;
	struct meta		*m;
	char			**repl = NULL, *base = NULL, *key = NULL;
	char			 blob[STORE_OIDLEN + 1];
	size_t			 i;
	int			 rc = -1;

	if (crawl_parse_orig(n, &in, &doc) != 0)
		goto out;
	if ((m = strmap_get(p->meta, n->url)) != NULL && *m->title == '\0') {
		free(m->title);
		m->title = xstrdup(doc->title);
	}
	repl = xcalloc(doc->nlinks + 1, sizeof *repl);
	for (i = 0; i < doc->nlinks && base == NULL; i++)
		if (doc->links[i].kind == HTML_LINK_BASE)
			crawl_resolve(p->crawl, n->url, doc->links[i].url,
			    &base, &key);
	for (i = 0; i < doc->nlinks; i++) {
		const struct html_link *l = &doc->links[i];

		repl[i] = link_value(p, n, l, base ? base : n->url, doc->lang,
		    &f);
		if (f == NULL)
			continue;
		note(p, f->url, NULL, l, doc->lang);
		if (f->orig != NULL && ((f->is_html && f->page) || f->is_css) &&
		    strmap_put(queued, f->url, "") == NULL) {
			*queue = xreallocarray(*queue, *nq + 1,
			    sizeof **queue);
			(*queue)[(*nq)++] = f;
		}
	}
	if (html_rewrite(in.ptr, in.len, doc, repl, &out) != 0 ||
	    store_blob_buf(p->store, out.ptr, out.len, blob) != 0)
		goto out;
	free(n->blob);
	n->blob = xstrdup(blob);
	if (n->is_html && keep_text(p, n, &in) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		err_prefix("cannot rewrite '%s'", n->url);
	for (i = 0; repl != NULL && i < doc->nlinks; i++)
		free(repl[i]);
	free(repl);
	free(base);
	free(key);
	html_doc_free(doc);
	buf_free(&in);
	buf_free(&out);
	return rc;
}

/* Rewrite every page and stylesheet, breadth first from the source page. */
static int
rewrite_all(struct pass *p, struct crawl_node *root)
{
	struct crawl_node	**queue = NULL, **nv;
	struct strmap		 *queued = strmap_new();
	size_t			  nq = 0, i, nodes;
	int			  rc = 0;

	note(p, root->url, NULL, NULL, "");
	queue = xreallocarray(queue, 1, sizeof *queue);
	queue[nq++] = root;
	strmap_put(queued, root->url, "");
	for (i = 0; i < nq && rc == 0; i++)
		if (queue[i]->path != NULL)
			rc = rewrite(p, queue[i], &queue, &nq, queued);
	/* Anything with links that no page leads to any more, as is. */
	nodes = crawl_nodes(p->crawl, &nv);
	for (i = 0; i < nodes && rc == 0; i++)
		if (nv[i]->has_copy && nv[i]->orig != NULL && nv[i]->path &&
		    strmap_put(queued, nv[i]->url, "") == NULL)
			rc = rewrite(p, nv[i], &queue, &nq, queued);
	free(queue);
	strmap_free(queued, NULL);
	return rc;
}

/* --- the text of PDFs --------------------------------------------------- */

#define PDF_READ_MAX	((int64_t)256 << 20)	/* larger PDFs are not copied
						   out to be read */
#define PDF_PASS_MS	(10 * 60 * 1000)	/* reading PDFs, per pass */
#define PDF_BATCH	32			/* PDFs written out at once */

static const struct pdf_limits pdf_limits = PDF_LIMITS_DEFAULT;

/* Readers at once: one per processor. */
static size_t
cpus(void)
{
	long	n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (size_t)n : 1;
}

static int
is_pdf(const char *type)
{
	size_t	n;

	if (type == NULL)
		return 0;
	n = strcspn(type, "; \t");
	return (n == 15 && strncasecmp(type, "application/pdf", n) == 0) ||
	    (n == 17 && strncasecmp(type, "application/x-pdf", n) == 0);
}

/* Keep the .txt of PDF n, from what info says, as a blob. */
static int
keep_pdf_text(struct pass *p, struct crawl_node *n, struct pdf_info *info)
{
	struct pdf_copy	copy;
	struct buf	t = BUF_INIT;
	char		blob[STORE_OIDLEN + 1];
	int		rc;

	if (info->why != NULL && pdf_available())
		log_warnx("cannot read the text of '%s': %s", n->url,
		    info->why);
	copy.url = n->url;
	copy.sha256 = n->sha256 ? n->sha256 : "";
	copy.size = n->size;
	buf_init(&t, TEXT_MAX);
	if ((rc = pdf_format(info, &copy, &t)) == 0 &&
	    (rc = store_blob_buf(p->store, t.ptr, t.len, blob)) == 0)
		free(strmap_put(p->texts, n->url, xstrdup(blob)));
	buf_free(&t);
	return rc;
}

/*
 * A reader's answer for PDF n.  A reader that could not start is not
 * the PDF's fault: no .txt this pass, the next pass tries again.
 */
static void
pdf_done(void *tag, struct pdf_info *info, void *arg)
{
	struct pass		*p = arg;
	struct crawl_node	*n = tag;
	char			*file = strmap_del(p->pdf_files, n->url);

	if (file != NULL) {
		unlink(file);
		free(file);
	}
	p->pdf_pending--;
	if (info->local)
		log_warnx("cannot read '%s': %s (the next pass tries again)",
		    n->url, info->why);
	else if (keep_pdf_text(p, n, info) != 0 && p->pdf_rc == 0)
		p->pdf_rc = -1;
	pdf_info_free(info);
}

/* Whether PDF n needs reading: its bytes are new for its URL. */
static int
pdf_new(struct pass *p, const struct crawl_node *n)
{
	struct state_entry	*e;

	if (!is_pdf(n->content_type) || n->blob == NULL ||
	    strmap_get(p->texts, n->url) != NULL ||
	    strmap_get(p->pdf_files, n->url) != NULL)
		return 0;
	e = state_get(p->state, n->url);
	return e == NULL || e->blob == NULL || e->text_blob == NULL ||
	    !is_pdf(e->content_type) || strcmp(e->blob, n->blob) != 0;
}

/*
 * Hand PDF n, whose bytes are in file (the download, or a copy written
 * out of the store), to a reader; file is linked under a name of the
 * pass's, removed when the answer comes.
 */
static int
pdf_queue(struct pass *p, struct crawl_node *n, const char *file, int link_it)
{
	char	*own;

	xasprintf(&own, "%s/pdf-%ld-%u.pdf", p->tmpdir, (long)getpid(),
	    p->npdfs++);
	if (link_it ? link(file, own) == -1 : rename(file, own) == -1) {
		err_set("cannot keep '%s' for reading: %s", file,
		    strerror(errno));
		free(own);
		return -1;
	}
	strmap_put(p->pdf_files, n->url, own);
	p->pdf_pending++;
	pdf_pool_add(p->pdfs, own, n);
	return 0;
}

/*
 * A document has come in the crawl: a new PDF is read at once, from the
 * download itself, while the crawl goes on.  PDFs over PDF_READ_MAX and
 * any this misses are read after the crawl (pdf_texts).
 */
static void
on_body(struct crawl_node *n, const char *file, void *arg)
{
	struct pass	*p = arg;

	pdf_pool_poll(p->pdfs, 0);
	if (!pdf_available() || n->size > PDF_READ_MAX || !pdf_new(p, n) ||
	    pdf_pool_busy_ms(p->pdfs) >= PDF_PASS_MS)
		return;
	(void)pdf_queue(p, n, file, 1);
}

/*
 * The .txt of every PDF the pass keeps.  A PDF is read when its bytes
 * are new; otherwise its .txt stays as it was (it depends only on the
 * bytes and the URL).  Those the crawl did not hand over are written out
 * of the store, PDF_BATCH at a time.  Once readers have worked
 * PDF_PASS_MS in a pass, the rest wait for the next pass without a .txt
 * (a hostile source cannot hold a pass for hours with slow PDFs).
 */
static int
pdf_texts(struct pass *p)
{
	struct crawl_node	**nv, *n;
	struct pdf_info		  info;
	struct state_entry	 *e;
	char			 *file;
	size_t			  nn, i, later = 0;

	nn = crawl_nodes(p->crawl, &nv);
	for (i = 0; i < nn && p->pdf_rc == 0; i++) {
		n = nv[i];
		if (!n->has_copy || n->path == NULL || n->blob == NULL ||
		    !is_pdf(n->content_type) || !owned(p, n))
			continue;
		if (!pdf_new(p, n)) {
			e = state_get(p->state, n->url);
			if (strmap_get(p->texts, n->url) == NULL &&
			    strmap_get(p->pdf_files, n->url) == NULL)
				free(strmap_put(p->texts, n->url,
				    xstrdup(e->text_blob)));
			continue;
		}
		if (pdf_pool_busy_ms(p->pdfs) >= PDF_PASS_MS) {
			later++;
			continue;
		}
		if (!pdf_available()) {		/* answered at once */
			p->pdf_pending++;
			pdf_pool_add(p->pdfs, "", n);
			continue;
		}
		memset(&info, 0, sizeof info);
		if (n->size > PDF_READ_MAX) {
			xasprintf(&info.why, "the file is larger than %lld "
			    "MiB", (long long)(PDF_READ_MAX >> 20));
			info.title = xstrdup("");
			info.author = xstrdup("");
			if (keep_pdf_text(p, n, &info) != 0)
				p->pdf_rc = -1;
			pdf_info_free(&info);
			continue;
		}
		xasprintf(&file, "%s/pdf-%ld-out.pdf", p->tmpdir,
		    (long)getpid());
		if (store_blob_to_file(p->store, n->blob, file) != 0 ||
		    pdf_queue(p, n, file, 0) != 0) {
			log_warnx("cannot read '%s': %s (the next pass tries "
			    "again)", n->url, err_msg());
			unlink(file);
		}
		free(file);
		if (p->pdf_pending >= PDF_BATCH)
			pdf_pool_poll(p->pdfs, 1);
	}
	pdf_pool_poll(p->pdfs, 1);
	if (later > 0)
		log_warnx("%zu PDFs are left for the next pass to read: "
		    "reading PDFs took the %d minutes one pass allows",
		    later, PDF_PASS_MS / 60000);
	return p->pdf_rc;
}

/* --- what changed -------------------------------------------------------- */

static void
remove_path(struct pass *p, struct state_entry *e, const char *why)
{
	char		*fold = pathmap_fold(e->path);
	const char	*owner = strmap_get(p->claimed, fold);

	/* The name may have passed to another URL in this pass. */
	if (owner == NULL || strcmp(owner, e->url) == 0)
		tree_add(p, e->path, NULL);
	if (why != NULL) {
		log_add(p, "removed", e->path, e->url, why);
		p->stats->removed++;
	}
	free(fold);
	if (e->text_path != NULL)
		tree_add(p, e->text_path, NULL);
	state_set(&e->path, NULL);
	state_set(&e->blob, NULL);
	state_set(&e->text_path, NULL);
	state_set(&e->text_blob, NULL);
}

/* Keep text/ in step: a page's text, a PDF's .txt, none for the rest. */
static void
settle_text(struct pass *p, struct crawl_node *n, struct state_entry *e)
{
	const char	*blob = n->is_html || is_pdf(n->content_type) ?
			    strmap_get(p->texts, n->url) : NULL;
	char		*path = blob ? sync_text_path(n->path) : NULL;

	if (e->text_path != NULL && (path == NULL ||
	    strcmp(path, e->text_path) != 0))
		tree_add(p, e->text_path, NULL);
	if (path != NULL && (e->text_blob == NULL ||
	    strcmp(e->text_blob, blob) != 0 || e->text_path == NULL ||
	    strcmp(path, e->text_path) != 0))
		tree_add(p, path, blob);
	state_set(&e->text_path, path);
	state_set(&e->text_blob, blob);
	free(path);
}

/* Describe a resource, or a link the index lists, as its link does. */
static void
describe(struct state_entry *e, const struct meta *m)
{
	state_set(&e->title, m->title);
	state_set(&e->section, m->section);
	state_set(&e->heading, m->heading);
	state_set(&e->description, m->desc);
	state_set(&e->lang, m->lang);
	e->order = m->order;
}

static void
record_failure(struct pass *p, struct crawl_node *n, struct state_entry *e)
{
	char	*detail;

	xasprintf(&detail, "%s%s", n->error ? n->error : "failed",
	    n->has_copy ? ", previous copy kept" : "");
	log_add(p, "failed", NULL, n->url, detail);
	free(detail);
	p->stats->failed++;
	if (e->fails++ == 0)
		e->failing_since = (int64_t)p->started;
	state_set(&e->error, n->error);
}

static const char *
kind_of(const struct crawl_node *n)
{
	if (n->is_html)
		return "page";
	return n->nav ? "document" : "requisite";
}

/* Compare one reached resource with the mirror and update its record. */
static void
settle(struct pass *p, struct crawl_node *n)
{
	struct state_entry	*e = state_add(p->state, n->url);
	struct meta		*m = strmap_get(p->meta, n->url);
	int			 had = e->path != NULL, gone = 0;

	state_set(&e->source, p->src->name);
	if (n->outcome == CRAWL_REDIRECT) {
		state_set(&e->redirect, n->target ? n->target->url :
		    crawl_location(n));
		if (had)
			remove_path(p, e, "redirects elsewhere now");
	} else
		state_set(&e->redirect, NULL);
	if (n->outcome == CRAWL_FAILED || n->outcome == CRAWL_GONE) {
		record_failure(p, n, e);
		if (had && n->outcome == CRAWL_GONE &&
		    e->fails >= p->conf->remove_after) {
			remove_path(p, e, n->error);
			gone = 1;
		}
	} else if (n->outcome != CRAWL_PENDING) {
		e->fails = 0;
		e->failing_since = 0;
		state_set(&e->error, NULL);
		e->checked = (int64_t)p->started;
	}
	if (n->has_copy && n->path != NULL && !gone) {
		const char *verb = NULL;

		if (!had)
			verb = "added";
		else if (strcmp(e->path, n->path) != 0) {
			remove_path(p, e, NULL);
			verb = "updated";
		} else if (e->blob == NULL || strcmp(e->blob, n->blob) != 0)
			verb = "updated";
		if (verb != NULL) {
			tree_add(p, n->path, n->blob);
			log_add(p, verb, n->path, n->url, NULL);
			if (had)	/* a change since the first copy */
				e->changed = (int64_t)p->started;
			if (*verb == 'a')
				p->stats->added++;
			else
				p->stats->updated++;
		}
		state_set(&e->path, n->path);
		state_set(&e->blob, n->blob);
		state_set(&e->sha256, n->sha256);
		state_set(&e->content_type, n->content_type);
		state_set(&e->etag, n->etag);
		state_set(&e->last_modified, n->last_modified);
		state_set(&e->kind, kind_of(n));
		e->size = n->size;
		e->fetched = n->fetched;
		if (n->outcome == CRAWL_GONE)
			e->status = n->status;	/* withdrawn, copy kept */
		else if (n->outcome == CRAWL_FETCHED || n->outcome ==
		    CRAWL_SAME || e->status == 0)
			e->status = 200;
		settle_text(p, n, e);
		p->stats->resources++;
	}
	if (m != NULL)
		describe(e, m);
}

/* The links and hotlines the index lists without a copy. */
static void
settle_extras(struct pass *p)
{
	struct state_entry	*e;
	struct meta		*m;
	const char		*key;
	size_t			 pos = 0;

	while (strmap_next(p->meta, &pos, &key, (void **)&m)) {
		if (m->kind == NULL)
			continue;
		e = state_add(p->state, m->url);
		if (e->path != NULL || (e->source != NULL &&
		    strcmp(e->source, p->src->name) != 0 &&
		    conf_source(p->conf, e->source) != NULL))
			continue;	/* kept as a resource, or another's */
		state_set(&e->source, p->src->name);
		state_set(&e->kind, m->kind);
		describe(e, m);
	}
}

/* Settle every reached resource; drop what the source no longer links. */
static void
settle_all(struct pass *p)
{
	struct crawl_node	**nv;
	struct state_entry	**ev;
	size_t			  n, i;

	n = crawl_nodes(p->crawl, &nv);
	for (i = 0; i < n; i++)
		if (owned(p, nv[i]))
			settle(p, nv[i]);
	n = state_sorted(p->state, &ev);
	for (i = 0; i < n; i++) {
		if (ev[i]->source == NULL ||
		    strcmp(ev[i]->source, p->src->name) != 0 ||
		    crawl_get(p->crawl, ev[i]->url) != NULL)
			continue;
		if (ev[i]->path != NULL)
			remove_path(p, ev[i], "no longer linked from the source");
		state_remove(p->state, ev[i]->url);
	}
	free(ev);
	settle_extras(p);
}

/* --- index and commit ---------------------------------------------------- */

static int
source_rank(const struct conf *conf, const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < conf->nsources; i++)
		if (strcmp(conf->sources[i].name, name) == 0)
			return (int)i;
	return (int)conf->nsources;
}

static const struct conf *sort_conf;

static int
cmp_index(const void *a, const void *b)
{
	const struct state_entry *x = *(const struct state_entry *const *)a;
	const struct state_entry *y = *(const struct state_entry *const *)b;
	int	rx = source_rank(sort_conf, x->source);
	int	ry = source_rank(sort_conf, y->source);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->url, y->url);
}

static const char *
str(const char *s)
{
	return s ? s : "";
}

/*
 * The first SEARCH_TEXT_MAX bytes of a page's text, or of what a PDF's
 * .txt holds for searching, for the search.
 */
static char *
search_text(struct pass *p, const struct state_entry *e)
{
	struct buf	b = BUF_INIT;
	size_t		n;
	char		*s;

	buf_init(&b, TEXT_MAX);
	if (e->text_blob == NULL ||
	    store_read_blob(p->store, e->text_blob, &b) != 0) {
		buf_free(&b);
		return xstrdup("");
	}
	if (is_pdf(e->content_type) && b.ptr != NULL) {
		s = pdf_search_text(b.ptr, b.len);
		buf_reset(&b);
		buf_addstr(&b, s);
		free(s);
	}
	for (n = b.len < SEARCH_TEXT_MAX ? b.len : SEARCH_TEXT_MAX;
	    n > 0 && n < b.len && ((unsigned char)b.ptr[n] & 0xc0) == 0x80;)
		n--;
	b.len = n;
	if (b.ptr != NULL)
		b.ptr[n] = '\0';
	return buf_detach(&b);
}

/*
 * One index entry from a record, with the administrator's overrides from
 * catalog.conf; 0 when the index does not list it (nothing kept, or
 * hidden).
 */
static int
index_entry_of(struct pass *p, const struct catalog *cat,
    const struct state_entry *e, struct index_entry *x, char **text)
{
	const struct catalog_override *o;
	int			  link = e->kind && !strcmp(e->kind, "link");
	size_t			  i;

	if ((e->path == NULL || e->blob == NULL) && !link)
		return 0;
	o = catalog_find(cat, str(e->path), e->url);
	if (o != NULL && o->hidden)
		return 0;
	x->source = str(e->source);
	x->source_url = "";
	for (i = 0; i < p->nsx; i++)
		if (strcmp(p->sx[i].name, x->source) == 0)
			x->source_url = p->sx[i].url;
	x->url = e->url;
	x->path = str(e->path);
	x->sha256 = str(e->sha256);
	x->content_type = str(e->content_type);
	x->title = str(e->title);
	x->section = str(e->section);
	x->description = str(e->description);
	x->note = "";
	x->lang = str(e->lang);
	x->kind = e->kind ? e->kind : "document";
	x->text = *text = search_text(p, e);
	x->size = e->size;
	x->fetched = e->fetched;
	x->changed = e->changed;
	x->withdrawn = e->status == 404 || e->status == 410 ?
	    e->failing_since : 0;
	x->status = e->status;
	x->order = e->order;
	if (o != NULL) {
		x->title = o->title ? o->title : x->title;
		x->section = o->section ? o->section : x->section;
		x->lang = o->lang ? o->lang : x->lang;
		x->note = o->note ? o->note : x->note;
		x->order = o->has_order ? o->order : x->order;
	}
	return 1;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct index_entry	*x = a, *y = b;
	int				 rx, ry;

	rx = source_rank(sort_conf, x->source);
	ry = source_rank(sort_conf, y->source);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->url, y->url);
}

/*
 * The administrator's catalog.conf from the working tree, committed with
 * the pass so its history is audited too.  A bad entry is reported and
 * skipped; the rest applies.
 */
static struct catalog *
load_overrides(struct pass *p)
{
	struct catalog	*cat = NULL;
	struct buf	 problems = BUF_INIT, b = BUF_INIT;
	char		*file, *line, *save = NULL, blob[STORE_OIDLEN + 1];

	file = fsutil_join(store_root(p->store), "catalog.conf");
	if (catalog_load(file, &cat, &problems) != 0) {
		log_warnx("%s (the catalog's overrides are not applied)",
		    err_msg());
		cat = NULL;
	}
	for (line = problems.ptr ? strtok_r(problems.ptr, "\n", &save) :
	    NULL; line != NULL; line = strtok_r(NULL, "\n", &save))
		log_warnx("%s", line);
	buf_init(&b, 16u << 20);
	if (fsutil_read(file, &b) == 0 &&
	    store_blob_buf(p->store, b.ptr, b.len, blob) == 0)
		tree_add(p, "catalog.conf", blob);
	buf_free(&b);
	buf_free(&problems);
	free(file);
	return cat;
}

static int	collect_local(struct pass *);
static int	stage_local(struct pass *);

/*
 * The sources the index names: those configured, or, in a mirror that
 * follows a hub, those of the hub's catalog (state entries of kind
 * "source", in their order).
 */
static struct index_source *
index_sources(struct pass *p, struct state_entry **ev, size_t n)
{
	struct index_source	*sx, t;
	int			*order;
	size_t			 i, j, k = 0;

	sx = xcalloc(p->conf->nsources + n + 1, sizeof *sx);
	order = xcalloc(n + 1, sizeof *order);
	for (i = 0; i < p->conf->nsources; i++) {
		sx[k].name = p->conf->sources[i].name;
		sx[k].url = p->conf->sources[i].url;
		sx[k++].title = "";
	}
	for (i = 0; p->conf->nsources == 0 && i < n; i++) {
		if (ev[i]->kind == NULL || strcmp(ev[i]->kind, "source") != 0)
			continue;
		/* Few sources: an insertion by order. */
		for (j = k; j > 0 && order[j - 1] > ev[i]->order; j--) {
			sx[j] = sx[j - 1];
			order[j] = order[j - 1];
		}
		t.name = str(ev[i]->source);
		t.url = str(ev[i]->description);
		t.title = str(ev[i]->title);
		sx[j] = t;
		order[j] = ev[i]->order;
		k++;
	}
	free(order);
	p->sx = sx;
	p->nsx = k;
	return sx;
}

/*
 * index.html, search.js, index.json and README.txt from every configured
 * source, every kept resource and the links and hotlines they list, and
 * the files the site added under local/.
 */
static int
render_index(struct pass *p)
{
	static const struct {
		const char	*path;
		int		(*render)(const struct index_catalog *,
				    struct buf *);
	} files[] = {
		{ "index.html", index_html },
		{ "search.js", index_search },
		{ "index.json", index_json },
		{ "README.txt", index_readme },
	};
	struct state_entry	**ev;
	struct index_entry	 *ix;
	struct index_hotline	 *hx;
	struct index_source	 *sx;
	struct index_catalog	  cat;
	struct catalog		 *over;
	struct buf		  b = BUF_INIT;
	char			  blob[STORE_OIDLEN + 1], **texts;
	size_t			  n, i, k = 0, h = 0;
	int			  rc = 0;

	over = load_overrides(p);
	rc = collect_local(p);

	n = state_sorted(p->state, &ev);
	sx = index_sources(p, ev, n);
	sort_conf = p->conf;
	if (n > 1)
		qsort(ev, n, sizeof *ev, cmp_index);
	ix = xcalloc(n + 1, sizeof *ix);
	hx = xcalloc(n + 1, sizeof *hx);
	texts = xcalloc(n + 1, sizeof *texts);
	for (i = 0; i < n; i++) {
		const struct state_entry *e = ev[i];

		if (e->kind != NULL && strcmp(e->kind, "hotline") == 0) {
			hx[h].source = str(e->source);
			hx[h].number = str(e->title);
			hx[h].tel = e->url;
			hx[h].heading = str(e->heading);
			hx[h].details = str(e->description);
			hx[h++].order = e->order;
		} else if (index_entry_of(p, over, e, &ix[k], &texts[k]))
			k++;
	}
	if (k > 1)
		qsort(ix, k, sizeof *ix, cmp_entry);
	cat = (struct index_catalog){
		.sources = sx, .nsources = p->nsx,
		.entries = ix, .nentries = k, .hotlines = hx, .nhotlines = h,
	};
	for (i = 0; i < sizeof files / sizeof files[0] && rc == 0; i++) {
		buf_reset(&b);
		if ((rc = files[i].render(&cat, &b)) == 0 &&
		    (rc = store_blob_buf(p->store, b.ptr ? b.ptr : "", b.len,
		    blob)) == 0)
			tree_add(p, files[i].path, blob);
	}
	for (i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	catalog_free(over);
	buf_free(&b);
	free(sx);
	free(ix);
	free(hx);
	free(ev);
	return rc;
}

static int
cmp_change(const void *a, const void *b)
{
	const struct change	*x = a, *y = b;
	static const char	*order = "uarf";	/* updated added ... */
	const char		*px = strchr(order, x->verb[0]);
	const char		*py = strchr(order, y->verb[0]);

	if (px != py)
		return px < py ? -1 : 1;
	return strcmp(x->path ? x->path : x->url, y->path ? y->path : y->url);
}

/* The audit log entry: counts, each change, each failure, trailers. */
static char *
message(struct pass *p)
{
	struct sync_stats	*st = p->stats;
	struct buf		 b = BUF_INIT;
	const char		*sep = " ";
	char			 t0[UTC_LEN + 1], t1[UTC_LEN + 1];
	size_t			 i;
	const struct {
		int		 n;
		const char	*what;
	} counts[] = {
		{ st->updated, "updated" }, { st->added, "added" },
		{ st->removed, "removed" }, { st->failed, "failed" },
	};

	buf_addf(&b, "sync %s:", p->src->name);
	for (i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		if (counts[i].n == 0)
			continue;
		buf_addf(&b, "%s%d %s", sep, counts[i].n, counts[i].what);
		sep = ", ";
	}
	if (*sep == ' ')
		buf_addstr(&b, " index updated");
	buf_addstr(&b, "\n\n");
	if (p->nlog > 1)
		qsort(p->log, p->nlog, sizeof *p->log, cmp_change);
	for (i = 0; i < p->nlog; i++) {
		const struct change *c = &p->log[i];

		if (c->path != NULL)
			buf_addf(&b, "%-8s %s\n         %s%s%s%s\n", c->verb,
			    c->path, c->url, c->detail ? " (" : "",
			    c->detail ? c->detail : "", c->detail ? ")" : "");
		else
			buf_addf(&b, "%-8s %s (%s)\n", c->verb, c->url,
			    c->detail ? c->detail : "failed");
	}
	utc_format(p->started, t0);
	utc_format(time(NULL), t1);
	buf_addf(&b, "%sFerry-Source: %s\nFerry-Started: %s\n"
	    "Ferry-Finished: %s\nFerry-Requests: %lld\nFerry-Bytes: %lld\n",
	    p->nlog ? "\n" : "", p->src->name, t0, t1,
	    (long long)st->requests, (long long)st->bytes);
	return buf_detach(&b);
}

/*
 * Commit the pass's tree with msg, then bring the working tree and git's
 * index in step.  The state is saved as soon as the commit is made, so
 * that it describes HEAD even when what follows fails or is killed.
 */
static int
commit(struct pass *p, const char *msg)
{
	int	rc;

	rc = store_commit(p->store, p->has_head ? p->head : NULL, p->tree,
	    p->ntree, p->conf->author_name, p->conf->author_email, msg,
	    p->stats->commit);
	if (rc == FERRY_EUNCHANGED)
		p->stats->commit[0] = '\0';
	else if (rc != 0)
		return rc;
	rc = state_save(p->state, p->statefile, p->conf->fsync);
	if (rc != 0 || p->stats->commit[0] == '\0')
		return rc;
	if ((rc = store_apply(p->store, p->tree, p->ntree)) != 0)
		return rc;
	return stage_local(p);
}

/* Drop kept originals that no record refers to any more. */
static void
prune_originals(struct pass *p)
{
	struct strmap		 *live = strmap_new();
	struct state_entry	**ev;
	struct dirent		 *de;
	DIR			 *d;
	size_t			  n, i;
	char			 *f;

	n = state_sorted(p->state, &ev);
	for (i = 0; i < n; i++)
		if (ev[i]->sha256 != NULL && ev[i]->path != NULL)
			strmap_put(live, ev[i]->sha256, "");
	free(ev);
	if ((d = opendir(p->origdir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.' ||
			    strmap_get(live, de->d_name) != NULL)
				continue;
			f = fsutil_join(p->origdir, de->d_name);
			unlink(f);
			free(f);
		}
		closedir(d);
	}
	strmap_free(live, NULL);
}

static int
check_root(struct pass *p)
{
	struct crawl_node	*root = crawl_root(p->crawl);
	struct crawl_node	*f = crawl_final(root);

	if (f == NULL || !f->has_copy || (f->outcome != CRAWL_FETCHED &&
	    f->outcome != CRAWL_SAME))
		return err_set("cannot fetch the source page '%s': %s (the "
		    "mirror is unchanged)", p->src->url,
		    f && f->error ? f->error : root->error ? root->error :
		    "redirect loop");
	if (!f->is_html)
		return err_set("the source page '%s' is not an HTML page but "
		    "'%s' (point source.%s.url at the page that links the "
		    "resources)", p->src->url, str(f->content_type),
		    p->src->name);
	return 0;
}

/* One pass over one source; the mirror is locked throughout. */
int
sync_source(const struct conf *conf, const struct conf_source *src,
    sync_progress_cb *progress, void *arg, struct sync_stats *stats)
{
	struct pass	 p;
	struct timespec	 t0, t1;
	char		*msg;
	int		 rc;

	memset(&p, 0, sizeof p);
	memset(stats, 0, sizeof *stats);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	p.conf = conf;
	p.src = src;
	p.stats = stats;
	p.started = time(NULL);
	p.claimed = strmap_new();
	p.dirs = strmap_new();
	p.meta = strmap_new();
	p.texts = strmap_new();
	if ((rc = pass_open(&p)) != 0)
		goto out;
	p.crawl = crawl_new(conf, src, p.store, p.state, p.tmpdir, p.origdir);
	crawl_set_progress(p.crawl, progress, arg);
	p.pdf_files = strmap_new();
	p.pdfs = pdf_pool_new(&pdf_limits, cpus(), pdf_done, &p);
	crawl_set_body(p.crawl, on_body, &p);
	if ((rc = crawl_run(p.crawl)) != 0 || (rc = check_root(&p)) != 0)
		goto out;
	crawl_counters(p.crawl, &stats->requests, &stats->bytes);
	if ((rc = name_all(&p)) != 0 ||
	    (rc = rewrite_all(&p, crawl_final(crawl_root(p.crawl)))) != 0 ||
	    (rc = pdf_texts(&p)) != 0)
		goto out;
	settle_all(&p);
	if ((rc = render_index(&p)) != 0)
		goto out;
	msg = message(&p);
	rc = commit(&p, msg);
	free(msg);
	if (rc != 0)
		goto out;
	prune_originals(&p);
	store_autopack(p.store, conf->gc_threshold);
	rc = 0;
out:
	if (rc != 0 && p.store != NULL) {
		char *why = xstrdup(err_msg());

		store_discard(p.store);	/* a first pass that failed */
		err_set("%s", why);
		free(why);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	stats->seconds = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	pass_free(&p);
	return rc;
}

/* --- the site's own files and edits ------------------------------------- */

#define LOCAL_DEPTH	16	/* directories below local/ */
#define EDIT_SUBJECT	72	/* columns of an edit commit's subject */
#define EDIT_HOW	"edited by hand in the mirror"

/* A regular file under local/, stored as a blob. */
struct local_file {
	char	*path;
	char	 blob[STORE_OIDLEN + 1];
	char	 sha256[HASH_HEXLEN + 1];
	int64_t	 size;
};

/*
 * One walk of local/.  files are the files taken; refused holds the paths
 * (files and directories) that were refused, whose committed copies are
 * kept as they are.
 */
struct local_walk {
	struct pass		*p;
	dev_t			 dev;
	struct local_file	*files;
	size_t			 nfiles;
	struct strmap		*refused;
	struct strmap		*seen;		/* paths taken in */
};

static void
local_refuse(struct local_walk *w, const char *path, const char *why)
{
	log_warnx("cannot add '%s': %s", path, why);
	strmap_put(w->refused, path, "");
}

/*
 * Store the file name in directory dir as a blob.  It is opened without
 * following a link and read through its descriptor (/proc/self/fd, where
 * there is one), so what is stored is the file that was checked even if
 * the name changes meanwhile.  A file that cannot be opened is refused.
 */
static int
local_take(struct local_walk *w, int dir, const char *name, const char *path)
{
	struct local_file	 f;
	struct state_entry	*e;
	struct stat		 st;
	char			 proc[64], *file = NULL;
	int			 fd, rc = -1;

	memset(&f, 0, sizeof f);
	if ((fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1 || fstat(fd, &st) == -1) {
		local_refuse(w, path, strerror(errno));
		rc = 0;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {	/* replaced since it was listed */
		local_refuse(w, path, "not a regular file");
		rc = 0;
		goto out;
	}
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	file = access(proc, F_OK) == 0 ? xstrdup(proc) :
	    fsutil_join(store_root(w->p->store), path);
	if (store_blob_file(w->p->store, file, f.blob) != 0)
		goto out;
	e = state_get(w->p->state, path);
	if (e == NULL || e->blob == NULL || e->sha256 == NULL ||
	    strcmp(e->blob, f.blob) != 0) {
		if (hash_file(file, f.sha256) != 0)
			goto out;
	} else
		snprintf(f.sha256, sizeof f.sha256, "%s", e->sha256);
	f.path = xstrdup(path);
	f.size = (int64_t)st.st_size;
	w->files = xreallocarray(w->files, w->nfiles + 1, sizeof *w->files);
	w->files[w->nfiles++] = f;
	rc = 0;
out:
	if (rc != 0)
		err_prefix("cannot add '%s'", path);
	if (fd != -1)
		close(fd);
	free(file);
	return rc;
}

/*
 * Every regular file under the directory dir (the mirror path path).
 * Symbolic links, other file systems, special files and names a FAT32,
 * exFAT or NTFS stick cannot hold are refused, each with a warning;
 * hidden names (".x.swp", ".DS_Store") are editors' and systems' files
 * and are skipped.  dir is closed when done.
 */
static int
local_walk_dir(struct local_walk *w, int dir, const char *path, int depth)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*sub;
	int		 fd, rc = 0;

	if ((d = fdopendir(dir)) == NULL) {
		close(dir);
		local_refuse(w, path, strerror(errno));
		return 0;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		xasprintf(&sub, "%s/%s", path, de->d_name);
		if (fstatat(dirfd(d), de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) == -1)
			local_refuse(w, sub, strerror(errno));
		else if (S_ISLNK(st.st_mode))
			local_refuse(w, sub, "it is a symbolic link, which "
			    "could lead outside the mirror (copy the file "
			    "itself into local/)");
		else if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
			local_refuse(w, sub, "not a regular file");
		else if (st.st_dev != w->dev)
			local_refuse(w, sub, "it is on another file system, "
			    "outside the mirror");
		else if (!pathmap_is_safe(sub))
			local_refuse(w, sub, "the name is too long or cannot "
			    "be written on a FAT32, exFAT or NTFS stick "
			    "(rename it)");
		else if (S_ISREG(st.st_mode))
			rc = local_take(w, dirfd(d), de->d_name, sub);
		else if (depth >= LOCAL_DEPTH)
			local_refuse(w, sub, "too many directories deep");
		else if ((fd = openat(dirfd(d), de->d_name, O_RDONLY |
		    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1)
			local_refuse(w, sub, strerror(errno));
		else
			rc = local_walk_dir(w, fd, sub, depth + 1);
		free(sub);
	}
	closedir(d);
	return rc;
}

static int
cmp_local(const void *a, const void *b)
{
	return strcmp(((const struct local_file *)a)->path,
	    ((const struct local_file *)b)->path);
}

/* Whether path or a directory above it was refused. */
static int
local_refused(struct local_walk *w, const char *path)
{
	char	*s = xstrdup(path), *slash;
	int	 yes;

	while (!(yes = strmap_get(w->refused, s) != NULL) &&
	    (slash = strrchr(s, '/')) != NULL)
		*slash = '\0';
	free(s);
	return yes;
}

/* Log an administrator's change to path whose new blob is blob. */
static void
local_log(struct pass *p, const char *path, const char *blob)
{
	char	hex[STORE_OIDLEN + 1];
	int	in_head = store_lookup(p->store, path, hex) == 0;

	err_clear();
	if (blob != NULL && !in_head)
		log_add(p, "added", path, EDIT_HOW, NULL);
	else if (blob != NULL && strcmp(hex, blob) != 0)
		log_add(p, "updated", path, EDIT_HOW, NULL);
	else if (blob == NULL && in_head) {
		tree_add(p, path, NULL);
		log_add(p, "removed", path, EDIT_HOW, NULL);
	}
}

/* A file of HEAD's local/ no longer there is removed; a refused one stays. */
static int
local_gone(const struct store_file *f, void *arg)
{
	struct local_walk	*w = arg;

	if (strmap_get(w->seen, f->path) == NULL &&
	    !local_refused(w, f->path))
		local_log(w->p, f->path, NULL);
	return 0;
}

/*
 * Record the files taken in the state, the tree and the log.  What is
 * gone is found in HEAD, not in the state, which a commit whose pass
 * died before saving it leaves behind.
 */
static int
local_settle(struct local_walk *w)
{
	struct pass		 *p = w->p;
	struct state_entry	**ev, *e;
	const char		 *name;
	char			  lang[LANG_TAG_MAX];
	size_t			  i, n;

	if (w->nfiles > 1)
		qsort(w->files, w->nfiles, sizeof *w->files, cmp_local);
	for (i = 0; i < w->nfiles; i++) {
		struct local_file *f = &w->files[i];

		if ((e = state_get(p->state, f->path)) == NULL) {
			e = state_add(p->state, f->path);
			e->fetched = (int64_t)p->started;
		} else if (e->blob != NULL && strcmp(e->blob, f->blob) != 0)
			e->changed = (int64_t)p->started;
		local_log(p, f->path, f->blob);
		tree_add(p, f->path, f->blob);
		name = strrchr(f->path, '/') + 1;
		(void)lang_detect(NULL, name, f->path, NULL, NULL, lang,
		    sizeof lang);
		state_set(&e->source, NULL);
		state_set(&e->kind, "local");
		state_set(&e->path, f->path);
		state_set(&e->blob, f->blob);
		state_set(&e->sha256, f->sha256);
		state_set(&e->title, name);
		state_set(&e->lang, lang);
		e->size = f->size;
		e->order = (int)i;
		strmap_put(w->seen, f->path, "");
	}
	if (p->has_head &&
	    store_tree_files(p->store, p->head, "local", local_gone, w) != 0)
		return -1;
	n = state_sorted(p->state, &ev);
	for (i = 0; i < n; i++) {
		e = ev[i];
		if (e->kind != NULL && strcmp(e->kind, "local") == 0 &&
		    e->path != NULL && strmap_get(w->seen, e->path) == NULL &&
		    !local_refused(w, e->path))
			state_remove(p->state, e->url);
	}
	free(ev);
	return 0;
}

/*
 * The administrators' files: every regular file under local/, committed
 * as it is and listed in the index (kind "local"), and catalog.conf,
 * which load_overrides() has put in the tree.  Each change is logged.
 * Nothing outside the mirror is read: local/ itself and everything under
 * it is opened without following a symbolic link.  An edit (a pass with
 * no source) counts the refused files as failures.
 */
static int
collect_local(struct pass *p)
{
	struct local_walk	 w;
	struct stat		 st;
	const char		*blob = NULL;
	char			*file;
	size_t			 i;
	int			 root, dir = -1, rc = -1;

	memset(&w, 0, sizeof w);
	w.p = p;
	w.refused = strmap_new();
	w.seen = strmap_new();
	if ((root = open(store_root(p->store), O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		err_set("cannot open mirror '%s': %s", store_root(p->store),
		    strerror(errno));
		goto out;
	}
	if (fstatat(root, "local", &st, AT_SYMLINK_NOFOLLOW) == 0) {
		w.dev = st.st_dev;
		if (S_ISLNK(st.st_mode))
			local_refuse(&w, "local", "it is a symbolic link, "
			    "which could lead outside the mirror (make local "
			    "a directory)");
		else if (!S_ISDIR(st.st_mode))
			local_refuse(&w, "local", "not a directory");
		else if ((dir = openat(root, "local", O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC)) == -1)
			local_refuse(&w, "local", strerror(errno));
		else if (local_walk_dir(&w, dir, "local", 0) != 0)
			goto out;
	} else if (errno != ENOENT) {
		local_refuse(&w, "local", strerror(errno));
	}
	if (local_settle(&w) != 0)
		goto out;
	for (i = 0; i < p->ntree; i++)
		if (strcmp(p->tree[i].path, "catalog.conf") == 0)
			blob = p->tree[i].blob;
	file = fsutil_join(store_root(p->store), "catalog.conf");
	/* An unreadable catalog.conf keeps its copy; a removed one goes. */
	if (blob != NULL || (lstat(file, &st) == -1 && errno == ENOENT))
		local_log(p, "catalog.conf", blob);
	free(file);
	if (p->src == NULL) {
		p->stats->resources = (int)w.nfiles;
		p->stats->failed = (int)strmap_count(w.refused);
	}
	rc = 0;
out:
	if (root != -1)
		close(root);
	for (i = 0; i < w.nfiles; i++)
		free(w.files[i].path);
	free(w.files);
	strmap_free(w.refused, NULL);
	strmap_free(w.seen, NULL);
	return rc;
}

/* The administrators' files are committed as they are on disk. */
static int
stage_local(struct pass *p)
{
	size_t	i;
	int	rc;

	if ((rc = store_stage(p->store, "catalog.conf")) != 0)
		return rc;
	for (i = 0; i < p->nlog; i++)
		if (p->log[i].path != NULL &&
		    strncmp(p->log[i].path, "local/", 6) == 0 &&
		    (rc = store_stage(p->store, p->log[i].path)) != 0)
			return rc;
	return 0;
}

/* "edit: local/a.pdf, catalog.conf", then one line per change. */
static char *
edit_message(struct pass *p)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	if (p->nlog > 1)
		qsort(p->log, p->nlog, sizeof *p->log, cmp_change);
	if (p->nlog == 0)
		buf_addstr(&b, "index: regenerated");
	else
		buf_addf(&b, "edit: %s", p->log[0].path);
	for (i = 1; i < p->nlog; i++) {
		if (b.len + 2 + strlen(p->log[i].path) > EDIT_SUBJECT) {
			buf_addf(&b, " and %zu more", p->nlog - i);
			break;
		}
		buf_addf(&b, ", %s", p->log[i].path);
	}
	buf_addstr(&b, "\n\n");
	for (i = 0; i < p->nlog; i++)
		buf_addf(&b, "%-8s %s\n", p->log[i].verb, p->log[i].path);
	return buf_detach(&b);
}

/*
 * Regenerate the index from what ferry knows (the state) and the
 * administrators' files in the working tree (catalog.conf, local/),
 * fetching nothing, and commit when anything changed.  The mirror is
 * locked throughout.  stats counts the administrators' changes; failed
 * counts the files refused under local/.
 */
int
sync_index(const struct conf *conf, struct sync_stats *stats)
{
	struct pass	p;
	struct timespec	t0, t1;
	char		*msg = NULL;
	size_t		 i;
	int		 rc;

	memset(&p, 0, sizeof p);
	memset(stats, 0, sizeof *stats);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	p.conf = conf;
	p.stats = stats;
	p.started = time(NULL);
	if ((rc = store_open(conf->mirror_path, 0, &p.store)) != 0 ||
	    (rc = store_lock(p.store)) != 0)
		goto out;
	p.statefile = fsutil_join(store_private(p.store), "state");
	if ((rc = state_load(p.statefile, &p.state)) != 0)
		goto out;
	rc = store_head(p.store, p.head);
	if (rc != 0 && rc != FERRY_ENOTFOUND)
		goto out;
	p.has_head = rc == 0;
	err_clear();
	if ((rc = render_index(&p)) != 0)
		goto out;
	msg = edit_message(&p);
	if ((rc = commit(&p, msg)) != 0)
		goto out;
	for (i = 0; i < p.nlog; i++) {
		if (*p.log[i].verb == 'a')
			stats->added++;
		else if (*p.log[i].verb == 'u')
			stats->updated++;
		else
			stats->removed++;
	}
out:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	stats->seconds = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	free(msg);
	pass_free(&p);
	return rc;
}
