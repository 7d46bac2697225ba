/*
 * follow.c -- a follow pass: a mirror that does not crawl takes in the
 * history a hub publishes ([follow] remote).
 *
 * The hub's branch is fetched into refs/ferry/hub.  It must continue
 * refs/ferry/followed, the last hub commit taken in (a rewritten history
 * is refused unless [follow] allow-rewrite says otherwise), and where
 * [import] trusted-key pins a key, every hub commit new to this mirror
 * must carry a valid SSH signature by it.  Then:
 *
 *   - this mirror added nothing since: the branch fast-forwards to the
 *     hub's commit, so HEAD and tree are the hub's, byte for byte;
 *   - the administrators committed local/ or catalog.conf edits here: a
 *     merge commit (first parent this mirror's branch, second the hub's)
 *     takes the hub's tree with those edits on top, and the index is made
 *     again from the hub's catalog and the local files.  A merge, not a
 *     rebase: the branch only grows, so the sticks made here import as a
 *     continuing history and every hub commit keeps its id and signature.
 *
 * The hub's catalog (its index.json) becomes this mirror's state, so
 * `ferry index` and ferryd's edit commits list the hub's resources too.
 * What the last pass found is kept in .git/ferry/follow for `ferry
 * status`.  This file does not talk to the hub itself (remote.c does).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "conf.h"
#include "err.h"
#include "follow.h"
#include "fsutil.h"
#include "gitsig.h"
#include "json.h"
#include "log.h"
#include "remote.h"
#include "sign.h"
#include "state.h"
#include "store.h"
#include "sync.h"
#include "utc.h"
#include "xmalloc.h"

#define REF_HUB		"refs/ferry/hub"
#define REF_FOLLOWED	"refs/ferry/followed"
#define CATALOG_MAX	(256u << 20)	/* bytes of index.json read */

/* What the walk over the hub's new commits checks and counts. */
struct walk {
	const struct sign_pubkey	*pk;	/* NULL: signatures not asked */
	const char			*url;
	long				 n;
};

static int
check_commit(const struct remote_commit *c, void *arg)
{
	struct walk	*w = arg;
	struct buf	 u = BUF_INIT;
	int		 rc = 0;

	w->n++;
	if (w->pk == NULL)
		return 0;
	conf_remote_display(w->url, &u);
	if (c->sig == NULL)
		rc = err_set("commit %.12s ('%s') of '%s' is not signed, and "
		    "[import] trusted-key asks for a signature by the hub's "
		    "key; nothing was taken in", c->hex, c->subject,
		    buf_cstr(&u));
	else if ((rc = gitsig_verify(w->pk, c->data, c->datalen, c->sig,
	    c->siglen)) != 0)
		err_prefix("commit %.12s ('%s') of '%s'; nothing was taken in",
		    c->hex, c->subject, buf_cstr(&u));
	buf_free(&u);
	return rc;
}

/*
 * Count the hub's commits new to this mirror and, with a pinned key,
 * check each one's signature.
 */
static int
check_new(const struct conf *conf, struct store *s, const char *tip,
    const char *const hide[2], long *n)
{
	struct sign_pubkey	pk;
	struct walk		w = { NULL, conf->follow, 0 };
	int			rc;

	if (conf->trusted_key != NULL) {
		if (sign_pubkey_from(conf->trusted_key, &pk) != 0) {
			err_prefix("%s: import.trusted-key", conf->file);
			return FERRY_ECONFIG;
		}
		w.pk = &pk;
	}
	err_clear();
	rc = remote_walk(s, tip, hide, 2, check_commit, &w);
	*n = w.n;
	return rc;
}

/* A time of index.json as seconds; 0 for null or anything else. */
static int64_t
json_time(const struct json *v, const char *key)
{
	int64_t	t;

	return utc_parse(json_get_str(v, key), &t) == 0 ? t : 0;
}

static void
set_str(char **field, const struct json *v, const char *key)
{
	const char	*s = json_get_str(v, key);

	state_set(field, s != NULL && *s != '\0' ? s : NULL);
}

static int
get_int(const struct json *v, const char *key)
{
	int64_t	n = 0;

	return json_get_int(v, key, &n) == 0 && n >= 0 && n < INT32_MAX ?
	    (int)n : 0;
}

