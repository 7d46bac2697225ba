/*
 * test_gitsig.c -- unit tests for gitsig.c.
 *
 * The vectors in gitsig-vectors/ were made by OpenSSH 9.2's ssh-keygen and
 * git 2.39 (its README says how): they must verify, and the signatures
 * made here with the same key must be the same bytes.  Signatures of new
 * keys are given to the real ssh-keygen -Y verify, which must accept them.
 * Broken armor and crafted blobs are refused with the message given and
 * never read past their text (the tests run under ASan).  Every failing
 * row prints its name, the expected and the actual message.
 */
#include "config.h"

#include <sys/wait.h>

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

#include "unit.h"

#include "buf.h"
#include "err.h"
#include "fsutil.h"
#include "gitsig.h"
#include "sign.h"
#include "xmalloc.h"

/* The seed of gitsig-vectors/key (the first half of its secret key). */
#define KEY_SEED \
	"aeda4c034f4193e6720a1fedcbae3fb9dd46823a0a44ae5bebcac115cedfb796"
#define KEY_LINE	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPRWaIAM3cpQ" \
			"AdMYVGXVr/YP3Y1TSu9JB8gEN7lX5Nt/"
#define OTHER_LINE	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOprBgQI3CqJ" \
			"slwnmhS+2tb5CIp+8oitagO40XGP/3c7"

#define BEGIN		"-----BEGIN SSH SIGNATURE-----"
#define END		"-----END SSH SIGNATURE-----"

/* A file of gitsig-vectors/, from the source tree. */
static void
vec_read(const char *name, struct buf *b)
{
	const char	*top = getenv("top_srcdir");
	char		*path;

	/* Run by hand, from the top directory of the sources. */
	if (top == NULL && (top = getenv("srcdir")) == NULL)
		top = ".";
	xasprintf(&path, "%s/tests/unit/gitsig-vectors/%s", top, name);
	buf_init(b, 0);
	if (fsutil_read(path, b) != 0)
		fail_msg("vector %s: %s", name, err_msg());
	free(path);
}

static void
vec_pubkey(const char *name, struct sign_pubkey *pub)
{
	struct buf	b;

	vec_read(name, &b);
	if (gitsig_parse_pubkey_line(b.ptr, pub) != 0)
		fail_msg("%s: refused: %s", name, err_msg());
	buf_free(&b);
}

/* The key of the vectors, from its seed. */
static void
vec_seckey(struct sign_seckey *key, struct sign_pubkey *pub)
{
	unsigned char	seed[crypto_sign_SEEDBYTES];

	assert_int_equal(sodium_init() < 0, 0);
	assert_int_equal(sodium_hex2bin(seed, sizeof seed, KEY_SEED,
	    strlen(KEY_SEED), NULL, NULL, NULL), 0);
	memset(key, 0, sizeof *key);
	memset(pub, 0, sizeof *pub);
	crypto_sign_seed_keypair(pub->pk, key->sk, seed);
	sodium_memzero(seed, sizeof seed);
}

/* rc and the message are what the row wants: 0, or a code and a part. */
static void
expect(const char *name, int rc, int want, const char *error)
{
	if (want == 0 && rc != 0)
		fail_msg("%s: refused: %s", name, err_msg());
	if (want == 0)
		return;
	if (rc == 0)
		fail_msg("%s: accepted", name);
	if (rc != want)
		fail_msg("%s: code %d, expected %d (%s)", name, rc, want,
		    err_msg());
	if (error != NULL && strstr(err_msg(), error) == NULL)
		fail_msg("%s: expected '%s' in the message, got '%s'", name,
		    error, err_msg());
}

struct vec_row {
	const char	*data;
	const char	*sig;
	const char	*key;
	int		 code;		/* 0: accepted */
	const char	*error;		/* a part of the message */
};

