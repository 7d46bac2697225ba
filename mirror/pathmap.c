/*
 * pathmap.c -- a normalised URL to a file name safe on every file system.
 *
 * Owns the rules of pathmap.h: how a URL becomes "site/<host>/<path>" on
 * FAT32, exFAT, NTFS and ext4 alike, the extension a file gets from its
 * Content-Type, the variant name used when two URLs collide, the key for
 * case-insensitive collision checks, the relative href from one mirror
 * file to another, and the last check before anything is written.  It
 * parses only normalised URLs (url.c makes them) and does no I/O; it does
 * not decide which URLs are fetched or whether two of them collide.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "ascii.h"
#include "buf.h"
#include "err.h"
#include "pathmap.h"

#define QUERY_PART_MAX	40	/* "@" + escaped query, else "@" + hash */
#define EXT_MAX		16	/* longest extension kept when shortening */

/*
 * Content types ferry knows.  The first extension is the canonical one a
 * file gets; the others are accepted as they are (".htm" stays ".htm").
 */
struct ctype {
	const char	*mime;
	const char	*ext[4];
};

static const struct ctype ctypes[] = {
	{ "text/html", { ".html", ".htm", ".xhtml", ".shtml" } },
	{ "application/xhtml+xml", { ".html", ".htm", ".xhtml", ".shtml" } },
	{ "application/pdf", { ".pdf" } },
	{ "application/x-pdf", { ".pdf" } },
	{ "text/css", { ".css" } },
	{ "text/javascript", { ".js" } },
	{ "application/javascript", { ".js" } },
	{ "application/x-javascript", { ".js" } },
	{ "image/png", { ".png" } },
	{ "image/jpeg", { ".jpg", ".jpeg" } },
	{ "image/pjpeg", { ".jpg", ".jpeg" } },
	{ "image/gif", { ".gif" } },
	{ "image/svg+xml", { ".svg" } },
	{ "image/webp", { ".webp" } },
	{ "image/x-icon", { ".ico" } },
	{ "image/vnd.microsoft.icon", { ".ico" } },
	{ "font/woff", { ".woff" } },
	{ "application/font-woff", { ".woff" } },
	{ "font/woff2", { ".woff2" } },
	{ "font/ttf", { ".ttf" } },
	{ "application/x-font-ttf", { ".ttf" } },
	{ "font/otf", { ".otf" } },
	{ "application/json", { ".json" } },
	{ "text/plain", { ".txt" } },
	{ "text/csv", { ".csv" } },
	{ "application/xml", { ".xml" } },
	{ "text/xml", { ".xml" } },
	{ "application/msword", { ".doc" } },
	{ "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document", { ".docx" } },
	{ "application/vnd.ms-excel", { ".xls" } },
	{ "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet", { ".xlsx" } },
	{ "application/vnd.ms-powerpoint", { ".ppt" } },
	{ "application/vnd.openxmlformats-officedocument."
	    "presentationml.presentation", { ".pptx" } },
	{ "application/vnd.oasis.opendocument.text", { ".odt" } },
	{ "application/vnd.oasis.opendocument.spreadsheet", { ".ods" } },
	{ "application/vnd.oasis.opendocument.presentation", { ".odp" } },
	{ "application/rtf", { ".rtf" } },
	{ "text/rtf", { ".rtf" } },
	{ "application/zip", { ".zip" } },
	{ "application/x-zip-compressed", { ".zip" } },
	{ "audio/mpeg", { ".mp3" } },
	{ "video/mp4", { ".mp4" } },
	{ "application/epub+zip", { ".epub" } },
};

/* Names Windows reserves for devices, with or without an extension. */
static const char *const devices[] = {
	"CON", "PRN", "AUX", "NUL",
	"COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
	"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
	"COM\xc2\xb9", "COM\xc2\xb2", "COM\xc2\xb3",
	"LPT\xc2\xb9", "LPT\xc2\xb2", "LPT\xc2\xb3",
};

static uint32_t
fnv1a(const char *s, size_t n)
{
	uint32_t	h = 0x811c9dc5;

	while (n-- > 0) {
		h ^= (unsigned char)*s++;
		h *= 0x01000193;
	}
	return h;
}

/* The byte of the escape "%XX" at s, or -1 when s holds none. */
static int
escape_at(const char *s)
{
	int	hi, lo;

	if (s[0] != '%' || (hi = ascii_hexval((unsigned char)s[1])) < 0 ||
	    (lo = ascii_hexval((unsigned char)s[2])) < 0)
		return -1;
	return hi << 4 | lo;
}

