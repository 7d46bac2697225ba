/* gitsig.h -- git's SSH commit signatures (OpenSSH's SSHSIG) */
#ifndef FERRY_GITSIG_H
#define FERRY_GITSIG_H

#include <stddef.h>

struct buf;
struct sign_pubkey;
struct sign_seckey;

/*
 * The longest armored signature gitsig_verify() reads, in bytes: an
 * Ed25519 one is under 300, an RSA one of 16384 bits about 5000.
 */
#define GITSIG_TEXT_MAX		8192

int	gitsig_sign(const struct sign_seckey *, const void *, size_t,
	    struct buf *);
int	gitsig_verify(const struct sign_pubkey *, const void *, size_t,
	    const char *, size_t);
void	gitsig_pubkey_line(const struct sign_pubkey *, const char *,
	    struct buf *);
int	gitsig_parse_pubkey_line(const char *, struct sign_pubkey *);

#endif
