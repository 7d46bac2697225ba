/*
 * test_catalog.c -- unit tests for catalog.c.
 *
 * Real catalog.conf files written to a temporary directory (the cwd while
 * testing, so messages name "catalog.conf"): every key, overrides found
 * by mirror path and by URL, a table of bad entries that must each give
 * one exact line while the rest of the file still applies, and the few
 * failures (syntax error with its line, unreadable file).  Every failing
 * check prints the input, the expected and the actual value.
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
#include "catalog.h"
#include "err.h"
#include "xmalloc.h"

#define NROWS(a)	(sizeof (a) / sizeof (a)[0])
#define S(s)		((s) ? (s) : "(null)")

#define FILE_NAME	"catalog.conf"

static char	tmpdir[PATH_MAX];
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
	    input, S(expected), S(actual));
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

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	chmod(path, 0700);
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
	snprintf(tmpl, sizeof tmpl, "%s/test_catalog.XXXXXX", t);
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

/* Loads text as catalog.conf; fails the test unless it loads. */
static struct catalog *
load_text(const char *text, struct buf *problems)
{
	struct catalog	*cat = NULL;
	int		 rc;

	write_file(FILE_NAME, text);
	rc = catalog_load(FILE_NAME, &cat, problems);
	if (rc != 0) {
		print_error("catalog_load failed\ninput:\n%s\nerror: %s\n",
		    text, err_msg());
		fail();
	}
	return cat;
}

static void
catalog_missing_file_is_empty(void **state)
{
	struct catalog	*cat = NULL;
	struct buf	 problems = BUF_INIT;

	unlink(FILE_NAME);
	assert_int_equal(catalog_load(FILE_NAME, &cat, &problems), 0);
	assert_non_null(cat);
	assert_int_equal(catalog_count(cat), 0);
	assert_null(catalog_find(cat, "site/h/ko.pdf", "https://h/ko.pdf"));
	assert_null(catalog_at(cat, 0));
	assert_int_equal(problems.len, 0);
	catalog_free(cat);
	assert_int_equal(catalog_load("no/such/dir/" FILE_NAME, &cat, NULL),
	    0);
	assert_int_equal(catalog_count(cat), 0);
	catalog_free(cat);
	assert_null(catalog_find(NULL, "x", "y"));
	catalog_free(NULL);
}

static void
catalog_reads_every_key(void **state)
{
	static const char	 text[] =
	    "# overrides for the Korean red card\n"
	    "[resource \"site/127.0.0.2_8080/redcards/ko.pdf\"]\n"
	    "\ttitle = Red Card (Korean)\n"
	    "\tsection = Red Cards\n"
	    "\tlang = KO\n"
	    "\tnote = Printed copies at the front desk\n"
	    "\thidden = false\n"
	    "\torder = 10\n"
	    "[resource \"site/h/old.pdf\"]\n"
	    "\thidden\n"
	    "\torder = -3\n"
	    "\tlang =\n"
	    "[resource \"site/h/zh.pdf\"]\n"
	    "\tlang = zh_hant\n"
	    "\ttitle = \"  Spaces; and # kept \"\n"
	    "\thidden = yes\n";
	struct buf			 problems = BUF_INIT;
	struct catalog			*cat;
	const struct catalog_override	*o;

	cat = load_text(text, &problems);
	EXPECT_STR("problems", text, "", problems.len ? problems.ptr : "");
	EXPECT_INT("catalog_count", text, 3, catalog_count(cat));

	o = catalog_find(cat, "site/127.0.0.2_8080/redcards/ko.pdf", NULL);
	assert_non_null(o);
	EXPECT_STR("key", text, "site/127.0.0.2_8080/redcards/ko.pdf",
	    o->key);
	EXPECT_STR("title", text, "Red Card (Korean)", o->title);
	EXPECT_STR("section", text, "Red Cards", o->section);
	EXPECT_STR("lang", text, "ko", o->lang);
	EXPECT_STR("note", text, "Printed copies at the front desk", o->note);
	EXPECT_INT("hidden", text, 0, o->hidden);
	EXPECT_INT("has_order", text, 1, o->has_order);
	EXPECT_INT("order", text, 10, o->order);
	assert_ptr_equal(catalog_at(cat, 0), o);

	o = catalog_find(cat, "site/h/old.pdf", NULL);
	assert_non_null(o);
	EXPECT_INT("hidden", text, 1, o->hidden);
	EXPECT_INT("order", text, -3, o->order);
	EXPECT_STR("lang", text, "", o->lang);
	EXPECT_STR("title", text, NULL, o->title);
	EXPECT_STR("section", text, NULL, o->section);
	EXPECT_STR("note", text, NULL, o->note);
	assert_ptr_equal(catalog_at(cat, 1), o);

	o = catalog_find(cat, "site/h/zh.pdf", NULL);
	assert_non_null(o);
	EXPECT_STR("lang", text, "zh-Hant", o->lang);
	EXPECT_STR("title", text, "  Spaces; and # kept ", o->title);
	EXPECT_INT("hidden", text, 1, o->hidden);
	EXPECT_INT("has_order", text, 0, o->has_order);
	assert_null(catalog_at(cat, 3));

	catalog_free(cat);
	buf_free(&problems);
}