/*
 * The length of the well-formed UTF-8 sequence at s (at most n bytes), or
 * 0 when it is not one: no overlong forms, no surrogates, nothing past
 * U+10FFFF.
 */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/* ASCII bytes that never appear bare in a name on disk. */
static int
name_reserved(unsigned char c)
{
	return c < 0x20 || c == 0x7f || strchr("%<>:\"/\\|?*", c) != NULL;
}

/* Raw bytes as a name: reserved bytes and broken UTF-8 become "%XX". */
static void
escape_name(struct buf *b, const char *raw, size_t n)
{
	const unsigned char	*s = (const unsigned char *)raw;
	size_t			 i, len;

	for (i = 0; i < n; i += len) {
		len = utf8_len(s + i, n - i);
		if (len == 0 || (len == 1 && name_reserved(s[i]))) {
			buf_addf(b, "%%%02X", s[i]);
			len = 1;
		} else
			buf_add(b, s + i, len);
	}
}

/* A path segment of a URL, escapes decoded, as a name. */
static void
segment_name(struct buf *b, const char *seg, size_t n)
{
	struct buf	raw = BUF_INIT;
	size_t		i;
	int		c;

	buf_add(&raw, "", 0);
	for (i = 0; i < n; i++) {
		if (i + 2 < n && (c = escape_at(seg + i)) >= 0) {
			buf_addc(&raw, (char)c);
			i += 2;
		} else
			buf_addc(&raw, seg[i]);
	}
	escape_name(b, raw.ptr, raw.len);
	buf_free(&raw);
}

/*
 * The query of a normalised URL as part of a name.  Escapes of bytes a
 * normalised query never holds bare (space, controls, non-ASCII...) are
 * decoded, so UTF-8 stays readable; other escapes stay literal ("%26" is
 * not "&") and their '%' is escaped on disk like any other.
 */
static void
query_name(struct buf *b, const char *q, size_t n)
{
	struct buf	raw = BUF_INIT;
	size_t		i;
	int		c;

	buf_add(&raw, "", 0);
	for (i = 0; i < n; i++) {
		c = i + 2 < n ? escape_at(q + i) : -1;
		if (c >= 0 && (c <= 0x20 || c >= 0x7f ||
		    strchr("\"<>\\^`{|}#", c) != NULL)) {
			buf_addc(&raw, (char)c);
			i += 2;
		} else
			buf_addc(&raw, q[i]);
	}
	escape_name(b, raw.ptr, raw.len);
	buf_free(&raw);
}

/*
 * Code points macOS (HFS+) ignores in names, so ".g\u200cit" is ".git"
 * there; git refuses such names for the same reason.
 */
static size_t
hfs_ignorable(const unsigned char *s, size_t n)
{
	unsigned int	cp;

	if (n < 3 || utf8_len(s, n) != 3)
		return 0;
	cp = (s[0] & 0x0fu) << 12 | (s[1] & 0x3fu) << 6 | (s[2] & 0x3fu);
	if ((cp >= 0x200c && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x206a && cp <= 0x206f) || cp == 0xfeff)
		return 3;
	return 0;
}

/* ".git" in any case and any spelling a file system reads as it. */
static int
is_dotgit(const char *name, size_t n)
{
	const unsigned char	*s = (const unsigned char *)name;
	const char		*want = ".git";
	size_t			 i, k, skip;

	if (n == 5 && strncasecmp(name, "git~1", 5) == 0)
		return 1;
	for (i = 0, k = 0; i < n; i++) {
		if ((skip = hfs_ignorable(s + i, n - i)) > 0) {
			i += skip - 1;
			continue;
		}
		if (k == 4 || ascii_tolower(s[i]) != want[k])
			return 0;
		k++;
	}
	return k == 4;
}

/* Does the name (up to its first '.', trailing spaces aside) name a device? */
static int
is_device(const char *name, size_t n)
{
	const char	*dot;
	size_t		 stem, i;

	if ((dot = memchr(name, '.', n)) != NULL)
		n = (size_t)(dot - name);
	stem = n;
	while (stem > 0 && name[stem - 1] == ' ')
		stem--;
	for (i = 0; i < sizeof devices / sizeof devices[0]; i++)
		if (strlen(devices[i]) == stem &&
		    strncasecmp(name, devices[i], stem) == 0)
			return 1;
	return 0;
}

