/*
 * cmd-sync.c -- "ferry sync [SOURCE...]": one pass over each source.
 *
 * Prints one summary line per source; the details are in the commit
 * message ("ferry log" or "git log" in the mirror).  While a pass runs,
 * a terminal shows one progress line, rewritten in place (nothing when
 * stderr is not a terminal); -v lists each resource as it is settled
 * instead, -q prints only errors.  Each resource that fails is named on
 * stderr with the reason, as the commit message names it.
 *
 * A mirror that follows a hub makes a follow pass instead; a mirror that
 * publishes pushes its branch after the passes (publish.c), and a failed
 * push makes the exit status 3, the commits being kept.
 *
 * "ferry sync --now [SOURCE]" does no pass itself: it asks the running
 * ferryd for one, through the daemon's socket in the mirror's private
 * directory, and prints the daemon's answer.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "conf.h"
#include "crawl.h"
#include "err.h"
#include "follow.h"
#include "fsutil.h"
#include "log.h"
#include "store.h"
#include "sync.h"
#include "xmalloc.h"

#define PROGRESS_EVERY	0.1	/* seconds between redraws */
#define DAEMON_ANSWER	1024	/* bytes of the daemon's answer kept */

/* How one pass is shown while it runs. */
struct progress {
	const char	*source;
	int		 line;		/* redraw a line on stderr */
	int		 failures;	/* name each failure on stderr */
	int		 list;		/* one line per resource on stdout */
	double		 started;
	double		 drawn;
	int		 shown;		/* the line is on the screen */
};

static double
now_mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
human(char *out, size_t len, double bytes)
{
	if (bytes >= 1e9)
		snprintf(out, len, "%.1f GB", bytes / 1e9);
	else if (bytes >= 1e6)
		snprintf(out, len, "%.1f MB", bytes / 1e6);
	else
		snprintf(out, len, "%.0f kB", bytes / 1e3);
}

static const char *
outcome_word(enum crawl_outcome o)
{
	switch (o) {
	case CRAWL_FETCHED:	return "fetched";
	case CRAWL_SAME:	return "unchanged";
	case CRAWL_REDIRECT:	return "redirect";
	case CRAWL_FAILED:	return "failed";
	case CRAWL_GONE:	return "gone";
	default:		return "pending";
	}
}

static void
progress_clear(struct progress *pr)
{
	if (pr->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		pr->shown = 0;
	}
}

static void
on_progress(const struct crawl_progress *p, void *arg)
{
	struct progress		*pr = arg;
	const struct crawl_node	*n = p->node;
	double			 now = now_mono(), secs;
	char			 done[32], rate[32];

	if (pr->list) {
		progress_clear(pr);
		printf("%s: %-9s %s%s%s%s%s\n", pr->source,
		    outcome_word(n->outcome), n->url, n->error ? " (" : "",
		    n->error ? n->error : "", n->error && n->has_copy &&
		    n->outcome == CRAWL_FAILED ? ", previous copy kept" : "",
		    n->error ? ")" : "");
		fflush(stdout);
	} else if (pr->failures && (n->outcome == CRAWL_FAILED ||
	    n->outcome == CRAWL_GONE)) {
		progress_clear(pr);
		/* A copy that answers 404/410 may be removed by the pass. */
		fprintf(stderr, "ferry: %s: failed %s (%s%s)\n", pr->source,
		    n->url, n->error ? n->error : "failed", n->has_copy &&
		    n->outcome == CRAWL_FAILED ? ", previous copy kept" : "");
		fflush(stderr);
	}
	if (!pr->line || (now - pr->drawn < PROGRESS_EVERY &&
	    p->done < p->total))
		return;
	secs = now - pr->started;
	human(done, sizeof done, (double)p->bytes);
	human(rate, sizeof rate, secs > 0 ? (double)p->bytes / secs : 0);
	fprintf(stderr, "\r\033[K%s: %d/%d resources, %s, %s/s, %d failed",
	    pr->source, p->done, p->total, done, rate, p->failed);
	fflush(stderr);
	pr->drawn = now;
	pr->shown = 1;
}

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

