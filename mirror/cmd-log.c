/*
 * cmd-log.c -- "ferry log": the mirror's history in plain language.
 *
 * One line per change, newest first, as a person would say it:
 * "2026-11-26 04:00 updated Red Card (Korean), https://...".  The words
 * come from each pass's commit message (history.c takes it apart) and the
 * titles from the index.json of that commit, or of its parent for what
 * the commit removed.  --json prints the same passes as one document
 * whose schema README.md describes.  A path or URL follows the resource
 * by that name only: a copy renamed between passes is not followed.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cmd.h"
#include "conf.h"
#include "err.h"
#include "history.h"
#include "json.h"
#include "store.h"

#define LOG_FORMAT_VERSION	1

/* The index.json of the last two commits looked at: a walk's window. */
struct titles {
	struct store	*store;
	char		 commit[2][STORE_OIDLEN + 1];
	struct json	*index[2];
	int		 next;
};

static const struct json *
titles_index(struct titles *t, const char *commit)
{
	struct json	*j = NULL;
	int		 i;

	if (commit == NULL || *commit == '\0')
		return NULL;
	for (i = 0; i < 2; i++)
		if (strcmp(t->commit[i], commit) == 0)
			return t->index[i];
	if (history_index(t->store, commit, &j) != 0)
		err_clear();	/* a commit without an index: no titles */
	i = t->next;
	t->next = !t->next;
	json_free(t->index[i]);
	t->index[i] = j;
	snprintf(t->commit[i], sizeof t->commit[i], "%s", commit);
	return j;
}

/* The title a change's resource had: in this commit, or before it. */
static const char *
title_of(struct titles *t, const struct history_pass *p,
    const struct history_change *c)
{
	const struct json	*r = NULL;
	const char		*title;
	int			 i;

	for (i = 0; i < 2 && r == NULL; i++) {
		const struct json *idx = titles_index(t, i == 0 ? p->commit :
		    p->parent);

		if (c->path != NULL)
			r = history_find(idx, c->path);
		if (r == NULL && c->url != NULL)
			r = history_find(idx, c->url);
	}
	title = json_get_str(r, "title");
	return title != NULL && *title != '\0' ? title : NULL;
}

static void
json_num(struct buf *b, int64_t v)
{
	if (v < 0)
		buf_addstr(b, "null");
	else
		buf_addf(b, "%" PRId64, v);
}

struct log_opts {
	time_t		 since;
	int		 has_since;
	const char	*source;
	char		*key;
	int		 json;
};

static int64_t
when(const struct history_pass *p)
{
	return p->started > 0 ? p->started : p->time;
}

/* One pass in words; 1 when anything was printed. */
static int
print_pass(struct titles *t, const struct history_pass *p,
    const struct log_opts *o)
{
	const struct history_change	*c;
	const char			*title;
	char				 date[32];
	size_t				 i;
	int				 shown = 0;

	cmd_local_time(date, sizeof date, when(p));
	for (i = 0; i < p->nchanges; i++) {
		c = &p->changes[i];
		if (o->key != NULL && !history_matches(o->key, c->path, c->url))
			continue;
		title = title_of(t, p, c);
		printf("%s %s ", date, c->verb);
		if (title != NULL && c->url != NULL)
			printf("%s, %s", title, c->url);
		else if (c->url != NULL)
			printf("%s", c->url);
		else
			printf("%s", c->path ? c->path : "");
		if (c->detail != NULL)
			printf(" (%s)", c->detail);
		printf("\n");
		shown = 1;
	}
	if (!shown && o->key == NULL) {
		printf("%s %s\n", date, p->subject);
		shown = 1;
	}
	return shown;
}

/* One pass as a JSON object; 1 when it was added. */
static int
json_pass(struct titles *t, const struct history_pass *p,
    const struct log_opts *o, struct buf *b, int first)
{
	const struct history_change	*c;
	size_t				 i, n = 0;

	for (i = 0; i < p->nchanges; i++)
		if (o->key == NULL || history_matches(o->key,
		    p->changes[i].path, p->changes[i].url))
			n++;
	if (n == 0 && o->key != NULL)
		return 0;
	buf_addstr(b, first ? "\n    {" : ",\n    {");
	buf_addf(b, "\n      \"commit\": \"%s\",", p->commit);
	buf_addstr(b, "\n      \"parent\": ");
	cmd_json_str(b, *p->parent ? p->parent : NULL);
	buf_addstr(b, ",\n      \"time\": ");
	cmd_json_time(b, p->time);
	buf_addstr(b, ",\n      \"source\": ");
	cmd_json_str(b, p->source);
	buf_addstr(b, ",\n      \"subject\": ");
	cmd_json_str(b, p->subject);
	buf_addstr(b, ",\n      \"started\": ");
	cmd_json_time(b, p->started);
	buf_addstr(b, ",\n      \"finished\": ");
	cmd_json_time(b, p->finished);
	buf_addstr(b, ",\n      \"requests\": ");
	json_num(b, p->requests);
	buf_addstr(b, ",\n      \"bytes\": ");
	json_num(b, p->bytes);
	buf_addstr(b, ",\n      \"changes\": [");
	for (i = 0, n = 0; i < p->nchanges; i++) {
		c = &p->changes[i];
		if (o->key != NULL && !history_matches(o->key, c->path, c->url))
			continue;
		buf_addstr(b, n++ ? ",\n        {" : "\n        {");
		buf_addstr(b, "\"verb\": ");
		cmd_json_str(b, c->verb);
		buf_addstr(b, ", \"path\": ");
		cmd_json_str(b, c->path);
		buf_addstr(b, ", \"url\": ");
		cmd_json_str(b, c->url);
		buf_addstr(b, ", \"title\": ");
		cmd_json_str(b, title_of(t, p, c));
		buf_addstr(b, ", \"detail\": ");
		cmd_json_str(b, c->detail);
		buf_addstr(b, "}");
	}
	buf_addstr(b, n ? "\n      ]\n    }" : "]\n    }");
	return 1;
}

