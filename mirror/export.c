/*
 * export.c -- the USB stick: export, verify, import.
 *
 * A stick holds the browsable copy (every file of HEAD's tree, under the
 * same paths), the history as a bare git repository (history.git: one
 * pack per export of what is new since the stick's previous export, big
 * documents as loose objects), and MANIFEST: every file's path, size and
 * SHA-256, the commit, a sequence number that only grows, the export time
 * and an expiry, signed in minisign's format (MANIFEST.minisig; the
 * public key rides along as ferry.pub, but trust comes from the key
 * pinned at the receiving site).
 *
 * Pulled out at any instant, a stick is left with every file either old
 * or new, never half-written (a temporary name, then rename), and with
 * EXPORT-INCOMPLETE.txt, written before the first change and removed
 * after the manifest: it tells a person not to use the stick, tells
 * verify the export did not finish, and lists for the next export the
 * files it cannot trust.  The next export writes only what differs from
 * the stick's signed MANIFEST (and those files), so it repairs the stick.
 *
 * This module knows the stick's layout and the order of writes; the
 * history's objects are transfer.c's, the signature sign.c's, the text of
 * the manifest manifest.c's.  It never changes the mirror's files but
 * its own bookkeeping in .git/ferry (the sequence, a cache of SHA-256s
 * by object id, the last import).
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "err.h"
#include "export.h"
#include "fsutil.h"
#include "hash.h"
#include "log.h"
#include "pathmap.h"
#include "sign.h"
#include "store.h"
#include "strmap.h"
#include "transfer.h"
#include "utc.h"
#include "xmalloc.h"

#define STICK_MANIFEST	"MANIFEST"
#define STICK_SIG	"MANIFEST.minisig"
#define STICK_PUB	"ferry.pub"
#define STICK_JOURNAL	"EXPORT-INCOMPLETE.txt"
#define STICK_HISTORY	"history.git"
#define STICK_TMP	".ferry-tmp"
#define JOURNAL_MARK	"Files that may be old, new or missing:"
#define MANIFEST_MAX	((size_t)256 << 20)
#define SIG_MAX		4096
#define FAT32_MAX	((int64_t)0xffffffff)
#define MSDOS_MAGIC	0x4d44
#define WALK_DEPTH	64

static const char journal_text[] =
    "This stick is being written by ferry, or its last export did not\n"
    "finish (it was pulled out too early).  Do not rely on it: plug it\n"
    "into the exporting computer again and export to it once more.\n"
    "\n" JOURNAL_MARK "\n";

/* Names an operating system leaves on a stick: never the export's. */
static int
os_litter(const char *name)
{
	static const char *const names[] = {
		"System Volume Information", "$RECYCLE.BIN", ".Trashes",
		".Spotlight-V100", ".fseventsd", ".TemporaryItems",
		".DS_Store", "Thumbs.db", "desktop.ini", NULL
	};
	size_t	i;

	if (strncmp(name, "._", 2) == 0)
		return 1;
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* --- walking a stick ------------------------------------------------------ */

typedef int walk_cb(const char *, const char *, int, void *);

/*
 * Call cb(relative path, full path, is_dir, arg) for every file below
 * dir/rel, and for each directory after its contents.  Symbolic links
 * are files here (never followed).
 */
static int
walk(const char *dir, const char *rel, int depth, walk_cb *cb, void *arg)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*full, *sub;
	int		 rc = 0;

	full = fsutil_join(dir, rel);
	if (depth > WALK_DEPTH || (d = opendir(full)) == NULL) {
		rc = depth > WALK_DEPTH ? err_set("'%s': too deep", full) : 0;
		free(full);
		return rc;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = fsutil_join(rel, de->d_name);
		free(full);
		full = fsutil_join(dir, sub);
		if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode))
			rc = walk(dir, sub, depth + 1, cb, arg);
		else
			rc = cb(sub, full, 0, arg);
		free(sub);
	}
	closedir(d);
	free(full);
	if (rc == 0 && *rel != '\0') {
		full = fsutil_join(dir, rel);
		rc = cb(rel, full, 1, arg);
		free(full);
	}
	return rc;
}

/* The first component of path, in a new string. */
static char *
top_of(const char *path)
{
	return xstrndup(path, strcspn(path, "/"));
}

/* --- reading a stick ------------------------------------------------------ */

static int
read_small(const char *dir, const char *name, size_t max, struct buf *out)
{
	char	*f = fsutil_join(dir, name);
	int	 rc;

	buf_init(out, max);
	rc = fsutil_read(f, out);
	if (rc == FERRY_ETOOBIG)
		rc = err_set("'%s' is too big to be ferry's", f);
	free(f);
	return rc;
}

/*
 * The stick's MANIFEST, if signed by pub: 0, FERRY_ENOTFOUND when there
 * is none, another error when it is not good.
 */
static int
read_manifest(const char *dir, const struct sign_pubkey *pub,
    struct manifest *m)
{
	struct buf	 text = BUF_INIT, sig = BUF_INIT;
	char		*f;
	int		 rc = -1;

