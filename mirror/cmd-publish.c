/*
 * cmd-publish.c -- "ferry publish": push the mirror's branch now.
 *
 * Pushes HEAD to each [publish] remote, as every pass does after it
 * commits (cmd_publish is that step, for "ferry sync" too); for an
 * administrator who fixed a remote or its credentials, or made one anew,
 * and does not want to wait for the next pass.  A pass skips a remote
 * known to have HEAD; this command asks each one again.  What each remote has is shown by
 * "ferry status".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "conf.h"
#include "err.h"
#include "publish.h"

/*
 * HEAD pushed to each [publish] remote that lacks it (with all, to each
 * remote): how many pushes were made, or -1 when one failed (said on
 * stderr; the commits stay, and the next pass tries again).
 */
int
cmd_publish(const struct conf *conf, int quiet, int all)
{
	int	pushed, failed, rc;

	rc = publish_run(conf, all, &pushed, &failed);
	if (rc != 0)
		fprintf(stderr, "ferry: publish: %d of %zu remote%s failed "
		    "(the commits are kept and pushed again after the next "
		    "pass): %s\n", failed, conf->npublish,
		    conf->npublish == 1 ? "" : "s", err_msg());
	else if (!quiet && all)
		printf("publish: every remote has the mirror's branch (%d)\n",
		    pushed);
	else if (!quiet && pushed > 0)
		printf("publish: pushed to %d remote%s\n", pushed,
		    pushed == 1 ? "" : "s");
	return rc != 0 ? -1 : pushed;
}

static int
cmd_publish_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct conf	*conf = NULL;
	int		 rc;

	if (getopt(argc, argv, "") != -1 || optind != argc) {
		cmd_usage(&cmd_publish_entry);
		return EXIT_USAGE;
	}
	if (cmd_load_conf(ctx, &conf) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		return EXIT_USAGE;
	}
	if (conf->npublish == 0) {
		fprintf(stderr, "ferry: '%s' has no [publish] remote (add "
		    "'remote = URL' under [publish])\n", conf->file);
		conf_free(conf);
		return EXIT_USAGE;
	}
	rc = cmd_publish(conf, ctx->quiet, 1);
	rc = rc < 0 ? EXIT_FATAL : EXIT_OK;
	conf_free(conf);
	return rc;
}

const struct cmd_entry cmd_publish_entry = {
	.name = "publish",
	.usage = "",
	.summary = "push the mirror's branch to its [publish] remotes now",
	.help = "Pushes the mirror's branch to each [publish] remote, as "
	    "every pass does\nafter it commits (a pass skips the remotes "
	    "known to have HEAD; this\nasks each one again).  Pushes only\n"
	    "fast-forward: a remote whose branch has "
	    "commits this mirror lacks refuses,\nand is reported.  "
	    "Credentials come from [credentials]; they are never\nprinted.  "
	    "'ferry status' shows what each remote has.\n\n"
	    "Exit status: 0 every remote has the branch, 1 a push failed, "
	    "2 usage or\nconfiguration error.",
	.exec = cmd_publish_exec,
};
