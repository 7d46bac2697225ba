/*
 * verify.c -- checking a mirror against itself: "ferry verify".
 *
 * Three checks, each naming exactly what is wrong (the object or file,
 * what it should be, what it is): every object reachable from HEAD is
 * read and re-hashed (commits, trees and blobs of the whole history); the
 * working tree is compared with HEAD where ferry owns it (site/, text/,
 * index.html, search.js, index.json, README.txt), in both directions; and
 * HEAD's index.json is compared with HEAD's tree: every listed copy is
 * there, documents with the SHA-256 and size listed (pages and
 * stylesheets are rewritten, so their listed hash is the original's and
 * only their presence is checked), every copy is listed unless
 * catalog.conf hides it, and every text/ file belongs to a page.  It
 * repairs nothing and writes nothing but a temporary copy of
 * catalog.conf.
 *
 * A documented exception to "only the store includes <git2.h>": reading
 * raw objects and hashing them is what this module is for, and doing it
 * through the store would copy libgit2's ODB interface into store.h.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "buf.h"
#include "catalog.h"
#include "err.h"
#include "fsutil.h"
#include "hash.h"
#include "history.h"
#include "json.h"
#include "state.h"
#include "store.h"
#include "strmap.h"
#include "verify.h"
#include "xmalloc.h"

/* What ferry writes in the working tree, as store.c checks it out. */
static const char *const owned[] = {
	"site", "text", "index.html", "search.js", "index.json", "README.txt"
};

/* A blob of HEAD: its size and SHA-256, once read. */
struct blob_rec {
	int64_t	size;
	char	sha256[HASH_HEXLEN + 1];
	int	read;
};

struct check {
	struct store		*store;
	git_repository		*repo;
	git_odb			*odb;
	verify_cb		*cb;
	void			*arg;
	struct verify_stats	*st;
	char			 head[STORE_OIDLEN + 1];
	struct strmap		*seen;	/* object hex -> "" */
	struct strmap		*blobs;	/* hex -> struct blob_rec */
	struct strmap		*files;	/* HEAD path -> blob hex */
	struct strmap		*dirs;	/* HEAD directory -> "" */
	struct strmap		*broken; /* unreadable trees of HEAD */
};

static void
problem(struct check *c, const char *what, const char *expected,
    const char *found)
{
	c->st->problems++;
	c->cb(what, expected, found, c->arg);
}