	memset(m, 0, sizeof *m);
	f = fsutil_join(dir, STICK_MANIFEST);
	if (access(f, F_OK) != 0 && errno == ENOENT) {
		rc = err_code(FERRY_ENOTFOUND, "%s: missing", STICK_MANIFEST);
		goto out;
	}
	if (read_small(dir, STICK_MANIFEST, MANIFEST_MAX, &text) != 0)
		goto out;
	if (read_small(dir, STICK_SIG, SIG_MAX, &sig) != 0) {
		err_prefix("%s", STICK_SIG);
		goto out;
	}
	if (sign_verify(pub, text.ptr ? text.ptr : "", text.len,
	    sig.ptr ? sig.ptr : "", sig.len, NULL) != 0) {
		err_prefix("%s", STICK_SIG);
		goto out;
	}
	if (manifest_parse(text.ptr, text.len, STICK_MANIFEST, m) != 0)
		goto out;
	rc = 0;
out:
	buf_free(&text);
	buf_free(&sig);
	free(f);
	return rc;
}

/* The paths an unfinished export listed in the journal, into set. */
static void
read_journal(const char *dir, struct strmap *set)
{
	struct buf	 b = BUF_INIT;
	char		*p, *nl, *list;

	if (read_small(dir, STICK_JOURNAL, MANIFEST_MAX, &b) != 0 ||
	    b.ptr == NULL ||
	    (list = strstr(b.ptr, JOURNAL_MARK "\n")) == NULL) {
		err_clear();
		buf_free(&b);
		return;
	}
	for (p = list + strlen(JOURNAL_MARK) + 1; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		if (*p != '\0')
			strmap_put(set, p, set);
	}
	buf_free(&b);
}

/* --- what goes on the stick ----------------------------------------------- */

enum item_kind { ITEM_BLOB, ITEM_LOOSE, ITEM_FILE, ITEM_TEXT, ITEM_KEEP };

struct item {
	char		*path;		/* on the stick */
	enum item_kind	 kind;
	char		 id[STORE_OIDLEN + 1];	/* BLOB, LOOSE */
	char		*src;		/* FILE: a local file; TEXT: bytes */
	int64_t		 size;		/* -1: known once written */
	char		 sha[HASH_HEXLEN + 1];	/* "" until known */
	int		 write;
};

struct exp {
	const struct conf	*conf;
	struct store		*s;
	const char		*dir;
	struct sign_seckey	 sk;
	struct sign_pubkey	 pk;
	struct item		*items;
	size_t			 nitems;
	struct strmap		*paths;		/* path -> item index + 1 */
	struct strmap		*folds;		/* case-folded path -> path */
	struct strmap		*cache;		/* blob id -> SHA-256 */
	struct strmap		*unknown;	/* paths the journal names */
	struct manifest		 base;		/* the stick's, when signed */
	int			 base_ok;
	int			 fat32;
	char			*tmpdir;	/* local: the new pack */
	int64_t			 loose_bytes;	/* big blobs to copy, at most */
	struct export_stats	*st;
};

static struct item *
add_item(struct exp *e, const char *path, enum item_kind kind)
{
	struct item	*it;

	e->items = xreallocarray(e->items, e->nitems + 1, sizeof *e->items);
	it = &e->items[e->nitems++];
	memset(it, 0, sizeof *it);
	it->path = xstrdup(path);
	it->kind = kind;
	it->size = -1;
	strmap_put(e->paths, path, (void *)(uintptr_t)e->nitems);
	return it;
}

/* A file of size bytes that FAT32 cannot hold, when the stick is FAT32. */
static int
too_big(struct exp *e, const char *path, int64_t size)
{
	char	n[32];

	if (!e->fat32 || size <= FAT32_MAX)
		return 0;
	snprintf(n, sizeof n, "%" PRId64, size);
	return err_set("cannot export '%s' (%s bytes) to '%s': FAT32 holds "
	    "no file of 4 GiB or more (format the stick as exFAT)", path, n,
	    e->dir);
}

static int
add_tree_file(const struct store_file *f, void *arg)
{
	struct exp	*e = arg;
	struct item	*it;
	const char	*sha, *other;
	char		*fold;

	if (!pathmap_is_portable(f->path))
		return err_set("cannot export '%s': the name is not valid on "
		    "a FAT32, exFAT or NTFS stick (rename the file)", f->path);
	fold = pathmap_fold(f->path);
	if ((other = strmap_get(e->folds, fold)) != NULL) {
		free(fold);
		return err_set("cannot export '%s' and '%s': the names differ "
		    "only in case, and one would overwrite the other on a "
		    "stick (rename one)", other, f->path);
	}
	if (too_big(e, f->path, f->size) != 0) {
		free(fold);
		return -1;
	}
	it = add_item(e, f->path, ITEM_BLOB);
	strmap_put(e->folds, fold, it->path);
	free(fold);
	memcpy(it->id, f->blob, sizeof it->id);
	it->size = f->size;
	if ((sha = strmap_get(e->cache, f->blob)) != NULL)
		memcpy(it->sha, sha, sizeof it->sha);
	return 0;
}

static void
add_text(struct exp *e, const char *path, const char *text)
{
	struct item	*it = add_item(e, path, ITEM_TEXT);

	it->src = xstrdup(text);
	it->size = (int64_t)strlen(text);
	hash_buf(text, strlen(text), it->sha);
}

