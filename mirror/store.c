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

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "buf.h"
#include "err.h"
#include "fsutil.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

struct store {
	git_repository	*repo;
	git_tree	*head_tree;	/* cached for lookups, NULL until used */
	char		*root;		/* the working tree */
	char		*private;	/* .git/ferry */
	int		 lockfd;
	int		 created;	/* 1: made by this open, 2: and its
					   directory too */
};

/* Paths of the working tree that a checkout may write. */
static char *owned_paths[] = {
	"site", "text", "index.html", "search.js", "index.json", "README.txt"
};

static int
git_fail(const char *what, const char *subject)
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
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
	return 0;
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
		return git_fail("cannot create mirror", path);
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

	if (s == NULL || !s->created || store_head(s, hex) == 0)
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
		return git_fail("cannot read HEAD of", s->root);
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

/* Stream a file into the object database: memory stays flat. */
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
	if (git_repository_odb(&odb, s->repo) < 0 ||
	    git_odb_open_wstream(&ws, odb, (git_object_size_t)st.st_size,
	    GIT_OBJECT_BLOB) < 0) {
		git_fail("cannot store", file);
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
			git_fail("cannot store", file);
			goto out;
		}
	}
	if (git_odb_stream_finalize_write(&oid, ws) < 0) {
		git_fail("cannot store", file);
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
		return git_fail("cannot store a blob in", s->root);
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
		return git_fail("cannot read object", hex);
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
		git_fail("cannot build the tree of", s->root);
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
		git_fail("HEAD is not a branch in", s->root);
		goto out;
	}
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
		git_fail("cannot update the branch of", s->root);
		goto out;
	}
	rc = 0;
out:
	git_reference_free(ref);
	git_reference_free(head);
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
	git_signature	*sig = NULL;
	git_oid		 pid, tid, cid;
	char		*subject = NULL;
	int		 rc = -1;

	if (parent_hex != NULL) {
		if (git_oid_fromstr(&pid, parent_hex) < 0 ||
		    git_commit_lookup(&parent, s->repo, &pid) < 0 ||
		    git_commit_tree(&base, parent) < 0) {
			git_fail("cannot read commit", parent_hex);
			goto out;
		}
	}
	if (build_tree(s, base, ch, n, &tid) != 0)
		goto out;
	if (base != NULL && git_oid_equal(&tid, git_tree_id(base))) {
		rc = FERRY_EUNCHANGED;
		goto out;
	}
	if (git_tree_lookup(&tree, s->repo, &tid) < 0 ||
	    git_signature_now(&sig, name, email) < 0) {
		git_fail("cannot prepare the commit of", s->root);
		goto out;
	}
	if (git_commit_create(&cid, s->repo, NULL, sig, sig, "UTF-8", message,
	    tree, parent ? 1 : 0, (const git_commit **)&parent) < 0) {
		git_fail("cannot write the commit of", s->root);
		goto out;
	}
	subject = xstrndup(message, strcspn(message, "\n"));
	if ((rc = move_branch(s, &cid, parent ? &pid : NULL, subject)) != 0)
		goto out;
	git_oid_tostr(hex, STORE_OIDLEN + 1, &cid);
	git_tree_free(s->head_tree);
	s->head_tree = NULL;
	rc = 0;
out:
	free(subject);
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	return rc;
}

/* Make the working tree match HEAD for everything ferry owns. */
int
store_checkout(struct store *s)
{
	git_checkout_options	opts = GIT_CHECKOUT_OPTIONS_INIT;

	opts.checkout_strategy = GIT_CHECKOUT_FORCE;
	opts.paths.strings = owned_paths;
	opts.paths.count = sizeof owned_paths / sizeof owned_paths[0];
	if (git_checkout_head(s->repo, &opts) < 0)
		return git_fail("cannot write the working tree of", s->root);
	return 0;
}

/*
 * Record in git's index that path, a file the administrators edit in the
 * working tree (never written by a checkout), is as committed: a no-op
 * when it is not in HEAD.
 */
int
store_stage(struct store *s, const char *path)
{
	git_index	*idx = NULL;
	char		 hex[STORE_OIDLEN + 1];
	int		 rc = -1;

	if (store_lookup(s, path, hex) != 0) {
		err_clear();
		return 0;
	}
	if (git_repository_index(&idx, s->repo) < 0 ||
	    git_index_add_bypath(idx, path) < 0 || git_index_write(idx) < 0) {
		git_fail("cannot record in the index of", s->root);
		goto out;
	}
	rc = 0;
out:
	git_index_free(idx);
	return rc;
}
