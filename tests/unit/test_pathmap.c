/*
 * test_pathmap.c -- unit tests for pathmap.c.
 *
 * Tables of normalised URLs with the nasty spellings real sites and
 * hostile pages use, and the file names they must become.  The hashes in
 * the expected names are 32-bit FNV-1a values computed independently of
 * pathmap.c.  Every failing row prints its input, the expected and the
 * actual value.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"
#include "pathmap.h"

#include "unit.h"

#define A10	"aaaaaaaaaa"
#define A100	A10 A10 A10 A10 A10 A10 A10 A10 A10 A10
#define C10	"cccccccccc"
#define C100	C10 C10 C10 C10 C10 C10 C10 C10 C10 C10
#define K1	"%EB%A0%88"		/* U+B808, 3 bytes of UTF-8 */
#define K10	K1 K1 K1 K1 K1 K1 K1 K1 K1 K1
#define K100	K10 K10 K10 K10 K10 K10 K10 K10 K10 K10
#define R1	"\xeb\xa0\x88"
#define R5	R1 R1 R1 R1 R1
#define R35	R5 R5 R5 R5 R5 R5 R5
#define COLON10	"::::::::::"
#define ESC12	"%3A%3A%3A%3A%3A%3A%3A%3A%3A%3A%3A%3A"
#define B52	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define LONGHOST A10 A10 A10 A10 A10 A10 "aaa" "." B52 ".com"	/* 120 */

#define PDF	"application/pdf"
#define HTML	"text/html"

/* pathmap_map: want NULL means FERRY_ERROR */

struct map_row {
	const char	*url;
	const char	*ctype;
	const char	*want;
};

