/*
 * cmd-status.c -- "ferry status": how the mirror stands.
 *
 * Per configured source: when its last pass ran and whether it changed
 * anything (from the state, which every completed pass saves), the counts
 * of its last commit (from the Ferry-* trailers), the resources failing
 * and since when, the resources withdrawn upstream whose copy is kept;
 * then the store's size on disk against the raw size of what it holds.
 * --json prints the same as one document whose schema README.md
 * describes.  It reads only; it takes no lock.  Last, the text says
 * whether ferryd runs for this mirror and, if so, what it is doing and
 * when each source's next pass is due, as the daemon answers on its
 * socket.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "conf.h"
#include "err.h"
#include "follow.h"
#include "fsutil.h"
#include "history.h"
#include "publish.h"
#include "state.h"
#include "store.h"
#include "xmalloc.h"

#define STATUS_FORMAT_VERSION	1
#define DAEMON_ANSWER	8192		/* bytes of its answer kept */

/* What one source's records and last commit say. */
struct source_status {
	const struct conf_source *src;
	int64_t			  last_pass;	/* 0: never */
	size_t			  copies;
	size_t			  failing;
	size_t			  withdrawn;
	struct history_pass	  commit;	/* "" commit: none */
	size_t			  counts[4];	/* as verbs[] */
};

static const char *const verbs[] = { "updated", "added", "removed", "failed" };

static int
is_withdrawn(const struct state_entry *e)
{
	return e->path != NULL && (e->status == 404 || e->status == 410);
}

static void
tally(struct source_status *ss, struct state_entry **ev, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		const struct state_entry *e = ev[i];

		if (e->source == NULL || strcmp(e->source, ss->src->name) != 0)
			continue;
		if (e->checked > ss->last_pass)
			ss->last_pass = e->checked;
		if (e->path != NULL)
			ss->copies++;
		if (e->fails > 0)
			ss->failing++;
		if (is_withdrawn(e))
			ss->withdrawn++;
	}
}

/* The newest commit of each source, in one walk back. */
static int
last_commits(struct store *s, struct source_status *ss, size_t n)
{
	struct history		*h = NULL;
	struct history_pass	 p;
	size_t			 i, j, found = 0;
	int			 rc;

	if ((rc = history_open(s, "HEAD", &h)) != 0)
		return rc;
	while (found < n && (rc = history_next(h, &p)) == 0) {
		for (i = 0; i < n && p.source != NULL; i++) {
			if (ss[i].commit.commit[0] != '\0' ||
			    strcmp(p.source, ss[i].src->name) != 0)
				continue;
			for (j = 0; j < p.nchanges; j++) {
				size_t k;

				for (k = 0; k < 4; k++)
					if (strcmp(p.changes[j].verb,
					    verbs[k]) == 0)
						ss[i].counts[k]++;
			}
			ss[i].commit = p;
			memset(&p, 0, sizeof p);
			found++;
			break;
		}
		history_pass_clear(&p);
	}
	history_close(h);
	return rc == FERRY_ENOTFOUND ? 0 : rc;
}

static const char *
outcome(const struct source_status *ss)
{
	if (ss->last_pass == 0)
		return "never";
	if (ss->commit.commit[0] != '\0' &&
	    ss->commit.started == ss->last_pass)
		return "changed";
	return "unchanged";
}