/* catalog_find: want is the title of the override found, NULL for none. */
struct find_row {
	const char	*path;
	const char	*url;
	const char	*want;
};

static const char find_text[] =
    "[resource \"site/www.lapl.org/redcards/ko.pdf\"]\n"
    "\ttitle = by path\n"
    "[resource \"/site/www.lapl.org/redcards/es.pdf\"]\n"
    "\ttitle = by path with a slash\n"
    "[resource \"./site/www.lapl.org/redcards/hy.pdf\"]\n"
    "\ttitle = by path with a dot\n"
    "[resource \"site/www.lapl.org/redcards/레드카드-한국어.pdf\"]\n"
    "\ttitle = by Korean path\n"
    "[resource \"https://WWW.LAPL.ORG:443/redcards/zh-hant.pdf#top\"]\n"
    "\ttitle = by URL\n"
    "[resource \"https://www.lapl.org/redcards/레드카드-한국어.pdf\"]\n"
    "\ttitle = by Korean URL\n"
    "[resource \"https://www.lapl.org/redcards/fa.pdf\"]\n"
    "\ttitle = fa by URL\n"
    "[resource \"site/www.lapl.org/redcards/fa.pdf\"]\n"
    "\ttitle = fa by path\n"
    "[resource \"http://127.0.0.1:8080/files/guide-for-%65mployers.pdf\"]\n"
    "\ttitle = escaped\n"
    "[resource \"site/www.lapl.org/Report.PDF\"]\n"
    "\ttitle = case kept\n";

static const struct find_row find_rows[] = {
	{ "site/www.lapl.org/redcards/ko.pdf", NULL, "by path" },
	{ "site/www.lapl.org/redcards/ko.pdf",
	    "https://www.lapl.org/redcards/ko.pdf", "by path" },
	{ "/site/www.lapl.org/redcards/ko.pdf", NULL, "by path" },
	{ "site/www.lapl.org/redcards/es.pdf", NULL, "by path with a slash" },
	{ "site/www.lapl.org/redcards/hy.pdf", NULL, "by path with a dot" },
	{ "site/www.lapl.org/redcards/레드카드-한국어.pdf", NULL,
	    "by Korean path" },
	{ NULL, "https://www.lapl.org/redcards/zh-hant.pdf", "by URL" },
	{ "site/www.lapl.org/redcards/zh-hant.pdf",
	    "https://www.lapl.org/redcards/zh-hant.pdf", "by URL" },
	{ NULL, "https://www.lapl.org/redcards/"
	    "%EB%A0%88%EB%93%9C%EC%B9%B4%EB%93%9C-"
	    "%ED%95%9C%EA%B5%AD%EC%96%B4.pdf", "by Korean URL" },
	{ "site/www.lapl.org/redcards/fa.pdf",
	    "https://www.lapl.org/redcards/fa.pdf", "fa by path" },
	{ "site/other.pdf", "https://www.lapl.org/redcards/fa.pdf",
	    "fa by URL" },
	{ NULL, "http://127.0.0.1:8080/files/guide-for-employers.pdf",
	    "escaped" },
	{ "site/www.lapl.org/Report.PDF", NULL, "case kept" },
	{ "site/www.lapl.org/report.pdf", NULL, NULL },
	{ "site/www.lapl.org/redcards/ru.pdf",
	    "https://www.lapl.org/redcards/ru.pdf", NULL },
	{ NULL, "https://www.lapl.org/redcards/zh-hant.pdf#top", NULL },
	{ "", "", NULL },
	{ NULL, NULL, NULL },
};