static const struct map_row map_rows[] = {
	/* index files */
	{ "http://h.com/", NULL, "site/h.com/index.html" },
	{ "http://h.com/", "text/html; charset=utf-8",
	    "site/h.com/index.html" },
	{ "http://h.com/dir/", NULL, "site/h.com/dir/index.html" },
	{ "http://h.com/dir/", PDF, "site/h.com/dir/index.pdf" },
	{ "http://h.com", NULL, "site/h.com/index.html" },
	/* extensions from the content type */
	{ "http://h.com/a/b.pdf", PDF, "site/h.com/a/b.pdf" },
	{ "http://h.com/a/B.PDF", PDF, "site/h.com/a/B.PDF" },
	{ "http://h.com/download", PDF, "site/h.com/download.pdf" },
	{ "http://h.com/page.php", HTML, "site/h.com/page.php.html" },
	{ "http://h.com/page.htm", "TEXT/HTML", "site/h.com/page.htm" },
	{ "http://h.com/page.shtml", HTML, "site/h.com/page.shtml" },
	{ "http://h.com/p.xhtml", "application/xhtml+xml",
	    "site/h.com/p.xhtml" },
	{ "http://h.com/resources", "application/xhtml+xml",
	    "site/h.com/resources.html" },
	{ "http://h.com/photo.JPEG", "image/jpeg", "site/h.com/photo.JPEG" },
	{ "http://h.com/photo", "image/jpeg", "site/h.com/photo.jpg" },
	{ "http://h.com/style", "text/css", "site/h.com/style.css" },
	{ "http://h.com/app", "text/javascript", "site/h.com/app.js" },
	{ "http://h.com/app.js", "application/javascript",
	    "site/h.com/app.js" },
	{ "http://h.com/favicon.ico", "image/vnd.microsoft.icon",
	    "site/h.com/favicon.ico" },
	{ "http://h.com/f.woff", "font/woff2", "site/h.com/f.woff.woff2" },
	{ "http://h.com/x.pdf", "application/octet-stream",
	    "site/h.com/x.pdf" },
	{ "http://h.com/file.bin", "no/such-type", "site/h.com/file.bin" },
	{ "http://h.com/file", NULL, "site/h.com/file" },
	{ "http://h.com/x.", PDF, "site/h.com/x..pdf" },
	/* dot segments that survived, literal or escaped */
	{ "http://h.com/..", NULL, "site/h.com/%2E%2E" },
	{ "http://h.com/%2e%2e", HTML, "site/h.com/%2E%2E.html" },
	{ "http://h.com/%2e%2e/x.pdf", PDF, "site/h.com/%2E%2E/x.pdf" },
	{ "http://h.com/../../etc/passwd", NULL,
	    "site/h.com/%2E%2E/%2E%2E/etc/passwd" },
	{ "http://h.com/./x", NULL, "site/h.com/%2E/x" },
	{ "http://h.com/...", NULL, "site/h.com/..%2E" },
	/* device names */
	{ "http://h.com/CON.pdf", PDF, "site/h.com/CON_.pdf" },
	{ "http://h.com/con", NULL, "site/h.com/con_" },
	{ "http://h.com/con", HTML, "site/h.com/con_.html" },
	{ "http://h.com/aux/lpt1.txt", "text/plain",
	    "site/h.com/aux_/lpt1_.txt" },
	{ "http://h.com/nul.tar.gz", NULL, "site/h.com/nul_.tar.gz" },
	{ "http://h.com/Com9", NULL, "site/h.com/Com9_" },
	{ "http://h.com/COM10", NULL, "site/h.com/COM10" },
	{ "http://h.com/console", NULL, "site/h.com/console" },
	{ "http://h.com/CON%20.txt", NULL, "site/h.com/CON _.txt" },
	{ "http://h.com/COM%C2%B9", NULL, "site/h.com/COM\xc2\xb9_" },
	{ "http://con/x", NULL, "site/con_/x" },
	/* reserved characters */
	{ "http://h.com/a:b", NULL, "site/h.com/a%3Ab" },
	{ "http://h.com/a%3Cb%3E%7C%22%5C*%3F", NULL,
	    "site/h.com/a%3Cb%3E%7C%22%5C%2A%3F" },
	{ "http://h.com/a%2Fb.pdf", PDF, "site/h.com/a%2Fb.pdf" },
	{ "http://h.com/a%2F..%2F..%2Fb", NULL, "site/h.com/a%2F..%2F..%2Fb" },
	{ "http://h.com/100%25.pdf", PDF, "site/h.com/100%25.pdf" },
	{ "http://h.com/a%00b%1F%7F", NULL, "site/h.com/a%00b%1F%7F" },
	{ "http://h.com/my%20file.pdf", PDF, "site/h.com/my file.pdf" },
	/* trailing dots and spaces */
	{ "http://h.com/dir./x.", NULL, "site/h.com/dir%2E/x%2E" },
	{ "http://h.com/dir%20/x%20", NULL, "site/h.com/dir%20/x%20" },
	{ "http://h.com/x%20.", NULL, "site/h.com/x %2E" },
	{ "http://h.com/x%20", HTML, "site/h.com/x .html" },
	/* UTF-8 names stay readable; broken UTF-8 is escaped */
	{ "http://www.lapl.org/redcards/"
	    "%EB%A0%88%EB%93%9C%EC%B9%B4%EB%93%9C.pdf", PDF,
	    "site/www.lapl.org/redcards/"
	    "\xeb\xa0\x88\xeb\x93\x9c\xec\xb9\xb4\xeb\x93\x9c.pdf" },
	{ "http://h.com/gu%C3%ADa-espa%C3%B1ol.pdf", PDF,
	    "site/h.com/gu\xc3\xad" "a-espa\xc3\xb1ol.pdf" },
	{ "http://h.com/%E4%B8%AD%E6%96%87/%E6%97%A5%E6%9C%AC.html", HTML,
	    "site/h.com/\xe4\xb8\xad\xe6\x96\x87/"
	    "\xe6\x97\xa5\xe6\x9c\xac.html" },
	{ "http://h.com/%FF%FE.txt", "text/plain", "site/h.com/%FF%FE.txt" },
	{ "http://h.com/%C0%AF", NULL, "site/h.com/%C0%AF" },
	{ "http://h.com/%ED%A0%80", NULL, "site/h.com/%ED%A0%80" },
	{ "http://h.com/%E2%82x", NULL, "site/h.com/%E2%82x" },
	{ "http://h.com/%F4%90%80%80", NULL, "site/h.com/%F4%90%80%80" },
	/* .git in any case or spelling */
	{ "http://h.com/.git/config", NULL, "site/h.com/%2Egit/config" },
	{ "http://h.com/.GIT/HEAD", NULL, "site/h.com/%2EGIT/HEAD" },
	{ "http://h.com/.Git", NULL, "site/h.com/%2EGit" },
	{ "http://h.com/%2egit/x", NULL, "site/h.com/%2Egit/x" },
	{ "http://h.com/.git.", NULL, "site/h.com/.git%2E" },
	{ "http://h.com/git~1/x", NULL, "site/h.com/%67it~1/x" },
	{ "http://h.com/GIT~1", NULL, "site/h.com/%47IT~1" },
	{ "http://h.com/.g%E2%80%8Cit/x", NULL,
	    "site/h.com/%2Eg\xe2\x80\x8cit/x" },
	{ "http://h.com/%E2%80%8C.git/x", NULL,
	    "site/h.com/\xe2\x80\x8c%2Egit/x" },
	{ "http://h.com/.gitignore", NULL, "site/h.com/.gitignore" },
	{ "http://h.com/.git", HTML, "site/h.com/.git.html" },
	/* empty segments */
	{ "http://h.com/a//b", NULL, "site/h.com/a/_/b" },
	{ "http://h.com//", NULL, "site/h.com/_/index.html" },
	/* queries, short and long */
	{ "http://h.com/p?q=1", HTML, "site/h.com/p@q=1.html" },
	{ "http://h.com/?page=2", NULL, "site/h.com/index@page=2.html" },
	{ "http://h.com/doc.pdf?v=2", PDF, "site/h.com/doc.pdf@v=2.pdf" },
	{ "http://h.com/doc.pdf?v=2", NULL, "site/h.com/doc.pdf@v=2" },
	{ "http://h.com/p?a=b/c:d", NULL, "site/h.com/p@a=b%2Fc%3Ad" },
	{ "http://h.com/p?q=%EB%A0%88", NULL, "site/h.com/p@q=\xeb\xa0\x88" },
	{ "http://h.com/p?q=a%20b", NULL, "site/h.com/p@q=a b" },
	{ "http://h.com/p?a=%26", NULL, "site/h.com/p@a=%2526" },
	{ "http://h.com/p?..", NULL, "site/h.com/p@.%2E" },
	{ "http://h.com/p?", NULL, "site/h.com/p" },
	{ "http://h.com/p?q=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxx", HTML, "site/h.com/p@b9cbdbc3.html" },
	{ "http://h.com/p?q=1#frag", HTML, "site/h.com/p@q=1.html" },
	{ "http://h.com/a#b", NULL, "site/h.com/a" },
	/* hosts and ports */
	{ "http://h.com:8080/x", NULL, "site/h.com_8080/x" },
	{ "https://h.com:443/x", NULL, "site/h.com/x" },
	{ "http://h.com:80/x", NULL, "site/h.com/x" },
	{ "https://h.com:80/x", NULL, "site/h.com_80/x" },
	{ "http://H.COM/X", NULL, "site/h.com/X" },
	{ "HTTPS://h.com/x", NULL, "site/h.com/x" },
	{ "http://h.com./x", NULL, "site/h.com%2E/x" },
	{ "http://[::1]:8080/x", NULL, "site/[%3A%3A1]_8080/x" },
	{ "http://u:p@h.com/x", NULL, "site/h.com/x" },
	/* 300-character names, directories and paths */
	{ "http://h.com/" A100 A100 A100 ".pdf", PDF,
	    "site/h.com/" A100 "aaaaaaa~58717953.pdf" },
	{ "http://h.com/" K100 ".pdf", PDF,
	    "site/h.com/" R35 "~450caa1b.pdf" },
	{ "http://h.com/b" COLON10 COLON10 COLON10 COLON10 COLON10, NULL,
	    "site/h.com/b" ESC12 ESC12 ESC12 "~27f56d13" },
	{ "http://h.com/" A100 A100 A100 "/x.pdf", PDF,
	    "site/h.com/" A100 "aaaaaaaaaaa~5f6af44f/x.pdf" },
	{ "http://h.com/" A100 A100 A100 "/" C100 C100 C100 "/x.pdf", PDF,
	    "site/h.com/_long/d9cff7d7/x.pdf" },
	{ "http://" LONGHOST "/" A100 A100 A100 ".pdf", PDF,
	    "site/" LONGHOST "/_long/1073fc0e/" A10 A10 A10 A10 A10 A10 A10 A10
	    "aaaaaa~1073fc0e.pdf" },
	/* not http(s), or not parseable */
	{ "ftp://h.com/x", NULL, NULL },
	{ "mailto:x@h.com", NULL, NULL },
	{ "/etc/passwd", NULL, NULL },
	{ "", NULL, NULL },
	{ "http:///x", NULL, NULL },
	{ "http://h.com:8x/", NULL, NULL },
	{ "http://u@/x", NULL, NULL },
	{ "http://[::1/x", NULL, NULL },
};

