/*
 * catalog.c -- catalog.conf: the administrator's overrides per resource.
 *
 * Owns the meaning of catalog.conf, a file at the mirror root in git's
 * config syntax (read by libgit2, so `git config -f catalog.conf` edits
 * it and include.path works):
 *
 *	[resource "site/www.lapl.org/redcards/ko.pdf"]
 *		title = Red Card (Korean)
 *		section = Red Cards
 *		lang = ko
 *		note = Printed copies at the front desk
 *		hidden = false
 *		order = 10
 *
 * A resource is named by its mirror path or by its URL (http or https,
 * normalised here).  The file is the administrator's, edited by hand, so
 * it is forgiving: a bad entry is reported (file, key, what is wrong, a
 * suggestion) and skipped, and everything else still applies; only a file
 * that cannot be read or parsed fails.  A key set twice for one resource
 * keeps its last value, as in git.  This module does not apply the
 * overrides, does not check that a named resource exists (see
 * catalog_count), does not watch the file and never opens the user's or
 * the system's git configuration.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "buf.h"
#include "catalog.h"
#include "conf.h"
#include "err.h"
#include "lang.h"
#include "strmap.h"
#include "url.h"
#include "xmalloc.h"

#define MAX_PROBLEMS	50	/* lines; then one line says how many more */

#define TEXT_HINT	"use text on one line"
#define LANG_HINT	"use a BCP 47 tag, like es, ko or zh-Hant"

/*
 * Overrides in the order their resources first appear in the file; bykey
 * maps each key to its index plus one, so a pointer never dangles while
 * items grows.
 */
struct catalog {
	struct catalog_override	*items;
	size_t			 nitems;
	struct strmap		*bykey;
};

/*
 * What one catalog_load() knows while it walks the entries.  bad holds
 * the resource names already reported as unusable, so a bad name costs
 * one line, not one per key.
 */
struct loader {
	const char	*file;
	struct catalog	*cat;
	struct buf	*problems;
	size_t		 nproblems;
	struct strmap	*bad;
};

typedef void	 setter(struct loader *, struct catalog_override *,
		    const char *, const char *);

struct keydef {
	const char	*name;
	setter		*set;
};