/* Replace b->ptr[at] by its "%XX" escape. */
static void
escape_byte_at(struct buf *b, size_t at)
{
	struct buf	t = BUF_INIT;

	buf_add(&t, b->ptr, at);
	buf_addf(&t, "%%%02X", (unsigned char)b->ptr[at]);
	buf_addstr(&t, b->ptr + at + 1);
	buf_free(b);
	*b = t;
}

/* "." and ".." escaped entirely. */
static void
fix_dots(struct buf *b)
{
	size_t	n;

	if (strcmp(b->ptr, ".") != 0 && strcmp(b->ptr, "..") != 0)
		return;
	n = b->len;
	buf_reset(b);
	while (n-- > 0)
		buf_addstr(b, "%2E");
}

/*
 * The rules no byte-wise escaping gives: "." and "..", ".git", a trailing
 * dot or space, device names.  b holds an escaped, non-empty name.
 */
static void
fix_name(struct buf *b)
{
	struct buf	 t = BUF_INIT;
	const char	*dot;
	size_t		 stem, at, skip;

	fix_dots(b);
	if (is_dotgit(b->ptr, b->len)) {
		/* escape the '.' (or 'g'), past any ignorable code points */
		for (at = 0; (skip = hfs_ignorable((unsigned char *)b->ptr +
		    at, b->len - at)) > 0; at += skip)
			/* nothing */;
		escape_byte_at(b, at);
	}
	if (b->ptr[b->len - 1] == '.' || b->ptr[b->len - 1] == ' ')
		escape_byte_at(b, b->len - 1);
	if (is_device(b->ptr, b->len)) {
		dot = strchr(b->ptr, '.');
		stem = dot ? (size_t)(dot - b->ptr) : b->len;
		buf_add(&t, b->ptr, stem);
		buf_addc(&t, '_');
		buf_addstr(&t, b->ptr + stem);
		buf_free(b);
		*b = t;
	}
}

/* The extension of a name, as kept when shortening: ".pdf", not ".pdf~x". */
static size_t
ext_len(const char *name, size_t n)
{
	size_t	i;

	for (i = n; i > 1; i--) {
		if (name[i - 1] == '.')
			break;
		if (!((name[i - 1] >= 'a' && name[i - 1] <= 'z') ||
		    (name[i - 1] >= 'A' && name[i - 1] <= 'Z') ||
		    (name[i - 1] >= '0' && name[i - 1] <= '9')))
			return 0;
	}
	if (i <= 1 || i == n || n - (i - 1) > EXT_MAX)
		return 0;
	return n - (i - 1);
}

/*
 * Put "~" + 8 hex digits of hash before the extension of the name in b,
 * cutting its stem (at a character boundary, never inside an escape) so
 * that the name is at most max bytes.
 */
static void
insert_hash(struct buf *b, uint32_t hash, size_t max)
{
	struct buf	 t = BUF_INIT;
	size_t		 ext, cut;

	ext = ext_len(b->ptr, b->len);
	if (max < 9 + ext)
		ext = 0;
	cut = b->len - ext;
	if (cut + 9 + ext > max) {
		cut = max > 9 + ext ? max - 9 - ext : 0;
		while (cut > 0 && ((unsigned char)b->ptr[cut] & 0xc0) == 0x80)
			cut--;
		if (cut >= 1 && b->ptr[cut - 1] == '%')
			cut -= 1;
		else if (cut >= 2 && b->ptr[cut - 2] == '%')
			cut -= 2;
	}
	buf_add(&t, b->ptr, cut);
	buf_addf(&t, "~%08x", hash);
	buf_addstr(&t, b->ptr + b->len - ext);
	buf_free(b);
	*b = t;
}

static const struct ctype *
ctype_find(const char *content_type)
{
	size_t	n, i;

	if (content_type == NULL)
		return NULL;
	content_type += strspn(content_type, " \t");
	n = strcspn(content_type, "; \t");
	for (i = 0; i < sizeof ctypes / sizeof ctypes[0]; i++)
		if (strlen(ctypes[i].mime) == n &&
		    strncasecmp(ctypes[i].mime, content_type, n) == 0)
			return &ctypes[i];
	return NULL;
}

const char *
pathmap_ext(const char *content_type)
{
	const struct ctype	*ct;

	if ((ct = ctype_find(content_type)) == NULL)
		return NULL;
	return ct->ext[0];
}

