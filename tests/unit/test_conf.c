/*
 * test_conf.c -- unit tests for conf.c: loading ferry.conf, its defaults,
 * every error message word for word, durations, sizes, and printing the
 * effective configuration back in a form conf_load reads the same way.
 *
 * Every test runs inside a fresh temporary directory, so the error
 * messages name the file exactly as a user would type it: 'ferry.conf'.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

#include "buf.h"
#include "conf.h"
#include "err.h"
#include "xmalloc.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define nitems(a)	(sizeof (a) / sizeof (a)[0])

/* A source every error row shares, so a row shows only its own problem. */
#define BASE \
	"[mirror]\n" \
	"\tpath = m\n" \
	"[source \"city\"]\n" \
	"\turl = https://mayor.lacity.gov/KYR\n"

static char	tmpdir[PATH_MAX];	/* real path, the cwd while testing */
static char	oldcwd[PATH_MAX];

#define EXPECT_STR(what, input, expected, actual) \
	expect_str(__FILE__, __LINE__, what, input, expected, actual)
#define EXPECT_INT(what, input, expected, actual) \
	expect_int(__FILE__, __LINE__, what, input, expected, actual)

static void
expect_str(const char *file, int line, const char *what, const char *input,
    const char *expected, const char *actual)
{
	if (expected == NULL && actual == NULL)
		return;
	if (expected != NULL && actual != NULL &&
	    strcmp(expected, actual) == 0)
		return;
	print_error("%s\ninput:\n%s\nexpected:\n%s\nactual:\n%s\n", what,
	    input, expected ? expected : "(null)",
	    actual ? actual : "(null)");
	_fail(file, line);
}

static void
expect_int(const char *file, int line, const char *what, const char *input,
    long long expected, long long actual)
{
	if (expected == actual)
		return;
	print_error("%s\ninput:\n%s\nexpected: %lld\nactual:   %lld\n", what,
	    input, expected, actual);
	_fail(file, line);
}

static void
write_file(const char *path, const char *text)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL)
		fail_msg("cannot create '%s': %s", path, strerror(errno));
	fputs(text, f);
	if (fclose(f) != 0)
		fail_msg("cannot write '%s': %s", path, strerror(errno));
}

static char *
in_tmp(const char *rel)
{
	char	*p;

	xasprintf(&p, "%s/%s", tmpdir, rel);
	return p;
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	return remove(path);
}