static void
catalog_finds_by_path_and_url(void **state)
{
	const struct catalog_override	*o;
	struct buf			 problems = BUF_INIT;
	struct catalog			*cat;
	char				 input[512];
	size_t				 i;

	cat = load_text(find_text, &problems);
	EXPECT_STR("problems", find_text, "",
	    problems.len ? problems.ptr : "");
	for (i = 0; i < NROWS(find_rows); i++) {
		snprintf(input, sizeof input, "catalog_find(%s, %s)",
		    S(find_rows[i].path), S(find_rows[i].url));
		o = catalog_find(cat, find_rows[i].path, find_rows[i].url);
		EXPECT_STR("title of the override found", input,
		    find_rows[i].want, o != NULL ? o->title : NULL);
	}
	o = catalog_find(cat, NULL,
	    "https://www.lapl.org/redcards/zh-hant.pdf");
	assert_non_null(o);
	EXPECT_STR("key", find_text,
	    "https://www.lapl.org/redcards/zh-hant.pdf", o->key);
	catalog_free(cat);
	buf_free(&problems);
}

/*
 * A bad entry gives its one line; the entries around it still apply.
 * Every row's text sits between two good resources, and ends with
 * "note = kept" for the resource it names.  kept is the path whose note
 * must be set, NULL when the resource itself is unusable.
 */
struct bad_row {
	const char	*text;
	const char	*want;
	const char	*kept;
};

#define X	"[resource \"site/x.pdf\"]\n"
#define KEPT	"\tnote = kept\n"
#define PRE	"catalog.conf: resource.site/x.pdf."

static const struct bad_row bad_rows[] = {
	{ X "\ttitel = Red Card\n" KEPT,
	    PRE "titel: unknown key (did you mean 'title'?)", "site/x.pdf" },
	{ X "\tlanguage = es\n" KEPT,
	    PRE "language: unknown key (valid keys: title, section, lang, "
	    "note, hidden, order)", "site/x.pdf" },
	{ X "\thiden = true\n" KEPT,
	    PRE "hiden: unknown key (did you mean 'hidden'?)", "site/x.pdf" },
	{ X "\thidden = maybe\n" KEPT,
	    PRE "hidden: invalid boolean 'maybe' (use true or false)",
	    "site/x.pdf" },
	{ X "\torder = ten\n" KEPT,
	    PRE "order: invalid order 'ten' (use a whole number, like 10; "
	    "lower comes first)", "site/x.pdf" },
	{ X "\torder = 1.5\n" KEPT,
	    PRE "order: invalid order '1.5' (use a whole number, like 10; "
	    "lower comes first)", "site/x.pdf" },
	{ X "\torder = 10k\n" KEPT,
	    PRE "order: invalid order '10k' (use a whole number, like 10; "
	    "lower comes first)", "site/x.pdf" },
	{ X "\torder = 2147483648\n" KEPT,
	    PRE "order: invalid order '2147483648' (use a whole number, like "
	    "10; lower comes first)", "site/x.pdf" },
	{ X "\torder\n" KEPT,
	    PRE "order: no value (write 'order = NUMBER')", "site/x.pdf" },
	{ X "\tlang = Spanish\n" KEPT,
	    PRE "lang: invalid language tag 'Spanish' (did you mean 'es'?)",
	    "site/x.pdf" },
	{ X "\tlang = Chinese (Traditional)\n" KEPT,
	    PRE "lang: invalid language tag 'Chinese (Traditional)' (did you "
	    "mean 'zh-Hant'?)", "site/x.pdf" },
	{ X "\tlang = es_MX_\n" KEPT,
	    PRE "lang: invalid language tag 'es_MX_' (use a BCP 47 tag, like "
	    "es, ko or zh-Hant)", "site/x.pdf" },
	{ X "\tlang\n" KEPT,
	    PRE "lang: no value (write 'lang = TAG', or 'lang =' for no "
	    "language)", "site/x.pdf" },
	{ X "\ttitle\n" KEPT,
	    PRE "title: no value (write 'title = TEXT')", "site/x.pdf" },
	{ X "\tsection = \"\"\n" KEPT,
	    PRE "section: empty value (use text on one line, or remove the "
	    "line)", "site/x.pdf" },
	{ X "\ttitle = \"two\\nlines\"\n" KEPT,
	    PRE "title: invalid title 'two?lines' (use text on one line)",
	    "site/x.pdf" },
	{ "[resorce \"site/x.pdf\"]\n\ttitle = X\n",
	    "catalog.conf: resorce.site/x.pdf.title: unknown section "
	    "'resorce' (did you mean 'resource'?)", NULL },
	{ "[mirror]\n\tpath = /srv/mirror\n",
	    "catalog.conf: mirror.path: unknown section 'mirror' (write "
	    "[resource \"PATH\"] or [resource \"URL\"])", NULL },
	{ "[resource]\n\ttitle = X\n",
	    "catalog.conf: resource.title: resource without a path or URL "
	    "(write [resource \"PATH\"] or [resource \"URL\"])", NULL },
	{ "[resource \"ftp://h.org/a.pdf\"]\n\ttitle = X\n" KEPT,
	    "catalog.conf: resource.ftp://h.org/a.pdf.title: unsupported URL "
	    "'ftp://h.org/a.pdf' (only http and https resources are "
	    "mirrored)", NULL },
	{ "[resource \"https://\"]\n\ttitle = X\n" KEPT,
	    "catalog.conf: resource.https://.title: invalid URL 'https://' "
	    "(use the full address, starting with https:// or http://)",
	    NULL },
	{ "[resource \"/\"]\n\ttitle = X\n" KEPT,
	    "catalog.conf: resource./.title: invalid resource '/' (use a "
	    "path in the mirror, like site/www.lapl.org/ko.pdf, or a URL)",
	    NULL },
};