static const char *
git_msg(void)
{
	const git_error	*e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of m, sorted, so that reports come in a stable order. */
static const char **
sorted_keys(const struct strmap *m, size_t *n)
{
	const char	**v, *key;
	size_t		  pos = 0, i = 0;
	void		 *val;

	v = xcalloc(strmap_count(m) + 1, sizeof *v);
	while (strmap_next(m, &pos, &key, &val))
		v[i++] = key;
	qsort(v, i, sizeof *v, cmp_str);
	*n = i;
	return v;
}

static int
is_owned(const char *path)
{
	size_t	i, n;

	for (i = 0; i < sizeof owned / sizeof owned[0]; i++) {
		n = strlen(owned[i]);
		if (strncmp(path, owned[i], n) == 0 &&
		    (path[n] == '\0' || path[n] == '/'))
			return 1;
	}
	return 0;
}

/*
 * Is path in a tree of HEAD that could not be read?  What HEAD holds
 * there is unknown, so nothing there is compared.
 */
static int
in_broken(struct check *c, const char *path)
{
	char	*p = xstrdup(path), *slash;
	int	 yes = strmap_get(c->broken, "") != NULL;

	for (slash = p; !yes && (slash = strchr(slash, '/')) != NULL;
	    slash++) {
		*slash = '\0';
		yes = strmap_get(c->broken, p) != NULL;
		*slash = '/';
	}
	yes = yes || strmap_get(c->broken, p) != NULL;
	free(p);
	return yes;
}

/* --- objects ------------------------------------------------------------- */

/*
 * Read one object and hash its bytes again; *out (NULL when it cannot be
 * read) is the object.  where says where HEAD's history refers to it.
 */
static void
check_object(struct check *c, const git_oid *id, git_object_t want,
    const char *where, git_odb_object **out)
{
	git_odb_object	*obj = NULL;
	git_oid		 again;
	char		 hex[STORE_OIDLEN + 1], hex2[STORE_OIDLEN + 1];
	char		*what, *exp, *found;
	int		 rc;

	*out = NULL;
	git_oid_tostr(hex, sizeof hex, id);
	xasprintf(&what, "object %s (%s%s%s)", hex,
	    git_object_type2string(want), *where ? " " : "", where);
	c->st->objects++;
	rc = git_odb_read(&obj, c->odb, id);
	if (rc == GIT_ENOTFOUND) {
		problem(c, what, "the object", "none: it is missing");
		goto out;
	}
	if (rc < 0) {
		xasprintf(&found, "a damaged one (%s)", git_msg());
		problem(c, what, "a readable object", found);
		free(found);
		goto out;
	}
	if (git_odb_hash(&again, git_odb_object_data(obj),
	    git_odb_object_size(obj), git_odb_object_type(obj)) < 0 ||
	    !git_oid_equal(&again, id)) {
		git_oid_tostr(hex2, sizeof hex2, &again);
		xasprintf(&exp, "content that hashes to %s", hex);
		xasprintf(&found, "content that hashes to %s", hex2);
		problem(c, what, exp, found);
		free(exp);
		free(found);
		git_odb_object_free(obj);
		goto out;
	}
	if (git_odb_object_type(obj) != want) {
		xasprintf(&exp, "a %s", git_object_type2string(want));
		xasprintf(&found, "a %s",
		    git_object_type2string(git_odb_object_type(obj)));
		problem(c, what, exp, found);
		free(exp);
		free(found);
		git_odb_object_free(obj);
		goto out;
	}
	*out = obj;
out:
	free(what);
}

static void
note_blob(struct check *c, const char *hex, git_odb_object *obj)
{
	struct blob_rec	*b;

	if (strmap_get(c->blobs, hex) != NULL)
		return;
	b = xcalloc(1, sizeof *b);
	b->size = -1;
	if (obj != NULL) {
		b->size = (int64_t)git_odb_object_size(obj);
		hash_buf(git_odb_object_data(obj), git_odb_object_size(obj),
		    b->sha256);
		b->read = 1;
	}
	strmap_put(c->blobs, hex, b);
}

/*
 * Check tree id and everything below it that was not checked yet; in
 * HEAD's tree (head set), also record every path for the other checks.
 */
static void
walk_tree(struct check *c, const git_oid *id, const char *path, int head)
{
	git_odb_object		*obj = NULL;
	git_tree		*t = NULL;
	const git_tree_entry	*e;
	char			 hex[STORE_OIDLEN + 1], *sub;
	size_t			 i;
	int			 fresh;

	git_oid_tostr(hex, sizeof hex, id);
	fresh = strmap_put(c->seen, hex, "") == NULL;
	if (!fresh && !head)
		return;
	if (fresh) {
		check_object(c, id, GIT_OBJECT_TREE, path, &obj);
		if (obj == NULL) {
			if (head)
				strmap_put(c->broken, path, "");
			return;
		}
		git_odb_object_free(obj);
	}
	if (git_tree_lookup(&t, c->repo, id) < 0) {
		problem(c, *path ? path : "the top tree", "a readable tree",
		    git_msg());
		if (head)
			strmap_put(c->broken, path, "");
		return;
	}
	for (i = 0; i < git_tree_entrycount(t); i++) {
		e = git_tree_entry_byindex(t, i);
		xasprintf(&sub, "%s%s%s", path, *path ? "/" : "",
		    git_tree_entry_name(e));
		git_oid_tostr(hex, sizeof hex, git_tree_entry_id(e));
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			if (head)
				strmap_put(c->dirs, sub, "");
			walk_tree(c, git_tree_entry_id(e), sub, head);
		} else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			if (strmap_put(c->seen, hex, "") == NULL) {
				check_object(c, git_tree_entry_id(e),
				    GIT_OBJECT_BLOB, sub, &obj);
				if (head)
					note_blob(c, hex, obj);
				git_odb_object_free(obj);
				obj = NULL;
			}
			if (head)
				free(strmap_put(c->files, sub, xstrdup(hex)));
		}
		free(sub);
	}
	git_tree_free(t);
}

