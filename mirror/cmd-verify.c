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
#include <string.h>

#include "cmd.h"
#include "conf.h"
#include "err.h"
#include "store.h"
#include "verify.h"

static void
print_problem(const char *what, const char *expected, const char *found,
    void *arg)
{
	(void)arg;
	printf("%s: expected %s, found %s\n", what, expected, found);
	fflush(stdout);
}

static int
cmd_verify_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct conf		*conf = NULL;
	struct store		*store = NULL;
	struct verify_stats	 st;
	int			 rc;

	if (getopt(argc, argv, "") != -1 || optind != argc) {
		cmd_usage(&cmd_verify_entry);
		return EXIT_USAGE;
	}
	if ((rc = cmd_open_mirror(ctx, &conf, &store, 1)) != EXIT_OK)
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
	.usage = "",
	.summary = "check every object, the working tree and the index",
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
	    "is restored by the next\n'ferry sync'.",
	.exec = cmd_verify_exec,
};
