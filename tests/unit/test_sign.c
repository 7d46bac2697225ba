/*
 * test_sign.c -- unit tests for sign.c.
 *
 * The vectors were made by minisign 0.11 ("minisign -G -W", then "-S"
 * and "-S -l" over VEC_MSG), so minisign's own key ids, signatures and
 * key files are checked without running it.  Tables of broken signatures
 * and public keys must each be refused with the message given, never read
 * past their text (the tests run under ASan).  Every failing row prints
 * its name, the expected and the actual message.
 */
#include "config.h"

#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "buf.h"
#include "err.h"
#include "fsutil.h"
#include "sign.h"
#include "unit.h"
#include "xmalloc.h"

#define NROWS(a)	(sizeof (a) / sizeof (a)[0])

/* minisign 0.11: a key pair without a password, id 7009F4E7BC9ADE02. */
#define VEC_KEYID	"7009F4E7BC9ADE02"
#define VEC_PUB_B64 \
	"RWQC3pq85/QJcEjE/hSGrQj1Wcizk5Ld56X3M+NFyVolUOYV0qo5uTzI"
#define VEC_PUB_FILE \
	"untrusted comment: minisign public key " VEC_KEYID "\n" \
	VEC_PUB_B64 "\n"
/* As "minisign -G -W" writes it: kdf none, and a checksum of zeros. */
#define VEC_SECKEY_FILE \
	"untrusted comment: minisign encrypted secret key\n" \
	"RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
	"AAAAAAAAAt6avOf0CXBPskNtQoVzBkvVfBd7AvkYIhY4De1VRD6Rz0CYU7ndhEjE" \
	"/hSGrQj1Wcizk5Ld56X3M+NFyVolUOYV0qo5uTzIAAAAAAAAAAAAAAAAAAAAAAAA" \
	"AAAAAAAAAAAAAAAAAAA=\n"
/* Another key, protected by a password ("minisign -G"). */
#define VEC_SECKEY_PW_FILE \
	"untrusted comment: minisign encrypted secret key\n" \
	"RWRTY0IyPcFvxKnLm2tQoOcawth3YGv/cOneKKq6B3JMomgLcvUAAAACAAAAAAAA" \
	"AEAAAAAA7lnp76AFwQOXvYWFdQ35VJVkUGBsUPaAw/jIQ2Y868DiTeaL6RzYPmIg" \
	"Nyw4O7ejBmafkBEmTVVke9yCZiQ2jpB0EBpHuM584V8VlgfhHPIqmdY4O0J6uaU/" \
	"haMKHmGR6j1yqB1F068=\n"

#define VEC_MSG	"MANIFEST of a ferry export\nsite/index.html 1234\n"

/* "minisign -S -t 'ferry export 7 of the test mirror'": "ED". */
#define ED_L1	"untrusted comment: signature from minisign secret key"
#define ED_L2	"RUQC3pq85/QJcI5KHy/AoajGfOW2xv/Z3Ej4c7QHITG9bdfBUjXQ+v" \
		"gESR+bdFO8ldYTfFXnk+YrUv0zFT9Oygu01aKWW+eODAs="
#define ED_L3	"trusted comment: ferry export 7 of the test mirror"
#define ED_L4	"RqjoehPIFbTgZJS2XpbIRT97zwtFX/Pm9EpulPMcgepruIp48FKLK" \
		"IhkgWk2Ta5YfQuUibW4zk4JVIuIUlM7Bw=="
#define ED_SIG	ED_L1 "\n" ED_L2 "\n" ED_L3 "\n" ED_L4 "\n"

/* "minisign -S -l -t 'legacy format'": "Ed", no pre-hash. */
#define LEGACY_SIG \
	"untrusted comment: signature from minisign secret key\n" \
	"RWQC3pq85/QJcPbvCKFI6pSSshU9gMmE7B07nHOEeofFmfwI2GOdn3xXriewPk2bEiE" \
	"VhOJvScGkvcglVZ28aFI4zoVgDmRnvA8=\n" \
	"trusted comment: legacy format\n" \
	"5XhyxtZGAjWfPylLbKLdqjfUTMG08cQnlHXQmFNXd17gdjdQQxZwEJByxGPdJ54V2zU" \
	"YdxVm6F75rEfGgNBhCg==\n"