static const struct vec_row vec_rows[] = {
	{ "empty", "empty.sig", "key.pub", 0, NULL },
	{ "commit", "commit.sig", "key.pub", 0, NULL },
	{ "binary", "binary.sig", "key.pub", 0, NULL },
	{ "commit", "commit-sha256.sig", "key.pub", 0, NULL },
	{ "commit", "commit-other.sig", "other.pub", 0, NULL },
	{ "commit", "commit-other.sig", "key.pub", FERRY_ERROR,
	    "signed by another key (" OTHER_LINE "), not by " KEY_LINE },
	{ "commit", "commit.sig", "other.pub", FERRY_ERROR,
	    "signed by another key (" KEY_LINE ")" },
	{ "commit", "commit-file.sig", "key.pub", FERRY_ERROR,
	    "signed in namespace 'file', not 'git'" },
	{ "commit", "commit-rsa.sig", "key.pub", FERRY_EUNSUPPORTED,
	    "unsupported key type 'ssh-rsa'" },
	{ "commit", "empty.sig", "key.pub", FERRY_ERROR,
	    "signature does not match the commit" },
	{ "empty", "commit.sig", "key.pub", FERRY_ERROR,
	    "signature does not match the commit" },
	{ "binary", "commit-sha256.sig", "key.pub", FERRY_ERROR,
	    "signature does not match the commit" },
};

/* What ssh-keygen and git signed verifies, with the right key only. */
static void
verifies_openssh_vectors(void **state)
{
	struct sign_pubkey	 pub;
	struct buf		 data, sig;
	char			 name[128];
	size_t			 i;

	(void)state;
	for (i = 0; i < NROWS(vec_rows); i++) {
		const struct vec_row *r = &vec_rows[i];

		snprintf(name, sizeof name, "%s by %s with %s", r->data,
		    r->sig, r->key);
		vec_read(r->data, &data);
		vec_read(r->sig, &sig);
		vec_pubkey(r->key, &pub);
		expect(name, gitsig_verify(&pub, data.ptr, data.len, sig.ptr,
		    sig.len), r->code, r->error);
		buf_free(&data);
		buf_free(&sig);
	}
}

/* One changed bit anywhere in the data, or a byte more or less, fails. */
static void
refuses_changed_data(void **state)
{
	static const char	*pairs[][2] = {
		{ "commit", "commit.sig" },
		{ "binary", "binary.sig" },
		{ "commit", "commit-sha256.sig" },
		{ "empty", "empty.sig" },
	};
	struct sign_pubkey	 pub;
	struct buf		 data, sig;
	size_t			 i, j;

	(void)state;
	vec_pubkey("key.pub", &pub);
	for (i = 0; i < NROWS(pairs); i++) {
		vec_read(pairs[i][0], &data);
		vec_read(pairs[i][1], &sig);
		for (j = 0; j < data.len; j++) {
			data.ptr[j] ^= j % 2 == 0 ? 0x01 : 0x80;
			expect(pairs[i][0], gitsig_verify(&pub, data.ptr,
			    data.len, sig.ptr, sig.len), FERRY_ERROR,
			    "signature does not match the commit");
			data.ptr[j] ^= j % 2 == 0 ? 0x01 : 0x80;
		}
		if (data.len > 0)
			expect("one byte less", gitsig_verify(&pub, data.ptr,
			    data.len - 1, sig.ptr, sig.len), FERRY_ERROR,
			    "does not match");
		buf_addc(&data, '\n');
		expect("one byte more", gitsig_verify(&pub, data.ptr,
		    data.len, sig.ptr, sig.len), FERRY_ERROR,
		    "does not match");
		buf_free(&data);
		buf_free(&sig);
	}
}

enum form {
	FORM_AS_IS,
	FORM_NO_FINAL_NEWLINE,
	FORM_CRLF,
	FORM_INDENTED,
	FORM_ONE_LINE,
	FORM_BLANKS_AROUND,
};

/* sig written another way, each as a reader of a gpgsig header may. */
static void
reform(const struct buf *sig, enum form form, struct buf *out)
{
	const char	*b64 = sig->ptr + strlen(BEGIN "\n");
	const char	*end = strstr(sig->ptr, END);
	size_t		 i;

	buf_reset(out);
	if (form == FORM_BLANKS_AROUND)
		buf_addstr(out, "\n \t\r\n");
	for (i = 0; i < sig->len; i++) {
		char c = sig->ptr[i];

		if (c == '\n' && form == FORM_CRLF)
			buf_addc(out, '\r');
		if (c == '\n' && form == FORM_ONE_LINE &&
		    sig->ptr + i >= b64 && sig->ptr + i < end - 1)
			continue;
		if (c == '\n' && i == sig->len - 1 &&
		    form == FORM_NO_FINAL_NEWLINE)
			continue;
		buf_addc(out, c);
		if (c == '\n' && form == FORM_INDENTED && i < sig->len - 1)
			buf_addc(out, ' ');
	}
	if (form == FORM_BLANKS_AROUND)
		buf_addstr(out, " \r\n\n");
}