static int
walk(struct store *store, const struct log_opts *o)
{
	struct history		*h = NULL;
	struct history_pass	 p;
	struct titles		 t;
	struct buf		 b = BUF_INIT;
	int			 rc, n = 0, i;

	memset(&t, 0, sizeof t);
	t.store = store;
	if ((rc = history_open(store, "HEAD", &h)) != 0)
		return rc;
	if (o->json)
		buf_addf(&b, "{\n  \"format\": \"ferry-log\",\n  \"version\": "
		    "%d,\n  \"mirror\": ", LOG_FORMAT_VERSION);
	if (o->json) {
		buf_addjson(&b, store_root(store));
		buf_addstr(&b, ",\n  \"passes\": [");
	}
	while ((rc = history_next(h, &p)) == 0) {
		if (o->has_since && when(&p) < (int64_t)o->since) {
			history_pass_clear(&p);
			break;
		}
		if (o->source == NULL || (p.source != NULL &&
		    strcmp(p.source, o->source) == 0)) {
			if (o->json)
				n += json_pass(&t, &p, o, &b, n == 0);
			else
				n += print_pass(&t, &p, o);
		}
		history_pass_clear(&p);
	}
	if (rc == FERRY_ENOTFOUND)
		rc = 0;
	if (rc == 0 && o->json) {
		buf_addstr(&b, n ? "\n  ]\n}\n" : "]\n}\n");
		fputs(b.ptr, stdout);
	}
	buf_free(&b);
	for (i = 0; i < 2; i++)
		json_free(t.index[i]);
	history_close(h);
	return rc;
}

static int
cmd_log_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "source", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct conf	*conf = NULL;
	struct store	*store = NULL;
	struct log_opts	 o;
	const char	*since = NULL;
	time_t		 to;
	int		 ch, rc;

	memset(&o, 0, sizeof o);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			since = optarg;
			break;
		case 'S':
			o.source = optarg;
			break;
		case 'j':
			o.json = 1;
			break;
		default:
			cmd_usage(&cmd_log_entry);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		cmd_usage(&cmd_log_entry);
		return EXIT_USAGE;
	}
	if (since != NULL && history_parse_date(since, time(NULL), &o.since,
	    &to) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		return EXIT_USAGE;
	}
	o.has_since = since != NULL;
	if ((rc = cmd_open_mirror(ctx, &conf, &store, 0)) != EXIT_OK)
		return rc;
	if (o.source != NULL && conf_source(conf, o.source) == NULL)
		fprintf(stderr, "ferry: warning: no source '%s' in '%s' "
		    "(showing its history anyway)\n", o.source, conf->file);
	if (optind < argc)
		o.key = history_key(store, argv[optind]);
	rc = walk(store, &o) == 0 ? EXIT_OK : EXIT_FATAL;
	if (rc != EXIT_OK)
		fprintf(stderr, "ferry: %s\n", err_msg());
	free(o.key);
	store_close(store);
	conf_free(conf);
	return rc;
}

const struct cmd_entry cmd_log_entry = {
	.name = "log",
	.usage = "[--since DATE] [--source NAME] [--json] [PATH | URL]",
	.summary = "show the mirror's history in plain language",
	.help = "One line per change, newest first: when the pass ran, what "
	    "happened, the\nresource's title and its URL, and why for a "
	    "removal or a failure:\n\n"
	    "  2026-11-26 04:00 updated Red Card (Korean), "
	    "https://www.lapl.org/ko.pdf\n\n"
	    "--since DATE      only passes since DATE: 2026-11-01, "
	    "'2026-11-01 04:00',\n                  or an age like 7d or "
	    "12h\n"
	    "--source NAME     only the passes of source NAME\n"
	    "--json            one JSON document (format \"ferry-log\", "
	    "see README.md)\n"
	    "PATH | URL        only the changes to that file, directory or "
	    "URL\n\nTimes are local; in JSON they are UTC.  'git log' in the "
	    "mirror shows the\nsame history with every detail.",
	.exec = cmd_log_exec,
};
