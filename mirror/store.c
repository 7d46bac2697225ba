/*
 * store.c -- the mirror repository, written with libgit2.
 *
 * The git object database is ferry's compressed, content-addressed store:
 * every resource is a blob, every pass that changed something one commit.
 * A commit is made by writing objects first and then moving the branch by
 * compare-and-swap against the commit the pass started from, so a crash
 * at any instant leaves the previous commit whole, and a concurrent writer
 * is detected instead of overwritten.  The working tree is derived from
 * HEAD by a checkout limited to what ferry owns; local/ is never touched.
 *
 * ferry's private files (state, lock, temporary downloads) live in
 * .git/ferry/, whose existence marks a directory as a ferry mirror.
 * This module knows nothing of HTTP or HTML.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>
#include <sodium.h>
#include <zlib.h>
#include <git2/sys/odb_backend.h>

#include "buf.h"
#include "err.h"
#include "fsutil.h"
#include "gitsig.h"
#include "log.h"
#include "sign.h"
#include "store.h"
#include "strmap.h"
#include "xmalloc.h"

struct store {
	git_repository	*repo;
	git_tree	*head_tree;	/* cached for lookups, NULL until used */
	char		*root;		/* the working tree */
	char		*private;	/* .git/ferry */
	int		 lockfd;
	int		 created;	/* 1: made by this open, 2: and its
					   directory too */
	char		*tmpdir;	/* .git/ferry/tmp: files being written */
	unsigned	 ntmp;
};

#define STORE_SAMPLE	65536	/* bytes tried to see if a body compresses */
#define STORE_PACK_BLOB_MAX (512u << 10) /* larger objects stay loose,
					   but in a repack of everything */

static int	store_fsync = 1;	/* as store_global_init sets it */
static char	*store_key;		/* key file signing commits, or
					   NULL */

static int	index_reset(struct store *, git_index *);
static int	apply_changes(struct store *, const struct store_change *,
		    size_t, int);
static void	remove_stale_locks(struct store *, const char *, int);

/* Paths of the working tree that the administrators edit. */
static char *admin_paths[] = { "local", "catalog.conf" };

/* Paths of the working tree that a checkout may write. */
static char *owned_paths[] = {
	"site", "text", "index.html", "search.js", "index.json", "README.txt"
};

/*
 * libgit2's last error as ferry's: "WHAT 'SUBJECT': why".  For the
 * modules that include <git2.h> as documented exceptions, too.
 */
int
store_git_fail(const char *what, const char *subject)
{
	const git_error	*e = git_error_last();

	return err_set("%s '%s': %s", what, subject,
	    e && e->message ? e->message : "unknown libgit2 error");
}

int
store_global_init(void)
{
	int	lvl[] = { GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG,
		    GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_PROGRAMDATA };
	size_t	i;

	if (git_libgit2_init() < 0)
		return err_set("cannot initialise libgit2");
	/* A mirror must not depend on whoever runs it: no user config. */
	for (i = 0; i < sizeof lvl / sizeof lvl[0]; i++)
		git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, lvl[i], "");
	/* Objects and refs are flushed per commit (move_branch). */
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 0);
	return 0;
}

/*
 * Open mirrors another user owns: for root exporting ferryd's mirror to
 * a stick (libgit2 refuses such repositories otherwise).  The path comes
 * from root's own configuration, so nobody else chose it.
 */
void
store_trust_owner(void)
{
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
}

void
store_global_free(void)
{
	git_libgit2_shutdown();
}

static int
init_repo(struct store *s, const char *path)
{
	git_repository_init_options	opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;

	opts.flags = GIT_REPOSITORY_INIT_MKPATH |
	    GIT_REPOSITORY_INIT_NO_REINIT;
	opts.initial_head = "main";
	opts.description = "ferry mirror";
	if (git_repository_init_ext(&s->repo, path, &opts) < 0)
		return store_git_fail("cannot create mirror", path);
	return 0;
}

/*
 * Open the mirror at path.  With create, a missing or empty directory
 * becomes a new mirror; anything else that is not a ferry mirror is
 * refused untouched.
 */
int
store_open(const char *path, int create, struct store **out)
{
	struct store	*s;
	struct stat	 st;
	int		 rc = -1, fresh;

	s = xcalloc(1, sizeof *s);
	s->lockfd = -1;
	fresh = stat(path, &st) == -1 ||
	    (S_ISDIR(st.st_mode) && fsutil_dir_is_empty(path));
	if (fresh && !create) {
		err_code(FERRY_ENOTFOUND, "no mirror at '%s' yet (run "
		    "'ferry sync' first)", path);
		goto out;
	}
	if (!fresh && !S_ISDIR(st.st_mode)) {
		err_set("mirror path '%s' is not a directory", path);
		goto out;
	}
	if (fresh) {
		s->created = stat(path, &st) == -1 ? 2 : 1;
		if (init_repo(s, path) != 0)
			goto out;
	} else if (git_repository_open_ext(&s->repo, path,
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		err_set("'%s' exists and is not a ferry mirror (choose a new "
		    "or empty directory for mirror.path)", path);
		goto out;
	}
	if (git_repository_is_bare(s->repo)) {
		err_set("'%s' is a bare git repository, not a ferry mirror",
		    path);
		goto out;
	}
	s->root = xstrdup(git_repository_workdir(s->repo));
	if (s->root[strlen(s->root) - 1] == '/' && strlen(s->root) > 1)
		s->root[strlen(s->root) - 1] = '\0';
	s->private = fsutil_join(git_repository_path(s->repo), "ferry");
	if (fresh && fsutil_mkdirs(s->private, 0755) != 0)
		goto out;
	if (!fsutil_is_dir(s->private)) {
		err_set("'%s' is a git repository but not a ferry mirror "
		    "(choose a new or empty directory for mirror.path)", path);
		goto out;
	}
	*out = s;
	s = NULL;
	rc = 0;
out:
	store_close(s);
	return rc;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	store_unlock(s);
	git_tree_free(s->head_tree);
	git_repository_free(s->repo);
	free(s->root);
	free(s->private);
	free(s->tmpdir);
	free(s);
}

/*
 * Undo the creation of a mirror that never got its first commit, so that
 * a failed first pass leaves the directory as it was.  A no-op for a
 * mirror that existed before or has a commit.
 */
int
store_discard(struct store *s)
{
	char	hex[STORE_OIDLEN + 1], *gitdir;
	int	rc = 0;

	/* Without the lock, the directory may be another writer's now. */
	if (s == NULL || !s->created || s->lockfd == -1 ||
	    store_head(s, hex) == 0)
		return 0;
	store_unlock(s);
	gitdir = fsutil_join(s->root, ".git");
	git_repository_free(s->repo);
	s->repo = NULL;
	if (fsutil_rmtree(gitdir) != 0 ||
	    (s->created == 2 && rmdir(s->root) == -1 && errno != ENOENT))
		rc = -1;
	free(gitdir);
	err_clear();
	return rc;
}

const char *
store_root(const struct store *s)
{
	return s->root;
}

/* The directory for ferry's untracked files, inside the git directory. */
const char *
store_private(const struct store *s)
{
	return s->private;
}

/*
 * One writer at a time.  flock() is released by the kernel when the
 * holder dies, so a crash never leaves the mirror locked; the pid written
 * in the file names the holder in messages.
 */
int
store_lock(struct store *s)
{
	char	*file, pidbuf[32];
	ssize_t	 n;
	long	 pid = 0;
	int	 fd, rc = -1;

	file = fsutil_join(s->private, "lock");
	if ((fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		err_set("cannot open lock '%s': %s", file, strerror(errno));
		goto out;
	}
	if ((n = pread(fd, pidbuf, sizeof pidbuf - 1, 0)) > 0) {
		pidbuf[n] = '\0';
		pid = strtol(pidbuf, NULL, 10);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK && pid > 0)
			rc = err_code(FERRY_EBUSY, "mirror '%s' is busy: "
			    "ferry process %ld is writing it (try again when "
			    "it has finished)", s->root, pid);
		else if (errno == EWOULDBLOCK)
			rc = err_code(FERRY_EBUSY, "mirror '%s' is busy: "
			    "another process holds '%s' (try again when it "
			    "has finished)", s->root, file);
		else
			err_set("cannot lock '%s': %s", file, strerror(errno));
		close(fd);
		goto out;
	}
	if (pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) == -1 &&
	    errno == ESRCH)
		log_info("taking over the lock of '%s' left by process %ld, "
		    "which is gone", s->root, pid);
	n = snprintf(pidbuf, sizeof pidbuf, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, pidbuf, (size_t)n, 0) != n) {
		err_set("cannot write lock '%s': %s", file, strerror(errno));
		close(fd);
		goto out;
	}
	s->lockfd = fd;
	rc = 0;
out:
	free(file);
	return rc;
}

void
store_unlock(struct store *s)
{
	if (s->lockfd == -1)
		return;
	if (ftruncate(s->lockfd, 0) == -1)
		log_debug("cannot clear lock of '%s'", s->root);
	close(s->lockfd);
	s->lockfd = -1;
}

/* HEAD's commit id in hex; FERRY_ENOTFOUND before the first commit. */
int
store_head(struct store *s, char *hex)
{
	git_oid	oid;
	int	rc;

	rc = git_reference_name_to_id(&oid, s->repo, "HEAD");
	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH)
		return err_code(FERRY_ENOTFOUND, "mirror '%s' has no commit "
		    "yet", s->root);
	if (rc < 0)
		return store_git_fail("cannot read HEAD of", s->root);
	git_oid_tostr(hex, STORE_OIDLEN + 1, &oid);
	return 0;
}

