/*
 * sign.c -- Ed25519 keys and signatures in minisign's formats.
 *
 * Owns the three minisign files and libsodium's signing calls: the secret
 * key (written without a password, so an export can run unattended), the
 * public key (.pub, or its one "RW..." line) and the detached signature
 * (.minisig, "ED": Ed25519 over the BLAKE2b-512 of the data, plus a
 * signature over the trusted comment).  Signatures and public keys may
 * come from a USB stick: every length is bounded, lines may end in CRLF
 * and nothing is read past the text given.  It does not decide which key
 * to trust (the caller pins one), what the trusted comment says, or where
 * the files live.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "buf.h"
#include "err.h"
#include "fsutil.h"
#include "sign.h"
#include "xmalloc.h"

#define UNTRUSTED_PREFIX	"untrusted comment: "
#define TRUSTED_PREFIX		"trusted comment: "
#define DEFAULT_SIG_COMMENT	"signature from ferry secret key"
#define SECKEY_COMMENT		"minisign secret key without a password"

/* The binary layouts, in bytes: "Ed" + id + public key; alg + id + sig. */
#define PK_BYTES	(2 + SIGN_KEYID_LEN + 32)
#define SIG_BYTES	(2 + SIGN_KEYID_LEN + 64)

/*
 * The secret key: sig_alg "Ed", kdf_alg (zero: none; "Sc": scrypt with a
 * password), chk_alg "B2", the scrypt salt and limits, the key id, the
 * 64-byte secret key and its BLAKE2b-256 checksum.
 */
#define SK_SIGALG	0
#define SK_KDFALG	2
#define SK_CHKALG	4
#define SK_KEYID	54
#define SK_SK		62
#define SK_CHK		126
#define SK_BYTES	158

/* Caps on what is read: far above any real file, far below harm. */
#define PUBFILE_MAX	4096
#define SECFILE_MAX	4096
#define SIGTEXT_MAX	16384
#define B64LINE_MAX	1024

/* A cursor over a text, one line at a time. */
struct lines {
	const char	*p;
	const char	*end;
	int		 no;		/* the last line read */
};

/* A .minisig taken apart; trusted points into the text. */
struct sig_parts {
	unsigned char	 raw[SIG_BYTES];	/* alg, key id, sig */
	unsigned char	 global[64];
	const char	*trusted;
	size_t		 tlen;
};

static int
sign_init(void)
{
	if (sodium_init() < 0)
		return err_set("cannot initialise libsodium");
	return 0;
}

/* The next line, without "\n" and the "\r"s before it; 0 at the end. */
static int
next_line(struct lines *l, const char **line, size_t *len)
{
	const char	*nl;
	size_t		 n;

	if (l->p >= l->end)
		return 0;
	nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	n = (size_t)((nl != NULL ? nl : l->end) - l->p);
	*line = l->p;
	l->p = nl != NULL ? nl + 1 : l->end;
	while (n > 0 && (*line)[n - 1] == '\r')
		n--;
	*len = n;
	l->no++;
	return 1;
}

static void
lines_init(struct lines *l, const char *text, size_t len)
{
	l->p = text;
	l->end = text + len;
	l->no = 0;
}