static void
print_text(struct store *s, const char *head, size_t ncommits,
    struct source_status *ss, size_t nss, struct state_entry **ev,
    size_t nev, const struct store_usage *u, const struct history_sizes *hs)
{
	char	d[32], b0[32], b1[32], b2[32];
	size_t	i, j;

	printf("mirror %s: commit %.12s, %zu commit%s\n", store_root(s), head,
	    ncommits, ncommits == 1 ? "" : "s");
	for (i = 0; i < nss; i++) {
		const struct source_status *x = &ss[i];

		if (x->last_pass == 0) {
			printf("%s: never synced\n", x->src->name);
			continue;
		}
		cmd_local_time(d, sizeof d, x->last_pass);
		printf("%s: last pass %s, %s; %zu cop%s kept, %zu failing, "
		    "%zu withdrawn upstream\n", x->src->name, d,
		    strcmp(outcome(x), "changed") == 0 ? "changed the mirror" :
		    "no change", x->copies, x->copies == 1 ? "y" : "ies",
		    x->failing, x->withdrawn);
		if (x->commit.commit[0] != '\0') {
			cmd_local_time(d, sizeof d, x->commit.started ?
			    x->commit.started : x->commit.time);
			cmd_human(b0, sizeof b0, x->commit.bytes);
			printf("  last change %s: %s (commit %.12s",
			    d, x->commit.subject, x->commit.commit);
			if (x->commit.requests >= 0)
				printf(", %" PRId64 " requests, %s",
				    x->commit.requests, b0);
			printf(")\n");
		}
		for (j = 0; j < nev; j++) {
			const struct state_entry *e = ev[j];

			if (e->source == NULL ||
			    strcmp(e->source, x->src->name) != 0)
				continue;
			if (e->fails > 0 && !is_withdrawn(e)) {
				cmd_local_time(d, sizeof d, e->failing_since);
				printf("  failing since %s (%d pass%s): %s "
				    "(%s%s)\n", d, e->fails, e->fails == 1 ?
				    "" : "es", e->url, e->error ? e->error :
				    "failed", e->path ? ", copy kept" : "");
			} else if (is_withdrawn(e)) {
				cmd_local_time(d, sizeof d, e->failing_since);
				printf("  withdrawn since %s (%d): %s, copy "
				    "kept in %s\n", d, e->status, e->url,
				    e->path);
			}
		}
	}
	cmd_human(b0, sizeof b0, u->loose_bytes + u->pack_bytes);
	cmd_human(b1, sizeof b1, hs->head_bytes);
	cmd_human(b2, sizeof b2, hs->all_bytes);
	printf("store: %s on disk (%zu loose object%s, %zu pack%s) for %s "
	    "in %zu files at HEAD and %s in all %zu versions kept: %.0f%% of "
	    "the raw size\n", b0, u->loose, u->loose == 1 ? "" : "s",
	    u->packs, u->packs == 1 ? "" : "s", b1, hs->head_files, b2,
	    hs->all_blobs, hs->all_bytes > 0 ? 100.0 *
	    (double)(u->loose_bytes + u->pack_bytes) / (double)hs->all_bytes :
	    0.0);
}

/*
 * What ferryd says of itself, in lines: "running, pid N: STATUS", then a
 * line per source.  No line when nobody listens.
 */
static void
ask_daemon(struct store *s, struct buf *answer)
{
	char	*path = NULL;

	if (cmd_ask_daemon(store_root(s), "status\n", DAEMON_ANSWER, answer,
	    &path) != 0 || answer->len == 0 ||
	    strncmp(answer->ptr, "running", 7) != 0)
		buf_reset(answer);
	free(path);
}

/* "daemon: running, pid N: ...", then its lines; or "not running". */
static void
print_daemon(struct store *s)
{
	struct buf	 answer = BUF_INIT;
	char		*line, *nl;

	ask_daemon(s, &answer);
	if (answer.len == 0)
		printf("daemon: not running\n");
	for (line = answer.ptr; line != NULL && *line != '\0'; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		printf("%s%s\n", line == answer.ptr ? "daemon: " : "  ", line);
	}
	buf_free(&answer);
}

/* The same as JSON: {"running": ..., "status": ..., "sources": [...]}. */
static void
json_daemon(struct store *s, struct buf *b)
{
	struct buf	 answer = BUF_INIT;
	char		*line, *nl, *st;
	int		 first = 1;

	ask_daemon(s, &answer);
	if (answer.len == 0) {
		buf_addstr(b, "  \"daemon\": {\"running\": false, "
		    "\"status\": null, \"sources\": []}\n");
		buf_free(&answer);
		return;
	}
	buf_addstr(b, "  \"daemon\": {\"running\": true, \"status\": ");
	for (line = answer.ptr; line != NULL && *line != '\0'; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		if (line == answer.ptr) {
			/* "running, pid N: STATUS" */
			if ((st = strchr(line, ':')) == NULL)
				st = line;
			else
				st += strspn(st + 1, " ") + 1;
			cmd_json_str(b, st);
			buf_addstr(b, ", \"sources\": [");
			continue;
		}
		buf_addstr(b, first ? "" : ", ");
		cmd_json_str(b, line);
		first = 0;
	}
	buf_addstr(b, "]}\n");
	buf_free(&answer);
}