/* One resource of the hub's index.json as a state entry. */
static void
adopt_resource(struct store *s, struct state *st, const struct json *r)
{
	struct state_entry	*e;
	const struct json	*langs;
	const char		*url = json_get_str(r, "url");
	const char		*kind = json_get_str(r, "kind");
	struct buf		 l = BUF_INIT;
	char			 hex[STORE_OIDLEN + 1], *t;
	int64_t			 size = 0;
	size_t			 i;

	if (url == NULL || kind == NULL || strcmp(kind, "local") == 0)
		return;		/* local/ is read from the working tree */
	e = state_add(st, url);
	set_str(&e->source, r, "source");
	set_str(&e->path, r, "path");
	set_str(&e->sha256, r, "sha256");
	set_str(&e->content_type, r, "content_type");
	set_str(&e->kind, r, "kind");
	set_str(&e->title, r, "title");
	set_str(&e->section, r, "section");
	set_str(&e->description, r, "description");
	if (json_get_int(r, "size", &size) == 0)
		e->size = size;
	e->fetched = json_time(r, "fetched");
	e->checked = e->fetched;
	e->changed = json_time(r, "changed");
	e->failing_since = json_time(r, "withdrawn");
	e->status = get_int(r, "status");
	e->order = get_int(r, "order");
	langs = json_get(r, "languages");
	for (i = 0; langs != NULL && langs->type == JSON_ARRAY &&
	    i < langs->n; i++)
		if (langs->items[i]->type == JSON_STRING)
			buf_addf(&l, "%s%s", l.len ? " " : "",
			    langs->items[i]->string);
	state_set(&e->lang, l.len ? buf_cstr(&l) : NULL);
	buf_free(&l);
	if (e->path == NULL || store_lookup(s, e->path, hex) != 0) {
		err_clear();
		return;
	}
	state_set(&e->blob, hex);
	t = sync_text_path(e->path);
	if (store_lookup(s, t, hex) == 0) {
		state_set(&e->text_path, t);
		state_set(&e->text_blob, hex);
	}
	err_clear();
	free(t);
}

static void
adopt_hotline(struct state *st, const struct json *h)
{
	struct state_entry	*e;
	const char		*tel = json_get_str(h, "tel");

	if (tel == NULL)
		return;
	e = state_add(st, tel);
	state_set(&e->kind, "hotline");
	set_str(&e->source, h, "source");
	set_str(&e->title, h, "number");
	set_str(&e->heading, h, "heading");
	set_str(&e->description, h, "details");
	e->order = get_int(h, "order");
}

/* A source: key "source:NAME", its page's URL kept as description. */
static void
adopt_source(struct state *st, const struct json *v, int order)
{
	struct state_entry	*e;
	const char		*name = json_get_str(v, "name");
	char			*key;

	if (name == NULL)
		return;
	xasprintf(&key, "source:%s", name);
	e = state_add(st, key);
	free(key);
	state_set(&e->kind, "source");
	state_set(&e->source, name);
	set_str(&e->description, v, "url");
	set_str(&e->title, v, "title");
	e->order = order;
}

static void
adopt_list(struct store *s, struct state *st, const struct json *doc,
    const char *key)
{
	const struct json	*a = json_get(doc, key);
	size_t			 i;

	for (i = 0; a != NULL && a->type == JSON_ARRAY && i < a->n; i++) {
		if (a->items[i]->type != JSON_OBJECT)
			continue;
		if (*key == 'r')
			adopt_resource(s, st, a->items[i]);
		else if (*key == 'h')
			adopt_hotline(st, a->items[i]);
		else
			adopt_source(st, a->items[i], (int)i);
	}
}

/*
 * The hub's catalog, index.json at HEAD, as this mirror's state: what
 * `ferry index` makes the index from.  A mirror whose HEAD has no
 * readable catalog keeps its state.
 */
static int
adopt_catalog(const struct conf *conf, struct store *s)
{
	struct buf	 b = BUF_INIT;
	struct json	*doc = NULL;
	struct state	*st = NULL;
	const char	*fmt;
	char		 hex[STORE_OIDLEN + 1], *file = NULL;
	int		 rc = -1;

	buf_init(&b, CATALOG_MAX);
	if (store_lookup(s, "index.json", hex) != 0 ||
	    store_read_blob(s, hex, &b) != 0 ||
	    json_parse(b.ptr ? b.ptr : "", b.len, &doc) != 0 ||
	    (fmt = json_get_str(doc, "format")) == NULL ||
	    strcmp(fmt, "ferry-index") != 0) {
		log_warnx("the hub's index.json cannot be read (%s); the index "
		    "made here lists the local files only", err_msg());
		rc = 0;
		goto out;
	}
	file = fsutil_join(store_private(s), "state");
	if (state_load("", &st) != 0)
		goto out;
	adopt_list(s, st, doc, "sources");
	adopt_list(s, st, doc, "resources");
	adopt_list(s, st, doc, "hotlines");
	rc = state_save(st, file, conf->fsync);
out:
	err_clear();
	state_free(st);
	json_free(doc);
	buf_free(&b);
	free(file);
	return rc;
}

