/*
 * index.c -- the offline index: index.json, index.html and README.txt.
 *
 * Owns how the catalog is shown: the JSON schema, the HTML page a person
 * opens from a USB stick, and the bilingual README.  Each renderer turns a
 * table of entries, already sorted by (source, order), into bytes; the same
 * table always gives the same bytes, so a pass that changed nothing leaves
 * the files (and git) alone.  Nothing here reads the clock, the locale or a
 * file: choosing the entries, writing the files and committing them belong
 * to the catalog, the caller and the store.  A document is built whole and
 * appended at once, so a cap on the caller's buffer leaves it untouched.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "err.h"
#include "index.h"
#include "xmalloc.h"

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define README_WIDTH	72
#define README_EOL	"\r\n"	/* Notepad before 2018 shows one long line */

/*
 * A document being rendered.  The first failure is kept in rc and every
 * later write is skipped, so renderers check once, at the end.
 */
struct doc {
	struct buf	b;
	int		rc;
};

/* Media types (or their prefix, ending in '/' or '.') and extensions. */
static const struct {
	const char	*type;
	const char	*ext;
	const char	*label;
} index_formats[] = {
	{ "application/pdf", "pdf", "PDF" },
	{ "application/x-pdf", NULL, "PDF" },
	{ "text/html", "html", "page" },
	{ "application/xhtml+xml", "htm", "page" },
	{ "application/msword", "doc", "Word" },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml.",
	    "docx", "Word" },
	{ "application/vnd.ms-powerpoint", "ppt", "PowerPoint" },
	{ "application/vnd.openxmlformats-officedocument.presentationml.",
	    "pptx", "PowerPoint" },
	{ "application/vnd.ms-excel", "xls", "Excel" },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml.",
	    "xlsx", "Excel" },
	{ "application/vnd.oasis.opendocument.text", "odt",
	    "OpenDocument text" },
	{ "application/vnd.oasis.opendocument.spreadsheet", "ods",
	    "OpenDocument spreadsheet" },
	{ "application/vnd.oasis.opendocument.presentation", "odp",
	    "OpenDocument presentation" },
	{ "application/rtf", "rtf", "RTF" },
	{ "text/rtf", NULL, "RTF" },
	{ "application/epub+zip", "epub", "EPUB" },
	{ "application/zip", "zip", "ZIP archive" },
	{ "text/plain", "txt", "text" },
	{ "text/csv", "csv", "CSV" },
	{ "image/", "jpg", "image" },
	{ NULL, "jpeg", "image" },
	{ NULL, "png", "image" },
	{ NULL, "gif", "image" },
	{ NULL, "webp", "image" },
	{ NULL, "svg", "image" },
	{ "audio/", "mp3", "audio" },
	{ "video/", "mp4", "video" },
};

/* Languages written right to left, and scripts that are. */
static const char *const index_rtl_langs[] = {
	"ar", "fa", "he", "ur", "ps", "sd", "yi", "dv", "ug", "ckb",
	"iw", "ji", "prs", "syr", "azb",
};
static const char *const index_rtl_scripts[] = {
	"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg",
};

static const char index_css[] =
	":root{color-scheme:light dark}\n"
	"body{margin:0 auto;max-width:46rem;padding:0 1rem 2rem;"
	"font:1rem/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,"
	"\"Noto Sans\",Arial,sans-serif;\n"
	"color:#1b1b1b;background:#fff;overflow-wrap:break-word;"
	"word-wrap:break-word;-webkit-text-size-adjust:100%;"
	"text-size-adjust:100%}\n"
	"h1{font-size:1.6rem;line-height:1.25;margin:1.25rem 0 .5rem}\n"
	"h2{font-size:1.3rem;line-height:1.3;margin:2rem 0 0;"
	"padding-top:1rem;border-top:3px solid currentColor}\n"
	"h3{font-size:1.05rem;margin:1.5rem 0 .25rem}\n"
	"a{color:#0645ad}\n"
	"ul{list-style:none;margin:0;padding:0}\n"
	"li{border-bottom:1px solid #ccc;padding:0 0 .5rem}\n"
	"li>a{display:block;padding:.625rem 0;font-size:1.1rem;"
	"font-weight:600}\n"
	".origin a{display:inline-block;padding:.625rem 0}\n"
	".meta,.url,footer{display:block;font-size:.875rem;color:#555}\n"
	"footer{margin-top:2rem}\n"
	"@media (prefers-color-scheme:dark){\n"
	"body{color:#e8e8e8;background:#121212}\n"
	"a{color:#8ab4f8}\n"
	"li{border-color:#444}\n"
	".meta,.url,footer{color:#b0b0b0}\n"
	"}\n";