static char *
write_file(const char *dir, const char *name, const char *text, size_t len)
{
	char	*path = fsutil_join(dir, name);

	assert_int_equal(fsutil_write_atomic(path, text, len, 0), 0);
	return path;
}

static void
vec_pubkey(struct sign_pubkey *pub)
{
	assert_int_equal(sign_parse_pubkey(VEC_PUB_B64, pub), 0);
}

/* The key id prints as minisign prints it; the .pub is byte for byte. */
static void
keyid_matches_minisign(void **state)
{
	struct sign_pubkey	 pub;
	struct buf		 b = BUF_INIT;
	char			 hex[SIGN_KEYID_HEXLEN + 1];

	(void)state;
	vec_pubkey(&pub);
	sign_keyid_hex(pub.id, hex);
	assert_string_equal(hex, VEC_KEYID);
	assert_int_equal(pub.id[0], 0x02);
	sign_pubkey_base64(&pub, &b);
	assert_string_equal(buf_cstr(&b), VEC_PUB_B64);
	buf_reset(&b);
	sign_pubkey_file(&pub, &b);
	assert_string_equal(buf_cstr(&b), VEC_PUB_FILE);
	buf_free(&b);
}

struct vec_row {
	const char	*name;
	const char	*sig;
	const char	*trusted;
};

static const struct vec_row vec_rows[] = {
	{ "prehashed ED", ED_SIG, "ferry export 7 of the test mirror" },
	{ "legacy Ed", LEGACY_SIG, "legacy format" },
	{ "CRLF line ends", ED_L1 "\r\n" ED_L2 "\r\n" ED_L3 "\r\n" ED_L4
	    "\r\n", "ferry export 7 of the test mirror" },
	{ "no final line end", ED_L1 "\n" ED_L2 "\n" ED_L3 "\n" ED_L4,
	    "ferry export 7 of the test mirror" },
	{ "blank lines after", ED_SIG "\n\r\n",
	    "ferry export 7 of the test mirror" },
};

/* Signatures minisign made verify, and name minisign's key. */
static void
verifies_minisign_signatures(void **state)
{
	struct sign_pubkey	 pub;
	unsigned char		 id[SIGN_KEYID_LEN];
	char			*trusted;
	size_t			 i;
	int			 rc;

	(void)state;
	vec_pubkey(&pub);
	for (i = 0; i < NROWS(vec_rows); i++) {
		rc = sign_verify(&pub, VEC_MSG, strlen(VEC_MSG),
		    vec_rows[i].sig, strlen(vec_rows[i].sig), &trusted);
		if (rc != 0)
			fail_msg("%s: refused: %s", vec_rows[i].name,
			    err_msg());
		assert_string_equal(trusted, vec_rows[i].trusted);
		free(trusted);
		assert_int_equal(sign_sig_keyid(vec_rows[i].sig,
		    strlen(vec_rows[i].sig), id), 0);
		assert_memory_equal(id, pub.id, SIGN_KEYID_LEN);
	}
}

/* minisign's key without a password loads and signs like minisign. */
static void
loads_minisign_seckey(void **state)
{
	struct sign_seckey	 key;
	struct sign_pubkey	 pub;
	struct buf		 sig = BUF_INIT;
	char			*path, *trusted = NULL;

	vec_pubkey(&pub);
	path = write_file(*state, "minisign.key", VEC_SECKEY_FILE,
	    strlen(VEC_SECKEY_FILE));
	if (sign_load_seckey(path, &key) != 0)
		fail_msg("refused: %s", err_msg());
	assert_memory_equal(key.id, pub.id, SIGN_KEYID_LEN);
	assert_memory_equal(key.sk + 32, pub.pk, 32);
	assert_int_equal(sign_detached(&key, VEC_MSG, strlen(VEC_MSG), NULL,
	    "ferry export 7 of the test mirror", &sig), 0);
	/* Ed25519 is deterministic: the same bytes as minisign's. */
	assert_string_equal(strchr(buf_cstr(&sig), '\n') + 1,
	    strchr(ED_SIG, '\n') + 1);
	assert_int_equal(sign_verify(&pub, VEC_MSG, strlen(VEC_MSG), sig.ptr,
	    sig.len, &trusted), 0);
	free(trusted);
	sodium_memzero(&key, sizeof key);
	buf_free(&sig);
	free(path);
}

