/* charset.h -- a page's character encoding, and its text in UTF-8 */
#ifndef FERRY_CHARSET_H
#define FERRY_CHARSET_H

#include <stddef.h>
#include <stdint.h>

struct buf;

const char	*charset_detect(const char *, size_t, const char *);
int		 charset_to_utf8(const char *, size_t, const char *,
		    struct buf *, uint32_t **);

#endif
