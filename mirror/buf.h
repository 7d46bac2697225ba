/* buf.h -- growable byte buffers with a cap */
#ifndef FERRY_BUF_H
#define FERRY_BUF_H

#include <stddef.h>

/*
 * A buffer owns ptr[0..len), always NUL-terminated at ptr[len] once
 * anything was added (ptr is NULL before).  max is the most it may hold;
 * 0 means no cap.  Adding past the cap fails with FERRY_ETOOBIG and leaves
 * the buffer as it was, so bytes from the network can never exhaust memory.
 */
struct buf {
	char	*ptr;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
};

#define BUF_INIT	{ NULL, 0, 0, 0 }

void	 buf_init(struct buf *, size_t);
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_addstr(struct buf *, const char *);
int	 buf_addc(struct buf *, char);
int	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_addhtml(struct buf *, const char *);
int	 buf_addjson(struct buf *, const char *);
const char *buf_cstr(struct buf *);
char	*buf_detach(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_free(struct buf *);

#endif