static void
problem(struct loader *ld, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
problem(struct loader *ld, const char *key, const char *fmt, ...)
{
	struct buf	 line = BUF_INIT;
	va_list		 ap;
	char		*msg;
	size_t		 i;

	if (++ld->nproblems > MAX_PROBLEMS || ld->problems == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		xmalloc((size_t)-1);	/* dies, saying memory ran out */
	va_end(ap);
	buf_addf(&line, "%s: %s: %s", ld->file, key, msg);
	free(msg);
	/* A name or a value may hold a newline: one problem, one line. */
	for (i = 0; i < line.len; i++)
		if ((unsigned char)line.ptr[i] < 0x20 || line.ptr[i] == 0x7f)
			line.ptr[i] = '?';
	buf_addc(&line, '\n');
	buf_add(ld->problems, line.ptr, line.len);
	buf_free(&line);
}

/*
 * Setters: one per key.  Each checks the value (NULL for a key written
 * without '=') and stores it, or reports a problem and stores nothing.
 */

static int
check_text(struct loader *ld, const char *key, const char *name,
    const char *value)
{
	if (value == NULL) {
		problem(ld, key, "no value (write '%s = TEXT')", name);
		return FERRY_ECONFIG;
	}
	if (*value == '\0') {
		problem(ld, key, "empty value (%s, or remove the line)",
		    TEXT_HINT);
		return FERRY_ECONFIG;
	}
	if (conf_has_control(value)) {
		problem(ld, key, "invalid %s '%s' (%s)", name, value,
		    TEXT_HINT);
		return FERRY_ECONFIG;
	}
	return 0;
}

static void
set_string(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

static void
set_title(struct loader *ld, struct catalog_override *o, const char *key,
    const char *value)
{
	if (check_text(ld, key, "title", value) == 0)
		set_string(&o->title, value);
}

static void
set_section(struct loader *ld, struct catalog_override *o, const char *key,
    const char *value)
{
	if (check_text(ld, key, "section", value) == 0)
		set_string(&o->section, value);
}

static void
set_note(struct loader *ld, struct catalog_override *o, const char *key,
    const char *value)
{
	if (check_text(ld, key, "note", value) == 0)
		set_string(&o->note, value);
}

static void
set_lang(struct loader *ld, struct catalog_override *o, const char *key,
    const char *value)
{
	char	tag[LANG_TAG_MAX], guess[LANG_TAG_MAX];

	if (value == NULL) {
		problem(ld, key, "no value (write 'lang = TAG', or 'lang =' "
		    "for no language)");
		return;
	}
	if (*value == '\0') {
		set_string(&o->lang, "");
		return;
	}
	if (lang_normalize(value, tag, sizeof tag) == 0) {
		set_string(&o->lang, tag);
		return;
	}
	if (lang_detect(NULL, value, NULL, NULL, NULL, guess,
	    sizeof guess) == 0 && *guess != '\0')
		problem(ld, key, "invalid language tag '%s' (did you mean "
		    "'%s'?)", value, guess);
	else
		problem(ld, key, "invalid language tag '%s' (%s)", value,
		    LANG_HINT);
}

static void
set_hidden(struct loader *ld, struct catalog_override *o, const char *key,
    const char *value)
{
	int	b;

	if (value == NULL) {		/* "hidden" alone is true, as in git */
		o->hidden = 1;
		return;
	}
	if (git_config_parse_bool(&b, value) != 0) {
		problem(ld, key, "invalid boolean '%s' (use true or false)",
		    value);
		return;
	}
	o->hidden = b != 0;
}

/* An optional sign and decimal digits, nothing else, within int. */
static int
parse_order(const char *s, int *out)
{
	long long	v = 0;
	int		neg = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (*s < '0' || *s > '9')
		return FERRY_ECONFIG;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > (long long)INT_MAX + neg)
			return FERRY_ECONFIG;
	}
	if (*s != '\0')
		return FERRY_ECONFIG;
	*out = (int)(neg ? -v : v);
	return 0;
}

static void
set_order(struct loader *ld, struct catalog_override *o, const char *key,
    const char *value)
{
	int	v;

	if (value == NULL) {
		problem(ld, key, "no value (write 'order = NUMBER')");
		return;
	}
	if (parse_order(value, &v) != 0) {
		problem(ld, key, "invalid order '%s' (use a whole number, "
		    "like 10; lower comes first)", value);
		return;
	}
	o->order = v;
	o->has_order = 1;
}

static const struct keydef keys[] = {
	{ "title",	set_title },
	{ "section",	set_section },
	{ "lang",	set_lang },
	{ "note",	set_note },
	{ "hidden",	set_hidden },
	{ "order",	set_order },
	{ NULL,		NULL }
};

static const struct keydef *
find_key(const char *name)
{
	const struct keydef	*kd;

	for (kd = keys; kd->name != NULL; kd++)
		if (strcmp(kd->name, name) == 0)
			return kd;
	return NULL;
}

static void
unknown_key(struct loader *ld, const char *key, const char *name)
{
	const struct keydef	*kd;
	const char		*best = NULL;
	size_t			 d, bestd = 3;

	for (kd = keys; kd->name != NULL; kd++) {
		if ((d = conf_distance(name, kd->name)) < bestd) {
			best = kd->name;
			bestd = d;
		}
	}
	if (best != NULL)
		problem(ld, key, "unknown key (did you mean '%s'?)", best);
	else
		problem(ld, key, "unknown key (valid keys: title, section, "
		    "lang, note, hidden, order)");
}

static void
unknown_section(struct loader *ld, const char *key, const char *section)
{
	if (conf_distance(section, "resource") < 3)
		problem(ld, key, "unknown section '%s' (did you mean "
		    "'resource'?)", section);
	else
		problem(ld, key, "unknown section '%s' (write "
		    "[resource \"PATH\"] or [resource \"URL\"])", section);
}

/*
 * The key a resource is filed under: a URL normalised, a path without a
 * leading "/" or "./".  NULL, reported once per name, when unusable.
 */
static char *
resource_key(struct loader *ld, const char *key, const char *name)
{
	const char	*p;
	char		*url = NULL;
	int		 rc;

	if (strstr(name, "://") != NULL) {
		if ((rc = url_normalize(name, &url)) == 0)
			return url;
		err_clear();
		if (strmap_get(ld->bad, name) == NULL) {
			strmap_put(ld->bad, name, ld);
			if (rc == FERRY_EUNSUPPORTED)
				problem(ld, key, "unsupported URL '%s' (only "
				    "http and https resources are mirrored)",
				    name);
			else
				problem(ld, key, "invalid URL '%s' (use the "
				    "full address, starting with https:// or "
				    "http://)", name);
		}
		return NULL;
	}
	for (p = name; *p == '/' || (p[0] == '.' && p[1] == '/'); )
		p += *p == '/' ? 1 : 2;
	if (*p == '\0' || conf_has_control(p)) {
		if (strmap_get(ld->bad, name) == NULL) {
			strmap_put(ld->bad, name, ld);
			problem(ld, key, "invalid resource '%s' (use a path in "
			    "the mirror, like site/www.lapl.org/ko.pdf, or "
			    "a URL)", name);
		}
		return NULL;
	}
	return xstrdup(p);
}

/* The override filed under key, added at the end if new. */
static struct catalog_override *
override_for(struct catalog *cat, char *key)
{
	struct catalog_override	*o;
	uintptr_t		 i;

	if ((i = (uintptr_t)strmap_get(cat->bykey, key)) != 0) {
		free(key);
		return &cat->items[i - 1];
	}
	cat->items = xreallocarray(cat->items, cat->nitems + 1,
	    sizeof *cat->items);
	o = &cat->items[cat->nitems++];
	memset(o, 0, sizeof *o);
	o->key = key;
	strmap_put(cat->bykey, key, (void *)(uintptr_t)cat->nitems);
	return o;
}

/* One entry: "resource.NAME.key" (NAME may hold dots) or anything else. */
static void
load_entry(struct loader *ld, const char *key, const char *value)
{
	const struct keydef	*kd;
	const char		*first, *last;
	char			*section = NULL, *name = NULL, *rkey;

	if ((first = strchr(key, '.')) == NULL) {
		problem(ld, key, "key outside any section (put it under "
		    "[resource \"PATH\"])");
		goto out;
	}
	last = strrchr(key, '.');
	section = xstrndup(key, (size_t)(first - key));
	if (strcmp(section, "include") == 0 ||
	    strcmp(section, "includeif") == 0)
		goto out;
	if (strcmp(section, "resource") != 0) {
		unknown_section(ld, key, section);
		goto out;
	}
	if (last == first) {
		problem(ld, key, "resource without a path or URL (write "
		    "[resource \"PATH\"] or [resource \"URL\"])");
		goto out;
	}
	name = xstrndup(first + 1, (size_t)(last - first - 1));
	if ((kd = find_key(last + 1)) == NULL) {
		unknown_key(ld, key, last + 1);
		goto out;
	}
	if ((rkey = resource_key(ld, key, name)) == NULL)
		goto out;
	kd->set(ld, override_for(ld->cat, rkey), key, value);
out:
	free(section);
	free(name);
}

/*
 * libgit2's message, reworded: "failed to parse config file: WHAT (in
 * PATH:LINE[, column N])" becomes "PATH:LINE: syntax error: WHAT".
 */
static int
git_failure(const char *file)
{
	static const char	 prefix[] = "failed to parse config file: ";
	const git_error		*e;
	const char		*msg, *in, *end;
	char			*loc = NULL, *p;
	int			 rc;

	e = git_error_last();
	msg = e != NULL && e->message != NULL ? e->message : "unknown error";
	if (strstr(msg, "include depth") != NULL)
		return err_code(FERRY_ECONFIG, "%s: include.path: nested too "
		    "deep (a file includes itself, or includes nest more "
		    "than 10 deep)", file);
	if (strncmp(msg, prefix, sizeof prefix - 1) != 0)
		return err_code(FERRY_ECONFIG, "%s: %s%s", file,
		    e != NULL && e->klass == GIT_ERROR_CONFIG ?
		    "syntax error: " : "", msg);
	msg += sizeof prefix - 1;
	for (in = NULL, p = strstr(msg, " (in "); p != NULL;
	    p = strstr(p + 1, " (in "))
		in = p;
	if (in == NULL || (end = strrchr(in, ')')) == NULL)
		return err_code(FERRY_ECONFIG, "%s: syntax error: %s", file,
		    msg);
	loc = xstrndup(in + 5, (size_t)(end - in - 5));
	if ((p = strstr(loc, ", column ")) != NULL)
		*p = '\0';
	if ((p = strrchr(loc, ':')) == NULL)
		rc = err_code(FERRY_ECONFIG, "%s: syntax error: %.*s", loc,
		    (int)(in - msg), msg);
	else {
		*p = '\0';
		rc = err_code(FERRY_ECONFIG, "%s:%s: syntax error: %.*s", loc,
		    p + 1, (int)(in - msg), msg);
	}
	free(loc);
	return rc;
}

/* 0 to read, FERRY_ENOTFOUND when missing, FERRY_ERROR when unreadable. */
static int
check_readable(const char *file)
{
	struct stat	st;
	int		fd, rc = FERRY_ERROR;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return FERRY_ENOTFOUND;
		return err_set("cannot read '%s': %s", file, strerror(errno));
	}
	if (fstat(fd, &st) == -1) {
		err_set("cannot read '%s': %s", file, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		err_set("cannot read '%s': %s", file, strerror(EISDIR));
		goto out;
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

static struct catalog *
catalog_new(void)
{
	struct catalog	*cat;

	cat = xcalloc(1, sizeof *cat);
	cat->bykey = strmap_new();
	return cat;
}

/*
 * Loads file into *out.  A missing file is an empty catalog.  Each bad
 * entry adds a line "FILE: KEY: what is wrong" to problems (which may be
 * NULL) and is skipped; past MAX_PROBLEMS lines, one more says how many
 * were left out, and a problems buffer with a cap keeps the lines that
 * fit.  Fails, with *out NULL and problems untouched, only when
 * the file cannot be read (FERRY_ERROR) or parsed (FERRY_ECONFIG, the
 * message naming the line).
 */
int
catalog_load(const char *file, struct catalog **out, struct buf *problems)
{
	struct loader		 ld;
	struct buf		 found = BUF_INIT;
	git_config		*cfg = NULL;
	git_config_iterator	*it = NULL;
	git_config_entry	*e;
	const char		*p, *nl;
	int			 gerr, rc = -1;

	*out = NULL;
	memset(&ld, 0, sizeof ld);
	ld.file = file;
	ld.problems = &found;
	ld.cat = catalog_new();
	ld.bad = strmap_new();
	if ((rc = check_readable(file)) == FERRY_ENOTFOUND) {
		err_clear();
		goto done;
	}
	if (rc != 0)
		goto out;
	rc = -1;
	if (git_config_open_ondisk(&cfg, file) != 0 ||
	    git_config_iterator_new(&it, cfg) != 0) {
		rc = git_failure(file);
		goto out;
	}
	while ((gerr = git_config_next(&e, it)) == 0)
		load_entry(&ld, e->name, e->value);
	if (gerr != GIT_ITEROVER) {
		rc = git_failure(file);
		goto out;
	}
	if (ld.nproblems > MAX_PROBLEMS)
		buf_addf(&found, "%s: %zu more problems not shown\n", file,
		    ld.nproblems - MAX_PROBLEMS);
	/* Line by line: a capped buffer keeps the first ones that fit. */
	for (p = found.ptr; problems != NULL && p != NULL && *p != '\0';
	    p = nl + 1) {
		nl = strchr(p, '\n');
		if (buf_add(problems, p, (size_t)(nl - p + 1)) != 0)
			break;
	}
done:
	*out = ld.cat;
	ld.cat = NULL;
	rc = 0;
out:
	git_config_iterator_free(it);
	git_config_free(cfg);
	catalog_free(ld.cat);
	strmap_free(ld.bad, NULL);
	buf_free(&found);
	return rc;
}

/*
 * The override for a resource: by its mirror path first, then by its
 * URL, which must be normalised already (as ferry keeps URLs).  NULL when
 * the catalog says nothing about it.
 */
const struct catalog_override *
catalog_find(const struct catalog *cat, const char *path, const char *url)
{
	uintptr_t	i;

	if (cat == NULL)
		return NULL;
	if (path != NULL) {
		while (*path == '/' || (path[0] == '.' && path[1] == '/'))
			path += *path == '/' ? 1 : 2;
		if (*path != '\0' &&
		    (i = (uintptr_t)strmap_get(cat->bykey, path)) != 0)
			return &cat->items[i - 1];
	}
	if (url != NULL && *url != '\0' &&
	    (i = (uintptr_t)strmap_get(cat->bykey, url)) != 0)
		return &cat->items[i - 1];
	return NULL;
}

/* How many resources the file names, to report those the mirror lacks. */
size_t
catalog_count(const struct catalog *cat)
{
	return cat != NULL ? cat->nitems : 0;
}

/* The i-th resource named, in the order of the file. */
const struct catalog_override *
catalog_at(const struct catalog *cat, size_t i)
{
	if (cat == NULL || i >= cat->nitems)
		return NULL;
	return &cat->items[i];
}

void
catalog_free(struct catalog *cat)
{
	struct catalog_override	*o;
	size_t			 i;

	if (cat == NULL)
		return;
	for (i = 0; i < cat->nitems; i++) {
		o = &cat->items[i];
		free(o->key);
		free(o->title);
		free(o->section);
		free(o->lang);
		free(o->note);
	}
	free(cat->items);
	strmap_free(cat->bykey, NULL);
	free(cat);
}