/* The blob at path in HEAD's tree; FERRY_ENOTFOUND when there is none. */
int
store_lookup(struct store *s, const char *path, char *hex)
{
	git_object	*obj = NULL;
	git_tree_entry	*ent = NULL;
	int		 rc = -1;

	if (s->head_tree == NULL) {
		if (git_revparse_single(&obj, s->repo, "HEAD^{tree}") < 0) {
			rc = err_code(FERRY_ENOTFOUND, "no commit yet");
			goto out;
		}
		s->head_tree = (git_tree *)obj;
		obj = NULL;
	}
	if (git_tree_entry_bypath(&ent, s->head_tree, path) < 0 ||
	    git_tree_entry_type(ent) != GIT_OBJECT_BLOB) {
		rc = err_code(FERRY_ENOTFOUND, "'%s' is not in the mirror",
		    path);
		goto out;
	}
	git_oid_tostr(hex, STORE_OIDLEN + 1, git_tree_entry_id(ent));
	rc = 0;
out:
	git_tree_entry_free(ent);
	git_object_free(obj);
	return rc;
}

/*
 * Whether the first bytes of fd look like they would not shrink: PDFs,
 * images and office files are mostly compressed already, and deflating
 * them again costs 50 MB/s of CPU for a gain under 1%.
 */
static int
incompressible(int fd, off_t size)
{
	unsigned char	*in, *out;
	uLongf		 outlen = compressBound(STORE_SAMPLE);
	int		 yes = 0;

	if (size < STORE_SAMPLE)
		return 0;
	in = xmalloc(STORE_SAMPLE);
	out = xmalloc(outlen);
	if (pread(fd, in, STORE_SAMPLE, 0) == STORE_SAMPLE &&
	    compress2(out, &outlen, in, STORE_SAMPLE, Z_BEST_SPEED) == Z_OK)
		yes = outlen > STORE_SAMPLE / 100 * 97;
	free(in);
	free(out);
	return yes;
}

/*
 * A new file in .git/ferry/tmp (same file system as the tree and the
 * objects, so it can be renamed into place); the repair sweeps what a
 * killed writer leaves there by its prefix.
 */
static int
open_tmp(struct store *s, const char *prefix, mode_t mode, char **name)
{
	int	fd;

	if (s->tmpdir == NULL) {
		s->tmpdir = fsutil_join(s->private, "tmp");
		if (fsutil_mkdirs(s->tmpdir, 0755) != 0) {
			free(s->tmpdir);
			s->tmpdir = NULL;
			return -1;
		}
	}
	xasprintf(name, "%s/%s%ld-%u", s->tmpdir, prefix, (long)getpid(),
	    s->ntmp++);
	fd = open(*name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd == -1) {
		err_set("cannot write '%s': %s", *name, strerror(errno));
		free(*name);
		*name = NULL;
	}
	return fd;
}

/* Feed len bytes to z, writing what comes out to fd; -1 on error. */
static int
deflate_to(z_stream *z, int fd, const void *p, size_t len, int flush)
{
	unsigned char	out[65536];
	int		zrc;

	z->next_in = (unsigned char *)(uintptr_t)p;
	z->avail_in = (uInt)len;
	do {
		z->next_out = out;
		z->avail_out = sizeof out;
		zrc = deflate(z, flush);
		if (zrc == Z_STREAM_ERROR || fsutil_write_all(fd, out,
		    sizeof out - z->avail_out) == -1)
			return -1;
	} while (z->avail_out == 0 || (flush == Z_FINISH &&
	    zrc != Z_STREAM_END));
	return 0;
}

/*
 * Write the loose object oid (a blob of size bytes read from fd) with
 * zlib's stored blocks: a plain zlib stream as git wants it, without
 * spending CPU on bytes that do not compress.  libgit2 cannot (at level
 * 0 it leaves out the zlib wrapper), hence these lines.
 */
static int
write_stored(struct store *s, int fd, off_t size, const git_oid *oid,
    const char *file)
{
	z_stream	 z;
	char		 hdr[64], hex[GIT_OID_HEXSZ + 1], chunk[65536];
	char		*tmp = NULL, *dst = NULL, *dir = NULL;
	ssize_t		 n;
	int		 out = -1, zinit = 0, rc = -1;

	memset(&z, 0, sizeof z);
	if ((out = open_tmp(s, "obj-", 0444, &tmp)) == -1)
		goto out;
	if (deflateInit(&z, Z_NO_COMPRESSION) != Z_OK)
		goto fail;
	zinit = 1;
	n = snprintf(hdr, sizeof hdr, "blob %lld", (long long)size) + 1;
	if (deflate_to(&z, out, hdr, (size_t)n, Z_NO_FLUSH) != 0 ||
	    lseek(fd, 0, SEEK_SET) == -1)
		goto fail;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 || deflate_to(&z, out, chunk, (size_t)n,
		    Z_NO_FLUSH) != 0)
			goto fail;
	}
	if (deflate_to(&z, out, NULL, 0, Z_FINISH) != 0 ||
	    close(out) == -1) {
		out = -1;
		goto fail;
	}
	out = -1;
	git_oid_tostr(hex, sizeof hex, oid);
	xasprintf(&dir, "%s/objects/%.2s", git_repository_path(s->repo), hex);
	xasprintf(&dst, "%s/%s", dir, hex + 2);
	if (fsutil_mkdirs(dir, 0755) != 0 || rename(tmp, dst) == -1)
		goto fail;
	rc = 0;
	goto out;
fail:
	err_set("cannot store '%s' in '%s': %s", file, s->root,
	    errno ? strerror(errno) : "zlib failed");
out:
	if (zinit)
		deflateEnd(&z);
	if (out != -1)
		close(out);
	if (rc != 0 && tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(dst);
	free(dir);
	return rc;
}

/*
 * Stream a file into the object database: memory stays flat.  Loose
 * objects are deflated at git's level for them (the fastest), or merely
 * stored when the bytes do not compress; both are plain zlib streams
 * that git and libgit2 read alike, and packing deflates them again.
 */
int
store_blob_file(struct store *s, const char *file, char *hex)
{
	git_odb		*odb = NULL;
	git_odb_stream	*ws = NULL;
	git_oid		 oid;
	struct stat	 st;
	char		 chunk[65536];
	ssize_t		 n;
	int		 fd, rc = -1;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		err_set("cannot read '%s': %s", file, strerror(errno));
		goto out;
	}
	if (git_repository_odb(&odb, s->repo) < 0) {
		store_git_fail("cannot store", file);
		goto out;
	}
	if (incompressible(fd, st.st_size)) {
		if (git_odb_hashfile(&oid, file, GIT_OBJECT_BLOB) < 0) {
			store_git_fail("cannot store", file);
			goto out;
		}
		if (!git_odb_exists(odb, &oid) &&
		    write_stored(s, fd, st.st_size, &oid, file) != 0)
			goto out;
		git_oid_tostr(hex, STORE_OIDLEN + 1, &oid);
		rc = 0;
		goto out;
	}
	if (git_odb_open_wstream(&ws, odb, (git_object_size_t)st.st_size,
	    GIT_OBJECT_BLOB) < 0) {
		store_git_fail("cannot store", file);
		goto out;
	}
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			err_set("cannot read '%s': %s", file, strerror(errno));
			goto out;
		}
		if (git_odb_stream_write(ws, chunk, (size_t)n) < 0) {
			store_git_fail("cannot store", file);
			goto out;
		}
	}
	if (git_odb_stream_finalize_write(&oid, ws) < 0) {
		store_git_fail("cannot store", file);
		goto out;
	}
	git_oid_tostr(hex, STORE_OIDLEN + 1, &oid);
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	git_odb_stream_free(ws);
	git_odb_free(odb);
	return rc;
}

int
store_blob_buf(struct store *s, const void *data, size_t len, char *hex)
{
	git_oid	oid;

	if (git_blob_create_from_buffer(&oid, s->repo, data, len) < 0)
		return store_git_fail("cannot store a blob in", s->root);
	git_oid_tostr(hex, STORE_OIDLEN + 1, &oid);
	return 0;
}

