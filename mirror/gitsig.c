/*
 * gitsig.c -- git's SSH commit signatures.
 *
 * Owns OpenSSH's SSHSIG format (PROTOCOL.sshsig) as git uses it with
 * gpg.format=ssh: the armored signature of a commit's gpgsig header, made
 * and checked with ferry's Ed25519 keys in namespace "git", and the
 * "ssh-ed25519 AAAA..." public key line of an allowed-signers file.  A
 * signature may come from a repository ferry did not write: every length
 * in it is checked before it is used, and nothing is read past the text
 * given.  It does not read commits or keys from disk, decide which key to
 * trust, or check key types other than Ed25519 (an RSA or ECDSA signature
 * is reported as unsupported).
 */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "buf.h"
#include "err.h"
#include "gitsig.h"
#include "sign.h"
#include "xmalloc.h"

#define MAGIC		"SSHSIG"
#define MAGIC_LEN	(sizeof MAGIC - 1)
#define SSHSIG_VERSION	1
#define KEYTYPE		"ssh-ed25519"
#define NAMESPACE	"git"
#define ARMOR_BEGIN	"-----BEGIN SSH SIGNATURE-----"
#define ARMOR_END	"-----END SSH SIGNATURE-----"
#define ARMOR_WIDTH	70
#define B64		sodium_base64_VARIANT_ORIGINAL

/* The wire form of a key: string "ssh-ed25519", string of 32 bytes. */
#define PKBLOB_HEAD	"\0\0\0\x0b" KEYTYPE "\0\0\0\x20"
#define PKBLOB_HEADLEN	(sizeof PKBLOB_HEAD - 1)
#define PKBLOB_LEN	(PKBLOB_HEADLEN + 32)

#define PKLINE_MAX	8192
#define SHOW_MAX	40	/* bytes of an untrusted field in a message */

/* A cursor over untrusted bytes: p[0..left). */
struct rd {
	const unsigned char	*p;
	size_t			 left;
};

/* An SSHSIG blob taken apart; ns and hash point into the blob. */
struct sshsig {
	unsigned char	pk[32];
	struct rd	ns;
	struct rd	hash;
	unsigned char	sig[64];
};

static void
put_u32(struct buf *b, uint32_t v)
{
	unsigned char	be[4];

	be[0] = (unsigned char)(v >> 24);
	be[1] = (unsigned char)(v >> 16);
	be[2] = (unsigned char)(v >> 8);
	be[3] = (unsigned char)v;
	buf_add(b, be, sizeof be);
}

static void
put_string(struct buf *b, const void *s, size_t len)
{
	put_u32(b, (uint32_t)len);
	buf_add(b, s, len);
}

static void
put_cstring(struct buf *b, const char *s)
{
	put_string(b, s, strlen(s));
}

/* What is signed: the magic, namespace, reserved, algorithm and hash. */
static void
signed_data(struct buf *b, const char *alg, const unsigned char *h,
    size_t hlen)
{
	buf_add(b, MAGIC, MAGIC_LEN);
	put_cstring(b, NAMESPACE);
	put_string(b, "", 0);
	put_cstring(b, alg);
	put_string(b, h, hlen);
}

/* The base64 of blob between the armor lines, 70 characters a line. */
static void
armor(const struct buf *blob, struct buf *text)
{
	char	*b64;
	size_t	 size, n, i;

	size = sodium_base64_ENCODED_LEN(blob->len, B64);
	b64 = xmalloc(size);
	sodium_bin2base64(b64, size, (const unsigned char *)blob->ptr,
	    blob->len, B64);
	n = strlen(b64);
	buf_addstr(text, ARMOR_BEGIN "\n");
	for (i = 0; i < n; i += ARMOR_WIDTH) {
		buf_add(text, b64 + i, n - i < ARMOR_WIDTH ? n - i :
		    ARMOR_WIDTH);
		buf_addc(text, '\n');
	}
	buf_addstr(text, ARMOR_END);
	free(b64);
}

int
gitsig_sign(const struct sign_seckey *key, const void *data, size_t len,
    struct buf *out)
{
	struct buf	 tbs = BUF_INIT, blob = BUF_INIT, sig = BUF_INIT;
	struct buf	 text = BUF_INIT;
	unsigned char	 h[crypto_hash_sha512_BYTES];
	unsigned char	 raw[crypto_sign_BYTES];
	int		 rc = -1;