/* Every commit of HEAD's history, each with its tree. */
static void
check_objects(struct check *c, const git_oid *head)
{
	git_odb_object	*obj;
	git_commit	*commit;
	git_oid		*stack, id;
	size_t		 n = 1, i;
	char		 hex[STORE_OIDLEN + 1];
	int		 first = 1;

	stack = xmalloc(sizeof *stack);
	git_oid_cpy(&stack[0], head);
	while (n > 0) {
		id = stack[--n];
		git_oid_tostr(hex, sizeof hex, &id);
		if (strmap_put(c->seen, hex, "") != NULL)
			continue;
		check_object(c, &id, GIT_OBJECT_COMMIT, "", &obj);
		if (obj == NULL)
			continue;
		git_odb_object_free(obj);
		if (git_commit_lookup(&commit, c->repo, &id) < 0) {
			char *what;

			xasprintf(&what, "object %s (commit)", hex);
			problem(c, what, "a commit that parses", git_msg());
			free(what);
			continue;
		}
		c->st->commits++;
		walk_tree(c, git_commit_tree_id(commit), "", first);
		first = 0;
		for (i = 0; i < git_commit_parentcount(commit); i++) {
			stack = xreallocarray(stack, n + 1, sizeof *stack);
			git_oid_cpy(&stack[n++],
			    git_commit_parent_id(commit, i));
		}
		git_commit_free(commit);
	}
	free(stack);
}

/* --- the working tree ----------------------------------------------------- */

static void
describe_file(const struct stat *st, char *out, size_t len)
{
	if (S_ISDIR(st->st_mode))
		snprintf(out, len, "a directory");
	else if (S_ISLNK(st->st_mode))
		snprintf(out, len, "a symbolic link");
	else if (!S_ISREG(st->st_mode))
		snprintf(out, len, "a special file");
	else
		snprintf(out, len, "a file of %" PRId64 " bytes",
		    (int64_t)st->st_size);
}

/* One file of HEAD against the working tree. */
static void
compare_file(struct check *c, const char *path, const char *hex)
{
	const struct blob_rec	*b = strmap_get(c->blobs, hex);
	struct stat		 st;
	git_oid			 id;
	char			*full, exp[128], found[128];
	char			 hex2[STORE_OIDLEN + 1];

	full = fsutil_join(store_root(c->store), path);
	if (b != NULL && b->size >= 0)
		snprintf(exp, sizeof exp, "blob %s (%" PRId64 " bytes) as in "
		    "HEAD", hex, b->size);
	else
		snprintf(exp, sizeof exp, "blob %s as in HEAD", hex);
	c->st->files++;
	if (lstat(full, &st) == -1) {
		problem(c, path, exp, errno == ENOENT || errno == ENOTDIR ?
		    "no file" : strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || (b != NULL && b->size >= 0 &&
	    (int64_t)st.st_size != b->size)) {
		describe_file(&st, found, sizeof found);
		problem(c, path, exp, found);
		goto out;
	}
	if (git_odb_hashfile(&id, full, GIT_OBJECT_BLOB) < 0) {
		problem(c, path, exp, git_msg());
		goto out;
	}
	git_oid_tostr(hex2, sizeof hex2, &id);
	if (strcmp(hex, hex2) != 0) {
		snprintf(found, sizeof found, "blob %s (%" PRId64 " bytes)",
		    hex2, (int64_t)st.st_size);
		problem(c, path, exp, found);
	}
out:
	free(full);
}

/* Files on disk under dir (a path of the mirror) that HEAD lacks. */
static void
find_extra(struct check *c, const char *dir, struct strmap *extra)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*full, *sub;

	full = *dir ? fsutil_join(store_root(c->store), dir) :
	    xstrdup(store_root(c->store));
	if ((d = opendir(full)) == NULL) {
		free(full);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = *dir ? fsutil_join(dir, de->d_name) :
		    xstrdup(de->d_name);
		if (!is_owned(sub)) {
			free(sub);
			continue;
		}
		free(full);
		full = fsutil_join(store_root(c->store), sub);
		if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode) &&
		    strmap_get(c->files, sub) == NULL)
			find_extra(c, sub, extra);
		else if (strmap_get(c->files, sub) == NULL &&
		    strmap_get(c->dirs, sub) == NULL && lstat(full, &st) == 0)
			strmap_put(extra, sub, "");
		free(sub);
	}
	closedir(d);
	free(full);
}