static const struct {
	const char	*name;
	enum form	 form;
} form_rows[] = {
	{ "as ssh-keygen writes it", FORM_AS_IS },
	{ "without the final newline", FORM_NO_FINAL_NEWLINE },
	{ "CRLF", FORM_CRLF },
	{ "indented as in the header", FORM_INDENTED },
	{ "base64 in one line", FORM_ONE_LINE },
	{ "blank lines around", FORM_BLANKS_AROUND },
};

/* Line ends and blanks in the armor do not matter. */
static void
reads_armor_forms(void **state)
{
	struct sign_pubkey	 pub;
	struct buf		 data, sig, text = BUF_INIT;
	size_t			 i;

	(void)state;
	vec_pubkey("key.pub", &pub);
	vec_read("commit", &data);
	vec_read("commit.sig", &sig);
	for (i = 0; i < NROWS(form_rows); i++) {
		reform(&sig, form_rows[i].form, &text);
		expect(form_rows[i].name, gitsig_verify(&pub, data.ptr,
		    data.len, text.ptr, text.len), 0, NULL);
	}
	buf_free(&data);
	buf_free(&sig);
	buf_free(&text);
}

/* The same key signs the same bytes as ssh-keygen, and as git stores. */
static void
signs_like_ssh_keygen(void **state)
{
	static const char	*names[] = { "empty", "commit", "binary" };
	struct sign_seckey	 key;
	struct sign_pubkey	 pub, vec;
	struct buf		 data, want, got = BUF_INIT;
	char			*signame;
	size_t			 i;

	(void)state;
	vec_seckey(&key, &pub);
	vec_pubkey("key.pub", &vec);
	assert_memory_equal(&pub, &vec, sizeof pub);
	for (i = 0; i < NROWS(names); i++) {
		xasprintf(&signame, "%s.sig", names[i]);
		vec_read(names[i], &data);
		vec_read(signame, &want);
		/* The file ends in a newline, the signature does not. */
		assert_true(want.len > 0 && want.ptr[want.len - 1] == '\n');
		want.ptr[--want.len] = '\0';
		buf_reset(&got);
		buf_addstr(&got, "gpgsig ");
		assert_int_equal(gitsig_sign(&key, data.ptr, data.len, &got),
		    0);
		if (row_bad("gitsig_sign", names[i], want.ptr, got.ptr + 7))
			fail();
		expect(names[i], gitsig_verify(&pub, data.ptr, data.len,
		    got.ptr + 7, got.len - 7), 0, NULL);
		buf_free(&data);
		buf_free(&want);
		free(signame);
	}
	buf_reset(&got);
	assert_int_equal(gitsig_sign(&key, NULL, 0, &got), 0);
	expect("NULL data", gitsig_verify(&pub, NULL, 0, got.ptr, got.len),
	    0, NULL);
	/* A full buffer is left as it was. */
	buf_free(&got);
	buf_init(&got, 100);
	assert_int_equal(gitsig_sign(&key, "x", 1, &got), FERRY_ETOOBIG);
	assert_int_equal(got.len, 0);
	sodium_memzero(&key, sizeof key);
	buf_free(&got);
}

struct publine_row {
	const char	*name;
	const char	*text;
	int		 code;		/* 0: accepted */
	const char	*error;
};