	if (sodium_init() < 0) {
		err_set("cannot initialise libsodium");
		goto out;
	}
	crypto_hash_sha512(h, data != NULL ? data : "", len);
	signed_data(&tbs, "sha512", h, sizeof h);
	if (crypto_sign_detached(raw, NULL, (const unsigned char *)tbs.ptr,
	    tbs.len, key->sk) != 0) {
		err_set("cannot sign with the Ed25519 key");
		goto out;
	}
	put_cstring(&sig, KEYTYPE);
	put_string(&sig, raw, sizeof raw);
	buf_add(&blob, MAGIC, MAGIC_LEN);
	put_u32(&blob, SSHSIG_VERSION);
	put_u32(&blob, PKBLOB_LEN);
	buf_add(&blob, PKBLOB_HEAD, PKBLOB_HEADLEN);
	buf_add(&blob, key->sk + 32, 32);
	put_cstring(&blob, NAMESPACE);
	put_string(&blob, "", 0);
	put_cstring(&blob, "sha512");
	put_string(&blob, sig.ptr, sig.len);
	armor(&blob, &text);
	if ((rc = buf_add(out, text.ptr, text.len)) != 0)
		goto out;
	rc = 0;
out:
	buf_free(&tbs);
	buf_free(&blob);
	buf_free(&sig);
	buf_free(&text);
	return rc;
}

/* An untrusted field for a message: printable, cut at SHOW_MAX bytes. */
static const char *
show(const struct rd *f, char out[SHOW_MAX + 4])
{
	size_t	i, n = f->left < SHOW_MAX ? f->left : SHOW_MAX;

	for (i = 0; i < n; i++)
		out[i] = f->p[i] >= 0x20 && f->p[i] < 0x7f ? (char)f->p[i] :
		    '?';
	strcpy(out + n, f->left > SHOW_MAX ? "..." : "");
	return out;
}

static int
field_is(const struct rd *f, const char *s)
{
	return f->left == strlen(s) && memcmp(f->p, s, f->left) == 0;
}