/* Append a blob's bytes to out, whose cap bounds them. */
int
store_read_blob(struct store *s, const char *hex, struct buf *out)
{
	git_blob	*blob = NULL;
	git_oid		 oid;
	int		 rc;

	if (git_oid_fromstr(&oid, hex) < 0 ||
	    git_blob_lookup(&blob, s->repo, &oid) < 0)
		return store_git_fail("cannot read object", hex);
	rc = buf_add(out, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return rc;
}

static int
build_tree(struct store *s, git_tree *base, const struct store_change *ch,
    size_t n, git_oid *out)
{
	git_tree_update	*up;
	git_tree_entry	*ent;
	size_t		 i, k = 0;
	int		 rc = -1;

	up = xcalloc(n ? n : 1, sizeof *up);
	for (i = 0; i < n; i++) {
		if (ch[i].blob == NULL) {
			/* Removing a path that is not there is an error. */
			if (base == NULL ||
			    git_tree_entry_bypath(&ent, base, ch[i].path) < 0)
				continue;
			git_tree_entry_free(ent);
			up[k].action = GIT_TREE_UPDATE_REMOVE;
		} else {
			up[k].action = GIT_TREE_UPDATE_UPSERT;
			up[k].filemode = GIT_FILEMODE_BLOB;
			if (git_oid_fromstr(&up[k].id, ch[i].blob) < 0) {
				err_set("invalid object id '%s'", ch[i].blob);
				goto out;
			}
		}
		up[k++].path = ch[i].path;
	}
	if (git_tree_create_updated(out, s->repo, base, k, up) < 0) {
		store_git_fail("cannot build the tree of", s->root);
		goto out;
	}
	rc = 0;
out:
	free(up);
	return rc;
}

static int
move_branch(struct store *s, const git_oid *id, const git_oid *parent,
    const char *subject)
{
	git_reference	*head = NULL, *ref = NULL;
	const char	*branch;
	int		 rc = -1, grc;

	if (git_reference_lookup(&head, s->repo, "HEAD") < 0 ||
	    (branch = git_reference_symbolic_target(head)) == NULL) {
		store_git_fail("HEAD is not a branch in", s->root);
		goto out;
	}
	/* The objects reach the disk before the branch names them. */
	if (store_fsync && fsutil_syncfs(git_repository_path(s->repo)) != 0)
		goto out;
	if (parent != NULL)
		grc = git_reference_create_matching(&ref, s->repo, branch, id,
		    1, parent, subject);
	else
		grc = git_reference_create(&ref, s->repo, branch, id, 0,
		    subject);
	if (grc == GIT_EMODIFIED || grc == GIT_EEXISTS || grc == GIT_ELOCKED) {
		rc = err_code(FERRY_EBUSY, "mirror '%s' was changed by another "
		    "writer during this pass; nothing was committed (run the "
		    "pass again)", s->root);
		goto out;
	}
	if (grc < 0) {
		store_git_fail("cannot update the branch of", s->root);
		goto out;
	}
	if (store_fsync && fsutil_syncfs(git_repository_path(s->repo)) != 0)
		log_warnx("%s", err_msg());	/* committed all the same */
	rc = 0;
out:
	git_reference_free(ref);
	git_reference_free(head);
	return rc;
}

/*
 * Sign every commit made from now on with the secret key in file (SSH
 * signatures in git's gpgsig header, which 'git verify-commit' checks),
 * or stop: NULL.  The key is read for each commit and wiped after, so
 * only a process that commits needs to read it.
 */
void
store_sign_with(const char *file)
{
	free(store_key);
	store_key = file != NULL ? xstrdup(file) : NULL;
}

/* content signed with the key in store_key, armored, into armor. */
static int
sign_commit(const git_buf *content, struct buf *armor)
{
	struct sign_seckey	key;
	int			rc;

	if (sign_load_seckey(store_key, &key) != 0) {
		err_prefix("cannot sign the commit (publish.sign-key)");
		return -1;
	}
	rc = gitsig_sign(&key, content->ptr, content->size, armor);
	sodium_memzero(&key, sizeof key);
	return rc;
}

/* A commit object of tree and parents, by name <email>, signed if asked. */
static int
create_commit(struct store *s, git_oid *out, git_tree *tree,
    const git_commit **parents, size_t n, const char *name,
    const char *email, const char *message)
{
	git_signature	*sig = NULL;
	git_buf		 content = { 0 };
	struct buf	 armor = BUF_INIT;
	int		 rc = -1;

	if (git_signature_now(&sig, name, email) < 0) {
		store_git_fail("cannot prepare the commit of", s->root);
		goto out;
	}
	if (store_key == NULL) {
		if (git_commit_create(out, s->repo, NULL, sig, sig, "UTF-8",
		    message, tree, n, parents) < 0) {
			store_git_fail("cannot write the commit of", s->root);
			goto out;
		}
		rc = 0;
		goto out;
	}
	if (git_commit_create_buffer(&content, s->repo, sig, sig, "UTF-8",
	    message, tree, n, parents) < 0) {
		store_git_fail("cannot write the commit of", s->root);
		goto out;
	}
	if (sign_commit(&content, &armor) != 0)
		goto out;
	if (git_commit_create_with_signature(out, s->repo, content.ptr,
	    buf_cstr(&armor), "gpgsig") < 0) {
		store_git_fail("cannot write the signed commit of", s->root);
		goto out;
	}
	rc = 0;
out:
	buf_free(&armor);
	git_buf_dispose(&content);
	git_signature_free(sig);
	return rc;
}

/*
 * Commit HEAD's tree with changes applied, parent being the commit the
 * pass started from (NULL for the first).  FERRY_EUNCHANGED when the tree
 * would not change: no commit is made.  FERRY_EBUSY when HEAD moved.
 */
int
store_commit(struct store *s, const char *parent_hex,
    const struct store_change *ch, size_t n, const char *name,
    const char *email, const char *message, char *hex)
{
	git_commit	*parent = NULL;
	git_tree	*base = NULL, *tree = NULL;
	git_oid		 pid, tid, cid;
	char		*subject = NULL;
	int		 rc = -1;

	if (parent_hex != NULL) {
		if (git_oid_fromstr(&pid, parent_hex) < 0 ||
		    git_commit_lookup(&parent, s->repo, &pid) < 0 ||
		    git_commit_tree(&base, parent) < 0) {
			store_git_fail("cannot read commit", parent_hex);
			goto out;
		}
	}
	if (build_tree(s, base, ch, n, &tid) != 0)
		goto out;
	if (base != NULL && git_oid_equal(&tid, git_tree_id(base))) {
		rc = FERRY_EUNCHANGED;
		goto out;
	}
	if (git_tree_lookup(&tree, s->repo, &tid) < 0) {
		store_git_fail("cannot prepare the commit of", s->root);
		goto out;
	}
	if (create_commit(s, &cid, tree, (const git_commit **)&parent,
	    parent ? 1 : 0, name, email, message) != 0)
		goto out;
	subject = xstrndup(message, strcspn(message, "\n"));
	if ((rc = move_branch(s, &cid, parent ? &pid : NULL, subject)) != 0)
		goto out;
	git_oid_tostr(hex, STORE_OIDLEN + 1, &cid);
	git_tree_free(s->head_tree);
	s->head_tree = NULL;
	rc = 0;
out:
	free(subject);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	return rc;
}

/* A relative path with no empty or ".." component, and not into .git. */
static int
sane_path(const char *path)
{
	const char	*c;
	size_t		 n;

	for (c = path;; c += n + 1) {
		n = strcspn(c, "/");
		if (n == 0 || (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;	/* absolute, empty or ".." */
		if (c[n] == '\0')
			break;
	}
	return strncmp(path, ".git", 4) != 0 ||
	    (path[4] != '\0' && path[4] != '/');
}

/* Is path one ferry writes in the working tree (and a sane one)? */
static int
owned_path(const char *path)
{
	size_t	i, n;

	if (!sane_path(path))
		return 0;
	for (i = 0; i < sizeof owned_paths / sizeof owned_paths[0]; i++) {
		n = strlen(owned_paths[i]);
		if (strncmp(path, owned_paths[i], n) == 0 &&
		    (path[n] == '\0' || path[n] == '/'))
			return 1;
	}
	return 0;
}

/*
 * Inflate the loose object for oid into sink, without its "blob <size>"
 * header, a chunk at a time: libgit2 1.5's read streams load the whole
 * object.  FERRY_ENOTFOUND when the object is not loose (it is packed).
 */
static int
inflate_loose(struct store *s, const git_oid *oid, store_sink *sink,
    void *arg)
{
	unsigned char	 in[65536], out[65536];
	char		 hex[GIT_OID_HEXSZ + 1], *obj;
	z_stream	 z;
	ssize_t		 n;
	size_t		 have, skip;
	int		 src, zrc = Z_OK, header = 1, rc = -1;

	git_oid_tostr(hex, sizeof hex, oid);
	xasprintf(&obj, "%sobjects/%.2s/%s", git_repository_path(s->repo), hex,
	    hex + 2);
	src = open(obj, O_RDONLY | O_CLOEXEC);
	free(obj);
	if (src == -1)
		return FERRY_ENOTFOUND;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK) {
		close(src);
		return err_set("cannot inflate object %s", hex);
	}
	while (zrc != Z_STREAM_END) {
		if ((n = read(src, in, sizeof in)) <= 0)
			break;
		z.next_in = in;
		z.avail_in = (uInt)n;
		do {
			z.next_out = out;
			z.avail_out = sizeof out;
			zrc = inflate(&z, Z_NO_FLUSH);
			if (zrc != Z_OK && zrc != Z_STREAM_END)
				goto out;
			have = sizeof out - z.avail_out;
			skip = 0;
			if (header) {	/* "blob <size>\0" */
				unsigned char *nul = memchr(out, '\0', have);

				if (nul == NULL)
					goto out;
				skip = (size_t)(nul - out) + 1;
				header = 0;
			}
			if (have > skip && sink(arg, out + skip,
			    have - skip) != 0)
				goto done;
		} while (z.avail_out == 0 && zrc != Z_STREAM_END);
	}
out:
	if (zrc == Z_STREAM_END)
		rc = 0;
	else
		err_set("object %s is damaged or cut short", hex);
done:
	inflateEnd(&z);
	close(src);
	return rc;
}

/*
 * Write blob oid to file, inflating a loose object a chunk at a time so
 * memory stays flat however big the blob; a packed object is read whole
 * through libgit2.  The bytes go to a temporary file in .git/ferry/tmp
 * (same file system), then rename: a kill never leaves a half-written
 * file, nor a stray one, in the working tree.
 */
struct fd_sink {
	int		 fd;
	const char	*file;
};

static int
fd_sink_write(void *arg, const void *p, size_t n)
{
	struct fd_sink	*fs = arg;

	if (fsutil_write_all(fs->fd, p, n) == -1)
		return err_set("cannot write '%s': %s", fs->file,
		    strerror(errno));
	return 0;
}

static int
write_blob(struct store *s, const git_oid *oid, const char *file)
{
	struct fd_sink	 fs;
	git_blob	*blob = NULL;
	char		*tmp = NULL;
	int		 fd = -1, rc = -1, lrc;

	if ((fd = open_tmp(s, "co-", 0644, &tmp)) == -1)
		goto out;
	fs.fd = fd;
	fs.file = tmp;
	if ((lrc = inflate_loose(s, oid, fd_sink_write, &fs)) ==
	    FERRY_ENOTFOUND) {
		if (git_blob_lookup(&blob, s->repo, oid) < 0) {
			store_git_fail("cannot write the working tree file",
			    file);
			goto out;
		}
		if (ftruncate(fd, 0) == -1 ||
		    fsutil_write_all(fd, git_blob_rawcontent(blob),
		    (size_t)git_blob_rawsize(blob)) == -1) {
			err_set("cannot write '%s': %s", tmp, strerror(errno));
			goto out;
		}
	} else if (lrc != 0)
		goto out;
	if (close(fd) == -1 || rename(tmp, file) == -1) {
		fd = -1;
		err_set("cannot write '%s': %s", file, strerror(errno));
		goto out;
	}
	fd = -1;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (rc != 0 && tmp != NULL)
		unlink(tmp);
	git_blob_free(blob);
	free(tmp);
	return rc;
}

/*
 * Write blob hex's bytes to file (which it replaces), a chunk at a time
 * for a loose object: for readers that need a file, such as poppler.
 */
int
store_blob_to_file(struct store *s, const char *hex, const char *file)
{
	git_oid	oid;

	if (git_oid_fromstr(&oid, hex) < 0)
		return err_set("invalid object id '%s'", hex);
	return write_blob(s, &oid, file);
}

/*
 * Hand blob hex's bytes to sink a chunk at a time: memory stays flat for
 * a loose object, however big; a packed one (at most STORE_PACK_BLOB_MAX
 * unless a full repack took it) is read whole through libgit2.
 */
int
store_blob_stream(struct store *s, const char *hex, store_sink *sink,
    void *arg)
{
	git_blob	*blob = NULL;
	git_oid		 oid;
	int		 rc;

	if (git_oid_fromstr(&oid, hex) < 0)
		return err_set("invalid object id '%s'", hex);
	if ((rc = inflate_loose(s, &oid, sink, arg)) != FERRY_ENOTFOUND)
		return rc;
	if (git_blob_lookup(&blob, s->repo, &oid) < 0)
		return store_git_fail("cannot read object", hex);
	rc = sink(arg, git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return rc;
}

struct tree_walk {
	struct store	*s;
	store_file_cb	*cb;
	void		*arg;
	git_odb		*odb;
	const char	*under;		/* "local/", or "" */
	int		 rc;
};

static int
tree_walk_one(const char *root, const git_tree_entry *e, void *payload)
{
	struct tree_walk	*w = payload;
	struct store_file	 f;
	git_object_t		 type;
	size_t			 size;
	char			*path;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	git_oid_tostr(f.blob, sizeof f.blob, git_tree_entry_id(e));
	if (git_odb_read_header(&size, &type, w->odb,
	    git_tree_entry_id(e)) < 0) {
		w->rc = store_git_fail("cannot read object", f.blob);
		return -1;
	}
	xasprintf(&path, "%s%s%s", w->under, root, git_tree_entry_name(e));
	f.path = path;
	f.size = (int64_t)size;
	f.mode = git_tree_entry_filemode(e) == GIT_FILEMODE_BLOB_EXECUTABLE ?
	    0755 : 0644;
	w->rc = w->cb != NULL ? w->cb(&f, w->arg) : 0;
	free(path);
	return w->rc == 0 ? 0 : -1;
}

/*
 * Call cb for every file of commit hex's tree, in git's order; with dir
 * ("local"), for the files under that directory only (none when the
 * commit has no such directory).
 */
int
store_tree_files(struct store *s, const char *hex, const char *dir,
    store_file_cb *cb, void *arg)
{
	struct tree_walk	 w = { s, cb, arg, NULL, "", 0 };
	git_commit		*c = NULL;
	git_tree		*t = NULL, *sub = NULL;
	git_tree_entry		*e = NULL;
	git_oid			 oid;
	char			*under = NULL;
	int			 rc = -1;

	if (git_oid_fromstr(&oid, hex) < 0 ||
	    git_commit_lookup(&c, s->repo, &oid) < 0 ||
	    git_commit_tree(&t, c) < 0 ||
	    git_repository_odb(&w.odb, s->repo) < 0) {
		store_git_fail("cannot read commit", hex);
		goto out;
	}
	if (dir != NULL) {
		rc = git_tree_entry_bypath(&e, t, dir);
		if (rc == GIT_ENOTFOUND || (rc == 0 &&
		    git_tree_entry_type(e) != GIT_OBJECT_TREE)) {
			rc = 0;
			goto out;
		}
		rc = -1;
		if (e == NULL ||
		    git_tree_lookup(&sub, s->repo, git_tree_entry_id(e)) < 0) {
			store_git_fail("cannot read the tree of commit", hex);
			goto out;
		}
		xasprintf(&under, "%s/", dir);
		w.under = under;
	}
	if (git_tree_walk(sub ? sub : t, GIT_TREEWALK_PRE, tree_walk_one,
	    &w) < 0) {
		if (w.rc == 0)
			store_git_fail("cannot read the tree of commit", hex);
		goto out;
	}
	rc = 0;
out:
	free(under);
	git_odb_free(w.odb);
	git_tree_entry_free(e);
	git_tree_free(sub);
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

/* Remove a file and the directories it leaves empty, up to the root. */
static void
remove_file(struct store *s, const char *path)
{
	char	*full = fsutil_join(s->root, path), *slash;

	if (unlink(full) == -1 && errno != ENOENT)
		log_warn("cannot remove '%s'", full);
	while ((slash = strrchr(full, '/')) != NULL &&
	    (size_t)(slash - full) > strlen(s->root)) {
		*slash = '\0';
		if (rmdir(full) == -1)
			break;
	}
	free(full);
}

/* The index entry for a file just written: its stat data and blob id. */
static int
index_file(struct store *s, git_index *idx, const char *path,
    const git_oid *oid)
{
	git_index_entry	 e;
	struct stat	 st;
	char		*full = fsutil_join(s->root, path);
	int		 rc;

	rc = lstat(full, &st);
	free(full);
	if (rc == -1)
		return err_set("cannot stat '%s': %s", path, strerror(errno));
	memset(&e, 0, sizeof e);
	e.path = path;
	e.mode = GIT_FILEMODE_BLOB;
	e.id = *oid;
	e.ctime.seconds = (int32_t)st.st_ctim.tv_sec;
	e.ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
	e.mtime.seconds = (int32_t)st.st_mtim.tv_sec;
	e.mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
	e.dev = (uint32_t)st.st_dev;
	e.ino = (uint32_t)st.st_ino;
	e.uid = (uint32_t)st.st_uid;
	e.gid = (uint32_t)st.st_gid;
	e.file_size = (uint32_t)st.st_size;
	if (git_index_add(idx, &e) < 0)
		return store_git_fail("cannot record in the index", path);
	return 0;
}

/*
 * Bring the working tree and git's index in step with a commit made from
 * these changes: each changed file ferry owns is written from its blob
 * by streaming (libgit2's checkout reads whole blobs into memory, so a
 * 2 GB document would cost 4 GB), each removed one deleted.  Files the
 * administrators edit (local/, catalog.conf) are never written here.
 */
int
store_apply(struct store *s, const struct store_change *ch, size_t n)
{
	return apply_changes(s, ch, n, 0);
}

/* store_apply, for local/ and catalog.conf too when all is set. */
static int
apply_changes(struct store *s, const struct store_change *ch, size_t n,
    int all)
{
	git_index	*idx = NULL;
	git_oid		 oid;
	char		*full, *dir;
	size_t		 i;
	int		 rc = -1;

	if (git_repository_index(&idx, s->repo) < 0) {
		store_git_fail("cannot read the index of", s->root);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!(all ? sane_path(ch[i].path) : owned_path(ch[i].path)))
			continue;
		if (ch[i].blob == NULL) {
			remove_file(s, ch[i].path);
			(void)git_index_remove_bypath(idx, ch[i].path);
			continue;
		}
		if (git_oid_fromstr(&oid, ch[i].blob) < 0) {
			err_set("invalid object id '%s'", ch[i].blob);
			goto out;
		}
		full = fsutil_join(s->root, ch[i].path);
		dir = fsutil_dirname(full);
		rc = fsutil_mkdirs(dir, 0755);
		if (rc == 0)
			rc = write_blob(s, &oid, full);
		free(dir);
		free(full);
		if (rc != 0 || (rc = index_file(s, idx, ch[i].path, &oid)) != 0)
			goto out;
		rc = -1;
	}
	if (git_index_write(idx) < 0) {
		store_git_fail("cannot write the index of", s->root);
		goto out;
	}
	rc = 0;
out:
	git_index_free(idx);
	return rc;
}

/* Make the working tree match HEAD at paths (files or directories). */
static int
checkout_paths(struct store *s, char **paths, size_t n)
{
	git_checkout_options	opts = GIT_CHECKOUT_OPTIONS_INIT;

	opts.checkout_strategy = GIT_CHECKOUT_FORCE;
	opts.paths.strings = paths;
	opts.paths.count = n;
	if (git_checkout_head(s->repo, &opts) < 0)
		return store_git_fail("cannot write the working tree of",
		    s->root);
	return 0;
}

/* Make the working tree match HEAD for everything ferry owns. */
int
store_checkout(struct store *s)
{
	return checkout_paths(s, owned_paths,
	    sizeof owned_paths / sizeof owned_paths[0]);
}

/*
 * Names, quoted and separated by commas, the files under local/ and
 * catalog.conf that differ from git's index or HEAD: the administrators'
 * edits not yet committed.
 */
int
store_local_edits(struct store *s, struct buf *named)
{
	git_status_options	 so = GIT_STATUS_OPTIONS_INIT;
	git_status_list		*st = NULL;
	const git_status_entry	*e;
	const git_diff_delta	*d;
	size_t			 i, n;

	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
	    GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
	so.pathspec.strings = admin_paths;
	so.pathspec.count = sizeof admin_paths / sizeof admin_paths[0];
	if (git_status_list_new(&st, s->repo, &so) < 0)
		return store_git_fail("cannot compare with HEAD the "
		    "working tree of",
		    s->root);
	n = git_status_list_entrycount(st);
	for (i = 0; i < n; i++) {
		e = git_status_byindex(st, i);
		d = e->index_to_workdir ? e->index_to_workdir :
		    e->head_to_index;
		if (e->status != GIT_STATUS_CURRENT && d != NULL)
			buf_addf(named, "%s'%s'", named->len ? ", " : "",
			    d->new_file.path);
	}
	git_status_list_free(st);
	return 0;
}

static int
commit_tree(struct store *s, const git_oid *id, git_tree **out)
{
	git_commit	*c = NULL;
	int		 rc = 0;

	if (git_commit_lookup(&c, s->repo, id) < 0 ||
	    git_commit_tree(out, c) < 0)
		rc = store_git_fail("cannot read commit", "HEAD");
	git_commit_free(c);
	return rc;
}

/*
 * One update of a merge: the administrators' change from base to ours at
 * d, to be made on theirs.  A file they removed that theirs changed since
 * base stays (theirs' version); nothing is lost on either side.
 */
static int
merge_update(git_tree *theirs, const git_diff_delta *d,
    git_tree_update *u)
{
	git_tree_entry	*te = NULL;
	int		 keep;

	memset(u, 0, sizeof *u);
	if (d->status != GIT_DELTA_DELETED) {
		u->action = GIT_TREE_UPDATE_UPSERT;
		u->path = d->new_file.path;
		u->id = d->new_file.id;
		u->filemode = d->new_file.mode == GIT_FILEMODE_BLOB_EXECUTABLE ?
		    GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
		return 1;
	}
	if (git_tree_entry_bypath(&te, theirs, d->old_file.path) < 0)
		return 0;	/* gone there too */
	keep = !git_oid_equal(git_tree_entry_id(te), &d->old_file.id);
	git_tree_entry_free(te);
	if (keep)
		return 0;
	u->action = GIT_TREE_UPDATE_REMOVE;
	u->path = d->old_file.path;
	return 1;
}

/* The tree of theirs with ours' edits of local/ and catalog.conf. */
static int
merge_tree(struct store *s, const git_oid *ours, const git_oid *theirs,
    git_oid *out)
{
	git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
	git_tree	*bt = NULL, *ot = NULL, *tt = NULL;
	git_diff	*d = NULL;
	git_tree_update	*u = NULL;
	git_oid		 base;
	size_t		 i, k = 0, n;
	int		 rc = -1;

	if (git_merge_base(&base, s->repo, ours, theirs) == 0 &&
	    commit_tree(s, &base, &bt) != 0)
		goto out;
	if (commit_tree(s, ours, &ot) != 0 || commit_tree(s, theirs, &tt) != 0)
		goto out;
	opts.pathspec.strings = admin_paths;
	opts.pathspec.count = sizeof admin_paths / sizeof admin_paths[0];
	if (git_diff_tree_to_tree(&d, s->repo, bt, ot, &opts) < 0) {
		store_git_fail("cannot compare the trees of", s->root);
		goto out;
	}
	n = git_diff_num_deltas(d);
	u = xcalloc(n ? n : 1, sizeof *u);
	for (i = 0; i < n; i++)
		k += merge_update(tt, git_diff_get_delta(d, i), &u[k]);
	if (git_tree_create_updated(out, s->repo, tt, k, u) < 0) {
		store_git_fail("cannot merge the local files of", s->root);
		goto out;
	}
	rc = 0;
out:
	free(u);
	git_diff_free(d);
	git_tree_free(bt);
	git_tree_free(ot);
	git_tree_free(tt);
	return rc;
}

/*
 * A merge commit of ours (the mirror's branch: first parent) and theirs
 * (a hub's commit): theirs' tree, with the edits the administrators made
 * here under local/ and to catalog.conf since the two last met.  The
 * branch does not move (store_advance moves it).
 */
int
store_merge(struct store *s, const char *ours, const char *theirs,
    const char *name, const char *email, const char *message, char *hex)
{
	git_commit	*p[2] = { NULL, NULL };
	git_tree	*tree = NULL;
	git_oid		 o, t, tid, cid;
	int		 rc = -1;

	if (git_oid_fromstr(&o, ours) < 0 || git_oid_fromstr(&t, theirs) < 0)
		return err_set("invalid commit id '%s' or '%s'", ours, theirs);
	if (git_commit_lookup(&p[0], s->repo, &o) < 0 ||
	    git_commit_lookup(&p[1], s->repo, &t) < 0) {
		store_git_fail("cannot read the commits to merge in", s->root);
		goto out;
	}
	if (merge_tree(s, &o, &t, &tid) != 0)
		goto out;
	if (git_tree_lookup(&tree, s->repo, &tid) < 0) {
		store_git_fail("cannot read the merged tree of", s->root);
		goto out;
	}
	if (create_commit(s, &cid, tree, (const git_commit **)p, 2, name,
	    email, message) != 0)
		goto out;
	git_oid_tostr(hex, STORE_OIDLEN + 1, &cid);
	rc = 0;
out:
	git_tree_free(tree);
	git_commit_free(p[0]);
	git_commit_free(p[1]);
	return rc;
}

/*
 * Write what differs between commits from (NULL: nothing) and to into the
 * working tree and git's index, local/ and catalog.conf included, a blob
 * at a time by streaming (libgit2's checkout would read each whole).
 */
static int
write_tree_change(struct store *s, const git_oid *from, const git_oid *to)
{
	git_tree		*a = NULL, *b = NULL;
	git_diff		*d = NULL;
	const git_diff_delta	*dd;
	struct store_change	*ch = NULL;
	char			*blobs = NULL;
	size_t			 i, n = 0;
	int			 rc = -1;

	if ((from != NULL && commit_tree(s, from, &a) != 0) ||
	    commit_tree(s, to, &b) != 0)
		goto out;
	if (git_diff_tree_to_tree(&d, s->repo, a, b, NULL) < 0) {
		store_git_fail("cannot compare the trees of", s->root);
		goto out;
	}
	n = git_diff_num_deltas(d);
	ch = xcalloc(n ? n : 1, sizeof *ch);
	blobs = xcalloc(n ? n : 1, STORE_OIDLEN + 1);
	for (i = 0; i < n; i++) {
		dd = git_diff_get_delta(d, i);
		ch[i].path = dd->status == GIT_DELTA_DELETED ?
		    dd->old_file.path : dd->new_file.path;
		if (dd->status == GIT_DELTA_DELETED)
			continue;
		git_oid_tostr(blobs + i * (STORE_OIDLEN + 1), STORE_OIDLEN + 1,
		    &dd->new_file.id);
		ch[i].blob = blobs + i * (STORE_OIDLEN + 1);
	}
	rc = apply_changes(s, ch, n, 1);
out:
	free(blobs);
	free(ch);
	git_diff_free(d);
	git_tree_free(a);
	git_tree_free(b);
	return rc;
}

/*
 * .git/ferry/advance names the commit a store_advance is moving to, and
 * the one it moves from, while it moves the branch and writes the tree.
 * Found with HEAD at the first, it means a crash came between the two:
 * write the tree now.
 */
static int
advance_finish(struct store *s)
{
	struct buf	 b = BUF_INIT;
	git_index	*idx = NULL;
	git_oid		 to, from;
	char		*f = fsutil_join(s->private, "advance");
	char		 head[STORE_OIDLEN + 1];
	int		 rc = 0, have_from;

	buf_init(&b, 128);
	if (fsutil_read(f, &b) != 0 || b.ptr == NULL) {
		err_clear();
		goto out;
	}
	if (store_head(s, head) == 0 && b.len >= STORE_OIDLEN &&
	    strncmp(b.ptr, head, STORE_OIDLEN) == 0) {
		log_warnx("'%s': finishing the working tree of %.12s, which "
		    "an interrupted import left behind", s->root, head);
		/* git's index may still be the old commit's: HEAD's first. */
		if (git_repository_index(&idx, s->repo) < 0) {
			rc = store_git_fail("cannot read the index of",
			    s->root);
			goto out;
		}
		have_from = b.len >= 2 * STORE_OIDLEN + 1 &&
		    git_oid_fromstrn(&from, b.ptr + STORE_OIDLEN + 1,
		    STORE_OIDLEN) == 0;
		if (git_oid_fromstrn(&to, b.ptr, STORE_OIDLEN) < 0) {
			rc = err_set("'%s' is damaged", f);
			goto out;
		}
		if ((rc = index_reset(s, idx)) != 0 ||
		    (rc = write_tree_change(s, have_from ? &from : NULL,
		    &to)) != 0)
			goto out;
	}
	err_clear();
	if (unlink(f) == -1 && errno != ENOENT)
		rc = err_set("cannot remove '%s': %s", f, strerror(errno));
out:
	git_index_free(idx);
	buf_free(&b);
	free(f);
	return rc;
}

/*
 * Move the branch from commit from (NULL: the mirror has none yet) to
 * commit to, a descendant of it whose objects are all here, and write the
 * working tree, local/ and catalog.conf included: how a copy made
 * elsewhere is taken in.  FERRY_EUNCHANGED when HEAD is already to.
 * Uncommitted edits under local/ are never overwritten: refused.  A crash
 * leaves the branch at from or at to, and .git/ferry/advance makes the
 * next call finish the working tree.  The caller holds ferry's lock, so
 * git's lock files found here are a killed writer's.
 */
int
store_advance(struct store *s, const char *from, const char *to,
    const char *why)
{
	struct buf	 named = BUF_INIT;
	git_oid		 fid, tid;
	char		*mark = NULL, text[2 * STORE_OIDLEN + 3];
	int		 rc = -1;

	if (git_oid_fromstr(&tid, to) < 0 ||
	    (from != NULL && git_oid_fromstr(&fid, from) < 0))
		return err_set("invalid commit id '%s'", to);
	remove_stale_locks(s, NULL, 0);	/* a killed import's */
	if (advance_finish(s) != 0)
		return -1;
	if (from != NULL && git_oid_equal(&fid, &tid))
		return FERRY_EUNCHANGED;
	if (from != NULL && git_graph_descendant_of(s->repo, &tid, &fid) != 1)
		return err_set("commit %.12s does not continue the history of "
		    "'%s' (at %.12s): refused", to, s->root, from);
	if (store_local_edits(s, &named) != 0)
		goto out;
	if (named.len > 0) {
		err_set("'%s' has edits not yet committed (%s): move them "
		    "away or let ferryd commit them, then try again", s->root,
		    named.ptr);
		goto out;
	}
	mark = fsutil_join(s->private, "advance");
	snprintf(text, sizeof text, "%s %s\n", to, from ? from : "");
	if (fsutil_write_atomic(mark, text, strlen(text), store_fsync) != 0 ||
	    move_branch(s, &tid, from ? &fid : NULL, why) != 0)
		goto out;
	git_tree_free(s->head_tree);
	s->head_tree = NULL;
	if (write_tree_change(s, from ? &fid : NULL, &tid) != 0)
		goto out;
	if (unlink(mark) == -1)
		log_warn("cannot remove '%s'", mark);
	rc = 0;
out:
	free(mark);
	buf_free(&named);
	return rc;
}

/* 1 when path is in the working tree (as a file or a link). */
static int
present(struct store *s, const char *path)
{
	struct stat	 st;
	char		*full = fsutil_join(s->root, path);
	int		 yes = lstat(full, &st) == 0;

	free(full);
	return yes;
}

/*
 * A file of HEAD removed from the working tree since the commit (the
 * administrators edit while a commit is made): HEAD's blob with no stat
 * data, so that git looks at the file, finds it gone and says so.
 */
static int
stage_gone(git_index *idx, const char *path, const char *hex)
{
	git_index_entry	e;

	memset(&e, 0, sizeof e);
	e.path = path;
	e.mode = GIT_FILEMODE_BLOB;
	if (git_oid_fromstr(&e.id, hex) < 0)
		return -1;
	return git_index_add(idx, &e);
}

/*
 * Record in git's index that path, a file the administrators edit in the
 * working tree (never written by a checkout), is as committed: staged when
 * it is in HEAD, out of the index when it is not (a file they removed).
 * One they removed while the commit was made is left for git to see gone.
 */
int
store_stage(struct store *s, const char *path)
{
	git_index	*idx = NULL;
	char		 hex[STORE_OIDLEN + 1];
	int		 rc = -1, grc, in_head;

	in_head = store_lookup(s, path, hex) == 0;
	err_clear();
	if ((grc = git_repository_index(&idx, s->repo)) < 0)
		;
	else if (in_head) {
		grc = git_index_add_bypath(idx, path);
		if (grc < 0 && !present(s, path))
			grc = stage_gone(idx, path, hex);
	} else if (git_index_get_bypath(idx, path, 0) != NULL)
		grc = git_index_remove_bypath(idx, path);
	else
		grc = 1;	/* in neither: nothing to write */
	if (grc < 0 || (grc == 0 && git_index_write(idx) < 0)) {
		store_git_fail("cannot record in the index of", s->root);
		goto out;
	}
	rc = 0;
out:
	git_index_free(idx);
	return rc;
}

/* --- reading, repair and housekeeping ----------------------------------- */

/*
 * The libgit2 repository, for the two modules that read history and
 * check objects (history.c, verify.c).  They include <git2.h> as a
 * documented exception and never write through it.
 */
struct git_repository *
store_repository(struct store *s)
{
	return s->repo;
}

/*
 * Flushing of objects, packs and refs: on unless mirror.fsync says no.
 * Not libgit2's fsync of every object as it is written (that stalled the
 * downloads for a journal commit per document), but one syncfs(2) of the
 * mirror's file system before the branch moves and one after: git's own
 * "batch" idea.
 */
void
store_set_fsync(int on)
{
	store_fsync = on != 0;
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t	a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/*
 * Lock files of git's own (the index, refs, reflogs, config) that a
 * killed writer left behind.  Called with ferry's lock held: every ferry
 * writer takes that lock first, so any such file is stale, and libgit2
 * would otherwise refuse every later commit.
 */
static void
remove_stale_locks(struct store *s, const char *dir, int depth)
{
	static const char *const top[] = {
		"index.lock", "HEAD.lock", "packed-refs.lock", "config.lock",
		"ORIG_HEAD.lock"
	};
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	const char	*gitdir = git_repository_path(s->repo);
	char		*full, *sub;
	size_t		 i;

	if (dir == NULL) {
		for (i = 0; i < sizeof top / sizeof top[0]; i++) {
			full = fsutil_join(gitdir, top[i]);
			if (unlink(full) == 0)
				log_warnx("removed '%s', left by a writer that "
				    "was killed", full);
			free(full);
		}
		remove_stale_locks(s, "refs", 0);
		remove_stale_locks(s, "logs", 0);
		return;
	}
	full = fsutil_join(gitdir, dir);
	d = opendir(full);
	free(full);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		sub = fsutil_join(dir, de->d_name);
		full = fsutil_join(gitdir, sub);
		if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode) && depth < 16)
			remove_stale_locks(s, sub, depth + 1);
		else if (has_suffix(de->d_name, ".lock") && unlink(full) == 0)
			log_warnx("removed '%s', left by a writer that was "
			    "killed", full);
		free(full);
		free(sub);
	}
	closedir(d);
}

/*
 * The blob HEAD has at one status entry's path (in head, "" when none),
 * and the one the working tree has (in work, "" when none).  A stale
 * index, which a checkout killed before it wrote the index leaves, makes
 * the status differ without the files differing: only these two count.
 */
static void
entry_blobs(struct store *s, const git_status_entry *e, char *head,
    char *work)
{
	const git_diff_delta	*hi = e->head_to_index;
	const git_diff_delta	*iw = e->index_to_workdir;
	const char		*path;
	git_oid			 id;
	char			*full;

	*head = *work = '\0';
	if (hi != NULL && hi->status != GIT_DELTA_ADDED)
		git_oid_tostr(head, STORE_OIDLEN + 1, &hi->old_file.id);
	else if (hi == NULL && iw != NULL && iw->status != GIT_DELTA_UNTRACKED)
		git_oid_tostr(head, STORE_OIDLEN + 1, &iw->old_file.id);
	if (iw == NULL) {
		if (hi != NULL && hi->status != GIT_DELTA_DELETED)
			git_oid_tostr(work, STORE_OIDLEN + 1, &hi->new_file.id);
		return;
	}
	if (iw->status == GIT_DELTA_DELETED)
		return;
	if (iw->status != GIT_DELTA_UNTRACKED &&
	    (iw->new_file.flags & GIT_DIFF_FLAG_VALID_ID) &&
	    !git_oid_is_zero(&iw->new_file.id)) {
		git_oid_tostr(work, STORE_OIDLEN + 1, &iw->new_file.id);
		return;
	}
	path = iw->new_file.path;
	full = fsutil_join(s->root, path);
	if (git_odb_hashfile(&id, full, GIT_OBJECT_BLOB) == 0)
		git_oid_tostr(work, STORE_OIDLEN + 1, &id);
	else {
		git_error_clear();
		snprintf(work, STORE_OIDLEN + 1, "unreadable");
	}
	free(full);
}

/* Set the index entry of path to HEAD's blob, or drop it if HEAD has none. */
static int
index_to_head(git_index *idx, const char *path, const char *head)
{
	git_index_entry	ie;

	if (*head == '\0')
		return git_index_remove_bypath(idx, path);
	memset(&ie, 0, sizeof ie);
	ie.path = path;
	ie.mode = GIT_FILEMODE_BLOB;
	git_oid_fromstr(&ie.id, head);
	return git_index_add(idx, &ie);	/* no stat: the checkout looks */
}

#define REPAIR_NAMED	3	/* differences a repair message names */

/*
 * Set git's index back to HEAD wherever it differs (a checkout killed
 * before it wrote the index, or before the administrators' files were
 * staged): ferry commits exactly what it means, so the index is HEAD.
 * Only index entries change; no file is touched.
 */
static int
index_reset(struct store *s, git_index *idx)
{
	git_status_options	 so = GIT_STATUS_OPTIONS_INIT;
	git_status_list		*st = NULL;
	const git_status_entry	*e;
	const git_diff_delta	*hi;
	char			 head[STORE_OIDLEN + 1];
	size_t			 i, n, fixed = 0;
	int			 rc = -1;

	so.show = GIT_STATUS_SHOW_INDEX_ONLY;
	so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&st, s->repo, &so) < 0)
		goto fail;
	n = git_status_list_entrycount(st);
	for (i = 0; i < n; i++) {
		e = git_status_byindex(st, i);
		if ((hi = e->head_to_index) == NULL)
			continue;
		*head = '\0';
		if (hi->status != GIT_DELTA_ADDED)
			git_oid_tostr(head, sizeof head, &hi->old_file.id);
		if (index_to_head(idx, hi->status == GIT_DELTA_ADDED ?
		    hi->new_file.path : hi->old_file.path, head) < 0)
			goto fail;
		fixed++;
	}
	if (fixed > 0 && git_index_write(idx) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	store_git_fail("cannot repair the index of", s->root);
out:
	git_status_list_free(st);
	return rc;
}