static const struct publine_row publine_rows[] = {
	{ "bare", KEY_LINE, 0, NULL },
	{ "as ssh-keygen writes it", KEY_LINE " ferry test key\n", 0, NULL },
	{ "blanks and CRLF", " \t" KEY_LINE "\t a  comment \r\n", 0, NULL },
	{ "empty", "", FERRY_ERROR, "the public key line is empty" },
	{ "blank", " \r\n", FERRY_ERROR, "the public key line is empty" },
	{ "rsa", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ rsa",
	    FERRY_EUNSUPPORTED, "unsupported key type 'ssh-rsa'" },
	{ "fido", "sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5",
	    FERRY_EUNSUPPORTED,
	    "unsupported key type 'sk-ssh-ed25519@openssh.com'" },
	{ "ecdsa", "ecdsa-sha2-nistp256 AAAAE2VjZHNh", FERRY_EUNSUPPORTED,
	    "unsupported key type 'ecdsa-sha2-nistp256'" },
	{ "allowed-signers line", "ferry namespaces=\"git\" " KEY_LINE,
	    FERRY_ERROR, "not an OpenSSH public key line" },
	{ "secret key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n",
	    FERRY_ERROR, "not an OpenSSH public key line" },
	{ "no blank", "ssh-ed25519AAAAC3NzaC1lZDI1NTE5", FERRY_ERROR,
	    "not an OpenSSH public key line (a blank after 'ssh-ed25519' "
	    "expected)" },
	{ "type alone", "ssh-ed25519", FERRY_ERROR,
	    "is not the base64 of an Ed25519 key" },
	{ "truncated", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPRWaIAM3cpQAdMY"
	    "VGXVr/YP3Y1TSu9JB8gEN7lX5N", FERRY_ERROR,
	    "is not the base64 of an Ed25519 key" },
	{ "too long", KEY_LINE "AAAA", FERRY_ERROR,
	    "is not the base64 of an Ed25519 key" },
	{ "another type inside", "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAAA"
	    "gQDYg2rBa9W1RRl3fSqSyO3FzT1ohZGXdIsBxwQP", FERRY_ERROR,
	    "is not the base64 of an Ed25519 key" },
	{ "two lines", KEY_LINE " a\n" OTHER_LINE " b\n", FERRY_ERROR,
	    "unexpected text after the public key line" },
};

/* Public key lines: ssh-keygen's .pub, and what gitsig writes. */
static void
parses_pubkey_lines(void **state)
{
	struct sign_pubkey	 pub, want, back;
	struct sign_seckey	 key;
	struct buf		 line = BUF_INIT, file;
	char			*big;
	size_t			 i;

	(void)state;
	vec_seckey(&key, &want);
	sodium_memzero(&key, sizeof key);
	for (i = 0; i < NROWS(publine_rows); i++) {
		const struct publine_row *r = &publine_rows[i];

		memset(&pub, 0xff, sizeof pub);
		expect(r->name, gitsig_parse_pubkey_line(r->text, &pub),
		    r->code, r->error);
		if (r->code == 0)
			assert_memory_equal(&pub, &want, sizeof pub);
	}
	expect("NULL", gitsig_parse_pubkey_line(NULL, &pub), FERRY_ERROR,
	    "empty");
	big = xmalloc(9000);
	memset(big, 'x', 8999);
	big[8999] = '\0';
	expect("huge", gitsig_parse_pubkey_line(big, &pub), FERRY_ETOOBIG,
	    "too long");
	free(big);
	/* The line written is ssh-keygen's, and reads back. */
	vec_read("key.pub", &file);
	file.ptr[--file.len] = '\0';
	gitsig_pubkey_line(&want, "ferry test key", &line);
	if (row_bad("gitsig_pubkey_line", "key.pub", file.ptr, line.ptr))
		fail();
	assert_int_equal(gitsig_parse_pubkey_line(line.ptr, &back), 0);
	assert_memory_equal(&back, &want, sizeof back);
	buf_reset(&line);
	gitsig_pubkey_line(&want, NULL, &line);
	assert_string_equal(line.ptr, KEY_LINE);
	buf_reset(&line);
	gitsig_pubkey_line(&want, "a\nb", &line);
	assert_string_equal(line.ptr, KEY_LINE " a");
	buf_free(&line);
	buf_free(&file);
}

struct armor_row {
	const char	*name;
	const char	*text;
	int		 code;
	const char	*error;
};