static char *
merge_message(const struct conf *conf, const struct follow_result *r)
{
	struct buf	b = BUF_INIT, u = BUF_INIT;

	conf_remote_display(conf->follow, &u);
	buf_addf(&b, "follow: %ld commit%s of the hub, local files kept\n\n",
	    r->commits, r->commits == 1 ? "" : "s");
	buf_addf(&b, "The hub's %s at %.12s, with this mirror's edits of "
	    "local/ and\ncatalog.conf on top; the index is made again next."
	    "\n\nFerry-Follow: %s\nFerry-Hub-Commit: %s\n",
	    conf->follow_branch, r->tip, buf_cstr(&u), r->tip);
	buf_free(&u);
	return buf_detach(&b);
}

/* HEAD to the hub's tip: fast-forward, or a merge keeping local files. */
static int
integrate(const struct conf *conf, struct store *s, const char *head,
    struct follow_result *r)
{
	char	*msg, merge[STORE_OIDLEN + 1];
	int	 rc, d;

	if (head == NULL || (d = remote_descends(s, r->tip, head)) == 1) {
		rc = store_advance(s, head, r->tip, "follow");
		if (rc == 0)
			memcpy(r->head, r->tip, sizeof r->head);
		return rc == FERRY_EUNCHANGED ? 0 : rc;
	}
	if (d < 0 || (d = remote_descends(s, head, r->tip)) < 0)
		return -1;
	if (d == 1)
		return 0;	/* taken in already */
	msg = merge_message(conf, r);
	rc = store_merge(s, head, r->tip, conf->author_name,
	    conf->author_email, msg, merge);
	free(msg);
	if (rc != 0 || (rc = store_advance(s, head, merge, "follow")) != 0)
		return rc;
	memcpy(r->head, merge, sizeof r->head);
	r->merged = 1;
	return 0;
}

static int
rewritten(const struct conf *conf, const char *tip, const char *followed)
{
	struct buf	u = BUF_INIT;
	int		rc = 0;

	conf_remote_display(conf->follow, &u);
	if (!conf->allow_rewrite)
		rc = err_set("the hub's history was rewritten: '%s' branch "
		    "%s is at %.12s, which does not contain %.12s, the last "
		    "commit followed; nothing was taken in (if the hub's "
		    "administrators confirm the new history, set [follow] "
		    "allow-rewrite = true)", buf_cstr(&u), conf->follow_branch,
		    tip, followed);
	else
		log_warnx("the hub's history was rewritten ('%s' %s at %.12s "
		    "does not contain %.12s); taken in as [follow] "
		    "allow-rewrite says", buf_cstr(&u), conf->follow_branch,
		    tip, followed);
	buf_free(&u);
	return rc;
}

/* Fetch, check and take in the hub's branch; the caller holds the lock. */
static int
take(const struct conf *conf, struct store *s, struct follow_result *r)
{
	char		 head[STORE_OIDLEN + 1], followed[STORE_OIDLEN + 1];
	const char	*hide[2];
	int		 has_head, has_followed, d;

	if (remote_fetch(s, conf, conf->follow, conf->follow_branch, REF_HUB,
	    r->tip) != 0)
		return -1;
	has_followed = remote_ref(s, REF_FOLLOWED, followed) == 0;
	has_head = store_head(s, head) == 0;
	err_clear();
	if (has_followed) {
		if ((d = remote_descends(s, r->tip, followed)) < 0)
			return -1;
		if (d == 0 && rewritten(conf, r->tip, followed) != 0)
			return -1;
	}
	hide[0] = has_followed ? followed : NULL;
	hide[1] = has_head ? head : NULL;
	if (check_new(conf, s, r->tip, hide, &r->commits) != 0 ||
	    integrate(conf, s, has_head ? head : NULL, r) != 0)
		return -1;
	/* Also after a pass killed between the branch and the ref. */
	if (r->head[0] != '\0' || !has_followed ||
	    strcmp(followed, r->tip) != 0) {
		if (adopt_catalog(conf, s) != 0)
			log_warnx("%s", err_msg());
		if (remote_set_ref(s, REF_FOLLOWED, r->tip, "follow") != 0)
			return -1;
	}
	return 0;
}