static void
json_entry(struct buf *b, const struct state_entry *e, int first)
{
	buf_addstr(b, first ? "\n    {" : ",\n    {");
	buf_addstr(b, "\"source\": ");
	cmd_json_str(b, e->source);
	buf_addstr(b, ", \"url\": ");
	cmd_json_str(b, e->url);
	buf_addstr(b, ", \"path\": ");
	cmd_json_str(b, e->path);
	buf_addf(b, ", \"status\": %d, \"passes\": %d, \"since\": ",
	    e->status, e->fails);
	cmd_json_time(b, e->failing_since);
	buf_addstr(b, ", \"error\": ");
	cmd_json_str(b, e->error);
	buf_addstr(b, "}");
}

static void
print_json(struct store *s, const char *head, size_t ncommits,
    struct source_status *ss, size_t nss, struct state_entry **ev,
    size_t nev, const struct store_usage *u, const struct history_sizes *hs,
    const struct buf *remotes)
{
	struct buf	b = BUF_INIT;
	size_t		i, j, n;
	int64_t		disk = u->loose_bytes + u->pack_bytes;

	buf_addf(&b, "{\n  \"format\": \"ferry-status\",\n  \"version\": %d,"
	    "\n  \"mirror\": ", STATUS_FORMAT_VERSION);
	buf_addjson(&b, store_root(s));
	buf_addf(&b, ",\n  \"head\": \"%s\",\n  \"commits\": %zu,\n"
	    "  \"sources\": [", head, ncommits);
	for (i = 0; i < nss; i++) {
		const struct source_status *x = &ss[i];

		buf_addstr(&b, i ? ",\n    {" : "\n    {");
		buf_addstr(&b, "\n      \"name\": ");
		cmd_json_str(&b, x->src->name);
		buf_addstr(&b, ",\n      \"url\": ");
		cmd_json_str(&b, x->src->url);
		buf_addstr(&b, ",\n      \"last_pass\": ");
		cmd_json_time(&b, x->last_pass);
		buf_addf(&b, ",\n      \"outcome\": \"%s\",\n      \"copies\": "
		    "%zu,\n      \"failing\": %zu,\n      \"withdrawn\": %zu,\n"
		    "      \"last_commit\": ", outcome(x), x->copies,
		    x->failing, x->withdrawn);
		if (x->commit.commit[0] == '\0') {
			buf_addstr(&b, "null\n    }");
			continue;
		}
		buf_addf(&b, "{\n        \"commit\": \"%s\",\n        "
		    "\"subject\": ", x->commit.commit);
		cmd_json_str(&b, x->commit.subject);
		buf_addstr(&b, ",\n        \"started\": ");
		cmd_json_time(&b, x->commit.started);
		buf_addstr(&b, ",\n        \"finished\": ");
		cmd_json_time(&b, x->commit.finished);
		buf_addstr(&b, ",\n        \"requests\": ");
		if (x->commit.requests >= 0)
			buf_addf(&b, "%" PRId64, x->commit.requests);
		else
			buf_addstr(&b, "null");
		buf_addstr(&b, ",\n        \"bytes\": ");
		if (x->commit.bytes >= 0)
			buf_addf(&b, "%" PRId64, x->commit.bytes);
		else
			buf_addstr(&b, "null");
		for (j = 0; j < 4; j++)
			buf_addf(&b, ",\n        \"%s\": %zu", verbs[j],
			    x->counts[j]);
		buf_addstr(&b, "\n      }\n    }");
	}
	buf_addstr(&b, nss ? "\n  ],\n  \"failing\": [" :
	    "],\n  \"failing\": [");
	for (i = 0, n = 0; i < nev; i++)
		if (ev[i]->source != NULL && ev[i]->fails > 0 &&
		    !is_withdrawn(ev[i]))
			json_entry(&b, ev[i], n++ == 0);
	buf_addstr(&b, n ? "\n  ],\n  \"withdrawn\": [" :
	    "],\n  \"withdrawn\": [");
	for (i = 0, n = 0; i < nev; i++)
		if (ev[i]->source != NULL && is_withdrawn(ev[i]))
			json_entry(&b, ev[i], n++ == 0);
	buf_addstr(&b, n ? "\n  ],\n" : "],\n");
	buf_addf(&b, "  \"store\": {\n    \"disk_bytes\": %" PRId64 ",\n"
	    "    \"loose_objects\": %zu,\n    \"loose_bytes\": %" PRId64 ",\n"
	    "    \"packs\": %zu,\n    \"pack_bytes\": %" PRId64 ",\n"
	    "    \"head_files\": %zu,\n    \"head_bytes\": %" PRId64 ",\n"
	    "    \"versions\": %zu,\n    \"versions_bytes\": %" PRId64 ",\n"
	    "    \"ratio\": %.4f\n  },\n", disk, u->loose, u->loose_bytes,
	    u->packs, u->pack_bytes, hs->head_files, hs->head_bytes,
	    hs->all_blobs, hs->all_bytes, hs->all_bytes > 0 ?
	    (double)disk / (double)hs->all_bytes : 0.0);
	buf_add(&b, remotes->ptr ? remotes->ptr : "", remotes->len);
	json_daemon(s, &b);
	buf_addstr(&b, "}\n");
	fputs(b.ptr, stdout);
	buf_free(&b);
}