static const struct armor_row armor_rows[] = {
	{ "empty", "", FERRY_ERROR, "the signature is empty" },
	{ "blank", " \r\n\n", FERRY_ERROR, "the signature is empty" },
	{ "garbage", "garbage", FERRY_ERROR, "not an SSH signature (it does "
	    "not start with '" BEGIN "')" },
	{ "OpenPGP", "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAd\n"
	    "-----END PGP SIGNATURE-----\n", FERRY_EUNSUPPORTED,
	    "an OpenPGP signature, not an SSH one" },
	{ "BEGIN alone", BEGIN "\n", FERRY_ERROR,
	    "damaged SSH signature: it does not end with '" END "'" },
	{ "no END", BEGIN "\nU1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAg\n",
	    FERRY_ERROR, "does not end with" },
	{ "text after END", BEGIN "\nU1NIU0lH\n" END "\nmore\n", FERRY_ERROR,
	    "does not end with" },
	{ "nothing inside", BEGIN "\n" END "\n", FERRY_ERROR,
	    "not an SSH signature (its content does not start with "
	    "'SSHSIG')" },
	{ "not base64", BEGIN "\n!!!!\n" END, FERRY_ERROR,
	    "the text between its BEGIN and END lines is not base64" },
	{ "no padding", BEGIN "\nU1NIU0lHAA\n" END, FERRY_ERROR,
	    "is not base64" },
	{ "other content", BEGIN "\naGVsbG8gd29ybGQ=\n" END, FERRY_ERROR,
	    "not an SSH signature (its content does not start with "
	    "'SSHSIG')" },
	{ "magic only", BEGIN "\nU1NIU0lH\n" END, FERRY_ERROR,
	    "damaged SSH signature: the version is cut short" },
	/* "SSHSIG", version 1, a public key of 0xffffffff bytes. */
	{ "huge length", BEGIN "\nU1NIU0lHAAAAAf////8=\n" END, FERRY_ERROR,
	    "damaged SSH signature: the public key is cut short" },
	/* ... and one of 4 bytes claiming a type of 0xffffffff bytes. */
	{ "huge inner length", BEGIN "\nU1NIU0lHAAAAAQAAAAT/////\n" END,
	    FERRY_ERROR, "the type of the public key is cut short" },
};

/* sig's blob cut at every length, armored again, is refused. */
static void
refuses_cut_blobs(const struct sign_pubkey *pub, const struct buf *data,
    const struct buf *sig)
{
	unsigned char	 blob[1024];
	char		 b64[2048];
	struct buf	 text = BUF_INIT;
	const char	*p = sig->ptr + strlen(BEGIN "\n");
	size_t		 n, i;

	assert_int_equal(sodium_base642bin(blob, sizeof blob, p,
	    (size_t)(strstr(p, END) - p), "\n", &n, NULL,
	    sodium_base64_VARIANT_ORIGINAL), 0);
	for (i = 0; i < n; i++) {
		sodium_bin2base64(b64, sizeof b64, blob, i,
		    sodium_base64_VARIANT_ORIGINAL);
		buf_reset(&text);
		buf_addf(&text, BEGIN "\n%s\n" END "\n", b64);
		if (gitsig_verify(pub, data->ptr, data->len, text.ptr,
		    text.len) == 0)
			fail_msg("blob cut at %zu: accepted", i);
		if (strncmp(err_msg(), "damaged SSH signature: ", 23) != 0 &&
		    strncmp(err_msg(), "not an SSH signature", 20) != 0)
			fail_msg("blob cut at %zu: %s", i, err_msg());
	}
	buf_free(&text);
}

/* Broken armor is refused with its reason, never read past. */
static void
refuses_bad_armor(void **state)
{
	struct sign_pubkey	 pub;
	struct buf		 data, sig;
	char			*text;
	size_t			 i;

	(void)state;
	vec_pubkey("key.pub", &pub);
	vec_read("commit", &data);
	vec_read("commit.sig", &sig);
	for (i = 0; i < NROWS(armor_rows); i++)
		expect(armor_rows[i].name, gitsig_verify(&pub, data.ptr,
		    data.len, armor_rows[i].text, strlen(armor_rows[i].text)),
		    armor_rows[i].code, armor_rows[i].error);
	expect("NULL", gitsig_verify(&pub, data.ptr, data.len, NULL, 0),
	    FERRY_ERROR, "the signature is empty");
	expect("NUL", gitsig_verify(&pub, data.ptr, data.len, BEGIN "\0\n",
	    sizeof BEGIN + 1), FERRY_ERROR, "contains a NUL byte");
	text = xmalloc(GITSIG_TEXT_MAX + 1);
	memset(text, '\n', GITSIG_TEXT_MAX + 1);
	memcpy(text, sig.ptr, sig.len);
	expect("too long", gitsig_verify(&pub, data.ptr, data.len, text,
	    GITSIG_TEXT_MAX + 1), FERRY_ETOOBIG, "the signature is too long");
	expect("longest", gitsig_verify(&pub, data.ptr, data.len, text,
	    GITSIG_TEXT_MAX), 0, NULL);
	free(text);
	/* Every cut but the final newline's, copied for ASan to watch. */
	for (i = 0; i + 1 < sig.len; i++) {
		text = xmalloc(i + 1);
		memcpy(text, sig.ptr, i);
		if (gitsig_verify(&pub, data.ptr, data.len, text, i) == 0)
			fail_msg("cut at %zu: accepted", i);
		free(text);
	}
	refuses_cut_blobs(&pub, &data, &sig);
	buf_free(&data);
	buf_free(&sig);
}