/*
 * Bring the working tree back to HEAD where ferry owns it, when a killed
 * checkout or a hand edit left it different, and say so; files ferry does
 * not own (local/, catalog.conf) are never compared or touched.  Lock
 * files and unfinished checkout files a killed writer left are removed
 * and git's index is set back to HEAD first: the caller holds ferry's
 * lock.  A mirror with no commit yet
 * has nothing to repair.
 */
int
store_repair(struct store *s)
{
	git_status_options	 so = GIT_STATUS_OPTIONS_INIT;
	git_checkout_options	 co = GIT_CHECKOUT_OPTIONS_INIT;
	git_status_list		*st = NULL;
	git_index		*idx = NULL;
	const git_status_entry	*e;
	const char		*path, *what;
	struct buf		 named = BUF_INIT;
	char			 hex[STORE_OIDLEN + 1];
	char			 head[STORE_OIDLEN + 1];
	char			 work[STORE_OIDLEN + 1];
	char			*tmpdir;
	size_t			 i, n, bad = 0, stale = 0;
	int			 rc = -1;

	remove_stale_locks(s, NULL, 0);
	tmpdir = fsutil_join(s->private, "tmp");
	fsutil_sweep(tmpdir, "co-");
	fsutil_sweep(tmpdir, "obj-");
	free(tmpdir);
	if (store_head(s, hex) != 0) {
		err_clear();
		return 0;
	}
	if (git_repository_index(&idx, s->repo) < 0) {
		store_git_fail("cannot read the index of", s->root);
		goto out;
	}
	if (index_reset(s, idx) != 0)
		goto out;
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
	    GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
	    GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	so.pathspec.strings = owned_paths;
	so.pathspec.count = sizeof owned_paths / sizeof owned_paths[0];
	if (git_status_list_new(&st, s->repo, &so) < 0) {
		store_git_fail("cannot compare with HEAD the working tree of",
		    s->root);
		goto out;
	}
	n = git_status_list_entrycount(st);
	for (i = 0; i < n; i++) {
		e = git_status_byindex(st, i);
		if (e->status == GIT_STATUS_CURRENT)
			continue;
		stale++;
		path = e->index_to_workdir ?
		    e->index_to_workdir->new_file.path :
		    e->head_to_index->new_file.path;
		entry_blobs(s, e, head, work);
		if (strcmp(head, work) == 0)
			continue;
		what = *head == '\0' ? "not in HEAD" : *work == '\0' ?
		    "missing" : "modified";
		if (bad++ < REPAIR_NAMED)
			buf_addf(&named, "%s'%s' %s", bad > 1 ? ", " : "",
			    path, what);
	}
	if (stale == 0) {
		rc = 0;
		goto out;
	}
	if (bad > 0)
		log_warnx("the working tree of '%s' differs from HEAD in %zu "
		    "file%s (%s%s): checking them out again from HEAD",
		    s->root, bad, bad == 1 ? "" : "s", named.ptr,
		    bad > REPAIR_NAMED ? ", ..." : "");
	co.checkout_strategy = GIT_CHECKOUT_FORCE |
	    GIT_CHECKOUT_REMOVE_UNTRACKED;
	co.paths.strings = owned_paths;
	co.paths.count = sizeof owned_paths / sizeof owned_paths[0];
	if (git_checkout_head(s->repo, &co) < 0) {
		store_git_fail("cannot repair the working tree of", s->root);
		goto out;
	}
	rc = 0;
out:
	buf_free(&named);
	git_status_list_free(st);
	git_index_free(idx);
	return rc;
}