static void
doc_init(struct doc *d, const struct buf *dst)
{
	/* Stop early at the caller's cap instead of building too much. */
	buf_init(&d->b, dst->max != 0 ? dst->max - dst->len : 0);
	d->rc = 0;
}

/*
 * Append the whole document to dst unless rendering failed (rc, or a write
 * into the document), and free it; return the first error.
 */
static int
doc_finish(struct doc *d, int rc, struct buf *dst)
{
	if (rc == 0)
		rc = d->rc;
	if (rc == 0)
		rc = buf_add(dst, d->b.ptr != NULL ? d->b.ptr : "", d->b.len);
	buf_free(&d->b);
	return rc;
}

static void
doc_str(struct doc *d, const char *s)
{
	if (d->rc == 0)
		d->rc = buf_addstr(&d->b, s);
}

static void
doc_add(struct doc *d, const char *s, size_t n)
{
	if (d->rc == 0)
		d->rc = buf_add(&d->b, s, n);
}

static void __attribute__((format(printf, 2, 3)))
doc_fmt(struct doc *d, const char *fmt, ...)
{
	char	small[128], *big = NULL;
	va_list	ap;
	int	n;

	if (d->rc != 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	/* vsnprintf fails only for lack of memory: die as xmalloc does. */
	if (n < 0)
		xmalloc((size_t)-1);
	if ((size_t)n < sizeof small) {
		d->rc = buf_add(&d->b, small, (size_t)n);
		return;
	}
	big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	d->rc = buf_add(&d->b, big, (size_t)n);
	free(big);
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned char	c = s[0], lo = 0x80, hi = 0xbf;
	size_t		n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;	/* no surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

/*
 * The text as valid UTF-8: s itself when it already is, else a copy in
 * *owned with U+FFFD for each bad byte.  With plain, control characters
 * become spaces too (for the README, where they would break the layout).
 */
static const char *
clean_text(const char *s, int plain, char **owned)
{
	const unsigned char	*p;
	struct buf		 b = BUF_INIT;
	size_t			 n;

	*owned = NULL;
	/* Most text is clean: copy only when it is not.  b has no cap, so
	   adding to it cannot fail (running out of memory dies). */
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		if ((n = utf8_len(p)) == 0 || (plain && (*p < 0x20 ||
		    *p == 0x7f)))
			break;
	}
	if (*p == '\0')
		return s;
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		if ((n = utf8_len(p)) == 0) {
			buf_addstr(&b, "\xef\xbf\xbd");
			n = 1;
		} else if (plain && (*p < 0x20 || *p == 0x7f))
			buf_addc(&b, ' ');
		else
			buf_add(&b, p, n);
	}
	*owned = buf_detach(&b);
	return *owned;
}

static void
doc_escaped(struct doc *d, const char *s, int (*esc)(struct buf *,
    const char *))
{
	const char	*t;
	char		*owned;

	if (d->rc != 0)
		return;
	t = clean_text(s, 0, &owned);
	d->rc = esc(&d->b, t);
	free(owned);
}

static void
doc_html(struct doc *d, const char *s)
{
	doc_escaped(d, s, buf_addhtml);
}

static void
doc_json(struct doc *d, const char *s)
{
	doc_escaped(d, s, buf_addjson);
}