static int
has_ext(const char *name, size_t n, const struct ctype *ct)
{
	size_t	i, len;

	for (i = 0; i < 4 && ct->ext[i] != NULL; i++) {
		len = strlen(ct->ext[i]);
		if (n > len && strcasecmp(name + n - len, ct->ext[i]) == 0)
			return 1;
	}
	return 0;
}

/* A name from the text in b, finished: special names, then the length. */
static void
finish_name(struct buf *b, uint32_t hash)
{
	if (b->len == 0)
		buf_addc(b, '_');
	fix_name(b);
	if (b->len > PATHMAP_NAME_MAX)
		insert_hash(b, hash, PATHMAP_NAME_MAX);
}

/*
 * The parts of a normalised URL pathmap needs, pointing into it: host
 * (lower-case when copied out), port (NULL when absent or the default),
 * path from its first '/' (or empty), query without '?' (NULL when
 * absent), and end, where the fragment starts or the string ends.
 */
struct url_view {
	const char	*host;
	size_t		 hostlen;
	const char	*port;
	size_t		 portlen;
	const char	*path;
	const char	*query;
	size_t		 querylen;
	const char	*end;
};

/* Is the port the default of the scheme (https when tls is set)? */
static int
default_port(int tls, const char *port, size_t n)
{
	while (n > 1 && *port == '0') {
		port++;
		n--;
	}
	if (tls)
		return n == 3 && strncmp(port, "443", 3) == 0;
	return n == 2 && strncmp(port, "80", 2) == 0;
}

static int
split_url(const char *url, struct url_view *v)
{
	const char	*auth, *at, *hend, *pend, *q;
	int		 tls;

	memset(v, 0, sizeof *v);
	if (strncasecmp(url, "http://", 7) == 0)
		tls = 0;
	else if (strncasecmp(url, "https://", 8) == 0)
		tls = 1;
	else
		return err_set("cannot map '%s' to a file: not an http or "
		    "https URL", url);
	auth = url + (tls ? 8 : 7);
	pend = auth + strcspn(auth, "/?#");
	v->host = auth;
	while ((at = memchr(v->host, '@', (size_t)(pend - v->host))) != NULL)
		v->host = at + 1;
	if (*v->host == '[') {
		hend = memchr(v->host, ']', (size_t)(pend - v->host));
		if (hend == NULL)
			return err_set("cannot map '%s' to a file: bad host",
			    url);
		hend++;
	} else
		hend = v->host + strcspn(v->host, ":/?#");
	if (hend == v->host)
		return err_set("cannot map '%s' to a file: no host", url);
	v->hostlen = (size_t)(hend - v->host);
	if (hend < pend) {
		if (*hend != ':')
			return err_set("cannot map '%s' to a file: bad host",
			    url);
		v->port = hend + 1;
		v->portlen = (size_t)(pend - v->port);
		if (strspn(v->port, "0123456789") < v->portlen)
			return err_set("cannot map '%s' to a file: bad port",
			    url);
		if (v->portlen == 0 || default_port(tls, v->port, v->portlen))
			v->port = NULL;
	}
	v->path = pend;
	v->end = pend + strcspn(pend, "#");
	q = pend + strcspn(pend, "?#");
	if (*q == '?') {
		v->query = q + 1;
		v->querylen = (size_t)(v->end - v->query);
	}
	return 0;
}

/* Add "<host>" or "<host>_<port>", as a name, to b. */
static void
host_name(struct buf *b, const struct url_view *v, const char *url)
{
	struct buf	raw = BUF_INIT, name = BUF_INIT;
	size_t		i;

	buf_add(&raw, v->host, v->hostlen);
	for (i = 0; i < raw.len; i++)
		raw.ptr[i] = (char)ascii_tolower((unsigned char)raw.ptr[i]);
	if (v->port != NULL) {
		buf_addc(&raw, '_');
		buf_add(&raw, v->port, v->portlen);
	}
	escape_name(&name, raw.ptr, raw.len);
	finish_name(&name, fnv1a(url, (size_t)(v->path - url)));
	buf_add(b, name.ptr, name.len);
	buf_free(&raw);
	buf_free(&name);
}

/*
 * The last name, before any shortening: the segment or "index", then
 * "@" + the query, then the extension the content type asks for.
 */