static int
setup(void **state)
{
	const char	*t;
	char		 tmpl[PATH_MAX];

	git_libgit2_init();
	if ((t = getenv("TMPDIR")) == NULL || *t == '\0')
		t = "/tmp";
	snprintf(tmpl, sizeof tmpl, "%s/test_conf.XXXXXX", t);
	if (getcwd(oldcwd, sizeof oldcwd) == NULL || mkdtemp(tmpl) == NULL ||
	    chdir(tmpl) == -1 || getcwd(tmpdir, sizeof tmpdir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	if (chdir(oldcwd) == -1)
		return -1;
	nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	git_libgit2_shutdown();
	return 0;
}

/* Compare two configurations field by field, naming the first change. */
static void
expect_same_conf(const char *input, const struct conf *a,
    const struct conf *b)
{
	const struct conf_source	*s, *t;
	size_t				 i, j;

	EXPECT_STR("mirror_path", input, a->mirror_path, b->mirror_path);
	EXPECT_STR("author_name", input, a->author_name, b->author_name);
	EXPECT_STR("author_email", input, a->author_email, b->author_email);
	EXPECT_STR("user_agent", input, a->user_agent, b->user_agent);
	EXPECT_INT("timeout", input, a->timeout, b->timeout);
	EXPECT_INT("connect_timeout", input, a->connect_timeout,
	    b->connect_timeout);
	EXPECT_INT("max_file_size", input, a->max_file_size,
	    b->max_file_size);
	EXPECT_INT("connections_per_host", input, a->connections_per_host,
	    b->connections_per_host);
	EXPECT_INT("connections", input, a->connections, b->connections);
	EXPECT_INT("low_speed_limit", input, a->low_speed_limit,
	    b->low_speed_limit);
	EXPECT_INT("low_speed_time", input, a->low_speed_time,
	    b->low_speed_time);
	EXPECT_INT("delay", input, a->delay, b->delay);
	EXPECT_INT("max_redirects", input, a->max_redirects,
	    b->max_redirects);
	EXPECT_INT("retries", input, a->retries, b->retries);
	EXPECT_INT("retry_time", input, a->retry_time, b->retry_time);
	EXPECT_INT("remove_after", input, a->remove_after, b->remove_after);
	EXPECT_STR("admin_name", input, a->admin_name ? a->admin_name : "-",
	    b->admin_name ? b->admin_name : "-");
	EXPECT_STR("admin_email", input,
	    a->admin_email ? a->admin_email : "-",
	    b->admin_email ? b->admin_email : "-");
	EXPECT_INT("jitter", input, a->jitter, b->jitter);
	EXPECT_INT("quiet_period", input, a->quiet_period, b->quiet_period);
	EXPECT_INT("backoff", input, a->backoff, b->backoff);
	EXPECT_STR("export_key", input, a->export_key ? a->export_key : "-",
	    b->export_key ? b->export_key : "-");
	EXPECT_INT("valid_for", input, a->valid_for, b->valid_for);
	EXPECT_STR("export_label", input, a->export_label, b->export_label);
	EXPECT_STR("trusted_key", input,
	    a->trusted_key ? a->trusted_key : "-",
	    b->trusted_key ? b->trusted_key : "-");
	EXPECT_INT("nsources", input, (long long)a->nsources,
	    (long long)b->nsources);
	for (i = 0; i < a->nsources; i++) {
		s = &a->sources[i];
		t = &b->sources[i];
		EXPECT_STR("source name", input, s->name, t->name);
		EXPECT_STR("source url", input, s->url, t->url);
		EXPECT_INT("source depth", input, s->depth, t->depth);
		EXPECT_INT("source robots", input, s->robots, t->robots);
		EXPECT_INT("source interval", input, s->interval,
		    t->interval);
		EXPECT_INT("source max_resources", input, s->max_resources,
		    t->max_resources);
		EXPECT_INT("source max_bytes", input, s->max_bytes,
		    t->max_bytes);
		EXPECT_INT("nallow", input, (long long)s->nallow,
		    (long long)t->nallow);
		for (j = 0; j < s->nallow; j++)
			EXPECT_STR("allow", input, s->allow[j], t->allow[j]);
		EXPECT_INT("ninclude", input, (long long)s->ninclude,
		    (long long)t->ninclude);
		for (j = 0; j < s->ninclude; j++)
			EXPECT_STR("include", input, s->include[j],
			    t->include[j]);
		EXPECT_INT("nexclude", input, (long long)s->nexclude,
		    (long long)t->nexclude);
		for (j = 0; j < s->nexclude; j++)
			EXPECT_STR("exclude", input, s->exclude[j],
			    t->exclude[j]);
	}
}

static struct conf *
load_ok(const char *path, const char *text)
{
	struct conf	*conf = NULL;
	int		 rc;

	write_file(path, text);
	err_clear();
	rc = conf_load(path, &conf);
	EXPECT_STR("conf_load error", text, "", rc == 0 ? "" : err_msg());
	assert_non_null(conf);
	return conf;
}

static const char minimal_text[] =
	"[mirror]\n"
	"\tpath = mirror\n"
	"[source \"la-city\"]\n"
	"\turl = https://mayor.lacity.gov/KYR\n";

static void
conf_loads_minimal_with_defaults(void **state)
{
	struct conf	*conf;
	char		*path;

	conf = load_ok("ferry.conf", minimal_text);
	path = in_tmp("mirror");
	EXPECT_STR("file", minimal_text, "ferry.conf", conf->file);
	EXPECT_STR("mirror.path", minimal_text, path, conf->mirror_path);
	EXPECT_STR("author name", minimal_text, "ferry", conf->author_name);
	EXPECT_STR("author email", minimal_text, "ferry@localhost",
	    conf->author_email);
	EXPECT_STR("fetch.user-agent", minimal_text,
	    "ferry/" PACKAGE_VERSION " (+offline mirror)", conf->user_agent);
	EXPECT_INT("fetch.timeout", minimal_text, 300, conf->timeout);
	EXPECT_INT("fetch.connect-timeout", minimal_text, 30,
	    conf->connect_timeout);
	EXPECT_INT("fetch.max-file-size", minimal_text, 512LL << 20,
	    conf->max_file_size);
	EXPECT_INT("fetch.connections-per-host", minimal_text, 4,
	    conf->connections_per_host);
	EXPECT_INT("fetch.connections", minimal_text, 16, conf->connections);
	EXPECT_INT("fetch.low-speed-limit", minimal_text, 1024,
	    conf->low_speed_limit);
	EXPECT_INT("fetch.low-speed-time", minimal_text, 60,
	    conf->low_speed_time);
	EXPECT_INT("fetch.delay", minimal_text, 0, conf->delay);
	EXPECT_INT("fetch.max-redirects", minimal_text, 10,
	    conf->max_redirects);
	EXPECT_INT("fetch.retries", minimal_text, 2, conf->retries);
	EXPECT_INT("fetch.retry-time", minimal_text, 300, conf->retry_time);
	EXPECT_INT("fetch.remove-after", minimal_text, 3, conf->remove_after);
	EXPECT_STR("mirror.admin", minimal_text, "NULL",
	    conf->admin_name ? conf->admin_name : "NULL");
	EXPECT_INT("mirror.jitter", minimal_text, 300, conf->jitter);
	EXPECT_INT("daemon.quiet-period", minimal_text, 2,
	    conf->quiet_period);
	EXPECT_INT("daemon.backoff", minimal_text, 60, conf->backoff);
	EXPECT_INT("source interval", minimal_text, 21600,
	    conf->sources[0].interval);
	EXPECT_INT("nsources", minimal_text, 1, (long long)conf->nsources);
	EXPECT_STR("source name", minimal_text, "la-city",
	    conf->sources[0].name);
	EXPECT_STR("source url", minimal_text, "https://mayor.lacity.gov/KYR",
	    conf->sources[0].url);
	EXPECT_INT("source depth", minimal_text, 1, conf->sources[0].depth);
	EXPECT_INT("source robots", minimal_text, 1, conf->sources[0].robots);
	EXPECT_INT("source max-resources", minimal_text, 0,
	    conf->sources[0].max_resources);
	EXPECT_INT("source max-bytes", minimal_text, 0,
	    conf->sources[0].max_bytes);
	EXPECT_INT("nallow", minimal_text, 0,
	    (long long)conf->sources[0].nallow);
	EXPECT_INT("ninclude", minimal_text, 0,
	    (long long)conf->sources[0].ninclude);
	EXPECT_INT("nexclude", minimal_text, 0,
	    (long long)conf->sources[0].nexclude);
	free(path);
	conf_free(conf);
}

static const char full_text[] =
	"# every key, some spelled oddly on purpose\n"
	"[mirror]\n"
	"\tpath = \"/srv/ferry/mirror #1\"\n"
	"\tauthor = \"  LA Mirror Team   <mirror@example.org> \"\n"
	"\tadmin = Ana Admin <ana@example.org>\n"
	"\tjitter = 90s\n"
	"[Daemon]\n"
	"\tquiet-period = 0\n"
	"\tbackoff = 2m\n"
	"[export]\n"
	"\tkey = /srv/ferry/ferry.key\n"
	"\tvalid-for = 30d\n"
	"\tlabel = KYR-USB\n"
	"[import]\n"
	"\ttrusted-key = RWQEXb/8nosi4Rxk0Roh3hFAIjgvbBSnOSKP8XCd6eCLjTMdRwE2U0d4\n"
	"[Fetch]\n"
	"\tUser-Agent = \"ferry-test/1.0 (+https://example.org/ferry; "
	    "\\\"quoted\\\")\"\n"
	"\ttimeout = 90\n"
	"\tconnect-timeout = 2m\n"
	"\tmax-file-size = 1536K\n"
	"\tconnections-per-host = 16\n"
	"\tConnections = 32\n"
	"\tlow-speed-limit = 10K\n"
	"\tlow-speed-time = 2m\n"
	"\tdelay = 2\n"
	"\tmax-redirects = 0\n"
	"\tretries = 0\n"
	"\tretry-time = 0\n"
	"\tremove-after = 1\n"
	"[source \"la-city\"]\n"
	"\turl = https://mayor.lacity.gov/KYR\n"
	"\tdepth = 2\n"
	"\trobots = ignore\n"
	"\tinterval = 1d\n"
	"\tmax-resources = 500\n"
	"\tmax-bytes = 2G\n"
	"\tallow = WWW.LAPL.org\n"
	"\tallow = www.ilrc.org\n"
	"\tallow = localhost:8080\n"
	"\tinclude = https://www.lapl.org/*\n"
	"\texclude = *.mp4 ; a comment\n"
	"\texclude = https://www.lapl.org/events/*\n"
	"[Source \"Board.v2\"]\n"
	"\turl = http://example.org/board\n"
	"\tdepth = 0\n"
	"[source \"la-city\"]\n"
	"\tallow = publiccounsel.org\n"
	"\tallow = www.lapl.org\n";

static const char full_printed[] =
	"[mirror]\n"
	"\tpath = \"/srv/ferry/mirror #1\"\n"
	"\tauthor = LA Mirror Team <mirror@example.org>\n"
	"\tfsync = true\n"
	"\tgc-threshold = 1000\n"
	"\tadmin = Ana Admin <ana@example.org>\n"
	"\tjitter = 90s\n"
	"\n"
	"[fetch]\n"
	"\tuser-agent = \"ferry-test/1.0 (+https://example.org/ferry; "
	    "\\\"quoted\\\")\"\n"
	"\ttimeout = 90s\n"
	"\tconnect-timeout = 2m\n"
	"\tlow-speed-limit = 10K\n"
	"\tlow-speed-time = 2m\n"
	"\tmax-file-size = 1536K\n"
	"\tconnections-per-host = 16\n"
	"\tconnections = 32\n"
	"\tdelay = 2s\n"
	"\tmax-redirects = 0\n"
	"\tretries = 0\n"
	"\tretry-time = 0s\n"
	"\tremove-after = 1\n"
	"\n"
	"[daemon]\n"
	"\tquiet-period = 0s\n"
	"\tbackoff = 2m\n"
	"\n"
	"[export]\n"
	"\tkey = /srv/ferry/ferry.key\n"
	"\tvalid-for = 30d\n"
	"\tlabel = KYR-USB\n"
	"\n"
	"[import]\n"
	"\ttrusted-key = RWQEXb/8nosi4Rxk0Roh3hFAIjgvbBSnOSKP8XCd6eCLjTMdRwE2U0d4\n"
	"\n"
	"[source \"la-city\"]\n"
	"\turl = https://mayor.lacity.gov/KYR\n"
	"\tdepth = 2\n"
	"\trobots = ignore\n"
	"\tinterval = 1d\n"
	"\tmax-resources = 500\n"
	"\tmax-bytes = 2G\n"
	"\tallow = www.lapl.org\n"
	"\tallow = www.ilrc.org\n"
	"\tallow = localhost:8080\n"
	"\tallow = publiccounsel.org\n"
	"\tinclude = https://www.lapl.org/*\n"
	"\texclude = *.mp4\n"
	"\texclude = https://www.lapl.org/events/*\n"
	"\n"
	"[source \"Board.v2\"]\n"
	"\turl = http://example.org/board\n"
	"\tdepth = 0\n"
	"\trobots = obey\n"
	"\tinterval = 6h\n";

static void
conf_loads_full(void **state)
{
	struct conf			*conf;
	const struct conf_source	*s;

	conf = load_ok("ferry.conf", full_text);
	EXPECT_STR("mirror.path", full_text, "/srv/ferry/mirror #1",
	    conf->mirror_path);
	EXPECT_STR("author name", full_text, "LA Mirror Team",
	    conf->author_name);
	EXPECT_STR("author email", full_text, "mirror@example.org",
	    conf->author_email);
	EXPECT_STR("fetch.user-agent", full_text,
	    "ferry-test/1.0 (+https://example.org/ferry; \"quoted\")",
	    conf->user_agent);
	EXPECT_INT("fetch.timeout", full_text, 90, conf->timeout);
	EXPECT_INT("fetch.connect-timeout", full_text, 120,
	    conf->connect_timeout);
	EXPECT_INT("fetch.max-file-size", full_text, 1536 * 1024,
	    conf->max_file_size);
	EXPECT_INT("fetch.connections-per-host", full_text, 16,
	    conf->connections_per_host);
	EXPECT_INT("fetch.connections", full_text, 32, conf->connections);
	EXPECT_INT("fetch.low-speed-limit", full_text, 10240,
	    conf->low_speed_limit);
	EXPECT_INT("fetch.low-speed-time", full_text, 120,
	    conf->low_speed_time);
	EXPECT_INT("fetch.delay", full_text, 2, conf->delay);
	EXPECT_INT("fetch.max-redirects", full_text, 0, conf->max_redirects);
	EXPECT_INT("fetch.retries", full_text, 0, conf->retries);
	EXPECT_INT("fetch.retry-time", full_text, 0, conf->retry_time);
	EXPECT_INT("fetch.remove-after", full_text, 1, conf->remove_after);
	EXPECT_STR("mirror.admin name", full_text, "Ana Admin",
	    conf->admin_name);
	EXPECT_STR("mirror.admin email", full_text, "ana@example.org",
	    conf->admin_email);
	EXPECT_INT("mirror.jitter", full_text, 90, conf->jitter);
	EXPECT_INT("daemon.quiet-period", full_text, 0, conf->quiet_period);
	EXPECT_INT("daemon.backoff", full_text, 120, conf->backoff);
	EXPECT_INT("nsources", full_text, 2, (long long)conf->nsources);

	s = &conf->sources[0];
	EXPECT_STR("first source", full_text, "la-city", s->name);
	EXPECT_INT("la-city depth", full_text, 2, s->depth);
	EXPECT_INT("la-city robots", full_text, 0, s->robots);
	EXPECT_INT("la-city max-resources", full_text, 500, s->max_resources);
	EXPECT_INT("la-city interval", full_text, 86400, s->interval);
	EXPECT_INT("la-city max-bytes", full_text, 2LL << 30, s->max_bytes);
	EXPECT_INT("la-city nallow", full_text, 4, (long long)s->nallow);
	EXPECT_STR("la-city allow[0]", full_text, "www.lapl.org",
	    s->allow[0]);
	EXPECT_STR("la-city allow[2]", full_text, "localhost:8080",
	    s->allow[2]);
	EXPECT_STR("la-city allow[3]", full_text, "publiccounsel.org",
	    s->allow[3]);
	EXPECT_INT("la-city ninclude", full_text, 1, (long long)s->ninclude);
	EXPECT_INT("la-city nexclude", full_text, 2, (long long)s->nexclude);
	EXPECT_STR("la-city exclude[0]", full_text, "*.mp4", s->exclude[0]);

	s = &conf->sources[1];
	EXPECT_STR("second source", full_text, "Board.v2", s->name);
	EXPECT_STR("Board.v2 url", full_text, "http://example.org/board",
	    s->url);
	EXPECT_INT("Board.v2 depth", full_text, 0, s->depth);
	EXPECT_INT("Board.v2 robots", full_text, 1, s->robots);
	EXPECT_INT("Board.v2 max-resources", full_text, 0, s->max_resources);
	EXPECT_INT("Board.v2 interval", full_text, 21600, s->interval);
	conf_free(conf);
}

static void
conf_resolves_mirror_path(void **state)
{
	static const struct {
		const char	*file;		/* config file, under tmpdir */
		int		 absolute;	/* load it by absolute path */
		const char	*path;		/* mirror.path */
		const char	*expected;	/* '/'-rooted: under tmpdir */
		int		 literal;	/* expected is outside tmpdir */
	} rows[] = {
		{ "ferry.conf", 0, "mirror", "/mirror", 0 },
		{ "ferry.conf", 1, "mirror", "/mirror", 0 },
		{ "etc/ferry.conf", 0, "mirror", "/etc/mirror", 0 },
		{ "etc/ferry.conf", 1, "mirror", "/etc/mirror", 0 },
		{ "etc/ferry.conf", 0, "./data//mirror/", "/etc/data/mirror",
		  0 },
		{ "etc/ferry.conf", 0, "../var/mirror", "/etc/../var/mirror",
		  0 },
		{ "etc/ferry.conf", 0, ".", "/etc", 0 },
		{ "etc/ferry.conf", 0, "/srv/ferry/mirror",
		  "/srv/ferry/mirror", 1 },
		{ "etc/ferry.conf", 0, "/srv//ferry/./m/", "/srv/ferry/m", 1 },
		{ "etc/ferry.conf", 0, "~/mirror", "/home/ferry/mirror", 1 },
		{ "etc/ferry.conf", 0, "~", "/home/ferry", 1 },
	};
	struct conf	*conf;
	char		*text, *file, *expected, *home;
	size_t		 i;

	home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
	setenv("HOME", "/home/ferry", 1);
	mkdir("etc", 0755);
	for (i = 0; i < nitems(rows); i++) {
		xasprintf(&text, "[mirror]\n\tpath = %s\n[source \"x\"]\n"
		    "\turl = https://mayor.lacity.gov/KYR\n", rows[i].path);
		file = rows[i].absolute ? in_tmp(rows[i].file) :
		    xstrdup(rows[i].file);
		expected = rows[i].literal ? xstrdup(rows[i].expected) :
		    in_tmp(rows[i].expected + 1);
		conf = load_ok(file, text);
		EXPECT_STR(file, text, expected, conf->mirror_path);
		conf_free(conf);
		free(text);
		free(file);
		free(expected);
	}
	if (home != NULL)
		setenv("HOME", home, 1);
	else
		unsetenv("HOME");
	free(home);
}

static void
conf_follows_include_path(void **state)
{
	static const char main_text[] =
		"[mirror]\n"
		"\tpath = m\n"
		"[source \"first\"]\n"
		"\turl = https://mayor.lacity.gov/KYR\n"
		"[include]\n"
		"\tpath = conf.d/sources.conf\n"
		"\tpath = conf.d/absent.conf\n"
		"[includeIf \"gitdir:/nowhere/\"]\n"
		"\tpath = conf.d/broken.conf\n"
		"[source \"last\"]\n"
		"\turl = https://www.lapl.org/\n";
	static const char included_text[] =
		"[fetch]\n"
		"\ttimeout = 1h\n"
		"[source \"included\"]\n"
		"\turl = https://www.ilrc.org/red-cards\n"
		"\tdepth = 0\n";
	static const char *names[] = { "first", "included", "last" };
	struct conf	*conf;
	size_t		 i;

	mkdir("conf.d", 0755);
	write_file("conf.d/sources.conf", included_text);
	write_file("conf.d/broken.conf", "[fetch\n");
	conf = load_ok("ferry.conf", main_text);
	EXPECT_INT("fetch.timeout from the included file", main_text, 3600,
	    conf->timeout);
	EXPECT_INT("nsources", main_text, 3, (long long)conf->nsources);
	for (i = 0; i < nitems(names) && i < conf->nsources; i++)
		EXPECT_STR("source order", main_text, names[i],
		    conf->sources[i].name);
	EXPECT_INT("included depth", main_text, 0,
	    conf_source(conf, "included")->depth);
	conf_free(conf);
}

static void
conf_ignores_user_git_config(void **state)
{
	struct conf	*conf;
	char		*home, *fake;

	home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
	mkdir("home", 0755);
	write_file("home/.gitconfig",
	    "[fetch]\n\ttimeout = 1s\n"
	    "[source \"stranger\"]\n\turl = https://example.org/\n");
	fake = in_tmp("home");
	setenv("HOME", fake, 1);
	conf = load_ok("ferry.conf", minimal_text);
	EXPECT_INT("fetch.timeout", minimal_text, 300, conf->timeout);
	EXPECT_INT("nsources", minimal_text, 1, (long long)conf->nsources);
	conf_free(conf);
	if (home != NULL)
		setenv("HOME", home, 1);
	else
		unsetenv("HOME");
	free(home);
	free(fake);
}

static void
conf_reports_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*expected;
	} rows[] = {
		/* keys and sections */
		{ BASE "\tdepht = 2\n",
		  "ferry.conf: source.city.depht: unknown key "
		  "(did you mean 'depth'?)" },
		{ BASE "[fetch]\n\tconections-per-host = 2\n",
		  "ferry.conf: fetch.conections-per-host: unknown key "
		  "(did you mean 'connections-per-host'?)" },
		{ BASE "[export]\n\tlabel = MY/STICK\n",
		  "ferry.conf: export.label: invalid label 'MY/STICK' (use 1 "
		  "to 11 characters, none of / \\ \" * : < > ? |, as a FAT32 "
		  "volume label, like FERRYUSB)" },
		{ BASE "[export]\n\tvalid-for = soon\n",
		  "ferry.conf: export.valid-for: invalid duration 'soon' (use "
		  "a number with s, m, h or d, like 30s or 6h)" },
		{ BASE "[export]\n\tkye = k\n",
		  "ferry.conf: export.kye: unknown key (did you mean 'key'?)" },
		{ BASE "[import]\n\ttrusted-key = \"\"\n",
		  "ferry.conf: import.trusted-key: invalid key '' (give the "
		  "exporter's public key, the 'RW...' line of its ferry.pub, "
		  "or that file)" },
		{ BASE "[imprt]\n\ttrusted-key = x\n",
		  "ferry.conf: imprt.trusted-key: unknown section 'imprt' "
		  "(did you mean 'import'?)" },
		{ BASE "[fetch]\n\tcolour = red\n",
		  "ferry.conf: fetch.colour: unknown key (valid keys: "
		  "user-agent, ca-file, timeout, connect-timeout, "
		  "max-file-size, low-speed-limit, low-speed-time, "
		  "connections-per-host, connections, delay, max-redirects, "
		  "retries, retry-time, remove-after)" },
		{ BASE "\tcolour = red\n",
		  "ferry.conf: source.city.colour: unknown key (valid keys: "
		  "url, depth, robots, max-resources, max-bytes, allow, "
		  "include, exclude, interval)" },
		{ BASE "\trobot = obey\n",
		  "ferry.conf: source.city.robot: unknown key "
		  "(did you mean 'robots'?)" },
		{ BASE "[mirror]\n\ttimeout = 5m\n",
		  "ferry.conf: mirror.timeout: unknown key "
		  "(it belongs in [fetch])" },
		{ BASE "[fetch]\n\turl = https://www.lapl.org/\n",
		  "ferry.conf: fetch.url: unknown key "
		  "(it belongs in [source \"NAME\"])" },
		{ BASE "[sorce \"la\"]\n\turl = https://www.lapl.org/\n",
		  "ferry.conf: sorce.la.url: unknown section 'sorce' "
		  "(did you mean 'source'?)" },
		{ BASE "[color]\n\tui = auto\n",
		  "ferry.conf: color.ui: unknown section 'color' "
		  "(valid sections: mirror, fetch, source, daemon, export, "
		  "import, publish, follow, credentials)" },
		{ BASE "[publish]\n\tremote = https://u:pw@git.example.org/r\n",
		  "ferry.conf: publish.remote: a password in the remote's URL "
		  "would show in logs (remove it and name a file holding it "
		  "with [credentials] token-file)" },
		{ BASE "[publish]\n\tremote = ftp://h/r.git\n",
		  "ferry.conf: publish.remote: unsupported remote "
		  "'ftp://h/r.git' (use https, http, ssh, git or file URLs, "
		  "or a directory)" },
		{ BASE "[publish]\n\tremote = \"a b\"\n",
		  "ferry.conf: publish.remote: invalid remote 'a b' (give a "
		  "git URL like https://git.example.org/ferry/city.git, "
		  "git@host:city.git or a directory)" },
		{ BASE "[follow]\n\tremote = /srv/hub.git\n",
		  "ferry.conf: follow.remote: a mirror either crawls its "
		  "sources or follows a hub (remove the [source] sections or "
		  "the [follow] remote)" },
		{ BASE "[follow]\n\tbranch = a..b\n",
		  "ferry.conf: follow.branch: invalid branch name 'a..b' "
		  "(like main)" },
		{ BASE "[follow]\n\tallow-rewrite = maybe\n",
		  "ferry.conf: follow.allow-rewrite: invalid value 'maybe' "
		  "(use true or false)" },
		{ BASE "[credentials]\n\tssh-host-key = MD5:ab:cd\n",
		  "ferry.conf: credentials.ssh-host-key: invalid fingerprint "
		  "'MD5:ab:cd' (give it as 'ssh-keygen -lf' prints it: "
		  "SHA256: and 43 characters)" },
		{ BASE "[credentials]\n\ttoken-user = a:b\n",
		  "ferry.conf: credentials.token-user: invalid user name "
		  "'a:b'" },
		{ "[mirror]\n\tpath = m\n[follow]\n\tbranch = main\n",
		  "ferry.conf: no source configured (add a [source \"NAME\"] "
		  "section with a url, a [follow] remote to follow a hub, or, "
		  "at a site that takes in sticks, an [import] trusted-key)" },
		{ BASE "[fetch \"fast\"]\n\ttimeout = 1m\n",
		  "ferry.conf: fetch.fast.timeout: [fetch] takes no name "
		  "(write [fetch], not [fetch \"fast\"])" },
		{ BASE "[source]\n\turl = https://www.lapl.org/\n",
		  "ferry.conf: source.url: source without a name "
		  "(use [source \"NAME\"])" },
		{ BASE "[fetch]\n\ttimeout\n",
		  "ferry.conf: fetch.timeout: no value "
		  "(write 'timeout = VALUE')" },

		/* missing and repeated */
		{ BASE "[source \"la\"]\n\tdepth = 2\n",
		  "ferry.conf: source.la.url: missing "
		  "(every source needs the address of its page)" },
		{ "[source \"city\"]\n\turl = https://mayor.lacity.gov/KYR\n",
		  "ferry.conf: mirror.path: missing (set the directory of "
		  "the mirror, like /var/lib/ferry/mirror)" },
		{ "[mirror]\n\tpath = m\n",
		  "ferry.conf: no source configured "
		  "(add a [source \"NAME\"] section with a url, a [follow] "
		  "remote to follow a hub, or, at a site that takes in sticks, "
		  "an [import] trusted-key)" },
		{ "",
		  "ferry.conf: mirror.path: missing (set the directory of "
		  "the mirror, like /var/lib/ferry/mirror)\n"
		  "ferry.conf: no source configured "
		  "(add a [source \"NAME\"] section with a url, a [follow] "
		  "remote to follow a hub, or, at a site that takes in sticks, "
		  "an [import] trusted-key)" },
		{ BASE "[fetch]\n\ttimeout = 5m\n\ttimeout = 10m\n",
		  "ferry.conf: fetch.timeout: set more than once, "
		  "'5m' and '10m' (keep one)" },
		{ BASE "[mirror]\n\tpath = other\n",
		  "ferry.conf: mirror.path: set more than once, "
		  "'m' and 'other' (keep one)" },
		{ BASE "[source \"city\"]\n\turl = https://www.lapl.org/\n",
		  "ferry.conf: source.city.url: set more than once, "
		  "'https://mayor.lacity.gov/KYR' and "
		  "'https://www.lapl.org/' (keep one)" },

		/* values */
		{ BASE "\tinterval = 0\n",
		  "ferry.conf: source.city.interval: invalid duration '0' "
		  "(use at least 1s)" },
		{ BASE "\tinterval = 400d\n",
		  "ferry.conf: source.city.interval: invalid duration "
		  "'400d' (use at most 365d)" },
		{ BASE "\tinterval = often\n",
		  "ferry.conf: source.city.interval: invalid duration "
		  "'often' (use a number with s, m, h or d, like 30s or 6h)" },
		{ BASE "[mirror]\n\tjitter = 2d\n",
		  "ferry.conf: mirror.jitter: invalid duration '2d' "
		  "(use at most 86400s)" },
		{ BASE "[mirror]\n\tadmin = root\n",
		  "ferry.conf: mirror.admin: invalid admin 'root' (use a "
		  "name and an address, like 'Site Admin "
		  "<admin@example.org>')" },
		{ BASE "[daemon]\n\tquiet-period = 2h\n",
		  "ferry.conf: daemon.quiet-period: invalid duration '2h' "
		  "(use at most 3600s)" },
		{ BASE "[daemon]\n\tbackoff = 0\n",
		  "ferry.conf: daemon.backoff: invalid duration '0' "
		  "(use at least 1s)" },
		{ BASE "[daemon]\n\tinterval = 1h\n",
		  "ferry.conf: daemon.interval: unknown key (it belongs in "
		  "[source \"NAME\"])" },
		{ "[mirror]\n\tpath =\n[source \"city\"]\n"
		  "\turl = https://mayor.lacity.gov/KYR\n",
		  "ferry.conf: mirror.path: empty value (set the directory "
		  "of the mirror, like /var/lib/ferry/mirror)" },
		{ BASE "[source \"ftp\"]\n\turl = ftp://ftp.lacity.org/kyr\n",
		  "ferry.conf: source.ftp.url: unsupported URL "
		  "'ftp://ftp.lacity.org/kyr' (only http and https pages "
		  "can be mirrored)" },
		{ BASE "[source \"bad\"]\n\turl = http://\n",
		  "ferry.conf: source.bad.url: invalid URL 'http://' (use "
		  "the full address of the page, starting with https:// or "
		  "http://)" },
		{ BASE "[fetch]\n\ttimeout = 5 parsecs\n",
		  "ferry.conf: fetch.timeout: invalid duration '5 parsecs' "
		  "(use a number with s, m, h or d, like 30s or 6h)" },
		{ BASE "[fetch]\n\tconnect-timeout = 0\n",
		  "ferry.conf: fetch.connect-timeout: invalid duration '0' "
		  "(use at least 1s)" },
		{ BASE "[fetch]\n\tmax-file-size = 12 parsecs\n",
		  "ferry.conf: fetch.max-file-size: invalid size "
		  "'12 parsecs' (use a number with K, M, G or T, like 512M "
		  "or 2G)" },
		{ BASE "[fetch]\n\tmax-file-size = 0\n",
		  "ferry.conf: fetch.max-file-size: invalid size '0' "
		  "(use at least 1, like 512M)" },
		{ BASE "[fetch]\n\tconnections-per-host = 17\n",
		  "ferry.conf: fetch.connections-per-host: invalid number "
		  "'17' (use a whole number from 1 to 16)" },
		{ BASE "[fetch]\n\tconnections = 0\n",
		  "ferry.conf: fetch.connections: invalid number "
		  "'0' (use a whole number from 1 to 256)" },
		{ BASE "[fetch]\n\tlow-speed-limit = slow\n",
		  "ferry.conf: fetch.low-speed-limit: invalid size 'slow' "
		  "(use a number with K, M, G or T, like 512M or 2G; 0 "
		  "turns the limit off)" },
		{ BASE "[fetch]\n\tlow-speed-time = 0\n",
		  "ferry.conf: fetch.low-speed-time: invalid duration '0' "
		  "(use at least 1s)" },
		{ BASE "[fetch]\n\tdelay = 2h\n",
		  "ferry.conf: fetch.delay: invalid duration '2h' "
		  "(use at most 3600s)" },
		{ BASE "[fetch]\n\tdelay = 0.5\n",
		  "ferry.conf: fetch.delay: invalid duration '0.5' "
		  "(use a number with s, m, h or d, like 30s or 6h)" },
		{ BASE "[fetch]\n\tmax-redirects = 21\n",
		  "ferry.conf: fetch.max-redirects: invalid number "
		  "'21' (use a whole number from 0 to 20)" },
		{ BASE "[fetch]\n\tretries = many\n",
		  "ferry.conf: fetch.retries: invalid number "
		  "'many' (use a whole number from 0 to 10)" },
		{ BASE "[fetch]\n\tretry-time = 2d\n",
		  "ferry.conf: fetch.retry-time: invalid duration '2d' "
		  "(use at most 86400s)" },
		{ BASE "[fetch]\n\tremove-after = 0\n",
		  "ferry.conf: fetch.remove-after: invalid number "
		  "'0' (use a whole number from 1 to 100)" },
		{ BASE "\trobots = yes\n",
		  "ferry.conf: source.city.robots: invalid value 'yes' "
		  "(use obey or ignore)" },
		{ BASE "\tmax-resources = 0\n",
		  "ferry.conf: source.city.max-resources: invalid number "
		  "'0' (use a whole number from 1 to 100000000)" },
		{ BASE "\tmax-bytes = 0\n",
		  "ferry.conf: source.city.max-bytes: invalid size '0' "
		  "(use at least 1, like 2G)" },
		{ BASE "\tdepth = 11\n",
		  "ferry.conf: source.city.depth: invalid number '11' "
		  "(use a whole number from 0 to 10)" },
		{ BASE "\tdepth = -1\n",
		  "ferry.conf: source.city.depth: invalid number '-1' "
		  "(use a whole number from 0 to 10)" },
		{ BASE "\tdepth = two\n",
		  "ferry.conf: source.city.depth: invalid number 'two' "
		  "(use a whole number from 0 to 10)" },
		{ BASE "[mirror]\n\tauthor = ferry\n",
		  "ferry.conf: mirror.author: invalid author 'ferry' (use a "
		  "name and an address, like 'ferry <ferry@localhost>')" },
		{ BASE "[mirror]\n\tauthor = <ferry@localhost>\n",
		  "ferry.conf: mirror.author: invalid author "
		  "'<ferry@localhost>' (use a name and an address, like "
		  "'ferry <ferry@localhost>')" },
		{ BASE "[mirror]\n\tauthor = ferry <> \n",
		  "ferry.conf: mirror.author: invalid author 'ferry <>' (use "
		  "a name and an address, like 'ferry <ferry@localhost>')" },
		{ BASE "[fetch]\n\tuser-agent = \"\"\n",
		  "ferry.conf: fetch.user-agent: invalid user agent '' (use "
		  "printable text on one line, like 'ferry/1.0 "
		  "(+https://example.org/)')" },
		{ BASE "[fetch]\n\tuser-agent = \"ferry\\nX-Evil: 1\"\n",
		  "ferry.conf: fetch.user-agent: invalid user agent "
		  "'ferry?X-Evil: 1' (use printable text on one line, like "
		  "'ferry/1.0 (+https://example.org/)')" },
		{ BASE "[fetch]\n\tca-file = \"\"\n",
		  "ferry.conf: fetch.ca-file: empty value (name a file of PEM "
		  "certificates, or leave the key out to trust the system's)" },
		{ BASE "[fetch]\n\tca-file = /nonexistent/ca.pem\n",
		  "ferry.conf: fetch.ca-file: cannot read "
		  "'/nonexistent/ca.pem': No such file or directory (name a "
		  "file of PEM certificates)" },
		{ BASE "\tallow = www.lapl.org/redcards\n",
		  "ferry.conf: source.city.allow: invalid host "
		  "'www.lapl.org/redcards' (use a host name without scheme "
		  "or path, like www.lapl.org or localhost:8080)" },
		{ BASE "\tallow = https://www.lapl.org\n",
		  "ferry.conf: source.city.allow: invalid host "
		  "'https://www.lapl.org' (use a host name without scheme "
		  "or path, like www.lapl.org or localhost:8080)" },
		{ BASE "\texclude = \"\"\n",
		  "ferry.conf: source.city.exclude: invalid pattern '' (use "
		  "a URL pattern, like https://www.lapl.org/*.pdf)" },

		/* source names */
		{ BASE "[source \"la city\"]\n\turl = https://www.lapl.org/\n"
		  "\tdepth = 2\n",
		  "ferry.conf: source.la city.url: invalid source name "
		  "'la city' (use 1 to 64 letters, digits, '.', '_' or '-', "
		  "starting with a letter or digit)" },
		{ BASE "[source \"-x\"]\n\turl = https://www.lapl.org/\n",
		  "ferry.conf: source.-x.url: invalid source name '-x' (use "
		  "1 to 64 letters, digits, '.', '_' or '-', starting with a "
		  "letter or digit)" },
		{ BASE "[source \"\"]\n\turl = https://www.lapl.org/\n",
		  "ferry.conf: source..url: invalid source name '' (use "
		  "1 to 64 letters, digits, '.', '_' or '-', starting with a "
		  "letter or digit)" },
		{ BASE "[source \"a123456789b123456789c123456789d123456789"
		  "e123456789f123456789g1234\"]\n"
		  "\turl = https://www.lapl.org/\n",
		  "ferry.conf: source.a123456789b123456789c123456789d123456789"
		  "e123456789f123456789g1234.url: invalid source name "
		  "'a123456789b123456789c123456789d123456789e123456789"
		  "f123456789g1234' (use 1 to 64 letters, digits, '.', '_' "
		  "or '-', starting with a letter or digit)" },

		/* syntax, with the line number */
		{ BASE "[fetch\n\ttimeout = 5m\n",
		  "ferry.conf:5: syntax error: missing ']' in section "
		  "header" },
		{ "[mirror]\n\tpath = m\n\tpa th = n\n",
		  "ferry.conf:3: syntax error: invalid configuration key" },
		{ "[source \"city]\n",
		  "ferry.conf:1: syntax error: missing closing quotation "
		  "mark in section header" },
		{ BASE "\tdepth = 2\n[include]\n\tpath = ferry.conf\n",
		  "ferry.conf: include.path: nested too deep (a file "
		  "includes itself, or includes nest more than 10 deep)" },
		{ BASE "[mirror]\n\tauthor = \"a\\qb <a@b>\"\n",
		  "ferry.conf: syntax error: invalid escape at qb <a@b>\"" },

		/* every problem, one per line */
		{ "[mirror]\n\tpath = m\n\tauthor = nobody\n"
		  "[fetch]\n\ttimeout = forever\n\tmax-file-size = huge\n"
		  "[source \"la-city\"]\n\tdepht = 2\n"
		  "[source \"lapl\"]\n\turl = gopher://lapl.org/\n",
		  "ferry.conf: mirror.author: invalid author 'nobody' (use a "
		  "name and an address, like 'ferry <ferry@localhost>')\n"
		  "ferry.conf: fetch.timeout: invalid duration 'forever' "
		  "(use a number with s, m, h or d, like 30s or 6h)\n"
		  "ferry.conf: fetch.max-file-size: invalid size 'huge' (use "
		  "a number with K, M, G or T, like 512M or 2G)\n"
		  "ferry.conf: source.la-city.depht: unknown key (did you "
		  "mean 'depth'?)\n"
		  "ferry.conf: source.lapl.url: unsupported URL "
		  "'gopher://lapl.org/' (only http and https pages can be "
		  "mirrored)\n"
		  "ferry.conf: source.la-city.url: missing (every source "
		  "needs the address of its page)" },
	};
	struct conf	*conf;
	char		 what[64];
	size_t		 i;
	int		 rc;

	for (i = 0; i < nitems(rows); i++) {
		write_file("ferry.conf", rows[i].text);
		/* Not NULL, to see that conf_load resets it on failure. */
		conf = (struct conf *)&conf;
		err_clear();
		rc = conf_load("ferry.conf", &conf);
		snprintf(what, sizeof what, "row %zu: message", i);
		EXPECT_STR(what, rows[i].text, rows[i].expected,
		    rc == 0 ? "(success)" : err_msg());
		snprintf(what, sizeof what, "row %zu: return code", i);
		EXPECT_INT(what, rows[i].text, FERRY_ECONFIG, rc);
		snprintf(what, sizeof what, "row %zu: conf", i);
		EXPECT_STR(what, rows[i].text, "NULL", conf ? "set" : "NULL");
	}
}

