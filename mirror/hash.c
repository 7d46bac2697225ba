/*
 * hash.c -- SHA-256 of files and buffers, as lower-case hex.
 *
 * A thin wrapper over libsodium so that checking a kept copy does not
 * pull libsodium into every module.  Files are read in chunks: memory
 * does not grow with their size.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "err.h"
#include "hash.h"

int
hash_file(const char *file, char *hex)
{
	crypto_hash_sha256_state	st;
	unsigned char			md[crypto_hash_sha256_BYTES];
	unsigned char			chunk[65536];
	ssize_t				n;
	int				fd;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
		return err_code(errno == ENOENT ? FERRY_ENOTFOUND : FERRY_ERROR,
		    "cannot open '%s': %s", file, strerror(errno));
	crypto_hash_sha256_init(&st);
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			close(fd);
			return err_set("cannot read '%s': %s", file,
			    strerror(errno));
		}
		crypto_hash_sha256_update(&st, chunk, (size_t)n);
	}
	close(fd);
	crypto_hash_sha256_final(&st, md);
	sodium_bin2hex(hex, HASH_HEXLEN + 1, md, sizeof md);
	return 0;
}

void
hash_buf(const void *data, size_t len, char *hex)
{
	unsigned char	md[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(md, data, len);
	sodium_bin2hex(hex, HASH_HEXLEN + 1, md, sizeof md);
}
