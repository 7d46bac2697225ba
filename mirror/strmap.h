/* strmap.h -- a hash map from strings to pointers */
#ifndef FERRY_STRMAP_H
#define FERRY_STRMAP_H

#include <stddef.h>

/*
 * Keys are copied and owned by the map; values are the caller's.  Order
 * of iteration is unspecified: sort before anything is written out.
 */
struct strmap;

struct strmap	*strmap_new(void);
void		 strmap_free(struct strmap *, void (*)(void *));
void		*strmap_get(const struct strmap *, const char *);
void		*strmap_put(struct strmap *, const char *, void *);
void		*strmap_del(struct strmap *, const char *);
size_t		 strmap_count(const struct strmap *);
int		 strmap_next(const struct strmap *, size_t *, const char **,
		    void **);

#endif
