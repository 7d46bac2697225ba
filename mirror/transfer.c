/*
 * transfer.c -- the history a stick carries, and taking it in.
 *
 * A stick holds a bare git repository whose objects arrive one export at
 * a time: a pack of what is new since the stick's previous export (every
 * commit, tree and small blob), and the big documents as loose objects,
 * copied a chunk at a time so memory does not grow with file size (a
 * pack would read each of them whole).  A receiving mirror takes the
 * packs through libgit2's indexer, which checks every object, and copies
 * the loose objects it lacks; then it checks that the new commit's whole
 * tree is present before anything names it.
 *
 * Like history.c and verify.c, this module includes <git2.h> through
 * store_repository() as a documented exception to the store's ownership
 * of libgit2; it never moves a ref (store_advance does) and knows nothing
 * of manifests, signatures or the stick's file system (export.c does).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>
#include <zlib.h>

#include "err.h"
#include "fsutil.h"
#include "store.h"
#include "strmap.h"
#include "transfer.h"
#include "xmalloc.h"

#define TRANSFER_BIG	(512u << 10)	/* blobs over this travel loose */

struct walk {
	git_repository		*repo;
	git_odb			*odb;
	git_packbuilder		*pb;
	struct strmap		*known;	/* ids the stick has already */
	struct strmap		*seen;
	struct transfer_pack	*out;
};

/* Every tree and blob id of tree id, into known. */
static int
mark_known(struct walk *w, const git_oid *id)
{
	git_tree		*t = NULL;
	const git_tree_entry	*e;
	char			 hex[GIT_OID_HEXSZ + 1];
	size_t			 i;
	int			 rc = -1;

	git_oid_tostr(hex, sizeof hex, id);
	if (strmap_put(w->known, hex, w) != NULL)
		return 0;
	if (git_tree_lookup(&t, w->repo, id) < 0)
		return store_git_fail("cannot read tree", hex);
	for (i = 0; i < git_tree_entrycount(t); i++) {
		e = git_tree_entry_byindex(t, i);
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			if (mark_known(w, git_tree_entry_id(e)) != 0)
				goto out;
		} else {
			git_oid_tostr(hex, sizeof hex, git_tree_entry_id(e));
			strmap_put(w->known, hex, w);
		}
	}
	rc = 0;
out:
	git_tree_free(t);
	return rc;
}

static int
add_blob(struct walk *w, const git_oid *id, const char *hex)
{
	git_object_t	type;
	size_t		size;

	if (git_odb_read_header(&size, &type, w->odb, id) < 0)
		return store_git_fail("cannot read object", hex);
	if (size <= TRANSFER_BIG) {
		if (git_packbuilder_insert(w->pb, id, NULL) < 0)
			return store_git_fail("cannot pack object", hex);
		return 0;
	}
	w->out->loose = xreallocarray(w->out->loose, w->out->nloose + 1,
	    sizeof *w->out->loose);
	w->out->loose_size = xreallocarray(w->out->loose_size,
	    w->out->nloose + 1, sizeof *w->out->loose_size);
	w->out->loose_size[w->out->nloose] = (int64_t)size;
	w->out->loose[w->out->nloose++] = xstrdup(hex);
	w->out->loose_bytes += (int64_t)size;
	return 0;
}

/* Tree id and what it holds that the stick lacks, into the pack. */
static int
add_tree(struct walk *w, const git_oid *id)
{
	git_tree		*t = NULL;
	const git_tree_entry	*e;
	const git_oid		*eid;
	char			 hex[GIT_OID_HEXSZ + 1];
	size_t			 i;
	int			 rc = -1;

	git_oid_tostr(hex, sizeof hex, id);
	if (strmap_get(w->known, hex) != NULL ||
	    strmap_put(w->seen, hex, w) != NULL)
		return 0;
	if (git_tree_lookup(&t, w->repo, id) < 0 ||
	    git_packbuilder_insert(w->pb, id, NULL) < 0) {
		store_git_fail("cannot pack tree", hex);
		goto out;
	}
	for (i = 0; i < git_tree_entrycount(t); i++) {
		e = git_tree_entry_byindex(t, i);
		eid = git_tree_entry_id(e);
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			if (add_tree(w, eid) != 0)
				goto out;
			continue;
		}
		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
			continue;
		git_oid_tostr(hex, sizeof hex, eid);
		if (strmap_get(w->known, hex) != NULL ||
		    strmap_put(w->seen, hex, w) != NULL)
			continue;
		if (add_blob(w, eid, hex) != 0)
			goto out;
	}
	rc = 0;
out:
	git_tree_free(t);
	return rc;
}