/* A blob made field by field; NULL fields are the right ones. */
struct blob_row {
	const char	*name;
	uint32_t	 version;
	const char	*keytype;
	size_t		 pklen;
	const char	*ns;
	const char	*reserved;
	const char	*hash;
	const char	*sigtype;
	size_t		 siglen;
	size_t		 trailing;
	int		 code;		/* 0: accepted */
	const char	*error;
};

static const struct blob_row blob_rows[] = {
	{ "sha512", 1, NULL, 32, NULL, NULL, NULL, NULL, 64, 0, 0, NULL },
	{ "sha256", 1, NULL, 32, NULL, NULL, "sha256", NULL, 64, 0, 0, NULL },
	{ "reserved field used", 1, NULL, 32, NULL, "future", NULL, NULL, 64,
	    0, 0, NULL },
	{ "version 2", 2, NULL, 32, NULL, NULL, NULL, NULL, 64, 0,
	    FERRY_EUNSUPPORTED, "unsupported SSH signature version 2 (1 "
	    "expected)" },
	{ "rsa key", 1, "ssh-rsa", 32, NULL, NULL, NULL, NULL, 64, 0,
	    FERRY_EUNSUPPORTED, "unsupported key type 'ssh-rsa' (only "
	    "ssh-ed25519 is supported)" },
	{ "fido key", 1, "sk-ssh-ed25519@openssh.com", 32, NULL, NULL, NULL,
	    NULL, 64, 0, FERRY_EUNSUPPORTED, "unsupported key type "
	    "'sk-ssh-ed25519@openssh.com'" },
	{ "short key", 1, NULL, 31, NULL, NULL, NULL, NULL, 64, 0,
	    FERRY_ERROR, "damaged SSH signature: the Ed25519 public key is "
	    "not 32 bytes" },
	{ "long key", 1, NULL, 33, NULL, NULL, NULL, NULL, 64, 0,
	    FERRY_ERROR, "the Ed25519 public key is not 32 bytes" },
	{ "namespace file", 1, NULL, 32, "file", NULL, NULL, NULL, 64, 0,
	    FERRY_ERROR, "signed in namespace 'file', not 'git'" },
	{ "namespace gi", 1, NULL, 32, "gi", NULL, NULL, NULL, 64, 0,
	    FERRY_ERROR, "signed in namespace 'gi', not 'git'" },
	{ "empty namespace", 1, NULL, 32, "", NULL, NULL, NULL, 64, 0,
	    FERRY_ERROR, "signed in namespace '', not 'git'" },
	{ "control in namespace", 1, NULL, 32, "git\n\033[2J", NULL, NULL,
	    NULL, 64, 0, FERRY_ERROR, "signed in namespace 'git??[2J'" },
	{ "long namespace", 1, NULL, 32, "a-namespace-of-fifty-characters-"
	    "that-goes-on-and-on", NULL, NULL, NULL, 64, 0, FERRY_ERROR,
	    "namespace 'a-namespace-of-fifty-characters-that-goe...', not" },
	{ "hash sha1", 1, NULL, 32, NULL, NULL, "sha1", NULL, 64, 0,
	    FERRY_EUNSUPPORTED, "unsupported hash algorithm 'sha1' (sha512 "
	    "or sha256 expected)" },
	{ "hash SHA512", 1, NULL, 32, NULL, NULL, "SHA512", NULL, 64, 0,
	    FERRY_EUNSUPPORTED, "unsupported hash algorithm 'SHA512'" },
	{ "rsa signature", 1, NULL, 32, NULL, NULL, NULL, "rsa-sha2-512", 64,
	    0, FERRY_ERROR, "damaged SSH signature: a 'rsa-sha2-512' "
	    "signature by an ssh-ed25519 key" },
	{ "short signature", 1, NULL, 32, NULL, NULL, NULL, NULL, 63, 0,
	    FERRY_ERROR, "the Ed25519 signature is not 64 bytes" },
	{ "long signature", 1, NULL, 32, NULL, NULL, NULL, NULL, 65, 0,
	    FERRY_ERROR, "the Ed25519 signature is not 64 bytes" },
	{ "data after", 1, NULL, 32, NULL, NULL, NULL, NULL, 64, 3,
	    FERRY_ERROR, "unexpected data after the signature (3 bytes)" },
};