static void
check_worktree(struct check *c)
{
	struct strmap	 *extra = strmap_new();
	const char	**keys;
	char		  found[128], *full;
	struct stat	  st;
	size_t		  n, i;

	keys = sorted_keys(c->files, &n);
	for (i = 0; i < n; i++)
		if (is_owned(keys[i]))
			compare_file(c, keys[i], strmap_get(c->files, keys[i]));
	free(keys);
	find_extra(c, "", extra);
	keys = sorted_keys(extra, &n);
	for (i = 0; i < n; i++) {
		full = fsutil_join(store_root(c->store), keys[i]);
		if (!in_broken(c, keys[i]) && lstat(full, &st) == 0) {
			describe_file(&st, found, sizeof found);
			problem(c, keys[i], "nothing (not in HEAD)", found);
		}
		free(full);
	}
	free(keys);
	strmap_free(extra, NULL);
}

/* --- index.json against the tree ------------------------------------------ */

/*
 * catalog.conf as HEAD has it, and the URL of each path from the state:
 * what decides whether a copy is hidden from the index.
 */
static struct catalog *
head_catalog(struct check *c, struct strmap *urls)
{
	struct catalog		 *cat = NULL;
	struct state		 *state = NULL;
	struct state_entry	**ev;
	struct buf		  b = BUF_INIT;
	char			 *tmp, *file;
	size_t			  n, i;

	file = fsutil_join(store_private(c->store), "state");
	if (state_load(file, &state) == 0) {
		n = state_sorted(state, &ev);
		for (i = 0; i < n; i++)
			if (ev[i]->path != NULL)
				free(strmap_put(urls, ev[i]->path,
				    xstrdup(ev[i]->url)));
		free(ev);
		state_free(state);
	}
	free(file);
	err_clear();
	buf_init(&b, 16u << 20);
	if (history_read(c->store, c->head, "catalog.conf", &b, NULL) != 0) {
		err_clear();
		buf_free(&b);
		return NULL;
	}
	xasprintf(&tmp, "%s/verify-catalog.%ld.conf", store_private(c->store),
	    (long)getpid());
	if (fsutil_write_atomic(tmp, b.ptr ? b.ptr : "", b.len, 0) == 0 &&
	    catalog_load(tmp, &cat, NULL) != 0)
		cat = NULL;
	unlink(tmp);
	free(tmp);
	buf_free(&b);
	err_clear();
	return cat;
}

static int
rewritten(const struct json *r)
{
	const char	*kind = json_get_str(r, "kind");
	const char	*type = json_get_str(r, "content_type");

	return (kind != NULL && strcmp(kind, "page") == 0) ||
	    (type != NULL && strncmp(type, "text/css", 8) == 0);
}

/* One listed copy against the blob HEAD holds at its path. */
static void
check_entry(struct check *c, const struct json *r, const char *path)
{
	const struct blob_rec	*b;
	const char		*hex, *sha;
	int64_t			 size;
	char			*what, exp[128], found[128];

	xasprintf(&what, "index.json: %s", path);
	c->st->entries++;
	if ((hex = strmap_get(c->files, path)) == NULL) {
		if (!in_broken(c, path))
			problem(c, what, "a copy in HEAD's tree",
			    "no such file");
		goto out;
	}
	if (rewritten(r) || (b = strmap_get(c->blobs, hex)) == NULL ||
	    !b->read)
		goto out;	/* unreadable blobs are reported already */
	sha = json_get_str(r, "sha256");
	if (sha == NULL || strcmp(sha, b->sha256) != 0) {
		snprintf(exp, sizeof exp, "sha256 %s", sha ? sha : "(none)");
		snprintf(found, sizeof found, "sha256 %s in HEAD", b->sha256);
		problem(c, what, exp, found);
	}
	if (json_get_int(r, "size", &size) != 0 || size != b->size) {
		snprintf(exp, sizeof exp, "size %s", json_get(r, "size") ?
		    "as listed" : "(none)");
		if (json_get_int(r, "size", &size) == 0)
			snprintf(exp, sizeof exp, "%" PRId64 " bytes", size);
		snprintf(found, sizeof found, "%" PRId64 " bytes in HEAD",
		    b->size);
		problem(c, what, exp, found);
	}
out:
	free(what);
}