static void
last_name(struct buf *b, const char *seg, size_t n, const struct url_view *v,
    const char *content_type)
{
	const struct ctype	*ct;
	struct buf		 q = BUF_INIT;

	ct = ctype_find(content_type);
	if (n == 0) {
		buf_addstr(b, "index");
		if (ct == NULL)
			ct = ctype_find("text/html");
	} else {
		segment_name(b, seg, n);
		fix_dots(b);
	}
	if (v->querylen > 0) {
		buf_addc(&q, '@');
		query_name(&q, v->query, v->querylen);
		if (q.len > QUERY_PART_MAX) {
			buf_reset(&q);
			buf_addf(&q, "@%08x", fnv1a(v->query, v->querylen));
		}
		buf_add(b, q.ptr, q.len);
		buf_free(&q);
	}
	if (ct != NULL && !has_ext(b->ptr, b->len, ct))
		buf_addstr(b, ct->ext[0]);
}

int
pathmap_map(const char *url, const char *content_type, char **path)
{
	struct url_view	 v;
	struct buf	 out = BUF_INIT, dir = BUF_INIT;
	struct buf	 name = BUF_INIT, full = BUF_INIT;
	const char	*seg, *send;
	uint32_t	 hash;
	size_t		 prefix;
	int		 rc = -1;

	*path = NULL;
	if ((rc = split_url(url, &v)) != 0)
		goto out;
	hash = fnv1a(url, (size_t)(v.end - url));

	buf_addstr(&out, "site/");
	host_name(&out, &v, url);
	buf_addc(&out, '/');
	prefix = out.len;

	/* directories: escapes decoded, then escaped for the disk */
	buf_add(&dir, "", 0);
	seg = *v.path == '/' ? v.path + 1 : v.path;
	while (*(send = seg + strcspn(seg, "/?#")) == '/') {
		segment_name(&name, seg, (size_t)(send - seg));
		finish_name(&name, fnv1a(url, (size_t)(send - url)));
		buf_add(&dir, name.ptr, name.len);
		buf_addc(&dir, '/');
		buf_reset(&name);
		seg = send + 1;
	}

	last_name(&full, seg, (size_t)(send - seg), &v, content_type);
	buf_add(&name, full.ptr, full.len);
	finish_name(&name, hash);
	if (prefix + dir.len + name.len > PATHMAP_PATH_MAX) {
		buf_reset(&dir);
		buf_addf(&dir, "_long/%08x/", hash);
		if (prefix + dir.len + name.len > PATHMAP_PATH_MAX) {
			buf_reset(&name);
			buf_add(&name, full.ptr, full.len);
			fix_name(&name);
			insert_hash(&name, hash,
			    PATHMAP_PATH_MAX - prefix - dir.len);
		}
	}
	buf_add(&out, dir.ptr, dir.len);
	buf_add(&out, name.ptr, name.len);
	if (!pathmap_is_safe(out.ptr)) {
		rc = err_set("cannot map '%s' to a file: '%s' is not safe",
		    url, out.ptr);
		goto out;
	}
	*path = buf_detach(&out);
	rc = 0;
out:
	buf_free(&out);
	buf_free(&dir);
	buf_free(&name);
	buf_free(&full);
	return rc;
}

/*
 * The path with "~" + 8 hex digits of the URL's hash before the extension
 * of its last name, for the second of two URLs that map to one file.  When
 * the directories leave no room for that, they become "_long/<hash>" under
 * the host directory, as in pathmap_map().
 */
char *
pathmap_variant(const char *path, const char *url)
{
	struct buf	 b = BUF_INIT, name = BUF_INIT;
	const char	*slash, *p;
	uint32_t	 hash;
	size_t		 dirlen, max;

	hash = fnv1a(url, strlen(url));
	slash = strrchr(path, '/');
	dirlen = slash ? (size_t)(slash + 1 - path) : 0;
	buf_addstr(&name, path + dirlen);
	if (name.len == 0)
		buf_addc(&name, '_');
	buf_add(&b, path, dirlen);
	if (dirlen + 10 + ext_len(name.ptr, name.len) > PATHMAP_PATH_MAX) {
		/* keep "site/<hostdir>/" */
		p = strchr(path, '/');
		p = p ? strchr(p + 1, '/') : NULL;
		b.len = p ? (size_t)(p + 1 - path) : 0;
		buf_addf(&b, "_long/%08x/", hash);
	}
	max = PATHMAP_NAME_MAX;
	if (PATHMAP_PATH_MAX - b.len < max)
		max = PATHMAP_PATH_MAX - b.len;
	insert_hash(&name, hash, max);
	buf_add(&b, name.ptr, name.len);
	buf_free(&name);
	return buf_detach(&b);
}

/*
 * The lower-case fold of one UTF-8 character of Latin-1 Supplement or
 * Latin Extended-A, as a code point; 0 when it has none.
 */
