/*
 * ferry.c -- the command line: global options, then one subcommand.
 *
 * Parses only what every subcommand shares (-c FILE, -q, -v, --help,
 * --version), initialises the libraries once, and dispatches through the
 * table; each subcommand lives in its own cmd-*.c file.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "conf.h"
#include "err.h"
#include "fetch.h"
#include "log.h"
#include "store.h"
#include "utc.h"

#define DEFAULT_CONF	SYSCONFDIR "/ferry/ferry.conf"

const struct cmd_entry *const cmd_table[] = {
	&cmd_sync_entry,
	&cmd_index_entry,
	&cmd_status_entry,
	&cmd_log_entry,
	&cmd_diff_entry,
	&cmd_restore_entry,
	&cmd_verify_entry,
	&cmd_gc_entry,
	&cmd_check_entry,
	&cmd_export_entry,
	&cmd_import_entry,
	&cmd_keygen_entry,
	&cmd_publish_entry,
	&cmd_help_entry,
	NULL
};

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t	i;

	for (i = 0; cmd_table[i] != NULL; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

void
cmd_usage(const struct cmd_entry *c)
{
	fprintf(stderr, "usage: ferry [-qv] [-c file] %s %s\n", c->name,
	    c->usage);
}

/* The configuration from -c, $FERRY_CONF or the system default. */
int
cmd_load_conf(struct cmd_ctx *ctx, struct conf **conf)
{
	const char	*file = ctx->conf_file;

	if (file == NULL)
		file = getenv("FERRY_CONF");
	if (file == NULL || *file == '\0')
		file = DEFAULT_CONF;
	if (conf_load(file, conf) != 0)
		return -1;
	store_sign_with((*conf)->sign_key);
	return 0;
}

/*
 * The configuration and its mirror, which must exist already, locked
 * when how has CMD_LOCK (for commands that write it or must see it still),
 * created with CMD_CREATE (for a mirror that starts from a stick).
 * Prints what went wrong and returns the exit status, or EXIT_OK.
 */
int
cmd_open_mirror(struct cmd_ctx *ctx, struct conf **conf,
    struct store **store, int how)
{
	*store = NULL;
	if (cmd_load_conf(ctx, conf) != 0) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		return EXIT_USAGE;
	}
	store_set_fsync((*conf)->fsync);
	if (store_open((*conf)->mirror_path, (how & CMD_CREATE) != 0,
	    store) != 0 || ((how & CMD_LOCK) && store_lock(*store) != 0)) {
		fprintf(stderr, "ferry: %s\n", err_msg());
		store_close(*store);
		*store = NULL;
		conf_free(*conf);
		*conf = NULL;
		return EXIT_FATAL;
	}
	return EXIT_OK;
}

static void
usage(FILE *fp)
{
	size_t	i;

	fprintf(fp, "usage: ferry [-qv] [-c file] command [args]\n"
	    "       ferry --help | --version\n\n"
	    "Keeps offline copies of resource pages and their documents in a "
	    "git\nrepository, ready to carry where there is no internet.\n\n"
	    "commands:\n");
	for (i = 0; cmd_table[i] != NULL; i++)
		fprintf(fp, "  %-8s %s\n", cmd_table[i]->name,
		    cmd_table[i]->summary);
	fprintf(fp, "\noptions:\n"
	    "  -c file   configuration (default: $FERRY_CONF, else %s)\n"
	    "  -q        quiet: only errors\n"
	    "  -v        more detail (twice: debugging)\n\n"
	    "exit status: 0 success, 1 error, 2 usage or configuration "
	    "error,\n3 finished but some resources failed.  "
	    "'ferry help COMMAND' tells more.\n", DEFAULT_CONF);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry	*c;
	struct cmd_ctx		 ctx;
	int			 ch, rc;

	setlocale(LC_CTYPE, "");
	memset(&ctx, 0, sizeof ctx);
	while ((ch = getopt_long(argc, argv, "+c:hqvV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			ctx.conf_file = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'q':
			ctx.quiet = 1;
			break;
		case 'v':
			ctx.verbose++;
			break;
		case 'V':
			printf("ferry %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if ((c = cmd_find(argv[0])) == NULL) {
		fprintf(stderr, "ferry: '%s' is not a ferry command (see "
		    "'ferry --help')\n", argv[0]);
		return EXIT_USAGE;
	}
	log_init("ferry", ctx.quiet ? -1 : ctx.verbose, LOG_TO_TERMINAL);
	if (store_global_init() != 0 || fetch_global_init() != 0)
		fatalx("%s", err_msg());
	optind = 1;
	rc = c->exec(&ctx, argc, argv);
	fetch_global_free();
	store_global_free();
	return rc;
}

/* A size for people: "1.2 MB". */
void
cmd_human(char *out, size_t len, int64_t bytes)
{
	if (bytes >= 1000000000)
		snprintf(out, len, "%.1f GB", (double)bytes / 1e9);
	else if (bytes >= 1000000)
		snprintf(out, len, "%.1f MB", (double)bytes / 1e6);
	else
		snprintf(out, len, "%.1f kB", (double)bytes / 1e3);
}

/* A time for people: "2026-11-26 04:00", local time. */
void
cmd_local_time(char *out, size_t len, int64_t t)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	localtime_r(&tt, &tm);
	strftime(out, len, "%Y-%m-%d %H:%M", &tm);
}

/* A JSON string, or null for NULL (the --json outputs). */
void
cmd_json_str(struct buf *b, const char *s)
{
	if (s == NULL)
		buf_addstr(b, "null");
	else
		buf_addjson(b, s);
}

/* A JSON time in UTC ("2026-11-26T04:00:00Z"), or null when unknown. */
void
cmd_json_time(struct buf *b, int64_t t)
{
	char	s[UTC_LEN + 1];

	if (t <= 0) {
		buf_addstr(b, "null");
		return;
	}
	utc_format(t, s);
	buf_addf(b, "\"%s\"", s);
}

/*
 * Send request to the ferryd of the mirror at mirror_path and read its
 * answer, up to cap bytes.  -1 with errno when no daemon listens; *path
 * is the socket's, for messages.
 */
int
cmd_ask_daemon(const char *mirror_path, const char *request, size_t cap,
    struct buf *answer, char **path)
{
	struct sockaddr_un	sun;
	char			chunk[512];
	ssize_t			n;
	int			fd = -1, rc = -1;

	*path = conf_socket_path(mirror_path);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(*path) >= sizeof sun.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, *path, strlen(*path) + 1);
	/* MSG_NOSIGNAL: a daemon that hangs up is an error, not SIGPIPE. */
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    send(fd, request, strlen(request), MSG_NOSIGNAL) !=
	    (ssize_t)strlen(request))
		goto out;
	buf_init(answer, cap);
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		if (buf_add(answer, chunk, (size_t)n) != 0)
			break;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	return rc;
}