/*
 * "TIME\tERROR" in .git/ferry/follow: when the last pass ran, and why it
 * failed.
 */
static void
record(const struct conf *conf, struct store *s, const char *error)
{
	struct buf	 b = BUF_INIT;
	char		*f = fsutil_join(store_private(s), "follow");
	size_t		 i;

	buf_addf(&b, "%lld\t", (long long)time(NULL));
	for (i = 0; error != NULL && error[i] != '\0'; i++)
		buf_addc(&b, error[i] == '\n' || error[i] == '\t' ? ' ' :
		    error[i]);
	buf_addc(&b, '\n');
	if (fsutil_write_atomic(f, b.ptr, b.len, conf->fsync) != 0)
		log_warnx("%s", err_msg());
	buf_free(&b);
	free(f);
}

/* The administrators' uncommitted edits, committed before a follow. */
static int
commit_edits(const struct conf *conf)
{
	struct store		*s = NULL;
	struct sync_stats	 st;
	struct buf		 named = BUF_INIT;
	int			 rc;

	if (store_open(conf->mirror_path, 0, &s) != 0) {
		err_clear();
		return 0;	/* no mirror yet */
	}
	rc = store_local_edits(s, &named);
	store_close(s);
	if (rc == 0 && named.len > 0) {
		log_info("committing edits %s before following the hub",
		    buf_cstr(&named));
		rc = sync_index(conf, &st);
	}
	buf_free(&named);
	return rc;
}

/*
 * One follow pass.  Nothing of the hub is taken in unless all of it
 * checks; a failure leaves HEAD, the tree and refs/ferry/followed as
 * they were.
 */
int
follow_run(const struct conf *conf, struct follow_result *r)
{
	struct store		*s = NULL;
	struct sync_stats	 st;
	char			*why;
	int			 rc;

	memset(r, 0, sizeof *r);
	if ((rc = commit_edits(conf)) != 0)
		return rc;
	if ((rc = store_open(conf->mirror_path, 1, &s)) != 0 ||
	    (rc = store_lock(s)) != 0) {
		store_close(s);
		return rc;
	}
	rc = take(conf, s, r);
	record(conf, s, rc == 0 ? NULL : err_msg());
	if (rc != 0) {
		why = xstrdup(err_msg());
		store_discard(s);	/* a mirror made for nothing */
		err_set("%s", why);
		free(why);
	}
	store_close(s);
	if (rc != 0 || !r->merged)
		return rc;
	if ((rc = sync_index(conf, &st)) == 0 && st.commit[0] != '\0')
		memcpy(r->head, st.commit, sizeof r->head);
	return rc;
}

/* What .git/ferry/follow and the refs say. */
int
follow_load(struct store *s, struct follow_status *fs)
{
	struct buf	 b = BUF_INIT;
	char		*f = fsutil_join(store_private(s), "follow"), *tab;
	char		 head[STORE_OIDLEN + 1];
	const char	*hide[1];
	long long	 t;

	memset(fs, 0, sizeof *fs);
	fs->behind = -1;
	if (fsutil_read(f, &b) == 0 && b.len > 0 &&
	    sscanf(buf_cstr(&b), "%lld", &t) == 1) {
		fs->tried = t;
		b.ptr[strcspn(b.ptr, "\n")] = '\0';
		if ((tab = strchr(b.ptr, '\t')) != NULL && tab[1] != '\0')
			fs->error = xstrdup(tab + 1);
	}
	if (remote_ref(s, REF_HUB, fs->fetched) != 0)
		fs->fetched[0] = '\0';
	if (remote_ref(s, REF_FOLLOWED, fs->followed) != 0)
		fs->followed[0] = '\0';
	if (fs->fetched[0] != '\0') {
		hide[0] = store_head(s, head) == 0 ? head : NULL;
		fs->behind = remote_count(s, fs->fetched, hide, 1);
	}
	err_clear();
	buf_free(&b);
	free(f);
	return 0;
}

void
follow_status_free(struct follow_status *fs)
{
	free(fs->error);
	fs->error = NULL;
}
