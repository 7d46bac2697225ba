/*
 * state.c -- what ferry remembers about each URL between passes.
 *
 * Validators, failure counts and the link text that titles a resource
 * change without the content changing, so they live here, in an untracked
 * file inside the mirror's git directory, never in a commit.  The file is
 * text, one URL per line ("url<TAB>key=value<TAB>..."; tab, newline and
 * backslash escaped), sorted, and replaced atomically.  Unknown keys are
 * ignored so that older ferry versions can read newer files.  Losing the
 * file costs one unconditional pass, nothing more.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "fsutil.h"
#include "state.h"
#include "strmap.h"
#include "xmalloc.h"

#define STATE_MAGIC	"ferry-state 1"
#define STATE_MAX	(256u << 20)	/* refuse a state file past 256 MB */

struct state {
	struct strmap	*map;
};

enum ftype { F_STR, F_I64, F_INT };

static const struct field {
	const char	*name;
	enum ftype	 type;
	size_t		 off;
} fields[] = {
#define S(f) { #f, F_STR, offsetof(struct state_entry, f) }
#define I(f) { #f, F_I64, offsetof(struct state_entry, f) }
#define N(f) { #f, F_INT, offsetof(struct state_entry, f) }
	S(source), S(path), S(blob), S(sha256), S(etag), S(last_modified),
	S(content_type), S(redirect), S(title), S(section), S(lang), S(kind),
	S(description), S(heading), S(text_path), S(text_blob),
	S(error), I(size), I(fetched), I(checked), I(failing_since),
	I(changed), N(status), N(fails), N(order),
#undef S
#undef I
#undef N
};

static void
entry_free(void *p)
{
	struct state_entry	*e = p;
	size_t			 i;

	if (e == NULL)
		return;
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i].type == F_STR)
			free(*(char **)((char *)e + fields[i].off));
	free(e->url);
	free(e);
}

/* Replace an owned string field with a copy of value (NULL clears it). */
void
state_set(char **field, const char *value)
{
	char	*copy = value ? xstrdup(value) : NULL;

	free(*field);
	*field = copy;
}

static char *
unescape(const char *s, size_t n)
{
	char	*out = xmalloc(n + 1), *o = out;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			*o++ = s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : s[i];
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

static void
escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\t')
			buf_addstr(b, "\\t");
		else if (*s == '\n')
			buf_addstr(b, "\\n");
		else if (*s == '\\')
			buf_addstr(b, "\\\\");
		else
			buf_addc(b, *s);
	}
}

static void
parse_field(struct state_entry *e, const char *kv, size_t n)
{
	const char	*eq = memchr(kv, '=', n);
	size_t		 i, klen;
	char		*val;

	if (eq == NULL)
		return;
	klen = (size_t)(eq - kv);
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		const struct field *f = &fields[i];
		void *dst = (char *)e + f->off;

		if (strlen(f->name) != klen || memcmp(f->name, kv, klen) != 0)
			continue;
		val = unescape(eq + 1, n - klen - 1);
		if (f->type == F_STR) {
			free(*(char **)dst);
			*(char **)dst = val;
			return;
		}
		if (f->type == F_I64)
			*(int64_t *)dst = strtoll(val, NULL, 10);
		else
			*(int *)dst = (int)strtol(val, NULL, 10);
		free(val);
		return;
	}
}

static void
parse_line(struct state *st, const char *line, size_t n)
{
	const char		*tab, *end = line + n;
	struct state_entry	*e;
	char			*url;

	tab = memchr(line, '\t', n);
	url = unescape(line, tab ? (size_t)(tab - line) : n);
	if (*url == '\0') {
		free(url);
		return;
	}
	e = state_add(st, url);
	free(url);
	while (tab != NULL) {
		const char *kv = tab + 1;

		tab = memchr(kv, '\t', (size_t)(end - kv));
		parse_field(e, kv, tab ? (size_t)(tab - kv) :
		    (size_t)(end - kv));
	}
}

/* Read the state file; a missing file is an empty state. */
int
state_load(const char *file, struct state **out)
{
	struct buf	 b;
	struct state	*st;
	char		*p, *nl;
	int		 rc;

	st = xcalloc(1, sizeof *st);
	st->map = strmap_new();
	buf_init(&b, STATE_MAX);
	if ((rc = fsutil_read(file, &b)) != 0) {
		buf_free(&b);
		if (rc == FERRY_ENOTFOUND) {
			*out = st;
			return 0;
		}
		state_free(st);
		return rc;
	}
	p = b.ptr;
	if (strncmp(p, STATE_MAGIC "\n", sizeof STATE_MAGIC) != 0) {
		buf_free(&b);
		state_free(st);
		return err_set("'%s' is not a ferry state file (move it "
		    "away: the next pass rebuilds it)", file);
	}
	p += sizeof STATE_MAGIC;
	while (*p != '\0') {
		nl = strchr(p, '\n');
		parse_line(st, p, nl ? (size_t)(nl - p) : strlen(p));
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	buf_free(&b);
	*out = st;
	return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct state_entry *x = *(const struct state_entry *const *)a;
	const struct state_entry *y = *(const struct state_entry *const *)b;

	return strcmp(x->url, y->url);
}

/* The entries sorted by URL, in an array the caller frees. */
size_t
state_sorted(struct state *st, struct state_entry ***out)
{
	struct state_entry	**v;
	const char		 *key;
	void			 *val;
	size_t			  n = 0, pos = 0;

	v = xreallocarray(NULL, strmap_count(st->map) + 1, sizeof *v);
	while (strmap_next(st->map, &pos, &key, &val))
		v[n++] = val;
	qsort(v, n, sizeof *v, cmp_entry);
	*out = v;
	return n;
}

int
state_save(struct state *st, const char *file, int sync)
{
	struct state_entry	**v;
	struct buf		  b = BUF_INIT;
	size_t			  n, i, j;
	int			  rc;

	n = state_sorted(st, &v);
	buf_addstr(&b, STATE_MAGIC "\n");
	for (i = 0; i < n; i++) {
		escape(&b, v[i]->url);
		for (j = 0; j < sizeof fields / sizeof fields[0]; j++) {
			const struct field *f = &fields[j];
			const void *src = (const char *)v[i] + f->off;

			if (f->type == F_STR) {
				if (*(char *const *)src == NULL)
					continue;
				buf_addf(&b, "\t%s=", f->name);
				escape(&b, *(char *const *)src);
			} else if (f->type == F_I64) {
				if (*(const int64_t *)src != 0)
					buf_addf(&b, "\t%s=%" PRId64, f->name,
					    *(const int64_t *)src);
			} else if (*(const int *)src != 0)
				buf_addf(&b, "\t%s=%d", f->name,
				    *(const int *)src);
		}
		buf_addc(&b, '\n');
	}
	rc = fsutil_write_atomic(file, b.ptr, b.len, sync);
	buf_free(&b);
	free(v);
	return rc;
}

void
state_free(struct state *st)
{
	if (st == NULL)
		return;
	strmap_free(st->map, entry_free);
	free(st);
}

struct state_entry *
state_get(struct state *st, const char *url)
{
	return strmap_get(st->map, url);
}

/* The entry for url, created empty when there is none. */
struct state_entry *
state_add(struct state *st, const char *url)
{
	struct state_entry	*e;

	if ((e = strmap_get(st->map, url)) != NULL)
		return e;
	e = xcalloc(1, sizeof *e);
	e->url = xstrdup(url);
	strmap_put(st->map, url, e);
	return e;
}

void
state_remove(struct state *st, const char *url)
{
	entry_free(strmap_del(st->map, url));
}
