/*
 * unit.h -- what the table-driven unit tests share: the size of a table,
 * a printable string, the check of one row that prints the input, what
 * was expected and what came, and a scratch directory per test.
 * Included after <cmocka.h>.
 */
#ifndef FERRY_UNIT_H
#define FERRY_UNIT_H

#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "xmalloc.h"

#define NROWS(a)	(sizeof (a) / sizeof (a)[0])
#define S(s)		((s) ? (s) : "(null)")

/* 0 when got is want (both may be NULL); else 1, said on stderr. */
static inline int
row_bad(const char *what, const char *input, const char *want,
    const char *got)
{
	if (want == NULL ? got == NULL : got != NULL && strcmp(want, got) == 0)
		return 0;
	print_error("%s(%s):\n    expected '%s'\n    actual   '%s'\n", what,
	    input, S(want), S(got));
	return 1;
}

/* cmocka setup: a new directory under $TMPDIR (or /tmp) as *state. */
static inline int
unit_setup_dir(void **state)
{
	const char	*tmp = getenv("TMPDIR");
	char		*dir;

	xasprintf(&dir, "%s/ferry-unit.XXXXXX", tmp != NULL && *tmp != '\0' ?
	    tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

/* cmocka teardown: the directory and all in it removed. */
static inline int
unit_teardown_dir(void **state)
{
	fsutil_rmtree(*state);
	free(*state);
	return 0;
}

#endif
