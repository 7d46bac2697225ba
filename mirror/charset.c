/*
 * charset.c -- which character encoding a page is in, and its text in
 * UTF-8.
 *
 * Official pages are not all UTF-8: older city and county sites serve
 * windows-1252 ("Español" as the byte 0xF1), Shift_JIS, EUC-KR or GBK,
 * said in the Content-Type header, in a <meta> element, or nowhere.  The
 * encoding is decided as browsers do (the HTML standard's order): a byte
 * order mark, then the header's charset, then a <meta> in the first 1024
 * bytes, else UTF-8 when the bytes are valid UTF-8 and windows-1252 when
 * they are not.  One departure: a header that says UTF-8 of bytes that
 * are not is not believed (browsers show U+FFFD there; an archive wants
 * the words).  Labels map to what iconv(3) knows, with the standard's
 * supersets (iso-8859-1 and us-ascii are read as windows-1252, gb2312 as
 * GB18030, euc-kr as CP949).
 *
 * Only encodings that keep ASCII bytes as they are are converted: a link
 * found in the UTF-8 text can then be spliced into the original bytes,
 * and charset_to_utf8 says where each UTF-8 byte came from.  UTF-16
 * pages are left as they are (rare, and a splice would break them).
 * This module knows nothing of HTML beyond the <meta> prescan.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "buf.h"
#include "charset.h"
#include "err.h"
#include "xmalloc.h"

#define PRESCAN_MAX	1024	/* bytes the standard looks for <meta> in */

/* Labels, as the HTML standard folds them, to iconv's names. */
static const struct label {
	const char	*label;
	const char	*iconv;		/* NULL: UTF-8, nothing to do */
} labels[] = {
	{ "utf-8", NULL }, { "utf8", NULL }, { "unicode-1-1-utf-8", NULL },
	{ "us-ascii", "WINDOWS-1252" }, { "ascii", "WINDOWS-1252" },
	{ "iso-8859-1", "WINDOWS-1252" }, { "iso8859-1", "WINDOWS-1252" },
	{ "latin1", "WINDOWS-1252" }, { "l1", "WINDOWS-1252" },
	{ "windows-1252", "WINDOWS-1252" }, { "cp1252", "WINDOWS-1252" },
	{ "x-cp1252", "WINDOWS-1252" }, { "cp819", "WINDOWS-1252" },
	{ "iso-8859-9", "WINDOWS-1254" }, { "latin5", "WINDOWS-1254" },
	{ "iso-8859-11", "WINDOWS-874" }, { "tis-620", "WINDOWS-874" },
	{ "gb2312", "GB18030" }, { "gbk", "GB18030" }, { "gb18030", "GB18030" },
	{ "x-gbk", "GB18030" }, { "chinese", "GB18030" },
	{ "big5", "BIG5-HKSCS" }, { "big5-hkscs", "BIG5-HKSCS" },
	{ "x-x-big5", "BIG5-HKSCS" },
	{ "euc-kr", "CP949" }, { "ks_c_5601-1987", "CP949" },
	{ "windows-949", "CP949" }, { "korean", "CP949" },
	{ "shift_jis", "SHIFT_JIS" }, { "shift-jis", "SHIFT_JIS" },
	{ "sjis", "SHIFT_JIS" }, { "x-sjis", "SHIFT_JIS" },
	{ "windows-31j", "CP932" }, { "ms932", "CP932" },
	{ "euc-jp", "EUC-JP" }, { "iso-2022-jp", NULL },
	{ "utf-16", NULL }, { "utf-16le", NULL }, { "utf-16be", NULL },
};

/* Whether s[0..n) is valid UTF-8. */
static int
valid_utf8(const unsigned char *s, size_t n)
{
	size_t	i = 0, k, need;
	unsigned long cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			need = 1;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			need = 2;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			need = 3;
		else
			return 0;
		if (n - i <= need)
			return 0;
		cp = s[i] & (0x3f >> need);
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 &&
		    cp <= 0xdfff))) || (need == 3 && (cp < 0x10000 ||
		    cp > 0x10ffff)))
			return 0;
		i += need + 1;
	}
	return 1;
}

/*
 * A label's iconv name: *known is 0 for a label nobody knows, and the
 * result NULL for UTF-8 and for the encodings left as they are.
 */
static const char *
from_label(const char *s, size_t n, int *known)
{
	char	l[32];
	size_t	i;

	while (n > 0 && (ascii_isspace((unsigned char)*s) || *s == '"' ||
	    *s == '\'')) {
		s++;
		n--;
	}
	while (n > 0 && (ascii_isspace((unsigned char)s[n - 1]) ||
	    s[n - 1] == '"' || s[n - 1] == '\''))
		n--;
	*known = 0;
	if (n == 0 || n >= sizeof l)
		return NULL;
	for (i = 0; i < n; i++)
		l[i] = (char)ascii_tolower((unsigned char)s[i]);
	l[n] = '\0';
	for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(l, labels[i].label) == 0) {
			*known = 1;
			return labels[i].iconv;
		}
	return NULL;
}

