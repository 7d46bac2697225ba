/*
 * test_pdf.c -- unit tests for pdf.c.
 *
 * Tables of text as poppler gives it (runs of spaces, form feeds, CRLF,
 * no-break spaces, broken UTF-8) and the lines the .txt must hold; .txt
 * headers for PDFs read whole, cut, unreadable and without text; what
 * the search takes from a .txt; and real readings by poppler of PDFs
 * this file writes (pages, a title in UTF-16, garbage, a missing file,
 * the page, text and time limits).  Every failing row prints its input,
 * the expected and the actual value.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "err.h"
#include "pdf.h"
#include "xmalloc.h"

#include "unit.h"

/* --- normalisation ---------------------------------------------------- */

struct norm_row {
	const char	*in;
	size_t		 len;	/* 0: strlen(in) */
	const char	*want;
};

static const struct norm_row norm_rows[] = {
	{ "", 0, "" },
	{ "a", 0, "a\n" },
	{ "  Know   your\trights  ", 0, "Know your rights\n" },
	{ "line one\r\nline two\rline three", 0,
	    "line one\nline two\nline three\n" },
	{ "page one\fpage two\f", 0, "page one\npage two\n" },
	{ "a\n\n\n   \n\t\nb\n", 0, "a\nb\n" },
	{ "trailing   \n   leading", 0, "trailing\nleading\n" },
	{ "no\xc2\xa0" "break", 0, "no break\n" },
	{ "ideographic\xe3\x80\x80space", 0, "ideographic space\n" },
	{ "\xef\xbb\xbfmark", 0, "mark\n" },
	{ "sep\xe2\x80\xa8" "arated", 0, "sep\narated\n" },
	{ "para\xe2\x80\xa9graph", 0, "para\ngraph\n" },
	{ "bell\x07" "and\x1b" "esc", 0, "bell and esc\n" },
	{ "nul\0inside", 10, "nul inside\n" },
	{ "C1\xc2\x85" "next line", 0, "C1\nnext line\n" },
	{ "Espa\xc3\xb1ol  \xed\x95\x9c\xea\xb5\xad\xec\x96\xb4", 0,
	    "Espa\xc3\xb1ol \xed\x95\x9c\xea\xb5\xad\xec\x96\xb4\n" },
	{ "\xe0\xb8\xaa\xe0\xb8\xb4\xe0\xb8\x97\xe0\xb8\x98\xe0\xb8\xb4", 0,
	    "\xe0\xb8\xaa\xe0\xb8\xb4\xe0\xb8\x97\xe0\xb8\x98\xe0\xb8\xb4\n" },
	/* broken UTF-8: each bad byte becomes U+FFFD */
	{ "a\xff" "b", 0, "a\xef\xbf\xbd" "b\n" },
	{ "\xc0\xaf", 0, "\xef\xbf\xbd\xef\xbf\xbd\n" },
	{ "\xed\xa0\x80", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\n" },
	{ "cut\xe2\x82", 0, "cut\xef\xbf\xbd\xef\xbf\xbd\n" },
	{ "\xf4\x90\x80\x80", 0,
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\n" },
	{ "\xf0\x9f\x93\x9e hotline", 0, "\xf0\x9f\x93\x9e hotline\n" },
};

static void
pdf_normalise_rows(void **state)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	int		bad = 0;

	(void)state;
	for (i = 0; i < NROWS(norm_rows); i++) {
		const struct norm_row *r = &norm_rows[i];

		buf_reset(&b);
		assert_int_equal(pdf_normalise(r->in, r->len ? r->len :
		    strlen(r->in), &b), 0);
		bad += row_bad("pdf_normalise", r->in, r->want,
		    b.ptr ? b.ptr : "");
	}
	buf_free(&b);
	assert_int_equal(bad, 0);
}

/* Past the buffer's cap: an error, and only whole lines kept. */
static void
pdf_normalise_keeps_whole_lines_at_cap(void **state)
{
	struct buf	b = BUF_INIT;

	(void)state;
	buf_init(&b, 16);
	assert_int_equal(pdf_normalise("first line\nsecond line\n", 23, &b),
	    FERRY_ETOOBIG);
	assert_string_equal(b.ptr, "first line\n");
	buf_free(&b);
}

/* The same bytes give the same lines, whatever came before in the buffer. */
static void
pdf_normalise_appends(void **state)
{
	struct buf	b = BUF_INIT;

	(void)state;
	buf_addstr(&b, "kept\n");
	assert_int_equal(pdf_normalise(" x  y ", 6, &b), 0);
	assert_string_equal(b.ptr, "kept\nx y\n");
	buf_free(&b);
}

/* --- the .txt --------------------------------------------------------- */

#define SHA	"9f86d081884c7d659a2feaa0c55ad015" \
		"a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define URL	"https://www.lapl.org/redcards/es.pdf"
#define COPY	"Size: 48213 bytes\nSHA-256: " SHA "\nURL: " URL "\n"

struct format_row {
	const char	*name;
	struct pdf_info	 in;
	const char	*want;
};

static const struct format_row format_rows[] = {
	{ "whole", { "Tarjeta roja", "ILRC", 2, 2, 0,
	    "--- page 1 ---\nConozca sus derechos\n--- page 2 ---\nfin\n",
	    NULL },
	    "Title: Tarjeta roja\nAuthor: ILRC\nPages: 2\n" COPY "\n"
	    "--- page 1 ---\nConozca sus derechos\n--- page 2 ---\nfin\n" },
	{ "no title or author", { "", "", 1, 1, 0, "text\n", NULL },
	    "Pages: 1\n" COPY "\ntext\n" },
	{ "NULL metadata", { NULL, NULL, 1, 1, 0, "text\n", NULL },
	    "Pages: 1\n" COPY "\ntext\n" },
	{ "first pages only", { "Guide", "", 300, 200, 1, "a\n", NULL },
	    "Title: Guide\nPages: 300\n" COPY
	    "Text: the first 200 of 300 pages only\n\na\n" },
	{ "text cut", { "Guide", "", 3, 3, 1, "a\n", NULL },
	    "Title: Guide\nPages: 3\n" COPY "Text: cut short: the document "
	    "has more text than ferry keeps\n\na\n" },
	{ "no text", { "Scan", "", 4, 4, 0, "", NULL },
	    "Title: Scan\nPages: 4\n" COPY "Text: none (the pages carry no "
	    "text: scanned images?)\n" },
	{ "damaged", { "", "", 0, 0, 0, NULL, "the document cannot be "
	    "opened: PDF document is damaged" },
	    COPY "Text: not read (the document cannot be opened: PDF "
	    "document is damaged)\n" },
	{ "metadata kept on failure", { "Big", "City", 9, 0, 0, NULL,
	    "reading it took longer than 30 s" },
	    "Title: Big\nAuthor: City\nPages: 9\n" COPY "Text: not read "
	    "(reading it took longer than 30 s)\n" },
	{ "without poppler", { "", "", 0, 0, 0, NULL,
	    "ferry was built without poppler" },
	    COPY "Text: not read (ferry was built without poppler)\n" },
};

static void
pdf_format_rows(void **state)
{
	struct pdf_copy	 copy = { URL, SHA, 48213 };
	struct buf	 b = BUF_INIT;
	size_t		 i;
	int		 bad = 0;

	(void)state;
	for (i = 0; i < NROWS(format_rows); i++) {
		buf_reset(&b);
		assert_int_equal(pdf_format(&format_rows[i].in, &copy, &b), 0);
		bad += row_bad("pdf_format", format_rows[i].name,
		    format_rows[i].want, b.ptr);
	}
	buf_free(&b);
	assert_int_equal(bad, 0);
}

static void
pdf_format_reports_cap(void **state)
{
	struct pdf_info	 in = { "t", "", 1, 1, 0, "long enough text\n", NULL };
	struct pdf_copy	 copy = { URL, SHA, 1 };
	struct buf	 b = BUF_INIT;

	(void)state;
	buf_init(&b, 64);
	assert_int_equal(pdf_format(&in, &copy, &b), FERRY_ETOOBIG);
	assert_non_null(strstr(err_msg(), URL));
	buf_free(&b);
}

struct search_row {
	const char	*txt;
	const char	*want;
};

static const struct search_row search_rows[] = {
	{ "Title: Tarjeta roja\nAuthor: ILRC\nPages: 2\n" COPY "\n"
	    "--- page 1 ---\nConozca sus derechos\n--- page 2 ---\nfin\n",
	    "Tarjeta roja\nILRC\nConozca sus derechos\nfin\n" },
	{ COPY "Text: not read (damaged)\n", "" },
	{ "Pages: 1\n" COPY "\nonly text\n", "only text\n" },
	{ "Title: a\n" COPY "\nno newline at the end", "a\nno newline at "
	    "the end\n" },
	{ "Title:\n" COPY "\n--- page 10 ---\nx\n", "x\n" },
	{ "", "" },
};

static void
pdf_search_text_rows(void **state)
{
	size_t	i;
	char	*got;
	int	bad = 0;

	(void)state;
	for (i = 0; i < NROWS(search_rows); i++) {
		got = pdf_search_text(search_rows[i].txt,
		    strlen(search_rows[i].txt));
		bad += row_bad("pdf_search_text", search_rows[i].txt,
		    search_rows[i].want, got);
		free(got);
	}
	assert_int_equal(bad, 0);
}

/* --- reading real PDFs -------------------------------------------------- */

/*
 * A PDF whose Info dictionary has title and author (PDF string syntax,
 * or NULL for none) and whose page i shows the lines of pages[i]
 * (separated by '|'), with exact xref offsets.
 */
static void
make_pdf(struct buf *b, const char *title, const char *author,
    const char *const *pages, int npages)
{
	size_t	 off[512];
	int	 i, n = 0, obj;
	char	*lines, *line, *save;

	buf_addstr(b, "%PDF-1.4\n");
	off[++n] = b->len;
	buf_addstr(b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	off[++n] = b->len;
	buf_addstr(b, "2 0 obj\n<< /Type /Pages /Count ");
	buf_addf(b, "%d /Kids [", npages);
	for (i = 0; i < npages; i++)
		buf_addf(b, " %d 0 R", 5 + 2 * i);
	buf_addstr(b, " ] >>\nendobj\n");
	off[++n] = b->len;
	buf_addstr(b, "3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont "
	    "/Helvetica >>\nendobj\n");
	off[++n] = b->len;
	buf_addf(b, "4 0 obj\n<< %s%s %s%s >>\nendobj\n", title ? "/Title " :
	    "", title ? title : "", author ? "/Author " : "",
	    author ? author : "");
	for (i = 0; i < npages; i++) {
		struct buf c = BUF_INIT;

		buf_addstr(&c, "BT /F1 12 Tf 72 720 Td");
		lines = xstrdup(pages[i]);
		for (line = strtok_r(lines, "|", &save); line != NULL;
		    line = strtok_r(NULL, "|", &save))
			buf_addf(&c, " (%s) Tj 0 -20 Td", line);
		buf_addstr(&c, " ET\n");
		free(lines);
		obj = 5 + 2 * i;
		off[++n] = b->len;
		buf_addf(b, "%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox "
		    "[0 0 612 792] /Contents %d 0 R /Resources << /Font << "
		    "/F1 3 0 R >> >> >>\nendobj\n", obj, obj + 1);
		off[++n] = b->len;
		buf_addf(b, "%d 0 obj\n<< /Length %zu >>\nstream\n%s"
		    "endstream\nendobj\n", obj + 1, c.len, c.ptr);
		buf_free(&c);
	}
	off[0] = b->len;
	buf_addf(b, "xref\n0 %d\n0000000000 65535 f \n", n + 1);
	for (i = 1; i <= n; i++)
		buf_addf(b, "%010zu 00000 n \n", off[i]);
	buf_addf(b, "trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n"
	    "startxref\n%zu\n%%%%EOF\n", n + 1, off[0]);
}

static char *
write_temp(const void *data, size_t len)
{
	const char	*dir = getenv("TMPDIR");
	char		*file;
	int		 fd;

	xasprintf(&file, "%s/test_pdf.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(file);

	assert_true(fd != -1);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return file;
}

struct read_row {
	const char	*name;
	const char	*title;		/* PDF syntax */
	const char	*author;
	const char	*pages[4];
	int		 npages;
	int		 max_pages;	/* 0: the default */
	size_t		 max_text;
	/* expected */
	const char	*want_title;
	const char	*want_author;
	int		 want_pages;
	int		 want_read;
	int		 want_cut;
	const char	*want_text;
};

static const struct read_row read_rows[] = {
	{ "one page", "(Red Card - Spanish)", "(ILRC \\(sample\\))",
	    { "Know your rights:|you have the right   to remain silent." },
	    1, 0, 0, "Red Card - Spanish", "ILRC (sample)", 1, 1, 0,
	    "Know your rights:\nyou have the right to remain silent.\n" },
	{ "UTF-16 title, no author", "<FEFF005400610072006A006500740061"
	    "00200072006F006A00610020002D0020004500730070006100F1006F006C>",
	    NULL, { "Tarjeta roja" }, 1, 0, 0,
	    "Tarjeta roja - Espa\xc3\xb1ol", "", 1, 1, 0,
	    "Tarjeta roja\n" },
	{ "three pages", "(Guide)", "(City)", { "first", "second", "third" },
	    3, 0, 0, "Guide", "City", 3, 3, 0,
	    "--- page 1 ---\nfirst\n--- page 2 ---\nsecond\n--- page 3 ---\n"
	    "third\n" },
	{ "page limit", "(Guide)", "(City)", { "first", "second", "third" },
	    3, 2, 0, "Guide", "City", 3, 2, 1,
	    "--- page 1 ---\nfirst\n--- page 2 ---\nsecond\n" },
	{ "text limit", "(Guide)", "(City)", { "first page", "second" }, 2,
	    0, 5, "Guide", "City", 2, 1, 1, "--- page 1 ---\nfirst\n" },
	{ "an empty page", "(Scan)", NULL, { "" }, 1, 0, 0, "Scan", "", 1,
	    1, 0, "" },
};

static void
pdf_read_rows(void **state)
{
	struct pdf_limits	 lim;
	struct pdf_info		 in;
	struct buf		 b = BUF_INIT;
	size_t			 i;
	char			*file, num[64], want[64];
	int			 bad = 0;

	(void)state;
	if (!pdf_available())
		skip();
	for (i = 0; i < NROWS(read_rows); i++) {
		const struct read_row *r = &read_rows[i];
		struct pdf_limits def = PDF_LIMITS_DEFAULT;

		lim = def;
		if (r->max_pages)
			lim.pages = r->max_pages;
		if (r->max_text)
			lim.text = r->max_text;
		buf_reset(&b);
		make_pdf(&b, r->title, r->author, r->pages, r->npages);
		file = write_temp(b.ptr, b.len);
		assert_int_equal(pdf_read(file, &lim, &in), 0);
		bad += row_bad("pdf_read.why", r->name, NULL, in.why);
		bad += row_bad("pdf_read.title", r->name, r->want_title,
		    in.title);
		bad += row_bad("pdf_read.author", r->name, r->want_author,
		    in.author);
		bad += row_bad("pdf_read.text", r->name, r->want_text, in.text);
		snprintf(num, sizeof num, "%d %d %d", in.pages, in.pages_read,
		    in.cut);
		snprintf(want, sizeof want, "%d %d %d", r->want_pages,
		    r->want_read, r->want_cut);
		bad += row_bad("pdf_read.pages/read/cut", r->name, want, num);
		pdf_info_free(&in);
		unlink(file);
		free(file);
	}
	buf_free(&b);
	assert_int_equal(bad, 0);
}

/*
 * Many at once, three readers at a time: each answer is the one its own
 * file gives alone, in the order of the files, a bad file among them.
 */
static void
pdf_read_many_keeps_order(void **state)
{
	struct pdf_limits	 lim = PDF_LIMITS_DEFAULT;
	struct pdf_info		 in[NROWS(read_rows) + 1];
	const char		*files[NROWS(read_rows) + 1];
	const struct read_row	*row[NROWS(read_rows) + 1];
	struct buf		 b = BUF_INIT;
	size_t			 i, n = 0, bad_at;
	int			 bad = 0;

	(void)state;
	if (!pdf_available())
		skip();
	for (i = 0; i < NROWS(read_rows); i++) {
		const struct read_row *r = &read_rows[i];

		if (r->max_pages || r->max_text)
			continue;
		buf_reset(&b);
		make_pdf(&b, r->title, r->author, r->pages, r->npages);
		row[n] = r;
		files[n++] = write_temp(b.ptr, b.len);
	}
	bad_at = n / 2;		/* garbage in the middle */
	memmove(&files[bad_at + 1], &files[bad_at],
	    (n - bad_at) * sizeof files[0]);
	memmove(&row[bad_at + 1], &row[bad_at], (n - bad_at) * sizeof row[0]);
	files[bad_at] = write_temp("not a PDF at all\n", 17);
	row[bad_at] = NULL;
	n++;
	assert_int_equal(pdf_read_many(files, n, &lim, 3, in), 0);
	for (i = 0; i < n; i++) {
		if (row[i] == NULL) {
			if (in[i].why == NULL || in[i].text != NULL) {
				print_error("pdf_read_many: file %zu (garbage) "
				    "read as a PDF\n", i);
				bad++;
			}
		} else {
			bad += row_bad("pdf_read_many.why", row[i]->name, NULL,
			    in[i].why);
			bad += row_bad("pdf_read_many.title", row[i]->name,
			    row[i]->want_title, in[i].title);
			bad += row_bad("pdf_read_many.text", row[i]->name,
			    row[i]->want_text, in[i].text);
		}
		pdf_info_free(&in[i]);
		unlink(files[i]);
		free((char *)(uintptr_t)files[i]);
	}
	buf_free(&b);
	assert_int_equal(bad, 0);
}

/* What cannot be read still gives an answer, with the reason. */
struct unreadable_row {
	const char	*name;
	const char	*data;		/* NULL: no such file */
	size_t		 len;
	const char	*why;		/* a part of the reason */
};

static const struct unreadable_row unreadable_rows[] = {
	{ "garbage", "\x8f\x01\xfe garbage, not a PDF\n", 24,
	    "cannot be opened" },
	{ "empty file", "", 0, "cannot be opened" },
	{ "header only", "%PDF-1.7\n", 9, "cannot be opened" },
	{ "missing file", NULL, 0, "cannot be opened" },
};

static void
pdf_read_unreadable(void **state)
{
	struct pdf_limits	 lim = PDF_LIMITS_DEFAULT;
	struct pdf_info		 in;
	size_t			 i;
	char			*file;
	int			 bad = 0;

	(void)state;
	if (!pdf_available())
		skip();
	for (i = 0; i < NROWS(unreadable_rows); i++) {
		const struct unreadable_row *r = &unreadable_rows[i];

		file = r->data ? write_temp(r->data, r->len) :
		    xstrdup("/nonexistent/ferry-test.pdf");
		assert_int_equal(pdf_read(file, &lim, &in), 0);
		if (in.why == NULL || strstr(in.why, r->why) == NULL) {
			print_error("pdf_read(%s): expected why with '%s', "
			    "actual '%s'\n", r->name, r->why, S(in.why));
			bad++;
		}
		bad += row_bad("pdf_read.text", r->name, NULL, in.text);
		bad += row_bad("pdf_read.title", r->name, "", in.title);
		pdf_info_free(&in);
		if (r->data)
			unlink(file);
		free(file);
	}
	assert_int_equal(bad, 0);
}

/* A reading over its time is killed; the caller goes on. */
static void
pdf_read_kills_at_deadline(void **state)
{
	struct pdf_limits	 lim = PDF_LIMITS_DEFAULT;
	struct pdf_info		 in;
	struct buf		 b = BUF_INIT;
	const char		*pages[1] = { "x" };
	char			*file;
	int			 i;

	(void)state;
	if (!pdf_available())
		skip();
	make_pdf(&b, "(t)", NULL, pages, 1);
	file = write_temp(b.ptr, b.len);
	lim.wall_ms = 0;	/* over before it starts */
	for (i = 0; i < 3; i++) {
		assert_int_equal(pdf_read(file, &lim, &in), 0);
		assert_non_null(in.why);
		assert_non_null(strstr(in.why, "took longer than"));
		assert_null(in.text);
		pdf_info_free(&in);
	}
	unlink(file);
	free(file);
	buf_free(&b);
}

/* A file over text_file_max gives its metadata, not its text. */
static void
pdf_read_skips_text_of_large_files(void **state)
{
	struct pdf_limits	 lim = PDF_LIMITS_DEFAULT;
	struct pdf_info		 in;
	struct buf		 b = BUF_INIT;
	const char		*pages[1] = { "some text" };
	char			*file;

	(void)state;
	if (!pdf_available())
		skip();
	make_pdf(&b, "(Large)", "(City)", pages, 1);
	file = write_temp(b.ptr, b.len);
	lim.text_file_max = 100;
	assert_int_equal(pdf_read(file, &lim, &in), 0);
	assert_string_equal(in.title, "Large");
	assert_int_equal(in.pages, 1);
	assert_non_null(in.why);
	assert_non_null(strstr(in.why, "larger than"));
	pdf_info_free(&in);
	unlink(file);
	free(file);
	buf_free(&b);
}

static void
pdf_read_without_poppler(void **state)
{
	struct pdf_limits	 lim = PDF_LIMITS_DEFAULT;
	struct pdf_info		 in;

	(void)state;
	if (pdf_available())
		skip();
	assert_int_equal(pdf_read("/nonexistent.pdf", &lim, &in), 0);
	assert_string_equal(in.why, "ferry was built without poppler");
	assert_string_equal(in.title, "");
	pdf_info_free(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pdf_normalise_rows),
		cmocka_unit_test(pdf_normalise_keeps_whole_lines_at_cap),
		cmocka_unit_test(pdf_normalise_appends),
		cmocka_unit_test(pdf_format_rows),
		cmocka_unit_test(pdf_format_reports_cap),
		cmocka_unit_test(pdf_search_text_rows),
		cmocka_unit_test(pdf_read_rows),
		cmocka_unit_test(pdf_read_many_keeps_order),
		cmocka_unit_test(pdf_read_unreadable),
		cmocka_unit_test(pdf_read_kills_at_deadline),
		cmocka_unit_test(pdf_read_skips_text_of_large_files),
		cmocka_unit_test(pdf_read_without_poppler),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