struct seckey_row {
	const char	*name;
	const char	*text;
	const char	*error;		/* a part of the message */
};

static const struct seckey_row seckey_rows[] = {
	{ "password", VEC_SECKEY_PW_FILE, "'minisign -G -W'" },
	{ "password, the other way", VEC_SECKEY_PW_FILE, "'ferry keygen'" },
	{ "empty", "", "the file is empty" },
	{ "no comment", "RWQAAEIy\n", "does not start with 'untrusted "
	    "comment: '" },
	{ "comment only", "untrusted comment: x\n", "line 2 (the minisign "
	    "secret key) is missing" },
	{ "public key instead", VEC_PUB_FILE, "line 2 is not a minisign "
	    "secret key" },
	{ "NUL", "untrusted comment: x\n\0RWQ\n", "contains a NUL byte" },
};

static void
refuses_bad_seckeys(void **state)
{
	struct sign_seckey	 key;
	char			*path;
	size_t			 i;

	for (i = 0; i < NROWS(seckey_rows); i++) {
		size_t len = strlen(seckey_rows[i].text);

		if (strcmp(seckey_rows[i].name, "NUL") == 0)
			len = sizeof "untrusted comment: x\n\0RWQ\n" - 1;
		path = write_file(*state, "bad.key", seckey_rows[i].text, len);
		if (sign_load_seckey(path, &key) == 0)
			fail_msg("%s: accepted", seckey_rows[i].name);
		if (strstr(err_msg(), seckey_rows[i].error) == NULL)
			fail_msg("%s: expected '%s' in the message, got '%s'",
			    seckey_rows[i].name, seckey_rows[i].error,
			    err_msg());
		free(path);
	}
}

/* VEC_SECKEY_FILE with character at of its key line changed. */
static char *
damaged_seckey(const char *dir, size_t at)
{
	char	*text = xstrdup(VEC_SECKEY_FILE), *c, *path;

	c = strchr(text, '\n') + 1 + at;
	*c = *c == 'A' ? 'B' : 'A';
	path = write_file(dir, "damaged.key", text, strlen(text));
	free(text);
	return path;
}

/* A changed byte in the secret or in its checksum is found. */
static void
refuses_damaged_seckeys(void **state)
{
	struct sign_seckey	 key;
	char			*path;

	path = damaged_seckey(*state, 100);
	assert_int_not_equal(sign_load_seckey(path, &key), 0);
	assert_non_null(strstr(err_msg(), "public half of the key does not "
	    "match its seed"));
	free(path);
	path = damaged_seckey(*state, 180);
	assert_int_not_equal(sign_load_seckey(path, &key), 0);
	assert_non_null(strstr(err_msg(), "the checksum does not match"));
	free(path);
}

/* Flip one bit of the base64 payload of line n (1-based) of a sig. */
static void
flip_line_bit(struct buf *sig, int n, size_t byte)
{
	unsigned char	 bin[128];
	char		 b64[256];
	char		*start = sig->ptr, *end;
	size_t		 len;
	struct buf	 out = BUF_INIT;

	while (--n > 0)
		start = strchr(start, '\n') + 1;
	end = strchr(start, '\n');
	assert_int_equal(sodium_base642bin(bin, sizeof bin, start,
	    (size_t)(end - start), NULL, &len, NULL,
	    sodium_base64_VARIANT_ORIGINAL), 0);
	assert_true(byte < len);
	bin[byte] ^= 0x01;
	sodium_bin2base64(b64, sizeof b64, bin, len,
	    sodium_base64_VARIANT_ORIGINAL);
	buf_add(&out, sig->ptr, (size_t)(start - sig->ptr));
	buf_addstr(&out, b64);
	buf_addstr(&out, end);
	buf_free(sig);
	*sig = out;
}

