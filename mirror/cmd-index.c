/*
 * cmd-index.c -- "ferry index": regenerate the index after a local edit.
 *
 * Rebuilds index.html, search.js, index.json and README.txt from what the
 * passes recorded and from the administrators' files in the working tree
 * (catalog.conf and everything under local/), fetching nothing, and
 * commits the edits as "edit: ...", then pushes to the [publish] remotes
 * as a pass does.  The author is mirror.author, or the user running the
 * command when the configuration names none.  The work
 * itself is sync_index()'s, which the daemon calls after an edit too;
 * this file only chooses the author and prints the outcome.
 */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "conf.h"
#include "err.h"
#include "sync.h"
#include "xmalloc.h"

/* What conf.c fills in when mirror.author is not set. */
#define UNSET_NAME	"ferry"
#define UNSET_EMAIL	"ferry@localhost"

/*
 * The user running the command, as git would guess it: the full name from
 * the password database (else the login) and login@host.  Left alone when
 * the configuration names an author or the user is unknown.
 */
static void
invoking_user(struct conf *conf)
{
	struct passwd	*pw;

	if (strcmp(conf->author_name, UNSET_NAME) != 0 ||
	    strcmp(conf->author_email, UNSET_EMAIL) != 0 ||
	    (pw = getpwuid(getuid())) == NULL || pw->pw_name == NULL ||
	    *pw->pw_name == '\0')
		return;
	conf_author_user(conf, pw);
}

static int
cmd_index_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct conf		*conf = NULL;
	struct sync_stats	 st;
	int			 rc;

	if (getopt(argc, argv, "") != -1 || optind != argc) {
		cmd_usage(&cmd_index_entry);
		return EXIT_USAGE;
	}
	if (cmd_load_conf(ctx, &conf) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		return EXIT_USAGE;
	}
	invoking_user(conf);
	if (sync_index(conf, &st) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		conf_free(conf);
		return EXIT_FATAL;
	}
	if (!ctx->quiet) {
		printf("index: %d local %s", st.resources,
		    st.resources == 1 ? "file" : "files");
		if (st.failed > 0)
			printf(", %d refused", st.failed);
		if (st.commit[0] != '\0')
			printf("; %d added, %d updated, %d removed; commit "
			    "%.12s\n", st.added, st.updated, st.removed,
			    st.commit);
		else
			printf("; no change\n");
	}
	rc = st.failed > 0 ? EXIT_PARTIAL : EXIT_OK;
	if (cmd_publish(conf, ctx->quiet, 0) < 0 && rc == EXIT_OK)
		rc = EXIT_PARTIAL;
	conf_free(conf);
	return rc;
}

const struct cmd_entry cmd_index_entry = {
	.name = "index",
	.usage = "",
	.summary = "regenerate the index after a local edit",
	.help = "Regenerates index.html, search.js, index.json and README.txt "
	    "from what the\nlast passes recorded and from the files the "
	    "administrators keep in the\nmirror: catalog.conf and every file "
	    "under local/ (listed in the index\nunder \"Added by this site\"). "
	    "Nothing is fetched.  When anything changed,\none commit \"edit: "
	    "...\" lists the files added, updated or removed; its\nauthor is "
	    "mirror.author, else the user running the command.  Then the\n"
	    "branch is pushed to the [publish] remotes that lack it.\n\n"
	    "Symbolic links, special files and names a FAT32, exFAT or NTFS "
	    "stick\ncannot hold are refused under local/, each with a "
	    "message; hidden files\n(.name) are skipped.\n\n"
	    "Exit status: 0 done, 1 the mirror could not be written, 2 usage "
	    "or\nconfiguration error, 3 done but some files were refused or a "
	    "push failed.",
	.exec = cmd_index_exec,
};
