/*
 * cmd-gc.c -- "ferry gc": pack the mirror's objects.
 *
 * Every object reachable from the branch, HEAD, their reflogs and git's
 * index goes into one new pack, which replaces the older packs; the loose
 * copies go, and so do the loose objects nothing reaches (the downloads
 * of passes that were killed before their commit).  The packing is
 * store.c's, with libgit2's packbuilder rather than git(1): ferry must
 * not need git installed to keep its mirror, the packbuilder writes a
 * pack and index that git reads, and it runs under ferry's lock and
 * fsync setting like every other write.  A pass packs by itself once
 * mirror.gc-threshold loose objects have piled up; this command is for
 * doing it now, and for consolidating the packs those leave.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>

#include "cmd.h"
#include "conf.h"
#include "err.h"
#include "store.h"

static int
cmd_gc_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct conf		*conf = NULL;
	struct store		*store = NULL;
	struct store_packed	 p;
	char			 head[STORE_OIDLEN + 1], b0[32], b1[32];
	int			 rc;

	if (getopt(argc, argv, "") != -1 || optind != argc) {
		cmd_usage(&cmd_gc_entry);
		return EXIT_USAGE;
	}
	if ((rc = cmd_open_mirror(ctx, &conf, &store, CMD_LOCK)) != EXIT_OK)
		return rc;
	if (store_head(store, head) != 0) {
		fprintf(stderr, "ferry: %s: nothing to pack\n", err_msg());
		rc = EXIT_FATAL;
		goto out;
	}
	if (store_pack(store, STORE_PACK_ALL, &p) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		rc = EXIT_FATAL;
		goto out;
	}
	cmd_human(b0, sizeof b0, p.bytes_before);
	cmd_human(b1, sizeof b1, p.bytes_after);
	if (!ctx->quiet)
		printf("%s: %zu objects in one pack; removed %zu loose "
		    "objects and %zu older pack%s; %s -> %s\n",
		    store_root(store), p.objects, p.loose_removed,
		    p.packs_removed, p.packs_removed == 1 ? "" : "s", b0, b1);
	rc = EXIT_OK;
out:
	store_close(store);
	conf_free(conf);
	return rc;
}

const struct cmd_entry cmd_gc_entry = {
	.name = "gc",
	.usage = "",
	.summary = "pack the mirror's objects into one pack",
	.help = "Writes every object the mirror's history reaches into one "
	    "pack, then\nremoves the older packs, the loose copies and the "
	    "loose objects nothing\nreaches (what passes killed before their "
	    "commit left).  The new pack is\nwritten and synced before "
	    "anything is removed.  A pass packs by itself once\n"
	    "mirror.gc-threshold loose objects (default 1000) have piled up."
	    "\n\nExit status: 0 packed, 1 the mirror could not be packed "
	    "(it is as it was).",
	.exec = cmd_gc_exec,
};