static void
conf_caps_the_number_of_problems(void **state)
{
	struct buf	 text = BUF_INIT;
	struct conf	*conf = NULL;
	const char	*msg, *p;
	int		 i, lines;

	buf_addstr(&text, BASE "[fetch]\n");
	for (i = 0; i < 40; i++)	/* short lines: "did you mean" */
		buf_addf(&text, "\tdelay%d = x\n", i);
	write_file("ferry.conf", text.ptr);
	assert_int_equal(conf_load("ferry.conf", &conf), FERRY_ECONFIG);
	msg = err_msg();
	for (lines = 1, p = msg; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	EXPECT_INT("lines", text.ptr, 16, lines);
	EXPECT_STR("last line", text.ptr,
	    "ferry.conf: 25 more problems not shown", strrchr(msg, '\n') + 1);
	buf_free(&text);
}

static void
conf_reports_unreadable_files(void **state)
{
	static const struct {
		const char	*path;
		const char	*expected;
	} rows[] = {
		{ "nothere.conf",
		  "cannot read 'nothere.conf': No such file or directory" },
		{ "nodir/ferry.conf",
		  "cannot read 'nodir/ferry.conf': No such file or "
		  "directory" },
		{ ".", "cannot read '.': Is a directory" },
	};
	struct conf	*conf;
	size_t		 i;
	int		 rc;

	for (i = 0; i < nitems(rows); i++) {
		conf = (struct conf *)&conf;
		err_clear();
		rc = conf_load(rows[i].path, &conf);
		EXPECT_STR("message", rows[i].path, rows[i].expected,
		    rc == 0 ? "(success)" : err_msg());
		EXPECT_INT("return code", rows[i].path, FERRY_ERROR, rc);
		EXPECT_STR("conf", rows[i].path, "NULL", conf ? "set" : "NULL");
	}
}

static void
conf_reports_syntax_errors_in_included_files(void **state)
{
	static const char text[] =
		BASE
		"[include]\n"
		"\tpath = inc/broken.conf\n";
	struct conf	*conf = NULL;
	int		 rc;

	mkdir("inc", 0755);
	write_file("inc/broken.conf", "# broken\n[fetch]\n\ttime out = 1\n");
	write_file("ferry.conf", text);
	rc = conf_load("ferry.conf", &conf);
	EXPECT_INT("return code", text, FERRY_ECONFIG, rc);
	EXPECT_STR("message", text,
	    "./inc/broken.conf:3: syntax error: invalid configuration key",
	    err_msg());
	assert_null(conf);
}

static void
conf_parses_durations(void **state)
{
	static const struct {
		const char	*in;
		int		 ok;
		long		 seconds;
	} rows[] = {
		{ "30", 1, 30 },
		{ "30s", 1, 30 },
		{ "5m", 1, 300 },
		{ "6h", 1, 21600 },
		{ "1d", 1, 86400 },
		{ "2w", 1, 1209600 },
		{ "0", 1, 0 },
		{ "0s", 1, 0 },
		{ "007m", 1, 420 },
		{ "2147483647", 1, 2147483647L },
		{ "", 0, 0 },
		{ "s", 0, 0 },
		{ "-5s", 0, 0 },
		{ "+5s", 0, 0 },
		{ " 5s", 0, 0 },
		{ "5s ", 0, 0 },
		{ "5 s", 0, 0 },
		{ "5 parsecs", 0, 0 },
		{ "5sec", 0, 0 },
		{ "5ms", 0, 0 },
		{ "5M", 0, 0 },
		{ "5H", 0, 0 },
		{ "5hh", 0, 0 },
		{ "1.5h", 0, 0 },
		{ "0x10", 0, 0 },
		{ "99999999999999999999", 0, 0 },
		{ "99999999999999999999s", 0, 0 },
	};
	char	 in[64], what[96];
	long	 v;
	size_t	 i;
	int	 rc;

	for (i = 0; i < nitems(rows); i++) {
		v = -1;
		rc = conf_parse_duration(rows[i].in, &v);
		snprintf(what, sizeof what, "row %zu: accepted", i);
		EXPECT_INT(what, rows[i].in, rows[i].ok, rc == 0);
		if (rows[i].ok) {
			snprintf(what, sizeof what, "row %zu: seconds", i);
			EXPECT_INT(what, rows[i].in, rows[i].seconds, v);
		} else {
			snprintf(what, sizeof what, "row %zu: untouched", i);
			EXPECT_INT(what, rows[i].in, -1, v);
		}
	}

	/* The edges of long, whatever its width here. */
	snprintf(in, sizeof in, "%ld", LONG_MAX);
	EXPECT_INT("LONG_MAX", in, 0, conf_parse_duration(in, &v));
	EXPECT_INT("LONG_MAX value", in, LONG_MAX, v);
	snprintf(in, sizeof in, "%lus", (unsigned long)LONG_MAX + 1);
	EXPECT_INT("LONG_MAX + 1", in, 1, conf_parse_duration(in, &v) != 0);
	snprintf(in, sizeof in, "%ldm", LONG_MAX / 60);
	EXPECT_INT("LONG_MAX / 60 minutes", in, 0,
	    conf_parse_duration(in, &v));
	snprintf(in, sizeof in, "%ldm", LONG_MAX / 60 + 1);
	EXPECT_INT("LONG_MAX / 60 + 1 minutes", in, 1,
	    conf_parse_duration(in, &v) != 0);
	snprintf(in, sizeof in, "%ldw", LONG_MAX / 604800 + 1);
	EXPECT_INT("too many weeks", in, 1, conf_parse_duration(in, &v) != 0);

	conf_parse_duration("5 parsecs", &v);
	EXPECT_STR("message", "5 parsecs", "invalid duration '5 parsecs' "
	    "(use a number with s, m, h or d, like 30s or 6h)", err_msg());
}

static void
conf_parses_sizes(void **state)
{
	static const struct {
		const char	*in;
		int		 ok;
		int64_t		 bytes;
	} rows[] = {
		{ "0", 1, 0 },
		{ "1024", 1, 1024 },
		{ "512k", 1, 512 * 1024 },
		{ "512K", 1, 512 * 1024 },
		{ "512KiB", 1, 512 * 1024 },
		{ "200m", 1, 200LL << 20 },
		{ "200M", 1, 200LL << 20 },
		{ "200MiB", 1, 200LL << 20 },
		{ "2g", 1, 2LL << 30 },
		{ "2G", 1, 2LL << 30 },
		{ "2GiB", 1, 2LL << 30 },
		{ "1t", 1, 1LL << 40 },
		{ "1T", 1, 1LL << 40 },
		{ "1TiB", 1, 1LL << 40 },
		{ "9223372036854775807", 1, INT64_MAX },
		{ "8388607T", 1, 8388607LL << 40 },
		{ "9223372036854775808", 0, 0 },
		{ "8388608T", 0, 0 },
		{ "9007199254740992K", 0, 0 },
		{ "", 0, 0 },
		{ "K", 0, 0 },
		{ "-1", 0, 0 },
		{ "-1K", 0, 0 },
		{ "+1K", 0, 0 },
		{ "1.5G", 0, 0 },
		{ "1 K", 0, 0 },
		{ " 1K", 0, 0 },
		{ "1K ", 0, 0 },
		{ "1KK", 0, 0 },
		{ "1KB", 0, 0 },
		{ "1kib", 0, 0 },
		{ "1B", 0, 0 },
		{ "1P", 0, 0 },
		{ "0x10", 0, 0 },
		{ "12 parsecs", 0, 0 },
	};
	char	 what[96];
	int64_t	 v;
	size_t	 i;
	int	 rc;

	for (i = 0; i < nitems(rows); i++) {
		v = -1;
		rc = conf_parse_size(rows[i].in, &v);
		snprintf(what, sizeof what, "row %zu: accepted", i);
		EXPECT_INT(what, rows[i].in, rows[i].ok, rc == 0);
		if (rows[i].ok) {
			snprintf(what, sizeof what, "row %zu: bytes", i);
			EXPECT_INT(what, rows[i].in, rows[i].bytes, v);
		} else {
			snprintf(what, sizeof what, "row %zu: untouched", i);
			EXPECT_INT(what, rows[i].in, -1, v);
		}
	}
	conf_parse_size("12 parsecs", &v);
	EXPECT_STR("message", "12 parsecs", "invalid size '12 parsecs' "
	    "(use a number with K, M, G or T, like 512M or 2G)", err_msg());
}

static void
conf_print_round_trips(void **state)
{
	static const struct {
		const char	*text;
		const char	*printed;	/* NULL: not compared */
	} rows[] = {
		{ full_text, full_printed },
		{ minimal_text, NULL },
		{ "[mirror]\n"
		  "\tpath = \"/srv/with\\ttab and \\\"quotes\\\" \"\n"
		  "\tauthor = \"A; B <a#b@example.org>\"\n"
		  "[fetch]\n"
		  "\ttimeout = 1w\n"
		  "\tconnect-timeout = 3601\n"
		  "\tmax-file-size = 1025\n"
		  "[source \"x\"]\n"
		  "\turl = \"https://www.lapl.org/a;b\"\n"
		  "\tinclude = \"https://www.lapl.org/*#*\"\n"
		  "\texclude = \"  *\"\n",
		  "[mirror]\n"
		  "\tpath = \"/srv/with\\ttab and \\\"quotes\\\" \"\n"
		  "\tauthor = \"A; B <a#b@example.org>\"\n"
		  "\tfsync = true\n"
		  "\tgc-threshold = 1000\n"
		  "\tjitter = 5m\n"
		  "\n"
		  "[fetch]\n"
		  "\tuser-agent = ferry/" PACKAGE_VERSION
		      " (+offline mirror)\n"
		  "\ttimeout = 7d\n"
		  "\tconnect-timeout = 3601s\n"
		  "\tlow-speed-limit = 1K\n"
		  "\tlow-speed-time = 1m\n"
		  "\tmax-file-size = 1025\n"
		  "\tconnections-per-host = 4\n"
		  "\tconnections = 16\n"
		  "\tdelay = 0s\n"
		  "\tmax-redirects = 10\n"
		  "\tretries = 2\n"
		  "\tretry-time = 5m\n"
		  "\tremove-after = 3\n"
		  "\n"
		  "[daemon]\n"
		  "\tquiet-period = 2s\n"
		  "\tbackoff = 1m\n"
		  "\n"
		  "[export]\n"
		  "\tvalid-for = 90d\n"
		  "\tlabel = FERRYUSB\n"
		  "\n"
		  "[source \"x\"]\n"
		  "\turl = \"https://www.lapl.org/a;b\"\n"
		  "\tdepth = 1\n"
		  "\trobots = obey\n"
		  "\tinterval = 6h\n"
		  "\tinclude = \"https://www.lapl.org/*#*\"\n"
		  "\texclude = \"  *\"\n" },
	};
	struct conf	*a, *b;
	struct buf	 first = BUF_INIT, second = BUF_INIT;
	size_t		 i;

	for (i = 0; i < nitems(rows); i++) {
		a = load_ok("ferry.conf", rows[i].text);
		assert_int_equal(conf_print(a, &first), 0);
		if (rows[i].printed != NULL)
			EXPECT_STR("printed", rows[i].text, rows[i].printed,
			    first.ptr);
		b = load_ok("printed.conf", first.ptr);
		expect_same_conf(first.ptr, a, b);
		assert_int_equal(conf_print(b, &second), 0);
		EXPECT_STR("printed twice", first.ptr, first.ptr, second.ptr);
		conf_free(a);
		conf_free(b);
		buf_reset(&first);
		buf_reset(&second);
	}
	buf_free(&first);
	buf_free(&second);
}

/* A hub that publishes, a follower, credentials: read and printed. */
static void
conf_loads_remotes(void **state)
{
	static const char hub[] =
		"[mirror]\n\tpath = m\n"
		"[source \"x\"]\n\turl = https://www.lapl.org/\n"
		"[publish]\n\tremote = https://git.example.org/p/x.git\n"
		"\tremote = backup\n\tremote = git@host:x.git\n"
		"\tremote = https://git.example.org/p/x.git\n"
		"\tsign-key = hub.key\n"
		"[credentials]\n\ttoken-file = token\n\ttoken-user = bot\n"
		"\tssh-host-key = SHA256:"
		"nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8\n";
	static const char follower[] =
		"[mirror]\n\tpath = m\n"
		"[follow]\n\tremote = ssh://git@host/x.git\n"
		"\tbranch = stable\n\tinterval = 30m\n"
		"\tallow-rewrite = yes\n";
	struct conf	*a, *b;
	struct buf	 p = BUF_INIT, q = BUF_INIT;
	char		*backup, *key;

	a = load_ok("ferry.conf", hub);
	assert_int_equal(a->npublish, 3);	/* the repeat kept once */
	assert_string_equal(a->publish[0], "https://git.example.org/p/x.git");
	backup = in_tmp("backup");
	key = in_tmp("hub.key");
	assert_string_equal(a->publish[1], backup);
	assert_string_equal(a->publish[2], "git@host:x.git");
	assert_string_equal(a->sign_key, key);
	assert_string_equal(a->token_user, "bot");
	assert_null(a->follow);
	assert_int_equal(conf_print(a, &p), 0);
	b = load_ok("printed.conf", p.ptr);
	assert_int_equal(conf_print(b, &q), 0);
	assert_string_equal(p.ptr, q.ptr);
	conf_free(a);
	conf_free(b);
	buf_reset(&p);
	buf_reset(&q);

	a = load_ok("ferry.conf", follower);
	assert_int_equal(a->nsources, 0);
	assert_string_equal(a->follow, "ssh://git@host/x.git");
	assert_string_equal(a->follow_branch, "stable");
	assert_int_equal(a->follow_interval, 1800);
	assert_int_equal(a->allow_rewrite, 1);
	assert_int_equal(conf_print(a, &p), 0);
	assert_non_null(strstr(p.ptr, "[follow]\n\tremote = "
	    "ssh://git@host/x.git\n\tbranch = stable\n\tinterval = 30m\n"
	    "\tallow-rewrite = true\n"));
	b = load_ok("printed.conf", p.ptr);
	assert_string_equal(b->follow, a->follow);
	conf_free(a);
	conf_free(b);
	buf_free(&p);
	buf_free(&q);
	free(backup);
	free(key);
	(void)state;
}

/* How a remote is named in messages: never with its password. */
static void
conf_remote_display_drops_passwords(void **state)
{
	static const struct {
		const char	*url;
		const char	*shown;
	} rows[] = {
		{ "https://git.example.org/r.git", "https://git.example.org/r.git" },
		{ "https://u:secret@h/r.git", "https://u@h/r.git" },
		{ "https://u@h/r.git", "https://u@h/r.git" },
		{ "https://:secret@h/r", "https://@h/r" },
		{ "https://h/a@b", "https://h/a@b" },
		{ "git@host:x.git", "git@host:x.git" },
		{ "/srv/a:b@c.git", "/srv/a:b@c.git" },
	};
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < nitems(rows); i++) {
		buf_reset(&b);
		conf_remote_display(rows[i].url, &b);
		EXPECT_STR("shown", rows[i].url, rows[i].shown, b.ptr);
	}
	buf_free(&b);
	(void)state;
}