/* A file of the stick's last export that is there, whole, as listed. */
static int
still_there(struct exp *e, const char *path, const struct manifest_file **mf)
{
	struct stat	 st;
	char		*full;
	int		 ok;

	*mf = NULL;
	if (!e->base_ok || strmap_get(e->unknown, path) != NULL ||
	    (*mf = manifest_find(&e->base, path)) == NULL)
		return 0;
	full = fsutil_join(e->dir, path);
	ok = lstat(full, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size == (off_t)(*mf)->size;
	free(full);
	return ok;
}

/* The stick's history is whole: every history file of its MANIFEST. */
static int
history_there(struct exp *e)
{
	const struct manifest_file	*mf;
	size_t				 i;

	if (!e->base_ok)
		return 0;
	for (i = 0; i < e->base.nfiles; i++)
		if (strncmp(e->base.files[i].path, STICK_HISTORY "/",
		    sizeof STICK_HISTORY) == 0 &&
		    !still_there(e, e->base.files[i].path, &mf))
			return 0;
	return 1;
}

/*
 * The history's files: the stick's earlier packs and loose objects kept
 * (when all there), a new pack, the big blobs as loose objects, and the
 * small files that make history.git a repository git can clone.
 */
static int
add_history(struct exp *e, const char *head)
{
	struct transfer_pack	 tp;
	const struct manifest_file *mf;
	struct item		*it;
	struct stat		 st;
	const char		*since = NULL;
	char			*path = NULL, *src, ref[64];
	size_t			 i;
	int			 rc = -1;

	if (history_there(e)) {
		since = e->base.commit;
		for (i = 0; i < e->base.nfiles; i++) {
			mf = &e->base.files[i];
			if (strncmp(mf->path, STICK_HISTORY "/objects/",
			    sizeof STICK_HISTORY + 8) != 0)
				continue;
			it = add_item(e, mf->path, ITEM_KEEP);
			it->size = mf->size;
			memcpy(it->sha, mf->sha256, sizeof it->sha);
		}
	}
	if (transfer_pack(e->s, head, since, e->tmpdir, &tp) != 0)
		goto out;
	e->st->incremental = tp.incremental;
	if (tp.pack[0] != '\0') {
		for (i = 0; i < 2; i++) {
			xasprintf(&path, "%s/objects/pack/%s.%s",
			    STICK_HISTORY, tp.pack, i ? "idx" : "pack");
			xasprintf(&src, "%s/%s.%s", e->tmpdir, tp.pack,
			    i ? "idx" : "pack");
			if (stat(src, &st) == 0 &&
			    too_big(e, path, (int64_t)st.st_size) != 0) {
				free(src);
				goto out;
			}
			if (strmap_get(e->paths, path) == NULL) {
				it = add_item(e, path, ITEM_FILE);
				it->src = src;
			} else
				free(src);
			free(path);
			path = NULL;
		}
	}
	for (i = 0; i < tp.nloose; i++) {
		xasprintf(&path, "%s/objects/%.2s/%s", STICK_HISTORY,
		    tp.loose[i], tp.loose[i] + 2);
		/* A stored zlib stream is a little bigger than its bytes. */
		if (too_big(e, path, tp.loose_size[i] +
		    tp.loose_size[i] / 1000 + 64) != 0)
			goto out;
		if (strmap_get(e->paths, path) == NULL) {
			it = add_item(e, path, ITEM_LOOSE);
			memcpy(it->id, tp.loose[i], sizeof it->id);
		}
		free(path);
		path = NULL;
	}
	add_text(e, STICK_HISTORY "/HEAD", "ref: refs/heads/main\n");
	add_text(e, STICK_HISTORY "/config", "[core]\n"
	    "\trepositoryformatversion = 0\n\tfilemode = false\n"
	    "\tbare = true\n");
	snprintf(ref, sizeof ref, "%s\n", head);
	add_text(e, STICK_HISTORY "/refs/heads/main", ref);
	e->loose_bytes = tp.loose_bytes;
	rc = 0;
out:
	free(path);
	transfer_pack_free(&tp);
	return rc;
}

/* --- writing -------------------------------------------------------------- */

struct wsink {
	int		 fd;
	const char	*file;
	struct hash_ctx	 h;
	int64_t		 n;
};

static int
wsink_write(void *arg, const void *p, size_t n)
{
	struct wsink	*w = arg;

	hash_update(&w->h, p, n);
	w->n += (int64_t)n;
	if (fsutil_write_all(w->fd, p, n) == -1)
		return err_set("cannot write '%s': %s", w->file,
		    strerror(errno));
	return 0;
}

static int
copy_file(const char *src, struct wsink *w)
{
	char	chunk[65536];
	ssize_t	n;
	int	fd, rc = 0;

	if ((fd = open(src, O_RDONLY | O_CLOEXEC)) == -1)
		return err_set("cannot read '%s': %s", src, strerror(errno));
	while (rc == 0 && (n = read(fd, chunk, sizeof chunk)) != 0)
		rc = n < 0 ? err_set("cannot read '%s': %s", src,
		    strerror(errno)) : wsink_write(w, chunk, (size_t)n);
	close(fd);
	return rc;
}

/* Put one item on the stick: a temporary name, then rename. */
static int
write_item(struct exp *e, struct item *it)
{
	struct wsink	 w = { -1, NULL, HASH_INIT, 0 };
	char		*full, *tmp, *parent;
	int		 rc = -1;

	full = fsutil_join(e->dir, it->path);
	xasprintf(&tmp, "%s%s", full, STICK_TMP);
	parent = fsutil_dirname(full);
	if (fsutil_mkdirs(parent, 0755) != 0)
		goto out;
	if ((w.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1) {
		err_set("cannot write '%s': %s", tmp, strerror(errno));
		goto out;
	}
	w.file = full;
	hash_init(&w.h);
	switch (it->kind) {
	case ITEM_BLOB:
		rc = store_blob_stream(e->s, it->id, wsink_write, &w);
		break;
	case ITEM_LOOSE:
		rc = transfer_loose(e->s, it->id, wsink_write, &w);
		break;
	case ITEM_FILE:
		rc = copy_file(it->src, &w);
		break;
	default:
		rc = wsink_write(&w, it->src, strlen(it->src));
		break;
	}
	hash_final(&w.h, it->sha);
	it->size = w.n;
	if (rc != 0)
		goto out;
	rc = -1;
	if (close(w.fd) == -1 || rename(tmp, full) == -1) {
		w.fd = -1;
		err_set("cannot write '%s': %s", full, strerror(errno));
		goto out;
	}
	w.fd = -1;
	if (it->kind == ITEM_BLOB)
		free(strmap_put(e->cache, it->id, xstrdup(it->sha)));
	rc = 0;
out:
	if (w.fd != -1)
		close(w.fd);
	if (rc != 0)
		(void)unlink(tmp);
	hash_free(&w.h);
	free(parent);
	free(tmp);
	free(full);
	return rc;
}

/* Which items must be written; the bytes that takes, rounded to blocks. */
static int64_t
plan(struct exp *e, int64_t block)
{
	const struct manifest_file	*mf;
	struct item			*it;
	int64_t				 need = 0, sz;
	size_t				 i;

	for (i = 0; i < e->nitems; i++) {
		it = &e->items[i];
		it->write = it->kind != ITEM_KEEP;
		if (it->kind != ITEM_KEEP && it->sha[0] != '\0' &&
		    still_there(e, it->path, &mf) &&
		    strcmp(mf->sha256, it->sha) == 0 && mf->size == it->size)
			it->write = 0;
		if (!it->write)
			continue;
		sz = it->size;
		if (it->kind == ITEM_FILE) {
			struct stat st;

			sz = stat(it->src, &st) == 0 ? (int64_t)st.st_size : 0;
		}
		if (sz > 0)
			need += (sz + block - 1) / block * block;
		need += block;
	}
	return need + e->loose_bytes + 4 * block;
}

struct sweep {
	struct exp	*e;
	struct strmap	*tops;
	int		 rc;
};

/* Remove what is in the export's areas but not in the export. */
static int
sweep_one(const char *rel, const char *full, int is_dir, void *arg)
{
	struct sweep	*sw = arg;
	char		*top = top_of(rel);
	int		 ours, len = (int)strlen(rel);

	ours = strmap_get(sw->tops, top) != NULL;
	free(top);
	if (!ours)
		return 0;
	if (is_dir) {
		(void)rmdir(full);	/* only when empty */
		return 0;
	}
	if (strmap_get(sw->e->paths, rel) != NULL &&
	    !(len > (int)strlen(STICK_TMP) &&
	    strcmp(rel + len - strlen(STICK_TMP), STICK_TMP) == 0))
		return 0;
	if (unlink(full) == -1 && errno != ENOENT)
		return err_set("cannot remove '%s': %s", full,
		    strerror(errno));
	sw->e->st->removed++;
	return 0;
}

static int
sweep(struct exp *e)
{
	struct sweep	 sw = { e, strmap_new(), 0 };
	char		*top;
	size_t		 i;
	int		 rc;

	for (i = 0; i < e->nitems + e->base.nfiles; i++) {
		top = top_of(i < e->nitems ? e->items[i].path :
		    e->base.files[i - e->nitems].path);
		strmap_put(sw.tops, top, &sw);
		free(top);
	}
	strmap_put(sw.tops, STICK_HISTORY, &sw);
	rc = walk(e->dir, "", 0, sweep_one, &sw);
	strmap_free(sw.tops, NULL);
	return rc;
}

static int
write_journal(struct exp *e)
{
	struct buf	 b = BUF_INIT;
	const char	*k;
	void		*v;
	size_t		 i, it = 0;
	char		*f;
	int		 rc;

	buf_addstr(&b, journal_text);
	for (i = 0; i < e->nitems; i++)
		if (e->items[i].write)
			buf_addf(&b, "%s\n", e->items[i].path);
	while (strmap_next(e->unknown, &it, &k, &v))
		if (strmap_get(e->paths, k) == NULL ||
		    !e->items[(uintptr_t)strmap_get(e->paths, k) - 1].write)
			buf_addf(&b, "%s\n", k);
	for (i = 0; i < e->base.nfiles; i++)
		if (strmap_get(e->paths, e->base.files[i].path) == NULL)
			buf_addf(&b, "%s\n", e->base.files[i].path);
	f = fsutil_join(e->dir, STICK_JOURNAL);
	rc = fsutil_write_atomic(f, b.ptr, b.len, 1);
	if (rc == 0)
		rc = fsutil_syncfs(e->dir);
	free(f);
	buf_free(&b);
	return rc;
}

/* --- the mirror's bookkeeping --------------------------------------------- */

/* blob id -> SHA-256 of the files exported before, from .git/ferry. */
static void
load_cache(struct exp *e)
{
	struct buf	 b = BUF_INIT;
	char		*f, *p, *nl;

	f = fsutil_join(store_private(e->s), "export-hashes");
	buf_init(&b, MANIFEST_MAX);
	if (fsutil_read(f, &b) == 0 && b.ptr != NULL) {
		for (p = b.ptr; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
			*nl = '\0';
			if (strlen(p) == STORE_OIDLEN + 1 + HASH_HEXLEN &&
			    p[STORE_OIDLEN] == ' ') {
				p[STORE_OIDLEN] = '\0';
				free(strmap_put(e->cache, p,
				    xstrdup(p + STORE_OIDLEN + 1)));
			}
		}
	}
	err_clear();
	buf_free(&b);
	free(f);
}

/* The cache again, for the files of this export only: it stays small. */
static void
save_cache(struct exp *e)
{
	struct buf	 b = BUF_INIT;
	const char	*sha;
	char		*f;
	size_t		 i;

	for (i = 0; i < e->nitems; i++)
		if (e->items[i].kind == ITEM_BLOB &&
		    (sha = strmap_get(e->cache, e->items[i].id)) != NULL)
			buf_addf(&b, "%s %s\n", e->items[i].id, sha);
	f = fsutil_join(store_private(e->s), "export-hashes");
	if (fsutil_write_atomic(f, b.ptr ? b.ptr : "", b.len,
	    e->conf->fsync) != 0) {
		log_warnx("%s (the next export hashes its files again)",
		    err_msg());
		err_clear();
	}
	free(f);
	buf_free(&b);
}

/* A number kept in .git/ferry/name; 0 when there is none. */
static uint64_t
read_number(struct store *s, const char *name)
{
	struct buf	 b = BUF_INIT;
	char		*f = fsutil_join(store_private(s), name);
	uint64_t	 v = 0;

	buf_init(&b, 64);
	if (fsutil_read(f, &b) == 0 && b.ptr != NULL)
		v = strtoull(b.ptr, NULL, 10);
	err_clear();
	buf_free(&b);
	free(f);
	return v;
}

static int
write_number(struct store *s, const char *name, uint64_t v, int sync)
{
	char	*f = fsutil_join(store_private(s), name), text[32];
	int	 rc;

	snprintf(text, sizeof text, "%" PRIu64 "\n", v);
	rc = fsutil_write_atomic(f, text, strlen(text), sync);
	free(f);
	return rc;
}

/* --- export --------------------------------------------------------------- */

static int
open_stick(const char *dir, int *fat32)
{
	struct statfs	sf;

	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return err_set("cannot export to '%s': %s", dir,
		    strerror(errno));
	if (!fsutil_is_dir(dir) || access(dir, W_OK) != 0)
		return err_set("cannot export to '%s': not a writable "
		    "directory (mount the stick read-write)", dir);
	if (statfs(dir, &sf) == 0 && sf.f_type == MSDOS_MAGIC)
		*fat32 = 1;
	return 0;
}

static int
check_space(struct exp *e)
{
	struct statvfs	 vf;
	int64_t		 need, avail;
	char		 n[32], a[32], d[32];

	if (statvfs(e->dir, &vf) != 0)
		return err_set("cannot read the free space of '%s': %s",
		    e->dir, strerror(errno));
	need = plan(e, vf.f_frsize > 0 ? (int64_t)vf.f_frsize : 4096);
	avail = (int64_t)vf.f_bavail * (int64_t)vf.f_frsize;
	if (need <= avail)
		return 0;
	snprintf(n, sizeof n, "%.1f MB", (double)need / 1e6);
	snprintf(a, sizeof a, "%.1f MB", (double)avail / 1e6);
	snprintf(d, sizeof d, "%.1f MB", (double)(need - avail) / 1e6);
	return err_set("not enough space on '%s': the export needs %s, %s "
	    "free (%s short); nothing was written (use a bigger stick or "
	    "free some space)", e->dir, n, a, d);
}

static int
write_items(struct exp *e)
{
	struct item	*it;
	size_t		 i;

	for (i = 0; i < e->nitems; i++) {
		it = &e->items[i];
		if (!it->write) {
			e->st->unchanged++;
			e->st->bytes += it->size;
			continue;
		}
		if (write_item(e, it) != 0)
			return -1;
		e->st->written++;
		e->st->bytes_written += it->size;
		e->st->bytes += it->size;
		if (strncmp(it->path, STICK_HISTORY "/",
		    sizeof STICK_HISTORY) == 0)
			e->st->history_bytes += it->size;
	}
	return 0;
}

/* MANIFEST, its signature and the public key; then the journal goes. */
static int
seal(struct exp *e, const char *head, uint64_t seq, int64_t now)
{
	struct manifest	 m;
	struct buf	 text = BUF_INIT, sig = BUF_INIT, pub = BUF_INIT;
	char		 trusted[256], t1[UTC_LEN + 1], *f = NULL;
	size_t		 i;
	int		 rc = -1;

	memset(&m, 0, sizeof m);
	m.sequence = seq;
	memcpy(m.commit, head, sizeof m.commit);
	m.exported = now;
	m.expires = now + e->conf->valid_for;
	for (i = 0; i < e->nitems; i++)
		manifest_add(&m, e->items[i].path, e->items[i].sha,
		    e->items[i].size);
	manifest_sort(&m);
	manifest_format(&m, &text);
	utc_format(m.expires, t1);
	snprintf(trusted, sizeof trusted, "ferry export sequence %" PRIu64
	    " commit %s expires %s", seq, head, t1);
	if (sign_detached(&e->sk, text.ptr, text.len, "signature from ferry "
	    "export", trusted, &sig) != 0)
		goto out;
	sign_pubkey_file(&e->pk, &pub);
	if (fsutil_syncfs(e->dir) != 0)	/* files before the manifest */
		goto out;
	f = fsutil_join(e->dir, STICK_MANIFEST);
	if (fsutil_write_atomic(f, text.ptr, text.len, 1) != 0)
		goto out;
	free(f);
	f = fsutil_join(e->dir, STICK_SIG);
	if (fsutil_write_atomic(f, sig.ptr, sig.len, 1) != 0)
		goto out;
	free(f);
	f = fsutil_join(e->dir, STICK_PUB);
	if (fsutil_write_atomic(f, pub.ptr, pub.len, 1) != 0)
		goto out;
	free(f);
	f = fsutil_join(e->dir, STICK_JOURNAL);
	if (unlink(f) == -1 && errno != ENOENT) {
		err_set("cannot remove '%s': %s", f, strerror(errno));
		goto out;
	}
	if (fsutil_syncfs(e->dir) != 0)
		goto out;
	e->st->files = m.nfiles;
	e->st->expires = m.expires;
	rc = 0;
out:
	free(f);
	buf_free(&text);
	buf_free(&sig);
	buf_free(&pub);
	manifest_free(&m);
	return rc;
}

static int
load_key(const struct conf *conf, struct exp *e)
{
	if (conf->export_key == NULL)
		return err_code(FERRY_ECONFIG, "%s: export.key: missing (make "
		    "a key with 'ferry keygen FILE' and name it in [export] "
		    "key)", conf->file);
	if (sign_load_seckey(conf->export_key, &e->sk) != 0) {
		err_prefix("%s: export.key", conf->file);
		return FERRY_ECONFIG;
	}
	memcpy(e->pk.id, e->sk.id, sizeof e->pk.id);
	memcpy(e->pk.pk, e->sk.sk + 32, sizeof e->pk.pk);
	return 0;
}

static void
exp_free(struct exp *e)
{
	size_t	i;

	for (i = 0; i < e->nitems; i++) {
		free(e->items[i].path);
		free(e->items[i].src);
	}
	free(e->items);
	strmap_free(e->paths, NULL);
	strmap_free(e->folds, NULL);
	strmap_free(e->cache, free);
	strmap_free(e->unknown, NULL);
	manifest_free(&e->base);
	if (e->tmpdir != NULL)
		(void)fsutil_rmtree(e->tmpdir);
	free(e->tmpdir);
	explicit_bzero(&e->sk, sizeof e->sk);
}

/*
 * Export HEAD to dir: the files that differ from the stick's signed
 * MANIFEST (or that an unfinished export touched), the history since the
 * stick's commit, then the manifest.
 */
int
export_run(const struct conf *conf, struct store *s, const char *dir,
    int flags, struct export_stats *st)
{
	struct exp	 e;
	struct timespec	 t0, t1;
	char		 head[STORE_OIDLEN + 1];
	int64_t		 now = (int64_t)time(NULL);
	uint64_t	 seq;
	int		 rc = -1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(st, 0, sizeof *st);
	memset(&e, 0, sizeof e);
	e.conf = conf;
	e.s = s;
	e.dir = dir;
	e.st = st;
	e.fat32 = (flags & EXPORT_FAT32) != 0;
	e.paths = strmap_new();
	e.folds = strmap_new();
	e.cache = strmap_new();
	e.unknown = strmap_new();
	if ((rc = load_key(conf, &e)) != 0)
		goto out;
	rc = -1;
	if (store_head(s, head) != 0 || open_stick(dir, &e.fat32) != 0)
		goto out;
	e.base_ok = read_manifest(dir, &e.pk, &e.base) == 0;
	if (!e.base_ok)
		manifest_free(&e.base);
	err_clear();
	read_journal(dir, e.unknown);
	load_cache(&e);
	xasprintf(&e.tmpdir, "%s/tmp/export-%ld", store_private(s),
	    (long)getpid());
	if (fsutil_mkdirs(e.tmpdir, 0755) != 0 ||
	    store_tree_files(s, head, NULL, add_tree_file, &e) != 0 ||
	    add_history(&e, head) != 0 || check_space(&e) != 0)
		goto out;
	seq = read_number(s, "export-sequence");
	if (e.base_ok && e.base.sequence > seq)
		seq = e.base.sequence;
	seq++;
	if (write_journal(&e) != 0 || write_items(&e) != 0 ||
	    sweep(&e) != 0 || seal(&e, head, seq, now) != 0)
		goto out;
	if (write_number(s, "export-sequence", seq, conf->fsync) != 0)
		log_warnx("%s", err_msg());
	save_cache(&e);
	memcpy(st->commit, head, sizeof st->commit);
	st->sequence = seq;
	rc = 0;
out:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	st->seconds = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	exp_free(&e);
	return rc;
}

/* --- verify --------------------------------------------------------------- */

struct check {
	const struct manifest	*m;
	struct strmap		*tops;
	export_problem_cb	*cb;
	void			*arg;
	struct export_check	*out;
};

static void
problem(struct check *c, const char *what, const char *detail)
{
	c->out->problems++;
	c->cb(what, detail, c->arg);
}

/* A problem whose message names its file first ("FILE: what"). */
static void
problem_msg(struct check *c, const char *msg)
{
	const char	*colon = strstr(msg, ": ");
	char		*what;

	if (colon == NULL) {
		problem(c, STICK_MANIFEST, msg);
		return;
	}
	what = xstrndup(msg, (size_t)(colon - msg));
	problem(c, what, colon + 2);
	free(what);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t	n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* A file on the stick that the MANIFEST does not list. */
static int
check_extra(const char *rel, const char *full, int is_dir, void *arg)
{
	struct check	*c = arg;
	const char	*base = strrchr(rel, '/');
	char		*top;
	int		 ours;

	(void)full;
	base = base ? base + 1 : rel;
	if (is_dir || manifest_find(c->m, rel) != NULL || os_litter(base) ||
	    strcmp(rel, STICK_MANIFEST) == 0 || strcmp(rel, STICK_SIG) == 0 ||
	    strcmp(rel, STICK_PUB) == 0 || strcmp(rel, STICK_JOURNAL) == 0)
		return 0;
	top = top_of(rel);
	ours = strmap_get(c->tops, top) != NULL || (strchr(rel, '/') == NULL &&
	    (ends_with(rel, ".html") || ends_with(rel, ".htm")));
	free(top);
	if (ours)
		problem(c, rel, "not in the MANIFEST (added after the export)");
	return 0;
}

static void
check_files(struct check *c, const char *dir)
{
	const struct manifest_file	*mf;
	struct stat			 st;
	char				 sha[HASH_HEXLEN + 1], *full, *d;
	size_t				 i;

	for (i = 0; i < c->m->nfiles; i++) {
		mf = &c->m->files[i];
		full = fsutil_join(dir, mf->path);
		if (lstat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
			problem(c, mf->path, "missing");
		} else if (hash_file(full, sha) != 0) {
			problem(c, mf->path, err_msg());
			err_clear();
		} else if (st.st_size != (off_t)mf->size ||
		    strcmp(sha, mf->sha256) != 0) {
			xasprintf(&d, "expected %" PRId64 " bytes, SHA-256 "
			    "%.16s..., found %lld bytes, SHA-256 %.16s...",
			    mf->size, mf->sha256, (long long)st.st_size, sha);
			problem(c, mf->path, d);
			free(d);
		} else {
			c->out->files++;
			c->out->bytes += mf->size;
		}
		free(full);
	}
}

static void
check_expiry(struct check *c)
{
	char	t1[UTC_LEN + 1], t2[UTC_LEN + 1], *d;

	if ((int64_t)time(NULL) <= c->m->expires)
		return;
	c->out->expired = 1;
	utc_format(c->m->expires, t1);
	utc_format(c->m->exported, t2);
	xasprintf(&d, "expired on %.10s (exported %.10s): ask for a newer "
	    "stick", t1, t2);
	problem(c, STICK_MANIFEST, d);
	free(d);
}

/* The key to check with: pinned, or the stick's own ferry.pub. */
static int
verify_key(const char *dir, const struct sign_pubkey *pinned,
    struct sign_pubkey *pk, struct export_check *out)
{
	char	*f;
	int	 rc;

	if (pinned != NULL) {
		*pk = *pinned;
		out->key_pinned = 1;
		return 0;
	}
	f = fsutil_join(dir, STICK_PUB);
	rc = sign_load_pubkey(f, pk);
	free(f);
	return rc;
}

/*
 * Check the stick at dir: the journal, the signature (with pinned, or
 * the key the stick carries), every listed file, files added, expiry.
 * Each problem goes to cb; out says what was found.  Only reads.
 */
int
export_verify(const char *dir, const struct sign_pubkey *pinned,
    export_problem_cb *cb, void *arg, struct export_check *out)
{
	struct check		 c = { NULL, NULL, cb, arg, out };
	struct sign_pubkey	 pk;
	struct buf		 sig = BUF_INIT;
	unsigned char		 id[SIGN_KEYID_LEN];
	char			*f, *top;
	size_t			 i;
	int			 rc;

	memset(out, 0, sizeof *out);
	c.m = &out->m;
	if (!fsutil_is_dir(dir))
		return err_set("'%s' is not a directory (give the stick's "
		    "mount point)", dir);
	f = fsutil_join(dir, STICK_JOURNAL);
	if (access(f, F_OK) == 0) {
		out->incomplete = 1;
		problem(&c, STICK_JOURNAL, "the last export to this stick did "
		    "not finish (pulled out too early?): export to it again");
	}
	free(f);
	f = fsutil_join(dir, STICK_MANIFEST);
	if (access(f, F_OK) != 0 && errno == ENOENT) {
		out->incomplete = 1;
		problem(&c, STICK_MANIFEST, "missing: no export finished on "
		    "this stick");
		free(f);
		return 0;
	}
	free(f);
	if (read_small(dir, STICK_SIG, SIG_MAX, &sig) == 0 &&
	    sign_sig_keyid(sig.ptr ? sig.ptr : "", sig.len, id) == 0)
		sign_keyid_hex(id, out->keyid);
	buf_free(&sig);
	err_clear();
	if (verify_key(dir, pinned, &pk, out) != 0) {
		problem(&c, STICK_PUB, err_msg());
		err_clear();
		return 0;
	}
	if (read_manifest(dir, &pk, &out->m) != 0) {
		problem_msg(&c, err_msg());
		err_clear();
		return 0;
	}
	out->signed_ok = 1;
	sign_keyid_hex(pk.id, out->keyid);
	c.tops = strmap_new();
	for (i = 0; i < out->m.nfiles; i++) {
		top = top_of(out->m.files[i].path);
		strmap_put(c.tops, top, &c);
		free(top);
	}
	check_expiry(&c);
	check_files(&c, dir);
	rc = walk(dir, "", 0, check_extra, &c);
	strmap_free(c.tops, NULL);
	return rc;
}

void
export_check_free(struct export_check *c)
{
	manifest_free(&c->m);
}

/* --- import --------------------------------------------------------------- */

/* The key pinned by [import] trusted-key; FERRY_ECONFIG when it is bad. */
int
export_trusted_key(const struct conf *conf, struct sign_pubkey *pk)
{
	int	rc;

	if (conf->trusted_key == NULL)
		return err_code(FERRY_ECONFIG, "%s: import.trusted-key: "
		    "missing (pin the exporter's public key: the 'RW...' line "
		    "of its ferry.pub, given to you by hand)", conf->file);
	if ((rc = sign_pubkey_from(conf->trusted_key, pk)) != 0) {
		err_prefix("%s: import.trusted-key", conf->file);
		return FERRY_ECONFIG;
	}
	return 0;
}

/* The last import: "<sequence> <commit>" in .git/ferry/import. */
static void
read_import(struct store *s, uint64_t *seq, char commit[41])
{
	struct buf	 b = BUF_INIT;
	char		*f = fsutil_join(store_private(s), "import"), *sp;

	*seq = 0;
	commit[0] = '\0';
	buf_init(&b, 256);
	if (fsutil_read(f, &b) == 0 && b.ptr != NULL &&
	    (sp = strchr(b.ptr, ' ')) != NULL && strlen(sp + 1) >= 40) {
		*seq = strtoull(b.ptr, NULL, 10);
		memcpy(commit, sp + 1, 40);
		commit[40] = '\0';
	}
	err_clear();
	buf_free(&b);
	free(f);
}

static int
write_import(struct store *s, uint64_t seq, const char *commit, int sync)
{
	char	*f = fsutil_join(store_private(s), "import"), text[80];
	int	 rc;

	snprintf(text, sizeof text, "%" PRIu64 " %s\n", seq, commit);
	rc = fsutil_write_atomic(f, text, strlen(text), sync);
	free(f);
	return rc;
}

/* Is the stick newer than what this mirror took in last? */
static int
check_rollback(struct store *s, const struct manifest *m,
    struct export_import *out)
{
	uint64_t	seq;
	char		commit[41];

	read_import(s, &seq, commit);
	if (m->sequence < seq)
		return err_set("refused: this stick is older than what this "
		    "mirror has (its export sequence is %" PRIu64 ", the "
		    "mirror took in %" PRIu64 " already); a stick never "
		    "takes a mirror back", m->sequence, seq);
	if (m->sequence == seq && strcmp(commit, m->commit) != 0)
		return err_set("refused: export sequence %" PRIu64 " was "
		    "taken in already with commit %.12s, and this stick has "
		    "commit %.12s", seq, commit, m->commit);
	out->unchanged = m->sequence == seq;
	return 0;
}

/* Take in the stick's packs and loose objects this mirror lacks. */
static int
take_history(struct store *s, const char *dir, const struct manifest *m,
    struct export_import *out)
{
	static const char	 objs[] = STICK_HISTORY "/objects/";
	const char		*p;
	char			*full, hex[STORE_OIDLEN + 1];
	size_t			 i;
	int			 rc = 0;

	for (i = 0; rc == 0 && i < m->nfiles; i++) {
		p = m->files[i].path;
		if (strncmp(p, objs, sizeof objs - 1) != 0)
			continue;
		p += sizeof objs - 1;
		full = fsutil_join(dir, m->files[i].path);
		if (strncmp(p, "pack/", 5) == 0 && ends_with(p, ".pack")) {
			if ((rc = transfer_take_pack(s, full)) == 0)
				out->packs++;
		} else if (strlen(p) == 41 && p[2] == '/') {
			memcpy(hex, p, 2);
			memcpy(hex + 2, p + 3, 38);
			hex[40] = '\0';
			if ((rc = transfer_take_loose(s, hex, full)) == 0)
				out->loose++;
		}
		if (rc == FERRY_EUNCHANGED)
			rc = 0;
		free(full);
	}
	return rc;
}

/*
 * Take in the stick at dir: verified with pk (the pinned key), newer than
 * the last one taken in, its history continuing the mirror's; then the
 * branch moves and the working tree follows (store_advance).  The caller
 * holds the mirror's lock.
 */
int
export_import(const struct conf *conf, struct store *s, const char *dir,
    const struct sign_pubkey *pk, int allow_expired, export_problem_cb *cb,
    void *arg, struct export_import *out)
{
	struct export_check	 chk;
	char			 t[UTC_LEN + 1];
	int			 rc = -1, arc;

	memset(out, 0, sizeof *out);
	memset(&chk, 0, sizeof chk);
	if (export_verify(dir, pk, cb, arg, &chk) != 0)
		goto out;
	if (!chk.signed_ok || chk.problems > (size_t)chk.expired) {
		err_set("refused '%s': %zu problem%s found (listed above); "
		    "the mirror was not changed", dir, chk.problems,
		    chk.problems == 1 ? "" : "s");
		goto out;
	}
	utc_format(chk.m.expires, t);
	if (chk.expired && !allow_expired) {
		err_set("refused '%s': the export expired on %.10s; if you "
		    "accept an old copy (or this computer's clock is wrong), "
		    "import with --allow-expired", dir, t);
		goto out;
	}
	if (chk.expired)
		log_warnx("'%s' expired on %.10s: imported all the same "
		    "(--allow-expired)", dir, t);
	out->sequence = chk.m.sequence;
	memcpy(out->commit, chk.m.commit, sizeof out->commit);
	if (store_head(s, out->from) != 0) {
		out->from[0] = '\0';
		err_clear();
	}
	if (check_rollback(s, &chk.m, out) != 0)
		goto out;
	if (take_history(s, dir, &chk.m, out) != 0 ||
	    transfer_complete(s, chk.m.commit) != 0)
		goto out;
	arc = store_advance(s, out->from[0] ? out->from : NULL, chk.m.commit,
	    "import");
	if (arc != 0 && arc != FERRY_EUNCHANGED)
		goto out;
	if (write_import(s, chk.m.sequence, chk.m.commit, conf->fsync) != 0)
		goto out;
	rc = 0;
out:
	export_check_free(&chk);
	return rc;
}