static void
pathmap_map_rows(void **state)
{
	char	 label[2048];
	size_t	 i;
	char	*path;
	int	 rc, bad = 0;

	for (i = 0; i < NROWS(map_rows); i++) {
		path = NULL;
		err_clear();
		rc = pathmap_map(map_rows[i].url, map_rows[i].ctype, &path);
		snprintf(label, sizeof label, "'%s', %s", map_rows[i].url,
		    S(map_rows[i].ctype));
		bad += row_bad("pathmap_map", label, map_rows[i].want, path);
		if (rc != (map_rows[i].want ? 0 : FERRY_ERROR)) {
			print_error("pathmap_map(%s): rc %d: %s\n", label, rc,
			    err_msg());
			bad++;
		}
		free(path);
	}
	assert_int_equal(bad, 0);
}

static void
pathmap_map_says_why(void **state)
{
	char	*path = NULL;

	assert_int_equal(pathmap_map("ftp://h.com/x", NULL, &path),
	    FERRY_ERROR);
	assert_null(path);
	assert_string_equal(err_msg(), "cannot map 'ftp://h.com/x' to a file: "
	    "not an http or https URL");
}

/* Nothing unsafe ever comes out of pathmap_map() or pathmap_variant(). */
static int
check_safe(const char *url, const char *ctype, int must_map)
{
	char	*path = NULL, *variant;
	int	 rc, bad = 0;

	rc = pathmap_map(url, ctype, &path);
	if (rc != 0 && must_map) {
		print_error("pathmap_map('%s', %s): rc %d: %s\n", url, S(ctype),
		    rc, err_msg());
		bad = 1;
	}
	if (rc == 0 && (!pathmap_is_safe(path) ||
	    strncmp(path, "site/", 5) != 0)) {
		print_error("pathmap_map('%s', %s): '%s' is not safe\n", url,
		    S(ctype), path);
		bad = 1;
	}
	if (rc == 0) {
		variant = pathmap_variant(path, url);
		if (!pathmap_is_safe(variant)) {
			print_error("pathmap_variant('%s'): '%s' is not "
			    "safe\n", path, variant);
			bad = 1;
		}
		free(variant);
	}
	free(path);
	return bad;
}