static char *
objects_dir(struct store *s)
{
	return fsutil_join(git_repository_path(s->repo), "objects");
}

static int
is_hex(const char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' &&
		    p[i] <= 'f')))
			return 0;
	return p[n] == '\0';
}

/*
 * Whether the loose object in file f stays out of the packs a pass
 * makes: a document whose bytes do not compress (its zlib stream starts
 * with a stored block: ferry writes those so, and zlib falls back to
 * them) or whose file is over STORE_PACK_BLOB_MAX.  Packing such bytes
 * deflates them again for nothing and reads each whole into memory (a
 * 2 GiB file took 4 GB; the large benchmark's pass spent minutes there).
 */
static int
stays_loose(const char *f, const struct stat *st)
{
	unsigned char	b[3];
	int		fd, stored = 0;

	if (st->st_size > (off_t)STORE_PACK_BLOB_MAX)
		return 1;
	if ((fd = open(f, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (read(fd, b, sizeof b) == (ssize_t)sizeof b)
		stored = (b[2] & 0x06) == 0;	/* BTYPE 00 */
	close(fd);
	return stored;
}

static int
big_loose(const char *objdir, const char *hex)
{
	struct stat	st;
	char		*f;
	int		 big;

	xasprintf(&f, "%s/%.2s/%s", objdir, hex, hex + 2);
	big = stat(f, &st) == 0 && stays_loose(f, &st);
	free(f);
	return big;
}

/* Every loose object's id, by reading objects/XX/ directories. */
static void
loose_list(const char *objdir, struct strmap *out, int64_t *bytes,
    size_t *big)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		 sub[3], hex[STORE_OIDLEN + 1], *dir, *f;
	int		 i;

	for (i = 0; i < 256; i++) {
		snprintf(sub, sizeof sub, "%02x", i);
		dir = fsutil_join(objdir, sub);
		if ((d = opendir(dir)) == NULL) {
			free(dir);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			if (strlen(de->d_name) != STORE_OIDLEN - 2 ||
			    !is_hex(de->d_name, STORE_OIDLEN - 2))
				continue;
			memcpy(hex, sub, 2);
			memcpy(hex + 2, de->d_name, STORE_OIDLEN - 2);
			hex[STORE_OIDLEN] = '\0';
			strmap_put(out, hex, "");
			f = fsutil_join(dir, de->d_name);
			if ((bytes != NULL || big != NULL) &&
			    stat(f, &st) == 0) {
				if (bytes != NULL)
					*bytes += (int64_t)st.st_size;
				if (big != NULL && stays_loose(f, &st))
					(*big)++;
			}
			free(f);
		}
		closedir(d);
		free(dir);
	}
}

/* How many objects are loose and packs there are, and their bytes. */
int
store_usage(struct store *s, struct store_usage *u)
{
	struct strmap	*loose = strmap_new();
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*objdir = objects_dir(s), *packdir, *f;

	memset(u, 0, sizeof *u);
	loose_list(objdir, loose, &u->loose_bytes, &u->loose_big);
	u->loose = strmap_count(loose);
	strmap_free(loose, NULL);
	packdir = fsutil_join(objdir, "pack");
	if ((d = opendir(packdir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			f = fsutil_join(packdir, de->d_name);
			if (stat(f, &st) == 0 && S_ISREG(st.st_mode))
				u->pack_bytes += (int64_t)st.st_size;
			free(f);
			if (has_suffix(de->d_name, ".pack"))
				u->packs++;
		}
		closedir(d);
	}
	free(packdir);
	free(objdir);
	return 0;
}

/*
 * The commits the mirror's refs, HEAD and their reflogs name: the roots
 * of everything worth keeping.
 */
static void
root_commits(struct store *s, git_oid **out, size_t *n)
{
	git_reference_iterator	*it = NULL;
	git_reference		*ref;
	git_object		*obj;
	git_reflog		*rl;
	const git_oid		*id;
	size_t			 i;

	*out = NULL;
	*n = 0;
	if (git_revparse_single(&obj, s->repo, "HEAD^{commit}") == 0) {
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		git_oid_cpy(&(*out)[(*n)++], git_object_id(obj));
		git_object_free(obj);
	}
	if (git_reference_iterator_new(&it, s->repo) < 0) {
		err_clear();
		return;
	}
	while (git_reference_next(&ref, it) == 0) {
		if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
			*out = xreallocarray(*out, *n + 1, sizeof **out);
			git_oid_cpy(&(*out)[(*n)++], git_object_id(obj));
			git_object_free(obj);
		}
		if (git_reflog_read(&rl, s->repo, git_reference_name(ref)) ==
		    0) {
			for (i = 0; i < git_reflog_entrycount(rl); i++) {
				id = git_reflog_entry_id_new(
				    git_reflog_entry_byindex(rl, i));
				if (git_oid_is_zero(id))
					continue;
				*out = xreallocarray(*out, *n + 1,
				    sizeof **out);
				git_oid_cpy(&(*out)[(*n)++], id);
			}
			git_reflog_free(rl);
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	git_error_clear();
}

/*
 * Insert into pb the loose objects of tree id and below, but documents
 * that stay loose.  A tree already packed has everything below it packed
 * too, or left loose so (every pack ferry writes is closed under
 * reachability otherwise), so the walk stops there.
 */
static int
insert_loose_tree(struct store *s, git_packbuilder *pb, const char *objdir,
    const struct strmap *loose, struct strmap *seen, const git_oid *id,
    const char *path)
{
	git_tree		*t = NULL;
	const git_tree_entry	*ent;
	char			 hex[STORE_OIDLEN + 1], *sub;
	size_t			 i;
	int			 rc = -1;

	git_oid_tostr(hex, sizeof hex, id);
	if (strmap_put(seen, hex, "") != NULL || strmap_get(loose, hex) == NULL)
		return 0;
	if (git_tree_lookup(&t, s->repo, id) < 0 ||
	    git_packbuilder_insert(pb, id, path) < 0) {
		store_git_fail("cannot pack tree", *path ? path : hex);
		goto out;
	}
	for (i = 0; i < git_tree_entrycount(t); i++) {
		ent = git_tree_entry_byindex(t, i);
		xasprintf(&sub, "%s%s%s", path, *path ? "/" : "",
		    git_tree_entry_name(ent));
		if (git_tree_entry_type(ent) == GIT_OBJECT_TREE)
			rc = insert_loose_tree(s, pb, objdir, loose, seen,
			    git_tree_entry_id(ent), sub);
		else if (git_tree_entry_type(ent) == GIT_OBJECT_BLOB) {
			git_oid_tostr(hex, sizeof hex, git_tree_entry_id(ent));
			rc = 0;
			if (strmap_put(seen, hex, "") == NULL &&
			    strmap_get(loose, hex) != NULL &&
			    !big_loose(objdir, hex) &&
			    git_packbuilder_insert(pb, git_tree_entry_id(ent),
			    sub) < 0)
				rc = store_git_fail("cannot pack", sub);
		} else
			rc = 0;
		free(sub);
		if (rc != 0)
			goto out;
	}
	rc = 0;
out:
	git_tree_free(t);
	return rc;
}

/* Insert into pb every loose object reachable from the roots. */
static int
insert_loose(struct store *s, git_packbuilder *pb, const struct strmap *loose)
{
	struct strmap	*seen = strmap_new();
	git_commit	*c;
	git_oid		*stack;
	size_t		 n, i;
	char		 hex[STORE_OIDLEN + 1], *objdir = objects_dir(s);
	int		 rc = 0;

	root_commits(s, &stack, &n);
	while (n > 0 && rc == 0) {
		git_oid id = stack[--n];

		git_oid_tostr(hex, sizeof hex, &id);
		if (strmap_put(seen, hex, "") != NULL ||
		    strmap_get(loose, hex) == NULL)
			continue;	/* packed: its past is packed */
		if (git_commit_lookup(&c, s->repo, &id) < 0) {
			rc = store_git_fail("cannot pack commit", hex);
			break;
		}
		if (git_packbuilder_insert(pb, &id, NULL) < 0)
			rc = store_git_fail("cannot pack commit", hex);
		else
			rc = insert_loose_tree(s, pb, objdir, loose, seen,
			    git_commit_tree_id(c), "");
		for (i = 0; rc == 0 && i < git_commit_parentcount(c); i++) {
			stack = xreallocarray(stack, n + 1, sizeof *stack);
			git_oid_cpy(&stack[n++], git_commit_parent_id(c, i));
		}
		git_commit_free(c);
	}
	free(stack);
	free(objdir);
	strmap_free(seen, NULL);
	return rc;
}

/* Insert into pb everything reachable from the roots and the index. */
static int
insert_all(struct store *s, git_packbuilder *pb)
{
	git_revwalk		*walk = NULL;
	git_index		*idx = NULL;
	git_odb			*odb = NULL;
	const git_index_entry	*ie;
	git_oid			*roots;
	size_t			 n, i;
	int			 rc = -1;

	root_commits(s, &roots, &n);
	if (git_revwalk_new(&walk, s->repo) < 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (git_revwalk_push(walk, &roots[i]) < 0)
			goto fail;
	if (n > 0 && git_packbuilder_insert_walk(pb, walk) < 0)
		goto fail;
	if (git_repository_index(&idx, s->repo) < 0 ||
	    git_repository_odb(&odb, s->repo) < 0)
		goto fail;
	for (i = 0; i < git_index_entrycount(idx); i++) {
		ie = git_index_get_byindex(idx, i);
		if (git_odb_exists(odb, &ie->id) &&
		    git_packbuilder_insert(pb, &ie->id, ie->path) < 0)
			goto fail;
	}
	rc = 0;
	goto out;
fail:
	store_git_fail("cannot list the objects of", s->root);
out:
	git_odb_free(odb);
	git_index_free(idx);
	git_revwalk_free(walk);
	free(roots);
	return rc;
}

/* Remove a pack that a new one replaces: its index first, as git does. */
static int
remove_pack(const char *packdir, const char *idxname)
{
	static const char *const ext[] = { ".idx", ".pack", ".rev" };
	size_t	base = strlen(idxname) - strlen(".idx"), i;
	char	*f;
	int	 rc = 0;

	for (i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		xasprintf(&f, "%s/%.*s%s", packdir, (int)base, idxname, ext[i]);
		if (unlink(f) == -1 && errno != ENOENT)
			rc = err_set("cannot remove '%s': %s", f,
			    strerror(errno));
		free(f);
	}
	return rc;
}

/*
 * Drop the packs the new one replaces, and the temporary files that
 * killed writers left in objects/ and objects/pack/ (the lock is held:
 * nobody else is writing).
 */
static int
remove_old_packs(const char *objdir, const char *keep)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	const char	*name;
	char		*packdir = fsutil_join(objdir, "pack"), *f, *other;
	size_t		 n, base;
	int		 rc = 0, is_idx;

	if ((d = opendir(packdir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			name = de->d_name;
			n = strlen(name);
			f = fsutil_join(packdir, name);
			is_idx = has_suffix(name, ".idx");
			base = n - (is_idx ? 4 : 5);
			if (strncmp(name, "pack_git2_", 10) == 0)
				unlink(f);	/* a killed writer's */
			else if ((is_idx || has_suffix(name, ".pack")) &&
			    strncmp(name, keep, strlen(keep) - 4) != 0) {
				xasprintf(&other, "%s/%.*s%s", packdir,
				    (int)base, name, is_idx ? ".keep" : ".idx");
				if (is_idx && stat(other, &st) == -1) {
					if (remove_pack(packdir, name) != 0)
						rc = -1;
				} else if (!is_idx && stat(other, &st) == -1)
					unlink(f);	/* its index is gone */
				free(other);
			}
			free(f);
		}
		closedir(d);
	}
	if ((d = opendir(objdir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, "tmp_object_git2_", 16) != 0)
				continue;
			f = fsutil_join(objdir, de->d_name);
			unlink(f);
			free(f);
		}
		closedir(d);
	}
	free(packdir);
	return rc;
}

/*
 * Remove the loose objects the pack at idxfile holds, and with all every
 * other loose object too (nothing reachable is outside that pack).
 */
static int
remove_loose(const char *objdir, const char *idxfile,
    const struct strmap *loose, int all, size_t *removed)
{
	git_odb_backend	*be = NULL;
	git_odb		*pack = NULL;
	git_oid		 id;
	const char	*hex;
	size_t		 pos = 0;
	void		*v;
	char		*f, sub[3];
	int		 i, rc = -1;

	if (git_odb_new(&pack) < 0 ||
	    git_odb_backend_one_pack(&be, idxfile) < 0) {
		store_git_fail("cannot read the new pack", idxfile);
		goto out;
	}
	if (git_odb_add_backend(pack, be, 1) < 0) {
		be->free(be);
		store_git_fail("cannot read the new pack", idxfile);
		goto out;
	}
	while (strmap_next(loose, &pos, &hex, &v)) {
		if (git_oid_fromstr(&id, hex) < 0 ||
		    (!all && !git_odb_exists(pack, &id)))
			continue;
		xasprintf(&f, "%s/%.2s/%s", objdir, hex, hex + 2);
		if (unlink(f) == 0)
			(*removed)++;
		else if (errno != ENOENT) {
			err_set("cannot remove '%s': %s", f, strerror(errno));
			free(f);
			goto out;
		}
		free(f);
	}
	for (i = 0; i < 256; i++) {
		snprintf(sub, sizeof sub, "%02x", i);
		f = fsutil_join(objdir, sub);
		rmdir(f);	/* only when empty */
		free(f);
	}
	rc = 0;
out:
	git_odb_free(pack);
	return rc;
}

/*
 * Pack the loose objects reachable from the refs, HEAD, their reflogs,
 * into one new pack, then remove the loose copies.  With STORE_PACK_ALL,
 * every reachable object goes into the new pack, which replaces all the
 * others, and loose objects nothing reaches (what killed passes left) are
 * dropped.  The pack is written and synced before anything is removed:
 * a crash at any instant leaves at worst an object twice.
 */
int
store_pack(struct store *s, int flags, struct store_packed *out)
{
	git_packbuilder		*pb = NULL;
	git_odb			*odb = NULL;
	struct strmap		*loose = strmap_new();
	struct store_usage	 before, after;
	char			*objdir = objects_dir(s), *packdir = NULL;
	char			*idxname = NULL, *idxfile = NULL;
	int			 all = (flags & STORE_PACK_ALL) != 0;
	int			 rc = -1;

	memset(out, 0, sizeof *out);
	store_usage(s, &before);
	loose_list(objdir, loose, NULL, NULL);
	if (!all && strmap_count(loose) == 0) {
		rc = 0;
		goto out;
	}
	if (git_packbuilder_new(&pb, s->repo) < 0) {
		store_git_fail("cannot pack the objects of", s->root);
		goto out;
	}
	if ((all ? insert_all(s, pb) : insert_loose(s, pb, loose)) != 0)
		goto out;
	out->objects = git_packbuilder_object_count(pb);
	if (out->objects == 0) {	/* never empty a mirror */
		rc = 0;
		goto out;
	}
	packdir = fsutil_join(objdir, "pack");
	if (fsutil_mkdirs(packdir, 0755) != 0)
		goto out;
	if (git_packbuilder_write(pb, packdir, 0, NULL, NULL) < 0) {
		store_git_fail("cannot write a pack in", packdir);
		goto out;
	}
	xasprintf(&idxname, "pack-%s.idx", git_packbuilder_name(pb));
	idxfile = fsutil_join(packdir, idxname);
	/* The pack reaches the disk before the loose objects go. */
	if (store_fsync && fsutil_syncfs(packdir) != 0)
		goto out;
	if (remove_loose(objdir, idxfile, loose, all,
	    &out->loose_removed) != 0)
		goto out;
	if (all && remove_old_packs(objdir, idxname) != 0)
		goto out;
	if (git_repository_odb(&odb, s->repo) == 0)
		git_odb_refresh(odb);
	store_usage(s, &after);
	out->bytes_before = before.loose_bytes + before.pack_bytes;
	out->bytes_after = after.loose_bytes + after.pack_bytes;
	out->packs_removed = before.packs + 1 > after.packs ?
	    before.packs + 1 - after.packs : 0;
	rc = 0;
out:
	git_odb_free(odb);
	git_packbuilder_free(pb);
	strmap_free(loose, NULL);
	free(idxfile);
	free(idxname);
	free(packdir);
	free(objdir);
	return rc;
}

#define AUTOPACK_PACKS	20	/* packs before an automatic packing
				   repacks everything */

/*
 * After a pass: pack once threshold loose objects have piled up (0 never
 * packs).  Packing is housekeeping, so a failure is a warning, never the
 * pass's failure.
 */
void
store_autopack(struct store *s, long threshold)
{
	struct store_usage	u;
	struct store_packed	p;
	int			flags = 0, rc;

	/* Documents that stay loose do not count. */
	if (threshold <= 0 || store_usage(s, &u) != 0 ||
	    u.loose - u.loose_big < (size_t)threshold)
		return;
	if (u.packs >= AUTOPACK_PACKS)
		flags = STORE_PACK_ALL;
	rc = store_pack(s, flags, &p);
	if (rc == 0 && flags == 0 &&
	    u.loose - u.loose_big - p.loose_removed >= (size_t)threshold)
		rc = store_pack(s, STORE_PACK_ALL, &p); /* garbage */
	if (rc != 0) {
		log_warnx("%s (the objects stay as they are; 'ferry gc' packs "
		    "them)", err_msg());
		err_clear();
		return;
	}
	log_info("packed %zu loose objects of '%s'", p.loose_removed,
	    s->root);
}