/* The value after "charset=" in s[0..n), as [*v, *v + *vn). */
static int
find_charset(const char *s, size_t n, const char **v, size_t *vn)
{
	size_t	i, j;

	for (i = 0; i + 7 <= n; i++) {
		if (ascii_tolower((unsigned char)s[i]) != 'c' ||
		    strncasecmp(s + i, "charset", 7) != 0)
			continue;
		for (j = i + 7; j < n && ascii_isspace((unsigned char)s[j]);
		    j++)
			continue;
		if (j >= n || s[j] != '=')
			continue;
		for (j++; j < n && (ascii_isspace((unsigned char)s[j]) ||
		    s[j] == '"' || s[j] == '\''); j++)
			continue;
		*v = s + j;
		for (*vn = 0; j < n && s[j] != ';' && s[j] != '"' &&
		    s[j] != '\'' && s[j] != '>' && s[j] != '/' &&
		    !ascii_isspace((unsigned char)s[j]); j++)
			(*vn)++;
		return *vn > 0;
	}
	return 0;
}

/* The charset of the first <meta> in data that names one, or NULL. */
static const char *
prescan(const char *data, size_t len, int *known)
{
	const char	*v, *end;
	size_t		 i, vn, n = len < PRESCAN_MAX ? len : PRESCAN_MAX;

	*known = 0;
	for (i = 0; i + 5 < n; i++) {
		if (data[i] != '<' || strncasecmp(data + i + 1, "meta", 4) != 0)
			continue;
		if ((end = memchr(data + i, '>', n - i)) == NULL)
			break;
		if (find_charset(data + i, (size_t)(end - data) - i, &v, &vn))
			return from_label(v, vn, known);
	}
	return NULL;
}

/*
 * The iconv name of the encoding data is in, or NULL when it is UTF-8 or
 * left as it is.  content_type is the Content-Type header, or NULL.
 */
const char *
charset_detect(const char *data, size_t len, const char *content_type)
{
	const unsigned char	*u = (const unsigned char *)data;
	const char		*cs, *v;
	size_t			 vn;
	int			 known;

	if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		return NULL;
	if (len >= 2 && ((u[0] == 0xfe && u[1] == 0xff) ||
	    (u[0] == 0xff && u[1] == 0xfe)))
		return NULL;			/* UTF-16: left alone */
	if (content_type != NULL && find_charset(content_type,
	    strlen(content_type), &v, &vn)) {
		cs = from_label(v, vn, &known);
		/* A server that says UTF-8 of bytes that are not: the
		   page's own word, or the guess, is worth more. */
		if (known && (cs != NULL || valid_utf8(u, len)))
			return cs;
	}
	cs = prescan(data, len, &known);
	if (known)
		return cs;
	return valid_utf8(u, len) ? NULL : "WINDOWS-1252";
}

/*
 * Decode the one character at s[0..n) (not ASCII) into out; the bytes it
 * took.  A sequence that does not decode is one byte, as U+FFFD.
 */
static size_t
decode_one(iconv_t cd, const char *s, size_t n, struct buf *out)
{
	char	tmp[16], *ip, *op;
	size_t	k, il, ol;

	for (k = 1; k <= 4 && k <= n; k++) {
		ip = (char *)(uintptr_t)s;
		il = k;
		op = tmp;
		ol = sizeof tmp;
		if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && il == 0 &&
		    op > tmp) {
			buf_add(out, tmp, (size_t)(op - tmp));
			return k;
		}
		iconv(cd, NULL, NULL, NULL, NULL);
		if (errno != EINVAL)
			break;
	}
	buf_add(out, "\xef\xbf\xbd", 3);
	return 1;
}

/* Room for n more entries in the map. */
static void
map_grow(uint32_t **m, size_t *cap, size_t n)
{
	if (*cap >= n)
		return;
	*cap = n * 2;
	*m = xreallocarray(*m, *cap, sizeof **m);
}

/*
 * data[0..len), in the encoding from, as UTF-8 in out.  With map, *map
 * gets one entry per byte added to out, plus one: the offset in data of
 * the character the byte belongs to (the last entry is len).  ASCII is
 * copied as it is, as browsers read these encodings (glibc's SHIFT_JIS
 * would turn a backslash into a yen sign).
 */
int
charset_to_utf8(const char *data, size_t len, const char *from,
    struct buf *out, uint32_t **map)
{
	iconv_t		 cd;
	uint32_t	*m = NULL;
	size_t		 i = 0, j, k, n, start = out->len, cap = 0;
	int		 ascii;

	if (len >= UINT32_MAX)
		return err_code(FERRY_ETOOBIG, "cannot convert %zu bytes "
		    "from %s", len, from);
	if ((cd = iconv_open("UTF-8", from)) == (iconv_t)-1)
		return err_code(FERRY_EUNSUPPORTED, "cannot convert from "
		    "'%s': %s", from, strerror(errno));
	while (i < len) {
		n = out->len;
		ascii = (unsigned char)data[i] < 0x80;
		if (ascii) {
			for (k = 1; i + k < len &&
			    (unsigned char)data[i + k] < 0x80; k++)
				continue;
			buf_add(out, data + i, k);
		} else
			k = decode_one(cd, data + i, len - i, out);
		if (map != NULL) {
			map_grow(&m, &cap, out->len - start + 1);
			for (j = n; j < out->len; j++)
				m[j - start] = (uint32_t)(ascii ? i + (j - n) :
				    i);
		}
		i += k;
	}
	iconv_close(cd);
	if (map != NULL) {
		map_grow(&m, &cap, out->len - start + 1);
		m[out->len - start] = (uint32_t)len;
		*map = m;
	}
	return 0;
}
