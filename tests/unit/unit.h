/*
 * unit.h -- what the table-driven unit tests share: the size of a table,
 * a printable string, and the check of one row that prints the input,
 * what was expected and what came.  Included after <cmocka.h>.
 */
#ifndef FERRY_UNIT_H
#define FERRY_UNIT_H

#include <string.h>

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

#endif
