/*
 * fuzz_html.c -- libFuzzer target for mirror/html.c.
 *
 * Parses the input as HTML and as CSS, checks that the links are sorted,
 * do not overlap and lie inside the input, that a rewrite with no
 * replacement gives the input back byte for byte, and that replacing
 * every link with "x" gives exactly the length the spans predict.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* How many bytes "x" takes once written for a span. */
static size_t
written_len(enum html_span span)
{
	return span == HTML_SPAN_ATTR ? 3 : 1;	/* "x" or x */
}

static void
check(const char *data, size_t len, struct html_doc *doc)
{
	struct buf	  out = BUF_INIT;
	char		**repl;
	size_t		  i, prev = 0, want = len;

	for (i = 0; i < doc->nlinks; i++) {
		const struct html_link *l = &doc->links[i];

		if (l->start < prev || l->end < l->start || l->end > len ||
		    l->url == NULL || l->text == NULL || l->section == NULL ||
		    l->lang == NULL || l->type == NULL)
			abort();
		prev = l->end;
		want = want - (l->end - l->start) + written_len(l->span);
	}
	if (doc->title == NULL || doc->lang == NULL)
		abort();

	if (html_rewrite(data, len, doc, NULL, &out) != 0 ||
	    out.len != len || (len > 0 && memcmp(out.ptr, data, len) != 0))
		abort();

	repl = xcalloc(doc->nlinks + 1, sizeof *repl);
	for (i = 0; i < doc->nlinks; i++)
		repl[i] = "x";
	buf_reset(&out);
	if (html_rewrite(data, len, doc, repl, &out) != 0 || out.len != want)
		abort();
	free(repl);
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t len)
{
	const char	*data = (const char *)bytes;
	struct html_doc	*doc;

	if (html_parse(data, len, &doc) == 0) {
		check(data, len, doc);
		html_doc_free(doc);
	}
	if (html_css_parse(data, len, &doc) == 0) {
		check(data, len, doc);
		html_doc_free(doc);
	}
	(void)html_sniff(data, len);
	return 0;
}
