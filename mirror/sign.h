/* sign.h -- Ed25519 keys and signatures in minisign's formats */
#ifndef FERRY_SIGN_H
#define FERRY_SIGN_H

#include <stddef.h>

#define SIGN_KEYID_LEN		8
#define SIGN_KEYID_HEXLEN	16

/*
 * The longest comments minisign reads back whole: an untrusted comment
 * (after "untrusted comment: ") and a trusted one (after "trusted
 * comment: "), in bytes.
 */
#define SIGN_COMMENT_MAX	1003
#define SIGN_TRUSTED_MAX	8173

/*
 * A public key: its 8-byte id (random, chosen at key generation; minisign
 * prints it as a little-endian number) and the Ed25519 public key.
 */
struct sign_pubkey {
	unsigned char	id[SIGN_KEYID_LEN];
	unsigned char	pk[32];
};

/*
 * A secret key: the id of its public key and libsodium's 64-byte secret
 * key (seed || public key).  Wipe it with sodium_memzero() when done.
 */
struct sign_seckey {
	unsigned char	id[SIGN_KEYID_LEN];
	unsigned char	sk[64];
};

struct buf;

int	sign_keygen(const char *, const char *, int, struct sign_pubkey *);
int	sign_load_seckey(const char *, struct sign_seckey *);
int	sign_load_pubkey(const char *, struct sign_pubkey *);
int	sign_parse_pubkey(const char *, struct sign_pubkey *);
int	sign_pubkey_from(const char *, struct sign_pubkey *);
void	sign_pubkey_base64(const struct sign_pubkey *, struct buf *);
void	sign_pubkey_file(const struct sign_pubkey *, struct buf *);
void	sign_keyid_hex(const unsigned char [SIGN_KEYID_LEN],
	    char [SIGN_KEYID_HEXLEN + 1]);
int	sign_detached(const struct sign_seckey *, const void *, size_t,
	    const char *, const char *, struct buf *);
int	sign_verify(const struct sign_pubkey *, const void *, size_t,
	    const char *, size_t, char **);
int	sign_sig_keyid(const char *, size_t, unsigned char [SIGN_KEYID_LEN]);

#endif