static void
conf_print_respects_the_buffer_cap(void **state)
{
	struct conf	*conf;
	struct buf	 b;

	conf = load_ok("ferry.conf", minimal_text);
	buf_init(&b, 16);
	assert_int_equal(conf_print(conf, &b), FERRY_ETOOBIG);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	conf_free(conf);
}

static void
conf_source_finds_by_name(void **state)
{
	static const struct {
		const char	*name;
		const char	*url;	/* NULL: not found */
	} rows[] = {
		{ "la-city", "https://mayor.lacity.gov/KYR" },
		{ "Board.v2", "http://example.org/board" },
		{ "board.v2", NULL },
		{ "LA-CITY", NULL },
		{ "la", NULL },
		{ "", NULL },
	};
	const struct conf_source	*s;
	struct conf			*conf;
	size_t				 i;

	conf = load_ok("ferry.conf", full_text);
	for (i = 0; i < nitems(rows); i++) {
		s = conf_source(conf, rows[i].name);
		EXPECT_STR("url", rows[i].name, rows[i].url,
		    s ? s->url : NULL);
	}
	conf_free(conf);
}

/* The example shipped in conf/ must stay valid and say what it says. */
static void
conf_example_is_valid(void **state)
{
	static const char	*hosts[] = {
		"www.lapl.org", "www.ilrc.org", "publiccounsel.org",
		"bettzedek.org"
	};
	const struct conf_source	*s;
	struct conf			*conf = NULL;
	const char			*top;
	char				*path;
	size_t				 i, j;
	int				 rc;

	if ((top = getenv("srcdir")) == NULL)
		top = oldcwd;		/* run by hand from the top directory */
	if (top[0] == '/')
		xasprintf(&path, "%s/conf/ferry.conf", top);
	else
		xasprintf(&path, "%s/%s/conf/ferry.conf", oldcwd, top);
	rc = conf_load(path, &conf);
	EXPECT_STR("conf_load", path, "", rc == 0 ? "" : err_msg());
	EXPECT_STR("mirror.path", path, "/var/lib/ferry/mirror",
	    conf->mirror_path);
	EXPECT_STR("author name", path, "ferry", conf->author_name);
	EXPECT_STR("fetch.user-agent", path,
	    "ferry/" PACKAGE_VERSION " (+offline mirror)", conf->user_agent);
	EXPECT_INT("fetch.timeout", path, 300, conf->timeout);
	EXPECT_INT("fetch.connect-timeout", path, 30, conf->connect_timeout);
	EXPECT_INT("fetch.max-file-size", path, 512LL << 20,
	    conf->max_file_size);
	EXPECT_INT("fetch.connections-per-host", path, 4,
	    conf->connections_per_host);
	EXPECT_INT("nsources", path, 1, (long long)conf->nsources);
	s = conf_source(conf, "la-city");
	assert_non_null(s);
	EXPECT_STR("url", path, "https://mayor.lacity.gov/KYR", s->url);
	EXPECT_INT("depth", path, 1, s->depth);
	for (i = 0; i < nitems(hosts); i++) {
		for (j = 0; j < s->nallow; j++)
			if (strcmp(s->allow[j], hosts[i]) == 0)
				break;
		EXPECT_STR("allow", path, hosts[i],
		    j < s->nallow ? s->allow[j] : NULL);
	}
	conf_free(conf);
	free(path);
}

static void
conf_free_accepts_null(void **state)
{
	conf_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conf_loads_minimal_with_defaults),
		cmocka_unit_test(conf_loads_full),
		cmocka_unit_test(conf_resolves_mirror_path),
		cmocka_unit_test(conf_follows_include_path),
		cmocka_unit_test(conf_ignores_user_git_config),
		cmocka_unit_test(conf_reports_errors),
		cmocka_unit_test(conf_caps_the_number_of_problems),
		cmocka_unit_test(conf_reports_unreadable_files),
		cmocka_unit_test(conf_reports_syntax_errors_in_included_files),
		cmocka_unit_test(conf_parses_durations),
		cmocka_unit_test(conf_parses_sizes),
		cmocka_unit_test(conf_print_round_trips),
		cmocka_unit_test(conf_loads_remotes),
		cmocka_unit_test(conf_remote_display_drops_passwords),
		cmocka_unit_test(conf_print_respects_the_buffer_cap),
		cmocka_unit_test(conf_source_finds_by_name),
		cmocka_unit_test(conf_example_is_valid),
		cmocka_unit_test(conf_free_accepts_null),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