static void
pathmap_never_maps_unsafe(void **state)
{
	static const char *const ctypes[] = { NULL, HTML, PDF, "image/jpeg" };
	static const char *const nasty[] = {
		"%2e", "%2E%2e", ".", "..", "...", "%20", ".%20", "con",
		"CoN.", "%2egit", "gIt~1", "%00", "%2F", "%5C", ":", "%25",
		"%C0", "%EB%A0", "a%20.", "lpt9.x", "", "~", "@", "index",
		"%E2%80%8C", "%EF%BB%BF.GIT", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	char	url[1024];
	size_t	i, j, k;
	int	bad = 0;
	uint32_t seed = 12345;

	for (i = 0; i < NROWS(map_rows); i++)
		if (map_rows[i].want != NULL)
			bad += check_safe(map_rows[i].url, map_rows[i].ctype,
			    1);
	/* every escaped byte, alone and inside a name */
	for (i = 1; i < 256; i++) {
		snprintf(url, sizeof url, "http://h.com/%%%02zX", i);
		bad += check_safe(url, NULL, 1);
		snprintf(url, sizeof url,
		    "http://h.com/a%%%02zX/b%%%02zX?q=%%%02zX", i, i, i);
		bad += check_safe(url, HTML, 1);
	}
	/* pairs and triples of nasty segments, under every content type */
	for (i = 0; i < NROWS(nasty); i++)
		for (j = 0; j < NROWS(nasty); j++)
			for (k = 0; k < NROWS(ctypes); k++) {
				snprintf(url, sizeof url, "http://h.com/%s/%s",
				    nasty[i], nasty[j]);
				bad += check_safe(url, ctypes[k], 1);
				snprintf(url, sizeof url,
				    "http://h.com/%s%s?%s", nasty[i], nasty[j],
				    nasty[i]);
				bad += check_safe(url, ctypes[k], 1);
			}
	/* random strings of the nasty pieces, long ones included */
	for (i = 0; i < 5000; i++) {
		size_t	len;

		len = (size_t)snprintf(url, sizeof url, "http://h.com/");
		while (len < sizeof url - 16) {
			seed = seed * 1103515245 + 12345;
			if ((seed >> 16) % 31 == 0)
				break;
			len += (size_t)snprintf(url + len, sizeof url - len,
			    "%s%s", nasty[(seed >> 8) % NROWS(nasty)],
			    (seed >> 20) % 3 == 0 ? "/" : "");
		}
		bad += check_safe(url, ctypes[i % NROWS(ctypes)], 1);
	}
	assert_int_equal(bad, 0);
}

/* pathmap_ext */

struct str_row {
	const char	*in;
	const char	*want;
};

static const struct str_row ext_rows[] = {
	{ "text/html", ".html" },
	{ "text/html; charset=utf-8", ".html" },
	{ "Text/HTML;charset=UTF-8", ".html" },
	{ " text/html ", ".html" },
	{ "application/xhtml+xml", ".html" },
	{ "application/pdf", ".pdf" },
	{ "text/css", ".css" },
	{ "text/javascript", ".js" },
	{ "application/javascript", ".js" },
	{ "image/png", ".png" },
	{ "image/jpeg", ".jpg" },
	{ "image/gif", ".gif" },
	{ "image/svg+xml", ".svg" },
	{ "image/webp", ".webp" },
	{ "image/x-icon", ".ico" },
	{ "image/vnd.microsoft.icon", ".ico" },
	{ "font/woff", ".woff" },
	{ "font/woff2", ".woff2" },
	{ "font/ttf", ".ttf" },
	{ "font/otf", ".otf" },
	{ "application/json", ".json" },
	{ "text/plain", ".txt" },
	{ "text/csv", ".csv" },
	{ "application/xml", ".xml" },
	{ "text/xml", ".xml" },
	{ "application/msword", ".doc" },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml."
	    "document", ".docx" },
	{ "application/vnd.ms-excel", ".xls" },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    ".xlsx" },
	{ "application/vnd.ms-powerpoint", ".ppt" },
	{ "application/vnd.openxmlformats-officedocument.presentationml."
	    "presentation", ".pptx" },
	{ "application/vnd.oasis.opendocument.text", ".odt" },
	{ "application/vnd.oasis.opendocument.spreadsheet", ".ods" },
	{ "application/vnd.oasis.opendocument.presentation", ".odp" },
	{ "application/rtf", ".rtf" },
	{ "application/zip", ".zip" },
	{ "audio/mpeg", ".mp3" },
	{ "video/mp4", ".mp4" },
	{ "application/epub+zip", ".epub" },
	{ "application/octet-stream", NULL },
	{ "text/htmlx", NULL },
	{ "text", NULL },
	{ "", NULL },
	{ NULL, NULL },
};