static int
get_u32(struct rd *r, uint32_t *v)
{
	if (r->left < 4)
		return -1;
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	    (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->left -= 4;
	return 0;
}

/* The next string of r in f; what names it for the message. */
static int
get_string(struct rd *r, const char *what, struct rd *f)
{
	uint32_t	n;

	if (get_u32(r, &n) != 0 || n > r->left)
		return err_set("damaged SSH signature: the %s is cut short",
		    what);
	f->p = r->p;
	f->left = n;
	r->p += n;
	r->left -= n;
	return 0;
}

/*
 * One typed value (a key or a signature): its type, then for ssh-ed25519
 * exactly len bytes into out; the caller decides about other types.
 */
static int
get_typed(struct rd *r, const char *what, struct rd *type,
    unsigned char *out, size_t len)
{
	struct rd	f, v;
	char		name[64];
	int		rc;

	if ((rc = get_string(r, what, &f)) != 0)
		return rc;
	snprintf(name, sizeof name, "type of the %s", what);
	if ((rc = get_string(&f, name, type)) != 0)
		return rc;
	if (!field_is(type, KEYTYPE))
		return 0;
	if ((rc = get_string(&f, what, &v)) != 0)
		return rc;
	if (v.left != len)
		return err_set("damaged SSH signature: the Ed25519 %s is not "
		    "%zu bytes", what, len);
	if (f.left != 0)
		return err_set("damaged SSH signature: unexpected bytes after "
		    "the Ed25519 %s", what);
	memcpy(out, v.p, len);
	return 0;
}

/* The version, key, namespace, reserved, hash and signature of a blob. */
static int
parse_blob(const unsigned char *blob, size_t len, struct sshsig *s)
{
	struct rd	 r = { blob, len }, f, type;
	char		 shown[SHOW_MAX + 4];
	uint32_t	 version;
	int		 rc;

	if (len < MAGIC_LEN || memcmp(blob, MAGIC, MAGIC_LEN) != 0)
		return err_set("not an SSH signature (its content does not "
		    "start with '" MAGIC "')");
	r.p += MAGIC_LEN;
	r.left -= MAGIC_LEN;
	if (get_u32(&r, &version) != 0)
		return err_set("damaged SSH signature: the version is cut "
		    "short");
	if (version != SSHSIG_VERSION)
		return err_code(FERRY_EUNSUPPORTED, "unsupported SSH "
		    "signature version %" PRIu32 " (%d expected)", version,
		    SSHSIG_VERSION);
	if ((rc = get_typed(&r, "public key", &type, s->pk, 32)) != 0)
		return rc;
	if (!field_is(&type, KEYTYPE))
		return err_code(FERRY_EUNSUPPORTED, "unsupported key type "
		    "'%s' (only " KEYTYPE " is supported)",
		    show(&type, shown));
	if ((rc = get_string(&r, "namespace", &s->ns)) != 0 ||
	    (rc = get_string(&r, "reserved field", &f)) != 0 ||
	    (rc = get_string(&r, "hash algorithm", &s->hash)) != 0 ||
	    (rc = get_typed(&r, "signature", &type, s->sig, 64)) != 0)
		return rc;
	if (!field_is(&type, KEYTYPE))
		return err_set("damaged SSH signature: a '%s' signature by "
		    "an " KEYTYPE " key", show(&type, shown));
	if (r.left != 0)
		return err_set("damaged SSH signature: unexpected data after "
		    "the signature (%zu bytes)", r.left);
	return 0;
}

/* "not an SSH signature", with what it is when that is known. */
static int
not_ssh(const char *p, const char *end)
{
	static const char	pgp[] = "-----BEGIN PGP SIGNATURE-----";

	if ((size_t)(end - p) >= sizeof pgp - 1 &&
	    memcmp(p, pgp, sizeof pgp - 1) == 0)
		return err_code(FERRY_EUNSUPPORTED, "an OpenPGP signature, "
		    "not an SSH one");
	return err_set("not an SSH signature (it does not start with '"
	    ARMOR_BEGIN "')");
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The blob between the armor lines, in *blob (free it). */
static int
dearmor(const char *text, size_t len, unsigned char **blob, size_t *n)
{
	const char	*p, *end, *b64;
	size_t		 max;

	if (text == NULL || len == 0)
		return err_set("the signature is empty");
	if (len > GITSIG_TEXT_MAX)
		return err_code(FERRY_ETOOBIG, "the signature is too long "
		    "(%zu bytes, at most %d)", len, GITSIG_TEXT_MAX);
	if (memchr(text, '\0', len) != NULL)
		return err_set("the signature contains a NUL byte");
	p = text;
	end = text + len;
	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	if (p == end)
		return err_set("the signature is empty");
	if ((size_t)(end - p) < sizeof ARMOR_BEGIN - 1 ||
	    memcmp(p, ARMOR_BEGIN, sizeof ARMOR_BEGIN - 1) != 0)
		return not_ssh(p, end);
	b64 = p + sizeof ARMOR_BEGIN - 1;
	if ((size_t)(end - b64) < sizeof ARMOR_END - 1 ||
	    memcmp(end - (sizeof ARMOR_END - 1), ARMOR_END,
	    sizeof ARMOR_END - 1) != 0)
		return err_set("damaged SSH signature: it does not end with '"
		    ARMOR_END "'");
	end -= sizeof ARMOR_END - 1;
	max = (size_t)(end - b64) / 4 * 3 + 3;
	*blob = xmalloc(max);
	if (sodium_base642bin(*blob, max, b64, (size_t)(end - b64), " \t\r\n",
	    n, NULL, B64) != 0)
		return err_set("damaged SSH signature: the text between its "
		    "BEGIN and END lines is not base64");
	return 0;
}

/* H(data) with the signature's algorithm into h; its length, or -1. */
static int
hash_data(const struct rd *alg, const void *data, size_t len,
    unsigned char h[crypto_hash_sha512_BYTES], const char **name)
{
	char	shown[SHOW_MAX + 4];

	if (data == NULL)
		data = "";
	if (field_is(alg, "sha512")) {
		*name = "sha512";
		crypto_hash_sha512(h, data, len);
		return crypto_hash_sha512_BYTES;
	}
	if (field_is(alg, "sha256")) {
		*name = "sha256";
		crypto_hash_sha256(h, data, len);
		return crypto_hash_sha256_BYTES;
	}
	return err_code(FERRY_EUNSUPPORTED, "unsupported hash algorithm '%s' "
	    "(sha512 or sha256 expected)", show(alg, shown));
}

/* The message for a signature by a key other than the trusted one. */
static int
other_key(const struct sign_pubkey *pub, const unsigned char pk[32])
{
	struct sign_pubkey	 signer;
	struct buf		 theirs = BUF_INIT, ours = BUF_INIT;

	memset(&signer, 0, sizeof signer);
	memcpy(signer.pk, pk, sizeof signer.pk);
	gitsig_pubkey_line(&signer, NULL, &theirs);
	gitsig_pubkey_line(pub, NULL, &ours);
	err_set("signed by another key (%s), not by %s", theirs.ptr,
	    ours.ptr);
	buf_free(&theirs);
	buf_free(&ours);
	return FERRY_ERROR;
}

static int
check_sig(const struct sign_pubkey *pub, const struct sshsig *s,
    const void *data, size_t len)
{
	struct buf	 tbs = BUF_INIT;
	unsigned char	 h[crypto_hash_sha512_BYTES];
	const char	*alg = NULL;
	char		 shown[SHOW_MAX + 4];
	int		 hlen, rc = -1;

	if (!field_is(&s->ns, NAMESPACE)) {
		rc = err_set("signed in namespace '%s', not '" NAMESPACE "'",
		    show(&s->ns, shown));
		goto out;
	}
	if ((hlen = hash_data(&s->hash, data, len, h, &alg)) < 0) {
		rc = hlen;
		goto out;
	}
	if (memcmp(s->pk, pub->pk, sizeof s->pk) != 0) {
		rc = other_key(pub, s->pk);
		goto out;
	}
	signed_data(&tbs, alg, h, (size_t)hlen);
	if (crypto_sign_verify_detached(s->sig, (const unsigned char *)tbs.ptr,
	    tbs.len, pub->pk) != 0) {
		rc = err_set("signature does not match the commit");
		goto out;
	}
	rc = 0;
out:
	buf_free(&tbs);
	return rc;
}

int
gitsig_verify(const struct sign_pubkey *pub, const void *data, size_t len,
    const char *text, size_t textlen)
{
	struct sshsig	 s;
	unsigned char	*blob = NULL;
	size_t		 n;
	int		 rc = -1;

	if (sodium_init() < 0) {
		err_set("cannot initialise libsodium");
		goto out;
	}
	if ((rc = dearmor(text, textlen, &blob, &n)) != 0 ||
	    (rc = parse_blob(blob, n, &s)) != 0 ||
	    (rc = check_sig(pub, &s, data, len)) != 0)
		goto out;
	rc = 0;
out:
	free(blob);
	return rc;
}

/* The comment, if any, up to its first line break. */
void
gitsig_pubkey_line(const struct sign_pubkey *pub, const char *comment,
    struct buf *out)
{
	unsigned char	raw[PKBLOB_LEN];
	char		b64[sodium_base64_ENCODED_LEN(PKBLOB_LEN, B64)];

	memcpy(raw, PKBLOB_HEAD, PKBLOB_HEADLEN);
	memcpy(raw + PKBLOB_HEADLEN, pub->pk, sizeof pub->pk);
	sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, B64);
	buf_addstr(out, KEYTYPE " ");
	buf_addstr(out, b64);
	if (comment != NULL && *comment != '\0') {
		buf_addc(out, ' ');
		buf_add(out, comment, strcspn(comment, "\r\n"));
	}
}

/* The end of the word at p: the first blank or end. */
static const char *
word_end(const char *p, const char *end)
{
	while (p < end && !is_blank(*p))
		p++;
	return p;
}

/* Another key type is unsupported; anything else is no key line. */
static int
not_ed25519(const char *type, size_t len)
{
	struct rd	f = { (const unsigned char *)type, len };
	char		shown[SHOW_MAX + 4];

	if (len > sizeof KEYTYPE - 1 &&
	    memcmp(type, KEYTYPE, sizeof KEYTYPE - 1) == 0)
		return err_set("not an OpenSSH public key line (a blank "
		    "after '" KEYTYPE "' expected)");
	if ((len > 4 && memcmp(type, "ssh-", 4) == 0) ||
	    (len > 6 && memcmp(type, "ecdsa-", 6) == 0) ||
	    (len > 3 && memcmp(type, "sk-", 3) == 0))
		return err_code(FERRY_EUNSUPPORTED, "unsupported key type "
		    "'%s' (only " KEYTYPE " is supported)", show(&f, shown));
	return err_set("not an OpenSSH public key line ('" KEYTYPE
	    " AAAA...' expected)");
}

int
gitsig_parse_pubkey_line(const char *line, struct sign_pubkey *pub)
{
	unsigned char	 raw[PKBLOB_LEN];
	const char	*p, *end, *w;
	size_t		 len, n;

	if (line == NULL || (len = strnlen(line, PKLINE_MAX + 1)) == 0)
		return err_set("the public key line is empty");
	if (len > PKLINE_MAX)
		return err_code(FERRY_ETOOBIG, "the public key line is too "
		    "long (at most %d bytes)", PKLINE_MAX);
	p = line;
	end = line + len;
	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	if (p == end)
		return err_set("the public key line is empty");
	w = word_end(p, end);
	if ((size_t)(w - p) != sizeof KEYTYPE - 1 ||
	    memcmp(p, KEYTYPE, sizeof KEYTYPE - 1) != 0)
		return not_ed25519(p, (size_t)(w - p));
	for (p = w; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	w = word_end(p, end);
	if (sodium_base642bin(raw, sizeof raw, p, (size_t)(w - p), NULL, &n,
	    NULL, B64) != 0 || n != sizeof raw ||
	    memcmp(raw, PKBLOB_HEAD, PKBLOB_HEADLEN) != 0)
		return err_set("not an OpenSSH public key line: the key after "
		    "'" KEYTYPE "' is not the base64 of an Ed25519 key");
	if (memchr(w, '\n', (size_t)(end - w)) != NULL ||
	    memchr(w, '\r', (size_t)(end - w)) != NULL)
		return err_set("unexpected text after the public key line");
	memset(pub->id, 0, sizeof pub->id);
	memcpy(pub->pk, raw + PKBLOB_HEADLEN, sizeof pub->pk);
	return 0;
}
