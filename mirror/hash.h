/* hash.h -- SHA-256 of files and buffers (libsodium) */
#ifndef FERRY_HASH_H
#define FERRY_HASH_H

#include <stddef.h>

#define HASH_HEXLEN	64

int	hash_file(const char *, char *);
void	hash_buf(const void *, size_t, char *);

#endif
