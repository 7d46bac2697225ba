/*
 * bigindex.c -- a synthetic offline index of many entries, for measuring.
 *
 * Writes index.html, search.js, index.json and README.txt for N entries
 * (10,000 by default) shaped like tests/unit/test_index.c's large catalog:
 * about 40-byte paths and titles, a description on half of them, ten
 * languages, 100 sections, 6,000 characters of text each.  Prints the
 * time each renderer took and the bytes it wrote.  It renders with
 * libferry's index module, as a sync pass does, but knows nothing of
 * mirrors: no state, no git.  tests/browser/firstpaint.sh builds and runs
 * it; it is not part of `make check`.
 *
 *	bigindex [-n ENTRIES] DIR
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "fsutil.h"
#include "index.h"
#include "xmalloc.h"

#define TEXT_LEN	6000
#define CHANGED		1795579200	/* 2026-11-25T04:00:00Z */
#define FETCHED		1795665600	/* 2026-11-26T04:00:00Z */

static const char *const langs[] = {
	"en", "es", "ko", "zh-Hant", "vi", "tl", "fa", "ar", "ru", "hy"
};

static const char *const sections[] = {
	"Rapid Response Tools: Red Cards and Hotlines",
	"Know Your Rights Presentations",
	"Resources for Small Businesses, Non-profits, and Employers",
	"Community Resources", "Arrested or Detained Family Member",
};

static const struct {
	const char	*name;
	int		(*render)(const struct index_catalog *, struct buf *);
} files[] = {
	{ "index.html", index_html },
	{ "search.js", index_search },
	{ "index.json", index_json },
	{ "README.txt", index_readme },
};

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Entry i of the synthetic catalog; its strings go to strs[0..3]. */
static void
make_entry(struct index_entry *e, size_t i, const char *text, char **strs)
{
	const char	*lang = langs[i % (sizeof langs / sizeof langs[0])];

	xasprintf(&strs[0], "site/www.county.gov/files/kyr-%05zu-%s.pdf", i,
	    lang);
	xasprintf(&strs[1], "https://www.county.gov/files/kyr-%05zu-%s.pdf",
	    i, lang);
	xasprintf(&strs[2], "Know your rights: tenants, part %zu", i);
	xasprintf(&strs[3], "%s %zu", sections[(i / 100) %
	    (sizeof sections / sizeof sections[0])], i / 100);
	*e = (struct index_entry){
		.source = "county",
		.source_url = "https://www.county.gov/resources/",
		.url = strs[1],
		.path = strs[0],
		.sha256 = "9f86d081884c7d659a2feaa0c55ad015"
		    "a3bf4f1b2b0b822cd15d6c15b0f00a08",
		.content_type = "application/pdf",
		.title = strs[2],
		.section = strs[3],
		.description = i % 2 ? "Source: Public Counsel. What to do "
		    "when an agent comes to your door." : "",
		.note = "",
		.lang = lang,
		.kind = "document",
		.text = text,
		.size = 123456 + (int64_t)i,
		.fetched = FETCHED,
		.changed = i % 7 == 0 ? CHANGED : 0,
		.status = 200,
		.order = (int)i,
	};
}

int
main(int argc, char **argv)
{
	struct index_source	 src = { "county",
	    "https://www.county.gov/resources/", "County resources" };
	struct index_catalog	 cat;
	struct index_entry	*e;
	struct buf		 b = BUF_INIT;
	char			**strs, *text, *file;
	double			 t0, ms, total = 0;
	size_t			 n = 10000, i, page = 0;
	int			 ch, rc = 1;

	while ((ch = getopt(argc, argv, "n:")) != -1) {
		if (ch != 'n' || (n = strtoul(optarg, NULL, 10)) == 0) {
			fprintf(stderr, "usage: bigindex [-n ENTRIES] DIR\n");
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: bigindex [-n ENTRIES] DIR\n");
		return 2;
	}
	if (fsutil_mkdirs(argv[optind], 0755) != 0) {
		fprintf(stderr, "bigindex: %s\n", err_msg());
		return 1;
	}
	text = xmalloc(TEXT_LEN + 1);
	for (i = 0; i < TEXT_LEN; i++)
		text[i] = "abcdefghij klmnopqrstuvwxyz "[i % 28];
	text[TEXT_LEN] = '\0';
	e = xcalloc(n, sizeof *e);
	strs = xcalloc(4 * n, sizeof *strs);
	for (i = 0; i < n; i++)
		make_entry(&e[i], i, text, &strs[4 * i]);
	cat = (struct index_catalog){ .sources = &src, .nsources = 1,
	    .entries = e, .nentries = n };
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		buf_reset(&b);
		t0 = now_ms();
		if (files[i].render(&cat, &b) != 0) {
			fprintf(stderr, "bigindex: %s\n", err_msg());
			goto out;
		}
		ms = now_ms() - t0;
		total += ms;
		if (i < 2)
			page += b.len;
		printf("%zu entries: %-10s %9zu bytes %7.1f ms\n", n,
		    files[i].name, b.len, ms);
		file = fsutil_join(argv[optind], files[i].name);
		if (fsutil_write_atomic(file, b.ptr, b.len, 0) != 0) {
			fprintf(stderr, "bigindex: %s\n", err_msg());
			free(file);
			goto out;
		}
		free(file);
	}
	printf("%zu entries: all four in %.1f ms; index.html + search.js "
	    "%zu bytes (%.2f MB)\n", n, total, page, (double)page / 1e6);
	rc = 0;
out:
	buf_free(&b);
	for (i = 0; i < 4 * n; i++)
		free(strs[i]);
	free(strs);
	free(e);
	free(text);
	return rc;
}