/* "now [SOURCE]" to the daemon; prints its answer. */
static int
ask_daemon(const struct conf *conf, const char *source, int quiet)
{
	struct buf	 answer = BUF_INIT;
	char		*req, *path = NULL;
	int		 rc = EXIT_FATAL;

	xasprintf(&req, "now%s%s\n", source ? " " : "", source ? source : "");
	if (cmd_ask_daemon(conf->mirror_path, req, DAEMON_ANSWER, &answer,
	    &path) != 0) {
		fprintf(stderr, "ferry: cannot reach ferryd at '%s': %s (is "
		    "ferryd running for '%s'?)\n", path, strerror(errno),
		    conf->file);
		goto out;
	}
	if (strncmp(buf_cstr(&answer), "ok: ", 4) == 0) {
		if (!quiet)
			printf("ferryd: %s", answer.ptr + 4);
		rc = EXIT_OK;
	} else if (strncmp(buf_cstr(&answer), "error: ", 7) == 0) {
		fprintf(stderr, "ferry: ferryd: %s", answer.ptr + 7);
		rc = strstr(answer.ptr, "no source") ? EXIT_USAGE : EXIT_FATAL;
	} else
		fprintf(stderr, "ferry: ferryd gave no answer\n");
out:
	free(req);
	free(path);
	buf_free(&answer);
	return rc;
}

/* One follow pass, told in one line. */
static int
follow_pass(const struct conf *conf, int quiet)
{
	struct follow_result	r;

	if (follow_run(conf, &r) != 0) {
		fprintf(stderr, "ferry: follow: %s\n", err_msg());
		return EXIT_FATAL;
	}
	if (quiet)
		return EXIT_OK;
	if (r.head[0] == '\0')
		printf("follow: up to date with the hub at %.12s\n", r.tip);
	else
		printf("follow: %ld new commit%s of the hub (%.12s)%s; "
		    "commit %.12s\n", r.commits, r.commits == 1 ? "" : "s",
		    r.tip, r.merged ? ", local files kept" : "", r.head);
	return EXIT_OK;
}

static int
cmd_sync_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "now", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct conf			*conf = NULL;
	const struct conf_source	*src;
	struct sync_stats		 st;
	struct progress			 pr;
	size_t				 i;
	int				 j, rc = EXIT_OK, failed = 0, rc_one;
	int				 ch, now = 0;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'n') {
			cmd_usage(&cmd_sync_entry);
			return EXIT_USAGE;
		}
		now = 1;
	}
	if (now && argc - optind > 1) {
		cmd_usage(&cmd_sync_entry);
		return EXIT_USAGE;
	}
	if (cmd_load_conf(ctx, &conf) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		return EXIT_USAGE;
	}
	store_set_fsync(conf->fsync);
	if (conf->follow != NULL && !now) {
		rc = follow_pass(conf, ctx->quiet);
		goto out;
	}
	if (conf->nsources == 0 && conf->follow == NULL) {
		fprintf(stderr, "ferry: '%s' has no source to sync: this "
		    "mirror takes in sticks ('ferry import DIR')\n",
		    conf->file);
		conf_free(conf);
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
	if (now) {
		rc = ask_daemon(conf, optind < argc ? argv[optind] : NULL,
		    ctx->quiet);
		conf_free(conf);
		return rc;
	}
	for (i = 0; i < conf->nsources; i++) {
		src = &conf->sources[i];
		for (j = optind; j < argc; j++)
			if (strcmp(argv[j], src->name) == 0)
				break;
		if (optind < argc && j == argc)
			continue;
		memset(&pr, 0, sizeof pr);
		pr.source = src->name;
		pr.list = !ctx->quiet && ctx->verbose > 0;
		pr.line = !ctx->quiet && !pr.list && isatty(STDERR_FILENO);
		pr.failures = !ctx->quiet;
		pr.started = now_mono();
		rc_one = sync_source(conf, src, ctx->quiet ? NULL :
		    on_progress, &pr, &st);
		progress_clear(&pr);
		if (rc_one != 0) {
			fprintf(stderr, "ferry: %s: %s\n", src->name,
			    err_msg());
			rc = EXIT_FATAL;
			continue;
		}
		if (!ctx->quiet)
			summary(src, &st);
		failed += st.failed;
	}
	if (rc == EXIT_OK && failed > 0)
		rc = EXIT_PARTIAL;
out:
	if (cmd_publish(conf, ctx->quiet, 0) < 0 && rc == EXIT_OK)
		rc = EXIT_PARTIAL;
	conf_free(conf);
	return rc;
}

const struct cmd_entry cmd_sync_entry = {
	.name = "sync",
	.usage = "[source ...] | --now [source]",
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
	    "failed (see the commit\nmessage or the output).\n\n"
	    "On a terminal a progress line shows resources done and known, "
	    "bytes, rate\nand failures; -v lists each resource instead, "
	    "-q prints only errors.\n\n"
	    "With --now, no pass is made here: the running ferryd is asked "
	    "for an\nimmediate pass of the source (of every source when none "
	    "is named),\nthrough its socket in the mirror; it answers at once "
	    "and the pass\nfollows, after the one in progress if any.",
	.exec = cmd_sync_exec,
};
