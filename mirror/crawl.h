/* crawl.h -- the link graph of one source, walked through the fetch engine */
#ifndef FERRY_CRAWL_H
#define FERRY_CRAWL_H

#include <stdint.h>

struct html_doc;
struct conf;
struct conf_source;
struct state;
struct store;
struct buf;

enum crawl_outcome {
	CRAWL_PENDING,		/* not fetched (out of budget or never asked) */
	CRAWL_FETCHED,		/* a new body came (200) */
	CRAWL_SAME,		/* the stored copy is current (304) */
	CRAWL_REDIRECT,		/* answered with a redirect to target */
	CRAWL_FAILED,		/* failed; a previous copy may be kept */
	CRAWL_GONE		/* 404 or 410 */
};

/*
 * One URL reached in this pass, keyed by its canonical URL.  A node has a
 * copy (has_copy) when its body is new or its stored copy still stands;
 * for HTML pages and stylesheets, orig is the file holding the body as
 * the server sent it (links are rewritten from it, never from a rewritten
 * copy); other bodies are already blobs.  depth counts page hops from the
 * source page.
 */
struct crawl_node {
	char			*url;
	int			 depth;
	int			 page;		/* may be followed as a page */
	int			 nav;		/* reached by a navigation link */
	int			 expect_doc;	/* the link named a document */
	int			 expanded;	/* depth its links were read at,
						   -1 when not yet */
	int			 hops;		/* redirects before this URL */
	int			 refetched;
	enum crawl_outcome	 outcome;
	struct crawl_node	*target;	/* CRAWL_REDIRECT */
	char			*error;
	int			 has_copy;
	int			 is_html;
	int			 is_css;
	int			 status;
	char			*content_type;
	char			*sha256;
	char			*blob;
	char			*orig;
	char			*etag;
	char			*last_modified;
	int64_t			 size;
	int64_t			 fetched;
	char			*path;		/* set by the pass */
};

/*
 * What a pass has done so far, after each resource is settled: node is
 * the one just settled (its outcome and error say how), total the
 * resources known so far, bytes the body bytes received.
 */
struct crawl_progress {
	int			 done;
	int			 total;
	int			 failed;
	int64_t			 bytes;
	const struct crawl_node	*node;
};

typedef void	crawl_progress_cb(const struct crawl_progress *, void *);

/* A document's body, stored, with the downloaded file still at hand. */
typedef void	crawl_body_cb(struct crawl_node *, const char *, void *);

struct crawl;

struct crawl	*crawl_new(const struct conf *, const struct conf_source *,
		    struct store *, struct state *, const char *,
		    const char *);
void		 crawl_free(struct crawl *);
void		 crawl_set_progress(struct crawl *, crawl_progress_cb *,
		    void *);
void		 crawl_set_body(struct crawl *, crawl_body_cb *, void *);
int		 crawl_run(struct crawl *);
struct crawl_node *crawl_get(struct crawl *, const char *);
struct crawl_node *crawl_final(struct crawl_node *);
const char	*crawl_location(struct crawl_node *);
struct crawl_node *crawl_root(struct crawl *);
size_t		 crawl_nodes(struct crawl *, struct crawl_node ***);
int		 crawl_resolve(struct crawl *, const char *, const char *,
		    char **, char **);
int		 crawl_parse_orig(const struct crawl_node *, struct buf *,
		    struct html_doc **);
void		 crawl_counters(const struct crawl *, int64_t *, int64_t *);

#endif