/* A relative href: every byte but ALPHA DIGIT - . _ ~ / percent-encoded. */
static void
doc_href(struct doc *d, const char *path)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			 enc[3];

	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~' ||
		    (*p == '/' && p != (const unsigned char *)path))
			doc_add(d, (const char *)p, 1);
		else {
			/* A leading '/' would leave the mirror (or reach a
			   server as "//host"): keep the link relative. */
			enc[0] = '%';
			enc[1] = hex[*p >> 4];
			enc[2] = hex[*p & 0xf];
			doc_add(d, enc, 3);
		}
	}
}

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Whether s[0..n) equals the lower-case ASCII word, ignoring case. */
static int
ascii_eq(const char *s, size_t n, const char *word)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (word[i] == '\0' || ascii_lower((unsigned char)s[i]) !=
		    word[i])
			return 0;
	}
	return word[n] == '\0';
}

static int
is_blank(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	}
	return 1;
}

static int
is_listed(const struct index_entry *e)
{
	return strcmp(e->kind, "page") == 0 || strcmp(e->kind, "document") == 0;
}

/*
 * Right to left when the tag names a script written that way ("pa-Arab"),
 * or names none and its language is written that way ("fa-AF").
 */
static int
is_rtl(const char *lang)
{
	const char	*sub;
	size_t		 n, i;

	n = strcspn(lang, "-_");
	sub = lang + n;
	if (*sub != '\0') {
		sub++;
		if (strcspn(sub, "-_") == 4) {
			for (i = 0; i < nitems(index_rtl_scripts); i++) {
				if (ascii_eq(sub, 4, index_rtl_scripts[i]))
					return 1;
			}
			return 0;
		}
	}
	for (i = 0; i < nitems(index_rtl_langs); i++) {
		if (ascii_eq(lang, n, index_rtl_langs[i]))
			return 1;
	}
	return 0;
}

static const char *
last_component(const char *path)
{
	const char	*slash;

	slash = strrchr(path, '/');
	if (slash == NULL || slash[1] == '\0')
		return path;
	return slash + 1;
}

/* What a person calls the file: "PDF", "Word", "page"... */
static const char *
format_label(const struct index_entry *e)
{
	const char	*type = e->content_type, *name, *ext = NULL;
	size_t		 tlen, len, i;

	while (*type == ' ')
		type++;
	tlen = strcspn(type, "; ");
	if (tlen > 0 && !ascii_eq(type, tlen, "application/octet-stream") &&
	    !ascii_eq(type, tlen, "binary/octet-stream")) {
		for (i = 0; i < nitems(index_formats); i++) {
			const char *t = index_formats[i].type;

			if (t == NULL)
				continue;
			len = strlen(t);
			if (ascii_eq(type, tlen, t) || (tlen > len &&
			    (t[len - 1] == '/' || t[len - 1] == '.') &&
			    ascii_eq(type, len, t)))
				return index_formats[i].label;
		}
	}
	name = last_component(e->path);
	if ((ext = strrchr(name, '.')) != NULL && ext != name) {
		ext++;
		for (i = 0; i < nitems(index_formats); i++) {
			if (index_formats[i].ext != NULL &&
			    ascii_eq(ext, strlen(ext), index_formats[i].ext))
				return index_formats[i].label;
		}
	}
	return strcmp(e->kind, "page") == 0 ? "page" : "document";
}

/* n / unit, rounded half up, for n >= 0. */
static int64_t
rounded(int64_t n, int64_t unit)
{
	return n / unit + (n % unit >= unit / 2);
}

/* Sizes in SI units, rounded: "999 B", "12 KB", "3.4 MB", "2.0 GB". */
static void
doc_size(struct doc *d, int64_t size)
{
	int64_t	v;

	if (size < 1000) {
		doc_fmt(d, "%" PRId64 " B", size);
		return;
	}
	if ((v = rounded(size, 1000)) < 1000) {
		doc_fmt(d, "%" PRId64 " KB", v);
		return;
	}
	if ((v = rounded(size, 100000)) < 10000) {
		doc_fmt(d, "%" PRId64 ".%" PRId64 " MB", v / 10, v % 10);
		return;
	}
	v = rounded(size, 100000000);
	doc_fmt(d, "%" PRId64 ".%" PRId64 " GB", v / 10, v % 10);
}