/* "2026-11-26 04:00 UTC" or "never", for the remotes' lines. */
static const char *
when(char *out, size_t len, int64_t t)
{
	if (t == 0)
		return "never";
	cmd_local_time(out, len, t);
	return out;
}

/* The hub this mirror follows: what was fetched, taken in, and when. */
static void
follow_text(const struct conf *conf, const struct follow_status *f,
    struct buf *b)
{
	char	t[64];

	buf_addstr(b, "\nfollows ");
	conf_remote_display(conf->follow, b);
	buf_addf(b, " (branch %s)\n  last follow pass: %s, %s\n",
	    conf->follow_branch, when(t, sizeof t, f->tried),
	    f->error ? "failed" : f->tried ? "ok" : "not yet");
	if (f->error != NULL)
		buf_addf(b, "    %s\n", f->error);
	buf_addf(b, "  hub's last commit fetched: %.12s; taken in: %.12s; ",
	    f->fetched[0] ? f->fetched : "none",
	    f->followed[0] ? f->followed : "none");
	if (f->behind < 0)
		buf_addstr(b, "behind: unknown\n");
	else
		buf_addf(b, "behind the hub by %ld commit%s\n", f->behind,
		    f->behind == 1 ? "" : "s");
}

static void
follow_json(const struct conf *conf, const struct follow_status *f,
    struct buf *b)
{
	struct buf	u = BUF_INIT;

	conf_remote_display(conf->follow, &u);
	buf_addstr(b, "  \"follow\": {\n    \"remote\": ");
	cmd_json_str(b, buf_cstr(&u));
	buf_addstr(b, ",\n    \"branch\": ");
	cmd_json_str(b, conf->follow_branch);
	buf_addstr(b, ",\n    \"fetched\": ");
	cmd_json_str(b, f->fetched[0] ? f->fetched : NULL);
	buf_addstr(b, ",\n    \"followed\": ");
	cmd_json_str(b, f->followed[0] ? f->followed : NULL);
	buf_addstr(b, ",\n    \"last_pass\": ");
	cmd_json_time(b, f->tried);
	buf_addstr(b, ",\n    \"error\": ");
	cmd_json_str(b, f->error);
	buf_addf(b, ",\n    \"behind\": %ld\n  },\n", f->behind);
	buf_free(&u);
}

static void
publish_text(const struct publish_status *p, size_t n, struct buf *b)
{
	char	t[64];
	size_t	i;

	buf_addstr(b, "\npublished to\n");
	for (i = 0; i < n; i++) {
		buf_addstr(b, "  ");
		conf_remote_display(p[i].url, b);
		buf_addf(b, ": has %.12s", p[i].pushed[0] ? p[i].pushed :
		    "nothing yet");
		if (p[i].behind > 0)
			buf_addf(b, ", %ld commit%s behind", p[i].behind,
			    p[i].behind == 1 ? "" : "s");
		else if (p[i].behind == 0)
			buf_addstr(b, ", up to date");
		buf_addf(b, "; last push %s%s\n", when(t, sizeof t,
		    p[i].tried), p[i].error ? " failed" : "");
		if (p[i].error != NULL)
			buf_addf(b, "    %s\n", p[i].error);
	}
}

static void
publish_json(const struct publish_status *p, size_t n, struct buf *b)
{
	struct buf	u = BUF_INIT;
	size_t		i;

	buf_addstr(b, "  \"publish\": [");
	for (i = 0; i < n; i++) {
		buf_reset(&u);
		conf_remote_display(p[i].url, &u);
		buf_addstr(b, i ? ",\n    {\"remote\": " : "\n    {\"remote\": ");
		cmd_json_str(b, buf_cstr(&u));
		buf_addstr(b, ", \"pushed\": ");
		cmd_json_str(b, p[i].pushed[0] ? p[i].pushed : NULL);
		buf_addstr(b, ", \"last_push\": ");
		cmd_json_time(b, p[i].tried);
		buf_addstr(b, ", \"error\": ");
		cmd_json_str(b, p[i].error);
		buf_addf(b, ", \"behind\": %ld}", p[i].behind);
	}
	buf_addstr(b, n ? "\n  ],\n" : "],\n");
	buf_free(&u);
}