static void
catalog_reports_bad_entries(void **state)
{
	const struct catalog_override	*o;
	struct buf			 text = BUF_INIT, problems = BUF_INIT;
	struct catalog			*cat;
	char				*want;
	size_t				 i;

	for (i = 0; i < NROWS(bad_rows); i++) {
		buf_reset(&text);
		buf_reset(&problems);
		buf_addf(&text, "[resource \"site/before.pdf\"]\n"
		    "\ttitle = Before\n%s"
		    "[resource \"https://h.org/after.pdf\"]\n"
		    "\ttitle = After\n", bad_rows[i].text);
		cat = load_text(text.ptr, &problems);
		xasprintf(&want, "%s\n", bad_rows[i].want);
		EXPECT_STR("problems", text.ptr, want,
		    problems.len ? problems.ptr : "");
		free(want);
		o = catalog_find(cat, "site/before.pdf", NULL);
		EXPECT_STR("the entry before", text.ptr, "Before",
		    o != NULL ? o->title : NULL);
		o = catalog_find(cat, NULL, "https://h.org/after.pdf");
		EXPECT_STR("the entry after", text.ptr, "After",
		    o != NULL ? o->title : NULL);
		if (bad_rows[i].kept != NULL) {
			o = catalog_find(cat, bad_rows[i].kept, NULL);
			EXPECT_STR("the other keys of the resource", text.ptr,
			    "kept", o != NULL ? o->note : NULL);
		} else
			EXPECT_INT("resources", text.ptr, 2,
			    catalog_count(cat));
		catalog_free(cat);
	}
	buf_free(&text);
	buf_free(&problems);
}