static void
check_index(struct check *c)
{
	struct json		 *idx = NULL;
	const struct json	 *res, *r;
	const struct catalog_override *o;
	struct strmap		 *listed = strmap_new();
	struct strmap		 *urls = strmap_new();
	struct catalog		 *cat = NULL;
	const char		**keys, *path;
	char			 *what, *page;
	size_t			  n, i;

	if (history_index(c->store, c->head, &idx) != 0) {
		problem(c, "index.json", "a ferry index in HEAD", err_msg());
		goto out;
	}
	res = json_get(idx, "resources");
	for (i = 0; i < res->n; i++) {
		r = res->items[i];
		if ((path = json_get_str(r, "path")) == NULL) {
			xasprintf(&what, "index.json: resource %zu", i + 1);
			problem(c, what, "a path (\"\" for a link)", "none");
			free(what);
			continue;
		}
		if (*path == '\0')
			continue;	/* a link kept online */
		strmap_put(listed, path, "");
		check_entry(c, r, path);
	}
	cat = head_catalog(c, urls);
	keys = sorted_keys(c->files, &n);
	for (i = 0; i < n; i++) {
		path = keys[i];
		if (strncmp(path, "site/", 5) == 0 &&
		    strmap_get(listed, path) == NULL) {
			o = catalog_find(cat, path, strmap_get(urls, path));
			if (o == NULL || !o->hidden)
				problem(c, path, "listed in index.json",
				    "not listed");
		}
		if (strncmp(path, "text/", 5) == 0) {
			xasprintf(&page, "site/%.*s", (int)(strlen(path) - 9),
			    path + 5);
			if (strlen(path) < 9 || strcmp(path + strlen(path) - 4,
			    ".txt") != 0 || strmap_get(c->files, page) == NULL)
				problem(c, path, "the text of a copy in HEAD",
				    "no such copy");
			free(page);
		}
	}
	free(keys);
out:
	catalog_free(cat);
	strmap_free(urls, free);
	strmap_free(listed, NULL);
	json_free(idx);
}

/*
 * Run every check on the mirror; each problem goes to cb.  Returns 0 when
 * the checks ran (stats->problems says how they went), or an error when
 * the mirror could not be checked at all.
 */
int
verify_mirror(struct store *s, verify_cb *cb, void *arg,
    struct verify_stats *stats)
{
	struct check	c;
	git_oid		head;
	int		rc;

	memset(stats, 0, sizeof *stats);
	memset(&c, 0, sizeof c);
	c.store = s;
	c.repo = store_repository(s);
	c.cb = cb;
	c.arg = arg;
	c.st = stats;
	if ((rc = store_head(s, c.head)) != 0)
		return rc;
	if (git_repository_odb(&c.odb, c.repo) < 0)
		return err_set("cannot open the objects of '%s': %s",
		    store_root(s), git_msg());
	c.seen = strmap_new();
	c.blobs = strmap_new();
	c.files = strmap_new();
	c.dirs = strmap_new();
	c.broken = strmap_new();
	/* Hash mismatches are reported here, not refused by libgit2. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_oid_fromstr(&head, c.head);
	check_objects(&c, &head);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	check_worktree(&c);
	check_index(&c);
	strmap_free(c.seen, NULL);
	strmap_free(c.blobs, free);
	strmap_free(c.files, free);
	strmap_free(c.dirs, NULL);
	strmap_free(c.broken, NULL);
	git_odb_free(c.odb);
	return 0;
}