/* The commits from commit back to since (not included), into the pack. */
static int
add_commits(struct walk *w, const git_oid *cid, const git_oid *since)
{
	git_revwalk	*rw = NULL;
	git_commit	*c = NULL;
	git_oid		 id;
	int		 rc = -1, grc;

	if (git_revwalk_new(&rw, w->repo) < 0 ||
	    git_revwalk_push(rw, cid) < 0 ||
	    (since != NULL && git_revwalk_hide(rw, since) < 0)) {
		store_git_fail("cannot walk the history of", "HEAD");
		goto out;
	}
	while ((grc = git_revwalk_next(&id, rw)) == 0) {
		if (git_commit_lookup(&c, w->repo, &id) < 0 ||
		    git_packbuilder_insert(w->pb, &id, NULL) < 0) {
			store_git_fail("cannot pack a commit of", "HEAD");
			goto out;
		}
		if (add_tree(w, git_commit_tree_id(c)) != 0)
			goto out;
		git_commit_free(c);
		c = NULL;
		w->out->commits++;
	}
	if (grc != GIT_ITEROVER) {
		store_git_fail("cannot walk the history of", "HEAD");
		goto out;
	}
	rc = 0;
out:
	git_commit_free(c);
	git_revwalk_free(rw);
	return rc;
}

/*
 * Write into dir (a local directory) a pack of what commit's history has
 * that since's does not (since NULL or unknown here: everything), but
 * the big blobs, which out->loose lists for transfer_loose.  No pack
 * (out->pack empty) when only big blobs are new.
 */
int
transfer_pack(struct store *s, const char *commit, const char *since,
    const char *dir, struct transfer_pack *out)
{
	struct walk	 w;
	git_commit	*sc = NULL;
	git_oid		 cid, sid;
	int		 rc = -1, have_since = 0;

	memset(out, 0, sizeof *out);
	memset(&w, 0, sizeof w);
	w.repo = store_repository(s);
	w.known = strmap_new();
	w.seen = strmap_new();
	w.out = out;
	if (git_oid_fromstr(&cid, commit) < 0)
		return err_set("invalid commit id '%s'", commit);
	if (since != NULL && git_oid_fromstr(&sid, since) == 0 &&
	    git_commit_lookup(&sc, w.repo, &sid) == 0 &&
	    (git_oid_equal(&cid, &sid) ||
	    git_graph_descendant_of(w.repo, &cid, &sid) == 1))
		have_since = 1;
	git_error_clear();
	if (git_repository_odb(&w.odb, w.repo) < 0 ||
	    git_packbuilder_new(&w.pb, w.repo) < 0) {
		store_git_fail("cannot pack the history of", store_root(s));
		goto out;
	}
	git_packbuilder_set_threads(w.pb, 1);
	if (have_since && mark_known(&w, git_commit_tree_id(sc)) != 0)
		goto out;
	if (add_commits(&w, &cid, have_since ? &sid : NULL) != 0)
		goto out;
	out->incremental = have_since;
	out->objects = git_packbuilder_object_count(w.pb);
	if (out->objects > 0) {
		if (git_packbuilder_write(w.pb, dir, 0, NULL, NULL) < 0) {
			store_git_fail("cannot write a pack in", dir);
			goto out;
		}
		snprintf(out->pack, sizeof out->pack, "pack-%s",
		    git_packbuilder_name(w.pb));
	}
	rc = 0;
out:
	git_commit_free(sc);
	git_packbuilder_free(w.pb);
	git_odb_free(w.odb);
	strmap_free(w.known, NULL);
	strmap_free(w.seen, NULL);
	return rc;
}

void
transfer_pack_free(struct transfer_pack *p)
{
	size_t	i;

	for (i = 0; i < p->nloose; i++)
		free(p->loose[i]);
	free(p->loose);
	free(p->loose_size);
	memset(p, 0, sizeof *p);
}

/* Deflate len bytes into sink; flush finishes the stream. */
static int
deflate_sink(z_stream *z, const void *p, size_t len, int flush,
    store_sink *sink, void *arg)
{
	unsigned char	out[65536];
	int		zrc;

	z->next_in = (unsigned char *)(uintptr_t)p;
	z->avail_in = (uInt)len;
	do {
		z->next_out = out;
		z->avail_out = sizeof out;
		zrc = deflate(z, flush);
		if (zrc == Z_STREAM_ERROR)
			return err_set("cannot compress an object");
		if (sink(arg, out, sizeof out - z->avail_out) != 0)
			return -1;
	} while (z->avail_out == 0 ||
	    (flush == Z_FINISH && zrc != Z_STREAM_END));
	return 0;
}

/*
 * The loose-object file of blob hex (git's zlib stream of "blob <size>",
 * NUL, the bytes), into sink: the mirror's own file, a chunk at a time,
 * when the blob is loose here; else deflated from the pack.
 */