/* All problems of a file, in order; the same bad name reported once. */
static void
catalog_reports_all_problems(void **state)
{
	static const char	 text[] =
	    "[resource \"site/a.pdf\"]\n"
	    "\ttitel = A\n"
	    "\thidden = nah\n"
	    "\ttitle = A\n"
	    "[resource \"gopher://h/x\"]\n"
	    "\ttitle = X\n"
	    "\tnote = Y\n"
	    "[resource \"site/b.pdf\"]\n"
	    "\torder = first\n"
	    "\torder = 2\n";
	static const char	 want[] =
	    "catalog.conf: resource.site/a.pdf.titel: unknown key (did you "
	    "mean 'title'?)\n"
	    "catalog.conf: resource.site/a.pdf.hidden: invalid boolean 'nah' "
	    "(use true or false)\n"
	    "catalog.conf: resource.gopher://h/x.title: unsupported URL "
	    "'gopher://h/x' (only http and https resources are mirrored)\n"
	    "catalog.conf: resource.site/b.pdf.order: invalid order 'first' "
	    "(use a whole number, like 10; lower comes first)\n";
	const struct catalog_override	*o;
	struct buf			 problems = BUF_INIT;
	struct catalog			*cat;
	const char			*end;
	char				*all;

	buf_addstr(&problems, "earlier text\n");
	cat = load_text(text, &problems);
	xasprintf(&all, "earlier text\n%s", want);
	EXPECT_STR("problems", text, all, problems.ptr);
	free(all);
	o = catalog_find(cat, "site/a.pdf", NULL);
	assert_non_null(o);
	EXPECT_STR("title", text, "A", o->title);
	EXPECT_INT("hidden", text, 0, o->hidden);
	o = catalog_find(cat, "site/b.pdf", NULL);
	assert_non_null(o);
	EXPECT_INT("order", text, 2, o->order);
	EXPECT_INT("resources", text, 2, catalog_count(cat));
	catalog_free(cat);

	/* without a buffer the problems are dropped, the rest applies */
	write_file(FILE_NAME, text);
	assert_int_equal(catalog_load(FILE_NAME, &cat, NULL), 0);
	EXPECT_INT("resources", text, 2, catalog_count(cat));
	catalog_free(cat);

	/* a buffer with a cap keeps the whole lines that fit */
	buf_free(&problems);
	buf_init(&problems, strlen(want) - 1);
	cat = load_text(text, &problems);
	for (end = want + strlen(want) - 1; end[-1] != '\n'; end--)
		;
	all = xstrndup(want, (size_t)(end - want));
	EXPECT_STR("lines kept", text, all, problems.len ? problems.ptr : "");
	free(all);
	catalog_free(cat);
	buf_free(&problems);
}

/* Many bad entries: the first MAX_PROBLEMS lines, then a count. */
static void
catalog_caps_problems(void **state)
{
	struct buf	 text = BUF_INIT, problems = BUF_INIT;
	struct catalog	*cat;
	const char	*last;
	size_t		 i, lines = 0;

	buf_addstr(&text, "[resource \"site/x.pdf\"]\n");
	for (i = 0; i < 60; i++)
		buf_addf(&text, "\torder = n%zu\n", i);
	cat = load_text(text.ptr, &problems);
	for (i = 0; i < problems.len; i++)
		lines += problems.ptr[i] == '\n';
	EXPECT_INT("lines", text.ptr, 51, lines);
	problems.ptr[problems.len - 1] = '\0';
	last = strrchr(problems.ptr, '\n') + 1;
	EXPECT_STR("last line", text.ptr, "catalog.conf: 10 more problems "
	    "not shown", last);
	catalog_free(cat);
	buf_free(&text);
	buf_free(&problems);
}

/* A key set twice keeps its last value; a resource may come back. */
static void
catalog_last_value_wins(void **state)
{
	static const char	 text[] =
	    "[resource \"site/x.pdf\"]\n"
	    "\ttitle = First\n"
	    "\thidden = true\n"
	    "[resource \"site/y.pdf\"]\n"
	    "\ttitle = Y\n"
	    "[resource \"/site/x.pdf\"]\n"
	    "\ttitle = Second\n"
	    "\thidden = false\n";
	const struct catalog_override	*o;
	struct catalog			*cat;

	cat = load_text(text, NULL);
	EXPECT_INT("resources", text, 2, catalog_count(cat));
	o = catalog_find(cat, "site/x.pdf", NULL);
	assert_non_null(o);
	EXPECT_STR("title", text, "Second", o->title);
	EXPECT_INT("hidden", text, 0, o->hidden);
	EXPECT_STR("first resource", text, "site/x.pdf",
	    catalog_at(cat, 0)->key);
	catalog_free(cat);
}

