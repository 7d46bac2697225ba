/* err.h -- the error message on the side */
#ifndef FERRY_ERR_H
#define FERRY_ERR_H

/*
 * Functions return 0 on success or one of these negative codes; only the
 * codes a caller branches on have names.  The human-readable message is
 * kept by err_set() and read with err_msg().
 */
#define FERRY_ERROR	-1	/* generic failure, see err_msg() */
#define FERRY_ENOTFOUND	-2	/* no such file, key, object or URL */
#define FERRY_EUNCHANGED -3	/* nothing to do: the result would be the same */
#define FERRY_EBUSY	-4	/* another writer holds the lock */
#define FERRY_ETOOBIG	-5	/* a size cap was reached */
#define FERRY_ECONFIG	-6	/* invalid configuration or usage */
#define FERRY_EUNSUPPORTED -7	/* not something ferry handles (a mailto: link) */

int		 err_set(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
int		 err_code(int, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 err_prefix(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
const char	*err_msg(void);
void		 err_clear(void);

#endif