static void
put_u32(struct buf *b, uint32_t v)
{
	unsigned char	be[4] = { v >> 24, v >> 16, v >> 8, v };

	buf_add(b, be, sizeof be);
}

static void
put_string(struct buf *b, const void *s, size_t len)
{
	put_u32(b, (uint32_t)len);
	buf_add(b, s, len);
}

/* The armored blob of row r, signed right over what it names. */
static void
craft(const struct blob_row *r, const struct sign_seckey *key,
    const void *data, size_t len, struct buf *text)
{
	const char	*ns = r->ns != NULL ? r->ns : "git";
	const char	*hash = r->hash != NULL ? r->hash : "sha512";
	unsigned char	 h[64], sig[80], pk[40];
	struct buf	 tbs = BUF_INIT, blob = BUF_INIT, sub = BUF_INIT;
	char		*b64;
	size_t		 size;

	if (strcmp(hash, "sha256") == 0)
		crypto_hash_sha256(h, data, len);
	else
		crypto_hash_sha512(h, data, len);
	buf_add(&tbs, "SSHSIG", 6);
	put_string(&tbs, ns, strlen(ns));
	put_string(&tbs, "", 0);
	put_string(&tbs, hash, strlen(hash));
	put_string(&tbs, h, strcmp(hash, "sha256") == 0 ? 32 : 64);
	memset(sig, 0, sizeof sig);
	crypto_sign_detached(sig, NULL, (unsigned char *)tbs.ptr, tbs.len,
	    key->sk);
	memset(pk, 0, sizeof pk);
	memcpy(pk, key->sk + 32, 32);
	buf_add(&blob, "SSHSIG", 6);
	put_u32(&blob, r->version);
	put_string(&sub, r->keytype != NULL ? r->keytype : "ssh-ed25519",
	    strlen(r->keytype != NULL ? r->keytype : "ssh-ed25519"));
	put_string(&sub, pk, r->pklen);
	put_string(&blob, sub.ptr, sub.len);
	put_string(&blob, ns, strlen(ns));
	put_string(&blob, r->reserved != NULL ? r->reserved : "",
	    r->reserved != NULL ? strlen(r->reserved) : 0);
	put_string(&blob, hash, strlen(hash));
	buf_reset(&sub);
	put_string(&sub, r->sigtype != NULL ? r->sigtype : "ssh-ed25519",
	    strlen(r->sigtype != NULL ? r->sigtype : "ssh-ed25519"));
	put_string(&sub, sig, r->siglen);
	put_string(&blob, sub.ptr, sub.len);
	buf_add(&blob, "\0\0\0\0", r->trailing);
	size = sodium_base64_ENCODED_LEN(blob.len,
	    sodium_base64_VARIANT_ORIGINAL);
	b64 = xmalloc(size);
	sodium_bin2base64(b64, size, (unsigned char *)blob.ptr, blob.len,
	    sodium_base64_VARIANT_ORIGINAL);
	buf_reset(text);
	buf_addf(text, BEGIN "\n%s\n" END "\n", b64);
	free(b64);
	buf_free(&tbs);
	buf_free(&blob);
	buf_free(&sub);
}

/* Each field of a blob is checked, with the reason said. */
static void
refuses_bad_blobs(void **state)
{
	static const char	 data[] = "tree 4b825dc\n\nmessage\n";
	struct sign_seckey	 key;
	struct sign_pubkey	 pub;
	struct buf		 text = BUF_INIT;
	size_t			 i;

	(void)state;
	vec_seckey(&key, &pub);
	for (i = 0; i < NROWS(blob_rows); i++) {
		craft(&blob_rows[i], &key, data, sizeof data - 1, &text);
		expect(blob_rows[i].name, gitsig_verify(&pub, data,
		    sizeof data - 1, text.ptr, text.len), blob_rows[i].code,
		    blob_rows[i].error);
	}
	sodium_memzero(&key, sizeof key);
	buf_free(&text);
}

/* ssh-keygen on PATH, or NULL. */
static char *
find_ssh_keygen(void)
{
	const char	*path = getenv("PATH");
	char		*dirs, *dir, *save = NULL, *file = NULL;

	dirs = xstrdup(path != NULL ? path : "/usr/bin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir != NULL;
	    dir = strtok_r(NULL, ":", &save)) {
		xasprintf(&file, "%s/ssh-keygen", dir);
		if (access(file, X_OK) == 0)
			break;
		free(file);
		file = NULL;
	}
	free(dirs);
	return file;
}