static void
pathmap_ext_rows(void **state)
{
	size_t	i;
	int	bad = 0;

	for (i = 0; i < NROWS(ext_rows); i++)
		bad += row_bad("pathmap_ext", S(ext_rows[i].in),
		    ext_rows[i].want, pathmap_ext(ext_rows[i].in));
	assert_int_equal(bad, 0);
}

/* pathmap_variant */

struct variant_row {
	const char	*path;
	const char	*url;
	const char	*want;
};

static const struct variant_row variant_rows[] = {
	{ "site/h/a.pdf", "http://h.com/a.pdf", "site/h/a~00af86c6.pdf" },
	{ "site/h/d/index.html", "http://h.com/a.pdf",
	    "site/h/d/index~00af86c6.html" },
	{ "site/h/README", "http://h.com/a.pdf", "site/h/README~00af86c6" },
	{ "site/h/.htaccess", "http://h.com/a.pdf",
	    "site/h/.htaccess~00af86c6" },
	{ "site/h/a.tar.gz", "http://h.com/a.pdf",
	    "site/h/a.tar~00af86c6.gz" },
	{ "site/h/" A100 "aaaaaaaaaaaaaaaa.pdf", "http://h.com/a.pdf",
	    "site/h/" A100 "aaaaaaa~00af86c6.pdf" },
};