int
transfer_loose(struct store *s, const char *hex, store_sink *sink, void *arg)
{
	git_repository	*repo = store_repository(s);
	git_blob	*blob = NULL;
	git_oid		 oid;
	z_stream	 z;
	char		*file, head[64], chunk[65536];
	ssize_t		 n;
	int		 fd, rc = -1, hl;

	xasprintf(&file, "%sobjects/%.2s/%s", git_repository_path(repo), hex,
	    hex + 2);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	free(file);
	if (fd != -1) {
		while ((n = read(fd, chunk, sizeof chunk)) > 0)
			if (sink(arg, chunk, (size_t)n) != 0)
				break;
		rc = n == 0 ? 0 : n < 0 ? err_set("cannot read object %s: %s",
		    hex, strerror(errno)) : -1;
		close(fd);
		return rc;
	}
	if (git_oid_fromstr(&oid, hex) < 0 ||
	    git_blob_lookup(&blob, repo, &oid) < 0)
		return store_git_fail("cannot read object", hex);
	memset(&z, 0, sizeof z);
	if (deflateInit(&z, Z_BEST_SPEED) != Z_OK) {
		err_set("cannot compress object %s", hex);
		goto out;
	}
	hl = snprintf(head, sizeof head, "blob %llu",
	    (unsigned long long)git_blob_rawsize(blob));
	if (deflate_sink(&z, head, (size_t)hl + 1, Z_NO_FLUSH, sink,
	    arg) != 0 || deflate_sink(&z, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob), Z_FINISH, sink, arg) != 0)
		goto done;
	rc = 0;
done:
	deflateEnd(&z);
out:
	git_blob_free(blob);
	return rc;
}

/*
 * Take in the pack file packfile (its .idx is not needed: the indexer
 * writes one while it checks every object).  FERRY_EUNCHANGED when a
 * pack of that name is here already.
 */
int
transfer_take_pack(struct store *s, const char *packfile)
{
	git_repository		*repo = store_repository(s);
	git_indexer_options	 io = GIT_INDEXER_OPTIONS_INIT;
	git_indexer_progress	 st;
	git_indexer		*ix = NULL;
	git_odb			*odb = NULL;
	const char		*base = strrchr(packfile, '/');
	char			*dir = NULL, *here = NULL, chunk[65536];
	ssize_t			 n;
	int			 fd = -1, rc = -1;

	base = base ? base + 1 : packfile;
	xasprintf(&dir, "%sobjects/pack", git_repository_path(repo));
	here = fsutil_join(dir, base);
	if (access(here, F_OK) == 0) {
		rc = FERRY_EUNCHANGED;
		goto out;
	}
	if (fsutil_mkdirs(dir, 0755) != 0)
		goto out;
	if ((fd = open(packfile, O_RDONLY | O_CLOEXEC)) == -1) {
		err_set("cannot read '%s': %s", packfile, strerror(errno));
		goto out;
	}
	if (git_repository_odb(&odb, repo) < 0 ||
	    git_indexer_new(&ix, dir, 0, odb, &io) < 0) {
		store_git_fail("cannot take in", packfile);
		goto out;
	}
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		if (git_indexer_append(ix, chunk, (size_t)n, &st) < 0)
			break;
	if (n < 0) {
		err_set("cannot read '%s': %s", packfile, strerror(errno));
		goto out;
	}
	if (n > 0 || git_indexer_commit(ix, &st) < 0) {
		store_git_fail("damaged pack", packfile);
		goto out;
	}
	git_odb_refresh(odb);
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	git_indexer_free(ix);
	git_odb_free(odb);
	free(here);
	free(dir);
	return rc;
}

/*
 * Take in the loose object file for hex; FERRY_EUNCHANGED when the
 * mirror has that object.
 */
int
transfer_take_loose(struct store *s, const char *hex, const char *file)
{
	git_repository	*repo = store_repository(s);
	git_odb		*odb = NULL;
	git_oid		 oid;
	char		*dir = NULL, *dst = NULL;
	int		 rc = -1;

	if (git_oid_fromstr(&oid, hex) < 0)
		return err_set("invalid object name '%s'", file);
	if (git_repository_odb(&odb, repo) < 0) {
		store_git_fail("cannot open the objects of", store_root(s));
		goto out;
	}
	if (git_odb_exists(odb, &oid)) {
		rc = FERRY_EUNCHANGED;
		goto out;
	}
	xasprintf(&dir, "%sobjects/%.2s", git_repository_path(repo), hex);
	xasprintf(&dst, "%s/%s", dir, hex + 2);
	if (fsutil_mkdirs(dir, 0755) != 0 ||
	    fsutil_copy_atomic(file, dst, 0444) != 0)
		goto out;
	git_odb_refresh(odb);
	rc = 0;
out:
	git_odb_free(odb);
	free(dst);
	free(dir);
	return rc;
}

/* Every object of commit hex's tree is here: what may be checked out. */
int
transfer_complete(struct store *s, const char *hex)
{
	git_repository	*repo = store_repository(s);
	git_commit	*c = NULL;
	git_tree	*t = NULL;
	git_oid		 oid;
	int		 rc = -1;

	if (git_oid_fromstr(&oid, hex) < 0 ||
	    git_commit_lookup(&c, repo, &oid) < 0) {
		err_set("commit %s is missing: the history that came in "
		    "does not hold it", hex);
		goto out;
	}
	if (git_commit_tree(&t, c) < 0) {
		store_git_fail("incomplete history: cannot read the tree of",
		    hex);
		goto out;
	}
	if (store_tree_files(s, hex, NULL, NULL, NULL) != 0) {
		err_prefix("incomplete history");
		goto out;
	}
	rc = 0;
out:
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}
