/*
 * test_store.c -- unit tests for store.c's parts that the integration
 * scripts cannot time: git's index after an administrator's file went
 * away while its commit was being made, and the files of one directory
 * of a commit.  Each test works on a real repository in a scratch
 * directory, read back with libgit2 as git would.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <git2.h>

#include "buf.h"
#include "err.h"
#include "fsutil.h"
#include "store.h"
#include "unit.h"

/*
 * A repository in the scratch directory and one commit, in which each
 * path holds its own name.
 */
static struct store *
make_commit(const char *dir, const char *const *paths, size_t n, char *head)
{
	struct store_change	 ch[8];
	struct store		*s;
	char			 blobs[8][STORE_OIDLEN + 1];
	size_t			 i;

	assert_true(n <= 8);
	assert_int_equal(store_open(dir, 1, &s), 0);
	assert_int_equal(store_lock(s), 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(store_blob_buf(s, paths[i], strlen(paths[i]),
		    blobs[i]), 0);
		ch[i].path = paths[i];
		ch[i].blob = blobs[i];
	}
	assert_int_equal(store_commit(s, NULL, ch, n, "Test", "t@example.org",
	    "first", head), 0);
	return s;
}

/* git's word on path in the working tree and the index. */
static unsigned int
status_of(struct store *s, const char *path)
{
	unsigned int	flags = 0;

	assert_int_equal(git_status_file(&flags, store_repository(s), path),
	    0);
	return flags;
}

/*
 * local/a.txt committed, then gone from disk before the index is written:
 * staging it is no error, and git sees it removed in the working tree,
 * not staged as anything.
 */
static void
stage_file_removed_after_commit(void **state)
{
	static const char *const paths[] = { "local/a.txt" };
	struct store	*s;
	char		 head[STORE_OIDLEN + 1];

	s = make_commit(*state, paths, 1, head);
	assert_int_equal(store_stage(s, "local/a.txt"), 0);
	assert_int_equal(status_of(s, "local/a.txt"), GIT_STATUS_WT_DELETED);
	store_close(s);
}

/* The same file present as committed: staged, and git status is clean. */
static void
stage_file_as_committed(void **state)
{
	static const char *const paths[] = { "local/a.txt" };
	struct store	*s;
	char		 head[STORE_OIDLEN + 1], *dir, *file;

	s = make_commit(*state, paths, 1, head);
	dir = fsutil_join(*state, "local");
	file = fsutil_join(dir, "a.txt");
	assert_int_equal(fsutil_mkdirs(dir, 0755), 0);
	assert_int_equal(fsutil_write_atomic(file, paths[0], strlen(paths[0]),
	    0), 0);
	assert_int_equal(store_stage(s, "local/a.txt"), 0);
	assert_int_equal(status_of(s, "local/a.txt"), GIT_STATUS_CURRENT);
	free(file);
	free(dir);
	store_close(s);
}

static int
collect(const struct store_file *f, void *arg)
{
	buf_addf(arg, "%s,", f->path);
	return 0;
}

/* Every file of a commit, or those of one directory only. */
static void
tree_files_of_one_directory(void **state)
{
	static const char *const paths[] = {
		"catalog.conf", "local/a.txt", "local/d/b.txt", "site/x.html",
		"site/local/c.txt",
	};
	static const struct {
		const char	*dir;
		const char	*want;
	} rows[] = {
		{ NULL, "catalog.conf,local/a.txt,local/d/b.txt,"
		    "site/local/c.txt,site/x.html," },
		{ "local", "local/a.txt,local/d/b.txt," },
		{ "local/d", "local/d/b.txt," },
		{ "site/local", "site/local/c.txt," },
		{ "nowhere", "" },
		{ "catalog.conf", "" },		/* a file, not a directory */
	};
	struct store	*s;
	struct buf	 b = BUF_INIT;
	char		 head[STORE_OIDLEN + 1];
	size_t		 i;
	int		 bad = 0;

	s = make_commit(*state, paths, NROWS(paths), head);
	for (i = 0; i < NROWS(rows); i++) {
		buf_reset(&b);
		assert_int_equal(store_tree_files(s, head, rows[i].dir, collect,
		    &b), 0);
		bad += row_bad("store_tree_files", S(rows[i].dir), rows[i].want,
		    buf_cstr(&b));
	}
	assert_int_equal(bad, 0);
	buf_free(&b);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(stage_file_removed_after_commit,
		    unit_setup_dir, unit_teardown_dir),
		cmocka_unit_test_setup_teardown(stage_file_as_committed,
		    unit_setup_dir, unit_teardown_dir),
		cmocka_unit_test_setup_teardown(tree_files_of_one_directory,
		    unit_setup_dir, unit_teardown_dir),
	};
	int	rc;

	store_global_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	store_global_free();
	return rc;
}