static void
pathmap_variant_rows(void **state)
{
	size_t	 i;
	char	*got;
	int	 bad = 0;

	for (i = 0; i < NROWS(variant_rows); i++) {
		got = pathmap_variant(variant_rows[i].path,
		    variant_rows[i].url);
		bad += row_bad("pathmap_variant", variant_rows[i].path,
		    variant_rows[i].want, got);
		if (!pathmap_is_safe(got)) {
			print_error("pathmap_variant(%s): '%s' is not safe\n",
			    variant_rows[i].path, got);
			bad++;
		}
		free(got);
	}
	assert_int_equal(bad, 0);
}

/* pathmap_fold */

static const struct str_row fold_rows[] = {
	{ "site/H.COM/Guide.PDF", "site/h.com/guide.pdf" },
	{ "site/h/%2E%2E", "site/h/%2e%2e" },
	{ "site/h/\xc3\x89" "COLE", "site/h/\xc3\xa9" "cole" },		/* É */
	{ "site/h/GU\xc3\x8d" "A", "site/h/gu\xc3\xad" "a" },		/* Í */
	{ "site/h/\xc3\x91", "site/h/\xc3\xb1" },			/* Ñ */
	{ "site/h/\xc3\x97", "site/h/\xc3\x97" },			/* × */
	{ "site/h/\xc3\x9f", "site/h/\xc3\x9f" },			/* ß */
	{ "site/h/\xc5\x81\xc3\x93" "D\xc5\xb9",		/* Lodz */
	    "site/h/\xc5\x82\xc3\xb3" "d\xc5\xba" },
	{ "site/h/\xc5\xb8", "site/h/\xc3\xbf" },			/* Ÿ */
	{ "site/h/\xc4\x8c", "site/h/\xc4\x8d" },			/* Č */
	{ "site/h/\xc4\xb0\xc4\xb1", "site/h/ii" },		/* İı */
	{ "site/h/\xeb\xa0\x88.pdf", "site/h/\xeb\xa0\x88.pdf" },
	{ "", "" },
};