static unsigned int
fold_latin(unsigned int cp)
{
	if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
		return cp + 0x20;
	if (cp == 0x130 || cp == 0x131)
		return 'i';
	if (cp == 0x178)
		return 0xff;
	if (cp == 0x17f)
		return 's';
	if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14a && cp <= 0x177))
		return cp | 1;
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e))
		return cp + (cp & 1);
	return 0;
}

/*
 * A key for case-insensitive collision checks: ASCII and the Latin
 * letters of Western and Central European languages folded to lower case.
 */
char *
pathmap_fold(const char *path)
{
	struct buf		 b = BUF_INIT;
	const unsigned char	*s = (const unsigned char *)path;
	unsigned int		 cp, f;

	buf_add(&b, "", 0);
	while (*s != '\0') {
		if (s[0] >= 0xc2 && s[0] <= 0xc5 && (s[1] & 0xc0) == 0x80) {
			cp = (s[0] & 0x1fu) << 6 | (s[1] & 0x3fu);
			if ((f = fold_latin(cp)) == 0)
				f = cp;
			if (f < 0x80)
				buf_addc(&b, (char)f);
			else {
				buf_addc(&b, (char)(0xc0 | f >> 6));
				buf_addc(&b, (char)(0x80 | (f & 0x3f)));
			}
			s += 2;
		} else
			buf_addc(&b, (char)ascii_tolower(*s++));
	}
	return buf_detach(&b);
}

static int
href_plain(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~' || c == '/';
}

/*
 * A relative reference from the file at mirror path from to the file at
 * mirror path to, every byte but unreserved ones and '/' escaped, so a
 * name with ':' cannot read as a scheme and '%' on disk stays '%'.
 */
char *
pathmap_href(const char *from, const char *to, const char *fragment)
{
	struct buf	 b = BUF_INIT;
	const char	*f, *t, *fs, *ts;

	/* skip the directories both paths share */
	f = from;
	t = to;
	for (;;) {
		fs = strchr(f, '/');
		ts = strchr(t, '/');
		if (fs == NULL || ts == NULL || fs - f != ts - t ||
		    strncmp(f, t, (size_t)(fs - f)) != 0)
			break;
		f = fs + 1;
		t = ts + 1;
	}
	buf_add(&b, "", 0);
	for (; (fs = strchr(f, '/')) != NULL; f = fs + 1)
		buf_addstr(&b, "../");
	for (; *t != '\0'; t++) {
		if (href_plain((unsigned char)*t))
			buf_addc(&b, *t);
		else
			buf_addf(&b, "%%%02X", (unsigned char)*t);
	}
	if (fragment != NULL)
		buf_addstr(&b, fragment);
	return buf_detach(&b);
}

/* One component of a path, as pathmap.h promises it, at most max bytes. */
static int
name_is_safe(const char *name, size_t n, size_t max)
{
	const unsigned char	*s = (const unsigned char *)name;
	size_t			 i, len;

	if (n == 0 || n > max)
		return 0;
	if ((n == 1 && name[0] == '.') ||
	    (n == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	if (name[n - 1] == '.' || name[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i += len) {
		if ((len = utf8_len(s + i, n - i)) == 0)
			return 0;
		if (len == 1 && s[i] != '%' && name_reserved(s[i]))
			return 0;
	}
	return !is_dotgit(name, n) && !is_device(name, n);
}

static int
path_is_safe(const char *path, size_t maxname, size_t maxpath)
{
	const char	*p, *end;

	if (*path == '\0' || strlen(path) > maxpath)
		return 0;
	for (p = path;; p = end + 1) {
		end = p + strcspn(p, "/");
		if (!name_is_safe(p, (size_t)(end - p), maxname))
			return 0;
		if (*end == '\0')
			return 1;
	}
}

int
pathmap_is_safe(const char *path)
{
	return path_is_safe(path, PATHMAP_NAME_MAX, PATHMAP_PATH_MAX);
}

/*
 * Whether a FAT32, exFAT or NTFS stick can hold path: the same names as
 * pathmap_is_safe, within those file systems' own limits (a name of 255
 * UTF-16 units, which UTF-8 bytes never undercount) rather than the
 * margin the mirror keeps for the names it derives (text/'s ".txt").
 */
int
pathmap_is_portable(const char *path)
{
	return path_is_safe(path, PATHMAP_PORTABLE_NAME,
	    PATHMAP_PORTABLE_PATH);
}
