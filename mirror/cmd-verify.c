/*
 * cmd-verify.c -- "ferry verify": is the mirror what its history says?
 *
 * Prints one line per problem ("WHAT: expected X, found Y") and a verdict;
 * the checks themselves are verify.c's.  The mirror is locked while it is
 * checked, so a pass never changes it under the check.  It repairs
 * nothing: the next "ferry sync" restores a working tree that differs
 * from HEAD, and a damaged object needs a copy of the mirror.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "conf.h"
#include "err.h"
#include "export.h"
#include "sign.h"
#include "store.h"
#include "utc.h"
#include "verify.h"

static void
print_problem(const char *what, const char *expected, const char *found,
    void *arg)
{
	(void)arg;
	printf("%s: expected %s, found %s\n", what, expected, found);
	fflush(stdout);
}

static void
print_stick_problem(const char *what, const char *detail, void *arg)
{
	(void)arg;
	printf("%s: %s\n", what, detail);
	fflush(stdout);
}

/* The key a stick is checked with: --key, else [import] trusted-key. */
static int
stick_key(struct cmd_ctx *ctx, const char *key, struct sign_pubkey *pk,
    int *have)
{
	struct conf	*conf = NULL;
	int		 rc;

	*have = 0;
	if (key != NULL) {
		rc = access(key, F_OK) == 0 ? sign_load_pubkey(key, pk) :
		    sign_parse_pubkey(key, pk);
		*have = rc == 0;
		return rc;
	}
	if (ctx->conf_file == NULL && getenv("FERRY_CONF") == NULL)
		return 0;
	if (cmd_load_conf(ctx, &conf) != 0)
		return -1;
	rc = 0;
	if (conf->trusted_key != NULL) {
		rc = export_trusted_key(conf, pk);
		*have = rc == 0;
	}
	conf_free(conf);
	return rc;
}

static void
stick_verdict(const char *dir, const struct export_check *c)
{
	char	size[32], t1[UTC_LEN + 1], t2[UTC_LEN + 1];

	if (c->problems > 0 && c->incomplete) {
		printf("%s: incomplete: the last export to it did not finish "
		    "(export to it again)\n", dir);
		return;
	}
	if (c->problems > 0) {
		printf("%s: NOT valid: %zu problem%s found\n", dir,
		    c->problems, c->problems == 1 ? "" : "s");
		return;
	}
	cmd_human(size, sizeof size, c->bytes);
	utc_format(c->m.exported, t1);
	utc_format(c->m.expires, t2);
	printf("%s: complete, signed by key %s, exported %.10s, valid until "
	    "%.10s\n  %zu files, %s, all as listed; commit %.12s, sequence "
	    "%llu\n", dir, c->keyid, t1, t2, c->files, size, c->m.commit,
	    (unsigned long long)c->m.sequence);
	if (!c->key_pinned)
		printf("  the key is the one the stick carries (ferry.pub): "
		    "compare its id with\n  the one you were given, or pin "
		    "it ([import] trusted-key, or --key)\n");
}

/* "ferry verify DIR": a stick, with no mirror needed. */
static int
verify_stick(struct cmd_ctx *ctx, const char *dir, const char *key)
{
	struct sign_pubkey	pk;
	struct export_check	c;
	int			have, rc;

	if (stick_key(ctx, key, &pk, &have) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		return EXIT_USAGE;
	}
	if (export_verify(dir, have ? &pk : NULL, print_stick_problem, NULL,
	    &c) != 0) {
		fprintf(stderr, "ferry: cannot verify '%s': %s\n", dir,
		    err_msg());
		export_check_free(&c);
		return EXIT_FATAL;
	}
	stick_verdict(dir, &c);
	rc = c.problems == 0 ? EXIT_OK : EXIT_FATAL;
	export_check_free(&c);
	return rc;
}

static int
cmd_verify_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	struct conf		*conf = NULL;
	struct store		*store = NULL;
	struct verify_stats	 st;
	const char		*key = NULL;
	int			 ch, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'k') {
			cmd_usage(&cmd_verify_entry);
			return EXIT_USAGE;
		}
		key = optarg;
	}
	if (optind + 1 == argc)
		return verify_stick(ctx, argv[optind], key);
	if (optind != argc || key != NULL) {
		cmd_usage(&cmd_verify_entry);
		return EXIT_USAGE;
	}
	if ((rc = cmd_open_mirror(ctx, &conf, &store, CMD_LOCK)) != EXIT_OK)
		return rc;
	if (verify_mirror(store, print_problem, NULL, &st) != 0) {
		fprintf(stderr, "ferry: cannot verify mirror '%s': %s\n",
		    store_root(store), err_msg());
		rc = EXIT_FATAL;
	} else {
		printf("%s: %zu commit%s, %zu objects re-hashed, %zu files "
		    "and %zu index entries compared: ", store_root(store),
		    st.commits, st.commits == 1 ? "" : "s", st.objects,
		    st.files, st.entries);
		if (st.problems == 0)
			printf("no problem found\n");
		else
			printf("%zu problem%s found\n", st.problems,
			    st.problems == 1 ? "" : "s");
		rc = st.problems == 0 ? EXIT_OK : EXIT_FATAL;
	}
	store_close(store);
	conf_free(conf);
	return rc;
}

const struct cmd_entry cmd_verify_entry = {
	.name = "verify",
	.usage = "[[--key KEY] DIR]",
	.summary = "check the mirror, or a stick made by 'ferry export'",
	.help = "Reads every object reachable from HEAD (each commit, tree "
	    "and file of the\nwhole history) and hashes it again; compares "
	    "the working tree with HEAD\nfor everything ferry writes there "
	    "(site/, text/, index.html, search.js,\nindex.json, README.txt), "
	    "and compares index.json with HEAD's tree: every\nlisted copy is "
	    "there, each document with the SHA-256 and size listed, and\n"
	    "every copy is listed.  Each problem is printed as \"WHAT: "
	    "expected X,\nfound Y\", then a verdict.\n\n"
	    "Exit status: 0 no problem found, 1 problems found or the mirror "
	    "could not\nbe checked.  A working tree that differs from HEAD "
	    "is restored by the next\n'ferry sync'.\n\n"
	    "With DIR, checks a stick instead (no mirror needed; it only "
	    "reads, so a\nread-only mount will do): MANIFEST's signature, "
	    "every file's size and\nSHA-256, files added, the expiry, and "
	    "whether the last export finished.\nThe key is --key (a public "
	    "key 'RW...' or a .pub file), else [import]\ntrusted-key of the "
	    "configuration given with -c or $FERRY_CONF, else\nthe key the "
	    "stick carries (said so: compare its id).  Exit status: 0\n"
	    "complete and valid, 1 incomplete, changed, expired or "
	    "unreadable.",
	.exec = cmd_verify_exec,
};