static void
make_key(const char *dir, const char *name, struct sign_seckey *key,
    struct sign_pubkey *pub)
{
	char	*sec, *pubf, *secname;

	xasprintf(&secname, "%s.key", name);
	sec = fsutil_join(dir, secname);
	xasprintf(&pubf, "%s/%s.pub", dir, name);
	if (sign_keygen(sec, pubf, 0, pub) != 0)
		fail_msg("keygen: %s", err_msg());
	if (sign_load_seckey(sec, key) != 0)
		fail_msg("load: %s", err_msg());
	free(secname);
	free(sec);
	free(pubf);
}

/* Keys made here sign and verify; the files are minisign's. */
static void
roundtrip(void **state)
{
	struct sign_seckey	 key;
	struct sign_pubkey	 pub, loaded;
	struct buf		 sig = BUF_INIT;
	struct stat		 st;
	char			*sec, *pubf, *trusted = NULL;

	make_key(*state, "a", &key, &pub);
	sec = fsutil_join(*state, "a.key");
	pubf = fsutil_join(*state, "a.pub");
	assert_int_equal(stat(sec, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(sign_load_pubkey(pubf, &loaded), 0);
	assert_memory_equal(&loaded, &pub, sizeof pub);
	assert_memory_equal(key.id, pub.id, SIGN_KEYID_LEN);
	assert_int_equal(sign_detached(&key, "data", 4, "made by a test",
	    "timestamp:1\tfile:data", &sig), 0);
	assert_int_equal(strncmp(sig.ptr, "untrusted comment: made by a "
	    "test\nRU", 36), 0);
	if (sign_verify(&pub, "data", 4, sig.ptr, sig.len, &trusted) != 0)
		fail_msg("refused: %s", err_msg());
	assert_string_equal(trusted, "timestamp:1\tfile:data");
	free(trusted);
	/* An empty message and an empty trusted comment. */
	buf_reset(&sig);
	assert_int_equal(sign_detached(&key, NULL, 0, NULL, NULL, &sig), 0);
	assert_int_equal(sign_verify(&pub, "", 0, sig.ptr, sig.len, NULL), 0);
	sodium_memzero(&key, sizeof key);
	buf_free(&sig);
	free(sec);
	free(pubf);
}

/* An existing key file is kept without force, replaced with it. */
static void
keygen_refuses_overwrite(void **state)
{
	struct sign_pubkey	 pub, pub2, loaded;
	struct buf		 before = BUF_INIT, after = BUF_INIT;
	char			*sec, *pubf;

	sec = fsutil_join(*state, "k.key");
	pubf = fsutil_join(*state, "k.pub");
	assert_int_equal(sign_keygen(sec, pubf, 0, &pub), 0);
	assert_int_equal(fsutil_read(sec, &before), 0);
	assert_int_not_equal(sign_keygen(sec, pubf, 0, &pub2), 0);
	assert_non_null(strstr(err_msg(), "exists already"));
	assert_int_equal(fsutil_read(sec, &after), 0);
	assert_string_equal(before.ptr, after.ptr);
	unlink(sec);
	assert_int_not_equal(sign_keygen(sec, pubf, 0, &pub2), 0);
	assert_int_equal(sign_keygen(sec, pubf, 1, &pub2), 0);
	assert_memory_not_equal(pub.pk, pub2.pk, 32);
	assert_int_equal(sign_load_pubkey(pubf, &loaded), 0);
	assert_memory_equal(&loaded, &pub2, sizeof pub2);
	buf_free(&before);
	buf_free(&after);
	free(sec);
	free(pubf);
}

struct tamper_row {
	const char	*name;
	int		 line;		/* 0: the data, else a line */
	size_t		 byte;
	const char	*error;
};

static const struct tamper_row tamper_rows[] = {
	{ "message", 0, 3, "the signature does not match the data" },
	{ "signature", 2, 40, "the signature does not match the data" },
	{ "comment signature", 4, 5, "trusted comment's signature does not "
	    "match" },
	{ "trusted comment", 3, 20, "trusted comment's signature does not "
	    "match" },
	{ "algorithm", 2, 0, "unsupported signature algorithm" },
	{ "key id", 2, 4, "signed by key" },
};

/* One flipped bit anywhere that counts is refused, precisely. */
static void
refuses_tampering(void **state)
{
	struct sign_seckey	 key;
	struct sign_pubkey	 pub;
	struct buf		 sig = BUF_INIT;
	char			 msg[] = "hotline 1-800-555-0100";
	char			*trusted = NULL;
	size_t			 i, len = strlen(msg);

	make_key(*state, "t", &key, &pub);
	for (i = 0; i < NROWS(tamper_rows); i++) {
		const struct tamper_row *r = &tamper_rows[i];

		buf_reset(&sig);
		assert_int_equal(sign_detached(&key, msg, len, "u",
		    "export 12 of the mirror", &sig), 0);
		if (r->line == 0)
			msg[r->byte] ^= 0x01;
		else if (r->line == 3)
			sig.ptr[strstr(sig.ptr, "export 12") - sig.ptr] = 'E';
		else
			flip_line_bit(&sig, r->line, r->byte);
		if (sign_verify(&pub, msg, len, sig.ptr, sig.len,
		    &trusted) == 0)
			fail_msg("%s: accepted", r->name);
		assert_null(trusted);
		if (strstr(err_msg(), r->error) == NULL)
			fail_msg("%s: expected '%s' in the message, got '%s'",
			    r->name, r->error, err_msg());
		if (r->line == 0)
			msg[r->byte] ^= 0x01;
	}
	sodium_memzero(&key, sizeof key);
	buf_free(&sig);
}

/* Another key's signature names both keys. */
static void
refuses_other_key(void **state)
{
	struct sign_seckey	 key;
	struct sign_pubkey	 pub, vec;
	char			 mine[SIGN_KEYID_HEXLEN + 1], msg[256];
	struct buf		 sig = BUF_INIT;

	make_key(*state, "o", &key, &pub);
	vec_pubkey(&vec);
	sign_keyid_hex(pub.id, mine);
	assert_int_not_equal(sign_verify(&pub, VEC_MSG, strlen(VEC_MSG),
	    ED_SIG, strlen(ED_SIG), NULL), 0);
	snprintf(msg, sizeof msg, "signed by key " VEC_KEYID ", not by the "
	    "trusted key %s", mine);
	assert_string_equal(err_msg(), msg);
	assert_int_equal(sign_detached(&key, "x", 1, NULL, "t", &sig), 0);
	assert_int_not_equal(sign_verify(&vec, "x", 1, sig.ptr, sig.len,
	    NULL), 0);
	snprintf(msg, sizeof msg, "signed by key %s, not by the trusted key "
	    VEC_KEYID, mine);
	assert_string_equal(err_msg(), msg);
	sodium_memzero(&key, sizeof key);
	buf_free(&sig);
}

struct badsig_row {
	const char	*name;
	const char	*text;
	const char	*error;		/* a part of the message */
};

static const struct badsig_row badsig_rows[] = {
	{ "empty", "", "the signature is empty" },
	{ "garbage", "garbage", "line 1 does not start with 'untrusted "
	    "comment: '" },
	{ "comment only", ED_L1 "\n", "truncated: line 2 (the minisign "
	    "signature) is missing" },
	{ "no trusted comment", ED_L1 "\n" ED_L2 "\n", "truncated: line 3 "
	    "(the trusted comment) is missing" },
	{ "no comment signature", ED_L1 "\n" ED_L2 "\n" ED_L3 "\n",
	    "truncated: line 4 (the trusted comment signature) is missing" },
	{ "lines swapped", ED_L1 "\n" ED_L3 "\n" ED_L2 "\n" ED_L4 "\n",
	    "line 2 is not a minisign signature" },
	{ "signature not base64", ED_L1 "\n!!!!\n" ED_L3 "\n" ED_L4 "\n",
	    "line 2 is not a minisign signature (base64 of 74 bytes" },
	{ "signature short", ED_L1 "\nRUQC3pq85/QJcI5KHy/A\n" ED_L3 "\n"
	    ED_L4 "\n", "line 2 is not a minisign signature" },
	{ "signature long", ED_L1 "\n" ED_L2 "AAAA\n" ED_L3 "\n" ED_L4 "\n",
	    "line 2 is not a minisign signature" },
	{ "signature without padding", ED_L1 "\nRUQC3pq85/QJcI5KHy/AoajGfOW2"
	    "xv/Z3Ej4c7QHITG9bdfBUjXQ+vgESR+bdFO8ldYTfFXnk+YrUv0zFT9Oygu01aK"
	    "WW+eODAs\n" ED_L3 "\n" ED_L4 "\n", "line 2 is not a minisign "
	    "signature" },
	{ "blank in base64", ED_L1 "\n RUQC3pq85/QJcI5KHy/AoajGfOW2xv/Z3Ej4"
	    "c7QHITG9bdfBUjXQ+vgESR+bdFO8ldYTfFXnk+YrUv0zFT9Oygu01aKWW+eODAs="
	    "\n" ED_L3 "\n" ED_L4 "\n", "line 2 is not a minisign signature" },
	{ "unknown algorithm", ED_L1 "\n" "WHhC3pq85/QJcI5KHy/AoajGfOW2xv/Z3E"
	    "j4c7QHITG9bdfBUjXQ+vgESR+bdFO8ldYTfFXnk+YrUv0zFT9Oygu01aKWW+eODA"
	    "s=\n" ED_L3 "\n" ED_L4 "\n", "unsupported signature algorithm" },
	{ "trusted prefix missing", ED_L1 "\n" ED_L2 "\nferry export 7\n"
	    ED_L4 "\n", "line 3 does not start with 'trusted comment: '" },
	{ "comment signature short", ED_L1 "\n" ED_L2 "\n" ED_L3 "\nRqjo\n",
	    "line 4 is not a trusted comment signature" },
	{ "text after", ED_SIG "more\n", "unexpected text on line 5" },
	{ "CR only", ED_L1 "\r" ED_L2 "\r" ED_L3 "\r" ED_L4 "\r",
	    "truncated: line 2" },
};

static void
check_badsig(const struct sign_pubkey *pub, const char *name,
    const char *text, size_t len, const char *error)
{
	unsigned char	 id[SIGN_KEYID_LEN];
	char		*trusted = NULL;

	if (sign_verify(pub, VEC_MSG, strlen(VEC_MSG), text, len,
	    &trusted) == 0)
		fail_msg("%s: accepted", name);
	assert_null(trusted);
	if (error != NULL && strstr(err_msg(), error) == NULL)
		fail_msg("%s: expected '%s' in the message, got '%s'", name,
		    error, err_msg());
	if (sign_sig_keyid(text, len, id) == 0)
		fail_msg("%s: a key id read from it", name);
}

/* Broken .minisig texts are refused, each with its reason. */
static void
refuses_bad_signatures(void **state)
{
	struct sign_pubkey	 pub;
	char			*text;
	size_t			 i, len;

	(void)state;
	vec_pubkey(&pub);
	for (i = 0; i < NROWS(badsig_rows); i++)
		check_badsig(&pub, badsig_rows[i].name, badsig_rows[i].text,
		    strlen(badsig_rows[i].text), badsig_rows[i].error);
	check_badsig(&pub, "NUL", ED_L1 "\n\0" ED_L2, sizeof ED_L1 + 1,
	    "contains a NUL byte");
	/* Every truncation, each copied so ASan sees a read past it. */
	len = strlen(ED_SIG);
	for (i = 0; i < len - 1; i++) {
		text = xmalloc(i + 1);
		memcpy(text, ED_SIG, i);
		check_badsig(&pub, "truncated", text, i, NULL);
		free(text);
	}
}

/* Comments over minisign's limits, or over two lines, are refused. */
static void
refuses_long_comments(void **state)
{
	struct sign_seckey	 key;
	struct sign_pubkey	 pub;
	struct buf		 sig = BUF_INIT, text = BUF_INIT;
	char			*big;

	make_key(*state, "c", &key, &pub);
	big = xmalloc(20000);
	memset(big, 'x', 19999);
	big[19999] = '\0';
	big[SIGN_TRUSTED_MAX] = '\0';
	assert_int_equal(sign_detached(&key, "m", 1, NULL, big, &sig), 0);
	assert_int_equal(sign_verify(&pub, "m", 1, sig.ptr, sig.len, NULL),
	    0);
	big[SIGN_TRUSTED_MAX] = 'x';
	big[SIGN_TRUSTED_MAX + 1] = '\0';
	assert_int_not_equal(sign_detached(&key, "m", 1, NULL, big, &sig), 0);
	assert_non_null(strstr(err_msg(), "trusted comment is too long"));
	big[SIGN_COMMENT_MAX + 1] = '\0';
	assert_int_not_equal(sign_detached(&key, "m", 1, big, "t", &sig), 0);
	assert_non_null(strstr(err_msg(), "untrusted comment is too long"));
	assert_int_not_equal(sign_detached(&key, "m", 1, "a\nb", "t", &sig),
	    0);
	assert_non_null(strstr(err_msg(), "line break"));
	assert_int_not_equal(sign_detached(&key, "m", 1, "u", "a\rb", &sig),
	    0);
	/* Overlong lines and texts read from a stick. */
	buf_addf(&text, "untrusted comment: %s\n%s\n%s\n%s\n", big, ED_L2,
	    ED_L3, ED_L4);
	check_badsig(&pub, "long untrusted", text.ptr, text.len,
	    "untrusted comment on line 1 is too long");
	buf_reset(&text);
	memset(big, 'x', 19999);
	big[SIGN_TRUSTED_MAX + 1] = '\0';
	buf_addf(&text, "%s\n%s\ntrusted comment: %s\n%s\n", ED_L1, ED_L2,
	    big, ED_L4);
	check_badsig(&pub, "long trusted", text.ptr, text.len,
	    "trusted comment on line 3 is too long");
	buf_reset(&text);
	buf_addf(&text, "%s\n%s\n%s\n%s\n", ED_L1, ED_L2, ED_L3, ED_L4);
	while (text.len < 20000)
		buf_addstr(&text, "\n");
	check_badsig(&pub, "overlong text", text.ptr, text.len,
	    "the signature is too long");
	sodium_memzero(&key, sizeof key);
	buf_free(&sig);
	buf_free(&text);
	free(big);
}

struct pub_row {
	const char	*name;
	const char	*text;
	const char	*error;		/* NULL: accepted */
};

static const struct pub_row publine_rows[] = {
	{ "plain", VEC_PUB_B64, NULL },
	{ "blanks and CRLF", "  " VEC_PUB_B64 " \r\n", NULL },
	{ "empty", "", "the public key is empty" },
	{ "truncated", "RWQC3pq85/QJcEjE/hSGrQj1Wcizk5Ld56X3M+NFyVolUOYV0qo5",
	    "not a minisign public key" },
	{ "too long", VEC_PUB_B64 "AAAA", "not a minisign public key" },
	{ "garbage", "hello, world", "not a minisign public key" },
	{ "cut secret key",
	    "RWRTY0IyPcFvxKnLm2tQoOcawth3YGv/cOneKKq6B3JMomgLcvU",
	    "not a minisign public key" },
	{ "other algorithm", "WHgC3pq85/QJcEjE/hSGrQj1Wcizk5Ld56X3M+NFyVolUOY"
	    "V0qo5uTzI", "not an Ed25519 minisign public key" },
	{ "secret key", "RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAt6avOf0CXBPskNtQoVzBkvVfBd7AvkYIhY4De1VRD6R"
	    "z0CYU7ndhEjE/hSGrQj1Wcizk5Ld56X3M+NFyVolUOYV0qo5uTzIAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "not a minisign public key" },
};

static const struct pub_row pubfile_rows[] = {
	{ "minisign's", VEC_PUB_FILE, NULL },
	{ "CRLF", "untrusted comment: minisign public key " VEC_KEYID "\r\n"
	    VEC_PUB_B64 "\r\n", NULL },
	{ "no final line end", "untrusted comment: x\n" VEC_PUB_B64, NULL },
	{ "empty", "", "the file is empty" },
	{ "key alone", VEC_PUB_B64 "\n", "line 1 does not start with "
	    "'untrusted comment: '" },
	{ "comment alone", "untrusted comment: x\n", "truncated: line 2 (the "
	    "key) is missing" },
	{ "bad key", "untrusted comment: x\nRWQC3pq85\n", "line 2: not a "
	    "minisign public key" },
	{ "text after", VEC_PUB_FILE "RWQ\n", "unexpected text on line 3" },
	{ "a signature", ED_SIG, "line 2: not a minisign public key" },
};

/* Public keys: the "RW..." line, and .pub files. */
static void
parses_public_keys(void **state)
{
	struct sign_pubkey	 pub, vec;
	char			*path, *big;
	size_t			 i;
	int			 rc;

	vec_pubkey(&vec);
	for (i = 0; i < NROWS(publine_rows) + NROWS(pubfile_rows); i++) {
		const struct pub_row *r = i < NROWS(publine_rows) ?
		    &publine_rows[i] : &pubfile_rows[i - NROWS(publine_rows)];

		if (i < NROWS(publine_rows))
			rc = sign_parse_pubkey(r->text, &pub);
		else {
			path = write_file(*state, "k.pub", r->text,
			    strlen(r->text));
			rc = sign_load_pubkey(path, &pub);
			free(path);
		}
		if (r->error == NULL && rc != 0)
			fail_msg("%s: refused: %s", r->name, err_msg());
		if (r->error == NULL)
			assert_memory_equal(&pub, &vec, sizeof vec);
		else if (rc == 0)
			fail_msg("%s: accepted", r->name);
		else if (strstr(err_msg(), r->error) == NULL)
			fail_msg("%s: expected '%s' in the message, got '%s'",
			    r->name, r->error, err_msg());
	}
	big = xmalloc(5000);
	memset(big, 'A', 5000);
	path = write_file(*state, "big.pub", big, 5000);
	assert_int_not_equal(sign_load_pubkey(path, &pub), 0);
	assert_non_null(strstr(err_msg(), "more than 4096 bytes"));
	big[4999] = '\0';
	assert_int_not_equal(sign_parse_pubkey(big, &pub), 0);
	free(path);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keyid_matches_minisign),
		cmocka_unit_test(verifies_minisign_signatures),
		cmocka_unit_test(refuses_bad_signatures),
		cmocka_unit_test_setup_teardown(loads_minisign_seckey,
		    unit_setup_dir, unit_teardown_dir),
		cmocka_unit_test_setup_teardown(refuses_bad_seckeys,
		    unit_setup_dir, unit_teardown_dir),
		cmocka_unit_test_setup_teardown(refuses_damaged_seckeys,
		    unit_setup_dir, unit_teardown_dir),
		cmocka_unit_test_setup_teardown(roundtrip,
		    unit_setup_dir, unit_teardown_dir),
		cmocka_unit_test_setup_teardown(keygen_refuses_overwrite,
		    unit_setup_dir, unit_teardown_dir),
		cmocka_unit_test_setup_teardown(refuses_tampering,
		    unit_setup_dir, unit_teardown_dir),
		cmocka_unit_test_setup_teardown(refuses_other_key,
		    unit_setup_dir, unit_teardown_dir),
		cmocka_unit_test_setup_teardown(refuses_long_comments,
		    unit_setup_dir, unit_teardown_dir),
		cmocka_unit_test_setup_teardown(parses_public_keys,
		    unit_setup_dir, unit_teardown_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
