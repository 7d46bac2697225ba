/*
 * hash.c -- SHA-256 of files, buffers and streams, as lower-case hex.
 *
 * OpenSSL's libcrypto does the hashing: it uses the CPU's SHA extensions
 * where there are some, 1 GB/s here against libsodium's portable 120 MB/s,
 * and every body a pass fetches goes through it.  Files are read in
 * chunks: memory does not grow with their size.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "err.h"
#include "hash.h"
#include "log.h"

static void
to_hex(const unsigned char *md, size_t n, char *hex)
{
	static const char	digits[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * n] = '\0';
}

/* Start (or start again) a stream of bytes to hash. */
void
hash_init(struct hash_ctx *h)
{
	if (h->md == NULL && (h->md = EVP_MD_CTX_new()) == NULL)
		fatalx("cannot allocate a SHA-256 context");
	if (EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) != 1)
		fatalx("cannot start SHA-256");
}

void
hash_update(struct hash_ctx *h, const void *data, size_t len)
{
	if (EVP_DigestUpdate(h->md, data, len) != 1)
		fatalx("cannot compute SHA-256");
}

/* The stream's hash; hash_init starts another. */
void
hash_final(struct hash_ctx *h, char *hex)
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	n = 0;

	if (EVP_DigestFinal_ex(h->md, md, &n) != 1)
		fatalx("cannot compute SHA-256");
	to_hex(md, n, hex);
}

void
hash_free(struct hash_ctx *h)
{
	EVP_MD_CTX_free(h->md);
	h->md = NULL;
}

int
hash_file(const char *file, char *hex)
{
	struct hash_ctx	h = HASH_INIT;
	unsigned char	chunk[65536];
	ssize_t		n;
	int		fd, rc = -1;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		return err_code(errno == ENOENT ? FERRY_ENOTFOUND : FERRY_ERROR,
		    "cannot open '%s': %s", file, strerror(errno));
	hash_init(&h);
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			err_set("cannot read '%s': %s", file, strerror(errno));
			goto out;
		}
		hash_update(&h, chunk, (size_t)n);
	}
	hash_final(&h, hex);
	rc = 0;
out:
	close(fd);
	hash_free(&h);
	return rc;
}

void
hash_buf(const void *data, size_t len, char *hex)
{
	struct hash_ctx	h = HASH_INIT;

	hash_init(&h);
	hash_update(&h, data, len);
	hash_final(&h, hex);
	hash_free(&h);
}