/* The hub followed and the remotes published to, as text or JSON. */
static void
remotes_status(const struct conf *conf, struct store *s, int json,
    struct buf *b)
{
	struct follow_status	 f;
	struct publish_status	*p = NULL;

	if (conf->follow != NULL) {
		follow_load(s, &f);
		if (json)
			follow_json(conf, &f, b);
		else
			follow_text(conf, &f, b);
		follow_status_free(&f);
	} else if (json)
		buf_addstr(b, "  \"follow\": null,\n");
	publish_load(conf, s, &p);
	if (json)
		publish_json(p, conf->npublish, b);
	else if (conf->npublish > 0)
		publish_text(p, conf->npublish, b);
	publish_free(p, conf->npublish);
}

static int
cmd_status_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct conf		 *conf = NULL;
	struct store		 *store = NULL;
	struct state		 *state = NULL;
	struct state_entry	**ev = NULL;
	struct source_status	 *ss = NULL;
	struct store_usage	  u;
	struct history_sizes	  hs;
	struct buf		  remotes = BUF_INIT;
	char			  head[STORE_OIDLEN + 1], *file = NULL;
	size_t			  nev = 0, i, ncommits = 0;
	int			  ch, json = 0, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'j') {
			cmd_usage(&cmd_status_entry);
			return EXIT_USAGE;
		}
		json = 1;
	}
	if (optind != argc) {
		cmd_usage(&cmd_status_entry);
		return EXIT_USAGE;
	}
	if ((rc = cmd_open_mirror(ctx, &conf, &store, 0)) != EXIT_OK)
		return rc;
	rc = EXIT_FATAL;
	file = fsutil_join(store_private(store), "state");
	if (store_head(store, head) != 0 || state_load(file, &state) != 0)
		goto fail;
	nev = state_sorted(state, &ev);
	ss = xcalloc(conf->nsources + 1, sizeof *ss);
	for (i = 0; i < conf->nsources; i++) {
		ss[i].src = &conf->sources[i];
		tally(&ss[i], ev, nev);
	}
	if (last_commits(store, ss, conf->nsources) != 0 ||
	    store_usage(store, &u) != 0 ||
	    history_sizes(store, head, &hs) != 0)
		goto fail;
	ncommits = hs.commits;
	remotes_status(conf, store, json, &remotes);
	if (json)
		print_json(store, head, ncommits, ss, conf->nsources, ev, nev,
		    &u, &hs, &remotes);
	else {
		print_text(store, head, ncommits, ss, conf->nsources, ev, nev,
		    &u, &hs);
		fputs(buf_cstr(&remotes), stdout);
		print_daemon(store);
	}
	rc = EXIT_OK;
	goto out;
fail:
	fprintf(stderr, "ferry: %s\n", err_msg());
out:
	for (i = 0; ss != NULL && i < conf->nsources; i++)
		history_pass_clear(&ss[i].commit);
	free(ss);
	free(ev);
	free(file);
	buf_free(&remotes);
	state_free(state);
	store_close(store);
	conf_free(conf);
	return rc;
}

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.usage = "[--json]",
	.summary = "show how the mirror and each source stand",
	.help = "For each configured source: when its last pass ran and "
	    "whether it changed\nthe mirror, its last change (commit, "
	    "requests, bytes), how many copies it\nkeeps, each resource "
	    "failing and since when, and each resource withdrawn\nupstream "
	    "(404 or 410) whose copy is kept.  Then the store: its size on "
	    "disk,\nthe size of the files at HEAD and of every version "
	    "kept, and the ratio.\nA follower: the hub, its last follow pass, "
	    "the hub commit last fetched and\ntaken in, and how far behind it "
	    "is; a hub: what each [publish] remote\nhas and why a push "
	    "failed.  Last, whether ferryd runs for this mirror: "
	    "what it is doing and when\neach source's next pass is due.\n\n"
	    "--json   one JSON document (format \"ferry-status\", see "
	    "README.md)",
	.exec = cmd_status_exec,
};