static void
pathmap_fold_rows(void **state)
{
	size_t	 i;
	char	*got;
	int	 bad = 0;

	for (i = 0; i < NROWS(fold_rows); i++) {
		got = pathmap_fold(fold_rows[i].in);
		bad += row_bad("pathmap_fold", fold_rows[i].in,
		    fold_rows[i].want, got);
		free(got);
	}
	assert_int_equal(bad, 0);
}

/* Two URLs differing only in case map apart but fold to one key. */
static void
pathmap_folds_case_collisions(void **state)
{
	static const char *const pair[][2] = {
		{ "http://h.com/Guide.PDF", "http://h.com/guide.pdf" },
		{ "http://h.com/Docs/a.pdf", "http://h.com/docs/A.pdf" },
		{ "http://h.com/GU%C3%8DA.pdf", "http://h.com/gu%C3%ADa.pdf" },
		{ "http://h.com/CON.pdf", "http://h.com/con.PDF" },
	};
	char	*a, *b, *fa, *fb;
	size_t	 i;
	int	 bad = 0;

	for (i = 0; i < NROWS(pair); i++) {
		a = b = NULL;
		assert_int_equal(pathmap_map(pair[i][0], PDF, &a), 0);
		assert_int_equal(pathmap_map(pair[i][1], PDF, &b), 0);
		fa = pathmap_fold(a);
		fb = pathmap_fold(b);
		if (strcmp(a, b) == 0 || strcmp(fa, fb) != 0) {
			print_error("'%s' and '%s': paths '%s' '%s', keys "
			    "'%s' '%s'\n", pair[i][0], pair[i][1], a, b, fa,
			    fb);
			bad++;
		}
		free(a);
		free(b);
		free(fa);
		free(fb);
	}
	assert_int_equal(bad, 0);
}

/* pathmap_href */

struct href_row {
	const char	*from;
	const char	*to;
	const char	*fragment;
	const char	*want;
};

static const struct href_row href_rows[] = {
	{ "site/h/a/b.html", "site/h/c/d.pdf", NULL, "../c/d.pdf" },
	{ "site/h/a/b.html", "site/h/a/d.pdf", NULL, "d.pdf" },
	{ "site/h/a/b.html", "site/h/a/b.html", NULL, "b.html" },
	{ "site/h/a/b.html", "site/h/a/x/y/z.pdf", NULL, "x/y/z.pdf" },
	{ "site/h/a/b/c/d.html", "site/h/e.pdf", NULL, "../../../e.pdf" },
	{ "site/h1/a.html", "site/h2/b.html", NULL, "../h2/b.html" },
	{ "index.html", "site/h/c/d.pdf", NULL, "site/h/c/d.pdf" },
	{ "site/h/a.html", "index.html", NULL, "../../index.html" },
	{ "site/h/a/b.html", "site/h/a/d.html", "#sec-2", "d.html#sec-2" },
	{ "site/h/a.html", "site/h/a.html", "#top", "a.html#top" },
	{ "site/h/a.html", "site/h/\xeb\xa0\x88.pdf", NULL, "%EB%A0%88.pdf" },
	{ "site/h/a.html", "site/h/100%25.pdf", NULL, "100%2525.pdf" },
	{ "site/h/a.html", "site/h/a%3Ab.pdf", NULL, "a%253Ab.pdf" },
	{ "site/h/a.html", "site/h/a:b.pdf", NULL, "a%3Ab.pdf" },
	{ "site/h/a.html", "site/h/my file@v=2.pdf", NULL,
	    "my%20file%40v%3D2.pdf" },
	{ "site/h/a.html", "site/h_8080/x~1a2b3c4d.pdf", NULL,
	    "../h_8080/x~1a2b3c4d.pdf" },
	{ "site/h/ab/c.html", "site/h/a/c.html", NULL, "../a/c.html" },
};

