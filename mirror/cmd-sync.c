/*
 * cmd-sync.c -- "ferry sync [SOURCE...]": one pass over each source.
 *
 * Prints one summary line per source; the details are in the commit
 * message ("ferry log" or "git log" in the mirror).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "conf.h"
#include "err.h"
#include "log.h"
#include "sync.h"

static void
summary(const struct conf_source *src, const struct sync_stats *st)
{
	printf("%s: %d resources, %d added, %d updated, %d removed, "
	    "%d failed; %lld requests, %.1f MB in %.1f s; %s%.12s\n",
	    src->name, st->resources, st->added, st->updated, st->removed,
	    st->failed, (long long)st->requests, (double)st->bytes / 1e6,
	    st->seconds, st->commit[0] ? "commit " : "no change",
	    st->commit);
}

static int
cmd_sync_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct conf			*conf = NULL;
	const struct conf_source	*src;
	struct sync_stats		 st;
	size_t				 i;
	int				 j, rc = EXIT_OK, failed = 0;

	if (getopt(argc, argv, "") != -1) {
		cmd_usage(&cmd_sync_entry);
		return EXIT_USAGE;
	}
	if (cmd_load_conf(ctx, &conf) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		return EXIT_USAGE;
	}
	for (j = optind; j < argc; j++) {
		if (conf_source(conf, argv[j]) == NULL) {
			fprintf(stderr, "ferry: no source '%s' in '%s' (see "
			    "'ferry check')\n", argv[j], conf->file);
			conf_free(conf);
			return EXIT_USAGE;
		}
	}
	for (i = 0; i < conf->nsources; i++) {
		src = &conf->sources[i];
		for (j = optind; j < argc; j++)
			if (strcmp(argv[j], src->name) == 0)
				break;
		if (optind < argc && j == argc)
			continue;
		if (sync_source(conf, src, &st) != 0) {
			fprintf(stderr, "ferry: %s: %s\n", src->name,
			    err_msg());
			rc = EXIT_FATAL;
			continue;
		}
		if (!ctx->quiet)
			summary(src, &st);
		failed += st.failed;
	}
	conf_free(conf);
	if (rc == EXIT_OK && failed > 0)
		rc = EXIT_PARTIAL;
	return rc;
}

const struct cmd_entry cmd_sync_entry = {
	.name = "sync",
	.usage = "[source ...]",
	.summary = "bring the mirror up to date with the sources",
	.help = "Mirrors each configured source (or only those named): the "
	    "source page, the\npages it links on its own host up to "
	    "source.NAME.depth hops, and the\ndocuments and page requisites "
	    "they link on that host or on the hosts in\nsource.NAME.allow. "
	    "Every resource is requested conditionally; a pass that\nchanged "
	    "something makes one commit whose message lists each change and\n"
	    "failure, a pass that changed nothing makes none.  A failed "
	    "fetch never\nreplaces a good copy.\n\n"
	    "Exit status: 0 all went well, 1 a source could not be synced, "
	    "2 usage or\nconfiguration error, 3 finished but some resources "
	    "failed (see the commit\nmessage or the output).",
	.exec = cmd_sync_exec,
};