static void
catalog_follows_includes(void **state)
{
	static const char	 text[] =
	    "[include]\n"
	    "\tpath = more.conf\n"
	    "[resource \"site/x.pdf\"]\n"
	    "\ttitle = X\n";
	const struct catalog_override	*o;
	struct buf			 problems = BUF_INIT;
	struct catalog			*cat;

	write_file("more.conf", "[resource \"site/y.pdf\"]\n\ttitle = Y\n");
	cat = load_text(text, &problems);
	EXPECT_STR("problems", text, "", problems.len ? problems.ptr : "");
	o = catalog_find(cat, "site/y.pdf", NULL);
	EXPECT_STR("included title", text, "Y", o != NULL ? o->title : NULL);
	EXPECT_INT("resources", text, 2, catalog_count(cat));
	catalog_free(cat);
	buf_free(&problems);
}

/* The failures: syntax errors with their line, unreadable files. */
struct fail_row {
	const char	*text;
	int		 want_rc;
	const char	*want;
};

static const struct fail_row fail_rows[] = {
	{ "[resource \"site/x.pdf\"]\n\ttitle = X\n[resource \"y\"\n",
	    FERRY_ECONFIG,
	    "catalog.conf:3: syntax error: missing ']' in section header" },
	{ "[resource \"site/x.pdf\"]\n\ttitle = X\n\t= no key\n",
	    FERRY_ECONFIG,
	    "catalog.conf:3: syntax error: invalid configuration key" },
	{ "[resource \"site/x.pdf\"\n\ttitle = X\n",
	    FERRY_ECONFIG,
	    "catalog.conf:1: syntax error: missing ']' in section header" },
};

static void
catalog_fails_on_syntax_errors(void **state)
{
	struct buf	 problems = BUF_INIT;
	struct catalog	*cat;
	size_t		 i;
	int		 rc;

	for (i = 0; i < NROWS(fail_rows); i++) {
		write_file(FILE_NAME, fail_rows[i].text);
		buf_reset(&problems);
		buf_addstr(&problems, "untouched");
		cat = (struct catalog *)&cat;
		rc = catalog_load(FILE_NAME, &cat, &problems);
		EXPECT_INT("catalog_load", fail_rows[i].text,
		    fail_rows[i].want_rc, rc);
		EXPECT_STR("error", fail_rows[i].text, fail_rows[i].want,
		    err_msg());
		EXPECT_STR("problems", fail_rows[i].text, "untouched",
		    problems.ptr);
		assert_null(cat);
	}
	buf_free(&problems);
}

static void
catalog_fails_on_unreadable_files(void **state)
{
	struct catalog	*cat = NULL;

	assert_int_equal(mkdir("adir", 0700), 0);
	assert_int_equal(catalog_load("adir", &cat, NULL), FERRY_ERROR);
	assert_string_equal(err_msg(), "cannot read 'adir': Is a directory");
	assert_null(cat);

	write_file("afile", "");
	assert_int_equal(catalog_load("afile/" FILE_NAME, &cat, NULL),
	    FERRY_ERROR);
	assert_string_equal(err_msg(), "cannot read 'afile/catalog.conf': "
	    "Not a directory");

	if (geteuid() == 0)
		return;		/* root reads anything */
	write_file("locked.conf", "[resource \"x\"]\n\ttitle = X\n");
	assert_int_equal(chmod("locked.conf", 0), 0);
	assert_int_equal(catalog_load("locked.conf", &cat, NULL),
	    FERRY_ERROR);
	assert_string_equal(err_msg(), "cannot read 'locked.conf': "
	    "Permission denied");
	assert_null(cat);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(catalog_missing_file_is_empty),
		cmocka_unit_test(catalog_reads_every_key),
		cmocka_unit_test(catalog_finds_by_path_and_url),
		cmocka_unit_test(catalog_reports_bad_entries),
		cmocka_unit_test(catalog_reports_all_problems),
		cmocka_unit_test(catalog_caps_problems),
		cmocka_unit_test(catalog_last_value_wins),
		cmocka_unit_test(catalog_follows_includes),
		cmocka_unit_test(catalog_fails_on_syntax_errors),
		cmocka_unit_test(catalog_fails_on_unreadable_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