static int
utc_time(const struct index_entry *e, struct tm *tm)
{
	time_t	t;

	t = (time_t)e->fetched;
	if ((int64_t)t != e->fetched || gmtime_r(&t, tm) == NULL ||
	    tm->tm_year < -1900 || tm->tm_year > 9999 - 1900)
		return err_set("cannot show fetch time %" PRId64 " of '%s'",
		    e->fetched, e->path);
	return 0;
}

static int
check_entries(const struct index_entry *entries, size_t n)
{
	const struct index_entry	*e;
	size_t				 i;

	if (n > 0 && entries == NULL)
		return err_set("cannot render the index: no entries");
	for (i = 0; i < n; i++) {
		e = &entries[i];
		if (e->source == NULL || e->source_url == NULL ||
		    e->url == NULL || e->path == NULL || e->sha256 == NULL ||
		    e->content_type == NULL || e->title == NULL ||
		    e->section == NULL || e->lang == NULL || e->kind == NULL)
			return err_set("cannot render index entry %zu: "
			    "missing field", i);
	}
	return 0;
}

static void
json_field(struct doc *d, const char *key, const char *value, int last)
{
	doc_fmt(d, "      \"%s\": ", key);
	doc_json(d, value);
	doc_str(d, last ? "\n" : ",\n");
}

int
index_json(const struct index_entry *entries, size_t n, struct buf *out)
{
	const struct index_entry	*e;
	struct doc			 d;
	struct tm			 tm;
	size_t				 i;
	int				 rc = -1;

	doc_init(&d, out);
	if ((rc = check_entries(entries, n)) != 0)
		goto out;
	doc_str(&d, "{\n"
	    "  \"format\": \"ferry-index\",\n"
	    "  \"version\": 1,\n"
	    "  \"resources\": [");
	for (i = 0; i < n; i++) {
		e = &entries[i];
		if ((rc = utc_time(e, &tm)) != 0)
			goto out;
		doc_str(&d, i == 0 ? "\n    {\n" : ",\n    {\n");
		json_field(&d, "source", e->source, 0);
		json_field(&d, "source_url", e->source_url, 0);
		json_field(&d, "url", e->url, 0);
		json_field(&d, "path", e->path, 0);
		json_field(&d, "sha256", e->sha256, 0);
		doc_fmt(&d, "      \"size\": %" PRId64 ",\n", e->size);
		json_field(&d, "content_type", e->content_type, 0);
		doc_fmt(&d, "      \"fetched\": "
		    "\"%04d-%02d-%02dT%02d:%02d:%02dZ\",\n",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec);
		doc_fmt(&d, "      \"status\": %d,\n", e->status);
		json_field(&d, "kind", e->kind, 0);
		json_field(&d, "title", e->title, 0);
		json_field(&d, "section", e->section, 0);
		json_field(&d, "lang", e->lang, 1);
		doc_str(&d, "    }");
	}
	doc_str(&d, n > 0 ? "\n  ]\n}\n" : "]\n}\n");
	rc = 0;
out:
	return doc_finish(&d, rc, out);
}

/*
 * Distinct values in order of first appearance: with source NULL, the
 * index of the first entry of each source; else the index of the first
 * listed entry of each section of that source.  *count gets how many; the
 * caller frees the array.
 */
static size_t *
first_of_each(const struct index_entry *entries, size_t n,
    const char *source, size_t *count)
{
	const char	*key, *seen;
	size_t		*first, i, j;

	first = xreallocarray(NULL, n > 0 ? n : 1, sizeof *first);
	*count = 0;
	for (i = 0; i < n; i++) {
		if (source != NULL && (strcmp(entries[i].source, source) != 0 ||
		    !is_listed(&entries[i])))
			continue;
		key = source != NULL ? entries[i].section : entries[i].source;
		for (j = 0; j < *count; j++) {
			seen = source != NULL ? entries[first[j]].section :
			    entries[first[j]].source;
			if (strcmp(seen, key) == 0)
				break;
		}
		if (j == *count)
			first[(*count)++] = i;
	}
	return first;
}

