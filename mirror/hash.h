/* hash.h -- SHA-256 of files, buffers and streams (OpenSSL's libcrypto) */
#ifndef FERRY_HASH_H
#define FERRY_HASH_H

#include <stddef.h>

#define HASH_HEXLEN	64

/* A stream being hashed: HASH_INIT, hash_init, hash_update..., hash_final. */
struct hash_ctx {
	void	*md;
};
#define HASH_INIT	{ NULL }

void	hash_init(struct hash_ctx *);
void	hash_update(struct hash_ctx *, const void *, size_t);
void	hash_final(struct hash_ctx *, char *);
void	hash_free(struct hash_ctx *);
int	hash_file(const char *, char *);
void	hash_buf(const void *, size_t, char *);

#endif