/* Run a shell command in dir; its exit status, its output in out. */
static int
run(const char *dir, const char *cmd, struct buf *out)
{
	char	*line, *log;
	int	 status;

	xasprintf(&log, "%s/out", dir);
	xasprintf(&line, "cd '%s' && %s >out 2>&1", dir, cmd);
	status = system(line);
	buf_reset(out);
	assert_int_equal(fsutil_read(log, out), 0);
	free(line);
	free(log);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void
write_file(const char *dir, const char *name, const void *data,
    size_t len)
{
	char	*path = fsutil_join(dir, name);

	assert_int_equal(fsutil_write_atomic(path, data, len, 0), 0);
	free(path);
}

#define PAYLOAD(name, text)	{ name, text, sizeof text - 1 }

static const struct {
	const char	*name;
	const char	*data;
	size_t		 len;
} payload_rows[] = {
	PAYLOAD("empty", ""),
	PAYLOAD("commit", "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
	    "author ferry <ferry@localhost> 1714564800 +0000\n"
	    "committer ferry <ferry@localhost> 1714564800 +0000\n\n"
	    "red cards: add the Korean PDF\n"),
	PAYLOAD("binary", "\0\1\2\r\n\377\376 PDF"),
};

/* One payload signed here: ssh-keygen accepts it, and a changed one not. */
static void
check_with_ssh_keygen(const char *dir, const char *tool,
    const struct sign_seckey *key, const char *name, const char *data,
    size_t len)
{
	struct buf	 sig = BUF_INIT, out = BUF_INIT;
	char		*cmd;

	assert_int_equal(gitsig_sign(key, data, len, &sig), 0);
	write_file(dir, "sig", sig.ptr, sig.len);
	write_file(dir, "payload", data, len);
	xasprintf(&cmd, "'%s' -Y verify -f allowed_signers -I ferry -n git "
	    "-s sig <payload", tool);
	if (run(dir, cmd, &out) != 0 ||
	    strstr(out.ptr, "Good \"git\" signature for ferry") == NULL)
		fail_msg("%s: ssh-keygen -Y verify said: %s", name, out.ptr);
	free(cmd);
	xasprintf(&cmd, "'%s' -Y check-novalidate -n git -s sig <payload",
	    tool);
	if (run(dir, cmd, &out) != 0)
		fail_msg("%s: ssh-keygen -Y check-novalidate said: %s", name,
		    out.ptr);
	write_file(dir, "payload", "x", 1);
	if (run(dir, cmd, &out) == 0)
		fail_msg("%s: ssh-keygen accepted another payload", name);
	free(cmd);
	buf_free(&sig);
	buf_free(&out);
}

/* A new key's signatures are good for ssh-keygen -Y verify, as git asks. */
static void
ssh_keygen_accepts(void **state)
{
	struct sign_seckey	 key;
	struct sign_pubkey	 pub;
	struct buf		 line = BUF_INIT;
	const char		*dir = *state;
	char			*tool;
	size_t			 i;

	if ((tool = find_ssh_keygen()) == NULL)
		fail_msg("ssh-keygen is not on PATH: install openssh-client "
		    "to run this test");
	assert_int_equal(sodium_init() < 0, 0);
	memset(&key, 0, sizeof key);
	memset(&pub, 0, sizeof pub);
	crypto_sign_keypair(pub.pk, key.sk);
	buf_addstr(&line, "ferry namespaces=\"git\" ");
	gitsig_pubkey_line(&pub, "ferry@localhost", &line);
	buf_addc(&line, '\n');
	write_file(dir, "allowed_signers", line.ptr, line.len);
	for (i = 0; i < NROWS(payload_rows); i++) {
		check_with_ssh_keygen(dir, tool, &key, payload_rows[i].name,
		    payload_rows[i].data, payload_rows[i].len);
	}
	sodium_memzero(&key, sizeof key);
	buf_free(&line);
	free(tool);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(verifies_openssh_vectors),
		cmocka_unit_test(refuses_changed_data),
		cmocka_unit_test(reads_armor_forms),
		cmocka_unit_test(signs_like_ssh_keygen),
		cmocka_unit_test(parses_pubkey_lines),
		cmocka_unit_test(refuses_bad_armor),
		cmocka_unit_test(refuses_bad_blobs),
		cmocka_unit_test_setup_teardown(ssh_keygen_accepts,
		    unit_setup_dir, unit_teardown_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
