/*
 * buf.c -- growable byte buffers with a cap.
 *
 * Owns building text in memory: pages being rewritten, commit messages,
 * generated index files.  Escaping for HTML text and JSON strings lives
 * here because every writer of those formats needs exactly the same rules.
 * It does no I/O.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "xmalloc.h"

void
buf_init(struct buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

static int
buf_grow(struct buf *b, size_t extra)
{
	size_t	need, cap;

	if (extra > (size_t)-1 - b->len - 1)
		return err_code(FERRY_ETOOBIG, "buffer size overflow");
	need = b->len + extra;
	if (b->max != 0 && need > b->max)
		return err_code(FERRY_ETOOBIG, "more than %zu bytes", b->max);
	if (need + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need + 1)
		cap = cap * 2 < cap ? need + 1 : cap * 2;
	b->ptr = xrealloc(b->ptr, cap);
	b->cap = cap;
	return 0;
}

int
buf_add(struct buf *b, const void *data, size_t n)
{
	int	rc;

	if ((rc = buf_grow(b, n)) != 0)
		return rc;
	if (n > 0)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int
buf_addstr(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n, rc;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		xmalloc((size_t)-1);	/* dies with the out-of-memory message */
	rc = buf_add(b, s, (size_t)n);
	free(s);
	return rc;
}

/* Text made safe for HTML element content and quoted attribute values. */
int
buf_addhtml(struct buf *b, const char *s)
{
	const char	*rep;
	int		 rc;

	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: rep = NULL; break;
		}
		rc = rep ? buf_addstr(b, rep) : buf_addc(b, *s);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* A JSON string literal, quotes included; the input is UTF-8. */
int
buf_addjson(struct buf *b, const char *s)
{
	int	rc;

	if ((rc = buf_addc(b, '"')) != 0)
		return rc;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			rc = buf_addf(b, "\\%c", c);
		else if (c == '\n')
			rc = buf_addstr(b, "\\n");
		else if (c == '\t')
			rc = buf_addstr(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			rc = buf_addf(b, "\\u%04x", c);
		else
			rc = buf_addc(b, (char)c);
		if (rc != 0)
			return rc;
	}
	return buf_addc(b, '"');
}

const char *
buf_cstr(struct buf *b)
{
	if (b->ptr == NULL)
		return "";
	return b->ptr;
}

/* Hand the bytes to the caller (never NULL) and leave the buffer empty. */
char *
buf_detach(struct buf *b)
{
	char	*p;

	p = b->ptr ? b->ptr : xstrdup("");
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->ptr != NULL)
		b->ptr[0] = '\0';
}

void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}
