/*
 * cmd-keygen.c -- "ferry keygen": the key pair that signs exports.
 *
 * Makes a new Ed25519 key pair in minisign's formats (sign.c writes the
 * files) and says how to pin the public key at a receiving site.  It
 * needs no configuration and touches no mirror; it never replaces a key
 * unless told to, since every site that pinned the old one would refuse
 * the next stick.
 */
#include "config.h"

#include <sys/stat.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "err.h"
#include "gitsig.h"
#include "sign.h"
#include "xmalloc.h"

/* SECFILE with ".key" replaced by ".pub", else SECFILE + ".pub". */
static char *
default_pubfile(const char *secfile)
{
	size_t	len = strlen(secfile);
	char	*s;

	if (len > 4 && strcmp(secfile + len - 4, ".key") == 0 &&
	    secfile[len - 5] != '/') {
		xasprintf(&s, "%.*s.pub", (int)(len - 4), secfile);
		return s;
	}
	xasprintf(&s, "%s.pub", secfile);
	return s;
}

static int
exists(const char *path)
{
	struct stat	st;

	return lstat(path, &st) == 0;
}

static void
print_result(const char *secfile, const char *pubfile,
    const struct sign_pubkey *pub)
{
	struct buf	b = BUF_INIT;
	char		hex[SIGN_KEYID_HEXLEN + 1];

	sign_keyid_hex(pub->id, hex);
	sign_pubkey_base64(pub, &b);
	if (secfile != NULL)
		printf("secret key: %s (keep it private: it signs every "
		    "export)\n", secfile);
	printf("public key: %s\n"
	    "key id:     %s\n"
	    "Pin it at each receiving site or follower, in its ferry.conf:\n"
	    "  [import]\n"
	    "  \ttrusted-key = %s\n", pubfile, hex, buf_cstr(&b));
	buf_reset(&b);
	gitsig_pubkey_line(pub, "ferry", &b);
	printf("Commits signed with it ([publish] sign-key) pass 'git "
	    "verify-commit' with\ngpg.format=ssh and this line in "
	    "gpg.ssh.allowedSignersFile:\n"
	    "  ferry namespaces=\"git\" %s\n", buf_cstr(&b));
	buf_free(&b);
}

/* -s: what an existing public key is, and how to pin it. */
static int
show(const char *pubfile)
{
	struct sign_pubkey	pub;

	if (sign_load_pubkey(pubfile, &pub) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		return EXIT_FATAL;
	}
	print_result(NULL, pubfile, &pub);
	return EXIT_OK;
}

static int
cmd_keygen_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct sign_pubkey	 pub;
	const char		*secfile, *pubfile = NULL;
	char			*defpub = NULL;
	int			 ch, force = 0, rc = EXIT_FATAL, only_show = 0;

	(void)ctx;
	while ((ch = getopt(argc, argv, "fp:s")) != -1) {
		switch (ch) {
		case 'f':
			force = 1;
			break;
		case 's':
			only_show = 1;
			break;
		case 'p':
			pubfile = optarg;
			break;
		default:
			cmd_usage(&cmd_keygen_entry);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || *argv[optind] == '\0' ||
	    (pubfile != NULL && *pubfile == '\0')) {
		cmd_usage(&cmd_keygen_entry);
		return EXIT_USAGE;
	}
	if (only_show && !force && pubfile == NULL)
		return show(argv[optind]);
	if (only_show) {
		cmd_usage(&cmd_keygen_entry);
		return EXIT_USAGE;
	}
	secfile = argv[optind];
	if (pubfile == NULL)
		pubfile = defpub = default_pubfile(secfile);
	if (strcmp(secfile, pubfile) == 0) {
		fprintf(stderr, "ferry: the secret and the public key cannot "
		    "both be written to '%s'\n", secfile);
		rc = EXIT_USAGE;
		goto out;
	}
	if (sign_keygen(secfile, pubfile, force, &pub) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		if (!force && (exists(secfile) || exists(pubfile)))
			fprintf(stderr, "ferry: -f replaces it; every "
			    "receiving site must then pin the new public "
			    "key\n");
		goto out;
	}
	print_result(secfile, pubfile, &pub);
	rc = EXIT_OK;
out:
	free(defpub);
	return rc;
}

const struct cmd_entry cmd_keygen_entry = {
	.name = "keygen",
	.usage = "[-f] [-p pubfile] secfile | -s pubfile",
	.summary = "make the key pair that signs exports",
	.help = "Writes a new Ed25519 key pair in minisign's formats: the "
	    "secret key to\nSECFILE and the public key to PUBFILE (default: "
	    "SECFILE with \".key\"\nreplaced by \".pub\", else SECFILE "
	    "followed by \".pub\"), then prints the key\nid, the line that "
	    "pins the key at a receiving site or a follower\n([import] "
	    "trusted-key in its ferry.conf), and the allowed-signers line\n"
	    "with which plain git checks the commits it signs ([publish] "
	    "sign-key).  An existing file is never replaced\nwithout -f: "
	    "every site that pinned the old key would refuse the next\n"
	    "export.\n\n"
	    "The secret key is written without a password, so that exports "
	    "can run\nunattended (a stick plugged in at night); whoever can "
	    "read the file can\nsign exports.  It is written with mode 0600 "
	    "(owner only): keep it so, on\nthe exporting machine only, and "
	    "never copy it to a stick.  'minisign -S\n-s SECFILE' signs with "
	    "it too.\n\n"
	    "  -f          replace existing key files\n"
	    "  -p pubfile  where to write the public key\n"
	    "  -s pubfile  write nothing: show an existing public key's id "
	    "and lines\n\n"
	    "Exit status: 0 written, 1 the files could not be written, 2 bad "
	    "usage.",
	.exec = cmd_keygen_exec,
};