static int
html_entry(struct doc *d, const struct index_entry *e)
{
	struct tm	 tm;
	const char	*title;
	int		 rc;

	doc_str(d, "<li><a href=\"");
	doc_href(d, e->path);
	doc_str(d, "\"");
	if (!is_blank(e->lang)) {
		doc_str(d, " lang=\"");
		doc_html(d, e->lang);
		doc_str(d, is_rtl(e->lang) ? "\" dir=\"rtl\"" : "\"");
	}
	doc_str(d, ">");
	title = is_blank(e->title) ? last_component(e->path) : e->title;
	doc_html(d, title);
	doc_str(d, "</a>\n<span class=\"meta\">");
	doc_html(d, format_label(e));
	if (e->size >= 0) {
		doc_str(d, " \xc2\xb7 ");
		doc_size(d, e->size);
	}
	if (e->fetched > 0) {
		if ((rc = utc_time(e, &tm)) != 0)
			return rc;
		doc_fmt(d, " \xc2\xb7 retrieved %04d-%02d-%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	}
	doc_str(d, "</span>\n<span class=\"url\">");
	doc_html(d, e->url);
	doc_str(d, "</span></li>\n");
	return 0;
}

/* A listed entry of source under section (NULL: under none). */
static int
in_group(const struct index_entry *e, const char *source,
    const char *section)
{
	if (!is_listed(e) || strcmp(e->source, source) != 0)
		return 0;
	if (section == NULL)
		return is_blank(e->section);
	return strcmp(e->section, section) == 0;
}

/*
 * The sections of one source in order of first appearance, entries without
 * one last under "Other resources".
 */
static int
html_source(struct doc *d, const struct index_entry *entries, size_t n,
    const struct index_entry *src)
{
	size_t		*first = NULL, nsec, s, i;
	const char	*section;
	int		 other, rc = -1;

	doc_str(d, "<section>\n<h2>");
	doc_html(d, src->source);
	doc_str(d, "</h2>\n<p class=\"origin\">");
	if (ascii_eq(src->source_url, 7, "http://") ||
	    ascii_eq(src->source_url, 8, "https://")) {
		doc_str(d, "<a href=\"");
		doc_html(d, src->source_url);
		doc_str(d, "\">original page</a>");
	} else {
		doc_str(d, "original page: ");
		doc_html(d, src->source_url);
	}
	doc_str(d, "</p>\n");

	first = first_of_each(entries, n, src->source, &nsec);
	if (nsec == 0)
		doc_str(d, "<p>No pages or documents from this source are "
		    "stored yet.</p>\n");
	other = 0;
	for (s = 0; s < nsec; s++) {
		section = entries[first[s]].section;
		if (is_blank(section)) {
			other = 1;
			continue;
		}
		doc_str(d, "<h3>");
		doc_html(d, section);
		doc_str(d, "</h3>\n<ul>\n");
		for (i = first[s]; i < n; i++) {
			if (in_group(&entries[i], src->source, section) &&
			    (rc = html_entry(d, &entries[i])) != 0)
				goto out;
		}
		doc_str(d, "</ul>\n");
	}
	if (other) {
		doc_str(d, "<h3>Other resources</h3>\n<ul>\n");
		for (i = 0; i < n; i++) {
			if (in_group(&entries[i], src->source, NULL) &&
			    (rc = html_entry(d, &entries[i])) != 0)
				goto out;
		}
		doc_str(d, "</ul>\n");
	}
	doc_str(d, "</section>\n");
	rc = 0;
out:
	free(first);
	return rc;
}

int
index_html(const struct index_entry *entries, size_t n, struct buf *out)
{
	struct doc	 d;
	size_t		*sources = NULL, nsrc, listed, i;
	int		 rc = -1;

	doc_init(&d, out);
	if ((rc = check_entries(entries, n)) != 0)
		goto out;
	sources = first_of_each(entries, n, NULL, &nsrc);
	for (listed = 0, i = 0; i < n; i++)
		listed += is_listed(&entries[i]);

	doc_str(&d, "<!DOCTYPE html>\n"
	    "<html lang=\"en\">\n"
	    "<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<title>Offline resources</title>\n"
	    "<style>\n");
	doc_str(&d, index_css);
	doc_str(&d, "</style>\n"
	    "</head>\n"
	    "<body>\n"
	    "<header>\n"
	    "<h1>Offline resources</h1>\n");
	doc_fmt(&d, "<p>This copy holds %zu %s from %zu %s. The links below "
	    "open the copies stored here and work without internet.</p>\n",
	    listed, listed == 1 ? "resource" : "resources",
	    nsrc, nsrc == 1 ? "source" : "sources");
	doc_str(&d, "</header>\n<main>\n");
	for (i = 0; i < nsrc; i++) {
		if ((rc = html_source(&d, entries, n, &entries[sources[i]])) !=
		    0)
			goto out;
	}
	doc_str(&d, "</main>\n"
	    "<footer>\n"
	    "<p>Made by ferry. Check this copy: see README.txt.</p>\n"
	    "</footer>\n"
	    "</body>\n"
	    "</html>\n");
	rc = 0;
out:
	free(sources);
	return doc_finish(&d, rc, out);
}

/* Columns taken by the UTF-8 sequence at s (East Asian wide: two). */
static size_t
text_width(const unsigned char *s, size_t n)
{
	uint32_t	cp;

	if (n <= 1)
		return 1;
	cp = s[0] & (0x7f >> n);
	while (--n > 0)
		cp = cp << 6 | (*++s & 0x3f);
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

static size_t
str_width(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 w = 0, n, i;

	for (i = 0; i < len; i += n) {
		if ((n = utf8_len(p + i)) == 0)
			n = 1;
		w += text_width(p + i, n);
	}
	return w;
}

/*
 * One paragraph of the README, words wrapped at README_WIDTH columns; a
 * word longer than a line (a URL) stays whole on a line of its own.  The
 * tail, if any, ends the paragraph and is never broken ("2 resources").
 */
static void
doc_wrap(struct doc *d, const char *text, const char *tail,
    const char *first, const char *rest)
{
	const char	*t, *p;
	char		*owned;
	size_t		 col, len, w;
	int		 words = 0;

	t = clean_text(text, 1, &owned);
	doc_str(d, first);
	col = str_width(first, strlen(first));
	for (p = t; *p != '\0'; p += len) {
		if (*p == ' ') {
			len = 1;
			continue;
		}
		len = strcspn(p, " ");
		w = str_width(p, len);
		if (words > 0 && col + 1 + w > README_WIDTH) {
			doc_str(d, README_EOL);
			doc_str(d, rest);
			col = str_width(rest, strlen(rest));
			words = 0;
		}
		if (words++ > 0) {
			doc_str(d, " ");
			col++;
		}
		doc_add(d, p, len);
		col += w;
	}
	if (tail != NULL) {
		w = str_width(tail, strlen(tail));
		if (words > 0 && col + 1 + w > README_WIDTH) {
			doc_str(d, README_EOL);
			doc_str(d, rest);
		} else if (words > 0)
			doc_str(d, " ");
		doc_str(d, tail);
	}
	doc_str(d, README_EOL);
	free(owned);
}

static void
doc_heading(struct doc *d, const char *text, char rule)
{
	size_t	w;

	doc_str(d, text);
	doc_str(d, README_EOL);
	for (w = str_width(text, strlen(text)); w > 0; w--)
		doc_add(d, &rule, 1);
	doc_str(d, README_EOL);
}

/* The words of the README in one language. */
struct readme_text {
	const char	*title;
	const char	*other;		/* where the other language is */
	const char	*what;
	const char	*open;
	const char	*sources;
	const char	*one;		/* after a count of 1 */
	const char	*many;		/* after any other count */
	const char	*none;
	const char	*check;
	const char	*verify;
	const char	*git;
};

static const struct readme_text readme_en = {
	"Offline resources",
	"(Versi\xc3\xb3n en espa\xc3\xb1ol m\xc3\xa1s abajo.)",
	"This folder is an offline copy of official resource pages and the "
	    "documents they link to, kept so that they can be read and "
	    "printed where there is no internet.",
	"To use it, open index.html in any web browser; no internet needed.",
	"Sources",
	"resource",
	"resources",
	"(none yet)",
	"Checking this copy",
	"If ferry is installed, run this command in this folder. It checks "
	    "that every file is complete and unchanged:",
	"When git is installed, this command shows every change to these "
	    "files, with its date:",
};

static const struct readme_text readme_es = {
	"Recursos sin conexi\xc3\xb3n",
	NULL,
	"Esta carpeta es una copia sin conexi\xc3\xb3n de p\xc3\xa1ginas "
	    "oficiales de recursos y de los documentos que enlazan, guardada "
	    "para poder leerlos e imprimirlos donde no hay internet.",
	"Para usarla, abra index.html en cualquier navegador web; no "
	    "necesita internet.",
	"Fuentes",
	"recurso",
	"recursos",
	"(ninguna todav\xc3\xad" "a)",
	"C\xc3\xb3mo comprobar esta copia",
	"Si ferry est\xc3\xa1 instalado, ejecute este comando en esta "
	    "carpeta. Comprueba que cada archivo est\xc3\xa9 completo y sin "
	    "cambios:",
	"Si git est\xc3\xa1 instalado, este comando muestra cada cambio en "
	    "estos archivos, con su fecha:",
};

static void
readme_lang(struct doc *d, const struct readme_text *tx,
    const struct index_entry *entries, size_t n, const size_t *sources,
    size_t nsrc)
{
	const struct index_entry	*src;
	char				*name = NULL, *count_text = NULL;
	size_t				 s, i, count;

	doc_heading(d, tx->title, '=');
	if (tx->other != NULL)
		doc_wrap(d, tx->other, NULL, "", "");
	doc_str(d, README_EOL);
	doc_wrap(d, tx->what, NULL, "", "");
	doc_str(d, README_EOL);
	doc_wrap(d, tx->open, NULL, "", "");
	doc_str(d, README_EOL);
	doc_heading(d, tx->sources, '-');
	if (nsrc == 0)
		doc_wrap(d, tx->none, NULL, "  ", "  ");
	for (s = 0; s < nsrc; s++) {
		src = &entries[sources[s]];
		for (count = 0, i = sources[s]; i < n; i++) {
			if (strcmp(entries[i].source, src->source) == 0)
				count += is_listed(&entries[i]);
		}
		xasprintf(&name, "%s:", src->source);
		xasprintf(&count_text, "%zu %s", count,
		    count == 1 ? tx->one : tx->many);
		doc_wrap(d, name, count_text, "  * ", "    ");
		doc_wrap(d, src->source_url, NULL, "    ", "    ");
		free(name);
		free(count_text);
	}
	doc_str(d, README_EOL);
	doc_heading(d, tx->check, '-');
	doc_wrap(d, tx->verify, NULL, "", "");
	doc_str(d, README_EOL "    ferry verify" README_EOL README_EOL);
	doc_wrap(d, tx->git, NULL, "", "");
	doc_str(d, README_EOL "    git log" README_EOL);
}

int
index_readme(const struct index_entry *entries, size_t n, struct buf *out)
{
	struct doc	 d;
	size_t		*sources = NULL, nsrc;
	int		 rc = -1;

	doc_init(&d, out);
	if ((rc = check_entries(entries, n)) != 0)
		goto out;
	sources = first_of_each(entries, n, NULL, &nsrc);
	readme_lang(&d, &readme_en, entries, n, sources, nsrc);
	doc_str(&d, README_EOL README_EOL);
	readme_lang(&d, &readme_es, entries, n, sources, nsrc);
	rc = 0;
out:
	free(sources);
	return doc_finish(&d, rc, out);
}