/* Exactly outlen bytes from base64 text s[0..len), or -1. */
static int
b64_decode(const char *s, size_t len, unsigned char *out, size_t outlen)
{
	size_t	n;

	if (len > B64LINE_MAX)
		return -1;
	if (sodium_base642bin(out, outlen, s, len, NULL, &n, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || n != outlen)
		return -1;
	return 0;
}

static void
b64_add(struct buf *out, const unsigned char *bin, size_t len)
{
	char	s[sodium_base64_ENCODED_LEN(SIG_BYTES,
		    sodium_base64_VARIANT_ORIGINAL)];

	sodium_bin2base64(s, sizeof s, bin, len,
	    sodium_base64_VARIANT_ORIGINAL);
	buf_addstr(out, s);
	buf_addc(out, '\n');
}

/*
 * A comment line: what follows its prefix, at most max bytes.  what
 * names the line for messages ("untrusted comment").
 */
static int
comment_line(struct lines *l, const char *prefix, size_t max,
    const char *what, const char **text, size_t *len)
{
	const char	*line;
	size_t		 n, plen = strlen(prefix);

	if (!next_line(l, &line, &n))
		return err_set("truncated: line %d (the %s) is missing",
		    l->no + 1, what);
	if (n < plen || memcmp(line, prefix, plen) != 0)
		return err_set("line %d does not start with '%s'", l->no,
		    prefix);
	if (n - plen > max)
		return err_set("the %s on line %d is too long (%zu bytes, at "
		    "most %zu)", what, l->no, n - plen, max);
	*text = line + plen;
	*len = n - plen;
	return 0;
}

/* A base64 line decoding to exactly outlen bytes. */
static int
b64_line(struct lines *l, const char *what, unsigned char *out,
    size_t outlen)
{
	const char	*line;
	size_t		 n;

	if (!next_line(l, &line, &n))
		return err_set("truncated: line %d (the %s) is missing",
		    l->no + 1, what);
	if (b64_decode(line, n, out, outlen) != 0)
		return err_set("line %d is not a %s (base64 of %zu bytes "
		    "expected)", l->no, what, outlen);
	return 0;
}

/* Nothing but empty lines may follow. */
static int
no_more(struct lines *l)
{
	const char	*line;
	size_t		 n;

	while (next_line(l, &line, &n))
		if (n != 0)
			return err_set("unexpected text on line %d", l->no);
	return 0;
}

/* Text that is no C string cannot be minisign's. */
static int
check_text(const char *text, size_t len, size_t max, const char *what)
{
	if (text == NULL || len == 0)
		return err_set("%s is empty", what);
	if (len > max)
		return err_set("%s is too long (%zu bytes, at most %zu)", what,
		    len, max);
	if (memchr(text, '\0', len) != NULL)
		return err_set("%s contains a NUL byte", what);
	return 0;
}

void
sign_keyid_hex(const unsigned char id[SIGN_KEYID_LEN],
    char out[SIGN_KEYID_HEXLEN + 1])
{
	uint64_t	v = 0;
	int		i;

	for (i = SIGN_KEYID_LEN - 1; i >= 0; i--)
		v = (v << 8) | id[i];
	snprintf(out, SIGN_KEYID_HEXLEN + 1, "%016" PRIX64, v);
}

static int
parse_pubkey(const char *s, size_t len, struct sign_pubkey *pub)
{
	unsigned char	raw[PK_BYTES];

	if (len == 0)
		return err_set("the public key is empty");
	if (b64_decode(s, len, raw, sizeof raw) != 0)
		return err_set("not a minisign public key (base64 of %d "
		    "bytes, like 'RWQ...', expected)", PK_BYTES);
	if (memcmp(raw, "Ed", 2) != 0)
		return err_set("not an Ed25519 minisign public key (algorithm "
		    "'Ed' expected)");
	memcpy(pub->id, raw + 2, SIGN_KEYID_LEN);
	memcpy(pub->pk, raw + 2 + SIGN_KEYID_LEN, sizeof pub->pk);
	return 0;
}

/* The "RW..." text alone; blanks and a line end around it are ignored. */
int
sign_parse_pubkey(const char *base64, struct sign_pubkey *pub)
{
	const char	*s = base64, *e;

	if (s == NULL)
		return err_set("the public key is empty");
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strnlen(s, B64LINE_MAX + 1);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		e--;
	return parse_pubkey(s, (size_t)(e - s), pub);
}

static int
parse_pubfile(const char *text, size_t len, struct sign_pubkey *pub)
{
	struct lines	 l;
	const char	*c, *line;
	size_t		 clen, n;

	if (check_text(text, len, PUBFILE_MAX, "the file") != 0)
		return -1;
	lines_init(&l, text, len);
	if (comment_line(&l, UNTRUSTED_PREFIX, SIGN_COMMENT_MAX,
	    "untrusted comment", &c, &clen) != 0)
		return -1;
	if (!next_line(&l, &line, &n))
		return err_set("truncated: line 2 (the key) is missing");
	if (parse_pubkey(line, n, pub) != 0) {
		err_prefix("line 2");
		return -1;
	}
	return no_more(&l);
}

int
sign_load_pubkey(const char *file, struct sign_pubkey *pub)
{
	struct buf	b;
	int		rc = -1;

	buf_init(&b, PUBFILE_MAX);
	if (fsutil_read(file, &b) != 0)
		goto out;
	if (parse_pubfile(b.ptr, b.len, pub) != 0) {
		err_prefix("cannot read public key '%s'", file);
		goto out;
	}
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

void
sign_pubkey_base64(const struct sign_pubkey *pub, struct buf *out)
{
	unsigned char	raw[PK_BYTES];
	char		s[sodium_base64_ENCODED_LEN(PK_BYTES,
			    sodium_base64_VARIANT_ORIGINAL)];

	memcpy(raw, "Ed", 2);
	memcpy(raw + 2, pub->id, SIGN_KEYID_LEN);
	memcpy(raw + 2 + SIGN_KEYID_LEN, pub->pk, sizeof pub->pk);
	sodium_bin2base64(s, sizeof s, raw, sizeof raw,
	    sodium_base64_VARIANT_ORIGINAL);
	buf_addstr(out, s);
}

void
sign_pubkey_file(const struct sign_pubkey *pub, struct buf *out)
{
	char	hex[SIGN_KEYID_HEXLEN + 1];

	sign_keyid_hex(pub->id, hex);
	buf_addf(out, UNTRUSTED_PREFIX "minisign public key %s\n", hex);
	sign_pubkey_base64(pub, out);
	buf_addc(out, '\n');
}

/* BLAKE2b-256 of sig_alg, key id and secret key, as minisign checks. */
static void
seckey_checksum(const unsigned char raw[SK_BYTES], unsigned char chk[32])
{
	crypto_generichash_state	hs;

	crypto_generichash_init(&hs, NULL, 0, 32);
	crypto_generichash_update(&hs, raw + SK_SIGALG, 2);
	crypto_generichash_update(&hs, raw + SK_KEYID, SIGN_KEYID_LEN);
	crypto_generichash_update(&hs, raw + SK_SK, 64);
	crypto_generichash_final(&hs, chk, 32);
}

/* The algorithms of a secret key; a password is refused with a way out. */
static int
seckey_algs(const unsigned char raw[SK_BYTES], const char *file)
{
	static const unsigned char	none[2];

	if (memcmp(raw + SK_SIGALG, "Ed", 2) != 0)
		return err_set("not an Ed25519 minisign secret key (algorithm "
		    "'Ed' expected)");
	if (memcmp(raw + SK_KDFALG, "Sc", 2) == 0)
		return err_set("the key is protected by a password, and ferry "
		    "signs without asking for one: make a key without a "
		    "password with 'ferry keygen' (or 'minisign -G -W'), or "
		    "remove this one's with 'minisign -C -W -s %s'", file);
	if (memcmp(raw + SK_KDFALG, none, 2) != 0)
		return err_set("unsupported key derivation (none or 'Sc' "
		    "expected)");
	if (memcmp(raw + SK_CHKALG, "B2", 2) != 0)
		return err_set("unsupported checksum ('B2' expected)");
	return 0;
}

/*
 * The checksum must match, or be all zero: minisign 0.11 writes none for a
 * key without a password, and does not check it.  Either way the public
 * half of the secret key must be the one its seed makes.
 */
static int
seckey_check(const unsigned char raw[SK_BYTES])
{
	unsigned char	chk[32], pk[32], sk[64];
	int		rc = 0;

	seckey_checksum(raw, chk);
	if (sodium_memcmp(chk, raw + SK_CHK, 32) != 0 &&
	    !sodium_is_zero(raw + SK_CHK, 32))
		rc = err_set("the checksum does not match: the file is "
		    "damaged");
	else {
		crypto_sign_seed_keypair(pk, sk, raw + SK_SK);
		if (sodium_memcmp(pk, raw + SK_SK + 32, 32) != 0)
			rc = err_set("the public half of the key does not "
			    "match its seed: the file is damaged");
	}
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(chk, sizeof chk);
	return rc;
}

static int
parse_seckey(const char *text, size_t len, const char *file,
    struct sign_seckey *key)
{
	unsigned char	 raw[SK_BYTES];
	struct lines	 l;
	const char	*c;
	size_t		 clen;
	int		 rc = -1;

	if (check_text(text, len, SECFILE_MAX, "the file") != 0)
		return -1;
	lines_init(&l, text, len);
	if (comment_line(&l, UNTRUSTED_PREFIX, SIGN_COMMENT_MAX,
	    "untrusted comment", &c, &clen) != 0 ||
	    b64_line(&l, "minisign secret key", raw, sizeof raw) != 0 ||
	    no_more(&l) != 0 || seckey_algs(raw, file) != 0 ||
	    seckey_check(raw) != 0)
		goto out;
	memcpy(key->id, raw + SK_KEYID, SIGN_KEYID_LEN);
	memcpy(key->sk, raw + SK_SK, sizeof key->sk);
	rc = 0;
out:
	sodium_memzero(raw, sizeof raw);
	return rc;
}

int
sign_load_seckey(const char *file, struct sign_seckey *key)
{
	struct buf	b;
	int		rc = -1;

	buf_init(&b, SECFILE_MAX);
	if (sign_init() != 0 || fsutil_read(file, &b) != 0)
		goto out;
	if (parse_seckey(b.ptr, b.len, file, key) != 0) {
		err_prefix("cannot read secret key '%s'", file);
		goto out;
	}
	rc = 0;
out:
	if (b.ptr != NULL)
		sodium_memzero(b.ptr, b.len);
	buf_free(&b);
	return rc;
}

/* The secret key file's text, into out[0..size); its length. */
static size_t
seckey_text(const struct sign_seckey *key, char *out, size_t size)
{
	unsigned char	raw[SK_BYTES];
	char		b64[sodium_base64_ENCODED_LEN(SK_BYTES,
			    sodium_base64_VARIANT_ORIGINAL)];
	int		n;

	memset(raw, 0, sizeof raw);
	memcpy(raw + SK_SIGALG, "Ed", 2);
	memcpy(raw + SK_CHKALG, "B2", 2);
	memcpy(raw + SK_KEYID, key->id, SIGN_KEYID_LEN);
	memcpy(raw + SK_SK, key->sk, sizeof key->sk);
	seckey_checksum(raw, raw + SK_CHK);
	sodium_bin2base64(b64, sizeof b64, raw, sizeof raw,
	    sodium_base64_VARIANT_ORIGINAL);
	n = snprintf(out, size, UNTRUSTED_PREFIX SECKEY_COMMENT "\n%s\n", b64);
	sodium_memzero(raw, sizeof raw);
	sodium_memzero(b64, sizeof b64);
	return (size_t)n;
}

/*
 * Write a file only its owner may read, atomically: a temporary name made
 * with mode 0600, write, fsync, rename, fsync the directory.  what names
 * the file for messages.
 */
static int
write_private(const char *what, const char *path, const void *data,
    size_t len)
{
	char	*tmp = NULL, *dir = NULL;
	int	 fd = -1, made = 0, closed, rc = -1;

	xasprintf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		err_set("cannot write %s '%s': %s", what, path,
		    strerror(errno));
		goto out;
	}
	made = 1;
	if (fsutil_write_all(fd, data, len) == -1 || fsync(fd) == -1) {
		err_set("cannot write %s '%s': %s", what, path,
		    strerror(errno));
		goto out;
	}
	closed = close(fd);
	fd = -1;
	if (closed == -1 || rename(tmp, path) == -1) {
		err_set("cannot write %s '%s': %s", what, path,
		    strerror(errno));
		goto out;
	}
	made = 0;
	dir = fsutil_dirname(path);
	if (fsutil_fsync_dir(dir) != 0)
		goto out;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (made)
		unlink(tmp);
	free(tmp);
	free(dir);
	return rc;
}

static int
refuse_existing(const char *path)
{
	struct stat	st;

	if (lstat(path, &st) == 0)
		return err_set("'%s' exists already: a key is not replaced "
		    "unless forced", path);
	return 0;
}

int
sign_keygen(const char *secfile, const char *pubfile, int force,
    struct sign_pubkey *pub)
{
	struct sign_seckey	 key;
	struct buf		 text = BUF_INIT;
	char			 sktext[512];
	size_t			 n = 0;
	int			 rc = -1;

	if (sign_init() != 0)
		goto out;
	if (!force && (refuse_existing(secfile) != 0 ||
	    refuse_existing(pubfile) != 0))
		goto out;
	randombytes_buf(key.id, sizeof key.id);
	crypto_sign_keypair(pub->pk, key.sk);
	memcpy(pub->id, key.id, sizeof pub->id);
	n = seckey_text(&key, sktext, sizeof sktext);
	if (write_private("secret key", secfile, sktext, n) != 0)
		goto out;
	sign_pubkey_file(pub, &text);
	if (fsutil_write_atomic(pubfile, text.ptr, text.len, 1) != 0) {
		err_prefix("cannot write public key '%s'", pubfile);
		/* A secret key without its public key is of no use. */
		if (!force)
			unlink(secfile);
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(&key, sizeof key);
	sodium_memzero(sktext, sizeof sktext);
	buf_free(&text);
	return rc;
}

/* A comment to sign: one line, within minisign's limit. */
static int
check_comment(const char *what, const char *s, size_t max)
{
	size_t	len = strlen(s);

	if (len > max)
		return err_set("the %s is too long (%zu bytes, at most %zu)",
		    what, len, max);
	if (strpbrk(s, "\r\n") != NULL)
		return err_set("the %s has a line break: it must be one line",
		    what);
	return 0;
}

/*
 * A detached signature of msg in minisign's "ED" format.  untrusted may
 * be NULL (a default), trusted NULL (empty).
 */
int
sign_detached(const struct sign_seckey *key, const void *msg, size_t len,
    const char *untrusted, const char *trusted, struct buf *out)
{
	unsigned char	 hash[crypto_generichash_BYTES_MAX];
	unsigned char	 raw[SIG_BYTES], global[64];
	unsigned char	*st = NULL;
	size_t		 tlen;
	int		 rc = -1;

	if (untrusted == NULL)
		untrusted = DEFAULT_SIG_COMMENT;
	if (trusted == NULL)
		trusted = "";
	if (msg == NULL)
		msg = "";
	if (sign_init() != 0 ||
	    check_comment("untrusted comment", untrusted,
	    SIGN_COMMENT_MAX) != 0 ||
	    check_comment("trusted comment", trusted, SIGN_TRUSTED_MAX) != 0)
		goto out;
	crypto_generichash(hash, sizeof hash, msg, len, NULL, 0);
	memcpy(raw, "ED", 2);
	memcpy(raw + 2, key->id, SIGN_KEYID_LEN);
	crypto_sign_detached(raw + 2 + SIGN_KEYID_LEN, NULL, hash, sizeof hash,
	    key->sk);
	tlen = strlen(trusted);
	st = xmalloc(64 + tlen);
	memcpy(st, raw + 2 + SIGN_KEYID_LEN, 64);
	memcpy(st + 64, trusted, tlen);
	crypto_sign_detached(global, NULL, st, 64 + tlen, key->sk);
	if (buf_addf(out, UNTRUSTED_PREFIX "%s\n", untrusted) != 0)
		goto out;
	b64_add(out, raw, sizeof raw);
	buf_addf(out, TRUSTED_PREFIX "%s\n", trusted);
	b64_add(out, global, sizeof global);
	rc = 0;
out:
	free(st);
	return rc;
}

/* Take a .minisig apart, checking its shape but no signature. */
static int
parse_sig(const char *text, size_t len, struct sig_parts *sp)
{
	struct lines	 l;
	const char	*c;
	size_t		 clen;

	if (check_text(text, len, SIGTEXT_MAX, "the signature") != 0)
		goto bad;
	lines_init(&l, text, len);
	if (comment_line(&l, UNTRUSTED_PREFIX, SIGN_COMMENT_MAX,
	    "untrusted comment", &c, &clen) != 0 ||
	    b64_line(&l, "minisign signature", sp->raw, sizeof sp->raw) != 0)
		goto bad;
	if (memcmp(sp->raw, "ED", 2) != 0 && memcmp(sp->raw, "Ed", 2) != 0) {
		err_set("unsupported signature algorithm on line 2 ('ED' or "
		    "'Ed' expected)");
		goto bad;
	}
	if (comment_line(&l, TRUSTED_PREFIX, SIGN_TRUSTED_MAX,
	    "trusted comment", &sp->trusted, &sp->tlen) != 0 ||
	    b64_line(&l, "trusted comment signature", sp->global,
	    sizeof sp->global) != 0 || no_more(&l) != 0)
		goto bad;
	return 0;
bad:
	err_prefix("not a valid minisign signature");
	return -1;
}

int
sign_sig_keyid(const char *sig, size_t siglen,
    unsigned char id[SIGN_KEYID_LEN])
{
	struct sig_parts	sp;

	if (parse_sig(sig, siglen, &sp) != 0)
		return -1;
	memcpy(id, sp.raw + 2, SIGN_KEYID_LEN);
	return 0;
}

/* The signature over the data: the data's BLAKE2b-512 for "ED". */
static int
verify_data(const struct sign_pubkey *pub, const struct sig_parts *sp,
    const void *msg, size_t len)
{
	unsigned char	hash[crypto_generichash_BYTES_MAX];

	if (msg == NULL)
		msg = "";
	if (memcmp(sp->raw, "ED", 2) == 0) {
		crypto_generichash(hash, sizeof hash, msg, len, NULL, 0);
		msg = hash;
		len = sizeof hash;
	}
	if (crypto_sign_verify_detached(sp->raw + 2 + SIGN_KEYID_LEN, msg, len,
	    pub->pk) != 0)
		return err_set("the signature does not match the data: the "
		    "data or its signature was changed after signing");
	return 0;
}

/*
 * Check sig, the text of a .minisig, over msg with pub: the key id, the
 * signature, then the trusted comment's.  *trusted gets a copy of the
 * trusted comment when not NULL.
 */
int
sign_verify(const struct sign_pubkey *pub, const void *msg, size_t len,
    const char *sig, size_t siglen, char **trusted)
{
	struct sig_parts	 sp;
	unsigned char		*st = NULL;
	char			 got[SIGN_KEYID_HEXLEN + 1];
	char			 want[SIGN_KEYID_HEXLEN + 1];
	int			 rc = -1;

	if (trusted != NULL)
		*trusted = NULL;
	if (sign_init() != 0 || parse_sig(sig, siglen, &sp) != 0)
		goto out;
	if (memcmp(sp.raw + 2, pub->id, SIGN_KEYID_LEN) != 0) {
		sign_keyid_hex(sp.raw + 2, got);
		sign_keyid_hex(pub->id, want);
		err_set("signed by key %s, not by the trusted key %s", got,
		    want);
		goto out;
	}
	if (verify_data(pub, &sp, msg, len) != 0)
		goto out;
	st = xmalloc(64 + sp.tlen);
	memcpy(st, sp.raw + 2 + SIGN_KEYID_LEN, 64);
	memcpy(st + 64, sp.trusted, sp.tlen);
	if (crypto_sign_verify_detached(sp.global, st, 64 + sp.tlen,
	    pub->pk) != 0) {
		err_set("the trusted comment's signature does not match: the "
		    "trusted comment was changed after signing");
		goto out;
	}
	if (trusted != NULL)
		*trusted = xstrndup(sp.trusted, sp.tlen);
	rc = 0;
out:
	free(st);
	return rc;
}

/*
 * A public key given as minisign's base64 text ("RW...") or as the path
 * of a file holding one (absolute, as ferry.conf's loader makes it).
 */
int
sign_pubkey_from(const char *text_or_file, struct sign_pubkey *pk)
{
	if (text_or_file[0] == '/')
		return sign_load_pubkey(text_or_file, pk);
	return sign_parse_pubkey(text_or_file, pk);
}