static void
pathmap_href_rows(void **state)
{
	char	 label[512];
	size_t	 i;
	char	*got;
	int	 bad = 0;

	for (i = 0; i < NROWS(href_rows); i++) {
		got = pathmap_href(href_rows[i].from, href_rows[i].to,
		    href_rows[i].fragment);
		snprintf(label, sizeof label, "'%s', '%s', %s",
		    href_rows[i].from, href_rows[i].to,
		    S(href_rows[i].fragment));
		bad += row_bad("pathmap_href", label, href_rows[i].want, got);
		free(got);
	}
	assert_int_equal(bad, 0);
}

/* pathmap_is_safe */

struct safe_row {
	const char	*path;
	int		 want;
};

static const struct safe_row safe_rows[] = {
	{ "site/h/a.pdf", 1 },
	{ "index.html", 1 },
	{ "site/h/\xeb\xa0\x88.pdf", 1 },
	{ "site/h/%2E%2E", 1 },
	{ "site/h/a b.pdf", 1 },
	{ "site/h/.gitignore", 1 },
	{ "site/h/" A100 "aaaaaaaaaaaaaaaaaaaa", 1 },		/* 120 */
	{ "", 0 },
	{ "/etc/passwd", 0 },
	{ "site/", 0 },
	{ "site//x", 0 },
	{ "site/./x", 0 },
	{ "site/../x", 0 },
	{ "..", 0 },
	{ "site/h/.git/config", 0 },
	{ ".git", 0 },
	{ "site/h/.GIT", 0 },
	{ "site/h/git~1", 0 },
	{ "site/h/.g\xe2\x80\x8cit", 0 },
	{ "site/h/CON", 0 },
	{ "site/h/con.pdf", 0 },
	{ "site/h/Lpt1.tar.gz", 0 },
	{ "site/h/nul .txt", 0 },
	{ "site/h/a:b", 0 },
	{ "site/h/a|b", 0 },
	{ "site/h/a?b", 0 },
	{ "site/h/a*b", 0 },
	{ "site/h/a<b>", 0 },
	{ "site/h/a\"b", 0 },
	{ "site/h/a\\b", 0 },
	{ "site/h/a\x01", 0 },
	{ "site/h/a\x7f", 0 },
	{ "site/h/a.", 0 },
	{ "site/h/a ", 0 },
	{ "site/h/\xff", 0 },
	{ "site/h/\xc0\xaf", 0 },
	{ "site/h/" A100 "aaaaaaaaaaaaaaaaaaaaa", 0 },		/* 121 */
	{ "site/h/" A100 "/" A100 "/" A10 A10 A10 "a", 1 },	/* 240 */
	{ "site/h/" A100 "/" A100 "/" A10 A10 A10 "aa", 0 },	/* 241 */
};

static void
pathmap_is_safe_rows(void **state)
{
	size_t	i;
	int	got, bad = 0;

	for (i = 0; i < NROWS(safe_rows); i++) {
		got = pathmap_is_safe(safe_rows[i].path);
		if (got != safe_rows[i].want) {
			print_error("pathmap_is_safe('%s'): expected %d, "
			    "actual %d\n", safe_rows[i].path,
			    safe_rows[i].want, got);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pathmap_map_rows),
		cmocka_unit_test(pathmap_map_says_why),
		cmocka_unit_test(pathmap_never_maps_unsafe),
		cmocka_unit_test(pathmap_ext_rows),
		cmocka_unit_test(pathmap_variant_rows),
		cmocka_unit_test(pathmap_fold_rows),
		cmocka_unit_test(pathmap_folds_case_collisions),
		cmocka_unit_test(pathmap_href_rows),
		cmocka_unit_test(pathmap_is_safe_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
